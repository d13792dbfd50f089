"""Project facts come from the whole project, while only the given files are checked.

The fixture is a real two-module project: ``train.py`` trains and calls ``persist()`` from
``storage.py``, which saves a checkpoint with ``torch.save``. Linting only ``train.py`` (what
pre-commit does when only it is staged) must still see that the project checkpoints.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from greentactics.lint.rules import ALL_RULES
from tests.lint.conftest import FIXTURES, RunLint

CHECKPOINT_RULES = ("--select", "GT401,GT402")


@pytest.fixture
def split_project(tmp_path: Path) -> Path:
    """A copy of the two-module project (train.py + storage.py)."""
    target = tmp_path / "split_project"
    shutil.copytree(FIXTURES / "split_project", target)
    return target


def _findings(run_lint: RunLint, *argv: str, cwd: Path) -> set[tuple[str, str, int]]:
    result = run_lint("--format", "json", *CHECKPOINT_RULES, *argv, cwd=cwd, rules=ALL_RULES)
    assert result.exit_code in (0, 1), result.stderr
    return {(f["code"], f["path"], f["line"]) for f in result.json()["findings"]}


def test_linting_one_file_sees_a_checkpoint_helper_in_another_module(
    run_lint: RunLint, split_project: Path
) -> None:
    only_train = _findings(run_lint, "--no-cache", "train.py", cwd=split_project)
    whole = _findings(run_lint, "--no-cache", ".", cwd=split_project)
    # Checkpoints are saved (in storage.py) but never loaded: GT402, not GT401.
    assert only_train == whole == {("GT402", "train.py", 15)}


def test_no_project_facts_reads_only_the_linted_files(
    run_lint: RunLint, split_project: Path
) -> None:
    flag = _findings(run_lint, "--no-cache", "--no-project-facts", "train.py", cwd=split_project)
    assert flag == {("GT401", "train.py", 10)}
    (split_project / "pyproject.toml").write_text("[tool.greentactics]\nproject-facts = false\n")
    setting = _findings(run_lint, "--no-cache", "train.py", cwd=split_project)
    assert setting == {("GT401", "train.py", 10)}


def test_the_project_is_the_config_directory_with_its_excludes_and_gitignore(
    run_lint: RunLint, split_project: Path
) -> None:
    (split_project / "src").mkdir()
    (split_project / "lib").mkdir()
    (split_project / "train.py").rename(split_project / "src" / "train.py")
    (split_project / "storage.py").rename(split_project / "lib" / "storage.py")
    config = split_project / "pyproject.toml"
    config.write_text("[tool.greentactics]\n")
    assert _findings(run_lint, "--no-cache", "src/train.py", cwd=split_project) == {
        ("GT402", "src/train.py", 15)
    }
    config.write_text('[tool.greentactics]\nextend-exclude = ["lib/"]\n')
    assert _findings(run_lint, "--no-cache", "src/train.py", cwd=split_project) == {
        ("GT401", "src/train.py", 10)
    }
    config.write_text("[tool.greentactics]\n")
    (split_project / ".gitignore").write_text("lib/\n")
    assert _findings(run_lint, "--no-cache", "src/train.py", cwd=split_project) == {
        ("GT401", "src/train.py", 10)
    }


def test_cached_facts_of_an_unlinted_module_follow_its_edits(
    run_lint: RunLint, split_project: Path
) -> None:
    assert _findings(run_lint, "train.py", cwd=split_project) == {("GT402", "train.py", 15)}
    assert _findings(run_lint, "train.py", cwd=split_project) == {("GT402", "train.py", 15)}
    storage = split_project / "storage.py"
    storage.write_text(storage.read_text().replace("torch.save", "print"))
    assert _findings(run_lint, "train.py", cwd=split_project) == {("GT401", "train.py", 10)}


def test_a_broken_module_elsewhere_in_the_project_is_not_reported(
    run_lint: RunLint, split_project: Path
) -> None:
    (split_project / "broken.py").write_text("def f(:\n")
    assert _findings(run_lint, "--no-cache", "train.py", cwd=split_project) == {
        ("GT402", "train.py", 15)
    }


def test_parallel_fact_gathering_over_the_project_agrees_with_serial(
    run_lint: RunLint, split_project: Path
) -> None:
    for index in range(12):  # enough unlinted modules for phase 1 to use worker processes
        (split_project / f"module_{index:02d}.py").write_text(f"def f{index}():\n    return 1\n")
    serial = _findings(run_lint, "--no-cache", "-j", "1", "train.py", cwd=split_project)
    parallel = _findings(run_lint, "--no-cache", "-j", "2", "train.py", cwd=split_project)
    assert serial == parallel == {("GT402", "train.py", 15)}


def test_a_project_too_large_to_be_one_falls_back_to_the_linted_files(
    run_lint: RunLint, split_project: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr("greentactics.lint.engine.MAX_PROJECT_FILES", 1)
    result = run_lint(
        "--no-cache",
        "--format",
        "json",
        *CHECKPOINT_RULES,
        "train.py",
        cwd=split_project,
        rules=ALL_RULES,
    )
    assert [(f["code"], f["line"]) for f in result.json()["findings"]] == [("GT401", 10)]
    assert "holds more than 1 files" in result.stderr
