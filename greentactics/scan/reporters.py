"""Rendering a :class:`~greentactics.scan.report.ScanReport` as text, JSON or Markdown.

The JSON document is a stable interface (``schema_version`` 1, described by
:data:`JSON_SCHEMA`)::

    {"schema_version": 1, "tool": "greentactics scan", "version": "...",
     "paths": ["src"], "include_tests": false, "files_scanned": 12,
     "diagnostics": [{"path", "line", "column", "message"}],
     "summary": {"total": 32, "applied": 9, "not_found": 20, "not_detectable": 3,
                 "text": "9 of 32 tactics applied; 3 not detectable in code",
                 "by_category": [{"id", "name", "total", "applied", "not_found",
                                  "not_detectable"}]},
     "tactics": [{"id": "T05", "slug", "name", "category", "detectability",
                  "status": "applied" | "not-found" | "not-detectable",
                  "strength": "strong" | "partial" | null, "url",
                  "evidence": [{"path", "line", "column", "cell", "signal", "code",
                                "strength", "in_tests"}],
                  "disabled": [same shape: options present but switched off]}]}
"""

from __future__ import annotations

import json
from typing import Any

from greentactics.scan.evidence import Evidence
from greentactics.scan.report import APPLIED, NOT_DETECTABLE, ScanReport, TacticResult

FORMATS = ("text", "json", "markdown")
SCHEMA_VERSION = 1

_EVIDENCE_SCHEMA: dict[str, Any] = {
    "type": "object",
    "additionalProperties": False,
    "required": ["path", "line", "column", "cell", "signal", "code", "strength", "in_tests"],
    "properties": {
        "path": {"type": "string"},
        "line": {"type": "integer", "minimum": 1},
        "column": {"type": "integer", "minimum": 1},
        "cell": {"type": ["integer", "null"], "minimum": 0},
        "signal": {"type": "string", "minLength": 1},
        "code": {"type": "string"},
        "strength": {"enum": ["strong", "partial", "disabled"]},
        "in_tests": {"type": "boolean"},
    },
}
_COUNTS = {
    "total": {"type": "integer", "minimum": 0},
    "applied": {"type": "integer", "minimum": 0},
    "not_found": {"type": "integer", "minimum": 0},
    "not_detectable": {"type": "integer", "minimum": 0},
}
JSON_SCHEMA: dict[str, Any] = {
    "$schema": "https://json-schema.org/draft/2020-12/schema",
    "title": "greentactics scan report",
    "type": "object",
    "additionalProperties": False,
    "required": [
        "schema_version",
        "tool",
        "version",
        "paths",
        "include_tests",
        "files_scanned",
        "diagnostics",
        "summary",
        "tactics",
    ],
    "properties": {
        "schema_version": {"const": SCHEMA_VERSION},
        "tool": {"const": "greentactics scan"},
        "version": {"type": "string"},
        "paths": {"type": "array", "items": {"type": "string"}},
        "include_tests": {"type": "boolean"},
        "files_scanned": {"type": "integer", "minimum": 0},
        "diagnostics": {
            "type": "array",
            "items": {
                "type": "object",
                "additionalProperties": False,
                "required": ["path", "line", "column", "message"],
                "properties": {
                    "path": {"type": "string"},
                    "line": {"type": ["integer", "null"]},
                    "column": {"type": ["integer", "null"]},
                    "message": {"type": "string"},
                },
            },
        },
        "summary": {
            "type": "object",
            "additionalProperties": False,
            "required": [*_COUNTS, "text", "by_category"],
            "properties": {
                **_COUNTS,
                "text": {"type": "string"},
                "by_category": {
                    "type": "array",
                    "items": {
                        "type": "object",
                        "additionalProperties": False,
                        "required": ["id", "name", *_COUNTS],
                        "properties": {
                            "id": {"type": "string"},
                            "name": {"type": "string"},
                            **_COUNTS,
                        },
                    },
                },
            },
        },
        "tactics": {
            "type": "array",
            "items": {
                "type": "object",
                "additionalProperties": False,
                "required": [
                    "id",
                    "slug",
                    "name",
                    "category",
                    "detectability",
                    "status",
                    "strength",
                    "url",
                    "evidence",
                    "disabled",
                ],
                "properties": {
                    "id": {"type": "string", "pattern": "^[TE][0-9]{2}$"},
                    "slug": {"type": "string"},
                    "name": {"type": "string"},
                    "category": {"type": "string"},
                    "detectability": {"enum": ["static", "partial", "architectural"]},
                    "status": {"enum": ["applied", "not-found", "not-detectable"]},
                    "strength": {"enum": ["strong", "partial", None]},
                    "url": {"type": "string", "format": "uri"},
                    "evidence": {"type": "array", "items": _EVIDENCE_SCHEMA},
                    "disabled": {"type": "array", "items": _EVIDENCE_SCHEMA},
                },
            },
        },
    },
}


