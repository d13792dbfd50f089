"""Checking one file: parse once, build the analysis once, run every rule in one traversal.

This module is what a worker process runs per file. It knows nothing of discovery, settings
files or the cache; the engine hands it text, the rules that apply to the file and the project
facts, and gets back findings (and, in fix mode, the fixed text).
"""

from __future__ import annotations

import sys
import traceback
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field, replace

import libcst as cst

from greentactics.lint.analysis import FileAnalysis
from greentactics.lint.facts import Fact, FactCollector, ProjectFacts
from greentactics.lint.findings import (
    INTERNAL_ERROR,
    SYNTAX_ERROR,
    UNUSED_SUPPRESSION,
    Edit,
    Finding,
    Fix,
)
from greentactics.lint.positions import Span
from greentactics.lint.rule import Replacement, Report, Rule
from greentactics.lint.source import NotebookMap, SourceError, SourceText, precheck_syntax
from greentactics.lint.suppressions import Suppression, find_suppressions

# libcst's visitors recurse a few frames per tree level; the default limit (1000) trips on
# nesting CPython itself accepts.
_RECURSION_LIMIT = 20_000
_MAX_FIX_ROUNDS = 4
# Python sources beyond this are generated code; parsing them would take seconds and GBs.
MAX_SOURCE_CHARS = 8_000_000

Handler = Callable[[cst.CSTNode], object]


@dataclass(frozen=True)
class CheckOptions:
    """How to check a file, beyond which rules run."""

    codes_by_alias: Mapping[str, str] = field(default_factory=dict)
    severity_overrides: Mapping[str, str] = field(default_factory=dict)
    report_unused_suppressions: bool = False
    fix: bool = False
    unsafe_fixes: bool = False
    debug: bool = False


@dataclass
class CheckResult:
    """Findings of one file and, when fixes were applied, the new text."""

    findings: list[Finding]
    fixed_text: str | None = None
    fixes_applied: int = 0


def analyse(path: str, source: SourceText, *, precheck: bool = True) -> FileAnalysis:
    """Parse ``source`` and build its analysis; raises :class:`SourceError` when it cannot.

    ``precheck=False`` skips CPython's pre-parse, for text libcst has already parsed once.
    """
    if sys.getrecursionlimit() < _RECURSION_LIMIT:
        sys.setrecursionlimit(_RECURSION_LIMIT)
    if len(source.text) > MAX_SOURCE_CHARS:
        megabytes = len(source.text) / 1_000_000
        raise SourceError(
            f"file too large to lint ({megabytes:.1f} MB > {MAX_SOURCE_CHARS // 1_000_000} MB); "
            "exclude it (generated code?) or split it"
        )
    python_error = precheck_syntax(source.text, path) if precheck else None
    try:
        module = cst.parse_module(source.text)
    except cst.ParserSyntaxError as error:
        if python_error is not None:
            # CPython's message and position are the ones users know from running the file.
            line, column = python_error.lineno or 1, python_error.offset or 1
            raise SourceError(f"syntax error: {python_error.msg}", line, column) from None
        message = " ".join(error.message.split())
        raise SourceError(message, error.raw_line, error.raw_column + 1) from None
    except (RecursionError, MemoryError):
        raise SourceError("file too deeply nested or too large to parse") from None
    try:
        return FileAnalysis(path, source.text, module, is_notebook=source.notebook is not None)
    except RecursionError:
        raise SourceError("expression nesting too deep to analyse") from None


def source_error_finding(
    path: str, error: SourceError, code: tuple[str, str] = SYNTAX_ERROR
) -> Finding:
    """The one diagnostic reported for a file that cannot be read or parsed."""
    return Finding(
        code=code[0],
        name=code[1],
        tactic=None,
        severity="error",
        message=str(error),
        path=path,
        line=error.line,
        column=error.column,
        end_line=error.line,
        end_column=error.column,
    )


def collect_facts(analysis: FileAnalysis, collectors: Iterable[type[FactCollector]]) -> list[Fact]:
    """Phase 1 for one file: the facts of every collector whose trigger matches."""
    facts: list[Fact] = []
    for collector in collectors:
        if collector.matches(analysis.source):
            facts.extend(collector().collect(analysis))
    return facts


