"""Per-epoch energy for Lightning 2: ``Trainer(callbacks=[LightningEnergyCallback()])``."""

from __future__ import annotations

from typing import Any

from lightning.pytorch.callbacks import Callback

from greentactics.energy.callbacks.recorder import EpochEnergyRecorder, RecordsEpochs


class LightningEnergyCallback(RecordsEpochs, Callback):
    """Measures ``fit`` and each training epoch (validation included); records a crash too."""

    def __init__(self, label: str = "lightning-fit", **options: Any) -> None:
        super().__init__()
        self.recorder = EpochEnergyRecorder(label, **options)

    def on_fit_start(self, trainer: Any, pl_module: Any) -> None:
        self.recorder.begin_fit()

    def on_train_epoch_start(self, trainer: Any, pl_module: Any) -> None:
        self.recorder.begin_epoch(int(trainer.current_epoch))

    def on_train_epoch_end(self, trainer: Any, pl_module: Any) -> None:
        measurement = self.recorder.end_epoch()
        if measurement is not None and measurement.total_energy_j is not None:
            pl_module.log("energy_j", measurement.total_energy_j, on_epoch=True, on_step=False)

    def on_fit_end(self, trainer: Any, pl_module: Any) -> None:
        self.recorder.end_fit()

    def on_exception(self, trainer: Any, pl_module: Any, exception: BaseException) -> None:
        self.recorder.end_fit(exception)