def render(report: ScanReport, output_format: str, *, max_evidence: int = 5) -> str:
    """The report in ``text``, ``json`` or ``markdown``; ``max_evidence`` caps lists (0 = all)."""
    if output_format == "json":
        return render_json(report)
    if output_format == "markdown":
        return render_markdown(report, max_evidence=max_evidence)
    return render_text(report, max_evidence=max_evidence)


# ----------------------------------------------------------------------------- JSON


def _evidence_json(item: Evidence) -> dict[str, Any]:
    return {
        "path": item.path,
        "line": item.line,
        "column": item.column,
        "cell": item.cell,
        "signal": item.signal,
        "code": item.code,
        "strength": item.strength.value,
        "in_tests": item.in_tests,
    }


def report_json(report: ScanReport) -> dict[str, Any]:
    """The report as the JSON-ready document described in the module docstring."""
    from greentactics import __version__

    return {
        "schema_version": SCHEMA_VERSION,
        "tool": "greentactics scan",
        "version": __version__,
        "paths": list(report.paths),
        "include_tests": report.include_tests,
        "files_scanned": report.files_scanned,
        "diagnostics": [
            {"path": d.path, "line": d.line, "column": d.column, "message": d.message}
            for d in report.diagnostics
        ],
        "summary": {
            "total": len(report.tactics),
            "applied": report.applied,
            "not_found": report.not_found,
            "not_detectable": report.not_detectable,
            "text": report.summary_line,
            "by_category": [
                {
                    "id": c.id,
                    "name": c.name,
                    "total": c.total,
                    "applied": c.applied,
                    "not_found": c.not_found,
                    "not_detectable": c.not_detectable,
                }
                for c in report.categories
            ],
        },
        "tactics": [
            {
                "id": t.id,
                "slug": t.slug,
                "name": t.name,
                "category": t.category,
                "detectability": t.detectability,
                "status": t.status,
                "strength": t.strength,
                "url": t.url,
                "evidence": [_evidence_json(item) for item in t.evidence],
                "disabled": [_evidence_json(item) for item in t.disabled],
            }
            for t in report.tactics
        ],
    }


def render_json(report: ScanReport) -> str:
    """The JSON document, indented, with a final newline."""
    return json.dumps(report_json(report), indent=2) + "\n"


# ----------------------------------------------------------------------------- text


def _status_text(result: TacticResult) -> str:
    if result.status == APPLIED:
        return f"applied ({result.strength})"
    return result.status_label


def _capped(items: tuple[Evidence, ...], limit: int) -> tuple[tuple[Evidence, ...], int]:
    if limit <= 0 or len(items) <= limit:
        return items, 0
    return items[:limit], len(items) - limit


def _test_mark(item: Evidence) -> str:
    return " [test]" if item.in_tests else ""


