"""``greentactics lint`` on a few files starts fast: it never imports the heavy libraries."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parents[2]
HEAVY = ("pydantic", "codecarbon", "numpy", "torch", "yaml")

# Runs the real entry point, then reports which heavy top-level packages ended up imported.
_WRAPPER = f"""
import json, sys
from greentactics.cli import main
code = main(sys.argv[1:])
heavy = sorted(name for name in {HEAVY!r} if name in sys.modules)
print("HEAVY=" + json.dumps(heavy), file=sys.stderr)
raise SystemExit(code)
"""


def test_lint_on_one_file_imports_no_heavy_library(tmp_path: Path) -> None:
    train = tmp_path / "train.py"
    train.write_text("import torch\n\nfor epoch in range(3):\n    loss.backward()\n")
    completed = subprocess.run(
        [sys.executable, "-c", _WRAPPER, "lint", "--no-cache", str(train)],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        check=False,
    )
    assert completed.returncode in (0, 1), completed.stderr
    marker = next(line for line in completed.stderr.splitlines() if line.startswith("HEAVY="))
    assert json.loads(marker.removeprefix("HEAVY=")) == []


def test_lazy_packages_still_export_their_names() -> None:
    code = (
        "import sys\n"
        "import greentactics.energy as energy, greentactics.experiments as experiments\n"
        "assert 'greentactics.energy.meter' not in sys.modules\n"
        "from greentactics.energy import measure_energy, ratio_ci, EnergyStore\n"
        "from greentactics.experiments import Arm, Experiment, Setup\n"
        "assert set(energy.__all__) <= set(dir(energy))\n"
        "assert all(getattr(energy, name) for name in energy.__all__)\n"
        "assert all(getattr(experiments, name) for name in experiments.__all__)\n"
    )
    completed = subprocess.run(
        [sys.executable, "-c", code], cwd=REPO_ROOT, capture_output=True, text=True, check=False
    )
    assert completed.returncode == 0, completed.stderr
