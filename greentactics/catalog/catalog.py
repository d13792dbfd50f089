"""The validated catalog: tactics, categories and sources, with lookups and derived links."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from greentactics.catalog.model import (
    Category,
    CategoryInfo,
    Origin,
    Relationship,
    Source,
    Tactic,
)


@dataclass(frozen=True)
class Catalog:
    """A loaded, cross-checked catalog. Build it with :func:`greentactics.catalog.load_catalog`."""

    tactics: tuple[Tactic, ...]
    categories: tuple[CategoryInfo, ...]
    sources: tuple[Source, ...]
    root: Path | None = None
    by_id: dict[str, Tactic] = field(init=False, repr=False, compare=False)
    by_slug: dict[str, Tactic] = field(init=False, repr=False, compare=False)
    _sources: dict[str, Source] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "by_id", {t.id: t for t in self.tactics})
        object.__setattr__(self, "by_slug", {t.slug: t for t in self.tactics})
        object.__setattr__(self, "_sources", {s.id: s for s in self.sources})

    def get(self, id_or_slug: str) -> Tactic:
        """The tactic with this ID (case-insensitive) or slug; ``KeyError`` if there is none."""
        key = id_or_slug.strip()
        tactic = self.by_id.get(key.upper()) or self.by_slug.get(key.lower())
        if tactic is None:
            raise KeyError(id_or_slug)
        return tactic

    def source(self, source_id: str) -> Source:
        """The bibliography entry with this ID."""
        return self._sources[source_id]

    def category(self, category: Category) -> CategoryInfo:
        """The description of a category."""
        return next(info for info in self.categories if info.id is category)

    def in_category(self, category: Category) -> list[Tactic]:
        """The tactics of one category, in ID order."""
        return [t for t in self.tactics if t.category is category]

    @property
    def paper_tactics(self) -> list[Tactic]:
        """The paper's 30 tactics."""
        return [t for t in self.tactics if t.origin is Origin.PAPER]

    @property
    def extensions(self) -> list[Tactic]:
        """Tactics this project added to the paper's 30."""
        return [t for t in self.tactics if t.origin is Origin.EXTENSION]

    def relationships_of(self, tactic: Tactic) -> list[Relationship]:
        """Links stated by ``tactic`` plus inverses derived from links other tactics state to it."""
        related = list(tactic.relationships)
        present = {(r.kind, r.target) for r in related}
        for other in self.tactics:
            for relation in other.relationships:
                if relation.target != tactic.id or relation.kind.symmetric:
                    continue
                derived = Relationship(
                    kind=relation.kind.inverse,
                    target=other.id,
                    note=relation.note,
                )
                if (derived.kind, derived.target) not in present:
                    present.add((derived.kind, derived.target))
                    related.append(derived)
        return related