def render_text(report: ScanReport, *, max_evidence: int = 5) -> str:
    """A terminal report: per category, each tactic's status, evidence and page."""
    lines = [
        f"greentactics scan: {report.files_scanned} file(s) in {', '.join(report.paths)}"
        + ("" if report.include_tests else " (test files excluded; --include-tests)"),
        "",
    ]
    by_category = {c.id: c for c in report.categories}
    for category in report.categories:
        members = [t for t in report.tactics if t.category == category.id]
        lines.append(f"{category.name}: {category.applied} of {category.total} applied")
        for result in members:
            lines.append(f"  {result.id}  {result.name}: {_status_text(result)}")
            shown, hidden = _capped(result.evidence, max_evidence)
            for item in shown:
                lines.append(f"        {item.location}: {item.signal}{_test_mark(item)}")
                lines.append(f"            {item.code}")
            if hidden:
                lines.append(f"        ... and {hidden} more (all of them with --max-evidence 0)")
            for item in result.disabled[: max_evidence or None]:
                lines.append(
                    f"        configured but disabled: {item.location}: {item.signal}"
                    f"{_test_mark(item)}"
                )
            if result.status == APPLIED:
                lines.append(f"        {result.url}")
        lines.append("")
    lines.append(f"Summary: {report.summary_line}.")
    for category in report.categories:
        counts = by_category[category.id]
        lines.append(f"  {counts.name:<22} {counts.applied} of {counts.total} applied")
    return "\n".join(lines) + "\n"


# ----------------------------------------------------------------------------- Markdown


def _cell(text: str) -> str:
    """Text safe inside a Markdown table cell."""
    return text.replace("\\", "\\\\").replace("|", "\\|").replace("\n", " ")


def _code(text: str) -> str:
    fence = "``" if "`" in text else "`"
    padding = " " if "`" in text else ""
    return f"{fence}{padding}{_cell(text)}{padding}{fence}"


def render_markdown(report: ScanReport, *, max_evidence: int = 5) -> str:
    """A Markdown report: a summary table, then one table per category."""
    scanned = ", ".join(f"`{path}`" for path in report.paths)
    lines = [
        "# Green tactics scan",
        "",
        f"Scanned {scanned}: {report.files_scanned} file(s)"
        + ("" if report.include_tests else ", test files excluded")
        + f". **{report.summary_line}.**",
        "",
        "| Category | Applied | Not found | Not detectable in code |",
        "| --- | --- | --- | --- |",
    ]
    for c in report.categories:
        lines.append(
            f"| {c.name} | {c.applied} of {c.total} | {c.not_found} | {c.not_detectable} |"
        )
    lines.append(
        f"| **All** | **{report.applied} of {len(report.tactics)}** | {report.not_found} "
        f"| {report.not_detectable} |"
    )
    for category in report.categories:
        lines += [
            "",
            f"## {category.name} ({category.applied} of {category.total} applied)",
            "",
            "| Tactic | Status | Evidence |",
            "| --- | --- | --- |",
        ]
        for result in (t for t in report.tactics if t.category == category.id):
            lines.append(
                f"| [{result.id} {_cell(result.name)}]({result.url}) | {_status_text(result)} "
                f"| {_markdown_evidence(result, max_evidence)} |"
            )
    return "\n".join(lines) + "\n"


def _markdown_evidence(result: TacticResult, max_evidence: int) -> str:
    if result.status == NOT_DETECTABLE:
        return "architectural decision, not visible in code"
    shown, hidden = _capped(result.evidence, max_evidence)
    parts = [
        f"{_code(item.location)} {_cell(item.signal)}{_test_mark(item)}: {_code(item.code)}"
        for item in shown
    ]
    if hidden:
        parts.append(f"... and {hidden} more")
    parts += [
        f"configured but disabled: {_code(item.location)} {_cell(item.signal)}"
        for item in result.disabled[: max_evidence or None]
    ]
    return "<br>".join(parts) if parts else ""
