"""Fixtures for the experiment tests: an isolated energy store per test."""

from __future__ import annotations

import os
from pathlib import Path

import pytest


@pytest.fixture(autouse=True)
def isolated_energy_store(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Each test writes measurements to its own store and runs CodeCarbon without overrides."""
    store = tmp_path / "energy.sqlite"
    monkeypatch.setenv("GREENTACTICS_ENERGY_STORE", str(store))
    monkeypatch.delenv("GREENTACTICS_COUNTRY", raising=False)
    for name in list(os.environ):
        if name.startswith("CODECARBON_") and name != "CODECARBON_LOG_LEVEL":
            monkeypatch.delenv(name)
    return store
