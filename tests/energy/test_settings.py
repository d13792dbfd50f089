"""Where country, store and mode come from: argument, environment, pyproject.toml, default."""

from __future__ import annotations

from pathlib import Path

import pytest

from greentactics.energy.settings import DEFAULT_COUNTRY, resolve_settings
from greentactics.errors import ConfigError


def write_pyproject(root: Path, table: str) -> Path:
    (root / "pyproject.toml").write_text(
        f"[project]\nname='x'\n\n[tool.greentactics.energy]\n{table}\n"
    )
    return root


def test_defaults_without_config(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("GREENTACTICS_ENERGY_STORE")
    (tmp_path / "pyproject.toml").write_text("[project]\nname='x'\n")
    nested = tmp_path / "src" / "pkg"
    nested.mkdir(parents=True)
    settings = resolve_settings(cwd=nested)
    assert settings.country == DEFAULT_COUNTRY == "USA"
    assert settings.project_root == tmp_path
    assert settings.store == tmp_path / ".greentactics" / "energy.sqlite"
    assert settings.tracking_mode == "machine"


def test_config_then_env_then_argument(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("GREENTACTICS_ENERGY_STORE")
    write_pyproject(tmp_path, 'country = "FRA"\nstore = "data/e.sqlite"\ntracking_mode = "process"')
    settings = resolve_settings(cwd=tmp_path)
    assert (settings.country, settings.tracking_mode) == ("FRA", "process")
    assert settings.store == tmp_path / "data" / "e.sqlite"
    monkeypatch.setenv("GREENTACTICS_COUNTRY", "DEU")
    monkeypatch.setenv("GREENTACTICS_ENERGY_STORE", str(tmp_path / "env.sqlite"))
    settings = resolve_settings(cwd=tmp_path)
    assert settings.country == "DEU" and settings.store == tmp_path / "env.sqlite"
    settings = resolve_settings(country="nld", store=tmp_path / "arg.sqlite", cwd=tmp_path)
    assert settings.country == "NLD" and settings.store == tmp_path / "arg.sqlite"


@pytest.mark.parametrize(
    "table",
    [
        'colour = "green"',
        'country = "Germany"',
        'tracking_mode = "node"',
        "measure_power_secs = -1",
    ],
)
def test_bad_config_is_a_config_error(tmp_path: Path, table: str) -> None:
    write_pyproject(tmp_path, table)
    with pytest.raises(ConfigError):
        resolve_settings(cwd=tmp_path)


def test_country_from_config_reaches_the_measurement(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from greentactics import measure_energy

    write_pyproject(tmp_path, 'country = "FRA"')
    monkeypatch.chdir(tmp_path)
    with measure_energy(store=False) as m:
        pass
    assert m.measurement is not None and m.measurement.country_iso_code == "FRA"
