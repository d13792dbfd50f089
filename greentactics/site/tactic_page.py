"""The page of one tactic: the whole catalog record, its rules, its evidence, its links."""

from __future__ import annotations

from greentactics.catalog.model import Effect, Source, Tactic
from greentactics.site import links
from greentactics.site.evidence import evidence_section
from greentactics.site.inputs import RuleDoc, SiteData
from greentactics.site.labels import label
from greentactics.site.markdown import admonition, code_block, front_matter, tab, table

_EFFECT_MARK = {Effect.IMPROVES: "improves", Effect.DEGRADES: "degrades", Effect.DEPENDS: "depends"}


def quality_tags(tactic: Tactic) -> list[str]:
    """The Material tags of a tactic: its target quality attribute, then the related ones."""
    qualities = [tactic.qualities.target, *tactic.qualities.related]
    return list(dict.fromkeys(label(q) for q in qualities))


def render_tactic_page(data: SiteData, tactic: Tactic) -> str:
    """The Markdown of ``tactics/<slug>.md``."""
    page = links.tactic_page(tactic.slug)
    rules = data.rules_for(tactic.slug)
    sections = [
        front_matter(quality_tags(tactic)) + f"# {tactic.name}",
        f"**{tactic.id}** · {tactic.summary}",
        _facts(data, tactic, page, rules),
    ]
    if tactic.replaced_by is not None:
        replacement = data.catalog.get(tactic.replaced_by)
        sections.append(
            admonition(
                "warning",
                "Deprecated",
                f"Use [{replacement.name}]"
                f"({links.relative(page, links.tactic_page(replacement.slug))}) instead.",
            )
        )
    sections += [
        "## Description\n\n" + tactic.description,
        "## Problem\n\n" + tactic.problem,
        _how_to_apply(tactic),
        _tradeoffs(tactic),
        _reported_impact(data, tactic),
        evidence_section(data.evidence_for(tactic.slug), page),
        _rules_section(rules, page),
        _related(data, tactic, page),
        _sources(data, tactic),
    ]
    if tactic.notes:
        sections.append("## Editorial notes\n\n" + "\n".join(f"- {note}" for note in tactic.notes))
    sections.append(
        f"[Edit this tactic on GitHub]({links.edit_url(f'catalog/tactics/{tactic.slug}.yaml')})"
        f" · version {tactic.version}, created {tactic.created.isoformat()}, "
        f"modified {tactic.modified.isoformat()}"
    )
    return "\n\n".join(sections) + "\n"


def _facts(data: SiteData, tactic: Tactic, page: str, rules: list[RuleDoc]) -> str:
    category = data.catalog.category(tactic.category)
    stages = ", ".join(
        f"[{label(s)}]({links.relative(page, links.LIFECYCLE_PAGE, s.value)})"
        for s in tactic.lifecycle_stages
    )
    roles = ", ".join(
        f"[{label(r)}]({links.relative(page, links.ROLE_PAGE, r.value)})"
        for r in tactic.participants
    )
    related = ", ".join(label(q) for q in tactic.qualities.related) or "none"
    rule_links = ", ".join(
        f"[{r.code} {r.name}]({links.relative(page, links.rule_page(r.name))})" for r in rules
    )
    measured = bool(data.evidence_for(tactic.slug))
    rows = [
        (
            "ID",
            tactic.id
            + (f" (also known as: {', '.join(tactic.aliases)})" if tactic.aliases else ""),
        ),
        (
            "Category",
            f"[{category.name}]({links.relative(page, links.category_page(category.id.value))})",
        ),
        (
            "Target quality",
            f"[{label(tactic.qualities.target)}]"
            f"({links.relative(page, links.QUALITY_PAGE, tactic.qualities.target.value)})",
        ),
        ("Related qualities", related),
        ("Lifecycle stages", stages),
        ("Who applies it", roles),
        ("Changes", label(tactic.artifact)),
        ("Detectability", f"{label(tactic.detectability)}: {tactic.detectability_note}"),
        ("Linter rules", rule_links or "none yet"),
        ("Measured here", "[yes](#measured-evidence)" if measured else "not yet"),
        (
            "Origin",
            "the paper's catalog" if tactic.origin.value == "paper" else "project extension",
        ),
        ("Status", label(tactic.status)),
    ]
    return table(("Field", "Value"), rows)


