"""Where the meter's settings come from: arguments, then environment, then pyproject.toml.

``[tool.greentactics.energy]`` in the nearest pyproject.toml (found by walking up from the
working directory) may set ``country``, ``store``, ``tracking_mode`` and
``measure_power_secs``. Environment variables ``GREENTACTICS_COUNTRY`` and
``GREENTACTICS_ENERGY_STORE`` override the file; explicit arguments override both.
"""

from __future__ import annotations

import os
import re
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from greentactics.errors import ConfigError

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover - exercised on Python 3.10 only
    import tomli as tomllib  # type: ignore[import-not-found,unused-ignore]

DEFAULT_COUNTRY = "USA"
"""ISO-3166 alpha-3 code used when nothing else is configured (CodeCarbon's offline table)."""

DEFAULT_STORE = Path(".greentactics") / "energy.sqlite"
DEFAULT_TRACKING_MODE = "machine"
DEFAULT_MEASURE_POWER_SECS = 15.0
"""CodeCarbon's integration interval. Energy is exact at the window edges either way (stop()
takes a final reading); a long interval keeps the sampler's wake-ups rare."""

COUNTRY_ENV = "GREENTACTICS_COUNTRY"
STORE_ENV = "GREENTACTICS_ENERGY_STORE"
_KNOWN_KEYS = {"country", "store", "tracking_mode", "measure_power_secs"}
_ISO3 = re.compile(r"^[A-Za-z]{3}$")


@dataclass(frozen=True)
class EnergySettings:
    country: str
    store: Path
    tracking_mode: str
    measure_power_secs: float
    project_root: Path


def find_pyproject(start: Path | None = None) -> Path | None:
    """The nearest pyproject.toml in ``start`` (default: cwd) or a parent, or None."""
    here = (start or Path.cwd()).resolve()
    for directory in (here, *here.parents):
        candidate = directory / "pyproject.toml"
        if candidate.is_file():
            return candidate
    return None


def read_config(pyproject: Path | None) -> dict[str, Any]:
    """The ``[tool.greentactics.energy]`` table, validated; {} when absent."""
    if pyproject is None:
        return {}
    try:
        with pyproject.open("rb") as handle:
            document = tomllib.load(handle)
    except (OSError, tomllib.TOMLDecodeError) as error:
        raise ConfigError(f"{pyproject}: cannot read it as TOML: {error}") from error
    table = document.get("tool", {}).get("greentactics", {}).get("energy", {})
    if not isinstance(table, dict):
        raise ConfigError(f"{pyproject}: [tool.greentactics.energy] must be a table")
    unknown = set(table) - _KNOWN_KEYS
    if unknown:
        raise ConfigError(
            f"{pyproject}: unknown key(s) in [tool.greentactics.energy]: "
            f"{', '.join(sorted(unknown))} (known: {', '.join(sorted(_KNOWN_KEYS))})"
        )
    return table


def resolve_settings(
    *,
    country: str | None = None,
    store: str | os.PathLike[str] | None = None,
    tracking_mode: str | None = None,
    measure_power_secs: float | None = None,
    cwd: Path | None = None,
) -> EnergySettings:
    """Combine arguments, environment and pyproject.toml into validated settings."""
    pyproject = find_pyproject(cwd)
    root = pyproject.parent if pyproject else (cwd or Path.cwd()).resolve()
    config = read_config(pyproject)

    chosen_country = country or os.environ.get(COUNTRY_ENV) or config.get("country")
    chosen_country = str(chosen_country or DEFAULT_COUNTRY)
    if not _ISO3.match(chosen_country):
        raise ConfigError(
            f"country {chosen_country!r} is not an ISO-3166 alpha-3 code (e.g. USA, DEU, FRA)"
        )

    if store is not None:
        store_path = Path(store)
    elif os.environ.get(STORE_ENV):
        store_path = Path(os.environ[STORE_ENV])
    elif config.get("store"):
        store_path = root / str(config["store"])  # relative to the project root
    else:
        store_path = root / DEFAULT_STORE
    if not store_path.is_absolute():
        store_path = (cwd or Path.cwd()) / store_path

    mode = str(tracking_mode or config.get("tracking_mode") or DEFAULT_TRACKING_MODE)
    if mode not in ("machine", "process"):
        raise ConfigError(f"tracking_mode must be 'machine' or 'process', not {mode!r}")

    secs_raw = measure_power_secs or config.get("measure_power_secs") or DEFAULT_MEASURE_POWER_SECS
    try:
        secs = float(secs_raw)
    except (TypeError, ValueError) as error:
        raise ConfigError(f"measure_power_secs must be a number, not {secs_raw!r}") from error
    if secs <= 0:
        raise ConfigError("measure_power_secs must be positive")

    return EnergySettings(
        country=chosen_country.upper(),
        store=store_path.absolute(),
        tracking_mode=mode,
        measure_power_secs=secs,
        project_root=root,
    )
