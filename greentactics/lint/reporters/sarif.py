"""``--format sarif``: SARIF 2.1.0 for GitHub code scanning and other SARIF viewers.

One run, with every enabled rule (and any engine diagnostic that occurred) in
``tool.driver.rules`` carrying a help link, the tactic and a default level; results point at
files relative to ``%SRCROOT%`` (the current directory), carry fixes when a rule has one and a
``partialFingerprints`` entry so GitHub can follow a finding across commits.
"""

from __future__ import annotations

import hashlib
import json
from pathlib import Path
from typing import Any, TextIO

from greentactics import __version__
from greentactics.lint.engine import LintRun
from greentactics.lint.findings import Finding
from greentactics.lint.reporters.common import RuleMeta, metas_for
from greentactics.lint.settings import Settings
from greentactics.lint.tactics import LINTER_GUIDE_URL

SARIF_SCHEMA_URI = "https://json.schemastore.org/sarif-2.1.0.json"
_LEVELS = {"error": "error", "warning": "warning", "info": "note"}
_PROBLEM_SEVERITY = {"error": "error", "warning": "warning", "info": "recommendation"}


def _rule_descriptor(meta: RuleMeta) -> dict[str, Any]:
    tags = ["green-ml", "efficiency"]
    properties: dict[str, Any] = {
        "tags": tags,
        "precision": "medium",
        "problem.severity": _PROBLEM_SEVERITY[meta.severity],
    }
    markdown = meta.rationale
    if meta.tactic is not None:
        tags.append(f"tactic:{meta.tactic.slug}")
        properties["tactic"] = {
            "slug": meta.tactic.slug,
            "id": meta.tactic.id,
            "name": meta.tactic.name,
        }
        markdown += f"\n\nTactic: [{meta.tactic.name}]({meta.tactic.url})"
    return {
        "id": meta.code,
        "name": meta.name,
        "shortDescription": {"text": meta.summary},
        "fullDescription": {"text": meta.rationale},
        "helpUri": meta.help_url,
        "help": {"text": f"{meta.rationale}\n\n{meta.help_url}", "markdown": markdown},
        "defaultConfiguration": {"level": _LEVELS[meta.severity]},
        "properties": properties,
    }


def _region(line: int, column: int, end_line: int, end_column: int) -> dict[str, int]:
    region = {"startLine": line, "startColumn": column, "endLine": max(end_line, line)}
    if end_line > line or end_column > column:
        region["endColumn"] = end_column
    else:
        region["endColumn"] = column + 1
    return region


def _fingerprint(finding: Finding) -> str:
    basis = f"{finding.code}:{finding.path}:{finding.cell}:{finding.message}:{finding.line}"
    return hashlib.sha256(basis.encode()).hexdigest()[:32]


def _result(finding: Finding, rule_index: int) -> dict[str, Any]:
    artifact = {"uri": Path(finding.path).as_posix(), "uriBaseId": "%SRCROOT%"}
    message = finding.message
    properties: dict[str, Any] = {}
    if finding.cell is not None:
        message = f"Cell {finding.cell}, line {finding.line}: {message}"
        properties["cell"] = finding.cell
        region = {"startLine": 1}
    else:
        region = _region(finding.line, finding.column, finding.end_line, finding.end_column)
    result: dict[str, Any] = {
        "ruleId": finding.code,
        "ruleIndex": rule_index,
        "level": _LEVELS.get(finding.severity, "warning"),
        "message": {"text": message},
        "locations": [{"physicalLocation": {"artifactLocation": artifact, "region": region}}],
        "partialFingerprints": {"greentacticsFindingHash/v1": _fingerprint(finding)},
    }
    if finding.tactic:
        properties["tactic"] = finding.tactic
    if properties:
        result["properties"] = properties
    if finding.fix is not None:
        result["fixes"] = [
            {
                "description": {
                    "text": finding.fix.message or f"apply the {finding.fix.safety} fix"
                },
                "artifactChanges": [
                    {
                        "artifactLocation": artifact,
                        "replacements": [
                            {
                                "deletedRegion": {
                                    "startLine": edit.line,
                                    "startColumn": edit.column,
                                    "endLine": edit.end_line,
                                    "endColumn": edit.end_column,
                                },
                                "insertedContent": {"text": edit.content},
                            }
                            for edit in finding.fix.edits
                        ],
                    }
                ],
            }
        ]
    return result


def report_sarif(run: LintRun, settings: Settings) -> dict[str, Any]:
    """The SARIF log as a dict."""
    metas = metas_for(run)
    codes = sorted(metas)
    index = {code: position for position, code in enumerate(codes)}
    root_uri = Path.cwd().resolve().as_uri().rstrip("/") + "/"
    return {
        "$schema": SARIF_SCHEMA_URI,
        "version": "2.1.0",
        "runs": [
            {
                "tool": {
                    "driver": {
                        "name": "greentactics",
                        "semanticVersion": __version__,
                        "version": __version__,
                        "informationUri": LINTER_GUIDE_URL,
                        "rules": [_rule_descriptor(metas[code]) for code in codes],
                    }
                },
                "originalUriBaseIds": {"%SRCROOT%": {"uri": root_uri}},
                "columnKind": "unicodeCodePoints",
                "results": [_result(finding, index[finding.code]) for finding in run.findings],
            }
        ],
    }


def render_sarif(run: LintRun, settings: Settings, stream: TextIO) -> None:
    """Write the SARIF log."""
    json.dump(report_sarif(run, settings), stream, indent=2)
    stream.write("\n")
