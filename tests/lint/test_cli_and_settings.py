"""Running ``greentactics lint`` on the sample project: discovery, settings, exit codes."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

from greentactics.lint.discovery import FileFinder
from greentactics.lint.settings import load_settings
from tests.lint.conftest import RunLint


def test_project_findings_honour_config_suppressions_gitignore_and_excludes(
    run_lint: RunLint, project: Path
) -> None:
    result = run_lint("--no-cache", "--format", "json", cwd=project)
    assert result.exit_code == 1
    found = {(f["path"], f["cell"], f["line"], f["code"]) for f in result.json()["findings"]}
    assert found == {
        ("explore.ipynb", 3, 2, "GT903"),
        ("explore.ipynb", 3, 3, "GT901"),
        ("src/train.py", None, 16, "GT904"),
        ("src/train.py", None, 24, "GT903"),
    }


def test_text_output_has_header_frame_links_and_summary(run_lint: RunLint, project: Path) -> None:
    result = run_lint("--no-cache", "src/train.py", cwd=project)
    lines = result.stdout.splitlines()
    assert (
        "src/train.py:24:31: GT903 `torch.float64` tensor; use `torch.float32`. "
        "[Use Input Quantization]"
    ) in lines
    frame = lines.index("24 | weights = torch.ones(3, dtype=torch.float64)  # reference weights")
    assert lines[frame + 1] == "   |                               " + "^" * 13
    assert (
        "   = tactic: https://greentactics.github.io/greentactics/tactics/use-input-quantization/"
        in lines
    )
    assert lines[-1] == (
        "Found 2 finding(s) (1 warning, 1 info) in 1 of 1 file(s). 1 fixable with --fix. "
        "1 more with --fix --unsafe-fixes."
    )


def test_clean_run_exits_zero(run_lint: RunLint, project: Path) -> None:
    result = run_lint("--no-cache", "src/evaluate.py", cwd=project)
    assert result.exit_code == 0
    assert result.stdout.strip() == "All checks passed (1 file(s) checked)."


def test_fail_on_and_severity_overrides_decide_the_exit_code(
    run_lint: RunLint, project: Path
) -> None:
    assert run_lint("--no-cache", "--fail-on", "error", cwd=project).exit_code == 0
    raised = run_lint("--no-cache", "--fail-on", "error", "--severity", "GT903=error", cwd=project)
    assert raised.exit_code == 1
    assert "GT903" in raised.stdout


def test_cli_selection_overrides_config(run_lint: RunLint, project: Path) -> None:
    only = run_lint("--no-cache", "--format", "json", "--select", "GT904", cwd=project)
    assert {f["code"] for f in only.json()["findings"]} == {"GT904"}
    ignored = run_lint("--no-cache", "--format", "json", "--ignore", "GT90", cwd=project)
    assert ignored.json()["findings"] == []
    more_specific = run_lint(
        "--no-cache", "--format", "json", "--select", "GT903", "--ignore", "GT9", cwd=project
    )
    assert {f["code"] for f in more_specific.json()["findings"]} == {"GT903"}


def test_select_all_turns_on_opt_in_rules_and_unknown_selectors_are_errors(
    run_lint: RunLint, project: Path
) -> None:
    (project / "pyproject.toml").write_text("[tool.greentactics]\nselect = ['GT999X']\n")
    result = run_lint("--no-cache", cwd=project)
    assert result.exit_code == 2
    assert "'GT999X' matches no rule" in result.stderr


def test_unknown_config_key_names_file_and_key(run_lint: RunLint, project: Path) -> None:
    config = project / "pyproject.toml"
    config.write_text(config.read_text() + "\n[tool.greentactics.formatter]\nx = 1\n")
    result = run_lint("--no-cache", cwd=project)
    assert result.exit_code == 2
    assert str(config) in result.stderr
    assert "unknown key 'formatter'" in result.stderr


def test_config_is_found_by_walking_up_and_shown_resolved(run_lint: RunLint, project: Path) -> None:
    result = run_lint("--show-settings", "src", cwd=project / "src")
    settings = json.loads(result.stdout)
    assert result.exit_code == 0
    assert settings["config-file"] == str(project / "pyproject.toml")
    assert settings["select"] == ["ALL"]
    assert settings["per-file-ignores"] == {"scripts/*.py": ["GT903"]}
    assert "GT902 sample-training-without-checkpoints" not in settings["enabled-rules"]
    assert "GT904 sample-zero-grad-keeps-tensors" in settings["enabled-rules"]


def test_stdin_is_linted_as_the_given_filename(run_lint: RunLint, project: Path) -> None:
    code = "import torch\nx = torch.ones(2, dtype=torch.float64)\n"
    result = run_lint(
        "-", "--stdin-filename", "src/new.py", "--format", "json", cwd=project, stdin=code
    )
    (finding,) = result.json()["findings"]
    assert (finding["path"], finding["line"], finding["code"]) == ("src/new.py", 2, "GT903")
    ignored = run_lint("-", "--stdin-filename", "scripts/new.py", cwd=project, stdin=code)
    assert ignored.exit_code == 0


def test_missing_path_is_a_diagnostic_and_the_run_goes_on(run_lint: RunLint, project: Path) -> None:
    result = run_lint("--no-cache", "--format", "json", "nope.py", "src/train.py", cwd=project)
    codes = [(f["path"], f["code"]) for f in result.json()["findings"]]
    assert ("nope.py", "GT002") in codes
    assert ("src/train.py", "GT903") in codes


def test_symlink_loops_end_and_files_are_linted_once(run_lint: RunLint, project: Path) -> None:
    (project / "src" / "loop").symlink_to(project / "src", target_is_directory=True)
    (project / "src" / "dangling.py").symlink_to(project / "missing.py")
    result = run_lint("--no-cache", "--format", "json", "src", cwd=project)
    assert result.json()["summary"]["files"] == 2


def test_force_exclude_applies_excludes_to_named_files(run_lint: RunLint, project: Path) -> None:
    named = run_lint("--no-cache", "--format", "json", "generated/big.py", cwd=project)
    assert named.json()["summary"]["files"] == 1
    forced = run_lint(
        "--no-cache", "--format", "json", "--force-exclude", "generated/big.py", cwd=project
    )
    assert forced.json()["summary"]["files"] == 0


def test_real_cli_entry_point_without_traceback(tmp_path: Path) -> None:
    (tmp_path / "pyproject.toml").write_text("[tool.greentactics]\nfail-on = 'sometimes'\n")
    completed = subprocess.run(
        [sys.executable, "-m", "greentactics", "lint", "."],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        check=False,
    )
    assert completed.returncode == 2
    assert "Traceback" not in completed.stderr
    assert "fail-on: expected one of error, warning, info" in completed.stderr


def test_nested_gitignore_files_decide_as_git_does(run_lint: RunLint, tmp_path: Path) -> None:
    layout = {
        ".gitignore": "*_gen.py\ndata/\nscratch.py\n",
        "sub/.gitignore": "!keep_gen.py\nlocal.py\n",
        "sub/deeper/.gitignore": "!local.py\n!scratch.py\n",
        "sub/deeper/local.py": "",
        "sub/deeper/scratch.py": "",
        "sub/deeper/other_gen.py": "",
        "sub/keep_gen.py": "",
        "sub/drop_gen.py": "",
        "sub/local.py": "",
        "data/.gitignore": "!inside.py\n",
        "data/inside.py": "",
        "scratch.py": "",
        "main.py": "",
    }
    for name, text in layout.items():
        (tmp_path / name).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / name).write_text(text)
    subprocess.run(["git", "init", "-q", str(tmp_path)], check=True)
    listed = subprocess.run(
        ["git", "ls-files", "--others", "--exclude-standard", "--", "*.py"],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        check=True,
    ).stdout.split()
    assert "sub/deeper/local.py" in listed and "data/inside.py" not in listed
    found = FileFinder(load_settings(None, cwd=tmp_path), tmp_path).discover([tmp_path])
    assert sorted(item.display for item in found.files) == sorted(listed)
    result = run_lint("--no-cache", "--format", "json", cwd=tmp_path)
    assert result.json()["summary"]["files"] == len(listed)


def test_statistics_count_findings_per_rule(run_lint: RunLint, project: Path) -> None:
    result = run_lint("--no-cache", "--statistics", cwd=project)
    assert result.exit_code == 1
    lines = result.stdout.splitlines()
    assert lines[0].split() == ["2", "GT903", "sample-float64-tensors"]
    assert sorted(line.split()[1] for line in lines[1:3]) == ["GT901", "GT904"]
    assert lines[3].startswith("Found 4 finding(s)")
    assert run_lint("--statistics", "--format", "json", cwd=project).exit_code == 2


def test_exit_zero_reports_findings_but_does_not_fail(run_lint: RunLint, project: Path) -> None:
    result = run_lint("--no-cache", "--format", "json", "--exit-zero", cwd=project)
    assert result.exit_code == 0
    assert result.json()["summary"]["findings"] == 4
    assert run_lint("--exit-zero", "--select", "NOPE", cwd=project).exit_code == 2
