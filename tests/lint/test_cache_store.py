"""The SQLite lint cache: project facts answered from it, stat shortcut, pruning, concurrency.

Runs use the real two-module project (``train.py`` calls ``persist()`` from ``storage.py``,
which saves a checkpoint), so a fact missing from the cache shows up as a wrong finding:
GT402 (saved, never resumed) is right, GT401 (never saved) means storage.py's facts were lost.
"""

from __future__ import annotations

import os
import shutil
import sqlite3
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from greentactics.lint.cache import RACY_NS, FileRecord, stat_signature
from greentactics.lint.rules import ALL_RULES
from tests.lint.conftest import FIXTURES, RunLint

RULES = ("--select", "GT401,GT402")
SAVED_NOT_RESUMED = {("GT402", "train.py", 15)}
NEVER_SAVED = {("GT401", "train.py", 10)}


@pytest.fixture
def split_project(tmp_path: Path) -> Path:
    target = tmp_path / "split_project"
    shutil.copytree(FIXTURES / "split_project", target)
    (target / "pyproject.toml").write_text("[tool.greentactics]\n")
    return target


@pytest.fixture
def short_racy_window(monkeypatch: pytest.MonkeyPatch) -> None:
    """Files count as settled 50 ms after they changed (2 s by default), so a test can wait."""
    monkeypatch.setattr("greentactics.lint.cache.RACY_NS", 50_000_000)


def _findings(run_lint: RunLint, *argv: str, cwd: Path) -> set[tuple[str, str, int]]:
    result = run_lint("--format", "json", *RULES, *argv, cwd=cwd, rules=ALL_RULES)
    assert result.exit_code in (0, 1), result.stderr
    return {(f["code"], f["path"], f["line"]) for f in result.json()["findings"]}


def _database(project: Path) -> Path:
    (database,) = (project / ".greentactics_cache").rglob("cache.sqlite3")
    return database


def _query(project: Path, sql: str) -> list[tuple[Any, ...]]:
    with sqlite3.connect(_database(project)) as connection:
        return connection.execute(sql).fetchall()


_OPENED: list[str] | None = None


def _record_opens(event: str, args: tuple[Any, ...]) -> None:
    if _OPENED is not None and event == "open" and isinstance(args[0], str | bytes | os.PathLike):
        _OPENED.append(os.fspath(args[0]) if not isinstance(args[0], bytes) else args[0].decode())


sys.addaudithook(_record_opens)


@pytest.fixture
def opened_files() -> Iterator[list[str]]:
    """The paths Python opens while the test runs (an audit hook; it only records)."""
    global _OPENED
    _OPENED = []
    try:
        yield _OPENED
    finally:
        _OPENED = None


def test_a_warm_run_answers_project_facts_from_the_database(
    run_lint: RunLint, split_project: Path
) -> None:
    assert _findings(run_lint, "train.py", cwd=split_project) == SAVED_NOT_RESUMED
    stored = _query(
        split_project,
        "SELECT files.display, facts.kind FROM facts JOIN files ON facts.file = files.id",
    )
    assert ("storage.py", "persists-training-state") in stored
    # Edit train.py only (its results and facts are recomputed): storage.py's facts now come
    # from the database, not from parsing it again.
    train = split_project / "train.py"
    train.write_text(train.read_text() + "# edited\n")
    assert _findings(run_lint, "train.py", cwd=split_project) == SAVED_NOT_RESUMED
    assert _findings(run_lint, "--no-cache", "train.py", cwd=split_project) == SAVED_NOT_RESUMED


def test_unchanged_modules_are_not_read_again(
    run_lint: RunLint, split_project: Path, opened_files: list[str], short_racy_window: None
) -> None:
    storage = split_project / "storage.py"
    time.sleep(0.1)
    _findings(run_lint, "train.py", cwd=split_project)
    assert str(storage) in opened_files  # the first run read it
    opened_files.clear()
    train = split_project / "train.py"
    train.write_text(train.read_text() + "# edited\n")
    assert _findings(run_lint, "train.py", cwd=split_project) == SAVED_NOT_RESUMED
    assert str(train) in opened_files
    assert str(storage) not in opened_files  # same size, mtime, ctime and inode: not read


