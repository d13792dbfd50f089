"""Remove redundant data: drop exact duplicate rows before training.

Data collected by repeated ingestion often holds the same record several times. Here every
training row appears three times (as if the same export were loaded three times).
Baseline: fit an RBF-kernel SVM on the raw rows. Candidate: remove duplicate rows with
``numpy.unique`` first (inside the measured arm), then fit on what is left. Duplicates add
cost but almost no information.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from sklearn.svm import SVC

from greentactics.experiments.datasets import FloatArray, IntArray, digits_split
from greentactics.experiments.experiment import Arm, Experiment, Setup

COPIES = 3


@dataclass(frozen=True)
class Workload:
    """Training rows with every row repeated, and a clean test set."""

    x_train: FloatArray
    y_train: IntArray
    x_test: FloatArray
    y_test: IntArray


def prepare(setup: Setup) -> Workload:
    """Repeat each training row ``COPIES`` times, in shuffled order."""
    data = digits_split(augment=True, train_limit=300 if setup.quick else 4000, seed=setup.seed)
    x = np.concatenate([data.x_train] * COPIES)
    y = np.concatenate([data.y_train] * COPIES)
    order = np.random.default_rng(setup.seed).permutation(len(x))
    return Workload(x[order], y[order], data.x_test, data.y_test)


def train_on_raw_rows(data: Workload) -> float:
    """Fit on every row, duplicates included; return test accuracy."""
    model = SVC().fit(data.x_train, data.y_train)
    return float(model.score(data.x_test, data.y_test))


def train_on_unique_rows(data: Workload) -> float:
    """Drop duplicate (features, label) rows, then fit; return test accuracy."""
    rows = np.column_stack([data.x_train, data.y_train])
    unique_rows = np.unique(rows, axis=0)
    x, y = unique_rows[:, :-1], unique_rows[:, -1].astype(np.int64)
    model = SVC().fit(x, y)
    return float(model.score(data.x_test, data.y_test))


EXPERIMENT = Experiment(
    name="deduplication",
    tactic="remove-redundant-data",
    title="Drop duplicated training rows before fitting an SVM",
    quality_metric="accuracy",
    prepare=prepare,
    baseline=Arm("raw rows (each 3 times)", train_on_raw_rows),
    candidate=Arm("duplicates removed", train_on_unique_rows),
)
