"""Output formats of ``greentactics lint``: text, json, sarif and github annotations."""

from __future__ import annotations

from collections.abc import Callable
from typing import TextIO

from greentactics.lint.engine import LintRun
from greentactics.lint.settings import Settings

Reporter = Callable[[LintRun, Settings, TextIO], None]

FORMATS = ("text", "json", "sarif", "github")


def reporter_for(name: str) -> Reporter:
    """The render function of an output format (imported on demand)."""
    if name == "json":
        from greentactics.lint.reporters.json_report import render_json

        return render_json
    if name == "sarif":
        from greentactics.lint.reporters.sarif import render_sarif

        return render_sarif
    if name == "github":
        from greentactics.lint.reporters.github import render_github

        return render_github
    from greentactics.lint.reporters.text import render_text

    return render_text
