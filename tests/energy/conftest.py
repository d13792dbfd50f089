"""Fixtures for the energy meter tests: an isolated store and environment per test."""

from __future__ import annotations

import os
import sys
from pathlib import Path

import pytest

REPO_ROOT = Path(__file__).resolve().parents[2]
PYTHON = sys.executable


@pytest.fixture(autouse=True)
def isolated_energy_env(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Each test gets its own store, no inherited country, and a quiet CodeCarbon."""
    store = tmp_path / "energy.sqlite"
    monkeypatch.setenv("GREENTACTICS_ENERGY_STORE", str(store))
    monkeypatch.delenv("GREENTACTICS_COUNTRY", raising=False)
    monkeypatch.delenv("GREENTACTICS_PARENT_MEASUREMENT", raising=False)
    for name in list(os.environ):
        if name.startswith("CODECARBON_") and name != "CODECARBON_LOG_LEVEL":
            monkeypatch.delenv(name)
    return store


@pytest.fixture
def store_path(isolated_energy_env: Path) -> Path:
    return isolated_energy_env


def subprocess_env(**extra: str) -> dict[str, str]:
    """The environment for a child Python that imports greentactics from this checkout."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("CODECARBON_")}
    env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(REPO_ROOT), env.get("PYTHONPATH")]))
    env.update(extra)
    return env
