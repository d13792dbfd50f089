"""The JSON Schema of ``greentactics lint --format json`` (schema_version 1).

The shape is a stable API: fields are only added, never renamed or removed, within a
schema_version. The docs page and a test render and validate against this very object.
"""

from __future__ import annotations

from typing import Any

_POSITION = {"type": "integer", "minimum": 1}

_EDIT = {
    "type": "object",
    "additionalProperties": False,
    "required": ["line", "column", "end_line", "end_column", "content"],
    "properties": {
        "line": _POSITION,
        "column": _POSITION,
        "end_line": _POSITION,
        "end_column": _POSITION,
        "content": {"type": "string", "description": "Text that replaces the range."},
    },
}

_FIX = {
    "type": "object",
    "additionalProperties": False,
    "required": ["applicability", "message", "edits"],
    "properties": {
        "applicability": {
            "enum": ["safe", "unsafe"],
            "description": "safe: applied by --fix; unsafe: only with --unsafe-fixes.",
        },
        "message": {"type": "string"},
        "edits": {"type": "array", "items": _EDIT, "minItems": 1},
    },
}

FINDING_SCHEMA: dict[str, Any] = {
    "type": "object",
    "additionalProperties": False,
    "required": [
        "code",
        "rule",
        "tactic",
        "tactic_id",
        "tactic_name",
        "severity",
        "path",
        "cell",
        "line",
        "column",
        "end_line",
        "end_column",
        "message",
        "help_url",
        "fix",
    ],
    "properties": {
        "code": {"type": "string", "pattern": "^GT\\d{3}$", "description": "Stable rule code."},
        "rule": {"type": "string", "description": "Kebab-case rule name."},
        "tactic": {"type": ["string", "null"], "description": "Catalog slug of the tactic."},
        "tactic_id": {"type": ["string", "null"], "description": "Catalog ID (T19, E02)."},
        "tactic_name": {"type": ["string", "null"]},
        "severity": {"enum": ["error", "warning", "info"]},
        "path": {"type": "string", "description": "As given/discovered, POSIX separators."},
        "cell": {
            "type": ["integer", "null"],
            "minimum": 0,
            "description": "Notebooks: 0-based index among all cells; lines are then in-cell.",
        },
        "line": _POSITION,
        "column": _POSITION,
        "end_line": _POSITION,
        "end_column": {**_POSITION, "description": "Exclusive, 1-based."},
        "message": {"type": "string"},
        "help_url": {"type": "string", "format": "uri"},
        "fix": {"oneOf": [{"type": "null"}, _FIX]},
    },
}

REPORT_SCHEMA: dict[str, Any] = {
    "$schema": "https://json-schema.org/draft/2020-12/schema",
    "$id": "https://greentactics.github.io/greentactics/schemas/lint-report-1.json",
    "title": "greentactics lint report",
    "type": "object",
    "additionalProperties": False,
    "required": ["schema_version", "tool", "summary", "findings"],
    "properties": {
        "schema_version": {"const": 1},
        "tool": {
            "type": "object",
            "additionalProperties": False,
            "required": ["name", "version"],
            "properties": {"name": {"const": "greentactics"}, "version": {"type": "string"}},
        },
        "summary": {
            "type": "object",
            "additionalProperties": False,
            "required": [
                "files",
                "findings",
                "fixable",
                "fixes_applied",
                "by_severity",
                "exit_code",
            ],
            "properties": {
                "files": {"type": "integer", "minimum": 0},
                "findings": {"type": "integer", "minimum": 0},
                "fixable": {"type": "integer", "minimum": 0},
                "fixes_applied": {"type": "integer", "minimum": 0},
                "by_severity": {
                    "type": "object",
                    "additionalProperties": False,
                    "required": ["error", "warning", "info"],
                    "properties": {
                        level: {"type": "integer", "minimum": 0}
                        for level in ("error", "warning", "info")
                    },
                },
                "exit_code": {"enum": [0, 1, 2]},
                "baselined": {
                    "type": "integer",
                    "minimum": 0,
                    "description": "findings a baseline file accepted (not listed)",
                },
            },
        },
        "findings": {"type": "array", "items": FINDING_SCHEMA},
    },
}
