"""The energy meter's overhead on a CPU workload, and its start/stop latency.

    .venv/bin/python benchmarks/energy_overhead.py            # ~30 s of work per arm
    .venv/bin/python benchmarks/energy_overhead.py --seconds 10 --pairs 2 --json out.json

Overhead: the same pure-Python workload runs bare and inside ``measure_energy``, in
interleaved pairs (bare, measured, bare, measured, ...) so that drift on a shared host hits
both arms; the ratio is measured/bare wall time (and process CPU time, which includes
CodeCarbon's sampling threads). Latency: the time spent entering and leaving
``measure_energy`` around an empty block, cold (first in a fresh process: CodeCarbon's
hardware detection) and warm (every later one), with and without the SQLite store.
"""

from __future__ import annotations

import argparse
import json
import statistics
import subprocess
import sys
import tempfile
import time
import warnings
from collections.abc import Callable
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from greentactics.energy import measure_energy
from greentactics.energy.meter import EnergyMeter, LowResolutionWarning


def workload(iterations: int) -> int:
    total = 0
    for i in range(iterations):
        total += i * i % 7
    return total


def calibrate(seconds: float) -> int:
    iterations = 200_000
    while True:
        begin = time.perf_counter()
        workload(iterations)
        elapsed = time.perf_counter() - begin
        if elapsed > 0.5:
            return int(iterations * seconds / elapsed)
        iterations *= 2


def timed(run: Callable[[], object]) -> tuple[float, float, float]:
    """Wall time, process CPU time, and CPU time of threads other than this one."""
    wall, cpu, own = time.perf_counter(), time.process_time(), time.thread_time()
    run()
    cpu_used = time.process_time() - cpu
    return time.perf_counter() - wall, cpu_used, cpu_used - (time.thread_time() - own)


def overhead(
    seconds: float, pairs: int, store: Path, power_secs: float | None
) -> dict[str, object]:
    iterations = calibrate(seconds / pairs)
    # Warm up CodeCarbon's one-off hardware detection so it is not billed to the first pair.
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", LowResolutionWarning)  # empty on purpose
        with measure_energy(label="warm-up", store=store):
            pass
    workload(iterations)  # and warm the interpreter and CPU caches for the bare arm
    bare_wall, bare_cpu, meas_wall, meas_cpu, meter_cpu = [], [], [], [], []
    for pair in range(pairs):
        w, c, _ = timed(lambda: workload(iterations))
        bare_wall.append(w)
        bare_cpu.append(c)

        def measured() -> None:
            with measure_energy(label="overhead", store=store, measure_power_secs=power_secs):
                workload(iterations)

        w, c, others = timed(measured)
        meas_wall.append(w)
        meas_cpu.append(c)
        meter_cpu.append(others)
        print(
            f"  pair {pair + 1}/{pairs}: bare {bare_wall[-1]:.3f} s, "
            f"measured {meas_wall[-1]:.3f} s",
            file=sys.stderr,
            flush=True,
        )
    return {
        "workload_s_per_arm": sum(bare_wall),
        "pairs": pairs,
        "measure_power_secs": power_secs,
        "wall_ratio": sum(meas_wall) / sum(bare_wall),
        "cpu_ratio": sum(meas_cpu) / sum(bare_cpu),
        # CPU time of CodeCarbon's sampling threads, as a share of the measured window: the
        # meter's own cost, which (unlike the wall ratio) host noise cannot hide or inflate.
        "meter_thread_cpu_s": sum(meter_cpu),
        "meter_thread_cpu_share": sum(meter_cpu) / sum(meas_wall),
        "pair_wall_ratios": [m / b for m, b in zip(meas_wall, bare_wall, strict=True)],
        "median_pair_wall_ratio": statistics.median(
            m / b for m, b in zip(meas_wall, bare_wall, strict=True)
        ),
    }


def latency(count: int, store: Path | None) -> dict[str, float]:
    enters, exits = [], []
    for _ in range(count):
        meter = EnergyMeter("latency", store=store if store is not None else False)
        begin = time.perf_counter()
        meter.__enter__()
        middle = time.perf_counter()
        meter.__exit__(None, None, None)
        end = time.perf_counter()
        enters.append(middle - begin)
        exits.append(end - middle)

    def q(values: list[float]) -> float:  # the 95th percentile
        return statistics.quantiles(values, n=20)[18]

    return {
        "start_median_ms": statistics.median(enters) * 1000,
        "start_p95_ms": q(enters) * 1000,
        "stop_median_ms": statistics.median(exits) * 1000,
        "stop_p95_ms": q(exits) * 1000,
    }


COLD = """
import sys, time
sys.path.insert(0, {root!r})
t0 = time.perf_counter()
from greentactics.energy.meter import EnergyMeter
t1 = time.perf_counter()
m = EnergyMeter("cold", store=False)
m.__enter__()
t2 = time.perf_counter()
m.__exit__(None, None, None)
t3 = time.perf_counter()
print(t1 - t0, t2 - t1, t3 - t2)
"""


def cold_start() -> dict[str, float]:
    root = str(Path(__file__).resolve().parents[1])
    out = subprocess.run(
        [sys.executable, "-c", COLD.format(root=root)], capture_output=True, text=True, check=True
    ).stdout.split()
    imp, start, stop = (float(v) for v in out)
    return {"import_ms": imp * 1000, "first_start_ms": start * 1000, "first_stop_ms": stop * 1000}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=float, default=30.0, help="bare workload per arm")
    parser.add_argument("--pairs", type=int, default=10)
    parser.add_argument("--latency-runs", type=int, default=100)
    parser.add_argument("--measure-power-secs", type=float, default=None)
    parser.add_argument("--json", metavar="FILE")
    args = parser.parse_args()

    with tempfile.TemporaryDirectory() as tmp:
        store = Path(tmp) / "bench.sqlite"
        print(
            f"overhead: {args.seconds:g} s of work per arm in {args.pairs} pairs", file=sys.stderr
        )
        over = overhead(args.seconds, args.pairs, store, args.measure_power_secs)
        cold = cold_start()
        warm = {
            "with_store": latency(args.latency_runs, store),
            "without_store": latency(args.latency_runs, None),
        }
    result = {"overhead": over, "cold": cold, "warm": warm}
    wall, cpu = float(str(over["wall_ratio"])), float(str(over["cpu_ratio"]))
    median_pair = float(str(over["median_pair_wall_ratio"]))
    print(
        f"overhead over {float(str(over['workload_s_per_arm'])):.1f} s of bare work: "
        f"wall ratio {wall:.4f} ({(wall - 1) * 100:+.2f}%), median of pairs {median_pair:.4f}, "
        f"CPU-time ratio {cpu:.4f} ({(cpu - 1) * 100:+.2f}%)"
    )
    share = float(str(over["meter_thread_cpu_share"]))
    print(
        f"meter's own threads: {float(str(over['meter_thread_cpu_s'])) * 1000:.0f} ms CPU "
        f"= {share * 100:.3f}% of the measured wall time"
    )
    print(
        f"cold (fresh process): import {cold['import_ms']:.0f} ms, first start "
        f"{cold['first_start_ms']:.0f} ms, first stop {cold['first_stop_ms']:.0f} ms"
    )
    for name, w in warm.items():
        print(
            f"warm, {name.replace('_', ' ')}: start {w['start_median_ms']:.1f} ms "
            f"(p95 {w['start_p95_ms']:.1f}), stop {w['stop_median_ms']:.1f} ms "
            f"(p95 {w['stop_p95_ms']:.1f})"
        )
    if args.json:
        Path(args.json).write_text(json.dumps(result, indent=2) + "\n")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
