"""Minimize referencing to data: load the training file once, not once per epoch.

A training loop that re-reads its data from disk every epoch pays for parsing again and again.
The data set is written to a CSV file in ``prepare``. Baseline: each of 6 epochs of
mini-batch SGD re-reads and parses the file. Candidate: the file is read once before the loop
and the arrays are reused. The model and its updates are identical.
"""

from __future__ import annotations

import tempfile
from dataclasses import dataclass
from pathlib import Path

import numpy as np
from sklearn.linear_model import SGDClassifier

from greentactics.experiments.datasets import FloatArray, IntArray, digits_split
from greentactics.experiments.experiment import Arm, Experiment, Setup

EPOCHS = 6


@dataclass(frozen=True)
class Workload:
    """The CSV file with the training data, the test set and the epoch count."""

    folder: tempfile.TemporaryDirectory[str]  # removed with the workload
    csv_path: Path
    x_test: FloatArray
    y_test: IntArray
    epochs: int


def prepare(setup: Setup) -> Workload:
    """Write the (shifted) digits training set to a CSV file: 64 features then the label."""
    data = digits_split(augment=not setup.quick, train_limit=300 if setup.quick else None)
    folder = tempfile.TemporaryDirectory(prefix="greentactics-data-")
    path = Path(folder.name) / "digits-train.csv"
    np.savetxt(path, np.column_stack([data.x_train, data.y_train]), delimiter=",", fmt="%.4f")
    return Workload(folder, path, data.x_test, data.y_test, epochs=2 if setup.quick else EPOCHS)


def _read_csv(path: Path) -> tuple[FloatArray, IntArray]:
    table = np.loadtxt(path, delimiter=",")
    return table[:, :-1], table[:, -1].astype(np.int64)


def _sgd_epoch(model: SGDClassifier, x: FloatArray, y: IntArray, epoch: int) -> None:
    order = np.random.default_rng(epoch).permutation(len(x))
    for start in range(0, len(x), 512):
        rows = order[start : start + 512]
        model.partial_fit(x[rows], y[rows], classes=np.arange(10))


def reload_every_epoch(work: Workload) -> float:
    """Read the file at the start of every epoch; return test accuracy."""
    model = SGDClassifier(random_state=0)
    for epoch in range(work.epochs):
        x, y = _read_csv(work.csv_path)
        _sgd_epoch(model, x, y, epoch)
    return float(model.score(work.x_test, work.y_test))


def load_once(work: Workload) -> float:
    """Read the file once and reuse the arrays in every epoch; return test accuracy."""
    model = SGDClassifier(random_state=0)
    x, y = _read_csv(work.csv_path)
    for epoch in range(work.epochs):
        _sgd_epoch(model, x, y, epoch)
    return float(model.score(work.x_test, work.y_test))


EXPERIMENT = Experiment(
    name="data_reloading",
    tactic="minimize-referencing-to-data",
    title="Load the training CSV once instead of re-reading it every epoch",
    quality_metric="accuracy",
    prepare=prepare,
    baseline=Arm("re-read every epoch", reload_every_epoch),
    candidate=Arm("load once", load_once),
)
