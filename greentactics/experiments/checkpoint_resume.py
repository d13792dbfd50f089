"""Use checkpoints during training: resume after a crash instead of starting again.

Training crashes (a pre-empted spot instance, an out-of-memory error) are common in practice.
Both arms train the same MLP for 20 epochs and suffer a simulated crash after epoch 12.
Baseline: nothing was saved, so training restarts from scratch (32 epochs of work in all).
Candidate: a checkpoint (model, optimiser, epoch) is written after every epoch, and training
resumes from the last one (20 epochs of work plus 12 small file writes and one read).
"""

from __future__ import annotations

import tempfile
from dataclasses import dataclass
from pathlib import Path

import torch

from greentactics.experiments.datasets import digits_split
from greentactics.experiments.experiment import Arm, Experiment, Setup
from greentactics.experiments.networks import TensorSplit, accuracy, mlp, to_tensors, train_epoch

EPOCHS = 20
CRASH_AFTER_EPOCH = 12


class SimulatedCrash(RuntimeError):
    """Stands in for the process dying mid-training."""


@dataclass(frozen=True)
class Workload:
    """The data, where checkpoints go, the training length and when the crash happens."""

    data: TensorSplit
    folder: tempfile.TemporaryDirectory[str]  # removed with the workload
    epochs: int
    crash_after: int
    seed: int


def prepare(setup: Setup) -> Workload:
    """Shifted digits (the full run) or 300 plain ones (``--quick``), and a checkpoint folder."""
    split = digits_split(augment=not setup.quick, train_limit=300 if setup.quick else 8000)
    folder = tempfile.TemporaryDirectory(prefix="greentactics-checkpoints-")
    epochs, crash = (5, 3) if setup.quick else (EPOCHS, CRASH_AFTER_EPOCH)
    return Workload(to_tensors(split, setup.device), folder, epochs, crash, setup.seed)


def _new_model(work: Workload) -> tuple[torch.nn.Module, torch.optim.Optimizer]:
    torch.manual_seed(work.seed)
    model = mlp([256, 256]).to(work.data.x_train.device)
    return model, torch.optim.Adam(model.parameters(), lr=1e-3)


def _crash_if_due(epoch: int, work: Workload, crashed_before: bool) -> None:
    if epoch == work.crash_after and not crashed_before:
        raise SimulatedCrash(f"crashed after epoch {epoch}")


def restart_after_crash(work: Workload) -> float:
    """No checkpoints: after the crash all progress is lost and training starts over."""
    crashed = False
    while True:
        model, optimizer = _new_model(work)
        try:
            for epoch in range(work.epochs):
                _crash_if_due(epoch, work, crashed)
                train_epoch(model, optimizer, work.data.x_train, work.data.y_train, epoch=epoch)
            break
        except SimulatedCrash:
            crashed = True
    return accuracy(model, work.data.x_test, work.data.y_test)


def resume_from_checkpoint(work: Workload) -> float:
    """Save a checkpoint every epoch; after the crash, load the last one and carry on."""
    path = Path(work.folder.name) / "checkpoint.pt"
    path.unlink(missing_ok=True)
    crashed = False
    while True:
        model, optimizer = _new_model(work)
        first_epoch = 0
        if path.exists():
            checkpoint = torch.load(path, map_location=work.data.x_train.device)
            model.load_state_dict(checkpoint["model"])
            optimizer.load_state_dict(checkpoint["optimizer"])
            first_epoch = checkpoint["epoch"] + 1
        try:
            for epoch in range(first_epoch, work.epochs):
                _crash_if_due(epoch, work, crashed)
                train_epoch(model, optimizer, work.data.x_train, work.data.y_train, epoch=epoch)
                state = {"model": model.state_dict(), "optimizer": optimizer.state_dict()}
                torch.save({**state, "epoch": epoch}, path)
            break
        except SimulatedCrash:
            crashed = True
    return accuracy(model, work.data.x_test, work.data.y_test)


EXPERIMENT = Experiment(
    name="checkpoint_resume",
    tactic="use-checkpoints-during-training",
    title="Resume from a per-epoch checkpoint after a simulated crash instead of restarting",
    quality_metric="accuracy",
    prepare=prepare,
    baseline=Arm("restart from scratch", restart_after_crash),
    candidate=Arm("resume from checkpoint", resume_from_checkpoint),
    devices=("cpu", "cuda"),
)
