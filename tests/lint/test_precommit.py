"""The real pre-commit tool runs our hook from a copy of this repository on staged files."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

REPO_ROOT = Path(__file__).resolve().parents[2]
_NOT_COPIED = shutil.ignore_patterns(
    ".git", ".venv", "*.egg-info", "__pycache__", ".*_cache", "site_build", "build", "dist"
)


def _git(cwd: Path, *args: str) -> str:
    completed = subprocess.run(
        ["git", "-c", "user.name=test", "-c", "user.email=test@example.com", *args],
        cwd=cwd,
        check=True,
        capture_output=True,
        text=True,
    )
    return completed.stdout.strip()


@pytest.mark.slow
@pytest.mark.timeout(600)
def test_pre_commit_runs_the_hook_on_staged_files_only(tmp_path: Path) -> None:
    # pre-commit clones the hook repository at a commit: make one from the working tree.
    hook_repo = tmp_path / "hook-repo"
    shutil.copytree(REPO_ROOT, hook_repo, ignore=_NOT_COPIED, symlinks=True)
    _git(hook_repo, "init", "-q")
    _git(hook_repo, "add", "-A")
    _git(hook_repo, "commit", "-q", "-m", "hook repository snapshot")
    revision = _git(hook_repo, "rev-parse", "HEAD")

    app = tmp_path / "app"
    app.mkdir()
    _git(app, "init", "-q")
    (app / ".pre-commit-config.yaml").write_text(
        f"repos:\n- repo: {hook_repo.as_posix()}\n  rev: {revision}\n"
        "  hooks:\n  - id: greentactics-lint\n"
    )
    (app / "train.py").write_text(
        "import torch\nfor epoch in range(3):\n    loss.backward()\n    opt.step()\n"
    )
    (app / "notes.py").write_text("print('no training here')\n")
    (app / "unstaged.py").write_text("model.eval()\npreds = model(x)\n")
    _git(app, "add", ".pre-commit-config.yaml", "train.py", "notes.py")

    # pip inherits this environment's configuration (local indexes and find-links).
    env = {**os.environ, "PRE_COMMIT_HOME": str(tmp_path / "pre-commit-home")}
    pre_commit = [sys.executable, "-m", "pre_commit"]
    completed = subprocess.run(
        [*pre_commit, "run"], cwd=app, env=env, capture_output=True, text=True, check=False
    )
    output = completed.stdout + completed.stderr
    assert completed.returncode == 1, output
    assert "greentactics lint" in output and "Failed" in output
    assert "train.py:2:1: GT401" in output
    assert "unstaged.py" not in output
    assert "in 1 of 2 file(s)" in output  # only the staged Python files were passed
