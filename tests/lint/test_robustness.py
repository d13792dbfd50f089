"""Broken, odd and huge inputs give one diagnostic each; a crashing rule is contained."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest

from tests.lint.conftest import FIXTURES, RunLint
from tests.lint.sample_rules import SAMPLE_RULES, CrashingRule, ProcessKillingRule

BROKEN = sorted(path.name for path in (FIXTURES / "broken").iterdir())


@pytest.fixture
def corpus(tmp_path: Path) -> Path:
    """The broken files, the edge cases and one file with real findings, side by side."""
    shutil.copytree(FIXTURES / "broken", tmp_path / "broken")
    shutil.copytree(FIXTURES / "edge", tmp_path / "edge")
    (tmp_path / "good.py").write_text("import torch\nx = torch.ones(2, dtype=torch.float64)\n")
    return tmp_path


def test_each_broken_file_gives_exactly_one_parse_diagnostic_and_the_run_goes_on(
    run_lint: RunLint, corpus: Path
) -> None:
    result = run_lint("--no-cache", "--format", "json", "-j", "2", cwd=corpus)
    findings = result.json()["findings"]
    by_path: dict[str, list[str]] = {}
    for finding in findings:
        by_path.setdefault(finding["path"], []).append(finding["code"])
    assert {f"broken/{name}": ["GT001"] for name in BROKEN}.items() <= by_path.items()
    assert by_path["good.py"] == ["GT903"]
    edge_codes = {
        code for path, codes in by_path.items() if path.startswith("edge/") for code in codes
    }
    assert edge_codes == {"GT901"}  # valid odd files are linted normally
    assert result.exit_code == 1
    assert "Traceback" not in result.stdout + result.stderr


@pytest.mark.parametrize(
    ("name", "message"),
    [
        ("syntax_error.py", "syntax error: invalid syntax"),
        ("nul_bytes.py", "source contains NUL bytes"),
        ("deeply_nested.py", "too many nested parentheses"),
        ("long_chain.py", "nested or chained too deeply"),
        ("undecodable.py", "cannot decode"),
        ("not_json.ipynb", "not a readable notebook"),
    ],
)
def test_parse_diagnostics_say_what_is_wrong(
    run_lint: RunLint, corpus: Path, name: str, message: str
) -> None:
    result = run_lint("--no-cache", "--format", "json", f"broken/{name}", cwd=corpus)
    (finding,) = result.json()["findings"]
    assert finding["code"] == "GT001"
    assert message in finding["message"]


def test_syntax_error_in_a_notebook_points_at_the_cell(run_lint: RunLint, corpus: Path) -> None:
    result = run_lint("--no-cache", "--format", "json", "broken/broken_cell.ipynb", cwd=corpus)
    (finding,) = result.json()["findings"]
    assert (finding["cell"], finding["line"]) == (1, 1)


def test_a_file_of_many_megabytes_gets_a_diagnostic_not_a_hang(
    run_lint: RunLint, tmp_path: Path
) -> None:
    (tmp_path / "generated.py").write_text("x = 1\n" * 1_500_000)
    result = run_lint("--no-cache", "--format", "json", cwd=tmp_path)
    (finding,) = result.json()["findings"]
    assert finding["code"] == "GT001"
    assert "too large to lint" in finding["message"]


def test_a_crashing_rule_is_an_internal_error_of_that_rule_only(
    run_lint: RunLint, corpus: Path
) -> None:
    rules = (*SAMPLE_RULES, CrashingRule)
    result = run_lint("--no-cache", "--select", "ALL", "good.py", cwd=corpus, rules=rules)
    assert result.exit_code == 2
    assert "GT003 rule GT999 (sample-crashing-rule) crashed on this file: ValueError" in (
        result.stdout
    )
    assert "GT903" in result.stdout
    assert "Traceback" not in result.stdout + result.stderr


def test_debug_shows_the_rule_traceback(run_lint: RunLint, corpus: Path) -> None:
    rules = (*SAMPLE_RULES, CrashingRule)
    result = run_lint(
        "--no-cache", "--debug", "--select", "ALL", "good.py", cwd=corpus, rules=rules
    )
    assert "Traceback" in result.stderr
    assert "boom in a rule" in result.stderr


@pytest.mark.skipif(os.name != "posix" or os.geteuid() == 0, reason="root reads any file")
def test_unreadable_file_is_skipped_with_a_diagnostic(run_lint: RunLint, tmp_path: Path) -> None:
    secret = tmp_path / "secret.py"
    secret.write_text("x = 1\n")
    secret.chmod(0)
    result = run_lint("--no-cache", "--format", "json", cwd=tmp_path)
    (finding,) = result.json()["findings"]
    assert finding["code"] == "GT002"


def test_a_worker_process_dying_loses_only_its_file(run_lint: RunLint, tmp_path: Path) -> None:
    for index in range(12):
        (tmp_path / f"m{index:02d}.py").write_text("import torch\nx = torch.float64\n")
    (tmp_path / "kill_me.py").write_text("x = 1\n")
    rules = (*SAMPLE_RULES, ProcessKillingRule)
    result = run_lint("--no-cache", "--format", "json", "-j", "2", cwd=tmp_path, rules=rules)
    findings = result.json()["findings"]
    assert [(f["path"], f["code"]) for f in findings if f["path"] == "kill_me.py"] == [
        ("kill_me.py", "GT003")
    ]
    assert sum(1 for f in findings if f["code"] == "GT903") == 12
    assert result.exit_code == 2
