"""What several reporters share: rule metadata for a finding, help links, counts."""

from __future__ import annotations

from dataclasses import dataclass

from greentactics.lint.engine import LintRun
from greentactics.lint.findings import ENGINE_CODES, Finding
from greentactics.lint.rule import Rule
from greentactics.lint.tactics import LINTER_GUIDE_URL, TacticRef, tactic_ref
from greentactics.urls import rule_url

_ENGINE_HELP = {
    "GT001": "The file could not be parsed as Python, so no rule checked it.",
    "GT002": "The file or directory could not be read.",
    "GT003": "A rule crashed on this file; the other rules still ran. Please report it.",
    "GT004": "A suppression comment that suppresses nothing can be removed.",
}


@dataclass(frozen=True)
class RuleMeta:
    """A rule's identity as reports show it; engine diagnostics included."""

    code: str
    name: str
    summary: str
    rationale: str
    severity: str
    help_url: str
    tactic: TacticRef | None
    fixable: bool


def rule_meta(rule: type[Rule]) -> RuleMeta:
    """Report metadata of a rule class."""
    return RuleMeta(
        code=rule.code,
        name=rule.name,
        summary=rule.summary() or rule.message,
        rationale=rule.rationale() or rule.message,
        severity=rule.severity.value,
        help_url=rule_url(rule.name),
        tactic=tactic_ref(rule.tactic),
        fixable=rule.fix_safety is not None,
    )


def engine_meta(code: str) -> RuleMeta:
    """Report metadata of a diagnostic the engine itself produces (GT001-GT004)."""
    help_text = _ENGINE_HELP[code]
    return RuleMeta(
        code=code,
        name=ENGINE_CODES[code],
        summary=help_text,
        rationale=help_text,
        severity="warning" if code == "GT004" else "error",
        help_url=f"{LINTER_GUIDE_URL}#diagnostics",
        tactic=None,
        fixable=False,
    )


def metas_for(run: LintRun) -> dict[str, RuleMeta]:
    """Metadata of every enabled rule and of every engine diagnostic present."""
    metas = {rule.code: rule_meta(rule) for rule in run.rules}
    for finding in run.findings:
        if finding.code not in metas and finding.code in ENGINE_CODES:
            metas[finding.code] = engine_meta(finding.code)
    return metas


def finding_tactic(finding: Finding) -> TacticRef | None:
    """The tactic a finding's rule serves (None for engine diagnostics)."""
    return tactic_ref(finding.tactic) if finding.tactic else None


def help_url(finding: Finding) -> str:
    """Where to read about a finding's rule."""
    if finding.code in ENGINE_CODES:
        return f"{LINTER_GUIDE_URL}#diagnostics"
    return rule_url(finding.name)
