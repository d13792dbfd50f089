"""Linter output names tactics exactly as the catalog does; shipped rules serve real tactics."""

from __future__ import annotations

import pytest

from greentactics.catalog import load_catalog
from greentactics.lint.commands import available_rules
from greentactics.lint.tactics import tactic_ref
from tests.lint.sample_rules import SAMPLE_RULES

CATALOG = load_catalog()


@pytest.mark.parametrize("tactic", CATALOG.tactics, ids=lambda tactic: tactic.slug)
def test_fast_tactic_lookup_agrees_with_the_catalog(tactic: object) -> None:
    ref = tactic_ref(tactic.slug)  # type: ignore[attr-defined]
    assert (ref.id, ref.name) == (tactic.id, tactic.name)  # type: ignore[attr-defined]
    assert ref.url.endswith(f"/tactics/{tactic.slug}/")  # type: ignore[attr-defined]


@pytest.mark.parametrize(
    "rule", (*available_rules(), *SAMPLE_RULES), ids=lambda rule: f"{rule.code}-{rule.name}"
)
def test_every_rule_serves_a_catalog_tactic(rule: type) -> None:
    assert rule.tactic in CATALOG.by_slug  # type: ignore[attr-defined]


def test_rule_codes_and_names_are_unique() -> None:
    rules = available_rules()
    assert len({rule.code for rule in rules}) == len(rules)
    assert len({rule.name for rule in rules}) == len(rules)
