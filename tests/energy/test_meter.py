"""measure_energy as a decorator and a context manager, with a real CodeCarbon tracker."""

from __future__ import annotations

import dataclasses
import sys
import traceback
from pathlib import Path

import pytest

from greentactics import measure_energy
from greentactics.energy import EnergyStore, Measurement
from greentactics.energy.meter import EnergyMeter, MeasuredFunction


def busy(n: int = 200_000) -> int:
    return sum(i * i for i in range(n))


def test_bare_decorator_returns_result_and_keeps_measurement(store_path: Path) -> None:
    @measure_energy
    def work(n: int) -> int:
        return busy(n)

    assert isinstance(work, MeasuredFunction)
    assert work(1000) == busy(1000)
    m = work.last_measurement
    assert isinstance(m, Measurement)
    assert m.label.endswith("work")
    assert m.outcome == "ok"
    assert m.total_energy_j is not None and m.total_energy_j > 0
    assert m.duration_s > 0
    assert work.__name__ == "work"
    assert EnergyStore(store_path).get(m.id) == m


def test_decorator_with_arguments_records_labels(store_path: Path) -> None:
    @measure_energy(label="train", tactic="apply-early-stopping", project="demo", tags={"lr": 0.1})
    def train() -> str:
        busy()
        return "done"

    assert train() == "done"
    first = train.last_measurement
    assert train() == "done"
    second = train.last_measurement
    assert first is not None and second is not None and first.id != second.id
    assert (second.label, second.tactic, second.project) == (
        "train",
        "apply-early-stopping",
        "demo",
    )
    assert second.tags == {"lr": "0.1"}
    assert [m.id for m in EnergyStore(store_path).by_label("train")] == [first.id, second.id]


def test_context_manager_records_everything_the_issue_lists(store_path: Path) -> None:
    with measure_energy(label="block", country="DEU") as m:
        busy()
    r = m.measurement
    assert r is not None
    assert r.started_at < r.ended_at
    assert set(r.components) == {"cpu", "gpu", "ram"}
    for c in r.components.values():
        assert c.method in {"measured", "estimated", "constant"}
        assert c.energy_kwh == pytest.approx(c.energy_j / 3.6e6)
    assert r.total_energy_j == pytest.approx(sum(c.energy_j for c in r.components.values()))
    assert r.total_energy_kwh == pytest.approx(r.total_energy_j / 3.6e6)
    assert r.country_iso_code == "DEU" and r.country_name == "Germany"
    assert r.carbon_intensity_g_per_kwh is not None and r.carbon_intensity_g_per_kwh > 0
    assert r.emissions_kg == pytest.approx(r.total_energy_kwh * r.carbon_intensity_g_per_kwh / 1000)
    assert r.hardware.cpu_model and r.hardware.cpu_count >= 1
    assert r.codecarbon_version.startswith("3.")
    assert r.tracking_mode == "machine"
    assert r.method_summary in {"measured", "estimated", "mixed"}


def test_methods_are_labelled_honestly_on_this_machine() -> None:
    with measure_energy(label="honest", store=False) as m:
        busy()
    r = m.measurement
    assert r is not None
    cpu, gpu, ram = r.components["cpu"], r.components["gpu"], r.components["ram"]
    rapl = Path("/sys/class/powercap/intel-rapl").exists()
    if not rapl:
        # A window this short may be re-modelled as power x window; the source then says so.
        assert cpu.method == "estimated" and cpu.source.startswith("TDP x load")
    assert ram.method == "constant"  # CodeCarbon 3 models RAM power per DIMM
    if r.hardware.gpu_count == 0:
        assert not gpu.present and gpu.energy_j == 0
    assert r.method_summary != "measured"  # RAM is never measured by CodeCarbon


def test_measurement_is_frozen() -> None:
    with measure_energy(store=False) as m:
        pass
    assert m.measurement is not None
    with pytest.raises(dataclasses.FrozenInstanceError):
        m.measurement.label = "other"  # type: ignore[misc]


