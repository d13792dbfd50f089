"""Enhance model sparsity: zero 90 % of the weights and store the layers as sparse matrices.

``prepare`` trains an MLP with two layers of 1,024 units, then prunes 90 % of every layer's
weights by magnitude (``torch.nn.utils.prune``) and fine-tunes with the mask fixed (not
measured). Baseline: the original dense network. Candidate: the sparse network, its weight
matrices converted to compressed sparse rows (CSR) so only the non-zeros are multiplied.
Whether that pays off depends on the sparse kernels of the hardware: a result either way.
"""

# mypy: disable-error-code="no-untyped-call"

from __future__ import annotations

import warnings
from dataclasses import dataclass

import torch
from torch import nn
from torch.nn.utils import prune

from greentactics.experiments.datasets import digits_split
from greentactics.experiments.experiment import Arm, Experiment, Setup
from greentactics.experiments.networks import (
    mlp,
    served_accuracy,
    shifted_queries,
    to_tensors,
    train,
)

SPARSITY = 0.9


class SparseLinear(nn.Module):
    """A linear layer whose weight matrix is stored and multiplied in CSR form."""

    def __init__(self, linear: nn.Linear) -> None:
        super().__init__()
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", UserWarning)  # "sparse CSR support is in beta"
            self.weight = linear.weight.detach().to_sparse_csr()
        self.bias = linear.bias.detach()

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return (self.weight @ x.T).T + self.bias


@dataclass(frozen=True)
class Workload:
    """The dense network, its sparse counterpart, and the queries both serve."""

    dense: nn.Sequential
    sparse: nn.Sequential
    queries: torch.Tensor
    truth: torch.Tensor
    passes: int


def sparsify(model: nn.Sequential, data_x: torch.Tensor, data_y: torch.Tensor) -> nn.Sequential:
    """Prune a copy of ``model`` to ``SPARSITY``, fine-tune it, and convert it to CSR layers."""
    sparse = mlp([1024, 1024]).to(data_x.device)
    sparse.load_state_dict(model.state_dict())
    for layer in sparse:
        if isinstance(layer, nn.Linear):
            prune.l1_unstructured(layer, name="weight", amount=SPARSITY)
    train(sparse, data_x, data_y, epochs=4)  # the pruning masks stay applied while tuning
    layers: list[nn.Module] = []
    for layer in sparse:
        if isinstance(layer, nn.Linear):
            prune.remove(layer, "weight")
            layers.append(SparseLinear(layer))
        else:
            layers.append(layer)
    return nn.Sequential(*layers)


def prepare(setup: Setup) -> Workload:
    """Train the dense MLP and derive the sparse one; build the query set."""
    torch.manual_seed(setup.seed)
    split = digits_split(augment=not setup.quick, train_limit=300 if setup.quick else 6000)
    data = to_tensors(split, setup.device)
    epochs = 2 if setup.quick else 6
    dense = train(mlp([1024, 1024]).to(setup.device), data.x_train, data.y_train, epochs=epochs)
    sparse = sparsify(dense, data.x_train, data.y_train)
    queries, truth = shifted_queries(data)
    return Workload(dense, sparse, queries, truth, passes=1 if setup.quick else 12)


def _serve(model: nn.Module, work: Workload) -> float:
    return served_accuracy(model, work.queries, work.truth, passes=work.passes, batch_size=256)


def serve_dense(work: Workload) -> float:
    """Answer every query with the dense network; return accuracy."""
    return _serve(work.dense, work)


def serve_sparse(work: Workload) -> float:
    """Answer every query with the 90%-sparse CSR network; return accuracy."""
    return _serve(work.sparse, work)


EXPERIMENT = Experiment(
    name="sparsity",
    tactic="enhance-model-sparsity",
    title="Serve an MLP with 90% of its weights pruned, stored as sparse CSR matrices",
    quality_metric="accuracy",
    prepare=prepare,
    baseline=Arm("dense weights", serve_dense),
    candidate=Arm("90% sparse (CSR)", serve_sparse),
)
