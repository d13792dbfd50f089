"""The record of one measurement: small frozen dataclasses, nothing from CodeCarbon leaks out."""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any, Literal

Method = Literal["measured", "estimated", "constant"]
MethodSummary = Literal["measured", "estimated", "mixed", "failed"]

COMPONENTS = ("cpu", "gpu", "ram")
JOULES_PER_KWH = 3_600_000.0


@dataclass(frozen=True)
class ComponentEnergy:
    """Energy of one component (cpu, gpu or ram) and how CodeCarbon obtained it.

    ``method`` is ``measured`` only for hardware counters (RAPL, the NVML energy counter);
    a model of power from TDP and load is ``estimated``; a flat figure is ``constant``.
    ``present`` is False for a component the machine does not have (e.g. no GPU): 0 J.
    """

    energy_j: float
    method: Method
    source: str
    present: bool = True

    @property
    def energy_kwh(self) -> float:
        return self.energy_j / JOULES_PER_KWH

    @property
    def is_estimate(self) -> bool:
        return self.method != "measured"


@dataclass(frozen=True)
class Hardware:
    """What the measurement ran on."""

    cpu_model: str = ""
    cpu_count: int = 0
    gpu_models: tuple[str, ...] = ()
    gpu_count: int = 0
    ram_total_gb: float = 0.0
    hostname: str = ""
    os: str = ""
    python_version: str = ""


@dataclass(frozen=True)
class NodeEnergy:
    """One node's share of a distributed measurement (its local-rank-0 tracker)."""

    hostname: str
    rank: int
    components: Mapping[str, ComponentEnergy]
    hardware: Hardware

    @property
    def total_energy_j(self) -> float:
        return sum(c.energy_j for c in self.components.values())


@dataclass(frozen=True)
class Measurement:
    """One measured window: what it cost, how that was known, and how the work ended.

    ``total_energy_j`` is None when the tracker failed (``error`` says why); such a
    measurement still records the duration and the outcome of the user's code.
    ``quality_note`` says why a figure is not to be trusted as it stands (a window shorter
    than CodeCarbon can resolve); None when there is nothing to say.
    """

    id: str
    label: str
    started_at: str  # ISO-8601, UTC
    ended_at: str
    duration_s: float
    total_energy_j: float | None
    components: Mapping[str, ComponentEnergy]
    emissions_kg: float | None
    country_iso_code: str
    country_name: str
    carbon_intensity_g_per_kwh: float | None
    outcome: str  # "ok", an exception type name, or "interrupted"
    tactic: str | None = None
    project: str | None = None
    tags: Mapping[str, str] = field(default_factory=dict)
    kind: str = "run"  # "run" or "idle" (an idle baseline)
    hardware: Hardware = field(default_factory=Hardware)
    codecarbon_version: str = ""
    tracking_mode: str = "machine"
    parent_id: str | None = None
    nodes: tuple[NodeEnergy, ...] = ()
    error: str | None = None
    quality_note: str | None = None
    """Set when the window is below the resolution of the estimate (see ``resolution``)."""
    codecarbon_record: Mapping[str, Any] = field(default_factory=dict)

    @property
    def total_energy_kwh(self) -> float | None:
        return None if self.total_energy_j is None else self.total_energy_j / JOULES_PER_KWH

    @property
    def method_summary(self) -> MethodSummary:
        """``measured`` if every present component was measured, ``estimated`` if none was."""
        if self.total_energy_j is None:
            return "failed"
        present = [c for c in self.components.values() if c.present]
        measured = [c for c in present if c.method == "measured"]
        if present and len(measured) == len(present):
            return "measured"
        return "mixed" if measured else "estimated"

    @property
    def average_power_w(self) -> float | None:
        if self.total_energy_j is None or self.duration_s <= 0:
            return None
        return self.total_energy_j / self.duration_s

    @property
    def nested(self) -> bool:
        return self.parent_id is not None

    def to_dict(self) -> dict[str, Any]:
        """A JSON-ready dict (derived properties included for readers of exports)."""
        data = dataclasses.asdict(self)
        data["components"] = {
            name: {**dataclasses.asdict(c), "energy_kwh": c.energy_kwh}
            for name, c in self.components.items()
        }
        data["nodes"] = [
            {
                "hostname": n.hostname,
                "rank": n.rank,
                "components": {k: dataclasses.asdict(c) for k, c in n.components.items()},
                "hardware": dataclasses.asdict(n.hardware),
            }
            for n in self.nodes
        ]
        data["tags"] = dict(self.tags)
        data["codecarbon_record"] = dict(self.codecarbon_record)
        data["total_energy_kwh"] = self.total_energy_kwh
        data["method_summary"] = self.method_summary
        return data

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> Measurement:
        """Rebuild a measurement from :meth:`to_dict` output (derived keys are ignored)."""
        known = {f.name for f in dataclasses.fields(cls)}
        values = {k: v for k, v in data.items() if k in known}
        values["components"] = _components_from(data.get("components", {}))
        values["hardware"] = _hardware_from(data.get("hardware", {}))
        values["tags"] = dict(data.get("tags", {}))
        values["codecarbon_record"] = dict(data.get("codecarbon_record", {}))
        values["nodes"] = tuple(
            NodeEnergy(
                hostname=n["hostname"],
                rank=int(n["rank"]),
                components=_components_from(n["components"]),
                hardware=_hardware_from(n["hardware"]),
            )
            for n in data.get("nodes", [])
        )
        return cls(**values)


def _components_from(raw: Mapping[str, Any]) -> dict[str, ComponentEnergy]:
    return {
        name: ComponentEnergy(
            energy_j=float(c["energy_j"]),
            method=c["method"],
            source=c["source"],
            present=bool(c.get("present", True)),
        )
        for name, c in raw.items()
    }


def _hardware_from(raw: Mapping[str, Any]) -> Hardware:
    known = {f.name for f in dataclasses.fields(Hardware)}
    values = {k: v for k, v in raw.items() if k in known}
    values["gpu_models"] = tuple(values.get("gpu_models", ()))
    return Hardware(**values)
