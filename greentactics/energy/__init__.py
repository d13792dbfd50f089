"""The energy meter: measure a block, a function or a command with CodeCarbon, honestly.

``from greentactics.energy import measure_energy``. Importing this package does not import
CodeCarbon; the first measurement does.
"""

from __future__ import annotations

from greentactics.energy.measurement import ComponentEnergy, Hardware, Measurement, NodeEnergy
from greentactics.energy.meter import (
    EnergyMeter,
    EnergyWarning,
    LowResolutionWarning,
    MeasuredFunction,
    measure_energy,
    measure_idle,
)
from greentactics.energy.statistics import RatioEstimate, ratio_ci
from greentactics.energy.store import EnergyStore, StoreError
from greentactics.energy.tracking import warm_up

__all__ = [
    "ComponentEnergy",
    "EnergyMeter",
    "EnergyStore",
    "EnergyWarning",
    "Hardware",
    "LowResolutionWarning",
    "MeasuredFunction",
    "Measurement",
    "NodeEnergy",
    "RatioEstimate",
    "StoreError",
    "measure_energy",
    "measure_idle",
    "ratio_ci",
    "warm_up",
]
