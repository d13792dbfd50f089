"""Statistics for comparing repeated runs: medians and a bootstrap CI of their ratio.

Pure standard library (``random``), so it needs no numpy and gives the same answer for the
same seed on every platform.
"""

from __future__ import annotations

import math
import random
import statistics
from collections.abc import Sequence
from dataclasses import dataclass


@dataclass(frozen=True)
class RatioEstimate:
    """``ratio`` = median(candidate) / median(baseline), with a percentile-bootstrap CI."""

    ratio: float
    low: float
    high: float
    n_baseline: int
    n_candidate: int
    confidence: float = 0.95

    @property
    def percent_change(self) -> float:
        """(ratio - 1) x 100: negative means the candidate uses less."""
        return (self.ratio - 1.0) * 100.0

    def excludes_one(self) -> bool:
        """True when the CI lies wholly on one side of 1 (a difference the data supports)."""
        return self.high < 1.0 or self.low > 1.0


def median(values: Sequence[float]) -> float:
    if not values:
        raise ValueError("median of an empty sequence")
    return float(statistics.median(values))


def iqr(values: Sequence[float]) -> tuple[float, float]:
    """The 25th and 75th percentiles (inclusive method); (v, v) for a single value."""
    if len(values) < 2:
        v = float(values[0])
        return v, v
    q = statistics.quantiles(values, n=4, method="inclusive")
    return float(q[0]), float(q[2])


def ratio_ci(
    baseline: Sequence[float],
    candidate: Sequence[float],
    *,
    confidence: float = 0.95,
    resamples: int = 10_000,
    seed: int = 0,
) -> RatioEstimate:
    """Ratio of medians (candidate / baseline) with a percentile-bootstrap confidence interval.

    Each arm is resampled with replacement independently. With one value per arm the
    interval collapses to the point estimate (there is nothing to resample), so callers
    should warn when runs are few.
    """
    if not baseline or not candidate:
        raise ValueError("ratio_ci needs at least one value in each arm")
    if not 0.0 < confidence < 1.0:
        raise ValueError("confidence must be between 0 and 1")
    if resamples < 1:
        raise ValueError("resamples must be positive")
    base = [float(v) for v in baseline]
    cand = [float(v) for v in candidate]
    if any(not math.isfinite(v) for v in base + cand):
        raise ValueError("ratio_ci needs finite values")
    base_median = median(base)
    if base_median == 0.0:
        raise ValueError("the baseline median is 0; a ratio is undefined")
    point = median(cand) / base_median

    rng = random.Random(seed)
    ratios: list[float] = []
    nb, nc = len(base), len(cand)
    for _ in range(resamples):
        b = statistics.median(rng.choices(base, k=nb))
        if b == 0.0:
            continue
        c = statistics.median(rng.choices(cand, k=nc))
        ratios.append(c / b)
    if not ratios:
        raise ValueError("every bootstrap resample of the baseline had median 0")
    ratios.sort()
    alpha = (1.0 - confidence) / 2.0
    low = _percentile(ratios, alpha)
    high = _percentile(ratios, 1.0 - alpha)
    return RatioEstimate(
        ratio=point,
        low=low,
        high=high,
        n_baseline=nb,
        n_candidate=nc,
        confidence=confidence,
    )


def _percentile(sorted_values: Sequence[float], q: float) -> float:
    """Linear-interpolation percentile of already sorted values (numpy's default method)."""
    position = q * (len(sorted_values) - 1)
    lower = math.floor(position)
    upper = min(lower + 1, len(sorted_values) - 1)
    weight = position - lower
    return sorted_values[lower] * (1.0 - weight) + sorted_values[upper] * weight
