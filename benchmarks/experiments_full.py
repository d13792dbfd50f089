"""Run every tactic experiment at full size and write the committed evidence file.

    .venv/bin/python benchmarks/experiments_full.py                # evidence/experiments-cpu.json
    .venv/bin/python benchmarks/experiments_full.py --device cuda  # evidence/experiments-cuda.json

Extra arguments go to ``greentactics experiment run`` (e.g. ``--repeats 10``). It prints, per
experiment, the candidate/baseline energy ratio with its 95 % bootstrap CI, measured in this run.
About 20-30 minutes on 2 CPU cores.
"""

from __future__ import annotations

import sys
from pathlib import Path

from greentactics.cli import main

REPO_ROOT = Path(__file__).resolve().parents[1]


def run(argv: list[str]) -> int:
    """Run ``experiment run --all`` with the evidence file for the chosen device as output."""
    device = argv[argv.index("--device") + 1] if "--device" in argv else "cpu"
    output = REPO_ROOT / "evidence" / f"experiments-{device}.json"
    return main(["experiment", "run", "--all", "--output", str(output), *argv])


if __name__ == "__main__":
    sys.exit(run(sys.argv[1:]))
