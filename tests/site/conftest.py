"""Fixtures for the site tests: a small fixture catalog, fixture evidence and the built site."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from greentactics.catalog import Catalog
from greentactics.catalog.model import CategoryInfo, Source, Tactic
from greentactics.experiments.results import load_all_evidence
from greentactics.site import CodeExample, EvidenceDoc, RuleDoc, SiteData, evidence_docs

FIXTURES = Path(__file__).parent / "fixtures"
REPO_ROOT = Path(__file__).resolve().parents[2]


def _records(path: Path) -> list[dict[str, object]]:
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    assert isinstance(data, list)
    return data


@pytest.fixture(scope="session")
def fixture_catalog() -> Catalog:
    """Three tactics with a relationship, a literature figure and a `|` inside a table cell.

    The loader insists on the paper's 30 tactics, so the records are validated one by one with
    the same pydantic models and assembled into a Catalog directly.
    """
    root = FIXTURES / "catalog"
    tactics = sorted(
        (
            Tactic.model_validate(yaml.safe_load(path.read_text(encoding="utf-8")))
            for path in (root / "tactics").glob("*.yaml")
        ),
        key=lambda tactic: tactic.id,
    )
    return Catalog(
        tactics=tuple(tactics),
        categories=tuple(
            CategoryInfo.model_validate(r) for r in _records(root / "categories.yaml")
        ),
        sources=tuple(Source.model_validate(r) for r in _records(root / "sources.yaml")),
        root=root,
    )


@pytest.fixture(scope="session")
def fixture_evidence() -> tuple[EvidenceDoc, ...]:
    """One experiment (early stopping), read through the experiments' own loader."""
    return tuple(evidence_docs(load_all_evidence(FIXTURES / "evidence")))


@pytest.fixture(scope="session")
def fixture_rule() -> RuleDoc:
    """A rule record as the site reads it from a lint rule class."""
    return RuleDoc(
        code="GT999",
        name="fixture-training-without-checkpoints",
        tactic="use-checkpoints-during-training",
        severity="warning",
        message="Save checkpoints during training so a failed run can resume.",
        fix_safety=None,
        enabled_by_default=True,
        rationale="A crash late in training wastes **all** the energy spent so far.",
        invalid=(CodeExample(code="for epoch in range(10):\n    train_one_epoch(model)"),),
        valid=(
            CodeExample(
                code="for epoch in range(10):\n    train_one_epoch(model)\n    save(model)"
            ),
        ),
    )


@pytest.fixture(scope="session")
def fixture_data(
    fixture_catalog: Catalog, fixture_rule: RuleDoc, fixture_evidence: tuple[EvidenceDoc, ...]
) -> SiteData:
    """Catalog, one rule and one experiment."""
    return SiteData(catalog=fixture_catalog, rules=(fixture_rule,), evidence=fixture_evidence)


@pytest.fixture(scope="session")
def built_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The real site (shipped catalog, registered rules, committed evidence), built strictly."""
    out = tmp_path_factory.mktemp("site") / "html"
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1"}
    result = subprocess.run(
        [sys.executable, "-m", "mkdocs", "build", "--strict", "--site-dir", str(out)],
        cwd=REPO_ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, f"mkdocs build --strict failed:\n{result.stderr[-4000:]}"
    return out
