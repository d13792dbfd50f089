"""What an experiment is: one task, prepared once, done two ways (baseline and tactic arms)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Generic, Literal, TypeVar

Workload = TypeVar("Workload")
Device = Literal["cpu", "cuda"]


@dataclass(frozen=True)
class Setup:
    """How big to make the workload, where to run it, and the seed for every random choice."""

    quick: bool = False
    device: Device = "cpu"
    seed: int = 0


@dataclass(frozen=True)
class Arm(Generic[Workload]):
    """One way of doing the task: ``run(workload)`` does the work and returns its quality."""

    label: str
    run: Callable[[Workload], float]


@dataclass(frozen=True)
class Experiment(Generic[Workload]):
    """A tactic shown on a small real task: the same prepared workload, a baseline and a candidate.

    ``prepare`` builds the data (and any pre-trained model the arms start from) and is not
    measured; each arm is measured on its own. ``quality_metric`` names what the arms return
    (``accuracy``, ``f1``, ``loss``...); for ``loss`` lower is better.
    """

    name: str
    tactic: str
    title: str
    quality_metric: str
    prepare: Callable[[Setup], Workload]
    baseline: Arm[Workload]
    candidate: Arm[Workload]
    devices: tuple[Device, ...] = ("cpu",)

    @property
    def module(self) -> str:
        """The repository path of the module that defines this experiment."""
        return "greentactics/experiments/" + self.prepare.__module__.rsplit(".", 1)[-1] + ".py"

    @property
    def higher_is_better(self) -> bool:
        """Whether a larger quality value is better (accuracy, F1) or worse (loss)."""
        return self.quality_metric != "loss"
