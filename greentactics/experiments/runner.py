"""Run experiments properly: warm up, then interleave the arms (A B A B ...), measuring each run.

Every measured run goes to the energy store like any other measurement; the medians, the
bootstrap CI of the energy ratio and the quality difference become an :class:`ExperimentResult`.
"""

from __future__ import annotations

import importlib.util
import math
import platform
import time
from collections.abc import Callable, Iterator, Sequence
from contextlib import ExitStack, contextmanager
from dataclasses import dataclass
from datetime import datetime, timezone
from importlib import metadata
from pathlib import Path
from typing import Any, Literal

from greentactics import __version__
from greentactics.energy import Measurement, measure_energy, measure_idle, ratio_ci, warm_up
from greentactics.energy.statistics import median
from greentactics.errors import GreentacticsError
from greentactics.experiments.experiment import Arm, Device, Experiment, Setup
from greentactics.experiments.registry import Unavailable
from greentactics.experiments.results import (
    ArmResult,
    ComponentMethod,
    ExperimentResult,
    ExperimentResults,
    Machine,
    MeasurementInfo,
    Method,
    SkippedExperiment,
    Versions,
)

PROJECT = "greentactics-experiments"
Progress = Callable[[str], None]


class ExperimentError(GreentacticsError):
    """An experiment could not be measured (e.g. the energy tracker failed on every run)."""

    exit_code = 1


@dataclass(frozen=True)
class RunOptions:
    """How to run: repetitions per arm, toy size or full, device, store, idle baseline, seed.

    An arm shorter than ``min_window_s`` is repeated within each measured window until the
    window lasts that long, and the window's energy and time are divided by the calls: CodeCarbon
    samples power about once a second, so a window of a few milliseconds reads as noise.
    """

    repeats: int = 5
    quick: bool = False
    device: Device = "cpu"
    store: str | Path | Literal[False] | None = None
    idle_seconds: float = 0.0
    seed: int = 0
    threads: int | None = 1
    min_window_s: float = 2.0


MAX_CALLS_PER_WINDOW = 10_000


@dataclass(frozen=True)
class ArmRun:
    """One measured window of one arm: ``calls`` runs of it; figures are per call."""

    quality: float
    time_s: float
    measurement: Measurement
    calls: int

    @property
    def energy_j(self) -> float | None:
        """Energy per call, or None when the tracker failed."""
        total = self.measurement.total_energy_j
        return None if total is None else total / self.calls


def run_experiments(
    experiments: Sequence[Experiment[Any]],
    options: RunOptions,
    *,
    unavailable: Sequence[Unavailable] = (),
    progress: Progress = lambda _: None,
) -> ExperimentResults:
    """Run each experiment on ``options.device`` and collect a results file's contents."""
    with _thread_limit(options.threads):
        return _run_all(experiments, options, unavailable, progress)


def _run_all(
    experiments: Sequence[Experiment[Any]],
    options: RunOptions,
    unavailable: Sequence[Unavailable],
    progress: Progress,
) -> ExperimentResults:
    warm_up()  # CodeCarbon's one-off hardware detection, outside every measured window
    idle_power_w = _idle_power(options, progress)
    skipped = [SkippedExperiment(name=u.name, reason=u.reason) for u in unavailable]
    results: list[ExperimentResult] = []
    measurements: list[Measurement] = []
    runnable = [e for e in experiments if options.device in e.devices]
    for experiment in experiments:
        if experiment not in runnable:
            reason = f"runs on {', '.join(experiment.devices)} only"
            skipped.append(SkippedExperiment(name=experiment.name, reason=reason))
            progress(f"{experiment.name}: skipped ({reason})")
    for number, experiment in enumerate(runnable, start=1):
        progress(f"[{number}/{len(runnable)}] {experiment.name} ({experiment.tactic})")
        result, runs = run_experiment(experiment, options, idle_power_w, progress)
        results.append(result)
        measurements.extend(runs)
    return ExperimentResults(
        created=datetime.now(timezone.utc),
        machine=_machine(measurements),
        measurement=_measurement_info(measurements),
        versions=_versions(),
        quick=options.quick,
        repeats=options.repeats,
        device=options.device,
        idle_power_w=idle_power_w,
        threads=options.threads,
        experiments=results,
        skipped=skipped,
    )


