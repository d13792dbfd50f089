"""``--format json``: one document, shaped by ``json_schema.REPORT_SCHEMA``."""

from __future__ import annotations

import json
from collections import Counter
from typing import Any, TextIO

from greentactics import __version__
from greentactics.lint.engine import LintRun, exit_code_for
from greentactics.lint.findings import Finding
from greentactics.lint.reporters.common import finding_tactic, help_url
from greentactics.lint.settings import Settings


def finding_json(finding: Finding) -> dict[str, Any]:
    """One finding in the documented JSON shape."""
    tactic = finding_tactic(finding)
    fix = None
    if finding.fix is not None:
        fix = {
            "applicability": finding.fix.safety,
            "message": finding.fix.message,
            "edits": [
                {
                    "line": edit.line,
                    "column": edit.column,
                    "end_line": edit.end_line,
                    "end_column": edit.end_column,
                    "content": edit.content,
                }
                for edit in finding.fix.edits
            ],
        }
    return {
        "code": finding.code,
        "rule": finding.name,
        "tactic": finding.tactic,
        "tactic_id": tactic.id if tactic else None,
        "tactic_name": tactic.name if tactic else None,
        "severity": finding.severity,
        "path": finding.path,
        "cell": finding.cell,
        "line": finding.line,
        "column": finding.column,
        "end_line": finding.end_line,
        "end_column": finding.end_column,
        "message": finding.message,
        "help_url": help_url(finding),
        "fix": fix,
    }


def report_json(run: LintRun, settings: Settings) -> dict[str, Any]:
    """The whole report as a dict."""
    severities = Counter(finding.severity for finding in run.findings)
    return {
        "schema_version": 1,
        "tool": {"name": "greentactics", "version": __version__},
        "summary": {
            "files": run.files_checked,
            "findings": len(run.findings),
            "fixable": sum(1 for finding in run.findings if finding.fix is not None),
            "fixes_applied": run.fixes_applied,
            "by_severity": {
                level: severities.get(level, 0) for level in ("error", "warning", "info")
            },
            "exit_code": exit_code_for(run, settings.fail_on),
            "baselined": run.baselined,
        },
        "findings": [finding_json(finding) for finding in run.findings],
    }


def render_json(run: LintRun, settings: Settings, stream: TextIO) -> None:
    """Write the JSON report."""
    json.dump(report_json(run, settings), stream, indent=2)
    stream.write("\n")
