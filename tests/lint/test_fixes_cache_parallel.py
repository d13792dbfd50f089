"""--fix/--diff/--unsafe-fixes, the content-hash cache and parallel runs."""

from __future__ import annotations

import sqlite3
from pathlib import Path

from tests.lint.conftest import RunLint
from tests.lint.sample_rules import SAMPLE_RULES, TrainingWithoutCheckpoints

TRAIN = "src/train.py"


def test_fix_applies_only_safe_fixes_and_keeps_formatting(run_lint: RunLint, project: Path) -> None:
    before = (project / TRAIN).read_text()
    result = run_lint("--no-cache", "--fix", TRAIN, cwd=project)
    after = (project / TRAIN).read_text()
    assert after == before.replace("zero_grad(set_to_none=False)", "zero_grad()")
    assert "Fixed 1 finding(s) in 1 file(s)." in result.stdout
    assert "GT904" not in result.stdout.split("Fixed")[0]
    assert result.exit_code == 1  # the unsafe float64 finding remains


def test_unsafe_fixes_need_the_flag(run_lint: RunLint, project: Path) -> None:
    run_lint("--no-cache", "--fix", "--unsafe-fixes", TRAIN, cwd=project)
    text = (project / TRAIN).read_text()
    assert "dtype=torch.float32)  # reference weights" in text
    assert "zero_grad()" in text


def test_diff_shows_fixes_without_writing(run_lint: RunLint, project: Path) -> None:
    before = (project / TRAIN).read_text()
    result = run_lint("--no-cache", "--diff", TRAIN, cwd=project)
    assert (project / TRAIN).read_text() == before
    assert "-            optimizer.zero_grad(set_to_none=False)" in result.stdout
    assert "+            optimizer.zero_grad()" in result.stdout
    assert "--- a/src/train.py" in result.stdout


def test_second_run_is_served_from_the_cache_and_edits_invalidate_it(
    run_lint: RunLint, project: Path
) -> None:
    first = run_lint("--format", "json", cwd=project)
    cache_dir = project / ".greentactics_cache"
    assert (cache_dir / "CACHEDIR.TAG").is_file()
    # Prove the second run reads the cache: corrupt nothing, but count cache hits via the engine.
    from greentactics.lint.engine import LintEngine, RunOptions
    from greentactics.lint.settings import find_config_file, load_settings

    settings = load_settings(find_config_file(project), cwd=project)
    engine = LintEngine(settings, SAMPLE_RULES, RunOptions(jobs=1), project)
    warm = engine.lint_paths([Path(".")])
    assert warm.cache_hits == warm.files_checked == 4
    second = run_lint("--format", "json", cwd=project)
    assert second.json()["findings"] == first.json()["findings"]

    (project / TRAIN).write_text((project / TRAIN).read_text().replace("float64", "float32"))
    after_edit = engine.lint_paths([Path(".")])
    assert after_edit.cache_hits == 3
    assert ("src/train.py", "GT903") not in {(f.path, f.code) for f in after_edit.findings}


def test_changed_settings_do_not_reuse_results(run_lint: RunLint, project: Path) -> None:
    run_lint(cwd=project)
    narrowed = run_lint("--format", "json", "--select", "GT904", cwd=project)
    assert {f["code"] for f in narrowed.json()["findings"]} == {"GT904"}


def test_project_facts_from_another_file_change_the_results(
    run_lint: RunLint, tmp_path: Path
) -> None:
    (tmp_path / "train.py").write_text("for epoch in range(3):\n    loss.backward()\n")
    rules = (TrainingWithoutCheckpoints,)
    first = run_lint("--format", "json", cwd=tmp_path, rules=rules)
    assert [f["code"] for f in first.json()["findings"]] == ["GT902"]
    (tmp_path / "save.py").write_text("import torch\ntorch.save(model.state_dict(), 'm.pt')\n")
    second = run_lint("--format", "json", cwd=tmp_path, rules=rules)
    assert second.json()["findings"] == []  # train.py unchanged, but the project now saves


def test_no_cache_writes_nothing(run_lint: RunLint, project: Path) -> None:
    run_lint("--no-cache", cwd=project)
    assert not (project / ".greentactics_cache").exists()


def test_parallel_and_serial_runs_agree(run_lint: RunLint, tmp_path: Path) -> None:
    for index in range(24):
        body = "import torch\n" + "x = 1\n" * index + "y = torch.ones(1, dtype=torch.float64)\n"
        (tmp_path / f"m{index:02d}.py").write_text(body)
    (tmp_path / "broken.py").write_text("def f(:\n")
    serial = run_lint("--no-cache", "--format", "json", "-j", "1", cwd=tmp_path)
    parallel = run_lint("--no-cache", "--format", "json", "-j", "2", cwd=tmp_path)
    assert serial.json() == parallel.json()
    assert len(serial.json()["findings"]) == 25


def test_cache_survives_a_corrupt_database(run_lint: RunLint, project: Path) -> None:
    run_lint(cwd=project)
    (database,) = (project / ".greentactics_cache").rglob("cache.sqlite3")
    for leftover in database.parent.glob("cache.sqlite3-*"):
        leftover.unlink()
    database.write_bytes(b"not a database, " * 100)
    result = run_lint("--format", "json", cwd=project)
    assert result.exit_code == 1, result.stderr
    assert len(result.json()["findings"]) == 4
    with sqlite3.connect(database) as connection:  # rebuilt, and holds this run's results
        assert connection.execute("SELECT count(*) FROM results").fetchone() == (4,)
