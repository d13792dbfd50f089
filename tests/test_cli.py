"""The command-line entry point: version, help, error mapping and `python -m greentactics`."""

from __future__ import annotations

import subprocess
import sys

import pytest

from greentactics import __version__
from greentactics.cli import build_parser, main


def test_module_entry_point_prints_the_version() -> None:
    result = subprocess.run(
        [sys.executable, "-m", "greentactics", "--version"],
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0
    assert result.stdout.strip() == f"greentactics {__version__}"


def test_every_tool_registers_its_command() -> None:
    help_text = build_parser().format_help()
    for command in ("catalog", "lint", "scan", "energy", "experiment"):
        assert command in help_text


def test_no_command_prints_help_and_exits_2(capsys: pytest.CaptureFixture[str]) -> None:
    assert main([]) == 2
    assert "usage: greentactics" in capsys.readouterr().out


def test_user_errors_become_one_line_without_traceback() -> None:
    result = subprocess.run(
        [sys.executable, "-m", "greentactics", "catalog", "validate", "/nonexistent/catalog"],
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 1
    assert "Traceback" not in result.stderr
    assert "/nonexistent/catalog:1:1: catalog folder not found" in result.stderr
