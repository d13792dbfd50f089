"""Reproducible tactic experiments: one readable module per experiment, measured in arms.

Each module defines ``EXPERIMENT``, an :class:`Experiment` with a ``prepare`` step and two
arms (baseline and tactic) on the same task; :mod:`greentactics.experiments.runner` runs them
interleaved under the energy meter and :mod:`greentactics.experiments.results` holds the
results file the docs site reads. The names below load on first use, so the command-line entry
point does not import them.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from greentactics.lazy_exports import lazy_exports

if TYPE_CHECKING:
    from greentactics.experiments.experiment import Arm, Experiment, Setup

__all__ = ["Arm", "Experiment", "Setup"]

_LAZY = {
    "Arm": "greentactics.experiments.experiment",
    "Experiment": "greentactics.experiments.experiment",
    "Setup": "greentactics.experiments.experiment",
}


__getattr__, __dir__ = lazy_exports(__name__, _LAZY, __all__)
