"""The MkDocs hook refuses to build a site that would silently lose or hide something."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

REPO_ROOT = Path(__file__).resolve().parents[2]


def _project_copy(tmp_path: Path) -> Path:
    """A copy of the docs project (mkdocs.yml, site/, catalog/) that a test may break."""
    shutil.copy(REPO_ROOT / "mkdocs.yml", tmp_path / "mkdocs.yml")
    shutil.copytree(REPO_ROOT / "site", tmp_path / "site")
    shutil.copytree(REPO_ROOT / "catalog", tmp_path / "catalog")
    (tmp_path / "greentactics").symlink_to(REPO_ROOT / "greentactics")  # watched by mkdocs serve
    if (REPO_ROOT / "evidence").is_dir():
        shutil.copytree(REPO_ROOT / "evidence", tmp_path / "evidence")
    return tmp_path


def _build(project: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "mkdocs", "build", "--strict"],
        cwd=project,
        env={**os.environ, "NO_MKDOCS_2_WARNING": "1"},
        capture_output=True,
        text=True,
        timeout=120,
    )


@pytest.mark.slow
def test_a_hand_written_page_in_place_of_a_generated_one_stops_the_build(tmp_path: Path) -> None:
    project = _project_copy(tmp_path)
    (project / "site" / "tactics").mkdir()
    (project / "site" / "tactics" / "apply-early-stopping.md").write_text("# Stale copy\n")
    result = _build(project)
    assert result.returncode == 1
    assert "site/tactics/apply-early-stopping.md is generated" in result.stderr


@pytest.mark.slow
def test_an_invalid_catalog_stops_the_build_with_the_loaders_message(tmp_path: Path) -> None:
    project = _project_copy(tmp_path)
    tactic = project / "catalog" / "tactics" / "apply-early-stopping.yaml"
    tactic.write_text(tactic.read_text().replace("category: model-training", "category: training"))
    result = _build(project)
    assert result.returncode == 1
    assert "cannot render the catalog pages" in result.stderr
    assert "apply-early-stopping.yaml" in result.stderr
