"""Assemble every generated page and download, and the navigation that ties them together."""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass
from typing import TypeAlias

from greentactics.catalog import export_csv, export_json, export_schema
from greentactics.site import links
from greentactics.site.catalog_pages import (
    reading_order,
    render_category_page,
    render_lifecycle_page,
    render_overview,
    render_quality_page,
    render_role_page,
    render_tags_page,
)
from greentactics.site.evidence import render_evidence_page
from greentactics.site.inputs import SiteData
from greentactics.site.markdown import table
from greentactics.site.rule_pages import render_rule_page, render_rules_index
from greentactics.site.tactic_page import render_tactic_page

# Hand-written by the tool authors; a stand-in page keeps the site building until each exists.
GUIDE_PAGES = {
    "guides/linter.md": "Linter",
    "guides/energy.md": "Energy meter",
    "guides/experiments.md": "Experiments",
}
PLACEHOLDER_MARK = "<!-- greentactics: placeholder guide -->"

# A MkDocs-style nav: a page path, or {title: path}, or {title: [children]}.
NavEntry: TypeAlias = "str | dict[str, str | Nav]"
Nav: TypeAlias = "list[NavEntry]"


@dataclass(frozen=True)
class SiteSources:
    """The generated files (docs-relative path -> text) and the site navigation."""

    files: dict[str, str]
    nav: Nav

    @property
    def pages(self) -> dict[str, str]:
        """Only the Markdown pages."""
        return {path: text for path, text in self.files.items() if path.endswith(".md")}


def render_site(data: SiteData, existing: Collection[str] = ()) -> SiteSources:
    """Every generated page and download; ``existing`` names the hand-written docs files.

    Raises :class:`~greentactics.site.inputs.SiteInputError` when a rule or an experiment
    names a tactic the catalog does not have.
    """
    data.check()
    catalog = data.catalog
    files: dict[str, str] = {
        links.CATALOG_PAGE: render_overview(data),
        links.LIFECYCLE_PAGE: render_lifecycle_page(data),
        links.ROLE_PAGE: render_role_page(data),
        links.QUALITY_PAGE: render_quality_page(data),
        links.TAGS_PAGE: render_tags_page(),
        links.RULES_PAGE: render_rules_index(data),
        links.EVIDENCE_PAGE: render_evidence_page(data),
        links.DOWNLOADS_PAGE: render_downloads_page(data),
        links.CATALOG_JSON: export_json(catalog),
        links.CATALOG_CSV: export_csv(catalog),
        links.CATALOG_SCHEMA: export_schema(),
    }
    for info in catalog.categories:
        files[links.category_page(info.id.value)] = render_category_page(data, info)
    for tactic in catalog.tactics:
        files[links.tactic_page(tactic.slug)] = render_tactic_page(data, tactic)
    for rule in data.rules:
        files[links.rule_page(rule.name)] = render_rule_page(data, rule)
    for path, title in GUIDE_PAGES.items():
        if path not in existing:
            files[path] = _placeholder_guide(title)
    return SiteSources(files=files, nav=navigation(data))


def navigation(data: SiteData) -> Nav:
    """Tabs for home, catalog, tactics by category, rules, guides and the reference pages."""
    catalog = data.catalog
    tactics_by_category: Nav = [
        {
            info.name: [
                {f"{t.id} {t.name}": links.tactic_page(t.slug)}
                for t in reading_order(catalog.in_category(info.id))
            ]
        }
        for info in catalog.categories
    ]
    rules: Nav = [{"All rules": links.RULES_PAGE}]
    rules += [{f"{r.code} {r.name}": links.rule_page(r.name)} for r in data.rules]
    categories: Nav = [
        {info.name: links.category_page(info.id.value)} for info in catalog.categories
    ]
    return [
        {"Home": links.HOME_PAGE},
        {
            "Catalog": [
                {"All tactics": links.CATALOG_PAGE},
                {"By category": categories},
                {"By lifecycle stage": links.LIFECYCLE_PAGE},
                {"By role": links.ROLE_PAGE},
                {"By quality attribute": links.QUALITY_PAGE},
                {"Tag index": links.TAGS_PAGE},
            ]
        },
        {"Tactics": tactics_by_category},
        {"Linter rules": rules},
        {"Guides": [{title: path} for path, title in GUIDE_PAGES.items()]},
        {"Evidence": links.EVIDENCE_PAGE},
        {"Downloads": links.DOWNLOADS_PAGE},
        {"Contributing": links.CONTRIBUTING_PAGE},
    ]


def render_downloads_page(data: SiteData) -> str:
    """The Markdown of ``downloads/index.md``."""
    page = links.DOWNLOADS_PAGE
    rows = [
        (
            f"[catalog.json]({links.relative(page, links.CATALOG_JSON)})",
            "Every tactic, category and source, exactly as validated; `schema_version` "
            "says which shape it has.",
        ),
        (
            f"[catalog.csv]({links.relative(page, links.CATALOG_CSV)})",
            "One row per tactic for spreadsheets; list fields are joined with `;`.",
        ),
        (
            f"[catalog.schema.json]({links.relative(page, links.CATALOG_SCHEMA)})",
            "The JSON Schema (draft 2020-12) that `catalog.json` validates against.",
        ),
    ]
    return (
        "# Downloads\n\nThe catalog as data, regenerated from the YAML sources on every build "
        f"({len(data.catalog.tactics)} tactics).\n\n"
        + table(("File", "What it holds"), rows)
        + "\n\nThe same exports come from the command line:\n\n"
        "```console\n$ greentactics catalog export --format json\n```\n\n"
        "Tactic IDs (`T01`...`T30`, `E01`...) and slugs never change meaning, so they are safe to "
        "store. Page URLs use the slug: `tactics/<slug>/`.\n"
    )


def _placeholder_guide(title: str) -> str:
    return (
        f"{PLACEHOLDER_MARK}\n# {title}\n\nThis guide is being written. Meanwhile, "
        "`greentactics --help` lists every command.\n"
    )
