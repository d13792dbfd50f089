"""Windows shorter than CodeCarbon can resolve are repaired or flagged (real tracker, no mocks)."""

from __future__ import annotations

import contextlib
import csv
import io
import shutil
import sqlite3
import time
import warnings
from pathlib import Path

import pytest

from greentactics.energy import EnergyStore, LowResolutionWarning, Measurement, measure_energy
from greentactics.energy import meter as meter_module
from greentactics.energy.report import format_measurement, format_table
from greentactics.energy.resolution import MODELLED_SOURCE_SUFFIX, RESOLUTION_S
from greentactics.energy.store import STORE_VERSION, export_csv, export_json
from greentactics.energy.tracking import warm_up

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "energy"


@pytest.fixture(autouse=True)
def fresh_warning_state(monkeypatch: pytest.MonkeyPatch) -> None:
    """The low-resolution warning is said once per process; each test starts afresh."""
    monkeypatch.setattr(meter_module, "_warned_once", set())
    warm_up()  # hardware detection out of the way: the windows below are short


def measure(seconds: float, label: str = "window") -> Measurement:
    with measure_energy(label=label) as m:
        time.sleep(seconds)
    assert m.measurement is not None
    return m.measurement


def test_very_short_window_is_flagged_and_modelled_as_power_times_window(
    store_path: Path,
) -> None:
    with pytest.warns(LowResolutionWarning, match="below the resolution"):
        m = measure(0.005, label="tiny")

    assert m.quality_note is not None and "final-reading cutoff" in m.quality_note
    ram = m.components["ram"]
    assert ram.is_estimate  # a flat per-DIMM figure on every machine CodeCarbon supports
    # CodeCarbon's own figure covered only its start-up; the record is power x window instead.
    assert ram.source.endswith(MODELLED_SOURCE_SUFFIX)
    assert ram.energy_j == pytest.approx(m.codecarbon_record["ram_power"] * m.duration_s)
    assert m.total_energy_j == pytest.approx(sum(c.energy_j for c in m.components.values()))
    assert EnergyStore(store_path).get(m.id).quality_note == m.quality_note


def test_low_resolution_warning_is_emitted_once_per_process(store_path: Path) -> None:
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        first = measure(0.001)
        second = measure(0.001)
    said = [w for w in caught if issubclass(w.category, LowResolutionWarning)]
    assert len(said) == 1
    assert first.quality_note and second.quality_note  # every record still carries its note


def test_sub_second_window_keeps_codecarbons_figure_but_is_flagged(store_path: Path) -> None:
    with pytest.warns(LowResolutionWarning, match="resolution"):
        m = measure(0.2)

    assert m.quality_note is not None and f"{RESOLUTION_S:g} s resolution" in m.quality_note
    assert not any(MODELLED_SOURCE_SUFFIX in c.source for c in m.components.values())


def test_normal_window_is_not_flagged(store_path: Path) -> None:
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        m = measure(2.0, label="normal")

    assert m.quality_note is None
    assert not [w for w in caught if issubclass(w.category, LowResolutionWarning)]
    assert not any(MODELLED_SOURCE_SUFFIX in c.source for c in m.components.values())
    stored = EnergyStore(store_path).get(m.id)
    assert stored.quality_note is None
    assert "quality" not in format_measurement(stored)


def test_flag_is_shown_in_list_show_and_exports(store_path: Path) -> None:
    with pytest.warns(LowResolutionWarning):
        flagged = measure(0.001, label="tiny")
    measurements = EnergyStore(store_path).all()

    table = format_table(measurements)
    assert "!" in table.splitlines()[1] and "window too short" in table
    assert f"quality   ! {flagged.quality_note}" in format_measurement(measurements[0])

    out = io.StringIO()
    export_csv(measurements, out)
    (row,) = csv.DictReader(io.StringIO(out.getvalue()))
    assert row["quality_note"] == flagged.quality_note
    out = io.StringIO()
    export_json(measurements, out)
    assert flagged.quality_note in out.getvalue()


def test_store_written_by_an_older_version_opens_and_is_migrated(tmp_path: Path) -> None:
    old = tmp_path / "old.sqlite"
    shutil.copyfile(FIXTURES / "store-v1.sqlite", old)  # schema 1: no quality_note column
    store = EnergyStore(old)

    (before,) = store.all()
    assert before.label == "train-v1" and before.quality_note is None

    with pytest.warns(LowResolutionWarning), measure_energy(label="tiny", store=old) as m:
        pass
    assert m.measurement is not None and m.measurement.quality_note is not None

    assert [x.label for x in store.all()] == ["train-v1", "tiny"]
    with contextlib.closing(sqlite3.connect(old)) as connection:
        assert connection.execute("PRAGMA user_version").fetchone()[0] == STORE_VERSION
        notes = connection.execute("SELECT quality_note FROM measurements ORDER BY seq")
        assert [n for (n,) in notes] == [None, m.measurement.quality_note]
