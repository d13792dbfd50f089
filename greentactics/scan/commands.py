"""The ``greentactics scan`` sub-command: which catalog tactics does this code already apply?

Only the standard library is imported here; the scanner, libcst and the catalog load inside
the handler.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

FORMATS = ("text", "json", "markdown")


def register(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """Add the ``scan`` sub-command."""
    parser = subparsers.add_parser(
        "scan",
        help="report which green tactics a codebase applies, with evidence",
        description="Scan Python files and notebooks and report, for every tactic of the "
        "catalog, whether the code applies it (with the evidence: file, line, what was found), "
        "whether it was not found, or whether it is an architectural decision not visible in "
        "code. The scan is informational: it exits 0 whatever it finds.",
    )
    parser.add_argument(
        "paths",
        nargs="*",
        type=Path,
        default=[Path(".")],
        metavar="PATH",
        help="files or directories to scan (default: the current directory)",
    )
    parser.add_argument(
        "--format", choices=FORMATS, default="text", help="output format (default: text)"
    )
    parser.add_argument(
        "-o", "--output", type=Path, metavar="FILE", help="write the report to FILE, not stdout"
    )
    parser.add_argument(
        "--include-tests",
        action="store_true",
        help="also scan test files (tests/, test_*.py, *_test.py); their evidence is marked",
    )
    parser.add_argument(
        "--exclude",
        action="append",
        default=[],
        metavar="PATTERN",
        help="skip paths matching this .gitignore-style pattern (repeatable)",
    )
    parser.add_argument(
        "--max-evidence",
        type=int,
        default=5,
        metavar="N",
        help="evidence lines shown per tactic in text and markdown (0 = all; json has all)",
    )
    parser.set_defaults(handler=run_scan)


def run_scan(args: argparse.Namespace) -> int:
    """Scan, print the report (or write it to ``--output``) and return 0."""
    from greentactics.errors import UsageError
    from greentactics.scan.reporters import render
    from greentactics.scan.scanner import scan_paths

    if args.max_evidence < 0:
        raise UsageError("--max-evidence must be 0 (all) or a positive number")
    try:
        report = scan_paths(args.paths, include_tests=args.include_tests, exclude=args.exclude)
    except FileNotFoundError as error:
        raise UsageError(f"no such file or directory: {error}") from None
    for diagnostic in report.diagnostics:
        print(f"{diagnostic.location}: skipped: {diagnostic.message}", file=sys.stderr)
    text = render(report, args.format, max_evidence=args.max_evidence)
    if args.output is None:
        sys.stdout.write(text)
        return 0
    try:
        args.output.write_text(text, encoding="utf-8")
    except OSError as error:
        raise UsageError(f"cannot write {args.output}: {error.strerror or error}") from None
    return 0
