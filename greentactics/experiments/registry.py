"""Every experiment, by name: one module each, imported only when asked for.

Experiments that need an optional package (scikit-learn, NumPy, PyTorch) that is not installed
are reported as unavailable, with the extra to install, instead of failing the whole run.
"""

from __future__ import annotations

import importlib
from dataclasses import dataclass
from typing import Any

from greentactics.errors import UsageError
from greentactics.experiments.experiment import Experiment

# Module names under greentactics.experiments; each defines ``EXPERIMENT``. Catalog order.
EXPERIMENT_NAMES = (
    "sampling",
    "successive_halving",
    "deduplication",
    "feature_selection",
    "float32_inputs",
    "pca_projection",
    "lightweight_algorithm",
    "model_complexity",
    "vectorised_builtins",
    "sparsity",
    "pruning",
    "transfer_learning",
    "distillation",
    "quantization_aware_training",
    "checkpoint_resume",
    "no_grad_inference",
    "mixed_precision",
    "early_stopping",
    "data_reloading",
    "retrain_if_needed",
)

# The optional packages experiments import, and the extra that installs each.
_EXTRAS = {"torch": "torch", "sklearn": "ml", "numpy": "ml", "scipy": "ml"}


@dataclass(frozen=True)
class Unavailable:
    """An experiment that cannot run in this environment, and what to install."""

    name: str
    reason: str


def load_experiment(name: str) -> Experiment[Any]:
    """Import and return one experiment; ``UsageError`` for an unknown name or missing extra."""
    if name not in EXPERIMENT_NAMES:
        known = ", ".join(EXPERIMENT_NAMES)
        raise UsageError(f"unknown experiment {name!r}; known experiments: {known}")
    try:
        module = importlib.import_module(f"greentactics.experiments.{name}")
    except ModuleNotFoundError as error:
        missing = (error.name or "").split(".")[0]
        if missing not in _EXTRAS:
            raise
        raise UsageError(
            f"experiment {name!r} needs {missing}, which is not installed "
            f"(pip install 'greentactics[{_EXTRAS[missing]}]')"
        ) from error
    experiment: Experiment[Any] = module.EXPERIMENT
    return experiment


def load_experiments(
    names: tuple[str, ...] = EXPERIMENT_NAMES,
) -> tuple[list[Experiment[Any]], list[Unavailable]]:
    """Load the named experiments; those whose optional packages are missing come back apart."""
    loaded: list[Experiment[Any]] = []
    unavailable: list[Unavailable] = []
    for name in names:
        if name not in EXPERIMENT_NAMES:
            load_experiment(name)  # raises the UsageError naming the known experiments
        try:
            loaded.append(load_experiment(name))
        except UsageError as error:
            unavailable.append(Unavailable(name, str(error)))
    return loaded, unavailable
