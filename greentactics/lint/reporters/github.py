"""``--format github``: GitHub Actions workflow commands, one annotation per finding."""

from __future__ import annotations

from typing import TextIO

from greentactics.lint.engine import LintRun
from greentactics.lint.findings import Finding
from greentactics.lint.reporters.common import finding_tactic
from greentactics.lint.settings import Settings

_LEVELS = {"error": "error", "warning": "warning", "info": "notice"}


def _escape_data(text: str) -> str:
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def _escape_property(text: str) -> str:
    return _escape_data(text).replace(":", "%3A").replace(",", "%2C")


def annotation(finding: Finding) -> str:
    """The ``::warning file=...::message`` line of a finding."""
    tactic = finding_tactic(finding)
    title = f"{finding.code} {finding.name}"
    message = finding.message + (f" [{tactic.name}]" if tactic else "")
    if finding.cell is not None:
        message = f"cell {finding.cell}, line {finding.line}: {message}"
        location = f"file={_escape_property(finding.path)}"
    else:
        location = (
            f"file={_escape_property(finding.path)},line={finding.line},col={finding.column},"
            f"endLine={finding.end_line},endColumn={finding.end_column}"
        )
    level = _LEVELS.get(finding.severity, "warning")
    return f"::{level} {location},title={_escape_property(title)}::{_escape_data(message)}"


def render_github(run: LintRun, settings: Settings, stream: TextIO) -> None:
    """Write one workflow command per finding."""
    for finding in run.findings:
        stream.write(annotation(finding) + "\n")
