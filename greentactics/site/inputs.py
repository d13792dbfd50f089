"""What the site renders besides the catalog: lint rules and measured evidence.

Rules and evidence arrive from other parts of the package; they are read here once into small
frozen records, so the page builders depend on these shapes and not on the linter's classes or
the experiments' result models.
"""

from __future__ import annotations

import inspect
from collections.abc import Iterable
from dataclasses import dataclass
from enum import Enum
from pathlib import Path
from typing import Any

from greentactics.catalog import Catalog
from greentactics.errors import GreentacticsError


class SiteInputError(GreentacticsError):
    """A rule or an experiment refers to a tactic the catalog does not have."""


@dataclass(frozen=True)
class CodeExample:
    """A code example from a rule: flagged (with the expected fix, if any) or accepted."""

    code: str
    filename: str = "example.py"
    fixed: str | None = None


@dataclass(frozen=True)
class RuleDoc:
    """Everything a rule page shows about one lint rule."""

    code: str
    name: str
    tactic: str
    severity: str
    message: str
    fix_safety: str | None
    enabled_by_default: bool
    rationale: str
    invalid: tuple[CodeExample, ...]
    valid: tuple[CodeExample, ...]


@dataclass(frozen=True)
class Arm:
    """One arm of an experiment (baseline or candidate), as medians over its runs."""

    label: str
    energy_j: float
    time_s: float
    quality: float
    runs: int


@dataclass(frozen=True)
class EvidenceDoc:
    """One experiment's result for one tactic, with the context needed to judge it."""

    name: str
    tactic: str
    title: str
    module: str
    baseline: Arm
    candidate: Arm
    quality_metric: str
    energy_ratio: float
    ratio_ci95: tuple[float, float]
    time_ratio: float
    quality_delta: float
    method: str
    verdict: str
    machine: str
    measurement_note: str
    device: str
    quick: bool
    repeats: int
    created: str


def _text(value: Any) -> str:
    return str(value.value) if isinstance(value, Enum) else str(value)


def rule_doc(rule: type[Any]) -> RuleDoc:
    """Read one rule class (``greentactics.lint.rule.Rule`` subclass) into a :class:`RuleDoc`."""
    fix_safety = getattr(rule, "fix_safety", None)
    return RuleDoc(
        code=str(rule.code),
        name=str(rule.name),
        tactic=str(rule.tactic),
        severity=_text(rule.severity),
        message=str(rule.message),
        fix_safety=None if fix_safety is None else _text(fix_safety),
        enabled_by_default=bool(getattr(rule, "enabled_by_default", True)),
        rationale=inspect.cleandoc(rule.__doc__ or ""),
        invalid=tuple(
            CodeExample(
                code=inspect.cleandoc(example.code),
                filename=str(example.filename),
                fixed=None
                if example.expected_fix is None
                else inspect.cleandoc(example.expected_fix),
            )
            for example in getattr(rule, "INVALID", ())
        ),
        valid=tuple(
            CodeExample(code=inspect.cleandoc(example.code), filename=str(example.filename))
            for example in getattr(rule, "VALID", ())
        ),
    )


def load_rule_docs() -> list[RuleDoc]:
    """The registered lint rules (``greentactics.lint.rules.ALL_RULES``), sorted by code."""
    from greentactics.lint.rules import ALL_RULES

    return sorted((rule_doc(rule) for rule in ALL_RULES), key=lambda doc: doc.code)


def _arm(arm: Any) -> Arm:
    return Arm(
        label=str(arm.label),
        energy_j=float(arm.energy_j),
        time_s=float(arm.time_s),
        quality=float(arm.quality),
        runs=int(arm.runs),
    )


def _day(value: Any) -> str:
    return str(value.strftime("%Y-%m-%d")) if hasattr(value, "strftime") else str(value)


def _machine(machine: Any) -> str:
    gpus = [str(gpu) for gpu in getattr(machine, "gpus", [])]
    parts = [str(machine.cpu), *gpus, str(machine.os)]
    return ", ".join(part for part in parts if part)


def evidence_docs(results: Iterable[Any]) -> list[EvidenceDoc]:
    """Flatten loaded ``ExperimentResults`` (one per file) into one record per experiment."""
    docs: list[EvidenceDoc] = []
    for result in results:
        for experiment in result.experiments:
            low, high = experiment.ratio_ci95
            docs.append(
                EvidenceDoc(
                    name=str(experiment.name),
                    tactic=str(experiment.tactic),
                    title=str(experiment.title),
                    module=str(experiment.module),
                    baseline=_arm(experiment.baseline),
                    candidate=_arm(experiment.candidate),
                    quality_metric=str(experiment.quality_metric),
                    energy_ratio=float(experiment.energy_ratio),
                    ratio_ci95=(float(low), float(high)),
                    time_ratio=float(experiment.time_ratio),
                    quality_delta=float(experiment.quality_delta),
                    method=_text(experiment.method),
                    verdict=str(experiment.verdict),
                    machine=_machine(result.machine),
                    measurement_note=str(getattr(result.measurement, "note", "")),
                    device=_text(result.device),
                    quick=bool(result.quick),
                    repeats=int(result.repeats),
                    created=_day(result.created),
                )
            )
    return docs


def load_evidence_docs(root: Path) -> list[EvidenceDoc]:
    """The committed evidence in ``root`` (the repository's ``evidence/``); empty if none."""
    from greentactics.experiments.results import load_all_evidence

    if not root.is_dir():
        return []
    return evidence_docs(load_all_evidence(root))


@dataclass(frozen=True)
class SiteData:
    """Everything the pages are rendered from, with the lookups the pages need."""

    catalog: Catalog
    rules: tuple[RuleDoc, ...] = ()
    evidence: tuple[EvidenceDoc, ...] = ()

    def check(self) -> None:
        """Raise :class:`SiteInputError` naming every rule or experiment with an unknown tactic."""
        known = set(self.catalog.by_slug)
        problems = [
            f"rule {rule.code} checks unknown tactic {rule.tactic!r}"
            for rule in self.rules
            if rule.tactic not in known
        ]
        problems += [
            f"experiment {item.name!r} measures unknown tactic {item.tactic!r}"
            for item in self.evidence
            if item.tactic not in known
        ]
        if problems:
            raise SiteInputError("; ".join(problems) + " (tactics are named by their slug)")

    def rules_for(self, slug: str) -> list[RuleDoc]:
        """The rules that check one tactic, by code."""
        return [rule for rule in self.rules if rule.tactic == slug]

    def evidence_for(self, slug: str) -> list[EvidenceDoc]:
        """The experiments measured for one tactic."""
        return [item for item in self.evidence if item.tactic == slug]
