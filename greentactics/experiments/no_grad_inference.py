"""Design for memory constraints: run inference without autograd.

By default PyTorch records every operation on tensors that require gradients, keeping
activations alive for a backward pass that inference never makes. Baseline: a trained MLP
serves predictions in small batches with autograd on (the common omission). Candidate: the
same loop inside ``torch.inference_mode()``, which records nothing and frees activations at once.
"""

from __future__ import annotations

from dataclasses import dataclass

import torch

from greentactics.experiments.datasets import digits_split
from greentactics.experiments.experiment import Arm, Experiment, Setup
from greentactics.experiments.networks import (
    mlp,
    predict_in_batches,
    shifted_queries,
    to_tensors,
    train,
)


@dataclass(frozen=True)
class Workload:
    """A trained model, the queries it serves, their true labels, and how often to serve them."""

    model: torch.nn.Module
    queries: torch.Tensor
    truth: torch.Tensor
    passes: int


def prepare(setup: Setup) -> Workload:
    """Train an MLP on shifted digits; queries are the test images and their shifted copies."""
    torch.manual_seed(setup.seed)
    split = digits_split(augment=True, train_limit=300 if setup.quick else 6000, seed=setup.seed)
    data = to_tensors(split, setup.device)
    model = train(mlp([512, 512]).to(setup.device), data.x_train, data.y_train, epochs=8)
    queries, truth = shifted_queries(data)
    return Workload(model, queries, truth, passes=1 if setup.quick else 40)


def predict_with_autograd(work: Workload) -> float:
    """Serve the queries with autograd recording (the default); return accuracy."""
    predicted = predict_in_batches(work.model, work.queries, passes=work.passes)
    return float((predicted == work.truth).float().mean())


def predict_in_inference_mode(work: Workload) -> float:
    """Serve the same queries inside ``torch.inference_mode()``; return accuracy."""
    with torch.inference_mode():
        predicted = predict_in_batches(work.model, work.queries, passes=work.passes)
    return float((predicted == work.truth).float().mean())


EXPERIMENT = Experiment(
    name="no_grad_inference",
    tactic="design-for-memory-constraints",
    title="Serve an MLP's predictions in torch.inference_mode() instead of with autograd on",
    quality_metric="accuracy",
    prepare=prepare,
    baseline=Arm("autograd on", predict_with_autograd),
    candidate=Arm("inference_mode", predict_in_inference_mode),
    devices=("cpu", "cuda"),
)
