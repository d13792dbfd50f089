"""``greentactics energy run``: measure a command, repeatedly, with progress on stderr."""

from __future__ import annotations

import os
import shlex
import subprocess
import sys
from collections.abc import Mapping, Sequence

from greentactics.energy.meter import PARENT_ENV, measure_energy
from greentactics.energy.report import format_joules, format_seconds
from greentactics.errors import UsageError


class CommandFailed(Exception):
    """The measured command exited with a non-zero status (the outcome records it)."""


def run_command(
    command: Sequence[str],
    *,
    repeat: int = 1,
    warmup: int = 0,
    label: str | None = None,
    tactic: str | None = None,
    project: str | None = None,
    tags: Mapping[str, str] | None = None,
    store: str | None = None,
    country: str | None = None,
    tracking_mode: str | None = None,
    keep_going: bool = False,
    verbose: bool = False,
) -> int:
    """Run ``command`` ``warmup`` times unmeasured, then ``repeat`` times measured.

    Returns the command's exit status (the first non-zero one). The command's own
    measurements, if it uses ``measure_energy``, are recorded as nested in ours.
    """
    if not command:
        raise UsageError("give a command after --, e.g. greentactics energy run -- python train.py")
    if repeat < 1 or warmup < 0:
        raise UsageError("--repeat must be at least 1 and --warmup at least 0")
    label = label or shlex.join(command)[:80]
    for index in range(warmup):
        print(f"[warm-up {index + 1}/{warmup}] {label}", file=sys.stderr, flush=True)
        code = _call(command, os.environ)
        if code != 0:
            print(f"warm-up run exited with {code}", file=sys.stderr)
            return code
    status = 0
    for index in range(repeat):
        meter = measure_energy(
            label=label,
            tactic=tactic,
            project=project,
            tags={**(tags or {}), "command": shlex.join(command), "repeat": str(index + 1)},
            store=store,
            country=country,
            tracking_mode=tracking_mode,
            verbose=verbose,
        )
        code = 0
        try:
            with meter:
                env = {**os.environ, PARENT_ENV: meter.id}
                code = _call(command, env)
                if code != 0:
                    raise CommandFailed(f"exit status {code}")
        except CommandFailed:
            status = status or code
        m = meter.measurement
        if m is not None:
            estimated = m.method_summary != "measured"
            print(
                f"[{index + 1}/{repeat}] {label}: {format_seconds(m.duration_s)}, "
                f"{format_joules(m.total_energy_j, estimated=estimated)} ({m.method_summary}), "
                f"{m.outcome}, id {m.id[:8]}",
                file=sys.stderr,
                flush=True,
            )
        if code != 0 and not keep_going:
            break
    return status


def _call(command: Sequence[str], env: Mapping[str, str]) -> int:
    try:
        return subprocess.run(list(command), env=dict(env), check=False).returncode
    except FileNotFoundError as error:
        raise UsageError(f"command not found: {command[0]}") from error