def test_store_false_writes_nothing(store_path: Path) -> None:
    with measure_energy(label="memory-only", store=False) as m:
        pass
    assert m.measurement is not None
    assert not store_path.exists()


def test_importing_greentactics_does_not_import_codecarbon() -> None:
    import subprocess

    from tests.energy.conftest import PYTHON, subprocess_env

    code = (
        "import sys, greentactics, greentactics.energy, greentactics.energy.commands\n"
        "from greentactics import measure_energy\n"
        "assert 'codecarbon' not in sys.modules, 'codecarbon imported eagerly'\n"
        "assert 'torch' not in sys.modules\n"
    )
    subprocess.run([PYTHON, "-c", code], check=True, env=subprocess_env())


def test_nested_measurement_links_to_parent_and_is_not_double_counted(store_path: Path) -> None:
    with measure_energy(label="outer") as outer:
        busy()
        with measure_energy(label="inner") as inner:
            busy()
    o, i = outer.measurement, inner.measurement
    assert o is not None and i is not None
    assert i.parent_id == o.id and i.nested
    assert o.parent_id is None
    assert o.duration_s >= i.duration_s
    from greentactics.energy.report import format_table

    table = format_table(EnergyStore(store_path).all())
    assert "  > inner" in table
    assert "total of top-level ones" in table
    # After the outer block ends, a new measurement is top-level again.
    with measure_energy(label="after") as after:
        pass
    assert after.measurement is not None and after.measurement.parent_id is None


def test_a_meter_measures_one_window() -> None:
    meter = EnergyMeter("once", store=False)
    with meter:
        pass
    with pytest.raises(RuntimeError), meter:
        pass


def test_methods_can_be_decorated() -> None:
    class Model:
        def __init__(self) -> None:
            self.steps = 0

        @measure_energy(label="step", store=False)
        def step(self, k: int) -> int:
            self.steps += k
            return self.steps

    model = Model()
    assert model.step(2) == 2
    assert Model.step.last_measurement is not None
    assert model.step.last_measurement is Model.step.last_measurement


def test_user_exception_is_recorded_and_reraised_unchanged(store_path: Path) -> None:
    class TrainingDiverged(RuntimeError):
        pass

    original = TrainingDiverged("loss is nan")

    @measure_energy(label="diverges")
    def train() -> None:
        busy(10_000)
        raise original  # the line the traceback must still point at

    with pytest.raises(TrainingDiverged) as caught:
        train()
    assert caught.value is original
    frames = traceback.extract_tb(caught.value.__traceback__)
    assert frames[-1].name == "train"
    assert frames[-1].line == "raise original  # the line the traceback must still point at"
    assert caught.value.__context__ is None  # nothing of ours was chained onto it
    m = train.last_measurement
    assert m is not None and m.outcome == "TrainingDiverged"
    assert m.total_energy_j is not None
    assert EnergyStore(store_path).get(m.id).outcome == "TrainingDiverged"


def test_keyboard_interrupt_in_process_is_recorded_and_propagates(store_path: Path) -> None:
    with pytest.raises(KeyboardInterrupt), measure_energy(label="ctrl-c") as m:
        raise KeyboardInterrupt
    assert m.measurement is not None and m.measurement.outcome == "interrupted"
    assert EnergyStore(store_path).by_label("ctrl-c")[0].outcome == "interrupted"


