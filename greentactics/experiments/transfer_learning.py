"""Consider transfer learning: reuse a network trained on a related task instead of starting cold.

The new task is to recognise the digits 5-9. ``prepare`` stands in for a published
pre-trained model: it trains an MLP on the digits 0-4 (not measured). Baseline: train the
network for the new task from random weights (15 epochs). Candidate: start from the
pre-trained hidden layers with a new output layer and fine-tune everything for 4 epochs; the
features that tell strokes apart carry over, so far fewer epochs reach a similar accuracy.
"""

from __future__ import annotations

import copy
from dataclasses import dataclass

import torch
from torch import nn

from greentactics.experiments.datasets import Split, digits_split
from greentactics.experiments.experiment import Arm, Experiment, Setup
from greentactics.experiments.networks import TensorSplit, accuracy, mlp, to_tensors, train

SCRATCH_EPOCHS = 15
FINE_TUNE_EPOCHS = 4
HIDDEN = [256, 256]


@dataclass(frozen=True)
class Workload:
    """The new task's data, the pre-trained network, and the epoch budgets."""

    task: TensorSplit
    pretrained: nn.Sequential
    scratch_epochs: int
    fine_tune_epochs: int
    seed: int


def _subset(split: Split, digits: range, device: str) -> TensorSplit:
    train_rows = (split.y_train >= digits.start) & (split.y_train < digits.stop)
    test_rows = (split.y_test >= digits.start) & (split.y_test < digits.stop)
    return to_tensors(
        Split(
            x_train=split.x_train[train_rows],
            y_train=split.y_train[train_rows] - digits.start,
            x_test=split.x_test[test_rows],
            y_test=split.y_test[test_rows] - digits.start,
        ),
        device,
    )


def prepare(setup: Setup) -> Workload:
    """Pre-train on digits 0-4; the task is digits 5-9 (labels renumbered 0-4)."""
    torch.manual_seed(setup.seed)
    split = digits_split(augment=True, train_limit=600 if setup.quick else None)
    source = _subset(split, range(0, 5), setup.device)
    task = _subset(split, range(5, 10), setup.device)
    pretrained = mlp(HIDDEN, classes=5).to(setup.device)
    train(pretrained, source.x_train, source.y_train, epochs=2 if setup.quick else 10)
    if setup.quick:
        return Workload(task, pretrained, 2, 1, setup.seed)
    return Workload(task, pretrained, SCRATCH_EPOCHS, FINE_TUNE_EPOCHS, setup.seed)


def train_from_scratch(work: Workload) -> float:
    """Train a fresh network on the new task; return its test accuracy."""
    torch.manual_seed(work.seed)
    model = mlp(HIDDEN, classes=5).to(work.task.x_train.device)
    train(model, work.task.x_train, work.task.y_train, epochs=work.scratch_epochs)
    return accuracy(model, work.task.x_test, work.task.y_test)


def fine_tune_pretrained(work: Workload) -> float:
    """Start from the pre-trained layers with a new output layer, fine-tune; return accuracy."""
    torch.manual_seed(work.seed)
    model = copy.deepcopy(work.pretrained)
    model[-1] = nn.Linear(HIDDEN[-1], 5).to(work.task.x_train.device)  # a new output layer
    train(model, work.task.x_train, work.task.y_train, epochs=work.fine_tune_epochs)
    return accuracy(model, work.task.x_test, work.task.y_test)


EXPERIMENT = Experiment(
    name="transfer_learning",
    tactic="consider-transfer-learning",
    title="Fine-tune a network pre-trained on digits 0-4 to classify 5-9 instead of training anew",
    quality_metric="accuracy",
    prepare=prepare,
    baseline=Arm("train from scratch (15 epochs)", train_from_scratch),
    candidate=Arm("fine-tune pre-trained (4 epochs)", fine_tune_pretrained),
    devices=("cpu", "cuda"),
)
