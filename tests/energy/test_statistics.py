"""ratio_ci: the ratio of medians and its percentile-bootstrap interval."""

from __future__ import annotations

import random

import pytest

from greentactics.energy.statistics import iqr, median, ratio_ci


def test_point_estimate_is_ratio_of_medians() -> None:
    estimate = ratio_ci([10, 11, 12, 13, 100], [5, 6, 6, 7, 8])
    assert estimate.ratio == pytest.approx(6 / 12)
    assert estimate.low <= estimate.ratio <= estimate.high
    assert (estimate.n_baseline, estimate.n_candidate) == (5, 5)
    assert estimate.excludes_one()
    assert estimate.percent_change == pytest.approx(-50)


def test_same_seed_same_interval_and_seed_matters() -> None:
    rng = random.Random(1)
    base = [rng.gauss(100, 5) for _ in range(12)]
    cand = [rng.gauss(90, 5) for _ in range(12)]
    a = ratio_ci(base, cand, seed=3)
    assert a == ratio_ci(base, cand, seed=3)
    assert a != ratio_ci(base, cand, seed=4)


def test_interval_covers_true_ratio_and_narrows_with_more_runs() -> None:
    rng = random.Random(7)
    few = ratio_ci([rng.gauss(100, 10) for _ in range(6)], [rng.gauss(80, 8) for _ in range(6)])
    many = ratio_ci([rng.gauss(100, 10) for _ in range(60)], [rng.gauss(80, 8) for _ in range(60)])
    assert many.low < 0.8 < many.high
    assert (many.high - many.low) < (few.high - few.low)


def test_identical_arms_give_an_interval_around_one() -> None:
    values = [9.0, 10.0, 11.0, 10.5, 9.5]
    estimate = ratio_ci(values, values)
    assert estimate.ratio == 1.0
    assert estimate.low < 1.0 < estimate.high
    assert not estimate.excludes_one()


def test_single_run_per_arm_collapses_the_interval() -> None:
    estimate = ratio_ci([4.0], [2.0], resamples=100)
    assert (estimate.ratio, estimate.low, estimate.high) == (0.5, 0.5, 0.5)


def test_confidence_level_widens_the_interval() -> None:
    rng = random.Random(2)
    base = [rng.gauss(50, 5) for _ in range(15)]
    cand = [rng.gauss(45, 5) for _ in range(15)]
    ninety = ratio_ci(base, cand, confidence=0.90)
    ninety_nine = ratio_ci(base, cand, confidence=0.99)
    assert ninety_nine.low <= ninety.low and ninety.high <= ninety_nine.high


@pytest.mark.parametrize(
    ("baseline", "candidate", "kwargs"),
    [
        ([], [1.0], {}),
        ([1.0], [], {}),
        ([0.0, 0.0], [1.0], {}),
        ([1.0], [1.0], {"confidence": 1.5}),
        ([1.0], [1.0], {"resamples": 0}),
        ([float("nan")], [1.0], {}),
    ],
)
def test_bad_inputs_are_refused(
    baseline: list[float], candidate: list[float], kwargs: dict[str, float]
) -> None:
    with pytest.raises(ValueError):
        ratio_ci(baseline, candidate, **kwargs)  # type: ignore[arg-type]


def test_median_and_iqr() -> None:
    assert median([3, 1, 2]) == 2
    assert iqr([1, 2, 3, 4, 5]) == (2, 4)
    assert iqr([7]) == (7, 7)