def _how_to_apply(tactic: Tactic) -> str:
    parts = ["## How to apply it"]
    parts.append("\n".join(f"{n}. {step}" for n, step in enumerate(tactic.how_to_apply.steps, 1)))
    # One tab per framework, even when a framework has several hints.
    bodies: dict[str, list[str]] = {}
    for hint in tactic.how_to_apply.frameworks:
        body = hint.advice
        if hint.code:
            body += "\n\n" + code_block(hint.code)
        bodies.setdefault(label(hint.framework), []).append(body)
    tabs = [tab(title, "\n\n".join(parts)) for title, parts in bodies.items()]
    if tabs:
        parts.append("\n\n".join(tabs))
    return "\n\n".join(parts)


def _tradeoffs(tactic: Tactic) -> str:
    rows = [(label(t.quality), _EFFECT_MARK[t.effect], t.note) for t in tactic.tradeoffs]
    return "## Trade-offs\n\n" + table(("Quality attribute", "Effect", "Why"), rows)


def _reported_impact(data: SiteData, tactic: Tactic) -> str:
    heading = "## Reported impact in the literature"
    if not tactic.measured_impact:
        return heading + "\n\nThe sources report no figure for this tactic."
    rows = []
    for impact in tactic.measured_impact:
        source = data.catalog.source(impact.source)
        value = f"{'up to ' if impact.upper_bound else ''}{impact.value:g} {impact.unit}".replace(
            " %", "%"
        )
        rows.append((impact.metric, value, impact.compared, _citation_link(source)))
    return heading + "\n\n" + table(("Metric", "Value", "Compared with", "Source"), rows)


def _rules_section(rules: list[RuleDoc], page: str) -> str:
    heading = "## Linter rules"
    if not rules:
        return heading + "\n\nNo rule of `greentactics lint` checks this tactic yet."
    parts = [heading]
    for rule in rules:
        link = links.relative(page, links.rule_page(rule.name))
        entry = f"### [{rule.code} {rule.name}]({link})\n\n{rule.message}"
        if rule.invalid:
            entry += "\n\n" + admonition(
                "failure", "Flagged", code_block(rule.invalid[0].code), collapsible=True
            )
        if rule.valid:
            entry += "\n\n" + admonition(
                "success", "Accepted", code_block(rule.valid[0].code), collapsible=True
            )
        parts.append(entry)
    return "\n\n".join(parts)


def _related(data: SiteData, tactic: Tactic, page: str) -> str:
    relations = data.catalog.relationships_of(tactic)
    heading = "## Related tactics"
    if not relations:
        return heading + "\n\nNone recorded."
    lines = []
    for relation in relations:
        other = data.catalog.get(relation.target)
        link = links.relative(page, links.tactic_page(other.slug))
        note = f": {relation.note}" if relation.note else ""
        lines.append(f"- {label(relation.kind)} [{other.name}]({link}) ({other.id}){note}")
    return heading + "\n\n" + "\n".join(lines)


def _sources(data: SiteData, tactic: Tactic) -> str:
    entries = [citation(data.catalog.source(source_id)) for source_id in tactic.sources]
    return "## Sources\n\n" + "\n".join(f"{n}. {entry}" for n, entry in enumerate(entries, 1))


def citation(source: Source) -> str:
    """One bibliography entry with its DOI (or URL) as a link."""
    authors = ", ".join(source.authors)
    locator = f"[doi:{source.doi}]({source.link})" if source.doi else f"<{source.link}>"
    return f"{authors} ({source.year}). *{source.title}*. {source.venue}. {locator}"


def _citation_link(source: Source) -> str:
    surname = source.authors[0].split()[-1]
    more = " et al." if len(source.authors) > 1 else ""
    return f"[{surname}{more} {source.year}]({source.link})"
