"""How fast is ``greentactics lint`` next to Fixit, on the same large real corpus, in one run?

The corpus is the Python sources of pinned releases of two pure-Python ML packages
(transformers and accelerate: about 3,100 files, 120 MB), installed with pip into a benchmark
venv under a cache directory together with Fixit 2.2.1. The script measures, on the same files:

* Fixit's ``fixit lint`` with its default rules (it has no cache, so one run);
* ``greentactics lint --select ALL`` cold (empty cache) and warm (the cache of the cold run);
* a pre-commit-sized run: ``greentactics lint`` on 5 files, wall time including start-up. Its
  project facts come from the whole project (here the common directory of the 5 files, most of
  the corpus), so it is measured cold (empty cache: every project file parsed once) and warm
  (the project in the cache, the 5 files edited: their facts and results are computed anew);

then prints files/s and the ratios against the targets: cold >= 4x Fixit's files/s, warm >= 20x
our cold run, the warm 5-file run under 1 s. Both linters get the same cores (``--jobs`` = CPUs).

    .venv/bin/python benchmarks/lint_speed.py                 # full corpus (tens of minutes)
    .venv/bin/python benchmarks/lint_speed.py --sample 400    # every k-th file, quicker
"""

from __future__ import annotations

import argparse
import os
import resource
import shutil
import subprocess
import sys
import time
import venv
from dataclasses import dataclass
from pathlib import Path

TRANSFORMERS = "5.25.0"
ACCELERATE = "1.16.0"
FIXIT = "2.2.1"
DEFAULT_CACHE = (
    Path(os.environ.get("XDG_CACHE_HOME", Path.home() / ".cache")) / "greentactics-bench"
)


@dataclass
class Timing:
    """Wall and CPU seconds of one command, and its exit status."""

    label: str
    files: int
    wall_s: float
    cpu_s: float
    returncode: int

    @property
    def files_per_s(self) -> float:
        return self.files / self.wall_s if self.wall_s else float("inf")


def _run(label: str, command: list[str], files: int, cwd: Path) -> Timing:
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    completed = subprocess.run(command, cwd=cwd, capture_output=True, text=True, check=False)
    wall = time.perf_counter() - start
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    if completed.returncode not in (0, 1):
        sys.stderr.write(completed.stdout[-2000:] + completed.stderr[-2000:])
        raise SystemExit(f"{label}: exited with {completed.returncode}")
    timing = Timing(label, files, wall, cpu, completed.returncode)
    print(f"  {label:<38} {wall:8.2f} s wall {cpu:8.2f} s CPU {timing.files_per_s:9.1f} files/s")
    return timing


def _run_edited(label: str, command: list[str], files: list[str], cwd: Path, edit: int) -> Timing:
    """A pre-commit run after editing the files it is given: the rest of the project is in the
    cache, the edited files' facts and results are not. The edit (a comment line appended) is
    undone afterwards, so the corpus stays as released."""
    originals = {name: (cwd / name).read_bytes() for name in files}
    try:
        for name, data in originals.items():
            (cwd / name).write_bytes(data + f"# edited for the benchmark ({edit})\n".encode())
        return _run(label, command, len(files), cwd)
    finally:
        for name, data in originals.items():
            (cwd / name).write_bytes(data)


def _bench_venv(cache: Path) -> Path:
    """A venv holding the corpus packages (no dependencies) and Fixit; built once."""
    env_dir = cache / f"venv-tf{TRANSFORMERS}-acc{ACCELERATE}-fixit{FIXIT}"
    python = env_dir / "bin" / "python"
    if (env_dir / ".complete").exists():
        return env_dir
    shutil.rmtree(env_dir, ignore_errors=True)
    print(f"creating the benchmark venv in {env_dir} ...", flush=True)
    venv.create(env_dir, with_pip=True)
    pip = [str(python), "-m", "pip", "install", "--quiet"]
    packages = [f"transformers=={TRANSFORMERS}", f"accelerate=={ACCELERATE}"]
    subprocess.run([*pip, "--no-deps", *packages], check=True)
    subprocess.run([*pip, f"fixit=={FIXIT}"], check=True)
    (env_dir / ".complete").write_text("ok\n")
    return env_dir


