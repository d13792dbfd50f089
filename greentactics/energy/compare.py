"""Compare repeated runs of two labels: medians, the ratio with a bootstrap CI, and caveats."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

from greentactics.energy.measurement import Measurement
from greentactics.energy.report import ESTIMATE_MARK, format_joules, format_seconds
from greentactics.energy.statistics import RatioEstimate, iqr, median, ratio_ci
from greentactics.energy.store import EnergyStore
from greentactics.errors import UsageError

MIN_RUNS = 5
"""Fewer runs per arm than this and the median and its CI are not worth much."""

# Shortest window, in seconds, that a source resolves well (about 10x its update period).
MIN_WINDOW_S = {
    "RAPL": 1.0,
    "NVML energy counter": 1.0,  # the counter updates about every 100 ms
    "AMD SMI energy counter": 1.0,
    "TDP x load": 10.0,  # CodeCarbon samples the load once a second
    "TDP x process CPU share": 10.0,
}
DEFAULT_MIN_WINDOW_S = 10.0  # power sampling and other modes


@dataclass(frozen=True)
class Arm:
    label: str
    runs: tuple[Measurement, ...]

    @property
    def energies(self) -> list[float]:
        return [m.total_energy_j for m in self.runs if m.total_energy_j is not None]

    @property
    def durations(self) -> list[float]:
        return [m.duration_s for m in self.runs]

    def dynamic_energies(self, idle_power_w: float) -> list[float]:
        return [
            m.total_energy_j - idle_power_w * m.duration_s
            for m in self.runs
            if m.total_energy_j is not None
        ]


@dataclass(frozen=True)
class Comparison:
    baseline: Arm
    candidate: Arm
    energy: RatioEstimate
    time: RatioEstimate
    method: str
    idle: Measurement | None = None
    dynamic: RatioEstimate | None = None
    warnings: tuple[str, ...] = field(default_factory=tuple)
    excluded: int = 0

    @property
    def idle_power_w(self) -> float | None:
        if self.idle is None or self.idle.average_power_w is None:
            return None
        return self.idle.average_power_w


def usable_runs(store: EnergyStore, label: str) -> tuple[list[Measurement], int]:
    """Finished runs of ``label`` that have energy, and how many others were left out."""
    found = store.by_label(label, kind="run")
    usable = [m for m in found if m.outcome == "ok" and m.total_energy_j is not None]
    return usable, len(found) - len(usable)


def compare_labels(
    store: EnergyStore,
    baseline: str,
    candidate: str,
    *,
    idle_label: str | None = None,
    use_idle: bool = True,
    confidence: float = 0.95,
    resamples: int = 10_000,
    seed: int = 0,
) -> Comparison:
    base_runs, base_excluded = usable_runs(store, baseline)
    cand_runs, cand_excluded = usable_runs(store, candidate)
    for label, runs in ((baseline, base_runs), (candidate, cand_runs)):
        if not runs:
            raise UsageError(
                f"no successful measurements labelled {label!r} in {store.path} "
                "(see `greentactics energy list`)"
            )
    try:
        return compare_runs(
            Arm(baseline, tuple(base_runs)),
            Arm(candidate, tuple(cand_runs)),
            idle=_find_idle(store, idle_label) if use_idle else None,
            excluded=base_excluded + cand_excluded,
            confidence=confidence,
            resamples=resamples,
            seed=seed,
        )
    except ValueError as error:  # e.g. confidence outside (0, 1), a zero baseline
        raise UsageError(f"cannot compare {baseline!r} and {candidate!r}: {error}") from error


def _find_idle(store: EnergyStore, idle_label: str | None) -> Measurement | None:
    if idle_label is None:
        return store.latest_idle()
    runs = [
        m for m in store.by_label(idle_label) if m.outcome == "ok" and m.total_energy_j is not None
    ]
    if not runs:
        raise UsageError(f"no idle measurement labelled {idle_label!r} in {store.path}")
    return runs[-1]


def compare_runs(
    baseline: Arm,
    candidate: Arm,
    *,
    idle: Measurement | None = None,
    excluded: int = 0,
    confidence: float = 0.95,
    resamples: int = 10_000,
    seed: int = 0,
) -> Comparison:
    energy = ratio_ci(
        baseline.energies, candidate.energies, confidence=confidence, resamples=resamples, seed=seed
    )
    time = ratio_ci(
        baseline.durations,
        candidate.durations,
        confidence=confidence,
        resamples=resamples,
        seed=seed,
    )
    dynamic = None
    if idle is not None and idle.average_power_w is not None:
        base_dyn = baseline.dynamic_energies(idle.average_power_w)
        cand_dyn = candidate.dynamic_energies(idle.average_power_w)
        if median(base_dyn) > 0:
            dynamic = ratio_ci(
                base_dyn, cand_dyn, confidence=confidence, resamples=resamples, seed=seed
            )
    found = _warnings(baseline, candidate, idle, excluded)
    if idle is not None and dynamic is None:
        found.append(
            "the baseline's median energy is not above idle power x time, so no dynamic "
            "energy ratio is shown (runs too short, or the idle baseline is stale)"
        )
    runs = [*baseline.runs, *candidate.runs]
    methods = {m.method_summary for m in runs}
    method = next(iter(methods)) if len(methods) == 1 else "mixed"
    return Comparison(
        baseline=baseline,
        candidate=candidate,
        energy=energy,
        time=time,
        method=method,
        idle=idle,
        dynamic=dynamic,
        warnings=tuple(_method_warning(method) + found),
        excluded=excluded,
    )


def min_window_s(runs: Sequence[Measurement]) -> float:
    """The shortest window the runs' measurement sources resolve well."""
    needed = 0.0
    for m in runs:
        for component in m.components.values():
            if component.present and component.method != "constant":
                needed = max(needed, MIN_WINDOW_S.get(component.source, DEFAULT_MIN_WINDOW_S))
    return needed


