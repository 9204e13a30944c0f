"""The summary's rules on the reference run: the recommendation's p is
scipy's U test over the two strategies' repetitions."""
import re

from scipy.stats import mannwhitneyu

from mnbench import summary
from mnbench.results import Run


def test_recommendation_p_is_scipys(reference_run):
    assert summary.main([str(reference_run)]) == 0
    text = (reference_run / "summary.md").read_text()
    run = Run(str(reference_run))
    found = 0
    for load, best, other, p in re.findall(
            r"^- \*\*(\w+)\*\*: (\w+), [+-][0-9.]+% over (\w+) \(p = ([0-9.]+)",
            text, re.M):
        cases = {c.strategy: c for c in run.throughput() if c.load == load}
        want = mannwhitneyu(cases[best].values(), cases[other].values(),
                            alternative="two-sided").pvalue
        assert float(p) == round(want, 3)
        found += 1
    assert found
