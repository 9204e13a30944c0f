"""Effect sizes between two sets of repetitions: how much, how sure, how often.

A benchmark difference is reported as a ratio of medians (new / base) with
a distribution-free confidence interval, the probability of superiority and
the Mann-Whitney U test's p. The ratio is the Hodges-Lehmann estimate of the
shift between log(new) and log(base), exponentiated: on a log scale a
constant relative slowdown is a shift, which is what the estimator assumes.
Its exact interval comes from the null distribution of U (every repetition
order equally likely), so it holds for any continuous distribution and any
sample size, with the confidence actually achieved reported (exact intervals
come in steps: with 5 and 5 repetitions the one at or above 95% is 96.8%).

When the two were measured in pairs (a round of the run holds one
repetition of each, back to back), paired_ratio compares them pair by
pair instead: the Hodges-Lehmann estimate of the median log ratio (the
median of the Walsh averages) with Wilcoxon's signed-rank interval, exact
in the same way. What moves both runs of a round alike cancels.
"""
import collections
import math
import statistics

Ratio = collections.namedtuple("Ratio", [
    "ratio",        # new / base: Hodges-Lehmann, exponentiated; None if any value <= 0
    "lo", "hi",     # its confidence interval, None when the samples are too few
    "confidence",   # the interval's achieved confidence (>= the one asked), or None
    "p",            # two-sided Mann-Whitney U p-value (scipy), None without samples
    "superiority",  # P(new > base) + P(new == base) / 2 over all pairs
    "n_base", "n_new",
    "paired",       # True: pair by pair over rounds (n_base = n_new = pairs)
], defaults=(False,))

CONFIDENCE = 0.95
# Two-sided 5% and 80% power: the usual "would a rerun see it" standard.
Z_ALPHA = 1.959963984540054
Z_POWER = 0.8416212335729143
# The U test's asymptotic efficiency against a t test on normal data:
# it needs about pi/3 times the repetitions for the same power.
MANN_WHITNEY_EFFICIENCY = 3 / math.pi


def u_null_counts(n, m):
    """counts[u]: in how many of the C(n+m, n) orders of n and m distinct
    values the U statistic is u. These are the coefficients of the Gaussian
    binomial [n+m choose n]_q = prod_{i=1..n} (1 - q^(m+i)) / (1 - q^i),
    exact in integers."""
    size = n * m + 1
    c = [0] * size
    c[0] = 1
    for i in range(1, n + 1):
        step = m + i
        for k in range(size - 1, step - 1, -1):   # times (1 - q^(m+i))
            c[k] -= c[k - step]
        for k in range(i, size):                    # divided by (1 - q^i)
            c[k] += c[k - i]
    return c


def interval_rank(n, m, confidence=CONFIDENCE):
    """(k, achieved): the interval from the k-th smallest to the k-th largest
    pairwise difference covers the shift with probability achieved >=
    confidence. (None, None) when even the full range [min, max] does not
    reach it (with 3 and 3 repetitions it is 90%)."""
    if n < 1 or m < 1:
        return None, None
    # P(d_(k) > shift) = P(U <= k - 1): the interval misses with twice that.
    return _exact_rank(u_null_counts(n, m), math.comb(n + m, n), n * m // 2,
                       confidence)


def _exact_rank(counts, total, last, confidence):
    """The largest k <= last whose two tails, 2 * sum(counts[:k]) / total,
    miss with at most 1 - confidence: (k, achieved), or (None, None)."""
    best = None
    tail = 0
    for k in range(1, last + 1):
        tail += counts[k - 1]
        miss = 2 * tail / total
        if miss > 1 - confidence + 1e-12:
            break
        best = (k, 1 - miss)
    return best if best else (None, None)


def _pairwise(base, new, transform):
    return sorted(transform(y) - transform(x) for x in base for y in new)


