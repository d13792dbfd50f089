"""The energy meter: measure a block, a function or a command with CodeCarbon, honestly.

``from greentactics.energy import measure_energy``. The names below load on first use, so
commands that never measure (``greentactics lint``) do not import the meter; CodeCarbon itself
loads only with the first measurement.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from greentactics.lazy_exports import lazy_exports

if TYPE_CHECKING:
    from greentactics.energy.measurement import (
        ComponentEnergy,
        Hardware,
        Measurement,
        NodeEnergy,
    )
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

_LAZY = {
    "ComponentEnergy": "greentactics.energy.measurement",
    "Hardware": "greentactics.energy.measurement",
    "Measurement": "greentactics.energy.measurement",
    "NodeEnergy": "greentactics.energy.measurement",
    "EnergyMeter": "greentactics.energy.meter",
    "EnergyWarning": "greentactics.energy.meter",
    "LowResolutionWarning": "greentactics.energy.meter",
    "MeasuredFunction": "greentactics.energy.meter",
    "measure_energy": "greentactics.energy.meter",
    "measure_idle": "greentactics.energy.meter",
    "RatioEstimate": "greentactics.energy.statistics",
    "ratio_ci": "greentactics.energy.statistics",
    "EnergyStore": "greentactics.energy.store",
    "StoreError": "greentactics.energy.store",
    "warm_up": "greentactics.energy.tracking",
}


__getattr__, __dir__ = lazy_exports(__name__, _LAZY, __all__)
