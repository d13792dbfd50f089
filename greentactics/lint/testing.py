"""Running a rule's embedded VALID/INVALID examples (the generic rule test and the docs use it)."""

from __future__ import annotations

from dataclasses import dataclass

from greentactics.lint.checker import CheckOptions, analyse, check_source, collect_facts
from greentactics.lint.facts import ProjectFacts
from greentactics.lint.findings import Finding
from greentactics.lint.rule import Invalid, Rule, Valid
from greentactics.lint.source import SourceText


@dataclass(frozen=True)
class ExampleOutcome:
    """What the linter made of one example: its findings and, for fixable ones, the fixed code."""

    findings: list[Finding]
    fixed: str | None


def run_example(rule: type[Rule], example: Valid | Invalid) -> ExampleOutcome:
    """Lint one example with ``rule`` alone; the example is the whole project (for facts)."""
    source = SourceText(example.code)
    facts = collect_facts(analyse(example.filename, source), rule.FACTS) if rule.FACTS else []
    project = ProjectFacts(facts)
    options = CheckOptions(codes_by_alias={rule.code.lower(): rule.code, rule.name: rule.code})
    findings = check_source(example.filename, source, [rule], project, options).findings
    fixed = None
    if rule.fix_safety is not None:
        fix_options = CheckOptions(
            codes_by_alias=options.codes_by_alias, fix=True, unsafe_fixes=True
        )
        result = check_source(example.filename, source, [rule], project, fix_options)
        fixed = result.fixed_text if result.fixed_text is not None else example.code
    return ExampleOutcome(findings, fixed)


def example_problems(rule: type[Rule]) -> list[str]:
    """Every way the rule's examples disagree with what it reports (empty when all pass)."""
    problems: list[str] = []
    for number, valid in enumerate(rule.VALID):
        outcome = run_example(rule, valid)
        if outcome.findings:
            shown = "; ".join(f"line {f.line}: [{f.code}] {f.message}" for f in outcome.findings)
            problems.append(f"{rule.code} VALID[{number}] was reported: {shown}")
    for number, invalid in enumerate(rule.INVALID):
        outcome = run_example(rule, invalid)
        own = [finding for finding in outcome.findings if finding.code == rule.code]
        others = [finding for finding in outcome.findings if finding.code != rule.code]
        if others:
            shown = "; ".join(f"[{f.code}] {f.message}" for f in others)
            problems.append(f"{rule.code} INVALID[{number}] produced diagnostics: {shown}")
        if not own:
            problems.append(f"{rule.code} INVALID[{number}] was not reported")
        elif invalid.line is not None and invalid.line not in {f.line for f in own}:
            lines = sorted({f.line for f in own})
            problems.append(
                f"{rule.code} INVALID[{number}] reported on lines {lines}, expected {invalid.line}"
            )
        if invalid.expected_fix is not None and outcome.fixed != invalid.expected_fix:
            problems.append(
                f"{rule.code} INVALID[{number}] fix gave:\n{outcome.fixed}\n"
                f"expected:\n{invalid.expected_fix}"
            )
    return problems
