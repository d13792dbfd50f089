"""``greentactics catalog``: validate, list, show and export the catalog."""

from __future__ import annotations

import argparse
import json
import sys
import textwrap
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from greentactics.catalog.catalog import Catalog
    from greentactics.catalog.model import Tactic

CATEGORY_CHOICES = (
    "data-centric",
    "algorithm-design",
    "model-optimization",
    "model-training",
    "deployment",
    "management",
)


def register(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """Add the ``catalog`` command and its sub-commands."""
    parser = subparsers.add_parser("catalog", help="validate, list, show and export the catalog")
    parser.set_defaults(handler=lambda _args: _print_help(parser))
    commands = parser.add_subparsers(dest="catalog_command", metavar="SUBCOMMAND")

    validate = commands.add_parser("validate", help="check a catalog folder; exit 1 if invalid")
    validate.add_argument("directory", nargs="?", help="catalog folder (default: shipped)")
    validate.set_defaults(handler=_validate)

    listing = commands.add_parser("list", help="list tactics")
    _add_catalog_option(listing)
    listing.add_argument("--category", choices=CATEGORY_CHOICES, help="only this category")
    listing.add_argument("--origin", choices=("paper", "extension"), help="only this origin")
    listing.add_argument("--format", choices=("table", "json"), default="table")
    listing.set_defaults(handler=_list)

    show = commands.add_parser("show", help="show one tactic by ID (T19) or slug")
    _add_catalog_option(show)
    show.add_argument("tactic", help="tactic ID or slug")
    show.add_argument("--format", choices=("text", "json"), default="text")
    show.set_defaults(handler=_show)

    export = commands.add_parser("export", help="export the catalog as JSON, CSV or JSON Schema")
    _add_catalog_option(export)
    export.add_argument("--format", choices=("json", "csv", "schema"), required=True)
    export.add_argument("-o", "--output", help="write to this file instead of standard output")
    export.set_defaults(handler=_export)


def _print_help(parser: argparse.ArgumentParser) -> int:
    parser.print_help()
    return 2


def _add_catalog_option(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--catalog", metavar="DIR", help="catalog folder (default: shipped)")


def _load(directory: str | None) -> Catalog:
    from greentactics.catalog.loader import load_catalog

    return load_catalog(directory)


def _validate(args: argparse.Namespace) -> int:
    from greentactics.catalog.loader import CatalogError

    try:
        catalog = _load(args.directory)
    except CatalogError as error:
        for problem in error.problems:
            print(problem, file=sys.stderr)
        count = len(error.problems)
        print(f"catalog invalid: {count} problem{'s' if count != 1 else ''}", file=sys.stderr)
        return 1
    print(
        f"catalog valid: {len(catalog.tactics)} tactics ({len(catalog.paper_tactics)} from the "
        f"paper, {len(catalog.extensions)} extensions), {len(catalog.categories)} categories, "
        f"{len(catalog.sources)} sources ({catalog.root})"
    )
    return 0


def _list(args: argparse.Namespace) -> int:
    catalog = _load(args.catalog)
    tactics = [
        t
        for t in catalog.tactics
        if (args.category is None or t.category.value == args.category)
        and (args.origin is None or t.origin.value == args.origin)
    ]
    if args.format == "json":
        rows = [
            {
                "id": t.id,
                "slug": t.slug,
                "name": t.name,
                "category": t.category.value,
                "origin": t.origin.value,
                "detectability": t.detectability.value,
                "summary": t.summary,
            }
            for t in tactics
        ]
        print(json.dumps(rows, indent=2))
        return 0
    name_width = max((len(t.name) for t in tactics), default=4)
    print(f"{'ID':<4} {'NAME':<{name_width}} {'CATEGORY':<18} {'DETECTABILITY':<13} ORIGIN")
    for t in tactics:
        print(
            f"{t.id:<4} {t.name:<{name_width}} {t.category.value:<18} "
            f"{t.detectability.value:<13} {t.origin.value}"
        )
    print(f"{len(tactics)} tactics")
    return 0


def _show(args: argparse.Namespace) -> int:
    from greentactics.errors import UsageError

    catalog = _load(args.catalog)
    try:
        tactic = catalog.get(args.tactic)
    except KeyError:
        raise UsageError(
            f"no tactic {args.tactic!r}; see `greentactics catalog list` for IDs and slugs"
        ) from None
    if args.format == "json":
        print(tactic.model_dump_json(indent=2))
    else:
        print(format_tactic(catalog, tactic))
    return 0


def format_tactic(catalog: Catalog, tactic: Tactic) -> str:
    """A plain-text view of one tactic for the terminal."""
    from greentactics.urls import tactic_url

    def wrap(text: str, indent: str = "  ") -> str:
        paragraphs = [p for p in text.strip().split("\n\n") if p.strip()]
        return "\n\n".join(
            textwrap.fill(
                " ".join(p.split()), width=96, initial_indent=indent, subsequent_indent=indent
            )
            for p in paragraphs
        )

    lines = [
        f"{tactic.id}  {tactic.name}",
        f"  {tactic.summary}",
        "",
        f"  category: {tactic.category.value}   origin: {tactic.origin.value}   "
        f"detectability: {tactic.detectability.value}",
        f"  target quality: {tactic.qualities.target.value}   related: "
        + (", ".join(q.value for q in tactic.qualities.related) or "-"),
        "",
        "Description",
        wrap(tactic.description),
        "",
        "How to apply",
        *[f"  {i}. {step.strip()}" for i, step in enumerate(tactic.how_to_apply.steps, 1)],
    ]
    if tactic.measured_impact:
        lines += ["", "Measured impact (literature)"]
        for impact in tactic.measured_impact:
            bound = "up to " if impact.upper_bound else ""
            lines.append(
                f"  {impact.metric}: {bound}{impact.value:g}{impact.unit}; "
                f"{impact.compared.strip()} [{impact.source}]"
            )
    related = catalog.relationships_of(tactic)
    if related:
        lines += ["", "Related tactics"]
        for relation in related:
            other = catalog.by_id[relation.target]
            lines.append(f"  {relation.kind.value} {other.id} {other.name}")
    lines += ["", "Sources"]
    for source_id in tactic.sources:
        source = catalog.source(source_id)
        lines.append(f"  {source.title} ({source.year}). {source.link}")
    lines += ["", f"More: {tactic_url(tactic.slug)}"]
    return "\n".join(lines)


def _export(args: argparse.Namespace) -> int:
    from greentactics.catalog.export import export_csv, export_json, export_schema

    if args.format == "schema":
        text = export_schema()
    else:
        catalog = _load(args.catalog)
        text = export_json(catalog) if args.format == "json" else export_csv(catalog)
    if args.output:
        Path(args.output).parent.mkdir(parents=True, exist_ok=True)
        Path(args.output).write_text(text, encoding="utf-8")
        print(f"wrote {args.output}", file=sys.stderr)
    else:
        sys.stdout.write(text)
    return 0
