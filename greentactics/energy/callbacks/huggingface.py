"""Per-epoch energy for the Hugging Face Trainer.

``Trainer(..., callbacks=[HuggingFaceEnergyCallback()])``.
"""

from __future__ import annotations

from typing import Any

from transformers import TrainerCallback

from greentactics.energy.callbacks.recorder import EpochEnergyRecorder, RecordsEpochs


class HuggingFaceEnergyCallback(RecordsEpochs, TrainerCallback):
    """Measures the training run and each epoch. Under torch.distributed each epoch is one
    record for the whole job (one tracker per node), stored by rank 0."""

    def __init__(self, label: str = "hf-train", **options: Any) -> None:
        self.recorder = EpochEnergyRecorder(label, **options)

    def on_train_begin(self, args: Any, state: Any, control: Any, **kwargs: Any) -> None:
        self.recorder.begin_fit()

    def on_epoch_begin(self, args: Any, state: Any, control: Any, **kwargs: Any) -> None:
        self.recorder.begin_epoch(int(state.epoch or 0))

    def on_epoch_end(self, args: Any, state: Any, control: Any, **kwargs: Any) -> None:
        self.recorder.end_epoch()

    def on_train_end(self, args: Any, state: Any, control: Any, **kwargs: Any) -> None:
        self.recorder.end_fit()
