"""The catalog of green tactics: pydantic models, the YAML loader and the exports."""

from __future__ import annotations

from greentactics.catalog.catalog import Catalog
from greentactics.catalog.export import export_csv, export_json, export_schema
from greentactics.catalog.loader import CatalogError, Problem, default_catalog_dir, load_catalog
from greentactics.urls import SITE_URL

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
