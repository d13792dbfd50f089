"""What a detector reports: one piece of evidence that a tactic is (or is switched off) in code."""

from __future__ import annotations

from dataclasses import dataclass
from enum import Enum


class Strength(str, Enum):
    """How much a code signal says about a tactic.

    ``strong``: the code applies the tactic's technique itself (``PCA(...)``, ``torch.save`` of
    a state dict inside the training loop). ``partial``: a related technique, an inventory item
    or a heuristic (a lightweight model family, a compiler pass, a model saved once after
    training). ``disabled``: the option is present but switched off (``fp16=False``,
    ``save_strategy="no"``); never evidence that the tactic is applied.
    """

    STRONG = "strong"
    PARTIAL = "partial"
    DISABLED = "disabled"


@dataclass(frozen=True)
class Evidence:
    """One code signal of one tactic at one place.

    ``tactic`` is the catalog ID (``T05``); ``line`` is 1-based, ``column`` 1-based; for
    notebooks ``cell`` is the 0-based cell index and ``line`` the line within the cell.
    ``signal`` says in words what was found, ``code`` is the first line of the source that
    shows it. ``in_tests`` marks files under a test directory or named like a test.
    """

    tactic: str
    path: str
    line: int
    column: int
    signal: str
    code: str
    strength: Strength
    cell: int | None = None
    in_tests: bool = False

    @property
    def location(self) -> str:
        """``path:line:column`` (``path:cell N:line:column`` for notebooks)."""
        if self.cell is not None:
            return f"{self.path}:cell {self.cell}:{self.line}:{self.column}"
        return f"{self.path}:{self.line}:{self.column}"

    def sort_key(self) -> tuple[str, int, int, int, str]:
        """Order by file, cell, line, column, then signal."""
        return (self.path, self.cell or 0, self.line, self.column, self.signal)
