"""Use quantization-aware training: fine-tune with simulated int8 arithmetic, serve in int8.

``prepare`` trains a float32 MLP (two layers of 512 units). A copy is then fine-tuned for two
epochs with fake quantization inserted (PyTorch eager-mode QAT: ``prepare_qat``), so the
weights adapt to int8 rounding, and converted to a real int8 model (``convert``). Training is
not measured; the arms serve the same queries with the float32 and the int8 network.
PyTorch's quantized kernels (fbgemm/x86) run on the CPU only.
"""

# mypy: disable-error-code="no-untyped-call"

from __future__ import annotations

import copy
import warnings
from dataclasses import dataclass

import torch
import torch.ao.quantization as quantization
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


class QuantizableMLP(nn.Module):
    """An MLP between quantize/dequantize stubs, the shape eager-mode quantization expects."""

    def __init__(self, body: nn.Sequential) -> None:
        super().__init__()
        self.quantize = quantization.QuantStub()
        self.body = body
        self.dequantize = quantization.DeQuantStub()

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        output: torch.Tensor = self.dequantize(self.body(self.quantize(x)))
        return output


@dataclass(frozen=True)
class Workload:
    """The float32 network, its QAT-trained int8 counterpart, and the queries both serve."""

    float_model: nn.Module
    int8_model: nn.Module
    queries: torch.Tensor
    truth: torch.Tensor
    passes: int


def quantization_aware_finetune(
    model: nn.Sequential, x: torch.Tensor, y: torch.Tensor, *, epochs: int
) -> nn.Module:
    """Fine-tune a copy of ``model`` with fake int8 quantization, then convert it to int8."""
    qat_model = QuantizableMLP(copy.deepcopy(model))
    qat_model.qconfig = quantization.get_default_qat_qconfig("x86")
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # torch.ao.quantization deprecation notices
        prepared = quantization.prepare_qat(qat_model.train())
        train(prepared, x, y, epochs=epochs, lr=3e-4)
        int8_model: nn.Module = quantization.convert(prepared.eval())
        return int8_model


def prepare(setup: Setup) -> Workload:
    """Train the float32 MLP and its QAT int8 copy; build the query set."""
    torch.manual_seed(setup.seed)
    torch.backends.quantized.engine = "x86"
    split = digits_split(augment=not setup.quick, train_limit=300 if setup.quick else 6000)
    data = to_tensors(split)
    epochs = 2 if setup.quick else 6
    float_model = train(mlp([512, 512]), data.x_train, data.y_train, epochs=epochs)
    int8_model = quantization_aware_finetune(float_model, data.x_train, data.y_train, epochs=2)
    queries, truth = shifted_queries(data)
    return Workload(float_model, int8_model, queries, truth, passes=1 if setup.quick else 25)


def _serve(model: nn.Module, work: Workload) -> float:
    return served_accuracy(model, work.queries, work.truth, passes=work.passes, batch_size=256)


def serve_float32(work: Workload) -> float:
    """Answer every query with the float32 network; return accuracy."""
    return _serve(work.float_model, work)


def serve_int8(work: Workload) -> float:
    """Answer every query with the QAT-trained int8 network; return accuracy."""
    return _serve(work.int8_model, work)


EXPERIMENT = Experiment(
    name="quantization_aware_training",
    tactic="use-quantization-aware-training",
    title="Serve an int8 MLP fine-tuned with quantization-aware training instead of float32",
    quality_metric="accuracy",
    prepare=prepare,
    baseline=Arm("float32", serve_float32),
    candidate=Arm("int8 (QAT)", serve_int8),
)