def _corpus(cache: Path, env_dir: Path, sample: int | None) -> Path:
    """The .py files of both packages, copied out of site-packages (which linters skip)."""
    site = next((env_dir / "lib").glob("python*/site-packages"))
    sources = sorted(
        path
        for package in ("transformers", "accelerate")
        for path in (site / package).rglob("*.py")
    )
    if sample is not None and sample < len(sources):
        step = len(sources) / sample
        sources = [sources[int(index * step)] for index in range(sample)]
    corpus = cache / f"corpus-{len(sources)}"
    if not (corpus / ".complete").exists():
        shutil.rmtree(corpus, ignore_errors=True)
        for source in sources:
            target = corpus / source.relative_to(site)
            target.parent.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(source, target)
        (corpus / ".complete").write_text("ok\n")
    return corpus


def _five_files(corpus: Path) -> list[str]:
    """Five mid-sized files, the size of a typical commit's changes."""
    files = sorted(corpus.rglob("*.py"), key=lambda path: (path.stat().st_size, str(path)))
    middle = len(files) // 2
    return [str(path.relative_to(corpus)) for path in files[middle : middle + 5]]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawTextHelpFormatter
    )
    parser.add_argument("--cache-dir", type=Path, default=DEFAULT_CACHE)
    parser.add_argument("--sample", type=int, help="lint only this many files (every k-th)")
    parser.add_argument("--jobs", type=int, default=os.cpu_count() or 1)
    parser.add_argument("--skip-fixit", action="store_true", help="measure only greentactics")
    args = parser.parse_args(argv)

    cache: Path = args.cache_dir
    cache.mkdir(parents=True, exist_ok=True)
    env_dir = _bench_venv(cache)
    corpus = _corpus(cache, env_dir, args.sample)
    files = sum(1 for _ in corpus.rglob("*.py"))
    megabytes = sum(path.stat().st_size for path in corpus.rglob("*.py")) / 1e6
    print(
        f"corpus: transformers {TRANSFORMERS} + accelerate {ACCELERATE}: {files} files, "
        f"{megabytes:.1f} MB; {args.jobs} jobs; python {sys.version.split()[0]}"
    )
    lint_cache = cache / "lint-cache"
    shutil.rmtree(lint_cache, ignore_errors=True)
    ours = [
        sys.executable,
        "-m",
        "greentactics",
        "lint",
        "--select",
        "ALL",
        "--jobs",
        str(args.jobs),
    ]
    quiet = ["--format", "json", "--output", os.devnull]

    fixit = None
    if not args.skip_fixit:
        fixit_command = [str(env_dir / "bin" / "fixit"), "lint", "."]
        fixit = _run(f"fixit {FIXIT} lint (default rules)", fixit_command, files, corpus)
    cold = _run(
        "greentactics lint, cold cache",
        [*ours, *quiet, "--cache-dir", str(lint_cache), "."],
        files,
        corpus,
    )
    warm = _run(
        "greentactics lint, warm cache",
        [*ours, *quiet, "--cache-dir", str(lint_cache), "."],
        files,
        corpus,
    )
    five = _five_files(corpus)
    five_cache = cache / "lint-cache-five"
    shutil.rmtree(five_cache, ignore_errors=True)
    five_command = [*ours, *quiet, "--cache-dir", str(five_cache), *five]
    _run("greentactics lint, 5 files, cold cache", five_command, 5, corpus)
    small = min(
        (
            _run_edited("greentactics lint, 5 edited files", five_command, five, corpus, edit)
            for edit in range(3)
        ),
        key=lambda timing: timing.wall_s,
    )

    print("\nratios (targets in brackets):")
    checks = []
    if fixit is not None:
        ratio = cold.files_per_s / fixit.files_per_s
        checks.append(
            ("cold files/s vs fixit (wall)", ratio, ratio >= 4, f"{ratio:6.1f}x", "[>= 4x]")
        )
        cpu_ratio = fixit.cpu_s / cold.cpu_s
        label = "cold vs fixit, CPU seconds"
        print(f"  {label:<30} {cpu_ratio:6.1f}x  (steadier on a busy machine)")
    speedup = cold.wall_s / warm.wall_s
    checks.append(("warm vs cold (wall)", speedup, speedup >= 20, f"{speedup:6.1f}x", "[>= 20x]"))
    seconds = small.wall_s
    checks.append(
        ("5-file warm run, best of 3", seconds, seconds < 1, f"{seconds:6.2f}s", "[< 1 s]")
    )
    ok = True
    for label, _value, passed, shown, target in checks:
        ok &= passed
        print(f"  {label:<30} {shown}  {target:<8} {'ok' if passed else 'MISSED'}")
    return 0 if ok else 1


if __name__ == "__main__":
    raise SystemExit(main())
