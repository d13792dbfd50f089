"""The results file (evidence contract): strict validation, round trips and the verdict text."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from greentactics.errors import ConfigError
from greentactics.experiments.results import load_all_evidence, load_results, save_results
from greentactics.experiments.runner import verdict

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "experiments"
REPO_ROOT = Path(__file__).resolve().parents[2]


def test_a_file_written_to_the_contract_loads() -> None:
    results = load_results(FIXTURES / "experiments-cpu.json")
    assert results.device == "cpu"
    assert results.measurement.cpu == "estimated"
    result = results.get("early_stopping")
    assert result.ratio_ci95 == (0.35, 0.46)
    assert result.baseline.runs == 5
    assert result.candidate.energy_runs_j == []  # optional per-run figures default to empty


def test_saving_and_loading_round_trips(tmp_path: Path) -> None:
    results = load_results(FIXTURES / "experiments-cpu.json")
    path = save_results(results, tmp_path / "out" / "experiments-cpu.json")
    assert load_results(path) == results


def test_an_unknown_key_is_rejected_with_the_file_and_field(tmp_path: Path) -> None:
    data = json.loads((FIXTURES / "experiments-cpu.json").read_text(encoding="utf-8"))
    data["experiments"][0]["energy_ratio_typo"] = 1.0
    path = tmp_path / "experiments-cpu.json"
    path.write_text(json.dumps(data), encoding="utf-8")
    with pytest.raises(ConfigError, match=r"experiments-cpu\.json.*energy_ratio_typo"):
        load_results(path)


def test_a_string_where_a_number_belongs_is_rejected(tmp_path: Path) -> None:
    data = json.loads((FIXTURES / "experiments-cpu.json").read_text(encoding="utf-8"))
    data["experiments"][0]["energy_ratio"] = "0.4"
    path = tmp_path / "experiments-cpu.json"
    path.write_text(json.dumps(data), encoding="utf-8")
    with pytest.raises(ConfigError, match="energy_ratio"):
        load_results(path)


def test_a_missing_file_is_a_config_error(tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match="cannot read"):
        load_results(tmp_path / "nope.json")


def test_load_all_evidence_reads_every_results_file_in_the_evidence_folder(
    tmp_path: Path,
) -> None:
    results = load_results(FIXTURES / "experiments-cpu.json")
    save_results(results, tmp_path / "evidence" / "experiments-cpu.json")
    save_results(
        results.model_copy(update={"device": "cuda"}),
        tmp_path / "evidence" / "experiments-cuda.json",
    )
    (tmp_path / "evidence" / "notes.json").write_text("{}", encoding="utf-8")
    loaded = load_all_evidence(tmp_path)
    assert [r.device for r in loaded] == ["cpu", "cuda"]


def test_the_committed_full_run_covers_ten_tactics_with_ratio_ci_and_quality() -> None:
    evidence = REPO_ROOT / "evidence" / "experiments-cpu.json"
    if not evidence.is_file():
        pytest.skip("no committed full run yet")
    results = load_results(evidence)
    assert not results.quick
    assert results.measurement.note
    assert len({e.tactic for e in results.experiments}) >= 10
    for result in results.experiments:
        low, high = result.ratio_ci95
        assert low <= result.energy_ratio <= high
        assert result.baseline.runs == result.candidate.runs == results.repeats
        assert result.quality_delta == pytest.approx(
            result.candidate.quality - result.baseline.quality
        )


@pytest.mark.parametrize(
    ("ratio", "ci", "expected"),
    [
        (0.4, (0.35, 0.46), "saves 60% energy (ratio 0.4, 95% CI 0.35 to 0.46)"),
        (0.004, (0.002, 0.006), "saves more than 99% energy (ratio 0.004, 95% CI 0.002 to 0.006)"),
        (1.3, (1.1, 1.5), "uses 30% more energy (ratio 1.3, 95% CI 1.1 to 1.5)"),
        (0.97, (0.9, 1.05), "no clear energy difference (ratio 0.97, 95% CI 0.9 to 1.05)"),
    ],
)
def test_the_verdict_says_saves_costs_or_no_clear_difference(
    ratio: float, ci: tuple[float, float], expected: str
) -> None:
    assert verdict(ratio, ci, -0.005, "accuracy") == f"{expected}; accuracy -0.0050"
