"""Suppression comments: ``# greentactics: ignore[GT401]`` and its file-level form.

* ``x = f()  # greentactics: ignore[GT401]``: findings of GT401 starting on this line.
* a comment-only line ``# greentactics: ignore[GT401]``: findings on the next line.
* ``# greentactics: ignore-file[GT401]`` anywhere on its own line: the whole file.
* without brackets (``# greentactics: ignore``) every rule is suppressed there.
* codes and kebab-case rule names are both accepted, comma-separated.

Comments are found with ``tokenize``, so the marker inside a string does not count, and only
in files whose text contains the marker at all.
"""

from __future__ import annotations

import io
import re
import tokenize
from collections.abc import Mapping
from dataclasses import dataclass, field

MARKER = "greentactics:"
_COMMENT = re.compile(
    r"#\s*greentactics:\s*(?P<kind>ignore-file|ignore)\b(?:\[(?P<rules>[^\]]*)\])?"
)


@dataclass
class Suppression:
    """One suppression comment; ``rules`` None means all rules; ``used`` tracks matches."""

    line: int
    column: int
    applies_to: tuple[int, ...]
    rules: tuple[str, ...] | None
    file_level: bool
    used: set[str] = field(default_factory=set)
    unknown: tuple[str, ...] = ()


@dataclass
class Suppressions:
    """All suppression comments of one file."""

    items: list[Suppression]

    def suppresses(self, code: str, line: int) -> bool:
        """Whether a finding of ``code`` starting on ``line`` is suppressed; marks it used."""
        hit = False
        for item in self.items:
            if not item.file_level and line not in item.applies_to:
                continue
            if item.rules is None or code in item.rules:
                item.used.add(code)
                hit = True
        return hit

    def unused(self) -> list[tuple[Suppression, str]]:
        """(suppression, code or "*") pairs that suppressed nothing; unknown names included."""
        found: list[tuple[Suppression, str]] = []
        for item in self.items:
            if item.rules is None:
                if not item.used:
                    found.append((item, "*"))
                continue
            found.extend((item, code) for code in item.rules if code not in item.used)
            found.extend((item, name) for name in item.unknown)
        return found


def find_suppressions(text: str, codes_by_alias: Mapping[str, str]) -> Suppressions:
    """Parse the suppression comments of a file. ``codes_by_alias`` maps codes and rule names
    (any case) to codes; entries it does not know are kept as ``unknown``."""
    if MARKER not in text:
        return Suppressions([])
    items: list[Suppression] = []
    code_lines = _code_lines(text)
    try:
        tokens = list(tokenize.generate_tokens(io.StringIO(text).readline))
    except (tokenize.TokenError, SyntaxError):
        return Suppressions([])
    for token in tokens:
        if token.type != tokenize.COMMENT:
            continue
        match = _COMMENT.search(token.string)
        if match is None:
            continue
        line, column = token.start
        own_line = line not in code_lines
        applies_to = (line, _next_code_line(code_lines, line)) if own_line else (line,)
        rules: tuple[str, ...] | None = None
        unknown: tuple[str, ...] = ()
        if match.group("rules") is not None:
            entries = [entry.strip() for entry in match.group("rules").split(",") if entry.strip()]
            known = [codes_by_alias.get(entry.lower()) for entry in entries]
            rules = tuple(code for code in known if code is not None)
            unknown = tuple(
                entry for entry, code in zip(entries, known, strict=True) if code is None
            )
        items.append(
            Suppression(
                line=line,
                column=column + 1,
                applies_to=applies_to,
                rules=rules,
                file_level=match.group("kind") == "ignore-file",
                unknown=unknown,
            )
        )
    return Suppressions(items)


def _code_lines(text: str) -> set[int]:
    """Lines holding something other than blank space or a comment."""
    lines = set()
    for number, line in enumerate(text.splitlines(), start=1):
        stripped = line.strip()
        if stripped and not stripped.startswith("#"):
            lines.add(number)
    return lines


def _next_code_line(code_lines: set[int], line: int) -> int:
    """The next line after ``line`` with code (comment lines in between are skipped)."""
    candidates = [number for number in code_lines if number > line]
    return min(candidates) if candidates else line + 1
