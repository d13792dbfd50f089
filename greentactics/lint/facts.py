"""The project-level model: facts gathered from every file before the rules run.

Some questions cannot be answered from one file: "does the project save a checkpoint
anywhere?", "is ``evaluate()`` from ``metrics.py`` ever called under ``torch.no_grad()``?".
The linter therefore runs in two phases:

1. **Collect.** For every file, each :class:`FactCollector` that an enabled rule declares in
   ``Rule.FACTS`` turns the file's :class:`~greentactics.lint.analysis.FileAnalysis` into
   :class:`Fact` records. Facts are small, JSON-serialisable and cached by file content hash,
   so unchanged files are not re-parsed for them.
2. **Check.** All facts are merged into one :class:`ProjectFacts`, which every rule reads as
   ``self.project`` while it checks a file. The cache keys phase-2 results on a digest of the
   project facts, so a change that adds a fact in one file re-checks the others.

Example collector::

    class CheckpointSaves(FactCollector):
        name = "checkpoint-saves"
        trigger = r"save"                      # skip files without the word (fast pre-filter)

        def collect(self, analysis):
            for call in analysis.calls_to("torch.save"):
                yield self.fact(analysis, "saves-checkpoint", call.name or "", call.node)
"""

from __future__ import annotations

import hashlib
import json
import re
from collections.abc import Iterable, Iterator
from typing import TYPE_CHECKING, Any, ClassVar, NamedTuple

if TYPE_CHECKING:
    import libcst as cst

    from greentactics.lint.analysis import FileAnalysis


class Fact(NamedTuple):
    """One thing a file shows about the project.

    ``kind`` names the fact (``"saves-checkpoint"``), ``key`` refines it (a function's
    qualified name, an API name), ``path``/``line`` say where it was seen, ``detail`` carries
    any extra text. Use plain strings: facts are cached as JSON. (A named tuple: a large
    project merges ~10^5 facts on every run, and tuples are the cheapest record to build.)
    """

    kind: str
    key: str = ""
    path: str = ""
    line: int = 0
    detail: str = ""

    def to_json(self) -> dict[str, Any]:
        """A JSON-ready dict (for the cache)."""
        return {
            "kind": self.kind,
            "key": self.key,
            "path": self.path,
            "line": self.line,
            "detail": self.detail,
        }

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> Fact:
        """Rebuild a fact from :meth:`to_json` output."""
        return cls(**data)


class FactCollector:
    """Gathers :class:`Fact` records from one file (phase 1). Subclass and implement collect.

    Class attributes: ``name`` (unique, kebab-case), ``version`` (bump it when the logic
    changes, so cached facts are recomputed) and ``trigger`` (optional regex; files whose text
    does not match it are not even parsed for this collector, which keeps phase 1 cheap).
    Collectors must be deterministic and must not keep state between files.
    """

    name: ClassVar[str]
    version: ClassVar[int] = 1
    trigger: ClassVar[str | None] = None

    def collect(self, analysis: FileAnalysis) -> Iterable[Fact]:
        """Yield the facts this file shows; ``analysis`` is the same model rules see."""
        raise NotImplementedError

    def fact(
        self,
        analysis: FileAnalysis,
        kind: str,
        key: str = "",
        node: cst.CSTNode | None = None,
        detail: str = "",
    ) -> Fact:
        """Build a fact located at ``node`` (or at the file when ``node`` is None)."""
        line = analysis.line_of(node) if node is not None else 0
        return Fact(kind=kind, key=key, path=analysis.path, line=line, detail=detail)

    @classmethod
    def matches(cls, text: str) -> bool:
        """Whether a file's text passes the ``trigger`` pre-filter."""
        if cls.trigger is None:
            return True
        return _compiled(cls.trigger).search(text) is not None

    @classmethod
    def identity(cls) -> str:
        """``module.Class@version``: what the cache keys collected facts on."""
        return f"{cls.__module__}.{cls.__qualname__}@{cls.version}"


_PATTERNS: dict[str, re.Pattern[str]] = {}


def _compiled(pattern: str) -> re.Pattern[str]:
    compiled = _PATTERNS.get(pattern)
    if compiled is None:
        compiled = _PATTERNS[pattern] = re.compile(pattern)
    return compiled


class ProjectFacts:
    """All facts of the linted project, merged; what rules read as ``self.project``.

    When a single file or a rule example is checked, the project is that one file. Rules ask
    narrow questions (``find("gt-call", "evaluate")``); answers come from an index built per
    kind on first use, and the engine's cache-backed subclass answers them from the cache's
    database, so a run over a large project never loads facts no rule asked for.
    """

    def __init__(self, facts: Iterable[Fact] = ()) -> None:
        # Order is the caller's (the engine passes files in path order, each file's facts in
        # source order); no global sort: a project of 3,000 files has ~200,000 facts.
        self._facts = tuple(dict.fromkeys(facts))
        self._by_kind: dict[str, list[Fact]] = {}
        for fact in self._facts:
            self._by_kind.setdefault(fact.kind, []).append(fact)
        self._by_key: dict[str, dict[str, list[Fact]]] = {}

    def __iter__(self) -> Iterator[Fact]:
        return iter(self._facts)

    def __len__(self) -> int:
        return len(self._facts)

    def _of_kind(self, kind: str) -> list[Fact]:
        """Every fact of ``kind``, in path order, then source order (do not modify)."""
        return self._by_kind.get(kind, [])

    def _of_key(self, kind: str, key: str) -> list[Fact]:
        """The facts of ``kind`` and ``key``, in the same order (do not modify)."""
        grouped = self._by_key.get(kind)
        if grouped is None:
            grouped = self._by_key[kind] = {}
            for fact in self._of_kind(kind):
                grouped.setdefault(fact.key, []).append(fact)
        return grouped.get(key, [])

    def _select(self, kind: str, key: str | None) -> list[Fact]:
        return self._of_kind(kind) if key is None else self._of_key(kind, key)

    def find(self, kind: str, key: str | None = None) -> list[Fact]:
        """Facts of ``kind`` (and of ``key`` when given), in path order, then source order."""
        return list(self._select(kind, key))

    def has(self, kind: str, key: str | None = None) -> bool:
        """Whether any file showed a fact of ``kind`` (and ``key``)."""
        return bool(self._select(kind, key))

    def keys(self, kind: str) -> set[str]:
        """The distinct keys seen for ``kind`` (e.g. every function called under no_grad)."""
        return {fact.key for fact in self._of_kind(kind)}

    def paths(self, kind: str, key: str | None = None) -> set[str]:
        """The files that showed a fact of ``kind`` (and ``key``)."""
        return {fact.path for fact in self.find(kind, key)}

    def digest(self) -> str:
        """A stable hash of all facts (order-independent)."""
        payload = json.dumps(sorted(self))
        return hashlib.sha256(payload.encode()).hexdigest()
