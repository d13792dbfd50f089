"""greentactics energy run / list / show / compare / export / idle, end to end."""

from __future__ import annotations

import csv
import io
import json
import sys
from pathlib import Path

import pytest

from greentactics.cli import main
from greentactics.energy import EnergyStore
from greentactics.energy.store import CODECARBON_COLUMNS


def run_cli(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def test_run_repeat_records_each_run_and_shows_progress(
    store_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code, _, err = run_cli(
        capsys,
        "energy",
        "run",
        "--repeat",
        "3",
        "--label",
        "noop",
        "--",
        sys.executable,
        "-c",
        "pass",
    )
    assert code == 0
    assert "[1/3] noop" in err and "[3/3] noop" in err
    runs = EnergyStore(store_path).by_label("noop")
    assert len(runs) == 3 and all(m.outcome == "ok" for m in runs)
    assert runs[0].tags["command"].endswith("-c pass")


def test_failing_command_is_recorded_and_its_status_returned(
    store_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code, _, _ = run_cli(
        capsys, "energy", "run", "--repeat", "3", "--label", "fails", "--",
        sys.executable, "-c", "raise SystemExit(3)",
    )  # fmt: skip
    assert code == 3
    [only] = EnergyStore(store_path).by_label("fails")  # stops at the first failure
    assert only.outcome == "CommandFailed"


def test_measurements_inside_the_command_nest_under_the_run(
    store_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    child = "from greentactics import measure_energy\nwith measure_energy(label='inside'): pass"
    import os

    repo = str(Path(__file__).resolve().parents[2])
    os.environ["PYTHONPATH"] = repo
    try:
        code, _, _ = run_cli(
            capsys, "energy", "run", "--label", "outer-cmd", "--", sys.executable, "-c", child
        )
    finally:
        del os.environ["PYTHONPATH"]
    assert code == 0
    store = EnergyStore(store_path)
    [outer] = store.by_label("outer-cmd")
    [inner] = store.by_label("inside")
    assert inner.parent_id == outer.id


def test_list_show_export(store_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    from greentactics import measure_energy

    with measure_energy(label="a", tactic="apply-early-stopping") as m:
        pass
    assert m.measurement is not None
    code, out, _ = run_cli(capsys, "energy", "list")
    assert code == 0 and m.measurement.id[:8] in out and "~" in out and "estimated" in out
    code, out, _ = run_cli(capsys, "energy", "show", m.measurement.id[:8])
    assert code == 0 and "tactic apply-early-stopping" in out and "estimated" in out
    code, out, _ = run_cli(capsys, "energy", "show", "--json", m.measurement.id)
    assert json.loads(out)["id"] == m.measurement.id
    code, _, err = run_cli(capsys, "energy", "show", "ffffffffff")
    assert code == 1 and "no measurement" in err

    code, out, _ = run_cli(capsys, "energy", "export", "--format", "csv")
    rows = list(csv.DictReader(io.StringIO(out)))
    assert code == 0 and len(rows) == 1
    header = next(csv.reader(io.StringIO(out)))
    assert tuple(header[: len(CODECARBON_COLUMNS)]) == CODECARBON_COLUMNS
    assert rows[0]["run_id"] == m.measurement.id
    assert float(rows[0]["energy_consumed"]) == pytest.approx(m.measurement.total_energy_kwh)
    assert rows[0]["cpu_method"] in {"measured", "estimated", "constant"}

    target = store_path.parent / "out.json"
    code, _, _ = run_cli(capsys, "energy", "export", "--format", "json", "-o", str(target))
    data = json.loads(target.read_text())
    assert data["measurements"][0]["method_summary"] == m.measurement.method_summary


def test_compare_reports_ratio_ci_runs_and_warnings(
    store_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    from greentactics import measure_energy

    for _ in range(2):
        with measure_energy(label="base"):
            sum(range(400_000))
        with measure_energy(label="cand"):
            pass
    code, out, _ = run_cli(capsys, "energy", "compare", "--baseline", "base", "--candidate", "cand")
    assert code == 0
    assert "energy ratio (candidate/baseline)" in out and "95% CI" in out
    assert "only 2 run(s)" in out and "short" in out and "estimated" in out
    code, out, _ = run_cli(
        capsys, "energy", "compare", "--baseline", "base", "--candidate", "cand", "--format", "json"
    )
    data = json.loads(out)
    assert data["baseline"]["runs"] == 2
    assert (
        data["energy_ratio"]["low"] <= data["energy_ratio"]["ratio"] <= data["energy_ratio"]["high"]
    )
    code, _, err = run_cli(capsys, "energy", "compare", "--baseline", "base", "--candidate", "none")
    assert code == 2 and "no successful measurements labelled 'none'" in err


def test_compare_plot_and_idle_baseline(
    store_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    pytest.importorskip("matplotlib")
    from greentactics import measure_energy

    code, out, _ = run_cli(capsys, "energy", "idle", "--seconds", "0.5")
    assert code == 0 and "kind      idle" in out
    for _ in range(3):
        with measure_energy(label="x"):
            sum(range(3_000_000))
        with measure_energy(label="y"):
            sum(range(1_000_000))
    plot = store_path.parent / "cmp.png"
    code, out, _ = run_cli(
        capsys, "energy", "compare", "--baseline", "x", "--candidate", "y", "--plot", str(plot)
    )
    assert code == 0 and plot.read_bytes()[:4] == b"\x89PNG"
    x_run = EnergyStore(store_path).by_label("x")[0]
    code, shown, _ = run_cli(capsys, "energy", "show", x_run.id)
    assert "dynamic" in shown and "idle" in shown
    assert "dynamic energy ratio" in out or "not above idle power" in out
    assert "no idle baseline" not in out
    code, out, _ = run_cli(
        capsys, "energy", "compare", "--baseline", "x", "--candidate", "y", "--no-idle"
    )
    assert "no idle baseline" in out


def test_unwritable_store_is_a_clean_cli_error(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    blocker = tmp_path / "file"
    blocker.write_text("")
    code, _, err = run_cli(
        capsys,
        "energy",
        "run",
        "--store",
        str(blocker / "s.sqlite"),
        "--",
        sys.executable,
        "-c",
        "pass",
    )
    assert code == 2 and "not writable" in err