def test_an_edit_that_keeps_size_and_mtime_is_still_seen(
    run_lint: RunLint, split_project: Path, short_racy_window: None
) -> None:
    storage = split_project / "storage.py"
    time.sleep(0.1)
    _findings(run_lint, "train.py", cwd=split_project)
    text = storage.read_text()
    edited = text.replace("torch.save(", "torch.xave(")  # same length, no longer a save
    assert len(edited) == len(text)
    stat = storage.stat()
    storage.write_text(edited)
    os.utime(storage, ns=(stat.st_atime_ns, stat.st_mtime_ns))  # even with the old mtime
    assert _findings(run_lint, "train.py", cwd=split_project) == NEVER_SAVED


def test_a_file_changed_just_before_it_was_recorded_is_hashed_again(tmp_path: Path) -> None:
    module = tmp_path / "m.py"
    module.write_text("x = 1\n")
    signature = stat_signature(module.stat())
    mtime = module.stat().st_mtime_ns
    racy = FileRecord(1, "hash", "m.py", signature, mtime + RACY_NS // 2, "digest")
    settled = FileRecord(1, "hash", "m.py", signature, mtime + 2 * RACY_NS, "digest")
    assert not racy.unchanged_by_stat(signature)
    assert settled.unchanged_by_stat(signature)
    module.write_text("x = 22\n")
    assert not settled.unchanged_by_stat(stat_signature(module.stat()))


def test_a_deleted_module_leaves_the_project_and_the_cache(
    run_lint: RunLint, split_project: Path
) -> None:
    assert _findings(run_lint, "train.py", cwd=split_project) == SAVED_NOT_RESUMED
    (split_project / "storage.py").unlink()
    assert _findings(run_lint, "train.py", cwd=split_project) == NEVER_SAVED
    assert _query(split_project, "SELECT display FROM files") == [("train.py",)]


def test_phase_two_in_worker_processes_reads_the_database(
    run_lint: RunLint, split_project: Path
) -> None:
    for index in range(10):  # enough files to check for worker processes
        (split_project / f"loop_{index:02d}.py").write_text(
            (split_project / "train.py").read_text()
        )
    expected = _findings(run_lint, "--no-cache", "-j", "1", ".", cwd=split_project)
    assert len(expected) == 11
    assert _findings(run_lint, "-j", "1", ".", cwd=split_project) == expected
    # Another configuration (same fact collectors): every file is checked again, in workers
    # that get the project facts as the database path plus row ids.
    argv = ("-j", "2", "--report-unused-suppressions", ".")
    assert _findings(run_lint, *argv, cwd=split_project) == expected


def test_concurrent_runs_share_one_cache_and_lose_no_write(split_project: Path) -> None:
    # Six runs start at once on a project without a cache: they race to create the database
    # and to write; each lints its own file, so each must leave its own results row.
    command = [sys.executable, "-m", "greentactics", "lint", "--format", "json", *RULES]
    for index in range(6):
        (split_project / f"helper_{index}.py").write_text(f"def helper_{index}():\n    return 1\n")
    runs = [
        subprocess.Popen(
            [*command, "-j", "1", "train.py", f"helper_{index}.py"],
            cwd=split_project,
            stdout=subprocess.PIPE,
            text=True,
        )
        for index in range(6)
    ]
    outputs = [run.communicate(timeout=120)[0] for run in runs]
    assert [run.returncode for run in runs] == [1] * 6
    assert all('"GT402"' in output and '"GT401"' not in output for output in outputs)
    files = _query(split_project, "SELECT display FROM files ORDER BY display")
    assert files == sorted({(p.name,) for p in split_project.glob("*.py")})
    results = _query(split_project, "SELECT path FROM results")
    assert len(results) == 7  # train.py and the six helpers


def test_a_foreign_database_in_the_cache_directory_is_replaced(
    run_lint: RunLint, split_project: Path
) -> None:
    _findings(run_lint, "train.py", cwd=split_project)
    database = _database(split_project)
    for leftover in database.parent.glob("cache.sqlite3*"):
        leftover.unlink()
    with sqlite3.connect(database) as connection:
        connection.execute("CREATE TABLE unrelated (x)")
    assert _findings(run_lint, "train.py", cwd=split_project) == SAVED_NOT_RESUMED
    assert _query(split_project, "SELECT value FROM meta") == [("1",)]


def test_a_cache_directory_that_cannot_be_created_leaves_the_run_without_a_cache(
    run_lint: RunLint, split_project: Path
) -> None:
    blocker = split_project / "not-a-directory"
    blocker.write_text("a file where the cache directory would go\n")
    cache = blocker / "cache"
    for _ in range(2):
        argv = ("--cache-dir", str(cache), "train.py")
        assert _findings(run_lint, *argv, cwd=split_project) == SAVED_NOT_RESUMED
    assert blocker.read_text().startswith("a file")
