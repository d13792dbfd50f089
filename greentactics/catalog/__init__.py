"""The catalog of green tactics: pydantic models, the YAML loader and the exports.

The names below load on first use, so commands that never touch the catalog (``lint`` on a few
files) do not pay for importing pydantic.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from greentactics.lazy_exports import lazy_exports
from greentactics.urls import SITE_URL

if TYPE_CHECKING:
    from greentactics.catalog.catalog import Catalog
    from greentactics.catalog.export import export_csv, export_json, export_schema
    from greentactics.catalog.loader import (
        CatalogError,
        Problem,
        default_catalog_dir,
        load_catalog,
    )

__all__ = [
    "SITE_URL",
    "Catalog",
    "CatalogError",
    "Problem",
    "default_catalog_dir",
    "export_csv",
    "export_json",
    "export_schema",
    "load_catalog",
]

_LAZY = {
    "Catalog": "greentactics.catalog.catalog",
    "export_csv": "greentactics.catalog.export",
    "export_json": "greentactics.catalog.export",
    "export_schema": "greentactics.catalog.export",
    "CatalogError": "greentactics.catalog.loader",
    "Problem": "greentactics.catalog.loader",
    "default_catalog_dir": "greentactics.catalog.loader",
    "load_catalog": "greentactics.catalog.loader",
}


__getattr__, __dir__ = lazy_exports(__name__, _LAZY, __all__)
