"""The results file of an experiment run (the evidence contract): what the docs site reads.

A full run is committed as ``evidence/experiments-<device>.json``. Every figure per arm is the
median over the measured runs; ``energy_ratio`` is candidate / baseline with a 95 % percentile
bootstrap interval of the ratio of medians.
"""

from __future__ import annotations

from datetime import datetime
from pathlib import Path
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError

from greentactics.errors import ConfigError

SCHEMA_VERSION: Literal[1] = 1

Method = Literal["measured", "estimated", "mixed"]
ComponentMethod = Literal["measured", "estimated", "constant", "none"]


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", strict=True, frozen=True)


class Machine(_Strict):
    """The hardware the run was measured on."""

    cpu: str
    gpus: list[str]
    os: str


class MeasurementInfo(_Strict):
    """How each component's energy was obtained (CodeCarbon's mode), with a plain-words note."""

    cpu: ComponentMethod
    gpu: ComponentMethod
    ram: ComponentMethod
    note: str


class Versions(_Strict):
    """Versions of the software that did the work and the measuring (None: not installed)."""

    greentactics: str
    codecarbon: str | None
    python: str
    torch: str | None
    sklearn: str | None
    numpy: str | None = None


class ArmResult(_Strict):
    """One arm's medians over its measured runs, and the per-run figures behind them.

    Figures are per call of the arm: an arm shorter than the runner's minimum window is
    called ``calls_per_run`` times in each measured window, and the window's energy and time
    are divided by that. ``dynamic_energy_j`` is the median of (energy - idle power x
    duration) when the run measured an idle baseline (``ExperimentResults.idle_power_w``).
    """

    label: str
    energy_j: float
    time_s: float
    quality: float
    runs: int
    energy_runs_j: list[float] = Field(default_factory=list)
    time_runs_s: list[float] = Field(default_factory=list)
    dynamic_energy_j: float | None = None
    calls_per_run: int = 1


class ExperimentResult(_Strict):
    """One experiment: both arms, the energy ratio with its CI, and the quality difference."""

    name: str
    tactic: str
    title: str
    module: str
    baseline: ArmResult
    candidate: ArmResult
    quality_metric: str
    energy_ratio: float
    ratio_ci95: tuple[float, float]
    time_ratio: float
    quality_delta: float
    method: Method
    verdict: str


class SkippedExperiment(_Strict):
    """An experiment that could not run here, and why (e.g. torch is not installed)."""

    name: str
    reason: str


class ExperimentResults(_Strict):
    """A whole run: where and how it was measured, and every experiment's result.

    ``idle_power_w`` is the machine's measured idle power (None: not measured); ``threads``
    is the CPU thread limit the arms ran under (None: the libraries' defaults).
    """

    schema_version: Literal[1] = SCHEMA_VERSION
    created: datetime
    machine: Machine
    measurement: MeasurementInfo
    versions: Versions
    quick: bool
    repeats: int
    device: Literal["cpu", "cuda"]
    idle_power_w: float | None = None
    threads: int | None = None
    experiments: list[ExperimentResult]
    skipped: list[SkippedExperiment] = Field(default_factory=list)

    def get(self, name: str) -> ExperimentResult:
        """Return the result of the experiment called ``name`` (KeyError if absent)."""
        for result in self.experiments:
            if result.name == name:
                return result
        raise KeyError(name)


def load_results(path: str | Path) -> ExperimentResults:
    """Read and validate one results file; a bad file raises ``ConfigError`` naming it."""
    path = Path(path)
    try:
        text = path.read_text(encoding="utf-8")
    except OSError as error:
        raise ConfigError(f"cannot read experiment results {path}: {error.strerror}") from error
    try:
        return ExperimentResults.model_validate_json(text)
    except ValidationError as error:
        first = error.errors()[0]
        where = ".".join(str(part) for part in first["loc"])
        raise ConfigError(
            f"{path}: not a valid experiment results file ({where}: {first['msg']})"
        ) from error


def load_all_evidence(root: str | Path) -> list[ExperimentResults]:
    """Load every ``experiments-*.json`` in ``root/evidence`` (or ``root`` itself), by name."""
    root = Path(root)
    folder = root / "evidence" if (root / "evidence").is_dir() else root
    return [load_results(path) for path in sorted(folder.glob("experiments-*.json"))]


def save_results(results: ExperimentResults, path: str | Path) -> Path:
    """Write ``results`` as indented JSON (creating the folder) and return the path."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(results.model_dump_json(indent=2) + "\n", encoding="utf-8")
    return path
