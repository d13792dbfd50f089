"""Pages that list tactics: the overview, one page per category and the browse-by pages."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from enum import Enum

from greentactics.catalog.model import (
    CategoryInfo,
    LifecycleStage,
    Origin,
    QualityAttribute,
    Role,
    Tactic,
)
from greentactics.site import links
from greentactics.site.inputs import SiteData
from greentactics.site.labels import label
from greentactics.site.markdown import table


def reading_order(tactics: Iterable[Tactic]) -> list[Tactic]:
    """The paper's tactics (T01...) first, then the project's extensions (E01...)."""
    return sorted(tactics, key=lambda t: (t.origin is not Origin.PAPER, t.id))


def _tactic_link(page: str, tactic: Tactic) -> str:
    return f"[{tactic.name}]({links.relative(page, links.tactic_page(tactic.slug))})"


def _category_link(page: str, info: CategoryInfo) -> str:
    return f"[{info.name}]({links.relative(page, links.category_page(info.id.value))})"


def _rule_links(data: SiteData, page: str, tactic: Tactic) -> str:
    return ", ".join(
        f"[{rule.code}]({links.relative(page, links.rule_page(rule.name))})"
        for rule in data.rules_for(tactic.slug)
    )


def _evidence_mark(data: SiteData, page: str, tactic: Tactic) -> str:
    if not data.evidence_for(tactic.slug):
        return "no"
    link = links.relative(page, links.tactic_page(tactic.slug), "measured-evidence")
    return f"[yes]({link})"


def tactic_rows(data: SiteData, page: str, tactics: Iterable[Tactic]) -> list[tuple[str, ...]]:
    """One overview row per tactic (the columns of :data:`OVERVIEW_HEADER`)."""
    rows: list[tuple[str, ...]] = []
    for tactic in tactics:
        category = data.catalog.category(tactic.category)
        rows.append(
            (
                tactic.id,
                _tactic_link(page, tactic),
                _category_link(page, category),
                label(tactic.qualities.target),
                label(tactic.detectability),
                _rule_links(data, page, tactic) or "–",
                _evidence_mark(data, page, tactic),
            )
        )
    return rows


OVERVIEW_HEADER = (
    "ID",
    "Tactic",
    "Category",
    "Target quality",
    "Detectability",
    "Linter rules",
    "Measured",
)


def render_overview(data: SiteData) -> str:
    """The Markdown of ``catalog/index.md``: every tactic in one table."""
    page = links.CATALOG_PAGE
    catalog = data.catalog
    browse = " · ".join(
        f"[{title}]({links.relative(page, target)})"
        for title, target in (
            ("by lifecycle stage", links.LIFECYCLE_PAGE),
            ("by role", links.ROLE_PAGE),
            ("by quality attribute", links.QUALITY_PAGE),
        )
    )
    intro = (
        "---\nhide:\n  - toc\n---\n\n"
        f"# Catalog\n\nThe catalog holds **{len(catalog.tactics)} tactics**: the "
        f"{len(catalog.paper_tactics)} of Järvenpää et al. (ICSE-SEIS 2024) and "
        f"{len(catalog.extensions)} project extensions (IDs starting with E). "
        f"Browse them {browse}, or search (press ++s++ or ++slash++).\n\n"
        "**Detectability** says how far the linter can see a tactic in code: *static* tactics "
        "can be checked in a single file, *partial* ones in part, *architectural* ones live in "
        "the system's design. **Measured** says whether this project's experiments have "
        "measured the tactic."
    )
    categories = "\n".join(
        f"- [{info.name}]({links.relative(page, links.category_page(info.id.value))}): "
        f"{info.summary} ({len(catalog.in_category(info.id))} tactics)"
        for info in catalog.categories
    )
    overview = table(OVERVIEW_HEADER, tactic_rows(data, page, reading_order(catalog.tactics)))
    return f"{intro}\n\n## Categories\n\n{categories}\n\n## All tactics\n\n{overview}\n"


def render_category_page(data: SiteData, info: CategoryInfo) -> str:
    """The Markdown of ``categories/<category>.md``."""
    page = links.category_page(info.id.value)
    tactics = reading_order(data.catalog.in_category(info.id))
    lines = [f"# {info.name}", f"*{info.summary}*", info.description, "## Tactics"]
    for tactic in tactics:
        rules = _rule_links(data, page, tactic)
        extra = f" Checked by {rules}." if rules else ""
        lines.append(
            f"### {_tactic_link(page, tactic)}\n\n**{tactic.id}** · {tactic.summary}{extra}"
        )
    return "\n\n".join(lines) + "\n"


def _grouped_page(
    data: SiteData,
    page: str,
    title: str,
    intro: str,
    groups: Sequence[Enum],
    members: Callable[[Enum], list[Tactic]],
) -> str:
    parts = [f"# {title}", intro]
    for group in groups:
        tactics = members(group)
        parts.append(f"## {label(group)} {{#{group.value}}}")
        if not tactics:
            parts.append("No tactic yet.")
            continue
        parts.append("\n".join(f"- {_tactic_link(page, t)} ({t.id}): {t.summary}" for t in tactics))
    return "\n\n".join(parts) + "\n"


def render_lifecycle_page(data: SiteData) -> str:
    """The Markdown of the by-lifecycle-stage page."""

    def members(stage: Enum) -> list[Tactic]:
        return [t for t in reading_order(data.catalog.tactics) if stage in t.lifecycle_stages]

    return _grouped_page(
        data,
        links.LIFECYCLE_PAGE,
        "Tactics by lifecycle stage",
        "Where in the ML lifecycle you are decides which tactics you can still apply. "
        "A tactic is listed under every stage it applies to.",
        list(LifecycleStage),
        members,
    )


def render_role_page(data: SiteData) -> str:
    """The Markdown of the by-role page."""

    def members(role: Enum) -> list[Tactic]:
        return [t for t in reading_order(data.catalog.tactics) if role in t.participants]

    return _grouped_page(
        data,
        links.ROLE_PAGE,
        "Tactics by role",
        "The tactics each role can apply in their own work.",
        list(Role),
        members,
    )


def render_quality_page(data: SiteData) -> str:
    """The Markdown of the by-quality-attribute page (target first, related second)."""
    page = links.QUALITY_PAGE
    parts = [
        "# Tactics by quality attribute",
        "Each tactic targets one quality attribute and may affect others. The quality "
        "attributes are also the tags shown on each tactic page; the "
        f"[tag index]({links.relative(page, links.TAGS_PAGE)}) lists them too.",
    ]
    tactics = reading_order(data.catalog.tactics)
    for quality in QualityAttribute:
        targeted = [t for t in tactics if t.qualities.target is quality]
        related = [t for t in tactics if quality in t.qualities.related]
        parts.append(f"## {label(quality)} {{#{quality.value}}}")
        if not targeted and not related:
            parts.append("No tactic yet.")
        if targeted:
            parts.append(
                "Targeted by:\n\n"
                + "\n".join(f"- {_tactic_link(page, t)} ({t.id})" for t in targeted)
            )
        if related:
            parts.append(
                "Also affected by:\n\n"
                + "\n".join(f"- {_tactic_link(page, t)} ({t.id})" for t in related)
            )
    return "\n\n".join(parts) + "\n"


def render_tags_page() -> str:
    """The Markdown of the tag index that Material's tags plugin fills in."""
    return (
        "# Tag index\n\nEvery quality attribute a tactic targets or affects is a tag; "
        "each tag lists the tactics that carry it.\n\n<!-- material/tags -->\n"
    )
