"""``greentactics lint``: the sub-command's arguments and handler.

Only the standard library is imported here; the engine, libcst and the rules load inside the
handler, so ``greentactics --help`` and other sub-commands stay fast.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from greentactics.lint.rule import Rule
    from greentactics.lint.settings import Overrides


def _codes(value: str) -> list[str]:
    return [part.strip() for part in value.split(",") if part.strip()]


class _ExtendCodes(argparse.Action):
    """``--select A,B --select C`` -> ["A", "B", "C"]."""

    def __call__(
        self,
        parser: argparse.ArgumentParser,
        namespace: argparse.Namespace,
        values: Any,
        option_string: str | None = None,
    ) -> None:
        current = list(getattr(namespace, self.dest, None) or [])
        current.extend(_codes(str(values)))
        setattr(namespace, self.dest, current)


def register(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """Add the ``lint`` sub-command."""
    parser = subparsers.add_parser(
        "lint",
        help="find code that misses a green tactic (training, inference, data loading)",
        description="Lint Python files and notebooks for missed green tactics. Exit codes: 0 no "
        "findings at or above --fail-on, 1 findings, 2 usage or internal error.",
    )
    parser.add_argument(
        "paths", nargs="*", metavar="PATH", help="files or directories (default .); - reads stdin"
    )
    parser.add_argument(
        "--stdin-filename", metavar="PATH", help="the path stdin content is linted as"
    )
    parser.add_argument("--format", choices=("text", "json", "sarif", "github"), default="text")
    parser.add_argument("-o", "--output", metavar="FILE", help="write the report to FILE")
    parser.add_argument(
        "--statistics",
        action="store_true",
        help="print how many findings each rule has instead of the findings (text format)",
    )
    parser.add_argument(
        "--exit-zero",
        action="store_true",
        help="exit 0 even when there are findings (usage and internal errors still exit 2)",
    )
    selection = parser.add_argument_group("rule selection (override [tool.greentactics])")
    selection.add_argument(
        "--select",
        action=_ExtendCodes,
        metavar="RULES",
        help="rules to enable (codes, prefixes, names, ALL); replaces the config's select",
    )
    selection.add_argument(
        "--extend-select", action=_ExtendCodes, metavar="RULES", help="rules to enable in addition"
    )
    selection.add_argument(
        "--ignore", action=_ExtendCodes, metavar="RULES", help="rules to disable"
    )
    selection.add_argument(
        "--severity",
        action="append",
        metavar="RULE=LEVEL",
        help="override a rule's severity (error, warning, info)",
    )
    selection.add_argument(
        "--fail-on",
        choices=("error", "warning", "info"),
        help="lowest severity that makes the exit code 1",
    )
    files = parser.add_argument_group("files")
    files.add_argument(
        "--exclude", action=_ExtendCodes, metavar="GLOBS", help="replace the exclude list"
    )
    files.add_argument(
        "--extend-exclude", action=_ExtendCodes, metavar="GLOBS", help="exclude more paths"
    )
    files.add_argument(
        "--force-exclude",
        action="store_true",
        help="apply excludes and .gitignore to files named explicitly (pre-commit)",
    )
    files.add_argument(
        "--no-respect-gitignore", action="store_true", help="lint files .gitignore excludes"
    )
    files.add_argument(
        "--config", metavar="PYPROJECT", help="use this pyproject.toml instead of searching"
    )
    files.add_argument(
        "--no-project-facts",
        action="store_true",
        help="gather cross-file facts from the linted files only, not the whole project",
    )
    fixes = parser.add_argument_group("fixes")
    fixes.add_argument("--fix", action="store_true", help="apply safe fixes in place")
    fixes.add_argument(
        "--unsafe-fixes", action="store_true", help="with --fix/--diff, apply unsafe fixes too"
    )
    fixes.add_argument(
        "--diff", action="store_true", help="print the fixes as a diff; change nothing"
    )
    adoption = parser.add_argument_group("baseline (adopting the linter on existing code)")
    adoption.add_argument(
        "--baseline",
        metavar="FILE",
        help="report only findings not recorded in FILE (overrides the config's baseline)",
    )
    adoption.add_argument(
        "--write-baseline",
        metavar="FILE",
        help="record the current findings in FILE and exit 0",
    )
    run = parser.add_argument_group("running")
    run.add_argument(
        "-j", "--jobs", type=int, metavar="N", help="worker processes (default: all cores)"
    )
    run.add_argument("--no-cache", action="store_true", help="ignore and do not write the cache")
    run.add_argument(
        "--cache-dir",
        metavar="DIR",
        help="cache location (default .greentactics_cache next to the config)",
    )
    run.add_argument(
        "--report-unused-suppressions",
        action="store_true",
        default=None,
        help="report suppression comments that suppress nothing (GT004)",
    )
    run.add_argument(
        "--show-settings", action="store_true", help="print the resolved settings and exit"
    )
    run.add_argument(
        "--debug",
        action="store_true",
        default=argparse.SUPPRESS,
        help="show tracebacks of internal errors",
    )
    parser.set_defaults(handler=handle_lint)


def _overrides(args: argparse.Namespace) -> Overrides:
    from greentactics.errors import UsageError
    from greentactics.lint.settings import Overrides

    severity: dict[str, str] = {}
    for item in args.severity or []:
        rule, separator, level = item.partition("=")
        if not separator or level not in ("error", "warning", "info"):
            raise UsageError(
                f"--severity {item!r}: write RULE=LEVEL with LEVEL error, warning or info"
            )
        severity[rule.strip()] = level
    return Overrides(
        select=tuple(args.select) if args.select is not None else None,
        extend_select=tuple(args.extend_select or ()),
        ignore=tuple(args.ignore or ()),
        exclude=tuple(args.exclude) if args.exclude is not None else None,
        extend_exclude=tuple(args.extend_exclude or ()),
        severity=severity,
        fail_on=args.fail_on,
        report_unused_suppressions=args.report_unused_suppressions,
        respect_gitignore=False if args.no_respect_gitignore else None,
        project_facts=False if args.no_project_facts else None,
        baseline=Path(args.baseline).resolve() if args.baseline else None,
    )


def available_rules() -> tuple[type[Rule], ...]:
    """The shipped rules (empty while the rules package does not exist yet)."""
    try:
        from greentactics.lint.rules import ALL_RULES
    except ModuleNotFoundError as error:
        if error.name not in ("greentactics.lint.rules",):
            raise
        return ()
    return tuple(ALL_RULES)


def handle_lint(args: argparse.Namespace, rules: tuple[type[Rule], ...] | None = None) -> int:
    """Run the linter as the arguments say; returns the exit code."""
    import json

    from greentactics.errors import UsageError
    from greentactics.lint.engine import LintEngine, RunOptions, exit_code_for
    from greentactics.lint.reporters import reporter_for
    from greentactics.lint.settings import (
        RuleSelector,
        apply_overrides,
        find_config_file,
        load_settings,
    )

    cwd = Path.cwd()
    paths = [Path(path) for path in (args.paths or ["."])]
    from_stdin = [str(path) for path in paths] == ["-"]
    if not from_stdin and any(str(path) == "-" for path in paths):
        raise UsageError("- (stdin) cannot be combined with other paths")
    if args.stdin_filename and not from_stdin:
        raise UsageError("--stdin-filename needs - as the only path")
    if args.jobs is not None and args.jobs < 1:
        raise UsageError("--jobs must be at least 1")
    if args.statistics and args.format != "text":
        raise UsageError("--statistics prints text: drop --format or --statistics")
    if args.write_baseline and (args.baseline or from_stdin):
        raise UsageError("--write-baseline records every finding: drop --baseline and stdin")
    start = (
        Path(args.stdin_filename).parent
        if from_stdin and args.stdin_filename
        else (cwd if from_stdin else paths[0])
    )
    config_file = Path(args.config) if args.config else find_config_file(cwd / start)
    if config_file is not None and not config_file.is_file():
        raise UsageError(f"--config {config_file}: no such file")
    settings = apply_overrides(load_settings(config_file, cwd=cwd), _overrides(args))
    rule_classes = rules if rules is not None else available_rules()
    selector = RuleSelector(rule_classes)
    where = str(config_file) if config_file else "command line"
    for key, selectors in (
        ("select", settings.select or ()),
        ("extend-select", settings.extend_select),
        ("ignore", settings.ignore),
        ("severity", tuple(settings.severity)),
        *(("per-file-ignores", codes) for codes in settings.per_file_ignores.values()),
    ):
        selector.check(selectors, f"{where}: {key}")
    if args.show_settings:
        described = settings.describe()
        described["enabled-rules"] = [f"{r.code} {r.name}" for r in selector.enabled(settings)]
        print(json.dumps(described, indent=2))
        return 0
    options = RunOptions(
        fix=args.fix and not args.diff,
        diff=args.diff,
        unsafe_fixes=args.unsafe_fixes,
        jobs=args.jobs,
        use_cache=not args.no_cache and not from_stdin,
        cache_dir=Path(args.cache_dir) if args.cache_dir else None,
        force_exclude=args.force_exclude,
        debug=bool(getattr(args, "debug", False)),
    )
    baseline = None
    if settings.baseline is not None and not args.write_baseline:
        from greentactics.lint.baseline import load_baseline

        baseline = load_baseline(settings.baseline)  # before the run: a bad file fails fast
    engine = LintEngine(settings, rule_classes, options, cwd)
    if from_stdin:
        run = engine.lint_text(sys.stdin.read(), args.stdin_filename or "-")
    else:
        run = engine.lint_paths(paths)
    if args.write_baseline:
        from greentactics.lint.baseline import write_baseline

        count = write_baseline(run, Path(args.write_baseline), cwd)
        print(f"greentactics lint: wrote {count} finding(s) to {args.write_baseline}")
        return 0
    if baseline is not None and settings.baseline is not None:
        from greentactics.lint.baseline import apply_baseline

        stale = apply_baseline(run, baseline, settings.baseline, cwd)
        if stale:
            run.notes.append(
                f"{stale} entr{'y' if stale == 1 else 'ies'} of the baseline "
                f"{settings.baseline} match no finding any more (fixed?); shrink it with "
                "--write-baseline"
            )
    render = reporter_for(args.format)
    if args.statistics:
        from greentactics.lint.reporters.text import render_statistics

        render = render_statistics
    if args.output:
        with open(args.output, "w", encoding="utf-8") as stream:
            render(run, settings, stream)
    else:
        render(run, settings, sys.stdout)
    for note in run.notes:
        print(f"greentactics lint: {note}", file=sys.stderr)
    if options.debug:
        for finding in run.findings:
            if finding.code == "GT003":
                print(f"{finding.path}: {finding.message}", file=sys.stderr)
    code = exit_code_for(run, settings.fail_on)
    return 0 if code == 1 and args.exit_zero else code
