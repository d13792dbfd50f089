"""Per-epoch energy for keras 3 (any backend).

``model.fit(..., callbacks=[KerasEnergyCallback()])``.
"""

from __future__ import annotations

from typing import Any

import keras

from greentactics.energy.callbacks.recorder import EpochEnergyRecorder, RecordsEpochs


class KerasEnergyCallback(RecordsEpochs, keras.callbacks.Callback):  # type: ignore[misc]
    """Measures the fit and each epoch; adds ``energy_j`` to the epoch's logs.

    Keras does not call a callback when ``fit`` raises, so a crashed fit leaves its
    measurement unfinished; use ``with measure_energy(...)`` around ``fit`` to record crashes.
    """

    def __init__(self, label: str = "keras-fit", **options: Any) -> None:
        super().__init__()
        self.recorder = EpochEnergyRecorder(label, **options)

    def on_train_begin(self, logs: dict[str, Any] | None = None) -> None:
        self.recorder.begin_fit()

    def on_epoch_begin(self, epoch: int, logs: dict[str, Any] | None = None) -> None:
        self.recorder.begin_epoch(epoch)

    def on_epoch_end(self, epoch: int, logs: dict[str, Any] | None = None) -> None:
        measurement = self.recorder.end_epoch()
        if logs is not None and measurement is not None and measurement.total_energy_j is not None:
            logs["energy_j"] = measurement.total_energy_j

    def on_train_end(self, logs: dict[str, Any] | None = None) -> None:
        self.recorder.end_fit()
