"""The rule API, exercised through the sample rules every rule author can read."""

from __future__ import annotations

import pytest

from greentactics.lint.rule import Rule, rule_definition_problems
from greentactics.lint.testing import example_problems, run_example
from tests.lint.sample_rules import SAMPLE_RULES, Float64Tensors


@pytest.mark.parametrize("rule", SAMPLE_RULES, ids=lambda rule: rule.code)
def test_sample_rule_is_well_formed_and_its_examples_hold(rule: type[Rule]) -> None:
    assert rule_definition_problems(rule) == []
    assert example_problems(rule) == []


def test_fix_keeps_comments_and_reports_a_minimal_edit() -> None:
    outcome = run_example(Float64Tensors, Float64Tensors.INVALID[0])
    (finding,) = outcome.findings
    assert finding.fix is not None
    (edit,) = finding.fix.edits
    assert (edit.line, edit.column, edit.content) == (2, 29, "32")
    assert outcome.fixed == "import torch as t\nx = t.zeros(3, dtype=t.float32)  # keep me\n"
