"""Reproducible tactic experiments: one readable module per experiment, measured in arms.

Each module defines ``EXPERIMENT``, an :class:`Experiment` with a ``prepare`` step and two
arms (baseline and tactic) on the same task; :mod:`greentactics.experiments.runner` runs them
interleaved under the energy meter and :mod:`greentactics.experiments.results` holds the
results file the docs site reads.
"""

from __future__ import annotations

from greentactics.experiments.experiment import Arm, Experiment, Setup

__all__ = ["Arm", "Experiment", "Setup"]
