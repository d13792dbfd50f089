"""A broken catalog is reported in full, each problem as ``file:line:col: field: message``.

Each test copies the real shipped catalog, breaks one real file the way a contributor might, and
runs the real CLI, which must exit 1 without a traceback.
"""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from greentactics.catalog import CatalogError, load_catalog

REPO_ROOT = Path(__file__).resolve().parents[2]
CHECKPOINTS = "use-checkpoints-during-training"


@pytest.fixture
def catalog_dir(tmp_path: Path) -> Path:
    target = tmp_path / "catalog"
    shutil.copytree(REPO_ROOT / "catalog", target)
    return target


def tactic_file(catalog_dir: Path, slug: str = CHECKPOINTS) -> Path:
    return catalog_dir / "tactics" / f"{slug}.yaml"


def replace_line(path: Path, startswith: str, new_line: str) -> int:
    """Replace the first line starting with ``startswith``; return its 1-based number."""
    lines = path.read_text(encoding="utf-8").splitlines()
    for index, line in enumerate(lines):
        if line.startswith(startswith):
            lines[index] = new_line
            path.write_text("\n".join(lines) + "\n", encoding="utf-8")
            return index + 1
    raise AssertionError(f"no line starts with {startswith!r} in {path}")


def line_of(path: Path, startswith: str) -> int:
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        if line.startswith(startswith):
            return number
    raise AssertionError(f"no line starts with {startswith!r} in {path}")


def validate(catalog_dir: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "greentactics", "catalog", "validate", str(catalog_dir)],
        capture_output=True,
        text=True,
        check=False,
    )


def assert_reported(result: subprocess.CompletedProcess[str], expected: str) -> None:
    assert result.returncode == 1, result.stderr
    assert "Traceback" not in result.stderr
    assert expected in result.stderr.splitlines(), result.stderr


def test_malformed_yaml_names_file_and_line(catalog_dir: Path) -> None:
    path = tactic_file(catalog_dir)
    number = replace_line(path, "summary:", "summary: [unclosed")
    result = validate(catalog_dir)
    assert result.returncode == 1
    line = next(x for x in result.stderr.splitlines() if "malformed YAML" in x)
    assert line.startswith(f"catalog/tactics/{CHECKPOINTS}.yaml:")
    reported_line = int(line.split(":")[1])
    assert number <= reported_line <= number + 2


def test_missing_required_field_is_reported_at_the_file(catalog_dir: Path) -> None:
    path = tactic_file(catalog_dir)
    text = path.read_text(encoding="utf-8").splitlines()
    kept = [line for line in text if not line.startswith("artifact:")]
    path.write_text("\n".join(kept) + "\n", encoding="utf-8")
    result = validate(catalog_dir)
    assert_reported(result, f"catalog/tactics/{CHECKPOINTS}.yaml:1:1: artifact: Field required")


def test_wrong_enum_value_names_line_field_and_allowed_values(catalog_dir: Path) -> None:
    path = tactic_file(catalog_dir)
    number = replace_line(path, "detectability:", "detectability: obvious")
    result = validate(catalog_dir)
    expected_prefix = (
        f"catalog/tactics/{CHECKPOINTS}.yaml:{number}:1: detectability: Input should be"
    )
    lines = [x for x in result.stderr.splitlines() if x.startswith(expected_prefix)]
    assert result.returncode == 1 and lines, result.stderr
    assert "'static'" in lines[0] and "'obvious'" in lines[0]


def test_duplicate_id_points_at_both_files(catalog_dir: Path) -> None:
    path = tactic_file(catalog_dir, "use-quantization-aware-training")
    number = replace_line(path, "id:", "id: T19")
    result = validate(catalog_dir)
    first = line_of(tactic_file(catalog_dir), "id:")
    assert_reported(
        result,
        f"catalog/tactics/use-quantization-aware-training.yaml:{number}:1: id: duplicate id "
        f"'T19'; already used in catalog/tactics/{CHECKPOINTS}.yaml:{first}",
    )


def test_dangling_source_reference_names_the_list_item(catalog_dir: Path) -> None:
    path = tactic_file(catalog_dir)
    number = line_of(path, "sources:") + 1
    lines = path.read_text(encoding="utf-8").splitlines()
    indent = lines[number - 1][: len(lines[number - 1]) - len(lines[number - 1].lstrip())]
    lines[number - 1] = f"{indent}- nobody-1999-missing"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    result = validate(catalog_dir)
    column = len(indent) + 3
    assert_reported(
        result,
        f"catalog/tactics/{CHECKPOINTS}.yaml:{number}:{column}: sources.0: unknown source "
        "'nobody-1999-missing'; add it to sources.yaml",
    )