def _warnings(baseline: Arm, candidate: Arm, idle: Measurement | None, excluded: int) -> list[str]:
    found: list[str] = []
    for arm in (baseline, candidate):
        if len(arm.runs) < MIN_RUNS:
            found.append(
                f"only {len(arm.runs)} run(s) of {arm.label!r}: use at least {MIN_RUNS} "
                "(10 or more is better) per arm, interleaved, for a trustworthy median and CI"
            )
        needed = min_window_s(arm.runs)
        shortest = median(arm.durations)
        if shortest < needed:
            found.append(
                f"runs of {arm.label!r} are short (median {format_seconds(shortest)}) for the "
                f"measurement method, which needs windows of at least {needed:.0f} s"
            )
    hardware = {
        (m.hardware.cpu_model, m.hardware.gpu_models) for m in [*baseline.runs, *candidate.runs]
    }
    if len(hardware) > 1:
        found.append("the runs come from different hardware; the comparison mixes machines")
    if excluded:
        found.append(f"{excluded} failed or interrupted run(s) were left out")
    if idle is None:
        found.append(
            "no idle baseline: run `greentactics energy idle` to show dynamic energy as well"
        )
    return found


def _method_warning(method: str) -> list[str]:
    if method == "measured":
        return []
    return [
        f"energy is {method}, not fully measured (e.g. CPU from TDP x load, RAM as a flat "
        "figure): where it is estimated, the energy ratio largely mirrors the time ratio"
    ]


def _ratio_text(estimate: RatioEstimate) -> str:
    pct = round(estimate.confidence * 100)
    change = estimate.percent_change
    direction = "less" if change < 0 else "more"
    return (
        f"{estimate.ratio:.3f} [{pct}% CI {estimate.low:.3f}-{estimate.high:.3f}] "
        f"({abs(change):.1f}% {direction})"
    )


