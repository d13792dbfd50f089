"""The greentactics lint rules, one module per family, and the registry the engine reads.

``ALL_RULES`` is the stable default rule set (ordered by code); ``rule_by_code_or_name``
accepts either form (``"GT403"`` or ``"grad-enabled-inference"``, case-insensitive).
"""

from __future__ import annotations

from greentactics.lint.rule import Rule
from greentactics.lint.rules.data_centric import ExhaustiveGridSearch, Float64ModelInputs
from greentactics.lint.rules.data_loading import DataReloadedInLoop, SynchronousDataLoading
from greentactics.lint.rules.memory import GradEnabledInference, LossAccumulatedWithGraph
from greentactics.lint.rules.pretrained import DistillableModel, TrainingFromScratch
from greentactics.lint.rules.training import (
    CheckpointsWithoutResume,
    FixedEpochsWithoutEarlyStopping,
    FullPrecisionGpuTraining,
    TrainingWithoutCheckpoints,
    UnmonitoredTraining,
)
from greentactics.lint.rules.vectorisation import ElementwisePythonLoop, RowWiseDataframeIteration

ALL_RULES: tuple[type[Rule], ...] = tuple(
    sorted(
        (
            TrainingWithoutCheckpoints,
            CheckpointsWithoutResume,
            GradEnabledInference,
            LossAccumulatedWithGraph,
            FullPrecisionGpuTraining,
            FixedEpochsWithoutEarlyStopping,
            UnmonitoredTraining,
            ExhaustiveGridSearch,
            Float64ModelInputs,
            ElementwisePythonLoop,
            RowWiseDataframeIteration,
            TrainingFromScratch,
            DistillableModel,
            DataReloadedInLoop,
            SynchronousDataLoading,
        ),
        key=lambda rule: rule.code,
    )
)


def rule_by_code_or_name(code_or_name: str) -> type[Rule]:
    """The rule with this code (``GT403``) or name (``grad-enabled-inference``).

    Raises KeyError when there is none.
    """
    wanted = code_or_name.strip().lower()
    for rule in ALL_RULES:
        if wanted in (rule.code.lower(), rule.name):
            return rule
    raise KeyError(f"no rule with code or name {code_or_name!r}")


__all__ = ["ALL_RULES", "rule_by_code_or_name"]