def test_dangling_relationship_target_is_reported(catalog_dir: Path) -> None:
    path = tactic_file(catalog_dir)
    lines = path.read_text(encoding="utf-8").splitlines()
    start = line_of(path, "relationships:")
    number = next(
        i for i, x in enumerate(lines, 1) if i > start and x.strip().startswith("target:")
    )
    indent = lines[number - 1][: len(lines[number - 1]) - len(lines[number - 1].lstrip())]
    lines[number - 1] = f"{indent}target: T99"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    result = validate(catalog_dir)
    assert_reported(
        result,
        f"catalog/tactics/{CHECKPOINTS}.yaml:{number}:{len(indent) + 1}: "
        "relationships.0.target: unknown tactic 'T99'",
    )


def test_non_yaml_file_in_the_tactics_folder_is_an_error(catalog_dir: Path) -> None:
    (catalog_dir / "tactics" / "notes.txt").write_text("draft ideas\n", encoding="utf-8")
    result = validate(catalog_dir)
    assert_reported(
        result,
        "catalog/tactics/notes.txt:1:1: not a tactic file; tactics/ holds only <slug>.yaml files",
    )


def test_file_name_must_equal_slug(catalog_dir: Path) -> None:
    path = tactic_file(catalog_dir)
    path.rename(path.with_name("checkpoints.yaml"))
    result = validate(catalog_dir)
    number = line_of(path.with_name("checkpoints.yaml"), "slug:")
    assert_reported(
        result,
        f"catalog/tactics/checkpoints.yaml:{number}:1: slug: file name must be the slug: "
        f"rename the file to {CHECKPOINTS}.yaml",
    )


def test_unknown_field_is_rejected(catalog_dir: Path) -> None:
    path = tactic_file(catalog_dir)
    with path.open("a", encoding="utf-8") as handle:
        handle.write("colour: green\n")
    number = line_of(path, "colour:")
    result = validate(catalog_dir)
    assert_reported(
        result,
        f"catalog/tactics/{CHECKPOINTS}.yaml:{number}:1: colour: Extra inputs are not permitted",
    )


def test_duplicate_yaml_key_is_not_silently_overwritten(catalog_dir: Path) -> None:
    path = tactic_file(catalog_dir)
    with path.open("a", encoding="utf-8") as handle:
        handle.write("status: draft\n")
    number = line_of(path, "status: draft")
    result = validate(catalog_dir)
    assert_reported(
        result,
        f"catalog/tactics/{CHECKPOINTS}.yaml:{number}:1: status: duplicate key; "
        "the later value would win",
    )


def test_removing_one_paper_tactic_breaks_the_count_of_30(catalog_dir: Path) -> None:
    tactic_file(catalog_dir, "use-power-capping").unlink()
    # Other tactics may link to the removed one; only the count matters here.
    with pytest.raises(CatalogError) as caught:
        load_catalog(catalog_dir)
    messages = [str(p) for p in caught.value.problems]
    assert (
        "catalog/tactics:1:1: origin: the paper has exactly 30 tactics; found 29 with origin: paper"
        in messages
    )


def test_every_problem_is_reported_in_one_run(catalog_dir: Path) -> None:
    replace_line(tactic_file(catalog_dir), "detectability:", "detectability: obvious")
    (catalog_dir / "tactics" / "README.txt").write_text("x\n", encoding="utf-8")
    replace_line(
        tactic_file(catalog_dir, "use-quantization-aware-training"), "summary:", "summary: [x"
    )
    with pytest.raises(CatalogError) as caught:
        load_catalog(catalog_dir)
    files = {p.path for p in caught.value.problems}
    assert files >= {
        f"catalog/tactics/{CHECKPOINTS}.yaml",
        "catalog/tactics/README.txt",
        "catalog/tactics/use-quantization-aware-training.yaml",
    }


def test_description_outside_80_to_250_words_is_rejected(catalog_dir: Path) -> None:
    path = tactic_file(catalog_dir)
    lines = path.read_text(encoding="utf-8").splitlines()
    start = next(i for i, x in enumerate(lines) if x.startswith("description:"))
    end = next(i for i in range(start + 1, len(lines)) if lines[i] and not lines[i][0].isspace())
    lines[start:end] = ["description: Too short to help anyone."]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    result = validate(catalog_dir)
    assert_reported(
        result,
        f"catalog/tactics/{CHECKPOINTS}.yaml:{start + 1}:1: description: Value error, "
        "description has 5 words; write 80 to 250",
    )


def test_yaml_is_loaded_with_a_safe_loader(catalog_dir: Path) -> None:
    path = tactic_file(catalog_dir)
    replace_line(path, "summary:", "summary: !!python/object/apply:os.system ['echo pwned']")
    result = validate(catalog_dir)
    assert result.returncode == 1
    assert "pwned" not in result.stdout
    assert any("malformed YAML" in line for line in result.stderr.splitlines())