def format_comparison(comparison: Comparison) -> str:
    c = comparison
    estimated = c.method != "measured"
    width = max(len(c.baseline.label), len(c.candidate.label), 9)
    lines = [
        f"{'arm':<{width}}  {'runs':>4}  {'median energy':>14}  {'IQR':>23}  {'median time':>11}",
    ]
    for role, arm in (("baseline", c.baseline), ("candidate", c.candidate)):
        low, high = iqr(arm.energies)
        spread = " - ".join(format_joules(v, estimated=estimated) for v in (low, high))
        lines.append(
            f"{arm.label:<{width}}  {len(arm.runs):>4}  "
            f"{format_joules(median(arm.energies), estimated=estimated):>14}  "
            f"{spread:>23}  "
            f"{format_seconds(median(arm.durations)):>11}   ({role})"
        )
    lines.append("")
    lines.append(f"energy ratio (candidate/baseline): {_ratio_text(c.energy)}")
    lines.append(f"time ratio (candidate/baseline):   {_ratio_text(c.time)}")
    if c.dynamic is not None and c.idle_power_w is not None:
        lines.append(
            f"dynamic energy ratio (total - idle {ESTIMATE_MARK if estimated else ''}"
            f"{c.idle_power_w:.1f} W x time): {_ratio_text(c.dynamic)}"
        )
    lines.append(f"method: {c.method}" + (" (figures marked ~ are estimates)" if estimated else ""))
    if c.warnings:
        lines.append("")
        lines.extend(f"warning: {w}" for w in c.warnings)
    return "\n".join(lines)


def comparison_to_dict(comparison: Comparison) -> dict[str, object]:
    c = comparison

    def estimate(e: RatioEstimate | None) -> dict[str, float | int] | None:
        if e is None:
            return None
        return {
            "ratio": e.ratio,
            "low": e.low,
            "high": e.high,
            "confidence": e.confidence,
            "n_baseline": e.n_baseline,
            "n_candidate": e.n_candidate,
        }

    return {
        "baseline": {
            "label": c.baseline.label,
            "runs": len(c.baseline.runs),
            "median_energy_j": median(c.baseline.energies),
            "median_time_s": median(c.baseline.durations),
        },
        "candidate": {
            "label": c.candidate.label,
            "runs": len(c.candidate.runs),
            "median_energy_j": median(c.candidate.energies),
            "median_time_s": median(c.candidate.durations),
        },
        "energy_ratio": estimate(c.energy),
        "time_ratio": estimate(c.time),
        "dynamic_energy_ratio": estimate(c.dynamic),
        "idle_power_w": c.idle_power_w,
        "method": c.method,
        "warnings": list(c.warnings),
    }


def plot_comparison(comparison: Comparison, path: Path) -> None:
    """Draw both arms' runs and the energy ratio's CI to ``path`` (needs matplotlib)."""
    try:
        import matplotlib

        matplotlib.use("Agg")
        import matplotlib.pyplot as plt
    except ImportError as error:
        raise UsageError("--plot needs matplotlib: pip install 'greentactics[plot]'") from error
    c = comparison
    estimated = c.method != "measured"
    figure, (left, right) = plt.subplots(1, 2, figsize=(9, 4), width_ratios=[2, 1])
    arms = [c.baseline, c.candidate]
    left.boxplot([arm.energies for arm in arms], tick_labels=[arm.label for arm in arms])
    for index, arm in enumerate(arms, start=1):
        left.scatter([index] * len(arm.energies), arm.energies, s=12, alpha=0.6, zorder=3)
    left.set_ylabel("energy per run (J)" + (", estimated" if estimated else ""))
    left.set_title(f"{len(c.baseline.runs)} vs {len(c.candidate.runs)} runs")
    rows = [("energy", c.energy), ("time", c.time)]
    if c.dynamic is not None:
        rows.append(("dynamic energy", c.dynamic))
    for y, (name, e) in enumerate(rows):
        right.errorbar(e.ratio, y, xerr=[[e.ratio - e.low], [e.high - e.ratio]], fmt="o", capsize=4)
        right.annotate(name, (e.ratio, y), textcoords="offset points", xytext=(0, 8), ha="center")
    right.axvline(1.0, color="grey", linestyle="--", linewidth=1)
    right.set_yticks([])
    right.set_ylim(-0.7, len(rows) - 0.3)
    right.set_xlabel(f"candidate / baseline ({int(c.energy.confidence * 100)}% CI)")
    if estimated:
        figure.suptitle(f"energy {c.method}: not all from hardware counters", fontsize=9)
    figure.tight_layout()
    path.parent.mkdir(parents=True, exist_ok=True)
    figure.savefig(path, dpi=120)
    plt.close(figure)
