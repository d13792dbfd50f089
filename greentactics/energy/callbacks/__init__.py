"""Per-epoch energy for training frameworks.

Import the one you use; each module imports its framework, this package imports none:

- ``greentactics.energy.callbacks.keras.KerasEnergyCallback`` (keras 3)
- ``greentactics.energy.callbacks.huggingface.HuggingFaceEnergyCallback`` (transformers)
- ``greentactics.energy.callbacks.lightning.LightningEnergyCallback`` (lightning 2)

Each records one measurement for the whole fit and one per epoch, nested in it (so the
epochs are not added to the fit's total), all in the same store as ``measure_energy``.
"""

from __future__ import annotations

from greentactics.energy.callbacks.recorder import EpochEnergyRecorder

__all__ = ["EpochEnergyRecorder"]
