"""Suppression comments and notebook locations."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

from greentactics.lint.source import notebook_to_python
from tests.lint.conftest import RunLint

FLOAT64 = "x = torch.ones(2, dtype=torch.float64)"


def _codes_and_lines(result: object) -> list[tuple[int, str]]:
    findings = result.json()["findings"]  # type: ignore[attr-defined]
    return [(finding["line"], finding["code"]) for finding in findings]


def test_line_and_line_above_suppressions_by_code_or_name(
    run_lint: RunLint, tmp_path: Path
) -> None:
    (tmp_path / "a.py").write_text(
        "import torch\n"
        f"{FLOAT64}  # greentactics: ignore[GT903]\n"
        "# greentactics: ignore[Sample-Float64-Tensors]\n"
        f"{FLOAT64}\n"
        f"{FLOAT64}  # greentactics: ignore[GT901]\n"
        f"{FLOAT64}  # greentactics: ignore\n"
        f"s = '# greentactics: ignore[GT903]'; {FLOAT64}\n"
    )
    result = run_lint("--no-cache", "--format", "json", cwd=tmp_path)
    assert _codes_and_lines(result) == [(5, "GT903"), (7, "GT903")]


def test_file_level_suppression(run_lint: RunLint, tmp_path: Path) -> None:
    (tmp_path / "a.py").write_text(
        f"# greentactics: ignore-file[GT903]\nimport torch\n{FLOAT64}\nmodel.eval()\n"
    )
    result = run_lint("--no-cache", "--format", "json", cwd=tmp_path)
    assert _codes_and_lines(result) == [(4, "GT901")]


def test_unused_suppressions_are_reported_on_request(run_lint: RunLint, tmp_path: Path) -> None:
    (tmp_path / "a.py").write_text(
        "import torch\n"
        f"{FLOAT64}  # greentactics: ignore[GT903]\n"
        "y = 1  # greentactics: ignore[GT903]\n"
        "z = 2  # greentactics: ignore[no-such-rule]\n"
    )
    quiet = run_lint("--no-cache", "--format", "json", cwd=tmp_path)
    assert _codes_and_lines(quiet) == []
    loud = run_lint("--no-cache", "--format", "json", "--report-unused-suppressions", cwd=tmp_path)
    findings = loud.json()["findings"]
    assert [(f["line"], f["code"], f["column"]) for f in findings] == [
        (3, "GT004", 8),
        (4, "GT004", 8),
    ]
    assert findings[0]["message"] == "unused suppression of GT903: no such finding here"
    assert findings[1]["message"] == "suppression names an unknown rule 'no-such-rule'"
    assert loud.exit_code == 1


def test_notebook_findings_report_cell_index_among_all_cells(
    run_lint: RunLint, project: Path
) -> None:
    result = run_lint("--no-cache", "--format", "json", "explore.ipynb", cwd=project)
    findings = result.json()["findings"]
    assert [(f["cell"], f["line"], f["column"], f["code"]) for f in findings] == [
        (3, 2, 26, "GT903"),
        (3, 3, 1, "GT901"),
    ]
    assert all(f["fix"] is None for f in findings)  # notebooks are never rewritten
    text = run_lint("--no-cache", "explore.ipynb", cwd=project)
    assert "explore.ipynb:cell 3:2:26: GT903" in text.stdout
    assert "2 | x = torch.zeros(2, dtype=torch.float64)" in text.stdout


def test_suppression_inside_a_notebook_cell(run_lint: RunLint, tmp_path: Path) -> None:
    cells = [
        {
            "cell_type": "code",
            "metadata": {},
            "outputs": [],
            "execution_count": None,
            "source": ["import torch\n"],
        },
        {
            "cell_type": "code",
            "metadata": {},
            "outputs": [],
            "execution_count": None,
            "source": ["model.eval()  # greentactics: ignore[GT901]\n", "model.eval()\n"],
        },
    ]
    notebook = {"cells": cells, "metadata": {}, "nbformat": 4, "nbformat_minor": 5}
    (tmp_path / "n.ipynb").write_text(json.dumps(notebook))
    result = run_lint("--no-cache", "--format", "json", cwd=tmp_path)
    assert [(f["cell"], f["line"]) for f in result.json()["findings"]] == [(1, 2)]


NOTEBOOKS = Path(__file__).resolve().parents[1] / "fixtures" / "lint" / "notebooks"


def test_magics_alone_in_a_block_and_continued_shell_lines_still_parse(
    run_lint: RunLint, tmp_path: Path
) -> None:
    shutil.copy(NOTEBOOKS / "colab_magics.ipynb", tmp_path)
    result = run_lint("--no-cache", "--format", "json", "colab_magics.ipynb", cwd=tmp_path)
    findings = result.json()["findings"]
    # No GT001: `%pip` alone under `if` and `!echo` alone in a loop keep their blocks valid, and
    # the backslash-continued `!python` lines are not read as code. Lines stay cell-relative.
    assert [(f["cell"], f["line"], f["column"], f["code"]) for f in findings] == [
        (2, 4, 25, "GT903"),
        (3, 4, 1, "GT901"),
    ]


def test_magic_alone_in_a_block_becomes_pass_at_its_indentation() -> None:
    data = (NOTEBOOKS / "colab_magics.ipynb").read_bytes()
    lines = notebook_to_python(data).text.splitlines()
    assert lines[4] == "    pass  # %pip install -q torchvision"
    assert lines[5:8] == ["# !python train.py \\", "    # --epochs 3 \\", "    # --lr 0.1"]
    assert lines[10:12] == ["    pass  # !echo seed \\", "        # $seed"]


def test_a_magic_beside_code_in_its_block_stays_a_comment() -> None:
    cell = {"cell_type": "code", "source": ["for i in x:\n", "    y = i\n", "    %time f(i)\n"]}
    notebook = json.dumps({"cells": [cell], "metadata": {}, "nbformat": 4, "nbformat_minor": 5})
    text = notebook_to_python(notebook.encode()).text
    assert text == "for i in x:\n    y = i\n    # %time f(i)\n"
