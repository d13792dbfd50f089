"""``greentactics experiment list`` and ``greentactics experiment run NAME... | --all``.

Only the standard library is imported here; the experiments (and NumPy, scikit-learn, PyTorch)
load inside the handlers.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from greentactics.errors import UsageError

DEFAULT_REPEATS = 5
QUICK_REPEATS = 3
DEFAULT_IDLE_SECONDS = 10.0
DEFAULT_MIN_WINDOW_S = 2.0


def register(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """Add the ``experiment`` command and its ``list`` and ``run`` sub-commands."""
    parser = subparsers.add_parser(
        "experiment",
        help="run the tactic experiments (baseline vs tactic, measured energy)",
        description="Reproducible experiments: each shows one tactic on a small real task, "
        "a baseline arm against a tactic arm, measured with the energy meter.",
    )
    actions = parser.add_subparsers(dest="experiment_command", metavar="ACTION")
    parser.set_defaults(handler=lambda _args: _print_help(parser))

    list_parser = actions.add_parser("list", help="list the experiments and their tactics")
    list_parser.set_defaults(handler=handle_list)

    run = actions.add_parser(
        "run",
        help="run experiments and write a results file",
        description="Warm up, then run the baseline and tactic arms interleaved (A B A B ...), "
        "measuring each run; report median energy, time and quality per arm and the "
        "energy ratio with a 95%% bootstrap CI.",
    )
    run.add_argument("names", nargs="*", metavar="NAME", help="experiments to run")
    run.add_argument("--all", action="store_true", help="run every experiment")
    run.add_argument(
        "--repeats",
        type=_positive_int,
        default=None,
        help=f"measured runs per arm (default {DEFAULT_REPEATS}; {QUICK_REPEATS} with --quick)",
    )
    run.add_argument("--quick", action="store_true", help="toy sizes: seconds, for tests")
    run.add_argument("--device", choices=("cpu", "cuda"), default="cpu")
    run.add_argument(
        "--output",
        type=Path,
        default=None,
        help="results file (default .greentactics/experiments-<device>[-quick].json)",
    )
    store = run.add_mutually_exclusive_group()
    store.add_argument("--store", type=Path, default=None, help="energy store (SQLite file)")
    store.add_argument(
        "--no-store", action="store_true", help="do not add the runs to the energy store"
    )
    run.add_argument(
        "--idle-seconds",
        type=float,
        default=None,
        help=f"idle baseline to measure first (default {DEFAULT_IDLE_SECONDS:g}; 0 with --quick)",
    )
    run.add_argument("--seed", type=int, default=0, help="seed for every random choice")
    run.add_argument(
        "--min-window",
        type=float,
        default=None,
        metavar="SECONDS",
        help=f"repeat shorter arms within each measured window until it lasts this long "
        f"(default {DEFAULT_MIN_WINDOW_S:g}; 0 with --quick)",
    )
    run.add_argument(
        "--threads",
        type=_positive_int,
        default=1,
        help="CPU threads for NumPy/BLAS and PyTorch (default 1: steadier on shared machines)",
    )
    run.set_defaults(handler=handle_run)


def _print_help(parser: argparse.ArgumentParser) -> int:
    parser.print_help()
    return 2


def _positive_int(text: str) -> int:
    value = int(text)
    if value < 1:
        raise argparse.ArgumentTypeError("must be at least 1")
    return value


def handle_list(args: argparse.Namespace) -> int:
    """Print one line per experiment: name, tactic, metric, devices and title."""
    from greentactics.experiments.registry import load_experiments

    experiments, unavailable = load_experiments()
    width = max(len(e.name) for e in experiments) if experiments else 10
    for experiment in experiments:
        devices = ",".join(experiment.devices)
        print(
            f"{experiment.name:<{width}}  {experiment.tactic:<43}  "
            f"{experiment.quality_metric:<8}  {devices:<8}  {experiment.title}"
        )
    for missing in unavailable:
        print(f"{missing.name:<{width}}  unavailable: {missing.reason}")
    return 0


def handle_run(args: argparse.Namespace) -> int:
    """Run the chosen experiments, print the summary table and write the results file."""
    if args.all == bool(args.names):
        raise UsageError("name the experiments to run, or pass --all (not both)")
    from greentactics.experiments.registry import EXPERIMENT_NAMES, load_experiments
    from greentactics.experiments.results import save_results
    from greentactics.experiments.runner import RunOptions, run_experiments

    if args.device == "cuda":
        _require_cuda()
    names = EXPERIMENT_NAMES if args.all else tuple(args.names)
    experiments, unavailable = load_experiments(names)
    for missing in unavailable:
        print(f"skipping {missing.name}: {missing.reason}", file=sys.stderr)
    if not experiments:
        raise UsageError("none of the chosen experiments can run here (see above)")
    repeats = args.repeats or (QUICK_REPEATS if args.quick else DEFAULT_REPEATS)
    if repeats < 3:
        print(
            f"warning: with {repeats} run(s) per arm the confidence interval means little",
            file=sys.stderr,
        )
    options = RunOptions(
        repeats=repeats,
        quick=args.quick,
        device=args.device,
        store=False if args.no_store else args.store,
        idle_seconds=(
            args.idle_seconds
            if args.idle_seconds is not None
            else (0.0 if args.quick else DEFAULT_IDLE_SECONDS)
        ),
        seed=args.seed,
        threads=args.threads,
        min_window_s=(
            args.min_window
            if args.min_window is not None
            else (0.0 if args.quick else DEFAULT_MIN_WINDOW_S)
        ),
    )
    results = run_experiments(
        experiments, options, unavailable=unavailable, progress=_print_progress
    )
    output = args.output or Path(".greentactics") / (
        f"experiments-{args.device}{'-quick' if args.quick else ''}.json"
    )
    save_results(results, output)
    for result in results.experiments:
        low, high = result.ratio_ci95
        print(
            f"{result.name:<28} energy x{result.energy_ratio:.3f} [{low:.3f}, {high:.3f}]  "
            f"time x{result.time_ratio:.3f}  {result.quality_metric} "
            f"{result.quality_delta:+.4f}  ({result.tactic})"
        )
    print(f"results written to {output} (energy: {results.measurement.cpu} CPU)")
    return 0


def _print_progress(message: str) -> None:
    print(message, file=sys.stderr, flush=True)


def _require_cuda() -> None:
    try:
        import torch
    except ModuleNotFoundError as error:
        raise UsageError(
            "--device cuda needs PyTorch (pip install 'greentactics[torch]')"
        ) from error
    if not torch.cuda.is_available():
        raise UsageError("--device cuda: no CUDA device is available here; use --device cpu")