def run_experiment(
    experiment: Experiment[Any],
    options: RunOptions,
    idle_power_w: float | None = None,
    progress: Progress = lambda _: None,
) -> tuple[ExperimentResult, list[Measurement]]:
    """Prepare, warm up both arms, then measure them interleaved ``options.repeats`` times."""
    setup = Setup(quick=options.quick, device=options.device, seed=options.seed)
    progress("  preparing the workload")
    workload = experiment.prepare(setup)
    progress("  warm-up (not measured)")
    calls = {
        role: _calls_per_window(arm, workload, options)
        for role, arm in (("baseline", experiment.baseline), ("candidate", experiment.candidate))
    }
    if max(calls.values()) > 1:
        progress(
            f"  calls per measured window: {calls['baseline']} baseline, "
            f"{calls['candidate']} candidate (short arms are repeated)"
        )
    baseline_runs: list[ArmRun] = []
    candidate_runs: list[ArmRun] = []
    for repeat in range(1, options.repeats + 1):
        line = f"  run {repeat}/{options.repeats}"
        for role, arm, runs in (
            ("baseline", experiment.baseline, baseline_runs),
            ("candidate", experiment.candidate, candidate_runs),
        ):
            run = _measure_arm(experiment, arm, role, workload, options, repeat, calls[role])
            runs.append(run)
            energy = run.energy_j
            shown = "n/a" if energy is None else f"{energy:.3g} J"
            line += f"  {role} {run.time_s:.2f} s {shown} {run.quality:.4f}"
        progress(line)
    result = _summarise(experiment, baseline_runs, candidate_runs, idle_power_w)
    progress(f"  -> {result.verdict}")
    return result, [r.measurement for r in baseline_runs + candidate_runs]


def _calls_per_window(arm: Arm[Any], workload: Any, options: RunOptions) -> int:
    """Run the arm once (the warm-up) and return how many calls fill a measured window."""
    begin = time.perf_counter()
    arm.run(workload)
    _synchronize(options.device)
    elapsed = time.perf_counter() - begin
    if elapsed >= options.min_window_s:
        return 1
    return min(MAX_CALLS_PER_WINDOW, math.ceil(options.min_window_s / max(elapsed, 1e-6)))


def _measure_arm(
    experiment: Experiment[Any],
    arm: Arm[Any],
    role: str,
    workload: Any,
    options: RunOptions,
    repeat: int,
    calls: int,
) -> ArmRun:
    tags = {
        "experiment": experiment.name,
        "arm": role,
        "arm_label": arm.label,
        "repeat": str(repeat),
        "quick": str(options.quick).lower(),
        "device": options.device,
        "calls": str(calls),
    }
    with measure_energy(
        label=f"{experiment.name}: {arm.label}",
        tactic=experiment.tactic,
        project=PROJECT,
        tags=tags,
        store=options.store,
    ) as meter:
        begin = time.perf_counter()
        for _ in range(calls):
            quality = arm.run(workload)
        _synchronize(options.device)
        elapsed = time.perf_counter() - begin
    assert meter.measurement is not None
    return ArmRun(float(quality), elapsed / calls, meter.measurement, calls)


def _summarise(
    experiment: Experiment[Any],
    baseline_runs: list[ArmRun],
    candidate_runs: list[ArmRun],
    idle_power_w: float | None,
) -> ExperimentResult:
    baseline = _arm_result(experiment, experiment.baseline, baseline_runs, idle_power_w)
    candidate = _arm_result(experiment, experiment.candidate, candidate_runs, idle_power_w)
    estimate = ratio_ci(baseline.energy_runs_j, candidate.energy_runs_j)
    time_ratio = candidate.time_s / baseline.time_s if baseline.time_s > 0 else float("nan")
    quality_delta = candidate.quality - baseline.quality
    return ExperimentResult(
        name=experiment.name,
        tactic=experiment.tactic,
        title=experiment.title,
        module=experiment.module,
        baseline=baseline,
        candidate=candidate,
        quality_metric=experiment.quality_metric,
        energy_ratio=estimate.ratio,
        ratio_ci95=(estimate.low, estimate.high),
        time_ratio=time_ratio,
        quality_delta=quality_delta,
        method=_method([r.measurement for r in baseline_runs + candidate_runs]),
        verdict=verdict(
            estimate.ratio,
            (estimate.low, estimate.high),
            quality_delta,
            experiment.quality_metric,
        ),
    )


def _arm_result(
    experiment: Experiment[Any], arm: Arm[Any], runs: list[ArmRun], idle_power_w: float | None
) -> ArmResult:
    measured = [r for r in runs if r.energy_j is not None]
    if not measured:
        raise ExperimentError(
            f"{experiment.name}: the energy tracker failed on every run of {arm.label!r} "
            f"({runs[0].measurement.error or 'no reason given'})"
        )
    energies = [float(r.energy_j or 0.0) for r in measured]
    dynamic = None
    if idle_power_w is not None:
        dynamic = median(
            [
                float(r.energy_j or 0.0) - idle_power_w * r.measurement.duration_s / r.calls
                for r in measured
            ]
        )
    return ArmResult(
        label=arm.label,
        energy_j=median(energies),
        time_s=median([r.time_s for r in runs]),
        quality=median([r.quality for r in runs]),
        runs=len(measured),
        energy_runs_j=energies,
        time_runs_s=[r.time_s for r in runs],
        dynamic_energy_j=dynamic,
        calls_per_run=runs[0].calls,
    )


