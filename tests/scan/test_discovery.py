"""Which files a scan reads: .gitignore, test files, explicit paths."""

from __future__ import annotations

import shutil
from pathlib import Path, PurePath

import pytest

from greentactics.scan.discovery import discover, is_test_path
from greentactics.scan.scanner import scan_paths

FIXTURE = Path(__file__).parent / "fixtures" / "project"


@pytest.fixture
def project(tmp_path: Path) -> Path:
    """A small project whose .gitignore names a generated module (written here: git would not
    keep an ignored file in the repository)."""
    root = tmp_path / "project"
    shutil.copytree(FIXTURE, root)
    (root / "src" / "generated.py").write_text(
        "from sklearn.decomposition import PCA\n\nPROJECTION = PCA(n_components=16)\n",
        encoding="utf-8",
    )
    return root


def names(root: Path, paths: list[Path], **options: object) -> list[str]:
    return [
        source.path.relative_to(root).as_posix()
        for source in discover(paths, **options).files  # type: ignore[arg-type]
    ]


def test_gitignored_and_test_files_are_skipped_by_default(project: Path) -> None:
    assert names(project, [project]) == ["src/train.py"]


def test_include_tests_adds_test_files_and_marks_their_evidence(project: Path) -> None:
    assert names(project, [project], include_tests=True) == ["src/train.py", "tests/checks.py"]
    report = scan_paths([project], include_tests=True)
    selection = next(t for t in report.tactics if t.id == "T03")
    assert selection.status == "applied"
    assert all(item.in_tests for item in selection.evidence)


def test_a_file_named_explicitly_is_always_scanned(project: Path) -> None:
    ignored = project / "src" / "generated.py"
    assert names(project, [ignored]) == ["src/generated.py"]
    report = scan_paths([ignored])
    assert next(t for t in report.tactics if t.id == "T05").status == "applied"


def test_exclude_patterns(project: Path) -> None:
    assert names(project, [project], exclude=["src/"]) == []


def test_test_paths_are_judged_below_the_scanned_directory() -> None:
    assert is_test_path(PurePath("tests/test_model.py"))
    assert is_test_path(PurePath("pkg/model_test.py"))
    assert is_test_path(PurePath("conftest.py"))
    assert not is_test_path(PurePath("src/testing_utils.py"))
    assert not is_test_path(PurePath("train.py"))
