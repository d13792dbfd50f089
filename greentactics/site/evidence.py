"""Measured evidence: the section on each tactic page and the page listing all experiments."""

from __future__ import annotations

from collections.abc import Sequence

from greentactics.site import links
from greentactics.site.chart import energy_chart, format_energy
from greentactics.site.inputs import EvidenceDoc, SiteData
from greentactics.site.markdown import admonition, table

NO_EVIDENCE = "No measured evidence yet."


def ratio_text(item: EvidenceDoc) -> str:
    """``0.62x (95% CI 0.58-0.66)``: the candidate's energy relative to the baseline."""
    low, high = item.ratio_ci95
    return f"{item.energy_ratio:.3g}x (95% CI {low:.3g}-{high:.3g})"


def evidence_section(items: Sequence[EvidenceDoc], page: str) -> str:
    """The "Measured evidence" section of a tactic page."""
    heading = "## Measured evidence"
    if not items:
        return (
            f"{heading}\n\n{NO_EVIDENCE} The [experiments guide]"
            f"({links.relative(page, 'guides/experiments.md')}) explains how evidence is produced."
        )
    return "\n\n".join([heading, *(_experiment(item, page) for item in items)])


def _experiment(item: EvidenceDoc, page: str) -> str:
    arms = [
        (
            role,
            arm.label,
            format_energy(arm.energy_j),
            f"{arm.time_s:.3g} s",
            f"{arm.quality:.4g}",
            str(arm.runs),
        )
        for role, arm in (("baseline", item.baseline), ("candidate", item.candidate))
    ]
    header = ("Arm", "Setting", "Energy (median)", "Time (median)", item.quality_metric, "Runs")
    summary = "\n".join(
        [
            f"- Energy, candidate / baseline: **{ratio_text(item)}**",
            f"- Time, candidate / baseline: {item.time_ratio:.3g}x",
            f"- Change in {item.quality_metric}: {item.quality_delta:+.4g}",
            f"- Verdict: {item.verdict}",
        ]
    )
    caveat = (
        f"Energy was **{item.method}** on {item.machine} ({item.device}, {item.repeats} repeats"
        f"{', quick run' if item.quick else ''}, {item.created}). {item.measurement_note}"
    )
    return "\n\n".join(
        [
            f"### {item.title}",
            f'<div class="gt-chart-box">{energy_chart(item)}</div>',
            "*Bars: median energy per run. Whisker: the 95% bootstrap interval of the energy "
            "ratio, applied to the baseline's median.*",
            summary,
            table(header, arms),
            admonition("note", "How this was measured", caveat),
            f"Code: [`{item.module}`]({links.source_url(item.module)})",
        ]
    )


def render_evidence_page(data: SiteData) -> str:
    """The Markdown of ``evidence/index.md``: every experiment, by tactic."""
    page = links.EVIDENCE_PAGE
    intro = (
        "---\nhide:\n  - navigation\n  - toc\n---\n\n"
        "# Measured evidence\n\nEach experiment runs a baseline and a candidate that applies one "
        "tactic, measures both with the energy meter and compares the medians. Ratios below 1 "
        "mean the tactic saved energy."
    )
    if not data.evidence:
        return f"{intro}\n\n{NO_EVIDENCE}\n"
    rows = []
    for item in data.evidence:
        tactic = data.catalog.get(item.tactic)
        link = links.relative(page, links.tactic_page(tactic.slug), "measured-evidence")
        rows.append(
            (
                f"[{tactic.name}]({link})",
                item.title,
                ratio_text(item),
                f"{item.time_ratio:.3g}x",
                f"{item.quality_delta:+.4g} ({item.quality_metric})",
                item.method,
            )
        )
    header = ("Tactic", "Experiment", "Energy ratio", "Time ratio", "Quality change", "Energy was")
    return f"{intro}\n\n{table(header, rows)}\n\n## How it was measured\n\n{_runs(data.evidence)}\n"


def _runs(items: Sequence[EvidenceDoc]) -> str:
    """One line per results file: where, when and how its energy was obtained."""
    runs = dict.fromkeys(
        (i.machine, i.device, i.created, i.quick, i.repeats, i.measurement_note) for i in items
    )
    return "\n".join(
        f"- {created}, {device} on {machine}, {repeats} repeats per arm"
        f"{' (quick run: toy sizes)' if quick else ''}. {note}"
        for machine, device, created, quick, repeats, note in runs
    )
