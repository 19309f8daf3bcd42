"""Percentiles from a histogram {value: count}: the database returns one row per distinct number of
days, so the median of 40,000 patients costs a few hundred rows, not 40,000."""

from __future__ import annotations

import math


def nearest_rank(histogram: dict[int, int], percent: float) -> int | None:
    """The nearest-rank percentile: the smallest value v such that at least `percent` % of the
    observations are at most v. None when there are no observations."""
    total = sum(histogram.values())
    if total == 0:
        return None
    rank = max(1, math.ceil(percent / 100 * total))
    seen = 0
    for value in sorted(histogram):
        seen += histogram[value]
        if seen >= rank:
            return value
    raise AssertionError("unreachable")


def merge(histograms) -> dict[int, int]:
    merged: dict[int, int] = {}
    for histogram in histograms:
        for value, count in histogram.items():
            merged[value] = merged.get(value, 0) + count
    return merged