def verdict(ratio: float, ci: tuple[float, float], quality_delta: float, metric: str) -> str:
    """One sentence a reader can act on: saves / costs / no clear difference, and quality."""
    low, high = ci
    figures = f"ratio {ratio:.3g}, 95% CI {low:.3g} to {high:.3g}"
    if high < 1.0:
        saved = "more than 99%" if ratio < 0.01 else f"{1 - ratio:.0%}"
        energy = f"saves {saved} energy ({figures})"
    elif low > 1.0:
        energy = f"uses {ratio - 1:.0%} more energy ({figures})"
    else:
        energy = f"no clear energy difference ({figures})"
    return f"{energy}; {metric} {quality_delta:+.4f}"


def _method(measurements: Sequence[Measurement]) -> Method:
    summaries = {m.method_summary for m in measurements if m.method_summary != "failed"}
    if summaries == {"measured"}:
        return "measured"
    if summaries == {"estimated"}:
        return "estimated"
    return "mixed"


def _idle_power(options: RunOptions, progress: Progress) -> float | None:
    if options.idle_seconds <= 0:
        return None
    progress(f"measuring the idle baseline ({options.idle_seconds:g} s)")
    idle = measure_idle(options.idle_seconds, project=PROJECT, store=options.store)
    return idle.average_power_w


@contextmanager
def _thread_limit(threads: int | None) -> Iterator[None]:
    # On a shared machine, multi-threaded BLAS and PyTorch kernels swing wildly in speed when
    # other processes take a core; one thread per arm keeps repeated runs comparable.
    if threads is None:
        yield
        return
    with ExitStack() as stack:
        try:
            from threadpoolctl import threadpool_limits  # type: ignore[import-untyped]
        except ModuleNotFoundError:
            pass
        else:
            stack.enter_context(threadpool_limits(limits=threads))
        if importlib.util.find_spec("torch") is not None:
            import torch

            previous = torch.get_num_threads()
            torch.set_num_threads(threads)
            stack.callback(torch.set_num_threads, previous)
        yield


def _synchronize(device: Device) -> None:
    # CUDA kernels run asynchronously: wait for them before the measured window closes.
    if device == "cuda":
        import torch

        torch.cuda.synchronize()


def _component_method(measurements: Sequence[Measurement], name: str) -> ComponentMethod:
    for measurement in measurements:
        component = measurement.components.get(name)
        if component is not None and measurement.total_energy_j is not None:
            return component.method if component.present else "none"
    return "none"


def _measurement_info(measurements: Sequence[Measurement]) -> MeasurementInfo:
    cpu = _component_method(measurements, "cpu")
    gpu = _component_method(measurements, "gpu")
    ram = _component_method(measurements, "ram")
    sources = []
    for name in ("cpu", "gpu", "ram"):
        for measurement in measurements:
            component = measurement.components.get(name)
            if component is not None and component.present:
                sources.append(f"{name.upper()} {component.method} ({component.source})")
                break
    note = "CodeCarbon " + "; ".join(sources) + "." if sources else "No energy was measured."
    if cpu != "measured":
        note += (
            " No hardware energy counter (RAPL) was readable, so CPU energy is CodeCarbon's"
            " estimate from TDP and load, and RAM is a flat figure: energy ratios here largely"
            " follow the time ratios and are not wall-plug measurements."
        )
    return MeasurementInfo(cpu=cpu, gpu=gpu, ram=ram, note=note)


def _machine(measurements: Sequence[Measurement]) -> Machine:
    hardware = measurements[0].hardware if measurements else None
    cpu = hardware.cpu_model if hardware and hardware.cpu_model else platform.processor()
    if hardware and hardware.cpu_count:
        cpu = f"{cpu} ({hardware.cpu_count} threads)"
    gpus = list(hardware.gpu_models) if hardware else []
    os_name = hardware.os if hardware and hardware.os else platform.platform()
    return Machine(cpu=cpu or "unknown", gpus=gpus, os=os_name)


def _package_version(name: str) -> str | None:
    try:
        return metadata.version(name)
    except metadata.PackageNotFoundError:
        return None


def _versions() -> Versions:
    return Versions(
        greentactics=__version__,
        codecarbon=_package_version("codecarbon"),
        python=platform.python_version(),
        torch=_package_version("torch"),
        sklearn=_package_version("scikit-learn"),
        numpy=_package_version("numpy"),
    )
