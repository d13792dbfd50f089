"""Lint rule pages in the style of Ruff's rule docs, and the index of all rules."""

from __future__ import annotations

from greentactics.site import links
from greentactics.site.inputs import RuleDoc, SiteData
from greentactics.site.markdown import code_block, table

_FIX_TEXT = {
    None: "No automatic fix.",
    "safe": "A safe automatic fix is available (`greentactics lint --fix`).",
    "unsafe": "An automatic fix is available but may change behaviour, so it is applied only "
    "with `greentactics lint --fix --unsafe-fixes`; review the diff.",
}


def render_rule_page(data: SiteData, rule: RuleDoc) -> str:
    """The Markdown of ``rules/<name>.md``."""
    page = links.rule_page(rule.name)
    tactic = data.catalog.get(rule.tactic)
    tactic_link = links.relative(page, links.tactic_page(tactic.slug))
    parts = [
        f"# {rule.name} ({rule.code})",
        f"Checks the tactic [{tactic.name}]({tactic_link}) ({tactic.id}) · "
        f"severity **{rule.severity}** · {_enabled_text(rule)} · "
        f"{_FIX_TEXT.get(rule.fix_safety, _FIX_TEXT[None])}",
        "## What it does\n\n" + rule.message,
        "## Why is this bad?\n\n" + (rule.rationale or tactic.problem),
    ]
    parts += _examples(rule)
    parts.append(_suppression(rule))
    parts.append(
        f"## See also\n\n- The tactic [{tactic.name}]({tactic_link}), with its measured evidence\n"
        f"- [All rules]({links.relative(page, links.RULES_PAGE)})\n"
        f"- [The linter guide]({links.relative(page, 'guides/linter.md')})"
    )
    return "\n\n".join(parts) + "\n"


def _enabled_text(rule: RuleDoc) -> str:
    if rule.enabled_by_default:
        return "on by default"
    return f"opt-in (turn it on with `--extend-select {rule.code}`)"


def _examples(rule: RuleDoc) -> list[str]:
    parts: list[str] = []
    if rule.invalid:
        first = rule.invalid[0]
        parts.append("## Example\n\n" + code_block(first.code))
        if first.fixed is not None:
            parts.append("## Use instead\n\n" + code_block(first.fixed))
        elif rule.valid:
            parts.append("## Use instead\n\n" + code_block(rule.valid[0].code))
    elif rule.valid:
        parts.append("## Use instead\n\n" + code_block(rule.valid[0].code))
    more = [c.code for c in rule.invalid[1:]]
    if more:
        parts.append("## More flagged code\n\n" + "\n\n".join(code_block(code) for code in more))
    accepted = [c.code for c in rule.valid[1:]]
    if accepted:
        parts.append(
            "## More accepted code\n\n" + "\n\n".join(code_block(code) for code in accepted)
        )
    return parts


def configuration_example(rule: RuleDoc) -> str:
    """``pyproject.toml`` settings that turn the rule off, for everything or for some files."""
    return (
        "[tool.greentactics]\n"
        f'ignore = ["{rule.code}"]\n'
        "\n"
        "[tool.greentactics.per-file-ignores]\n"
        f'"notebooks/**" = ["{rule.code}"]\n'
        "\n"
        "[tool.greentactics.severity]\n"
        f'{rule.code} = "error"\n'
    )


def suppression_example(rule: RuleDoc) -> str:
    """Python showing the three suppression comments for the rule."""
    return (
        f"model.fit(x, y)  # greentactics: ignore[{rule.code}]\n"
        "\n"
        f"# greentactics: ignore[{rule.name}]\n"
        "model.fit(x, y)\n"
        "\n"
        f"# greentactics: ignore-file[{rule.code}]\n"
    )


def _suppression(rule: RuleDoc) -> str:
    return (
        "## How to configure or suppress\n\n"
        "In `pyproject.toml`, turn the rule off for the project (`ignore`) or for some files "
        "(`per-file-ignores`), or change its severity:\n\n"
        + code_block(configuration_example(rule), "toml")
        + "\n\nSuppress one finding with a comment at the end of the flagged line, or alone on "
        "the line above it, naming the rule by code or by name; `ignore-file` covers the whole "
        "file:\n\n" + code_block(suppression_example(rule))
    )


def render_rules_index(data: SiteData) -> str:
    """The Markdown of ``rules/index.md``."""
    page = links.RULES_PAGE
    intro = (
        "# Linter rules\n\n`greentactics lint` checks Python code for places where a tactic "
        "of the catalog applies. Every rule has a short stable code and a readable name, and "
        "points at the tactic it checks."
    )
    if not data.rules:
        return f"{intro}\n\nNo rules are registered yet.\n"
    rows = []
    for rule in data.rules:
        tactic = data.catalog.get(rule.tactic)
        rows.append(
            (
                f"[{rule.code}]({links.relative(page, links.rule_page(rule.name))})",
                rule.name,
                rule.message,
                f"[{tactic.name}]({links.relative(page, links.tactic_page(tactic.slug))})",
                rule.severity,
                rule.fix_safety or "–",
            )
        )
    header = ("Code", "Name", "Message", "Tactic", "Severity", "Fix")
    return f"{intro}\n\n{table(header, rows)}\n"
