"""An inline SVG bar chart of one experiment's energy per arm, drawn without any JS library."""

from __future__ import annotations

from html import escape

from greentactics.site.inputs import EvidenceDoc

WIDTH = 640
LABEL_WIDTH = 200
VALUE_WIDTH = 130
BAR_HEIGHT = 26
GAP = 18
TOP = 30
BASELINE_COLOUR = "#8a8a8a"
CANDIDATE_COLOUR = "#2e7d32"


def format_energy(joules: float) -> str:
    """Joules with a unit prefix that keeps the number short."""
    if abs(joules) >= 3.6e6:
        return f"{joules / 3.6e6:.3g} kWh"
    if abs(joules) >= 1e3:
        return f"{joules / 1e3:.3g} kJ"
    return f"{joules:.3g} J"


def energy_chart(evidence: EvidenceDoc) -> str:
    """Median energy of baseline and candidate, with the candidate's 95% interval as a whisker.

    The whisker is the bootstrap interval of the energy ratio, applied to the baseline median,
    so it shows how far the candidate's energy could plausibly be from the baseline's.
    """
    baseline, candidate = evidence.baseline, evidence.candidate
    low = baseline.energy_j * evidence.ratio_ci95[0]
    high = baseline.energy_j * evidence.ratio_ci95[1]
    scale_max = max(baseline.energy_j, candidate.energy_j, high) or 1.0
    bar_space = WIDTH - LABEL_WIDTH - VALUE_WIDTH
    height = TOP + 2 * (BAR_HEIGHT + GAP) + 10

    def x(value: float) -> float:
        return LABEL_WIDTH + bar_space * max(value, 0.0) / scale_max

    def bar(row: int, label: str, value: float, colour: str) -> list[str]:
        y = TOP + row * (BAR_HEIGHT + GAP)
        mid = y + BAR_HEIGHT / 2
        return [
            f'<text x="{LABEL_WIDTH - 8}" y="{mid:.1f}" text-anchor="end" '
            f'dominant-baseline="middle">{escape(_shorten(label))}</text>',
            f'<rect x="{LABEL_WIDTH}" y="{y}" width="{x(value) - LABEL_WIDTH:.1f}" '
            f'height="{BAR_HEIGHT}" fill="{colour}"><title>{escape(label)}: '
            f"{format_energy(value)}</title></rect>",
        ]

    title = f"Energy per arm: {evidence.title}"
    parts = [
        f'<svg class="gt-chart" xmlns="http://www.w3.org/2000/svg" role="img" '
        f'viewBox="0 0 {WIDTH} {height}" width="100%" style="max-width:{WIDTH}px" '
        f'font-size="13" fill="currentColor" aria-label="{escape(title)}">',
        f"<title>{escape(title)}</title>",
        f'<text x="{LABEL_WIDTH}" y="16">median energy per run ({evidence.method})</text>',
        *bar(0, baseline.label, baseline.energy_j, BASELINE_COLOUR),
        *bar(1, candidate.label, candidate.energy_j, CANDIDATE_COLOUR),
    ]
    y_mid = TOP + (BAR_HEIGHT + GAP) + BAR_HEIGHT / 2
    tick = BAR_HEIGHT / 2 - 4
    parts += [
        f'<g stroke="currentColor" stroke-width="1.5"><title>95% interval: '
        f"{format_energy(low)} to {format_energy(high)}</title>",
        f'<line x1="{x(low):.1f}" y1="{y_mid:.1f}" x2="{x(high):.1f}" y2="{y_mid:.1f}"/>',
        f'<line x1="{x(low):.1f}" y1="{y_mid - tick:.1f}" x2="{x(low):.1f}" '
        f'y2="{y_mid + tick:.1f}"/>',
        f'<line x1="{x(high):.1f}" y1="{y_mid - tick:.1f}" x2="{x(high):.1f}" '
        f'y2="{y_mid + tick:.1f}"/>',
        "</g>",
    ]
    for row, value in ((0, baseline.energy_j), (1, candidate.energy_j)):
        y = TOP + row * (BAR_HEIGHT + GAP) + BAR_HEIGHT / 2
        end = max(x(value), x(high) if row == 1 else 0.0)
        parts.append(
            f'<text x="{end + 6:.1f}" y="{y:.1f}" dominant-baseline="middle">'
            f"{format_energy(value)}</text>"
        )
    parts.append("</svg>")
    # One line: Markdown must see a single raw-HTML block with no blank lines inside.
    return "".join(parts)


def _shorten(text: str, limit: int = 28) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"
