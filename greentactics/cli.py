"""The one command-line entry point: parses, dispatches, and maps errors to exit codes.

Each tool registers its own sub-command from a light ``commands`` module that imports only the
standard library at the top, so ``greentactics lint`` on a few files starts quickly.
"""

from __future__ import annotations

import argparse
import importlib
import sys
from collections.abc import Sequence

from greentactics import __version__
from greentactics.errors import GreentacticsError

# Sub-command modules, each with ``register(subparsers)``; a handler returns the exit code.
COMMAND_MODULES = (
    "greentactics.catalog.commands",
    "greentactics.lint.commands",
    "greentactics.scan.commands",
    "greentactics.energy.commands",
    "greentactics.experiments.commands",
)


def build_parser() -> argparse.ArgumentParser:
    """Build the full argument parser with every registered sub-command."""
    parser = argparse.ArgumentParser(
        prog="greentactics",
        description="Green architectural tactics for ML-enabled systems: catalog, linter, "
        "energy meter and experiments.",
    )
    parser.add_argument("--version", action="version", version=f"greentactics {__version__}")
    parser.add_argument(
        "--debug", action="store_true", help="show full tracebacks for internal errors"
    )
    subparsers = parser.add_subparsers(dest="command", metavar="COMMAND")
    for module_name in COMMAND_MODULES:
        try:
            module = importlib.import_module(module_name)
        except ModuleNotFoundError as error:
            if error.name != module_name:
                raise
            continue
        module.register(subparsers)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Run the CLI and return its exit code (0 ok, 1 findings/invalid data, 2 usage/internal)."""
    parser = build_parser()
    args = parser.parse_args(argv)
    handler = getattr(args, "handler", None)
    if handler is None:
        parser.print_help()
        return 2
    try:
        return int(handler(args))
    except GreentacticsError as error:
        print(f"greentactics: error: {error}", file=sys.stderr)
        return error.exit_code
    except KeyboardInterrupt:
        print("greentactics: interrupted", file=sys.stderr)
        return 130
    except BrokenPipeError:
        return 0
    except Exception:
        if args.debug:
            raise
        kind, value, _ = sys.exc_info()
        name = kind.__name__ if kind else "Exception"
        print(
            f"greentactics: internal error: {name}: {value} (run with --debug for the traceback)",
            file=sys.stderr,
        )
        return 2
