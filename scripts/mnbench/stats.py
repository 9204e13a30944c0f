"""The statistics of comparisons: scipy's, as Google Benchmark's compare.py."""


def mann_whitney_p(a, b):
    """Two-sided Mann-Whitney U p-value of two samples; None if one is
    empty. scipy picks the exact distribution for small samples without
    ties, the normal approximation otherwise."""
    if not a or not b:
        return None
    # Imported here: scipy takes a second to load, --help should not.
    from scipy.stats import mannwhitneyu
    return float(mannwhitneyu(a, b, alternative="two-sided").pvalue)
