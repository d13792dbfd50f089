"""greentactics: the green architectural tactics for ML-enabled systems, as tools.

The catalog (:func:`load_catalog`), the linter (``greentactics lint``), the energy meter
(:func:`measure_energy`) and the docs site all share one validated catalog of tactics.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

__version__ = "0.1.0"

__all__ = ["__version__", "load_catalog", "measure_energy"]

if TYPE_CHECKING:
    from greentactics.catalog import load_catalog
    from greentactics.energy import measure_energy


def __getattr__(name: str) -> Any:
    # Lazy: `greentactics lint` must start fast, so heavy modules load only when asked for.
    if name == "load_catalog":
        from greentactics.catalog import load_catalog

        return load_catalog
    if name == "measure_energy":
        from greentactics.energy import measure_energy

        return measure_energy
    raise AttributeError(f"module 'greentactics' has no attribute {name!r}")
