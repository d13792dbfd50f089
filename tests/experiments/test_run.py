"""``greentactics experiment``: list, and a real --quick run of every experiment end to end."""

from __future__ import annotations

from pathlib import Path

import pytest

from greentactics.cli import main
from greentactics.energy import EnergyStore
from greentactics.experiments.registry import EXPERIMENT_NAMES
from greentactics.experiments.results import load_results


def test_list_names_every_experiment_and_its_tactic(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["experiment", "list"]) == 0
    out = capsys.readouterr().out
    for name in EXPERIMENT_NAMES:
        assert name in out
    assert "apply-early-stopping" in out


def test_run_needs_names_or_all(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["experiment", "run"]) == 2
    assert "--all" in capsys.readouterr().err


def test_an_unknown_experiment_is_a_usage_error(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["experiment", "run", "no_such_thing", "--quick"]) == 2
    assert "known experiments: sampling" in capsys.readouterr().err


def test_cuda_without_a_gpu_is_a_usage_error(capsys: pytest.CaptureFixture[str]) -> None:
    torch = pytest.importorskip("torch")
    if torch.cuda.is_available():
        pytest.skip("this machine has a GPU")
    assert main(["experiment", "run", "--all", "--quick", "--device", "cuda"]) == 2
    assert "no CUDA device" in capsys.readouterr().err


def test_one_quick_experiment_writes_results_and_fills_the_store(
    tmp_path: Path, isolated_energy_store: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    output = tmp_path / "results.json"
    args = ["experiment", "run", "vectorised_builtins", "--quick", "--repeats", "2"]
    assert main([*args, "--min-window", "0.3", "--output", str(output)]) == 0
    results = load_results(output)
    (result,) = results.experiments
    assert result.baseline.runs == result.candidate.runs == 2
    # the vectorised arm takes milliseconds, so each window repeats it to last 0.3 s
    assert result.candidate.calls_per_run > 1
    assert result.candidate.time_runs_s[0] < 0.3
    assert result.baseline.quality == result.candidate.quality  # same neighbours, same answers
    # 2 runs x 2 arms, each tagged with its experiment and arm
    runs = [m for m in EnergyStore(isolated_energy_store).all() if m.kind == "run"]
    assert len(runs) == 4
    assert {m.tags["arm"] for m in runs} == {"baseline", "candidate"}
    assert {m.tactic for m in runs} == {"use-built-in-library-functions"}
    calls = {m.tags["arm"]: m.tags["calls"] for m in runs}
    assert calls["candidate"] == str(result.candidate.calls_per_run)
    captured = capsys.readouterr()
    assert "run 2/2" in captured.err  # progress goes to stderr
    assert "vectorised_builtins" in captured.out


@pytest.mark.slow
def test_every_experiment_runs_quick_end_to_end(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    output = tmp_path / "experiments-cpu-quick.json"
    assert main(["experiment", "run", "--all", "--quick", "--output", str(output)]) == 0
    results = load_results(output)
    assert results.quick and results.repeats == 3 and results.device == "cpu"
    assert [r.name for r in results.experiments] == list(EXPERIMENT_NAMES)
    assert results.versions.codecarbon and results.machine.cpu
    for result in results.experiments:
        low, high = result.ratio_ci95
        assert low <= result.energy_ratio <= high, result.name
        assert result.baseline.energy_j > 0 and result.candidate.energy_j > 0, result.name
        assert 0.0 <= result.baseline.quality <= 1.0, result.name
        assert result.verdict.endswith(f"accuracy {result.quality_delta:+.4f}")
