"""What the linter produces: findings with their location and optional fix.

Small frozen dataclasses, passed between worker processes, stored in the cache as JSON and
rendered by the reporters. Columns are 1-based and end columns exclusive (as in SARIF); lines
are 1-based. For notebooks, ``cell`` is the 0-based index among all cells (markdown included)
and ``line`` is the line within that cell.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, replace
from typing import Any

# Findings the engine itself produces; they are always on and have no tactic.
SYNTAX_ERROR = ("GT001", "syntax-error")
UNREADABLE_FILE = ("GT002", "unreadable-file")
INTERNAL_ERROR = ("GT003", "internal-error")
UNUSED_SUPPRESSION = ("GT004", "unused-suppression")
ENGINE_CODES = {
    code: name for code, name in (SYNTAX_ERROR, UNREADABLE_FILE, INTERNAL_ERROR, UNUSED_SUPPRESSION)
}


@dataclass(frozen=True)
class Edit:
    """Replace the text from (line, column) to (end_line, end_column) with ``content``."""

    line: int
    column: int
    end_line: int
    end_column: int
    content: str


@dataclass(frozen=True)
class Fix:
    """An autofix: ``safety`` is "safe" or "unsafe"; ``edits`` apply to the original file."""

    safety: str
    edits: tuple[Edit, ...]
    message: str = ""


@dataclass(frozen=True)
class Finding:
    """One problem found in one file."""

    code: str
    name: str
    tactic: str | None
    severity: str
    message: str
    path: str
    line: int
    column: int
    end_line: int
    end_column: int
    cell: int | None = None
    fix: Fix | None = None

    @property
    def is_engine_diagnostic(self) -> bool:
        """Whether this is a parse/read/internal/suppression diagnostic, not a rule finding."""
        return self.code in ENGINE_CODES

    def sort_key(self) -> tuple[str, int, int, int, str]:
        """Order by path, cell, line, column, code."""
        return (
            self.path,
            self.cell if self.cell is not None else -1,
            self.line,
            self.column,
            self.code,
        )

    def with_path(self, path: str) -> Finding:
        """The same finding reported under another path (cache entries are path-agnostic)."""
        return replace(self, path=path)

    def to_json(self) -> dict[str, Any]:
        """A JSON-ready dict (the cache format; the JSON reporter has its own stable shape)."""
        return asdict(self)

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> Finding:
        """Rebuild a finding from :meth:`to_json` output."""
        fix_data = data.get("fix")
        fix = None
        if fix_data is not None:
            edits = tuple(Edit(**edit) for edit in fix_data["edits"])
            fix = Fix(safety=fix_data["safety"], edits=edits, message=fix_data.get("message", ""))
        return cls(**{**data, "fix": fix})