def superiority(base, new):
    """P(new > base) + P(tie) / 2 over every pair of repetitions."""
    if not base or not new:
        return None
    wins = sum(1.0 if y > x else 0.5 if y == x else 0.0
               for x in base for y in new)
    return wins / (len(base) * len(new))


def mann_whitney_p(base, new):
    """scipy's two-sided U test (exact for small samples without ties)."""
    if not base or not new:
        return None
    from scipy.stats import mannwhitneyu
    if len(set(base) | set(new)) == 1:
        return 1.0          # every value equal: no evidence either way
    return float(mannwhitneyu(new, base, alternative="two-sided").pvalue)


def _median(v):
    v = sorted(v)
    mid = len(v) // 2
    return v[mid] if len(v) % 2 else (v[mid - 1] + v[mid]) / 2


def ratio(base, new, confidence=CONFIDENCE):
    """new against base as a Ratio. The interval is None with too few
    repetitions for the confidence asked; the ratio is None when a value is
    not positive (a log scale cannot hold it: a notifier that costs 0 ns)."""
    base, new = list(base), list(new)
    p = mann_whitney_p(base, new)
    sup = superiority(base, new)
    if not base or not new or min(base + new) <= 0:
        return Ratio(None, None, None, None, p, sup, len(base), len(new))
    diffs = _pairwise(base, new, math.log)
    est = math.exp(_median(diffs))
    k, achieved = interval_rank(len(base), len(new), confidence)
    if k is None:
        return Ratio(est, None, None, None, p, sup, len(base), len(new))
    lo, hi = math.exp(diffs[k - 1]), math.exp(diffs[-k])
    return Ratio(est, lo, hi, achieved, p, sup, len(base), len(new))


