"""The scan result: one status per catalog tactic, with its evidence, and the summaries.

Statuses: ``applied`` (at least one strong or partial piece of evidence), ``not-found`` (no
evidence; for a tactic without positive code signals this only means "not visible"), and
``not-detectable`` (the catalog rates the tactic's detectability ``architectural``: it is a
system or infrastructure decision, so code is not searched for it). Options that are present
but switched off (``fp16=False``) are listed as ``disabled`` and never make a tactic applied.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

from greentactics.scan.evidence import Evidence, Strength
from greentactics.urls import tactic_url

if TYPE_CHECKING:
    from greentactics.catalog.catalog import Catalog

APPLIED = "applied"
NOT_FOUND = "not-found"
NOT_DETECTABLE = "not-detectable"
STATUS_LABELS = {
    APPLIED: "applied",
    NOT_FOUND: "not found",
    NOT_DETECTABLE: "not detectable in code",
}


@dataclass(frozen=True)
class Diagnostic:
    """A file or directory that could not be read or parsed; the scan went on without it.

    ``line``/``column`` locate a syntax error; they are None for unreadable paths.
    """

    path: str
    line: int | None
    column: int | None
    message: str

    @property
    def location(self) -> str:
        """``path:line:column``, or just the path when there is no position."""
        if self.line is None:
            return self.path
        return f"{self.path}:{self.line}:{self.column or 1}"


@dataclass(frozen=True)
class TacticResult:
    """What the scan concluded about one tactic.

    ``strength`` is ``strong`` when any evidence is strong, ``partial`` when all of it is
    partial, None when the tactic is not applied.
    """

    id: str
    slug: str
    name: str
    category: str
    detectability: str
    status: str
    strength: str | None
    url: str
    evidence: tuple[Evidence, ...]
    disabled: tuple[Evidence, ...]

    @property
    def status_label(self) -> str:
        """The status in words: ``applied``, ``not found``, ``not detectable in code``."""
        return STATUS_LABELS[self.status]


@dataclass(frozen=True)
class CategorySummary:
    """How many tactics of one category the scan found applied."""

    id: str
    name: str
    total: int
    applied: int
    not_found: int
    not_detectable: int


@dataclass(frozen=True)
class ScanReport:
    """Everything a reporter renders."""

    paths: tuple[str, ...]
    files_scanned: int
    tactics: tuple[TacticResult, ...]
    categories: tuple[CategorySummary, ...]
    diagnostics: tuple[Diagnostic, ...]
    include_tests: bool

    @property
    def applied(self) -> int:
        """Number of tactics with evidence."""
        return sum(result.status == APPLIED for result in self.tactics)

    @property
    def not_detectable(self) -> int:
        """Number of tactics the catalog rates not detectable in code."""
        return sum(result.status == NOT_DETECTABLE for result in self.tactics)

    @property
    def not_found(self) -> int:
        """Number of detectable tactics without evidence."""
        return sum(result.status == NOT_FOUND for result in self.tactics)

    @property
    def summary_line(self) -> str:
        """``12 of 32 tactics applied; 3 not detectable in code``."""
        return (
            f"{self.applied} of {len(self.tactics)} tactics applied; "
            f"{self.not_detectable} not detectable in code"
        )


def build_report(
    catalog: Catalog,
    evidence: Iterable[Evidence],
    *,
    paths: Sequence[str],
    files_scanned: int,
    diagnostics: Sequence[Diagnostic] = (),
    include_tests: bool = False,
) -> ScanReport:
    """Group evidence by tactic and decide each catalog tactic's status."""
    by_tactic: dict[str, list[Evidence]] = {}
    for item in evidence:
        by_tactic.setdefault(item.tactic, []).append(item)
    results: list[TacticResult] = []
    for tactic in catalog.tactics:
        found = sorted(by_tactic.get(tactic.id, []), key=Evidence.sort_key)
        positive = tuple(item for item in found if item.strength is not Strength.DISABLED)
        disabled = tuple(item for item in found if item.strength is Strength.DISABLED)
        detectability = tactic.detectability.value
        if detectability == "architectural":
            status, strength = NOT_DETECTABLE, None
        elif positive:
            strong = any(item.strength is Strength.STRONG for item in positive)
            status, strength = APPLIED, ("strong" if strong else "partial")
        else:
            status, strength = NOT_FOUND, None
        results.append(
            TacticResult(
                id=tactic.id,
                slug=tactic.slug,
                name=tactic.name,
                category=tactic.category.value,
                detectability=detectability,
                status=status,
                strength=strength,
                url=tactic_url(tactic.slug),
                evidence=positive if status == APPLIED else (),
                disabled=disabled if status != NOT_DETECTABLE else (),
            )
        )
    categories = tuple(
        CategorySummary(
            id=info.id.value,
            name=info.name,
            total=len(members := [r for r in results if r.category == info.id.value]),
            applied=sum(r.status == APPLIED for r in members),
            not_found=sum(r.status == NOT_FOUND for r in members),
            not_detectable=sum(r.status == NOT_DETECTABLE for r in members),
        )
        for info in catalog.categories
    )
    return ScanReport(
        paths=tuple(paths),
        files_scanned=files_scanned,
        tactics=tuple(results),
        categories=categories,
        diagnostics=tuple(diagnostics),
        include_tests=include_tests,
    )
