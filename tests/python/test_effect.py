"""Effect sizes on constructed data: intervals, their confidence, power."""
import collections
import itertools
import math
import os
import random
import statistics
import sys

import pytest

sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", "..", "scripts"))
from mnbench import effect  # noqa: E402

scipy_stats = pytest.importorskip("scipy.stats")


def brute_u_counts(n, m):
    """U over every placement of n base values among n + m ranks."""
    counts = [0] * (n * m + 1)
    for base in itertools.combinations(range(n + m), n):
        new = [r for r in range(n + m) if r not in base]
        counts[sum(1 for x in base for y in new if y > x)] += 1
    return counts


@pytest.mark.parametrize("n,m", [(1, 1), (2, 3), (3, 3), (4, 6), (5, 5), (6, 4)])
def test_null_distribution_matches_enumeration(n, m):
    assert effect.u_null_counts(n, m) == brute_u_counts(n, m)


def test_null_distribution_matches_scipy_exact_p():
    # P(U <= u) from the counts is scipy's exact one-sided p.
    n, m = 5, 5
    counts = effect.u_null_counts(n, m)
    total = math.comb(n + m, n)
    base = [1, 2, 3, 4, 5]
    new = [1.5, 2.5, 6, 7, 8]
    u = sum(1 for x in base for y in new if y > x)      # 1 + 2 + 5 + 5 + 5
    assert u == 18
    u_less = n * m - u              # P(U >= u) = P(U <= nm - u), by symmetry
    ours = sum(counts[:u_less + 1]) / total
    theirs = scipy_stats.mannwhitneyu(new, base, alternative="greater",
                                      method="exact").pvalue
    assert ours == pytest.approx(theirs)


def test_interval_rank_and_achieved_confidence():
    k, achieved = effect.interval_rank(5, 5)
    assert k == 3
    assert achieved == pytest.approx(1 - 2 * 4 / 252)     # 96.8%
    assert effect.interval_rank(4, 4)[0] == 1
    assert effect.interval_rank(3, 3) == (None, None)       # [min, max] is 90%
    assert effect.interval_rank(2, 2) == (None, None)
    assert effect.min_repetitions() == 4


def test_known_shift_lies_in_the_interval():
    base = [100.0, 103.0, 98.0, 101.5, 99.0]
    new = [v * 0.9 for v in (101.0, 97.5, 102.0, 99.5, 100.5)]
    r = effect.ratio(base, new)
    assert r.lo <= 0.9 <= r.hi
    assert r.lo < r.ratio < r.hi
    assert r.confidence == pytest.approx(0.968, abs=0.001)
    assert (r.n_base, r.n_new) == (5, 5)


def test_exact_shift_is_estimated_exactly():
    base = [10.0, 11.0, 12.0, 13.0, 14.0]
    new = [v * 1.25 for v in base]
    r = effect.ratio(base, new)
    assert r.ratio == pytest.approx(1.25)
    assert r.superiority > 0.5


def test_identical_samples():
    v = [5.0, 5.2, 4.9, 5.1, 5.05]
    r = effect.ratio(v, list(v))
    assert r.ratio == pytest.approx(1.0)
    assert r.lo < 1 < r.hi
    assert r.superiority == pytest.approx(0.5)
    assert r.p == pytest.approx(1.0)


def test_p_is_scipys_u_test():
    base = [3.0, 4.0, 5.0, 6.0, 7.5]
    new = [5.5, 6.5, 8.0, 9.0, 9.5]
    r = effect.ratio(base, new)
    assert r.p == pytest.approx(scipy_stats.mannwhitneyu(
        new, base, alternative="two-sided").pvalue)


def test_superiority_counts_ties_half():
    assert effect.superiority([1, 2], [2, 3]) == pytest.approx((0.5 + 1 + 1 + 1) / 4)
    assert effect.superiority([], [1]) is None


def test_too_few_samples_give_no_interval():
    for n in (2, 3):
        r = effect.ratio([1.0 + i for i in range(n)], [2.0 + i for i in range(n)])
        assert r.lo is None and r.hi is None and r.confidence is None
        assert r.ratio is not None


