"""Does a per-demand relative threshold keep more real matches than the absolute one, at the
same no-match accuracy? On the labelled set (`sti/market/matching/data/`, never edited):
for each statistic of a demand's top-10 scores, the lowest-loss threshold whose no-match
accuracy equals the operating threshold's, and a threshold chosen by 2-fold
cross-validation as `bench/matching.py` chooses it.

    python bench/matching_relative.py

Finding (2026-11-30, docs/benchmarks.md): none beats the absolute threshold.
"""

from __future__ import annotations

import itertools
import statistics
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import matching as bench  # noqa: E402  (the benchmark's setup and threshold helpers)


def lift3(s):
    return s[0] / (s[2] + 1e-9)


def lift_median(s):
    return s[0] / (statistics.median(s[1:]) + 1e-9)


def z_score(s):
    return (s[0] - statistics.mean(s[1:])) / (statistics.pstdev(s[1:]) or 1e-9)


def gap(s):
    return s[0] - statistics.mean(s[1:])


def damped_lift(s):
    return s[0] * lift_median(s) ** 0.5


STATISTICS = [
    ("absolute s1", lambda s: s[0]),
    ("s1/s3", lift3),
    ("s1/median(s2..s10)", lift_median),
    ("z of s1 over s2..s10", z_score),
    ("s1 - mean(s2..s10)", gap),
    ("s1 * sqrt(s1/median)", damped_lift),
]


def midpoints(values):
    values = sorted(set(values))
    return [(a + b) / 2 for a, b in zip(values, values[1:], strict=False)]


def split(scores, demands, rule):
    """(no-match accuracy, share of demands with a right offer left without a match)."""
    none = [d for d in demands if not d.right]
    some = [d for d in demands if d.right]
    rejected = sum(not rule(scores[d.code]) for d in none) / len(none)
    lost = sum(not rule(scores[d.code]) for d in some) / len(some)
    return rejected, lost


def at_same_accuracy(scores, demands, rules, target):
    """The rule losing fewest matches among those rejecting at least `target`."""
    results = [(split(scores, demands, rule), name) for name, rule in rules]
    kept = [(r, lost, name) for (r, lost), name in results if r >= target - 1e-9]
    return min(kept, key=lambda row: (row[1], -row[0]))


def best_balanced(scores, demands, rules):
    def balance(rule):
        rejected, lost = split(scores, demands, rule)
        return (rejected + 1 - lost) / 2

    return max(rules, key=lambda item: balance(item[1]))[1]


def cross_validated(scores, demands, rules):
    folds = [demands[0::2], demands[1::2]]
    rejected = lost = 0.0
    for train, test in ((folds[0], folds[1]), (folds[1], folds[0])):
        r, m = split(scores, test, best_balanced(scores, train, rules))
        rejected, lost = rejected + r / 2, lost + m / 2
    return rejected, lost


def main() -> None:
    bench.setup(Path(tempfile.mkdtemp(prefix="matching-relative-")))
    from sti.market.matching import engine
    from sti.market.matching.engine import Matcher
    from sti.market.matching.labelled import demands, offers

    matcher = Matcher.from_records(offers())
    labelled = demands()
    scores = {}
    for demand in labelled:
        ranked = [m.score for m in matcher.rank(demand.query, limit=10)]
        scores[demand.code] = ranked + [0.0] * (10 - len(ranked))
    target, lost = split(scores, labelled, lambda s: s[0] >= engine.THRESHOLD)
    print(f"operating threshold {engine.THRESHOLD}: no-match {target:.3f}, lost {lost:.3f}")
    for label, stat in STATISTICS:
        cuts = midpoints(stat(s) for s in scores.values())
        rules = [(t, lambda s, t=t, stat=stat: stat(s) >= t) for t in cuts]
        rejected, lost, cut = at_same_accuracy(scores, labelled, rules, target)
        cv_r, cv_m = cross_validated(scores, labelled, rules)
        print(
            f"{label:24s} same no-match ({rejected:.3f}): lost {lost:.3f} (cut {cut:.4g}); "
            f"2-fold CV no-match {cv_r:.3f} lost {cv_m:.3f}"
        )
    # An absolute floor with a relative lift (s1/s3), either one or both required.
    floors = midpoints(s[0] for s in scores.values())[::3]
    lifts = midpoints(lift3(s) for s in scores.values())[::3]
    combined = {
        "s1 >= a or s1/s3 >= r": lambda s, a, r: s[0] >= a or (s[0] >= 0.05 and lift3(s) >= r),
        "s1 >= a and s1/s3 >= r": lambda s, a, r: s[0] >= a and lift3(s) >= r,
    }
    for label, test in combined.items():
        rules = [
            ((a, r), lambda s, a=a, r=r, test=test: test(s, a, r))
            for a, r in itertools.product(floors, lifts)
        ]
        rejected, lost, (a, r) = at_same_accuracy(scores, labelled, rules, target)
        cv_r, cv_m = cross_validated(scores, labelled, rules)
        print(
            f"{label:24s} same no-match ({rejected:.3f}): lost {lost:.3f} (a {a:.4g}, "
            f"r {r:.3g}); 2-fold CV no-match {cv_r:.3f} lost {cv_m:.3f}"
        )


if __name__ == "__main__":
    main()
