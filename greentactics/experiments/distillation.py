"""Consider knowledge distillation: serve a small student trained to imitate a large teacher.

``prepare`` trains a large MLP (two layers of 1,024 units, the teacher) and then a small MLP
(one layer of 256 units, the student) on the teacher's softened outputs (temperature 4) mixed
with the true labels. Training happens once and is not measured; the arms measure what is
paid on every request: baseline serves queries with the teacher, candidate with the student.
"""

# mypy: disable-error-code="no-untyped-call"

from __future__ import annotations

from dataclasses import dataclass

import torch
from torch import nn

from greentactics.experiments.datasets import digits_split
from greentactics.experiments.experiment import Arm, Experiment, Setup
from greentactics.experiments.networks import (
    TensorSplit,
    mlp,
    served_accuracy,
    shifted_queries,
    to_tensors,
    train,
)

TEMPERATURE = 4.0
SOFT_WEIGHT = 0.7


@dataclass(frozen=True)
class Workload:
    """Teacher and student, and the queries both serve."""

    teacher: nn.Module
    student: nn.Module
    queries: torch.Tensor
    truth: torch.Tensor
    passes: int


def distil(teacher: nn.Module, student: nn.Module, data: TensorSplit, *, epochs: int) -> None:
    """Train ``student`` on a mix of the teacher's softened outputs and the true labels."""
    teacher.eval()
    with torch.inference_mode():  # the teacher's soft targets, computed once for every row
        soft_targets = nn.functional.softmax(teacher(data.x_train) / TEMPERATURE, dim=1)
    optimizer = torch.optim.Adam(student.parameters(), lr=1e-3)
    for epoch in range(epochs):
        order = torch.randperm(len(data.x_train), generator=torch.Generator().manual_seed(epoch))
        for start in range(0, len(order), 128):
            batch = order[start : start + 128].to(data.x_train.device)
            logits = student(data.x_train[batch])
            soft_loss = nn.functional.kl_div(
                nn.functional.log_softmax(logits / TEMPERATURE, dim=1),
                soft_targets[batch],
                reduction="batchmean",
            ) * (TEMPERATURE**2)
            hard_loss = nn.functional.cross_entropy(logits, data.y_train[batch])
            loss = SOFT_WEIGHT * soft_loss + (1 - SOFT_WEIGHT) * hard_loss
            optimizer.zero_grad()
            loss.backward()
            optimizer.step()


def prepare(setup: Setup) -> Workload:
    """Train the teacher, distil the student; queries are test images and shifted copies."""
    torch.manual_seed(setup.seed)
    split = digits_split(augment=not setup.quick, train_limit=300 if setup.quick else None)
    data = to_tensors(split, setup.device)
    epochs = 2 if setup.quick else 6
    teacher = train(mlp([1024, 1024]).to(setup.device), data.x_train, data.y_train, epochs=epochs)
    student = mlp([256]).to(setup.device)
    distil(teacher, student, data, epochs=epochs * 4)
    queries, truth = shifted_queries(data)
    return Workload(teacher, student, queries, truth, passes=1 if setup.quick else 6)


def _serve(model: nn.Module, work: Workload) -> float:
    return served_accuracy(model, work.queries, work.truth, passes=work.passes)


def serve_teacher(work: Workload) -> float:
    """Answer every query with the large teacher; return accuracy."""
    return _serve(work.teacher, work)


def serve_student(work: Workload) -> float:
    """Answer every query with the distilled student; return accuracy."""
    return _serve(work.student, work)


EXPERIMENT = Experiment(
    name="distillation",
    tactic="consider-knowledge-distillation",
    title="Serve a distilled 256-unit student instead of its 1024x1024 teacher",
    quality_metric="accuracy",
    prepare=prepare,
    baseline=Arm("teacher (1024-1024)", serve_teacher),
    candidate=Arm("distilled student (256)", serve_student),
    devices=("cpu", "cuda"),
)
