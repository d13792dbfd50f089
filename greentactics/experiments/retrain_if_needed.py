"""Retrain the model if needed: retrain when accuracy on new data drops, not on every batch.

Data arrive in 10 batches; later batches drift: the ink fades to half its intensity, as an
ageing scanner would cause. Before each batch is used for training, the current model is
scored on it (prequential evaluation: each batch is new data when it is scored). Baseline:
retrain on everything seen so far after every batch. Candidate: retrain only when the score
on a new batch falls more than 2 points below the score on the first new batch. Quality is
the mean score over the batches.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from sklearn.svm import SVC

from greentactics.experiments.datasets import FloatArray, IntArray, digits_split
from greentactics.experiments.experiment import Arm, Experiment, Setup

BATCHES = 10
TOLERANCE = 0.02
FADED_INK = 0.5


@dataclass(frozen=True)
class Workload:
    """The incoming batches, in arrival order."""

    batches: list[tuple[FloatArray, IntArray]]


def prepare(setup: Setup) -> Workload:
    """Split shifted digits into batches; from the middle on, the ink fades (drift)."""
    data = digits_split(augment=True, train_limit=400 if setup.quick else 6500, seed=setup.seed)
    count = 4 if setup.quick else BATCHES
    parts = np.array_split(np.arange(len(data.x_train)), count)
    batches = [
        (data.x_train[part] * (FADED_INK if index >= count // 2 else 1.0), data.y_train[part])
        for index, part in enumerate(parts)
    ]
    return Workload(batches)


def _fit(batches: list[tuple[FloatArray, IntArray]]) -> SVC:
    x = np.concatenate([batch_x for batch_x, _ in batches])
    y = np.concatenate([batch_y for _, batch_y in batches])
    return SVC(C=10.0).fit(x, y)


def retrain_every_batch(work: Workload) -> float:
    """Score each new batch, then retrain on all data so far; return the mean score."""
    model = _fit(work.batches[:1])
    scores = []
    for index, (x, y) in enumerate(work.batches[1:], start=2):
        scores.append(model.score(x, y))
        model = _fit(work.batches[:index])
    return float(np.mean(scores))


def retrain_when_accuracy_drops(work: Workload) -> float:
    """Score each new batch; retrain on all data so far only if the score has dropped."""
    model = _fit(work.batches[:1])
    expected = None  # the accuracy the first model reached on its first new batch
    scores = []
    for index, (x, y) in enumerate(work.batches[1:], start=2):
        score = model.score(x, y)
        scores.append(score)
        if expected is None:
            expected = score
        elif score < expected - TOLERANCE:
            model = _fit(work.batches[:index])
    return float(np.mean(scores))


EXPERIMENT = Experiment(
    name="retrain_if_needed",
    tactic="retrain-the-model-if-needed",
    title="Retrain an SVM only when accuracy on new data drops, not after every batch",
    quality_metric="accuracy",
    prepare=prepare,
    baseline=Arm("retrain after every batch", retrain_every_batch),
    candidate=Arm("retrain when accuracy drops", retrain_when_accuracy_drops),
)