def test_tracker_that_fails_to_start_still_runs_the_function(
    store_path: Path, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    # A real trap: CodeCarbon reads CODECARBON_OUTPUT_DIR; a missing directory makes its
    # OfflineEmissionsTracker half-built and its start() silently do nothing.
    monkeypatch.setenv("CODECARBON_OUTPUT_DIR", str(tmp_path / "does-not-exist"))
    ran: list[int] = []

    @measure_energy(label="unmeasured")
    def work() -> str:
        ran.append(1)
        return "result"

    with pytest.warns(UserWarning, match="failed to start"):
        assert work() == "result"
    assert ran == [1]
    m = work.last_measurement
    assert m is not None
    assert m.total_energy_j is None and m.total_energy_kwh is None
    assert m.error and "did not start" in m.error
    assert m.outcome == "ok" and m.method_summary == "failed"
    assert EnergyStore(store_path).get(m.id).total_energy_j is None


def test_unwritable_store_is_reported_before_the_work_starts(tmp_path: Path) -> None:
    from greentactics.energy import StoreError
    from greentactics.errors import GreentacticsError

    blocker = tmp_path / "a-file"
    blocker.write_text("not a directory")
    ran: list[int] = []

    @measure_energy(label="never", store=blocker / "energy.sqlite")
    def hours_of_training() -> None:
        ran.append(1)

    with pytest.raises(StoreError, match="not writable") as caught:
        hours_of_training()
    assert isinstance(caught.value, GreentacticsError)
    assert ran == []
    with pytest.raises(StoreError), measure_energy(store=blocker / "x.sqlite"):
        ran.append(2)
    assert ran == []


@pytest.mark.skipif(sys.platform == "win32", reason="POSIX permissions")
def test_read_only_directory_is_reported_up_front(tmp_path: Path) -> None:
    import os

    if os.geteuid() == 0:
        pytest.skip("root can write anywhere; covered by the not-a-directory case")
    from greentactics.energy import StoreError

    locked = tmp_path / "locked"
    locked.mkdir()
    locked.chmod(0o500)
    try:
        with pytest.raises(StoreError), measure_energy(store=locked / "energy.sqlite"):
            pass
    finally:
        locked.chmod(0o700)


def test_async_functions_are_measured_to_completion() -> None:
    import asyncio

    @measure_energy(label="async-work", store=False)
    async def work() -> str:
        await asyncio.sleep(0.2)
        return "awaited"

    assert asyncio.run(work()) == "awaited"
    m = work.last_measurement
    assert m is not None and m.duration_s >= 0.2 and m.outcome == "ok"


def test_concurrent_threads_do_not_nest_into_each_other() -> None:
    import threading

    results: dict[str, Measurement] = {}
    barrier = threading.Barrier(2)

    def worker(name: str) -> None:
        with measure_energy(label=name, store=False) as m:
            barrier.wait(timeout=30)
        assert m.measurement is not None
        results[name] = m.measurement

    threads = [threading.Thread(target=worker, args=(n,)) for n in ("t1", "t2")]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert results["t1"].parent_id is None and results["t2"].parent_id is None


def test_empty_parentheses_work_like_the_bare_decorator() -> None:
    @measure_energy()
    def work() -> int:
        return 7

    assert work() == 7
    assert work.last_measurement is not None
    assert work.last_measurement.label.endswith("work")


def test_measurement_round_trips_through_its_dict() -> None:
    from greentactics.energy.measurement import ComponentEnergy, Hardware, NodeEnergy

    components = {
        "cpu": ComponentEnergy(10.0, "measured", "RAPL"),
        "gpu": ComponentEnergy(30.0, "measured", "NVML energy counter"),
        "ram": ComponentEnergy(5.0, "constant", "flat per-DIMM estimate"),
    }
    node = NodeEnergy("n1", 0, components, Hardware(cpu_model="X", gpu_models=("H100",)))
    original = Measurement(
        id="abc",
        label="l",
        started_at="s",
        ended_at="e",
        duration_s=1.0,
        total_energy_j=45.0,
        components=components,
        emissions_kg=1e-6,
        country_iso_code="DEU",
        country_name="Germany",
        carbon_intensity_g_per_kwh=300.0,
        outcome="ok",
        tags={"a": "b"},
        hardware=Hardware(cpu_model="X", gpu_models=("H100",), gpu_count=1),
        nodes=(node,),
    )
    assert Measurement.from_dict(original.to_dict()) == original
    assert original.method_summary == "mixed"
    assert original.to_dict()["components"]["gpu"]["energy_kwh"] == 30.0 / 3.6e6
