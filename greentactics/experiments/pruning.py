"""Consider energy-aware pruning: remove whole neurons so the network really gets smaller.

Zeroing single weights saves nothing on ordinary dense hardware: the zeros are still
multiplied. Structured pruning removes whole hidden units, which shrinks every matrix
product. ``prepare`` trains an MLP with two layers of 1,024 units, keeps the 25 % of units in
each layer whose incoming weights have the largest L1 norm, and fine-tunes the pruned network
for four epochs (not measured). The arms serve the same queries with each network.
"""

from __future__ import annotations

from dataclasses import dataclass

import torch
from torch import nn

from greentactics.experiments.datasets import digits_split
from greentactics.experiments.experiment import Arm, Experiment, Setup
from greentactics.experiments.networks import (
    mlp,
    served_accuracy,
    shifted_queries,
    to_tensors,
    train,
)

KEEP_FRACTION = 0.25


@dataclass(frozen=True)
class Workload:
    """The trained dense network, its pruned copy, and the queries both serve."""

    dense: nn.Sequential
    pruned: nn.Sequential
    queries: torch.Tensor
    truth: torch.Tensor
    passes: int


def prune_hidden_units(model: nn.Sequential, keep_fraction: float) -> nn.Sequential:
    """Return a smaller copy of a Linear/ReLU MLP keeping its strongest hidden units."""
    linears = [layer for layer in model if isinstance(layer, nn.Linear)]
    layers: list[nn.Module] = []
    kept_inputs = torch.arange(linears[0].in_features)
    for index, linear in enumerate(linears):
        weight = linear.weight.detach()[:, kept_inputs]
        if index == len(linears) - 1:
            kept = torch.arange(linear.out_features)  # never prune the output classes
        else:
            count = max(1, int(linear.out_features * keep_fraction))
            kept = weight.abs().sum(dim=1).topk(count).indices.sort().values
        smaller = nn.Linear(len(kept_inputs), len(kept)).to(weight.device)
        with torch.no_grad():
            smaller.weight.copy_(weight[kept])
            smaller.bias.copy_(linear.bias.detach()[kept])
        layers.append(smaller)
        if index < len(linears) - 1:
            layers.append(nn.ReLU())
        kept_inputs = kept
    return nn.Sequential(*layers)


def prepare(setup: Setup) -> Workload:
    """Train the dense MLP, prune it and fine-tune the pruned copy; build the query set."""
    torch.manual_seed(setup.seed)
    split = digits_split(augment=not setup.quick, train_limit=300 if setup.quick else 6000)
    data = to_tensors(split, setup.device)
    epochs = 2 if setup.quick else 6
    dense = train(mlp([1024, 1024]).to(setup.device), data.x_train, data.y_train, epochs=epochs)
    pruned = prune_hidden_units(dense, KEEP_FRACTION)
    train(pruned, data.x_train, data.y_train, epochs=4)
    queries, truth = shifted_queries(data)
    return Workload(dense, pruned, queries, truth, passes=1 if setup.quick else 16)


def _serve(model: nn.Module, work: Workload) -> float:
    return served_accuracy(model, work.queries, work.truth, passes=work.passes)


def serve_dense(work: Workload) -> float:
    """Answer every query with the full 1024-1024 network; return accuracy."""
    return _serve(work.dense, work)


def serve_pruned(work: Workload) -> float:
    """Answer every query with the pruned 256-256 network; return accuracy."""
    return _serve(work.pruned, work)


EXPERIMENT = Experiment(
    name="pruning",
    tactic="consider-energy-aware-pruning",
    title="Serve an MLP with 75% of its hidden units pruned (structured, fine-tuned)",
    quality_metric="accuracy",
    prepare=prepare,
    baseline=Arm("dense 1024-1024", serve_dense),
    candidate=Arm("pruned to 256-256", serve_pruned),
    devices=("cpu", "cuda"),
)
