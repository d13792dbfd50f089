"""torch.distributed: one tracker per node, one record for the job (gloo, loopback, 2 CPUs)."""

from __future__ import annotations

import json
import socket
import subprocess
import textwrap
from pathlib import Path

import pytest

from greentactics.energy import EnergyStore
from tests.energy.conftest import PYTHON, subprocess_env

pytest.importorskip("torch.distributed")
pytestmark = pytest.mark.slow

RANK_SCRIPT = textwrap.dedent(
    """
    import json
    import torch.distributed as dist
    dist.init_process_group("gloo", init_method="env://")
    from greentactics import measure_energy
    with measure_energy(label="ddp-job") as m:
        sum(range(300_000))
        dist.barrier()
    r = m.measurement
    print(json.dumps({
        "rank": dist.get_rank(), "id": r.id, "total": r.total_energy_j,
        "nodes": [[n.rank, n.total_energy_j] for n in r.nodes], "error": r.error,
    }))
    dist.destroy_process_group()
    """
)


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def launch(local_ranks: list[str | None]) -> list[dict[str, object]]:
    port = str(free_port())
    children = []
    for rank, local_rank in enumerate(local_ranks):
        extra = {
            "MASTER_ADDR": "127.0.0.1",
            "MASTER_PORT": port,
            "RANK": str(rank),
            "WORLD_SIZE": str(len(local_ranks)),
            "GLOO_SOCKET_IFNAME": "lo",
        }
        env = subprocess_env(**extra)
        env.pop("LOCAL_RANK", None)
        if local_rank is not None:
            env["LOCAL_RANK"] = local_rank
        children.append(
            subprocess.Popen(
                [PYTHON, "-c", RANK_SCRIPT],
                env=env,
                stdout=subprocess.PIPE,
                stderr=subprocess.PIPE,
                text=True,
            )
        )
    results = []
    for child in children:
        out, err = child.communicate(timeout=180)
        assert child.returncode == 0, err
        results.append(json.loads(out.strip().splitlines()[-1]))
    return results


def test_one_tracker_per_node_on_one_host(store_path: Path) -> None:
    # No LOCAL_RANK: the ranks find by host name that they share a node; only one tracks.
    results = launch([None, None])
    assert {r["id"] for r in results} == {results[0]["id"]}  # one job-wide record
    for r in results:
        assert r["error"] is None
        assert len(r["nodes"]) == 1  # type: ignore[arg-type]
        assert r["nodes"][0][0] == 0  # type: ignore[index]
    [stored] = EnergyStore(store_path).by_label("ddp-job")  # written once, by rank 0
    assert stored.id == results[0]["id"]
    assert stored.total_energy_j == pytest.approx(stored.nodes[0].total_energy_j)


def test_two_nodes_are_gathered_into_one_record_with_a_breakdown(store_path: Path) -> None:
    # LOCAL_RANK=0 on both ranks: torchrun's view of two single-process nodes.
    results = launch(["0", "0"])
    [stored] = EnergyStore(store_path).by_label("ddp-job")
    assert [n.rank for n in stored.nodes] == [0, 1]
    assert stored.total_energy_j == pytest.approx(sum(n.total_energy_j for n in stored.nodes))
    for name in ("cpu", "gpu", "ram"):
        assert stored.components[name].energy_j == pytest.approx(
            sum(n.components[name].energy_j for n in stored.nodes)
        )
    assert results[1]["total"] == pytest.approx(stored.total_energy_j)


UNWRITABLE_SCRIPT = textwrap.dedent(
    """
    import sys
    import torch.distributed as dist
    dist.init_process_group("gloo", init_method="env://")
    from greentactics import measure_energy
    from greentactics.energy import StoreError
    try:
        with measure_energy(label="ddp-job", store=sys.argv[1]):
            print("work ran", flush=True)
    except StoreError:
        print("store error", flush=True)
    dist.destroy_process_group()
    """
)


def test_an_unwritable_store_on_rank_0_stops_every_rank_up_front(tmp_path: Path) -> None:
    blocker = tmp_path / "file"
    blocker.write_text("")
    port = str(free_port())
    children = [
        subprocess.Popen(
            [PYTHON, "-c", UNWRITABLE_SCRIPT, str(blocker / "s.sqlite")],
            env=subprocess_env(
                MASTER_ADDR="127.0.0.1",
                MASTER_PORT=port,
                RANK=str(rank),
                WORLD_SIZE="2",
                LOCAL_RANK="0",
                GLOO_SOCKET_IFNAME="lo",
            ),
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        for rank in range(2)
    ]
    for child in children:
        out, err = child.communicate(timeout=120)
        assert child.returncode == 0, err
        assert out.strip() == "store error"
