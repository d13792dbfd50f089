"""Output formats: JSON (our documented schema), SARIF 2.1.0 (the official schema), GitHub."""

from __future__ import annotations

import json
from pathlib import Path

import jsonschema

from greentactics.lint.reporters.json_schema import REPORT_SCHEMA
from tests.lint.conftest import FIXTURES, RunLint
from tests.lint.sample_rules import SAMPLE_RULES, CrashingRule


def test_json_report_validates_and_carries_tactic_and_fix(run_lint: RunLint, project: Path) -> None:
    result = run_lint("--no-cache", "--format", "json", cwd=project)
    report = result.json()
    jsonschema.Draft202012Validator(REPORT_SCHEMA).validate(report)
    float64 = next(
        f for f in report["findings"] if f["path"] == "src/train.py" and f["code"] == "GT903"
    )
    assert float64 == {
        "code": "GT903",
        "rule": "sample-float64-tensors",
        "tactic": "use-input-quantization",
        "tactic_id": "T04",
        "tactic_name": "Use Input Quantization",
        "severity": "warning",
        "path": "src/train.py",
        "cell": None,
        "line": 24,
        "column": 31,
        "end_line": 24,
        "end_column": 44,
        "message": "`torch.float64` tensor; use `torch.float32`.",
        "help_url": "https://greentactics.github.io/greentactics/rules/sample-float64-tensors/",
        "fix": {
            "applicability": "unsafe",
            "message": "apply the unsafe fix",
            "edits": [
                {"line": 24, "column": 42, "end_line": 24, "end_column": 44, "content": "32"}
            ],
        },
    }
    assert report["summary"]["exit_code"] == result.exit_code == 1


def test_sarif_validates_against_the_official_schema(run_lint: RunLint, project: Path) -> None:
    rules = (*SAMPLE_RULES, CrashingRule)
    (project / "broken.py").write_text("def f(:\n")
    result = run_lint(
        "--no-cache", "--format", "sarif", "--select", "ALL", cwd=project, rules=rules
    )
    log = json.loads(result.stdout)
    schema = json.loads((FIXTURES / "sarif-schema-2.1.0.json").read_text())
    validator = jsonschema.validators.validator_for(schema)
    validator.check_schema(schema)
    validator(schema).validate(log)
    run = log["runs"][0]
    rules_by_id = {rule["id"]: rule for rule in run["tool"]["driver"]["rules"]}
    assert {"GT001", "GT003", "GT901", "GT903", "GT904"} <= set(rules_by_id)
    assert rules_by_id["GT903"]["helpUri"].endswith("/rules/sample-float64-tensors/")
    assert rules_by_id["GT903"]["properties"]["tactic"]["id"] == "T04"
    fixed = [r for r in run["results"] if "fixes" in r]
    assert fixed and all(
        r["locations"][0]["physicalLocation"]["region"]["startLine"] >= 1 for r in run["results"]
    )
    for result_entry in run["results"]:
        assert (
            run["tool"]["driver"]["rules"][result_entry["ruleIndex"]]["id"]
            == result_entry["ruleId"]
        )


def test_github_annotations(run_lint: RunLint, project: Path) -> None:
    result = run_lint("--no-cache", "--format", "github", "src/train.py", cwd=project)
    assert result.stdout.splitlines()[0] == (
        "::notice file=src/train.py,line=16,col=13,endLine=16,endColumn=51,"
        "title=GT904 sample-zero-grad-keeps-tensors::"
        "`zero_grad(set_to_none=False)`: drop the argument to free gradients instead. "
        "[Design for Memory Constraints]"
    )


def test_output_file_option_writes_the_report(run_lint: RunLint, project: Path) -> None:
    result = run_lint("--no-cache", "--format", "sarif", "-o", "out.sarif", cwd=project)
    assert result.stdout == ""
    assert json.loads((project / "out.sarif").read_text())["version"] == "2.1.0"
