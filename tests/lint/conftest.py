"""Helpers for the lint engine tests: run the real CLI handler with chosen rules in a folder."""

from __future__ import annotations

import json
import shutil
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

from greentactics.cli import build_parser
from greentactics.errors import GreentacticsError
from greentactics.lint.commands import handle_lint
from greentactics.lint.rule import Rule
from tests.lint.sample_rules import SAMPLE_RULES

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "lint"


@dataclass
class LintOutput:
    """What one ``greentactics lint`` call printed and returned."""

    exit_code: int
    stdout: str
    stderr: str

    def json(self) -> Any:
        """stdout parsed as JSON."""
        return json.loads(self.stdout)


RunLint = Callable[..., LintOutput]


@pytest.fixture
def run_lint(monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> RunLint:
    """Call the lint handler as the CLI would, in ``cwd``, with ``rules`` available."""

    def run(
        *argv: str, cwd: Path, rules: Sequence[type[Rule]] = SAMPLE_RULES, stdin: str | None = None
    ) -> LintOutput:
        monkeypatch.chdir(cwd)
        if stdin is not None:
            import io

            monkeypatch.setattr("sys.stdin", io.StringIO(stdin))
        capsys.readouterr()
        args = build_parser().parse_args(["lint", *argv])
        try:
            code = handle_lint(args, tuple(rules))
        except GreentacticsError as error:
            print(f"greentactics: error: {error}", file=__import__("sys").stderr)
            code = error.exit_code
        captured = capsys.readouterr()
        return LintOutput(code, captured.out, captured.err)

    return run


@pytest.fixture
def project(tmp_path: Path) -> Path:
    """A copy of the sample project fixture, safe to modify."""
    target = tmp_path / "project"
    shutil.copytree(FIXTURES / "project", target)
    return target
