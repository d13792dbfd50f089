"""The main job on the bundled example: validate the catalog, lint and scan the example project,
measure a short training run with the energy meter, and build the docs site.

Run it with ``make demo``; every result lands under ``build/demo/`` and its path is printed.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parents[1]
EXAMPLE = Path("examples") / "digits_classifier"
OUT = Path("build") / "demo"
BIN = Path(sys.executable).parent


def step(title: str) -> None:
    print(f"\n=== {title} ===", flush=True)


def run(args: list[str], *, output: Path | None = None, ok_codes: tuple[int, ...] = (0,)) -> None:
    """Run one command from the repository root; optionally save its standard output."""
    env = dict(
        os.environ,
        GREENTACTICS_ENERGY_STORE=str(OUT / "energy.sqlite"),
        NO_MKDOCS_2_WARNING="1",
        PYTHONUNBUFFERED="1",
    )
    sys.stdout.flush()
    result = subprocess.run(
        args,
        cwd=REPO_ROOT,
        env=env,
        text=True,
        check=False,
        stdout=subprocess.PIPE if output is not None else None,
    )
    if output is not None:
        (REPO_ROOT / output).write_text(result.stdout, encoding="utf-8")
    if result.returncode not in ok_codes:
        sys.exit(f"demo step failed (exit {result.returncode}): {' '.join(args)}")


def main() -> int:
    shutil.rmtree(REPO_ROOT / OUT, ignore_errors=True)
    (REPO_ROOT / OUT).mkdir(parents=True)
    gt = str(BIN / "greentactics")
    results: list[tuple[str, Path]] = []

    step("1. Validate the catalog and export it")
    run([gt, "catalog", "validate"])
    for fmt, name in (("json", "catalog.json"), ("csv", "catalog.csv"), ("schema", "schema.json")):
        run([gt, "catalog", "export", "--format", fmt, "-o", str(OUT / name)])
        results.append((f"catalog export ({fmt})", OUT / name))

    step(f"2. Lint {EXAMPLE} (findings are expected: the example misses tactics on purpose)")
    run([gt, "lint", "--no-cache", str(EXAMPLE)], ok_codes=(0, 1))
    run(
        [gt, "lint", "--no-cache", "--format", "sarif", str(EXAMPLE)],
        output=OUT / "lint.sarif",
        ok_codes=(0, 1),
    )
    run(
        [gt, "lint", "--no-cache", "--format", "json", str(EXAMPLE)],
        output=OUT / "lint.json",
        ok_codes=(0, 1),
    )
    results += [
        ("lint findings (SARIF)", OUT / "lint.sarif"),
        ("lint findings (JSON)", OUT / "lint.json"),
    ]

    step(f"3. Scan {EXAMPLE}: which tactics does it already apply?")
    run([gt, "scan", str(EXAMPLE)])
    run([gt, "scan", "--format", "markdown", str(EXAMPLE)], output=OUT / "scan.md")
    results.append(("tactic scan (Markdown)", OUT / "scan.md"))

    step("4. Measure a short training run with the energy meter")
    run(
        [
            gt,
            "energy",
            "run",
            "--label",
            "digits-train",
            "--",
            sys.executable,
            str(EXAMPLE / "train.py"),
            "--epochs",
            "3",
            "--checkpoint",
            str(OUT / "digits-mlp.pt"),
        ]
    )
    run([gt, "energy", "list"])
    run([gt, "energy", "export", "--format", "csv"], output=OUT / "energy.csv")
    results += [
        ("energy store (SQLite)", OUT / "energy.sqlite"),
        ("energy export (CSV)", OUT / "energy.csv"),
    ]

    step("5. Build the docs site (offline, strict)")
    run([str(BIN / "mkdocs"), "build", "--strict", "--quiet", "--site-dir", str(OUT / "site")])
    results.append(("docs site (open index.html)", OUT / "site" / "index.html"))

    step("Results")
    for label, path in results:
        print(f"{label:<30} {REPO_ROOT / path}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