def check_source(
    path: str,
    source: SourceText,
    rules: Sequence[type[Rule]],
    project: ProjectFacts,
    options: CheckOptions,
    analysis: FileAnalysis | None = None,
    *,
    precheck: bool = True,
) -> CheckResult:
    """Phase 2 for one file: findings of ``rules``, applying fixes when ``options.fix``.

    ``analysis`` may be passed when phase 1 already built it for this very text.
    """
    try:
        if analysis is None:
            analysis = analyse(path, source, precheck=precheck)
    except SourceError as error:
        finding = source_error_finding(path, error)
        if source.notebook is not None:
            cell, line = source.notebook.locate(error.line)
            finding = replace(finding, cell=cell, line=line, end_line=line)
        return CheckResult([finding])
    findings, replacements = _run_rules(analysis, source.notebook, rules, project, options)
    if not options.fix or source.notebook is not None or not replacements:
        return CheckResult(findings)
    applied = 0
    text = source.text
    for _ in range(_MAX_FIX_ROUNDS):
        if not replacements:
            break
        text = apply_replacements(analysis.module, replacements)
        applied += len(replacements)
        try:
            analysis = analyse(path, SourceText(text))
        except SourceError as error:
            # A fix that breaks the file is a bug in a rule: keep the original text.
            error_finding = source_error_finding(path, error, INTERNAL_ERROR)
            return CheckResult([*findings, error_finding])
        findings, replacements = _run_rules(analysis, None, rules, project, options)
    return CheckResult(findings, fixed_text=text, fixes_applied=applied)


def _run_rules(
    analysis: FileAnalysis,
    notebook: NotebookMap | None,
    rules: Sequence[type[Rule]],
    project: ProjectFacts,
    options: CheckOptions,
) -> tuple[list[Finding], dict[cst.CSTNode, Replacement]]:
    instances = [rule(analysis, project) for rule in rules]
    crashes = _traverse(analysis, instances, options.debug)
    for index, instance in enumerate(instances):
        if index in crashes:
            continue
        try:
            instance.finish()
        except Exception as error:
            crashes[index] = _describe_crash(error, options.debug)
    suppressions = find_suppressions(analysis.source, options.codes_by_alias)
    findings: list[Finding] = []
    replacements: dict[cst.CSTNode, Replacement] = {}
    for index, instance in enumerate(instances):
        rule = rules[index]
        if index in crashes:
            findings.append(_crash_finding(analysis.path, rule, crashes[index]))
            continue
        for report in instance.reports:
            span = analysis.span(report.node)
            if suppressions.suppresses(rule.code, span.line):
                continue
            fix = None
            if report.replacement is not None and rule.fix_safety is not None and notebook is None:
                fix = _fix_for(analysis, report, rule.fix_safety.value)
                if fix is not None and _fix_allowed(fix.safety, options):
                    replacements[report.node] = report.replacement
            findings.append(_finding(analysis.path, rule, report, span, notebook, fix, options))
    if options.report_unused_suppressions:
        enabled = {rule.code for rule in rules}
        for suppression, code in suppressions.unused():
            if code in enabled or code not in options.codes_by_alias.values():
                findings.append(_unused_finding(analysis.path, suppression, code, notebook))
    findings.sort(key=Finding.sort_key)
    return findings, replacements


def _traverse(analysis: FileAnalysis, instances: list[Rule], debug: bool) -> dict[int, str]:
    """Replay the walk once, calling every rule's hooks; returns crashed rule indices."""
    crashes: dict[int, str] = {}
    enter, leave = _dispatch_tables(instances, crashes)
    for entering, node in analysis.events:
        handlers = (enter if entering else leave).get(type(node))
        if not handlers:
            continue
        for index, handler in handlers:
            try:
                handler(node)
            except Exception as error:
                if index in crashes:
                    continue
                crashes[index] = _describe_crash(error, debug)
                enter, leave = _dispatch_tables(instances, crashes)
    return crashes


_HOOKS: dict[type[Rule], list[tuple[bool, type[cst.CSTNode], str]]] = {}


def _hooks(rule: type[Rule]) -> list[tuple[bool, type[cst.CSTNode], str]]:
    hooks = _HOOKS.get(rule)
    if hooks is None:
        hooks = []
        for attribute in dir(rule):
            prefix, _, type_name = attribute.partition("_")
            if prefix in ("visit", "leave") and type_name:
                node_type = getattr(cst, type_name, None)
                if isinstance(node_type, type) and issubclass(node_type, cst.CSTNode):
                    hooks.append((prefix == "visit", node_type, attribute))
        _HOOKS[rule] = hooks
    return hooks


def _dispatch_tables(
    instances: list[Rule], crashes: Mapping[int, str]
) -> tuple[
    dict[type[cst.CSTNode], list[tuple[int, Handler]]],
    dict[type[cst.CSTNode], list[tuple[int, Handler]]],
]:
    enter: dict[type[cst.CSTNode], list[tuple[int, Handler]]] = {}
    leave: dict[type[cst.CSTNode], list[tuple[int, Handler]]] = {}
    for index, instance in enumerate(instances):
        if index in crashes:
            continue
        for entering, node_type, attribute in _hooks(type(instance)):
            table = enter if entering else leave
            table.setdefault(node_type, []).append((index, getattr(instance, attribute)))
    return enter, leave


