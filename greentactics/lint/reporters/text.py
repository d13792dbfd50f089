"""``--format text`` (default): one header line per finding, a code frame, the tactic link and
a summary line, e.g.::

    train.py:12:5: GT401 Training loop never saves a checkpoint [Use Checkpoints During Training]
       |
    12 |     for epoch in range(100):
       |     ^^^^^^^^^^^^^^^^^^^^^^^^
       = tactic: https://greentactics.github.io/greentactics/tactics/use-checkpoints-during-training/
"""

from __future__ import annotations

from collections import Counter
from typing import TextIO

from greentactics.lint.engine import LintRun
from greentactics.lint.findings import Finding
from greentactics.lint.reporters.common import finding_tactic, help_url
from greentactics.lint.settings import Settings
from greentactics.lint.source import SourceText

_MAX_FRAME_WIDTH = 200


def header(finding: Finding) -> str:
    """``path:line:col: CODE message [tactic name]`` (``path:cell N:line:col`` in notebooks)."""
    where = finding.path
    if finding.cell is not None:
        where += f":cell {finding.cell}"
    tactic = finding_tactic(finding)
    suffix = f" [{tactic.name}]" if tactic else ""
    return f"{where}:{finding.line}:{finding.column}: {finding.code} {finding.message}{suffix}"


def code_frame(source: SourceText | None, finding: Finding) -> list[str]:
    """The finding's first source line with a caret underline (empty when unknown)."""
    if source is None:
        return []
    lines = source.lines_of(finding.cell)
    if not 1 <= finding.line <= len(lines):
        return []
    text = lines[finding.line - 1].expandtabs(1)
    start = max(finding.column - 1, 0)
    end = finding.end_column - 1 if finding.end_line == finding.line else len(text)
    end = max(end, start + 1)
    if len(text) > _MAX_FRAME_WIDTH:
        # Very long lines (minified code): show a window around the finding.
        offset = max(0, start - 40)
        text = "..." + text[offset : offset + _MAX_FRAME_WIDTH]
        start, end = start - offset + 3, min(end - offset + 3, _MAX_FRAME_WIDTH + 3)
    gutter = " " * len(str(finding.line))
    return [
        f"{gutter} |",
        f"{finding.line} | {text}",
        f"{gutter} | {' ' * start}{'^' * max(min(end, len(text)) - start, 1)}",
    ]


def summary(run: LintRun) -> str:
    """The last line: counts by severity, files, and what --fix could do."""
    if run.fixes_applied:
        fixed = f"Fixed {run.fixes_applied} finding(s) in {len(run.fixed_files)} file(s). "
    else:
        fixed = ""
    baselined = f"; {run.baselined} more in the baseline" if run.baselined else ""
    if not run.findings:
        return f"{fixed}All checks passed ({run.files_checked} file(s) checked{baselined})."
    severities = Counter(finding.severity for finding in run.findings)
    parts = [
        f"{severities[level]} {level}"
        for level in ("error", "warning", "info")
        if severities[level]
    ]
    files = len({finding.path for finding in run.findings})
    safe = sum(1 for f in run.findings if f.fix is not None and f.fix.safety == "safe")
    unsafe = sum(1 for f in run.findings if f.fix is not None and f.fix.safety == "unsafe")
    fixable = ""
    if safe:
        fixable += f" {safe} fixable with --fix."
    if unsafe:
        fixable += f" {unsafe} more with --fix --unsafe-fixes."
    return (
        f"{fixed}Found {len(run.findings)} finding(s) ({', '.join(parts)}) in {files} of "
        f"{run.files_checked} file(s){baselined}.{fixable}"
    )


def render_text(run: LintRun, settings: Settings, stream: TextIO) -> None:
    """Write every finding with its frame and link, then the summary."""
    sources: dict[str, SourceText | None] = {}
    for finding in run.findings:
        if finding.path not in sources:
            sources[finding.path] = run.source_text(finding.path)
        stream.write(header(finding) + "\n")
        for line in code_frame(sources[finding.path], finding):
            stream.write(line + "\n")
        tactic = finding_tactic(finding)
        gutter = " " * len(str(finding.line))
        if tactic is not None:
            stream.write(f"{gutter} = tactic: {tactic.url}\n")
        stream.write(f"{gutter} = rule: {help_url(finding)}\n\n")
    for diff in run.diffs:
        stream.write(diff if diff.endswith("\n") else diff + "\n")
    stream.write(summary(run) + "\n")


def render_statistics(run: LintRun, settings: Settings, stream: TextIO) -> None:
    """One line per rule: how many findings, the code, the name, how many --fix can fix."""
    counts = Counter((finding.code, finding.name) for finding in run.findings)
    fixable = Counter(
        finding.code
        for finding in run.findings
        if finding.fix is not None and finding.fix.safety == "safe"
    )
    width = len(str(max(counts.values(), default=0)))
    name_width = max((len(name) for _, name in counts), default=0)
    for (code, name), count in sorted(counts.items(), key=lambda item: (-item[1], item[0])):
        line = f"{count:>{width}}  {code}  {name:<{name_width}}"
        if fixable[code]:
            line += f"  ({fixable[code]} fixable)"
        stream.write(line.rstrip() + "\n")
    stream.write(summary(run) + "\n")
