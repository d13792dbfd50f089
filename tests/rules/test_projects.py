"""The cross-file cases: small multi-file projects under tests/rules/fixtures, linted whole.

Each project is linted by the real engine with every rule; the expected findings are listed as
(code, path, line). Projects show what a reviewer reads across files: an evaluation helper that
is always called under ``torch.no_grad()``, checkpointing in a helper module, Lightning's own
loops and checkpoints, energy measured in another module, and training code inside tests.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from greentactics.lint.engine import LintEngine, RunOptions
from greentactics.lint.rules import ALL_RULES
from greentactics.lint.settings import Settings

FIXTURES = Path(__file__).parent / "fixtures"

EXPECTED = {
    # accuracy() switches to eval mode; its only caller wraps it in no_grad; checkpoints are saved
    # by a helper module and loaded back on start.
    "eval_helper_called_under_no_grad": {("GT601", "train.py", 16)},
    # One caller of accuracy() is under no_grad, the other (report.py) is not.
    "eval_helper_called_with_grad": {("GT403", "metrics.py", 6)},
    # The loop saves through checkpointing.save_checkpoint every epoch; nothing ever loads one.
    "checkpoint_helper_without_resume": {("GT601", "train.py", 10), ("GT402", "train.py", 15)},
    # Lightning: validation_step runs under no_grad, the Trainer checkpoints by default, and its
    # loops are not hand-written training loops on CUDA.
    "lightning_project": {("GT601", "train.py", 7)},
    # EmissionsTracker lives in energy.py; the training loop in train.py is measured.
    "monitored_project": set(),
    # A test that trains two steps is not a training entry point.
    "only_tests": set(),
}


def lint_project(root: Path) -> set[tuple[str, str, int]]:
    """Findings of every rule over a whole fixture project, as (code, path, line)."""
    engine = LintEngine(
        Settings(root=root), ALL_RULES, RunOptions(use_cache=False, jobs=1), cwd=root
    )
    run = engine.lint_paths([root])
    return {(finding.code, finding.path, finding.line) for finding in run.findings}


@pytest.mark.parametrize("project", sorted(EXPECTED))
def test_project_findings_follow_code_across_files(project: str) -> None:
    assert lint_project(FIXTURES / project) == EXPECTED[project]


def test_every_fixture_project_has_an_expectation() -> None:
    assert {path.name for path in FIXTURES.iterdir() if path.is_dir()} == set(EXPECTED)
