"""One tracker per node under torch.distributed, and one record for the whole job.

CodeCarbon measures the whole machine (RAPL, the NVML counters, the RAM model), so if every
rank on a node ran a tracker the node would be counted once per rank. Here only local rank 0
of each node tracks; at the end every rank joins one ``all_gather_object`` and the per-node
totals are summed into one record (with a per-node breakdown) that rank 0 stores.

torch is never imported here: the module looks for it in ``sys.modules``.
"""

from __future__ import annotations

import os
import socket
import sys
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any, Literal

from greentactics.energy.measurement import COMPONENTS, ComponentEnergy, Method, NodeEnergy
from greentactics.errors import UsageError

DistributedMode = Literal["auto", True, False]


@dataclass(frozen=True)
class DistributedContext:
    rank: int
    world_size: int
    local_rank: int
    hostname: str

    @property
    def tracks(self) -> bool:
        """True on the one process per node that runs the tracker."""
        return self.local_rank == 0

    @property
    def stores(self) -> bool:
        return self.rank == 0


def _torch_distributed() -> Any | None:
    torch = sys.modules.get("torch")
    if torch is None:
        return None
    dist = getattr(torch, "distributed", None)
    if dist is None or not dist.is_available() or not dist.is_initialized():
        return None
    return dist


def current_context(mode: DistributedMode) -> DistributedContext | None:
    """The job's ranks when torch.distributed is initialised (and ``mode`` allows), else None.

    The local rank comes from ``LOCAL_RANK`` (torchrun sets it); without it, the ranks
    exchange host names (a collective, so every rank must enter the measurement).
    """
    if mode is False:
        return None
    dist = _torch_distributed()
    if dist is None:
        if mode is True:
            raise UsageError("distributed=True but torch.distributed is not initialised")
        return None
    rank = int(dist.get_rank())
    world_size = int(dist.get_world_size())
    hostname = socket.gethostname()
    local_env = os.environ.get("LOCAL_RANK")
    if local_env is not None and local_env.isdigit():
        local_rank = int(local_env)
    else:
        names: list[Any] = [None] * world_size
        dist.all_gather_object(names, hostname)
        local_rank = sum(1 for r in range(rank) if names[r] == hostname)
    return DistributedContext(rank, world_size, local_rank, hostname)


@dataclass(frozen=True)
class RankReport:
    """What each rank contributes to the gather (picklable, small)."""

    rank: int
    hostname: str
    node: NodeEnergy | None  # only from local rank 0
    error: str | None
    measurement_id: str
    outcome: str


def all_gather(value: Any) -> list[Any]:
    """Every rank's ``value``, in rank order, on every rank (one all_gather_object)."""
    dist = _torch_distributed()
    if dist is None:
        return [value]
    values: list[Any] = [None] * int(dist.get_world_size())
    dist.all_gather_object(values, value)
    return values


def gather_reports(report: RankReport) -> list[RankReport]:
    """Every rank's report, on every rank."""
    return [r for r in all_gather(report) if isinstance(r, RankReport)]


def combine_nodes(
    nodes: Sequence[NodeEnergy],
) -> dict[str, ComponentEnergy]:
    """Sum the nodes' components; a method shared by all nodes is kept, else 'estimated'."""
    combined: dict[str, ComponentEnergy] = {}
    for name in COMPONENTS:
        parts = [n.components[name] for n in nodes if name in n.components]
        if not parts:
            continue
        present = [p for p in parts if p.present]
        methods = {p.method for p in present}
        sources = sorted({p.source for p in present})
        method: Method
        if len(methods) == 1:
            method = next(iter(methods))
        elif not methods:
            method = parts[0].method
        else:
            method = "estimated"
        combined[name] = ComponentEnergy(
            energy_j=sum(p.energy_j for p in parts),
            method=method,
            source=" + ".join(sources) if sources else parts[0].source,
            present=bool(present),
        )
    return combined
