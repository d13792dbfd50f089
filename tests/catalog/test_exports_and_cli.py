"""Exports validate against their schema; the CLI lists, shows and exports the real catalog."""

from __future__ import annotations

import csv
import io
import json
import os
import subprocess
import sys
import venv
from pathlib import Path

import jsonschema
import pytest

from greentactics.catalog import export_csv, export_json, export_schema, load_catalog
from greentactics.catalog.export import CSV_COLUMNS

REPO_ROOT = Path(__file__).resolve().parents[2]


def run_cli(*args: str, cwd: Path | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "greentactics", *args],
        capture_output=True,
        text=True,
        check=False,
        cwd=cwd,
    )


def test_json_export_validates_against_the_exported_schema() -> None:
    catalog = load_catalog()
    document = json.loads(export_json(catalog))
    schema = json.loads(export_schema())
    jsonschema.Draft202012Validator.check_schema(schema)
    jsonschema.validate(document, schema, cls=jsonschema.Draft202012Validator)
    assert len(document["tactics"]) == len(catalog.tactics)
    assert {t["origin"] for t in document["tactics"]} == {"paper", "extension"}


def test_schema_rejects_a_tactic_with_an_unknown_field() -> None:
    document = json.loads(export_json(load_catalog()))
    document["tactics"][0]["colour"] = "green"
    with pytest.raises(jsonschema.ValidationError):
        jsonschema.validate(document, json.loads(export_schema()))


def test_csv_export_has_one_row_per_tactic_with_stable_columns() -> None:
    catalog = load_catalog()
    rows = list(csv.DictReader(io.StringIO(export_csv(catalog))))
    assert len(rows) == len(catalog.tactics)
    assert tuple(rows[0].keys()) == CSV_COLUMNS
    by_id = {row["id"]: row for row in rows}
    assert by_id["T19"]["slug"] == "use-checkpoints-during-training"
    assert by_id["T19"]["url"].endswith("/tactics/use-checkpoints-during-training/")


def test_validate_command_passes_on_the_shipped_catalog() -> None:
    result = run_cli("catalog", "validate")
    assert result.returncode == 0, result.stderr
    assert "catalog valid:" in result.stdout
    assert "30 from the paper" in result.stdout


def test_list_filters_by_category_and_prints_json() -> None:
    result = run_cli("catalog", "list", "--category", "model-training", "--format", "json")
    assert result.returncode == 0, result.stderr
    rows = json.loads(result.stdout)
    assert {row["category"] for row in rows} == {"model-training"}
    assert {"T18", "T19", "T20", "E01", "E02"} <= {row["id"] for row in rows}


def test_show_accepts_id_or_slug_and_rejects_unknown_names() -> None:
    by_slug = run_cli("catalog", "show", "use-checkpoints-during-training")
    by_id = run_cli("catalog", "show", "T19")
    assert by_slug.returncode == by_id.returncode == 0
    assert by_slug.stdout == by_id.stdout
    assert "Use Checkpoints During Training".lower() in by_slug.stdout.lower()
    missing = run_cli("catalog", "show", "T99")
    assert missing.returncode == 2
    assert "no tactic 'T99'" in missing.stderr
    assert "Traceback" not in missing.stderr


def test_export_writes_files(tmp_path: Path) -> None:
    for fmt, name in (("json", "catalog.json"), ("csv", "catalog.csv"), ("schema", "s.json")):
        result = run_cli("catalog", "export", "--format", fmt, "-o", str(tmp_path / name))
        assert result.returncode == 0, result.stderr
        assert (tmp_path / name).stat().st_size > 100


@pytest.mark.slow
def test_installed_wheel_ships_the_catalog_and_works_from_any_directory(tmp_path: Path) -> None:
    """`pip install .` (not editable) gives a working `greentactics catalog list` anywhere."""
    wheel_dir = tmp_path / "wheels"
    subprocess.run(
        [
            sys.executable,
            "-m",
            "pip",
            "wheel",
            "--quiet",
            "--no-deps",
            "--no-build-isolation",
            "-w",
            str(wheel_dir),
            str(REPO_ROOT),
        ],
        check=True,
    )
    wheel = next(wheel_dir.glob("greentactics-*.whl"))
    env_dir = tmp_path / "venv"
    venv.EnvBuilder(with_pip=False).create(env_dir)
    site_packages = next(env_dir.glob("lib/python*/site-packages"))
    # Dependencies come from this test run's environment; greentactics itself only from the wheel.
    dependency_dirs = [p for p in sys.path if p.endswith("site-packages")]
    (site_packages / "deps.pth").write_text("\n".join(dependency_dirs) + "\n", encoding="utf-8")
    subprocess.run(
        [
            sys.executable,
            "-m",
            "pip",
            "--python",
            str(env_dir / "bin" / "python"),
            "install",
            "--quiet",
            "--no-deps",
            "--no-index",
            str(wheel),
        ],
        check=True,
    )
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    env = {k: v for k, v in os.environ.items() if k != "PYTHONPATH"}
    result = subprocess.run(
        [str(env_dir / "bin" / "greentactics"), "catalog", "list", "--format", "json"],
        capture_output=True,
        text=True,
        check=False,
        cwd=elsewhere,
        env=env,
    )
    assert result.returncode == 0, result.stderr
    rows = json.loads(result.stdout)
    assert sum(row["origin"] == "paper" for row in rows) == 30
    assert sum(row["origin"] == "extension" for row in rows) >= 2
    located = subprocess.run(
        [
            str(env_dir / "bin" / "python"),
            "-c",
            "import greentactics.catalog as c; print(c.default_catalog_dir())",
        ],
        capture_output=True,
        text=True,
        check=True,
        cwd=elsewhere,
        env=env,
    )
    assert str(site_packages) in located.stdout
