"""The experiment set: every module loads, names its catalog tactic, and covers the catalog."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from greentactics.catalog import load_catalog
from greentactics.experiments.registry import EXPERIMENT_NAMES, load_experiments

REPO_ROOT = Path(__file__).resolve().parents[2]


def test_every_registered_experiment_loads_with_its_module_name() -> None:
    experiments, unavailable = load_experiments()
    assert unavailable == []
    assert [e.name for e in experiments] == list(EXPERIMENT_NAMES)
    for experiment in experiments:
        assert experiment.module == f"greentactics/experiments/{experiment.name}.py"
        assert (REPO_ROOT / experiment.module).is_file()


def test_every_experiment_names_a_catalog_tactic() -> None:
    catalog = load_catalog()
    experiments, _ = load_experiments()
    for experiment in experiments:
        assert experiment.tactic in catalog.by_slug, experiment.name


def test_the_experiments_cover_at_least_ten_tactics_in_five_categories() -> None:
    catalog = load_catalog()
    experiments, _ = load_experiments()
    tactics = {e.tactic for e in experiments}
    categories = {catalog.get(slug).category for slug in tactics}
    assert len(experiments) >= 12
    assert len(tactics) >= 10
    assert len(categories) >= 5


def test_each_experiment_has_two_differently_labelled_arms_and_a_quality_metric() -> None:
    experiments, _ = load_experiments()
    for experiment in experiments:
        assert experiment.baseline.label != experiment.candidate.label
        assert experiment.baseline.run is not experiment.candidate.run
        assert experiment.quality_metric in {"accuracy", "f1", "loss"}
        assert experiment.title and experiment.devices


def test_torch_experiments_are_reported_unavailable_when_torch_is_missing() -> None:
    script = (
        "import sys\n"
        "class HideTorch:\n"  # an import hook that behaves as if torch were not installed
        "    def find_spec(self, name, path=None, target=None):\n"
        "        if name.split('.')[0] == 'torch':\n"
        "            raise ModuleNotFoundError(f'No module named {name!r}', name=name)\n"
        "sys.meta_path.insert(0, HideTorch())\n"
        "from greentactics.experiments.registry import load_experiments\n"
        "loaded, unavailable = load_experiments()\n"
        "print(len(loaded))\n"
        "for u in unavailable: print(u.name, '|', u.reason)\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, check=True, cwd=REPO_ROOT
    )
    lines = result.stdout.splitlines()
    assert int(lines[0]) >= 8  # the scikit-learn and NumPy experiments still run
    skipped = dict(line.split(" | ") for line in lines[1:])
    assert "checkpoint_resume" in skipped
    assert "sampling" not in skipped
    assert "needs torch" in skipped["checkpoint_resume"]
    assert "pip install 'greentactics[torch]'" in skipped["checkpoint_resume"]
