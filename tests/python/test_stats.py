"""The U test is scipy's: the same p-values on constructed samples."""
import math

import pytest
from scipy.stats import mannwhitneyu

from mnbench.stats import mann_whitney_p

SAMPLES = [
    ([1, 2], [3, 4]),                       # the quick suite: 2 + 2
    ([5.1, 5.3, 5.2, 5.6, 5.0], [6.1, 6.0, 6.4, 5.9, 6.2]),
    ([1, 2, 3, 4, 5], [3, 4, 5, 6, 7]),     # overlapping, with ties
    ([2.0] * 5, [2.0] * 5),                 # identical
    (list(range(30)), [x + 7.5 for x in range(30)]),  # normal approximation
]


@pytest.mark.parametrize("a,b", SAMPLES)
def test_p_is_scipys(a, b):
    want = mannwhitneyu(a, b, alternative="two-sided").pvalue
    assert mann_whitney_p(a, b) == pytest.approx(want)
    assert mann_whitney_p(b, a) == pytest.approx(want)


def test_exact_values_of_separated_samples():
    # All of one sample above the other: p = 2 / C(n + m, n).
    assert mann_whitney_p([1, 2], [3, 4]) == pytest.approx(2 / math.comb(4, 2))
    assert mann_whitney_p([1, 2, 3, 4, 5], [6, 7, 8, 9, 10]) == \
        pytest.approx(2 / math.comb(10, 5))


def test_two_repetitions_can_never_be_significant():
    assert mann_whitney_p([1, 1.1], [9, 9.1]) > 0.05


def test_an_empty_sample_has_no_p():
    assert mann_whitney_p([], [1, 2]) is None
    assert mann_whitney_p([1], []) is None
