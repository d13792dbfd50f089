"""``greentactics scan`` end to end: formats, output file, summary, exit codes, bad files."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path

import jsonschema
import pytest

from greentactics.cli import main
from greentactics.scan.reporters import JSON_SCHEMA
from greentactics.urls import tactic_url

FIXTURES = Path(__file__).parent / "fixtures"


@pytest.fixture
def project(tmp_path: Path) -> Path:
    """The fixture files plus one file that does not parse."""
    root = tmp_path / "project"
    shutil.copytree(FIXTURES, root)
    (root / "broken.py").write_text("def train(:\n    pass\n", encoding="utf-8")
    return root


def run_json(capsys: pytest.CaptureFixture[str], *args: str) -> dict[str, object]:
    assert main(["scan", "--format", "json", *args]) == 0
    return json.loads(capsys.readouterr().out)  # type: ignore[no-any-return]


def test_json_report_matches_its_schema(project: Path, capsys: pytest.CaptureFixture[str]) -> None:
    document = run_json(capsys, str(project))
    jsonschema.Draft202012Validator(JSON_SCHEMA).validate(document)
    tactics = document["tactics"]
    assert isinstance(tactics, list) and len(tactics) == 32
    pca = next(t for t in tactics if t["id"] == "T05")
    assert pca["status"] == "applied"
    assert pca["url"] == tactic_url("use-data-projection")
    assert {"path", "line", "column", "signal"} <= set(pca["evidence"][0])


def test_architectural_tactics_are_not_detectable(
    project: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    document = run_json(capsys, str(project))
    statuses = {t["id"]: t["status"] for t in document["tactics"]}  # type: ignore[attr-defined]
    assert {tid for tid, status in statuses.items() if status == "not-detectable"} == {
        "T09",
        "T23",
        "T26",
    }


def test_summary_counts_agree_with_the_tactics(
    project: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    document = run_json(capsys, str(project))
    summary = document["summary"]
    tactics = document["tactics"]
    assert isinstance(summary, dict) and isinstance(tactics, list)
    applied = sum(t["status"] == "applied" for t in tactics)
    assert summary["applied"] == applied
    assert summary["text"] == f"{applied} of 32 tactics applied; 3 not detectable in code"
    per_category = {c["id"]: c for c in summary["by_category"]}
    assert sum(c["total"] for c in per_category.values()) == 32
    assert sum(c["applied"] for c in per_category.values()) == applied
    model_training = [t for t in tactics if t["category"] == "model-training"]
    assert per_category["model-training"]["applied"] == sum(
        t["status"] == "applied" for t in model_training
    )


def test_unparsable_file_is_reported_on_stderr_and_the_scan_goes_on(
    project: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["scan", str(project)]) == 0
    captured = capsys.readouterr()
    assert "broken.py:" in captured.err and ": skipped: " in captured.err
    assert "Use Data Projection: applied (strong)" in captured.out
    document = run_json(capsys, str(project))
    assert [d["path"].rsplit("/", 1)[-1] for d in document["diagnostics"]] == ["broken.py"]  # type: ignore[attr-defined]
    # Every fixture file but the broken one; project/ adds src/train.py (its test is skipped,
    # generated.py is git-ignored).
    good = [*FIXTURES.glob("*.py"), *FIXTURES.glob("*.ipynb"), FIXTURES / "project/src/train.py"]
    assert document["files_scanned"] == len(good)


def test_text_report_shows_evidence_status_links_and_summary(
    project: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["scan", str(project / "sklearn_pipeline.py")]) == 0
    out = capsys.readouterr().out
    assert "T05  Use Data Projection: applied (strong)" in out
    assert "sklearn_pipeline.py:30:9: projection to fewer dimensions" in out
    assert "P(n_components=10)," in out
    assert tactic_url("use-data-projection") in out
    assert "Energy Efficiency: not detectable in code" in out
    assert "T25  Use Power Capping: not found" in out
    assert "Summary: " in out and "of 32 tactics applied; 3 not detectable in code." in out
    assert "Data-centric" in out.split("Summary: ")[1]


def test_text_report_lists_disabled_options_apart(
    project: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["scan", str(project / "disabled_configs.py")]) == 0
    out = capsys.readouterr().out
    assert "E01  Use Mixed-Precision Training: not found" in out
    assert "configured but disabled: " in out and "fp16 mixed precision: switched off" in out


def test_markdown_report_has_a_summary_and_a_table_per_category(
    project: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["scan", "--format", "markdown", str(project)]) == 0
    out = capsys.readouterr().out
    assert out.startswith("# Green tactics scan\n")
    assert "| Category | Applied | Not found | Not detectable in code |" in out
    assert out.count("| Tactic | Status | Evidence |") == 6
    assert f"[T05 Use Data Projection]({tactic_url('use-data-projection')})" in out
    assert "| architectural decision, not visible in code |" in out
    for line in out.splitlines():
        if line.startswith("| [T"):
            assert line.count(" | ") == 2, line  # pipes in code are escaped


def test_output_file(project: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    target = tmp_path / "scan.md"
    assert main(["scan", "--format", "markdown", "-o", str(target), str(project)]) == 0
    assert capsys.readouterr().out == ""
    assert target.read_text(encoding="utf-8").startswith("# Green tactics scan")


def test_max_evidence_caps_the_text_report(
    project: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["scan", "--max-evidence", "1", str(project)]) == 0
    assert "more (all of them with --max-evidence 0)" in capsys.readouterr().out


def test_missing_path_is_a_usage_error(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["scan", str(tmp_path / "nowhere")]) == 2
    assert "no such file or directory" in capsys.readouterr().err


def test_unknown_format_is_a_usage_error(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as exit_info:
        main(["scan", "--format", "sarif", "."])
    assert exit_info.value.code == 2


def test_console_entry_point_runs_the_scan(project: Path) -> None:
    result = subprocess.run(
        [sys.executable, "-m", "greentactics", "scan", "--format", "json", str(project)],
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout)["summary"]["total"] == 32


def test_include_tests_marks_evidence_from_test_files(capsys: pytest.CaptureFixture[str]) -> None:
    project = FIXTURES / "project"
    assert main(["scan", str(project)]) == 0
    assert "T03  Reduce Number of Data Features: not found" in capsys.readouterr().out
    assert main(["scan", "--include-tests", str(project)]) == 0
    out = capsys.readouterr().out
    assert "tests/checks.py:5:12: scikit-learn feature selection [test]" in out
