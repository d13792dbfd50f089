"""Use mixed-precision training: run the forward pass in 16-bit floats where it is safe.

Baseline: a small convolutional network trained in float32. Candidate: the same training
under ``torch.autocast``: bfloat16 on the CPU, float16 with a gradient scaler on a GPU.
Tensor-core GPUs gain the most; a CPU without native bfloat16 units may gain nothing or lose,
which this experiment reports as it finds it.
"""

# mypy: disable-error-code="no-untyped-call"

from __future__ import annotations

from dataclasses import dataclass

import torch
from torch import nn

from greentactics.experiments.datasets import digits_split
from greentactics.experiments.experiment import Arm, Experiment, Setup
from greentactics.experiments.networks import TensorSplit, accuracy, to_tensors


@dataclass(frozen=True)
class Workload:
    """Images shaped (N, 1, 8, 8), the epoch budget and the seed."""

    data: TensorSplit
    epochs: int
    seed: int


def small_cnn() -> nn.Sequential:
    """Two 3x3 convolutions and a linear classifier, sized for 8x8 digits."""
    return nn.Sequential(
        nn.Conv2d(1, 32, 3, padding=1),
        nn.ReLU(),
        nn.Conv2d(32, 64, 3, padding=1),
        nn.ReLU(),
        nn.MaxPool2d(2),
        nn.Flatten(),
        nn.Linear(64 * 4 * 4, 10),
    )


def prepare(setup: Setup) -> Workload:
    """Shifted digits as 1x8x8 images (the full run) or 300 plain ones (``--quick``)."""
    split = digits_split(augment=not setup.quick, train_limit=300 if setup.quick else 6000)
    data = to_tensors(split, setup.device)
    images = TensorSplit(
        x_train=data.x_train.reshape(-1, 1, 8, 8),
        y_train=data.y_train,
        x_test=data.x_test.reshape(-1, 1, 8, 8),
        y_test=data.y_test,
    )
    return Workload(images, epochs=1 if setup.quick else 2, seed=setup.seed)


def _train(work: Workload, *, mixed: bool) -> float:
    torch.manual_seed(work.seed)
    device = work.data.x_train.device.type
    model = small_cnn().to(work.data.x_train.device)
    optimizer = torch.optim.Adam(model.parameters(), lr=1e-3)
    low_precision = torch.float16 if device == "cuda" else torch.bfloat16
    scaler = torch.amp.GradScaler(device, enabled=mixed and device == "cuda")
    x, y = work.data.x_train, work.data.y_train
    for epoch in range(work.epochs):
        order = torch.randperm(len(x), generator=torch.Generator().manual_seed(epoch))
        for start in range(0, len(x), 128):
            batch = order[start : start + 128].to(x.device)
            optimizer.zero_grad()
            with torch.autocast(device, dtype=low_precision, enabled=mixed):
                loss = nn.functional.cross_entropy(model(x[batch]), y[batch])
            scaler.scale(loss).backward()
            scaler.step(optimizer)
            scaler.update()
    return accuracy(model, work.data.x_test, work.data.y_test)


def train_float32(work: Workload) -> float:
    """Train in full float32; return test accuracy."""
    return _train(work, mixed=False)


def train_mixed_precision(work: Workload) -> float:
    """Train under autocast (bfloat16 on CPU, float16 on GPU); return test accuracy."""
    return _train(work, mixed=True)


EXPERIMENT = Experiment(
    name="mixed_precision",
    tactic="use-mixed-precision-training",
    title="Train a small CNN under autocast (bfloat16 on CPU, float16 on GPU) instead of float32",
    quality_metric="accuracy",
    prepare=prepare,
    baseline=Arm("float32", train_float32),
    candidate=Arm("mixed precision (autocast)", train_mixed_precision),
    devices=("cpu", "cuda"),
)