def test_zero_values_give_no_ratio():
    r = effect.ratio([0.0] * 5, [1.0, 2.0, 3.0, 4.0, 5.0])
    assert r.ratio is None and r.lo is None
    assert r.superiority == 1.0


def test_coverage_on_random_log_normal_data():
    # The exact interval covers the true shift at least as often as it says.
    import random
    rng = random.Random(7)
    trials, covered = 400, 0
    for _ in range(trials):
        base = [math.exp(rng.gauss(0, 0.05)) for _ in range(5)]
        new = [0.95 * math.exp(rng.gauss(0, 0.05)) for _ in range(5)]
        r = effect.ratio(base, new)
        covered += r.lo <= 0.95 <= r.hi
    # 96.8% nominal; 400 trials put 3 standard errors at about 2.6%.
    assert covered / trials >= 0.94


def test_repetitions_grow_as_the_difference_shrinks():
    need = [effect.repetitions_to_resolve(0.05, 0.05, d)
            for d in (0.20, 0.10, 0.05, 0.02, 0.01)]
    assert need == sorted(need)
    assert need[-1] > need[0]
    assert need[-1] > 100
    assert effect.repetitions_to_resolve(0.05, 0.05, 0.5) == effect.min_repetitions()


def test_repetitions_follow_the_normal_approximation():
    # (1.96 + 0.84)^2 * 2 * 0.05^2 / log(1.05)^2 * pi / 3 = 17.3 -> 18
    assert effect.repetitions_to_resolve(0.05, 0.05, 0.05) == 18
    # A 5% drop is a slightly larger step on the log scale than a 5% rise.
    assert effect.repetitions_to_resolve(0.05, 0.05, -0.05) == 16


def test_repetitions_reject_no_change():
    with pytest.raises(ValueError):
        effect.repetitions_to_resolve(0.05, 0.05, 0)


# Paired comparisons: one run of each in every round of the run.