def _describe_crash(error: Exception, debug: bool) -> str:
    summary = f"{type(error).__name__}: {error}"
    if debug:
        return summary + "\n" + "".join(traceback.format_exception(error)).rstrip()
    return summary


def _crash_finding(path: str, rule: type[Rule], description: str) -> Finding:
    return Finding(
        code=INTERNAL_ERROR[0],
        name=INTERNAL_ERROR[1],
        tactic=None,
        severity="error",
        message=f"rule {rule.code} ({rule.name}) crashed on this file: {description}",
        path=path,
        line=1,
        column=1,
        end_line=1,
        end_column=1,
    )


def _finding(
    path: str,
    rule: type[Rule],
    report: Report,
    span: Span,
    notebook: NotebookMap | None,
    fix: Fix | None,
    options: CheckOptions,
) -> Finding:
    line, end_line, cell = span.line, span.end_line, None
    if notebook is not None:
        cell, line = notebook.locate(span.line)
        end_cell, end_line = notebook.locate(span.end_line)
        if end_cell != cell:
            end_line = line
    severity = options.severity_overrides.get(rule.code, rule.severity.value)
    return Finding(
        code=rule.code,
        name=rule.name,
        tactic=rule.tactic,
        severity=severity,
        message=report.message,
        path=path,
        line=line,
        column=span.column + 1,
        end_line=end_line,
        end_column=span.end_column + 1,
        cell=cell,
        fix=fix,
    )


def _unused_finding(
    path: str, suppression: Suppression, code: str, notebook: NotebookMap | None
) -> Finding:
    line, cell = suppression.line, None
    if notebook is not None:
        cell, line = notebook.locate(suppression.line)
    if code == "*":
        message = "unused suppression: no finding to ignore here"
    elif code in suppression.unknown:
        message = f"suppression names an unknown rule {code!r}"
    else:
        message = f"unused suppression of {code}: no such finding here"
    return Finding(
        code=UNUSED_SUPPRESSION[0],
        name=UNUSED_SUPPRESSION[1],
        tactic=None,
        severity="warning",
        message=message,
        path=path,
        line=line,
        column=suppression.column,
        end_line=line,
        end_column=suppression.column,
        cell=cell,
    )


def _fix_allowed(safety: str, options: CheckOptions) -> bool:
    return options.fix and (safety == "safe" or options.unsafe_fixes)


class _Replacer(cst.CSTTransformer):
    """Puts replacement nodes in place of the reported ones, in one pass."""

    def __init__(self, replacements: Mapping[cst.CSTNode, Replacement]) -> None:
        super().__init__()
        self.replacements = replacements

    def on_visit(self, node: cst.CSTNode) -> bool:
        # Children of a replaced node are not visited: the replacement wins.
        return node not in self.replacements

    def on_leave(self, original_node: cst.CSTNode, updated_node: cst.CSTNode) -> Replacement:  # type: ignore[override]
        return self.replacements.get(original_node, updated_node)


def apply_replacements(module: cst.Module, replacements: Mapping[cst.CSTNode, Replacement]) -> str:
    """The module's code with every replacement applied; formatting elsewhere is untouched."""
    return module.visit(_Replacer(replacements)).code


def _fix_for(analysis: FileAnalysis, report: Report, safety: str) -> Fix | None:
    """The fix of one report as a minimal text edit on the original file."""
    assert report.replacement is not None
    try:
        new_text = apply_replacements(analysis.module, {report.node: report.replacement})
    except Exception:
        return None
    old_text = analysis.source
    if new_text == old_text:
        return None
    prefix = 0
    limit = min(len(old_text), len(new_text))
    while prefix < limit and old_text[prefix] == new_text[prefix]:
        prefix += 1
    suffix = 0
    while suffix < limit - prefix and old_text[-1 - suffix] == new_text[-1 - suffix]:
        suffix += 1
    start_line, start_col = _line_col(old_text, prefix)
    end_line, end_col = _line_col(old_text, len(old_text) - suffix)
    edit = Edit(start_line, start_col, end_line, end_col, new_text[prefix : len(new_text) - suffix])
    return Fix(safety=safety, edits=(edit,), message=f"apply the {safety} fix")


def _line_col(text: str, offset: int) -> tuple[int, int]:
    """1-based line and column of a character offset."""
    line = text.count("\n", 0, offset) + 1
    line_start = text.rfind("\n", 0, offset) + 1
    return line, offset - line_start + 1
