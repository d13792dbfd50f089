"""``greentactics energy ...``: run, list, show, compare, export, idle.

Only the standard library is imported at the top; the meter, the store and CodeCarbon load
inside the handlers.
"""

from __future__ import annotations

import argparse
import sys
from typing import Any


def register(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    energy = subparsers.add_parser(
        "energy",
        help="measure and compare energy with CodeCarbon (offline)",
        description="Measure commands, list and compare stored measurements. Figures marked "
        "~ are estimates (a TDP x load model), not measurements.",
    )
    energy.set_defaults(handler=lambda args: _help(energy))
    actions = energy.add_subparsers(dest="energy_command", metavar="ACTION")

    def add(name: str, help_text: str) -> argparse.ArgumentParser:
        parser = actions.add_parser(name, help=help_text, description=help_text)
        parser.add_argument(
            "--store",
            metavar="PATH",
            help="SQLite store (default: .greentactics/energy.sqlite in the project root, "
            "or GREENTACTICS_ENERGY_STORE)",
        )
        return parser

    run = add("run", "measure a command, optionally several times")
    run.add_argument("--repeat", type=int, default=1, metavar="N", help="runs to record")
    run.add_argument("--warmup", type=int, default=0, metavar="N", help="unrecorded runs first")
    run.add_argument("--label", help="label for the runs (default: the command)")
    run.add_argument("--tactic", help="catalog slug of the tactic the command applies")
    run.add_argument("--project", help="project name")
    run.add_argument("--tag", action="append", default=[], metavar="KEY=VALUE")
    run.add_argument("--country", help="ISO-3 country for carbon intensity (e.g. DEU)")
    run.add_argument("--tracking-mode", choices=["machine", "process"])
    run.add_argument("--keep-going", action="store_true", help="repeat even after a failure")
    run.add_argument("--verbose", action="store_true", help="let CodeCarbon log")
    run.add_argument("cmd", nargs=argparse.REMAINDER, metavar="-- COMMAND ...")
    run.set_defaults(handler=_run)

    idle = add("idle", "measure the idle machine (the baseline for dynamic energy)")
    idle.add_argument("--seconds", type=float, default=10.0)
    idle.add_argument("--label", default="idle")
    idle.add_argument("--country")
    idle.set_defaults(handler=_idle)

    listing = add("list", "list stored measurements")
    listing.add_argument("--label")
    listing.add_argument("--limit", type=int, default=50, help="most recent N (0: all)")
    listing.set_defaults(handler=_list)

    show = add("show", "show one measurement in full")
    show.add_argument("id", help="measurement id or a unique prefix (4+ characters)")
    show.add_argument("--json", action="store_true", help="print it as JSON")
    show.set_defaults(handler=_show)

    compare = add("compare", "compare repeated runs of two labels")
    compare.add_argument("--baseline", required=True, metavar="LABEL")
    compare.add_argument("--candidate", required=True, metavar="LABEL")
    compare.add_argument("--idle-label", help="idle baseline label (default: the latest idle)")
    compare.add_argument("--no-idle", action="store_true", help="ignore idle baselines")
    compare.add_argument("--confidence", type=float, default=0.95)
    compare.add_argument("--resamples", type=int, default=10_000)
    compare.add_argument("--seed", type=int, default=0)
    compare.add_argument("--format", choices=["text", "json"], default="text")
    compare.add_argument("--plot", metavar="FILE", help="draw the comparison (needs matplotlib)")
    compare.set_defaults(handler=_compare)

    export = add("export", "write the store out as CSV (CodeCarbon columns first) or JSON")
    export.add_argument("--format", choices=["csv", "json"], default="csv")
    export.add_argument("--output", "-o", metavar="FILE", help="default: standard output")
    export.add_argument("--label")
    export.set_defaults(handler=_export)


def _help(parser: argparse.ArgumentParser) -> int:
    parser.print_help()
    return 2


def _open_store(args: argparse.Namespace) -> Any:
    from greentactics.energy.settings import resolve_settings
    from greentactics.energy.store import EnergyStore

    return EnergyStore(resolve_settings(store=args.store).store)


def _parse_tags(raw: list[str]) -> dict[str, str]:
    from greentactics.errors import UsageError

    tags: dict[str, str] = {}
    for item in raw:
        key, sep, value = item.partition("=")
        if not sep or not key:
            raise UsageError(f"--tag wants KEY=VALUE, not {item!r}")
        tags[key] = value
    return tags


def _run(args: argparse.Namespace) -> int:
    from greentactics.energy.command_runner import run_command

    command = list(args.cmd)
    if command and command[0] == "--":
        command = command[1:]
    return run_command(
        command,
        repeat=args.repeat,
        warmup=args.warmup,
        label=args.label,
        tactic=args.tactic,
        project=args.project,
        tags=_parse_tags(args.tag),
        store=args.store,
        country=args.country,
        tracking_mode=args.tracking_mode,
        keep_going=args.keep_going,
        verbose=args.verbose,
    )


def _idle(args: argparse.Namespace) -> int:
    from greentactics.energy.meter import measure_idle
    from greentactics.energy.report import format_measurement

    print(f"measuring the idle machine for {args.seconds:g} s ...", file=sys.stderr)
    measurement = measure_idle(
        args.seconds, label=args.label, store=args.store, country=args.country
    )
    print(format_measurement(measurement))
    return 0


def _list(args: argparse.Namespace) -> int:
    from greentactics.energy.report import format_table

    store = _open_store(args)
    found = store.recent(limit=args.limit or None, label=args.label)
    if not found:
        print(f"no measurements in {store.path}")
        return 0
    print(format_table(found))
    return 0


def _show(args: argparse.Namespace) -> int:
    import json

    from greentactics.energy.report import format_measurement

    store = _open_store(args)
    measurement = store.get(args.id)
    if args.json:
        print(json.dumps(measurement.to_dict(), indent=2, default=str))
    else:
        print(format_measurement(measurement, idle=store.latest_idle()))
    return 0


def _compare(args: argparse.Namespace) -> int:
    import json
    from pathlib import Path

    from greentactics.energy.compare import (
        compare_labels,
        comparison_to_dict,
        format_comparison,
        plot_comparison,
    )

    comparison = compare_labels(
        _open_store(args),
        args.baseline,
        args.candidate,
        idle_label=args.idle_label,
        use_idle=not args.no_idle,
        confidence=args.confidence,
        resamples=args.resamples,
        seed=args.seed,
    )
    if args.format == "json":
        print(json.dumps(comparison_to_dict(comparison), indent=2))
    else:
        print(format_comparison(comparison))
    if args.plot:
        plot_comparison(comparison, Path(args.plot))
        print(f"plot written to {args.plot}", file=sys.stderr)
    return 0


def _export(args: argparse.Namespace) -> int:
    from greentactics.energy.store import export_csv, export_json

    store = _open_store(args)
    measurements = store.by_label(args.label) if args.label else store.all()
    write = export_csv if args.format == "csv" else export_json
    if args.output:
        with open(args.output, "w", encoding="utf-8", newline="") as handle:
            write(measurements, handle)
        print(f"{len(measurements)} measurement(s) written to {args.output}", file=sys.stderr)
    else:
        write(measurements, sys.stdout)
    return 0