@pytest.mark.parametrize("n", [1, 2, 5, 8])
def test_signed_rank_null_matches_enumeration(n):

    counts = collections.Counter(
        sum(i + 1 for i, s in enumerate(signs) if s)
        for signs in itertools.product((0, 1), repeat=n))
    assert effect.signed_rank_null_counts(n) == [
        counts[t] for t in range(n * (n + 1) // 2 + 1)]


def test_paired_interval_rank_matches_the_tables():
    # Wilcoxon's critical values (two-sided 5%): n=6 -> 0, n=10 -> 8,
    # n=16 -> 29; the interval's rank is one more.
    assert effect.paired_interval_rank(5) == (None, None)
    assert effect.paired_interval_rank(6)[0] == 1
    assert effect.paired_interval_rank(10)[0] == 9
    assert effect.paired_interval_rank(16)[0] == 30
    assert effect.min_pairs() == 6


def test_paired_shift_survives_rounds_that_halve_both():
    # 0.9x in every round, while the host halves some rounds for both:
    # the pairs see it far more sharply than independent samples do.
    rng = random.Random(3)
    speed = [rng.choice((1.0, 0.45)) for _ in range(16)]
    base = [s * (1 + rng.uniform(-0.01, 0.01)) for s in speed]
    new = [s * 0.9 * (1 + rng.uniform(-0.01, 0.01)) for s in speed]
    r = effect.paired_ratio(zip(base, new))
    assert r.paired and r.n_base == 16
    assert r.lo <= 0.9 <= r.hi and r.hi < 0.95
    u = effect.ratio(base, new)
    assert not u.paired and (u.hi - u.lo) > 2 * (r.hi - r.lo)


def test_paired_identical_runs():
    r = effect.paired_ratio([(2.0, 2.0)] * 8)
    assert (r.ratio, r.lo, r.hi, r.p, r.superiority) == (1.0, 1.0, 1.0, 1.0, 0.5)


def test_paired_p_is_scipys_signed_rank_test():
    from scipy.stats import wilcoxon
    pairs = [(1.0, 1.1), (1.0, 0.97), (2.0, 2.3), (1.0, 1.05), (1.5, 1.6),
             (1.0, 1.2), (3.0, 3.05)]
    d = [math.log(y) - math.log(x) for x, y in pairs]
    assert effect.paired_ratio(pairs).p == pytest.approx(wilcoxon(d).pvalue)


def test_paired_coverage_on_random_data():
    rng = random.Random(11)
    misses = 0
    for _ in range(300):
        pairs = []
        for _ in range(10):
            host = rng.lognormvariate(0, 0.5)
            pairs.append((host * rng.lognormvariate(0, 0.05),
                          host * 1.2 * rng.lognormvariate(0, 0.05)))
        r = effect.paired_ratio(pairs)
        misses += not (r.lo <= 1.2 <= r.hi)
    assert misses / 300 <= 0.05 + 0.03


def test_pairs_to_resolve_grow_as_the_difference_shrinks():
    n = [effect.pairs_to_resolve(0.05, d) for d in (0.2, 0.05, 0.02, 0.01)]
    assert n == sorted(n) and n[0] == effect.min_pairs() and n[-1] > 100


def test_round_spread_is_the_normal_range_on_normal_data():
    rng = random.Random(5)
    logs = [rng.gauss(0.0, 0.03) for _ in range(4000)]
    assert effect.round_spread(logs) == pytest.approx(
        math.exp(1.96 * 0.03) - 1, rel=0.05)


def test_round_spread_ignores_a_few_straddling_rounds():
    rng = random.Random(6)
    logs = [rng.gauss(0.0, 0.03) for _ in range(64)]
    wild = logs[:]
    for i in range(0, 64, 10):         # 7 of 64 rounds met a 2x change
        wild[i] = math.log(0.5) if i % 20 else math.log(2.0)
    assert effect.round_spread(wild) < 1.5 * effect.round_spread(logs)
    assert effect.round_spread(wild) < 0.1
    # A standard deviation would make them the floor.
    sd = statistics.stdev(wild)
    assert math.exp(1.96 * sd) - 1 > 0.4


def test_round_spread_does_not_shrink_with_more_rounds():
    rng = random.Random(7)
    few = statistics.mean(
        effect.round_spread([rng.gauss(0.0, 0.03) for _ in range(32)])
        for _ in range(200))
    many = effect.round_spread([rng.gauss(0.0, 0.03) for _ in range(6400)])
    assert many == pytest.approx(few, rel=0.1)


def test_round_spread_counts_a_bias_between_the_twins():
    logs = [0.05 + d for d in (-0.01, 0.0, 0.01) * 10]
    assert effect.round_spread(logs) > math.exp(0.05) - 1


def test_round_spread_counts_a_negative_bias_as_much_as_a_positive():
    # Deviations from the median: 0 ten times, 0.01 twenty times: MAD 0.01.
    logs = [-0.05 + d for d in (-0.01, 0.0, 0.01) * 10]
    z = statistics.NormalDist().inv_cdf(0.975)
    want = math.exp(0.05 + z * 1.4826 * 0.01) - 1
    assert effect.round_spread(logs) == pytest.approx(want, rel=1e-9)
    flipped = [-x for x in logs]
    assert effect.round_spread(flipped) == pytest.approx(want, rel=1e-9)


def test_round_spread_takes_the_mad_around_the_median():
    # Shifted well away from 0, one wild value: median 0.12, deviations
    # 0.02, 0.01, 0, 0.01, 0.18: MAD 0.01 (around 0 it would be 0.12, and
    # the mean, 0.152, is not the centre either).
    logs = [0.10, 0.11, 0.12, 0.13, 0.30]
    z = statistics.NormalDist().inv_cdf(0.975)
    want = math.exp(0.12 + z * 1.4826 * 0.01) - 1
    assert effect.round_spread(logs) == pytest.approx(want, rel=1e-9)
    z90 = statistics.NormalDist().inv_cdf(0.95)
    assert effect.round_spread(logs, 0.90) == pytest.approx(
        math.exp(0.12 + z90 * 1.4826 * 0.01) - 1, rel=1e-9)
