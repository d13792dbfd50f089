"""Every rule's embedded VALID/INVALID examples, run through the engine's checker."""

from __future__ import annotations

import pytest

from greentactics.lint.rule import Rule, rule_definition_problems
from greentactics.lint.rules import ALL_RULES, rule_by_code_or_name
from greentactics.lint.testing import example_problems


@pytest.mark.parametrize("rule", ALL_RULES, ids=lambda rule: rule.code)
def test_rule_examples_behave_as_documented(rule: type[Rule]) -> None:
    assert example_problems(rule) == []


@pytest.mark.parametrize("rule", ALL_RULES, ids=lambda rule: rule.code)
def test_rule_is_well_formed(rule: type[Rule]) -> None:
    assert rule_definition_problems(rule) == []
    assert len(rule.VALID) >= 4
    assert len(rule.INVALID) >= 4


def test_rules_are_found_by_code_and_by_name() -> None:
    assert rule_by_code_or_name("gt403").name == "grad-enabled-inference"
    assert rule_by_code_or_name("training-without-checkpoints").code == "GT401"
    with pytest.raises(KeyError):
        rule_by_code_or_name("GT999")


def test_rules_name_catalog_tactics_and_stay_in_code_order() -> None:
    from greentactics.catalog import load_catalog

    catalog = load_catalog()
    for rule in ALL_RULES:
        assert catalog.get(rule.tactic).slug == rule.tactic
    assert [rule.code for rule in ALL_RULES] == sorted(rule.code for rule in ALL_RULES)
    assert len(ALL_RULES) == 15
