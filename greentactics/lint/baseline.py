"""Baselines: adopt the linter on an existing codebase without fixing everything first.

``greentactics lint --write-baseline FILE`` records the current findings;
``--baseline FILE`` (or ``baseline = "FILE"`` in ``[tool.greentactics]``) then reports only
findings that are not in it, so CI fails on new problems while the old ones are worked off.

A finding matches a baseline entry by file, rule code, notebook cell and the text of its
source line (whitespace-trimmed), not by line number: code added above it does not bring it
back, and editing the line itself does. N identical entries absorb at most N findings, so a
second copy of a baselined line is reported. Paths are stored relative to the baseline
file, which can be committed and reviewed like code. The linter's own diagnostics (syntax
errors, unreadable files, internal errors, GT001-GT004) are never baselined.
"""

from __future__ import annotations

import json
import os
from collections import Counter
from pathlib import Path
from typing import TYPE_CHECKING, Any

from greentactics.errors import UsageError

if TYPE_CHECKING:
    from greentactics.lint.engine import LintRun
    from greentactics.lint.findings import Finding

FORMAT_VERSION = 1
_Key = tuple[str, str, int | None, str]


def _relative(display: str, base: Path, cwd: Path) -> str:
    """A linted file's path as the baseline names it: relative to the baseline's directory."""
    return Path(os.path.relpath(cwd / display, base)).as_posix()


def _key(
    finding: Finding, run: LintRun, base: Path, cwd: Path, lines: dict[str, list[str]]
) -> _Key:
    path = _relative(finding.path, base, cwd)
    cache_key = f"{finding.path}\0{finding.cell}"
    if cache_key not in lines:
        source = run.source_text(finding.path)
        lines[cache_key] = source.lines_of(finding.cell) if source is not None else []
    file_lines = lines[cache_key]
    text = file_lines[finding.line - 1].strip() if 1 <= finding.line <= len(file_lines) else ""
    return (path, finding.code, finding.cell, text)


def write_baseline(run: LintRun, target: Path, cwd: Path) -> int:
    """Record the run's rule findings in ``target``; returns how many."""
    lines: dict[str, list[str]] = {}
    base = target.resolve().parent
    entries = []
    for finding in run.findings:
        if finding.is_engine_diagnostic:
            continue
        path, code, cell, text = _key(finding, run, base, cwd, lines)
        entry: dict[str, Any] = {"path": path, "code": code}
        if cell is not None:
            entry["cell"] = cell
        entry.update({"line": finding.line, "source": text, "message": finding.message})
        entries.append(entry)
    document = {
        "tool": "greentactics",
        "format": FORMAT_VERSION,
        "comment": "Findings accepted when this file was written; `greentactics lint` reports "
        "only others. Regenerate with `greentactics lint --write-baseline FILE`.",
        "findings": entries,
    }
    try:
        target.write_text(json.dumps(document, indent=2) + "\n", encoding="utf-8")
    except OSError as error:
        raise UsageError(f"{target}: cannot write the baseline: {error.strerror}") from None
    return len(entries)


def load_baseline(path: Path) -> Counter[_Key]:
    """The entries of a baseline file, counted; errors name the file and what is wrong."""
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise UsageError(
            f"{path}: no such baseline file (create it with --write-baseline {path})"
        ) from None
    except (OSError, UnicodeDecodeError) as error:
        raise UsageError(f"{path}: cannot read the baseline: {error}") from None
    try:
        document = json.loads(text)
    except ValueError as error:
        line = getattr(error, "lineno", "?")
        raise UsageError(f"{path}:{line}: not valid JSON: {error}") from None
    if not isinstance(document, dict) or document.get("tool") != "greentactics":
        raise UsageError(f'{path}: not a greentactics baseline (no "tool": "greentactics")')
    if document.get("format") != FORMAT_VERSION:
        raise UsageError(
            f"{path}: baseline format {document.get('format')!r} is not supported "
            f"(expected {FORMAT_VERSION}); regenerate it with --write-baseline"
        )
    findings = document.get("findings")
    if not isinstance(findings, list):
        raise UsageError(f"{path}: findings: expected a list")
    counted: Counter[_Key] = Counter()
    for index, entry in enumerate(findings):
        where = f"{path}: findings[{index}]"
        if not isinstance(entry, dict):
            raise UsageError(f"{where}: expected an object")
        for field in ("path", "code", "source"):
            if not isinstance(entry.get(field), str):
                raise UsageError(f"{where}.{field}: expected a string")
        cell = entry.get("cell")
        if cell is not None and (not isinstance(cell, int) or isinstance(cell, bool)):
            raise UsageError(f"{where}.cell: expected an integer")
        counted[(entry["path"], entry["code"], cell, entry["source"].strip())] += 1
    return counted


def apply_baseline(run: LintRun, baseline: Counter[_Key], path: Path, cwd: Path) -> int:
    """Drop the findings the baseline (loaded from ``path``) accepts from ``run``; returns
    how many entries of the files this run checked matched nothing (fixed, or edited)."""
    remaining = baseline.copy()
    base = path.resolve().parent
    lines: dict[str, list[str]] = {}
    kept = []
    for finding in run.findings:
        if not finding.is_engine_diagnostic:
            key = _key(finding, run, base, cwd, lines)
            if remaining[key] > 0:
                remaining[key] -= 1
                continue
        kept.append(finding)
    run.baselined = len(run.findings) - len(kept)
    run.findings = kept
    checked = {_relative(display, base, cwd) for display in run.sources}
    return sum(count for key, count in remaining.items() if key[0] in checked and count > 0)