def signed_rank_null_counts(n):
    """counts[t]: in how many of the 2^n sign patterns of n distinct
    nonzero differences the signed-rank statistic (the sum of the ranks
    of the positive ones) is t."""
    c = [0] * (n * (n + 1) // 2 + 1)
    c[0] = 1
    for i in range(1, n + 1):
        for t in range(len(c) - 1, i - 1, -1):
            c[t] += c[t - i]
    return c


def paired_interval_rank(n, confidence=CONFIDENCE):
    """(k, achieved): the interval from the k-th smallest to the k-th
    largest of the n(n+1)/2 Walsh averages covers the median difference
    with probability achieved >= confidence (Wilcoxon's signed-rank
    interval). (None, None) when too few pairs reach it (5 reach 93.8%)."""
    if n < 1:
        return None, None
    return _exact_rank(signed_rank_null_counts(n), 2 ** n, n * (n + 1) // 4,
                       confidence)


def signed_rank_p(diffs):
    """scipy's two-sided Wilcoxon signed-rank test of the differences."""
    if not diffs:
        return None
    if all(d == 0 for d in diffs):
        return 1.0
    from scipy.stats import wilcoxon
    # With a zero difference the exact null does not apply: scipy switches
    # to the normal approximation itself, with a warning on stderr; say so.
    method = "approx" if any(d == 0 for d in diffs) else "auto"
    return float(wilcoxon(diffs, alternative="two-sided",
                          method=method).pvalue)


def paired_ratio(pairs, confidence=CONFIDENCE):
    """new against base over [(base, new)] measured together (one round of
    the run each): the Hodges-Lehmann estimate of the median of
    log(new / base), its signed-rank interval, exponentiated. A factor
    that moves both runs of a pair alike (the host's speed that moment)
    cancels in each pair's ratio. superiority: the share of pairs where new
    is higher (ties half)."""
    pairs = list(pairs)
    n = len(pairs)
    sup = (sum(1.0 if y > x else 0.5 if y == x else 0.0 for x, y in pairs) / n
           if n else None)
    if not pairs or min(min(x, y) for x, y in pairs) <= 0:
        diffs = [y - x for x, y in pairs]
        return Ratio(None, None, None, None, signed_rank_p(diffs), sup, n, n,
                     True)
    d = [math.log(y) - math.log(x) for x, y in pairs]
    walsh = sorted((d[i] + d[j]) / 2 for i in range(n) for j in range(i, n))
    est = math.exp(_median(walsh))
    p = signed_rank_p(d)
    k, achieved = paired_interval_rank(n, confidence)
    if k is None:
        return Ratio(est, None, None, None, p, sup, n, n, True)
    return Ratio(est, math.exp(walsh[k - 1]), math.exp(walsh[-k]), achieved,
                 p, sup, n, n, True)


def paired_sd_log(pairs):
    """Sample standard deviation of log(new / base) over the pairs."""
    return sd_log([y / x for x, y in pairs if x > 0 and y > 0])


def round_spread(log_ratios, confidence=CONFIDENCE):
    """A robust spread of one pair's ratio: exp(|median| + z * s) - 1,
    with s = 1.4826 * the median absolute deviation around the median
    (the standard deviation, were the log ratios normal) and z the
    two-sided normal quantile of confidence. It is the normal range
    fitted to the core of the log ratios, not a quantile of them: on
    heavy-tailed data more than 1 - confidence of the pairs lie beyond
    it. The median and MAD ignore up to half of the pairs being wild, so
    a few pairs that straddled a change of the host's speed do not set
    it."""
    v = sorted(log_ratios)
    if not v:
        raise ValueError("round_spread needs at least one log ratio")
    med = _median(v)
    mad = _median(sorted(abs(x - med) for x in v))
    z = statistics.NormalDist().inv_cdf(0.5 + confidence / 2)
    return math.exp(abs(med) + z * 1.4826 * mad) - 1


def min_pairs(confidence=CONFIDENCE):
    """The fewest pairs that give a signed-rank interval."""
    n = 1
    while paired_interval_rank(n, confidence)[0] is None:
        n += 1
    return n


def pairs_to_resolve(sd_log_diff, change, confidence=CONFIDENCE):
    """Pairs for an 80% chance that a two-sided 5% signed-rank test sees a
    relative change at this spread of the pairs' log ratios: the normal
    approximation n = (z_a + z_b)^2 s^2 / log(1 + change)^2 divided by the
    test's efficiency 3 / pi, never below min_pairs."""
    if change <= -1 or change == 0:
        raise ValueError("change must be a nonzero relative difference > -1")
    delta = abs(math.log1p(change))
    n = (Z_ALPHA + Z_POWER) ** 2 * sd_log_diff ** 2 / delta ** 2 \
        / MANN_WHITNEY_EFFICIENCY
    return max(min_pairs(confidence), math.ceil(n))


def sd_log(values):
    """Sample standard deviation of log(values); None with fewer than 2."""
    v = [math.log(x) for x in values if x > 0]
    if len(v) < 2:
        return None
    mean = sum(v) / len(v)
    return math.sqrt(sum((x - mean) ** 2 for x in v) / (len(v) - 1))


def min_repetitions(confidence=CONFIDENCE):
    """The fewest repetitions per side that give an exact interval."""
    n = 2
    while interval_rank(n, n, confidence)[0] is None:
        n += 1
    return n


def repetitions_to_resolve(sd_log_base, sd_log_new, change, confidence=CONFIDENCE):
    """Repetitions per side for an 80% chance that a two-sided 5% U test
    sees a relative change (0.03 = 3%) at this noise: the normal
    approximation n = (z_a + z_b)^2 (s1^2 + s2^2) / log(1 + change)^2,
    divided by the U test's efficiency pi/3, and never below the fewest
    repetitions with an exact interval."""
    if change <= -1 or change == 0:
        raise ValueError("change must be a nonzero relative difference > -1")
    delta = abs(math.log1p(change))
    var = sd_log_base ** 2 + sd_log_new ** 2
    n = (Z_ALPHA + Z_POWER) ** 2 * var / delta ** 2 / MANN_WHITNEY_EFFICIENCY
    return max(min_repetitions(confidence), math.ceil(n))
