"""Nothing lost: Ctrl-C in a real process, two processes writing at once."""

from __future__ import annotations

import signal
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import pytest

from greentactics.energy import EnergyStore, measure_energy
from tests.energy.conftest import PYTHON, subprocess_env

pytestmark = pytest.mark.skipif(sys.platform == "win32", reason="POSIX signals")


def test_sigint_is_recorded_as_interrupted_and_still_propagates(store_path: Path) -> None:
    script = textwrap.dedent(
        """
        import sys, time
        from greentactics import measure_energy

        @measure_energy(label="long-training")
        def train():
            print("training", flush=True)
            while True:
                time.sleep(0.05)

        train()
        """
    )
    child = subprocess.Popen(
        [PYTHON, "-c", script],
        env=subprocess_env(),
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    assert child.stdout is not None
    assert child.stdout.readline().strip() == "training"
    time.sleep(0.3)
    child.send_signal(signal.SIGINT)
    _, stderr = child.communicate(timeout=60)
    # Python re-raises an unhandled KeyboardInterrupt by dying of SIGINT.
    assert child.returncode == -signal.SIGINT, stderr
    assert "KeyboardInterrupt" in stderr
    [record] = EnergyStore(store_path).by_label("long-training")
    assert record.outcome == "interrupted"
    assert record.total_energy_j is not None and record.duration_s >= 0.3


WRITER = textwrap.dedent(
    """
    import sys
    from greentactics import measure_energy
    name, count = sys.argv[1], int(sys.argv[2])
    print("ready", flush=True)
    sys.stdin.readline()  # start together
    for i in range(count):
        with measure_energy(label=name, tags={"i": i}, measure_power_secs=0.5):
            sum(range(20_000))
    """
)


def test_two_processes_writing_at_once_lose_nothing(store_path: Path) -> None:
    count = 30
    writers = [
        subprocess.Popen(
            [PYTHON, "-c", WRITER, name, str(count)],
            env=subprocess_env(),
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            text=True,
        )
        for name in ("writer-a", "writer-b")
    ]
    for writer in writers:  # both have imported and warmed up
        assert writer.stdout is not None and writer.stdout.readline().strip() == "ready"
    for writer in writers:
        assert writer.stdin is not None
        writer.stdin.write("go\n")
        writer.stdin.flush()
    for writer in writers:
        assert writer.wait(timeout=120) == 0
    store = EnergyStore(store_path)
    for name in ("writer-a", "writer-b"):
        runs = store.by_label(name)
        assert sorted(int(m.tags["i"]) for m in runs) == list(range(count))
    assert store.count() == 2 * count


def test_store_in_wal_mode_and_rows_arrive_as_each_measurement_ends(store_path: Path) -> None:
    import sqlite3

    with measure_energy(label="first"):
        pass
    # Written at the end of the block, before anything else happens.
    assert [m.label for m in EnergyStore(store_path).all()] == ["first"]
    mode = sqlite3.connect(store_path).execute("PRAGMA journal_mode").fetchone()[0]
    assert mode == "wal"


def test_store_many_concurrent_direct_writes(store_path: Path) -> None:
    """The store alone, hammered by two processes (no tracker): every row arrives."""
    script = textwrap.dedent(
        """
        import sys
        from greentactics.energy.measurement import Measurement
        from greentactics.energy.store import EnergyStore
        store = EnergyStore(sys.argv[1])
        for i in range(200):
            store.add(Measurement(
                id=f"{sys.argv[2]}-{i}", label=sys.argv[2], started_at="t0", ended_at="t1",
                duration_s=1.0, total_energy_j=1.0, components={}, emissions_kg=0.0,
                country_iso_code="USA", country_name="United States",
                carbon_intensity_g_per_kwh=None, outcome="ok"))
        """
    )
    EnergyStore(store_path).ensure_writable()
    children = [
        subprocess.Popen([PYTHON, "-c", script, str(store_path), name], env=subprocess_env())
        for name in ("p", "q")
    ]
    assert [c.wait(timeout=120) for c in children] == [0, 0]
    store = EnergyStore(store_path)
    assert len(store.by_label("p")) == 200 and len(store.by_label("q")) == 200


@pytest.mark.skipif(not Path("/proc/self/stat").exists(), reason="reads /proc")
def test_ctrl_c_during_energy_run_is_recorded_and_exits_130(store_path: Path) -> None:
    # A terminal's Ctrl-C signals the whole foreground process group: CLI and command alike.
    cli = subprocess.Popen(
        [
            PYTHON,
            "-m",
            "greentactics",
            "energy",
            "run",
            "--label",
            "ctrl-c-cli",
            "--",
            "sleep",
            "30",
        ],
        env=subprocess_env(),
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        start_new_session=True,
    )
    import os

    deadline = time.monotonic() + 60
    while not any(p.name == "sleep" for p in _children(cli.pid)):
        assert time.monotonic() < deadline, "the command never started"
        time.sleep(0.1)
    os.killpg(cli.pid, signal.SIGINT)
    _, stderr = cli.communicate(timeout=60)
    assert cli.returncode == 130, stderr
    [record] = EnergyStore(store_path).by_label("ctrl-c-cli")
    assert record.outcome == "interrupted"


def _children(pid: int) -> list[Path]:
    """The command names of ``pid``'s child processes (from /proc), as paths for .name."""
    found = []
    for status in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = status.read_text().rsplit(")", 1)[1].split()
            name = status.read_text().split("(", 1)[1].rsplit(")", 1)[0]
        except (OSError, IndexError):
            continue
        if int(fields[1]) == pid:
            found.append(Path(name))
    return found
