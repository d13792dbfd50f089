"""Small PyTorch building blocks the neural-network experiments share: data, MLPs, training.

Kept deliberately plain (an ``nn.Sequential``, Adam, a shuffled mini-batch loop) so each
experiment module reads as ordinary PyTorch code.
"""

# mypy: disable-error-code="no-untyped-call"

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import TypeVar

import torch
from torch import nn

from greentactics.experiments.datasets import Split, shifted_images

Model = TypeVar("Model", bound=nn.Module)


@dataclass(frozen=True)
class TensorSplit:
    """A train/test split as float32 feature tensors and int64 label tensors on one device."""

    x_train: torch.Tensor
    y_train: torch.Tensor
    x_test: torch.Tensor
    y_test: torch.Tensor


def to_tensors(split: Split, device: str = "cpu") -> TensorSplit:
    """Move a NumPy split onto ``device`` as float32 features and int64 labels."""
    return TensorSplit(
        x_train=torch.tensor(split.x_train, dtype=torch.float32, device=device),
        y_train=torch.tensor(split.y_train, dtype=torch.int64, device=device),
        x_test=torch.tensor(split.x_test, dtype=torch.float32, device=device),
        y_test=torch.tensor(split.y_test, dtype=torch.int64, device=device),
    )


def mlp(hidden: Sequence[int], inputs: int = 64, classes: int = 10) -> nn.Sequential:
    """A ReLU multi-layer perceptron: ``inputs`` -> each hidden width -> ``classes``."""
    layers: list[nn.Module] = []
    width = inputs
    for size in hidden:
        layers += [nn.Linear(width, size), nn.ReLU()]
        width = size
    layers.append(nn.Linear(width, classes))
    return nn.Sequential(*layers)


def train_epoch(
    model: nn.Module,
    optimizer: torch.optim.Optimizer,
    x: torch.Tensor,
    y: torch.Tensor,
    *,
    epoch: int,
    batch_size: int = 128,
) -> None:
    """One pass over ``(x, y)`` in mini-batches, shuffled reproducibly by the epoch number."""
    model.train()
    order = torch.randperm(len(x), generator=torch.Generator().manual_seed(epoch))
    for start in range(0, len(x), batch_size):
        batch = order[start : start + batch_size].to(x.device)
        optimizer.zero_grad()
        loss = nn.functional.cross_entropy(model(x[batch]), y[batch])
        loss.backward()
        optimizer.step()


def train(
    model: Model, x: torch.Tensor, y: torch.Tensor, *, epochs: int, lr: float = 1e-3
) -> Model:
    """Train ``model`` with Adam for ``epochs`` epochs and return it."""
    optimizer = torch.optim.Adam(model.parameters(), lr=lr)
    for epoch in range(epochs):
        train_epoch(model, optimizer, x, y, epoch=epoch)
    return model


def accuracy(model: nn.Module, x: torch.Tensor, y: torch.Tensor) -> float:
    """Share of ``x`` that ``model`` classifies as ``y`` (inference mode, no autograd)."""
    model.eval()
    with torch.inference_mode():
        predicted = model(x).argmax(dim=1)
    return float((predicted == y).float().mean())


def predict_in_batches(
    model: nn.Module, x: torch.Tensor, *, passes: int, batch_size: int = 64
) -> torch.Tensor:
    """Serve ``x`` in small batches ``passes`` times (as a service would); return the labels."""
    model.eval()
    predicted = torch.empty(len(x), dtype=torch.int64, device=x.device)
    for _ in range(passes):
        for start in range(0, len(x), batch_size):
            predicted[start : start + batch_size] = model(x[start : start + batch_size]).argmax(1)
    return predicted


def shifted_queries(data: TensorSplit) -> tuple[torch.Tensor, torch.Tensor]:
    """The test images and their 1-pixel-shifted copies as queries (on the data's device),
    with the labels of each query."""
    queries = torch.tensor(shifted_images(data.x_test.cpu().numpy()), device=data.x_test.device)
    return queries, data.y_test.repeat(len(queries) // len(data.y_test))


def served_accuracy(
    model: nn.Module,
    queries: torch.Tensor,
    truth: torch.Tensor,
    *,
    passes: int,
    batch_size: int = 64,
) -> float:
    """Serve ``queries`` ``passes`` times under ``torch.inference_mode()``; return accuracy."""
    with torch.inference_mode():
        predicted = predict_in_batches(model, queries, passes=passes, batch_size=batch_size)
    return float((predicted == truth).float().mean())
