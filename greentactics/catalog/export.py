"""Exports of the catalog: JSON, CSV (one row per tactic) and the JSON Schema of the JSON export."""

from __future__ import annotations

import csv
import io
import json

from pydantic import BaseModel, ConfigDict

from greentactics.catalog.catalog import Catalog
from greentactics.catalog.model import CategoryInfo, Source, Tactic
from greentactics.urls import tactic_url

EXPORT_SCHEMA_VERSION = "1.0"


class CatalogExport(BaseModel):
    """The shape of ``catalog.json``: every record, plus a schema version for consumers."""

    model_config = ConfigDict(extra="forbid", title="greentactics catalog")

    schema_version: str
    tactics: list[Tactic]
    categories: list[CategoryInfo]
    sources: list[Source]


def export_model(catalog: Catalog) -> CatalogExport:
    """The catalog as its export model."""
    return CatalogExport(
        schema_version=EXPORT_SCHEMA_VERSION,
        tactics=list(catalog.tactics),
        categories=list(catalog.categories),
        sources=list(catalog.sources),
    )


def export_json(catalog: Catalog) -> str:
    """The whole catalog as JSON; it validates against :func:`export_schema`."""
    return export_model(catalog).model_dump_json(indent=2) + "\n"


def export_schema() -> str:
    """The JSON Schema (draft 2020-12) of the JSON export."""
    schema = CatalogExport.model_json_schema(mode="serialization")
    schema["$schema"] = "https://json-schema.org/draft/2020-12/schema"
    return json.dumps(schema, indent=2) + "\n"


CSV_COLUMNS = (
    "id",
    "slug",
    "name",
    "category",
    "origin",
    "summary",
    "target_quality",
    "related_qualities",
    "participants",
    "artifact",
    "lifecycle_stages",
    "detectability",
    "measured_impact",
    "sources",
    "source_links",
    "relationships",
    "status",
    "version",
    "created",
    "modified",
    "url",
)


def _csv_row(catalog: Catalog, tactic: Tactic) -> dict[str, str]:
    impacts = [
        f"{'up to ' if i.upper_bound else ''}{i.value:g}{i.unit} {i.metric}"
        for i in tactic.measured_impact
    ]
    return {
        "id": tactic.id,
        "slug": tactic.slug,
        "name": tactic.name,
        "category": tactic.category.value,
        "origin": tactic.origin.value,
        "summary": tactic.summary,
        "target_quality": tactic.qualities.target.value,
        "related_qualities": ";".join(q.value for q in tactic.qualities.related),
        "participants": ";".join(r.value for r in tactic.participants),
        "artifact": tactic.artifact.value,
        "lifecycle_stages": ";".join(s.value for s in tactic.lifecycle_stages),
        "detectability": tactic.detectability.value,
        "measured_impact": ";".join(impacts),
        "sources": ";".join(tactic.sources),
        "source_links": ";".join(catalog.source(s).link for s in tactic.sources),
        "relationships": ";".join(
            f"{r.kind.value}:{r.target}" for r in catalog.relationships_of(tactic)
        ),
        "status": tactic.status.value,
        "version": tactic.version,
        "created": tactic.created.isoformat(),
        "modified": tactic.modified.isoformat(),
        "url": tactic_url(tactic.slug),
    }


def export_csv(catalog: Catalog) -> str:
    """One row per tactic; list-valued fields are joined with ``;``."""
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=CSV_COLUMNS, lineterminator="\n")
    writer.writeheader()
    for tactic in catalog.tactics:
        writer.writerow(_csv_row(catalog, tactic))
    return buffer.getvalue()
