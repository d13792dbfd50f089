"""Baselines: record today's findings, then fail only on new ones.

The sample project has four findings: GT903 and GT901 in the notebook ``explore.ipynb``,
GT904 (line 16) and GT903 (line 24, ``torch.float64``) in ``src/train.py``.
"""

from __future__ import annotations

import json
from pathlib import Path

import jsonschema

from greentactics.lint.reporters.json_schema import REPORT_SCHEMA
from tests.lint.conftest import LintOutput, RunLint

TRAIN = "src/train.py"
FLOAT64_LINE = "weights = torch.ones(3, dtype=torch.float64)  # reference weights\n"


def _codes(result: LintOutput) -> list[tuple[str, str, int]]:
    report = result.json()
    return [(f["code"], f["path"], f["line"]) for f in report["findings"]]


def test_a_baseline_accepts_todays_findings_and_reports_new_ones(
    run_lint: RunLint, project: Path
) -> None:
    written = run_lint("--write-baseline", "baseline.json", cwd=project)
    assert written.exit_code == 0
    assert "wrote 4 finding(s) to baseline.json" in written.stdout
    document = json.loads((project / "baseline.json").read_text())
    assert {(e["path"], e["code"], e.get("cell")) for e in document["findings"]} == {
        ("explore.ipynb", "GT903", 3),
        ("explore.ipynb", "GT901", 3),
        ("src/train.py", "GT904", None),
        ("src/train.py", "GT903", None),
    }

    clean = run_lint("--baseline", "baseline.json", cwd=project)
    assert clean.exit_code == 0, clean.stdout
    assert "All checks passed (4 file(s) checked; 4 more in the baseline)." in clean.stdout

    train = project / TRAIN
    # Lines added above the baselined ones move them; they stay accepted.
    train.write_text('"""Moved down."""\n\n\n' + train.read_text() + "\n" + FLOAT64_LINE)
    result = run_lint("--format", "json", "--baseline", "baseline.json", cwd=project)
    assert result.exit_code == 1
    # A second copy of a baselined line is new: one entry absorbs one finding.
    assert _codes(result) == [("GT903", TRAIN, 29)]
    assert result.json()["summary"]["baselined"] == 4
    jsonschema.Draft202012Validator(REPORT_SCHEMA).validate(result.json())


def test_the_baseline_can_come_from_the_configuration(run_lint: RunLint, project: Path) -> None:
    run_lint("--write-baseline", "lint-baseline.json", cwd=project)
    config = project / "pyproject.toml"
    config.write_text(
        config.read_text().replace(
            "[tool.greentactics]\n", '[tool.greentactics]\nbaseline = "lint-baseline.json"\n'
        )
    )
    # Run from a sub-directory: the path is relative to the configuration file.
    result = run_lint("--format", "json", "train.py", cwd=project / "src")
    assert result.exit_code == 0, result.stderr
    assert result.json()["summary"]["baselined"] == 2
    assert _codes(result) == []


def test_fixed_findings_are_reported_as_stale_entries(run_lint: RunLint, project: Path) -> None:
    run_lint("--write-baseline", "baseline.json", cwd=project)
    train = project / TRAIN
    train.write_text(train.read_text().replace("torch.float64", "torch.float32"))
    result = run_lint("--baseline", "baseline.json", TRAIN, cwd=project)
    assert result.exit_code == 0
    assert "1 entry of the baseline" in result.stderr
    assert "--write-baseline" in result.stderr
    # Linting another file only says nothing about train.py's entries.
    other = run_lint("--baseline", "baseline.json", "src/evaluate.py", cwd=project)
    assert "baseline" not in other.stderr


def test_an_edited_line_is_reported_again(run_lint: RunLint, project: Path) -> None:
    run_lint("--write-baseline", "baseline.json", cwd=project)
    train = project / TRAIN
    train.write_text(train.read_text().replace("torch.ones(3,", "torch.ones(4,"))
    result = run_lint("--format", "json", "--baseline", "baseline.json", cwd=project)
    assert _codes(result) == [("GT903", TRAIN, 24)]


def test_parse_errors_are_never_baselined(run_lint: RunLint, project: Path) -> None:
    (project / "src" / "broken.py").write_text("def f(:\n")
    written = run_lint("--write-baseline", "baseline.json", cwd=project)
    assert "wrote 4 finding(s)" in written.stdout
    result = run_lint("--format", "json", "--baseline", "baseline.json", cwd=project)
    assert [f["code"] for f in result.json()["findings"]] == ["GT001"]


def test_a_broken_baseline_is_a_clear_usage_error(run_lint: RunLint, project: Path) -> None:
    missing = run_lint("--baseline", "nope.json", cwd=project)
    assert missing.exit_code == 2
    assert "nope.json: no such baseline file (create it with --write-baseline" in missing.stderr

    (project / "bad.json").write_text('{"tool": "greentactics",\n "format": 1,\n "findings": [}\n')
    bad = run_lint("--baseline", "bad.json", cwd=project)
    assert bad.exit_code == 2
    assert "bad.json:3: not valid JSON" in bad.stderr

    (project / "wrong.json").write_text(
        json.dumps({"tool": "greentactics", "format": 1, "findings": [{"path": "a.py"}]})
    )
    wrong = run_lint("--baseline", "wrong.json", cwd=project)
    assert wrong.exit_code == 2
    assert "wrong.json: findings[0].code: expected a string" in wrong.stderr

    conflicting = run_lint("--baseline", "b.json", "--write-baseline", "b.json", cwd=project)
    assert conflicting.exit_code == 2
