"""The shipped catalog: every real file loads, the paper's 30 are exact, extensions are marked."""

from __future__ import annotations

from collections import Counter
from pathlib import Path

import pytest
import yaml

from greentactics.catalog import Catalog, load_catalog
from greentactics.catalog.model import Category, Origin, Tactic

REPO_ROOT = Path(__file__).resolve().parents[2]
TACTIC_FILES = sorted((REPO_ROOT / "catalog" / "tactics").glob("*.yaml"))
FACTS = REPO_ROOT.parent / "shared" / "reference" / "tactics-facts.yaml"


@pytest.fixture(scope="module")
def catalog() -> Catalog:
    return load_catalog(REPO_ROOT / "catalog")


@pytest.mark.parametrize("path", TACTIC_FILES, ids=lambda p: p.stem)
def test_every_tactic_file_validates_on_its_own(path: Path) -> None:
    tactic = Tactic.model_validate(yaml.safe_load(path.read_text(encoding="utf-8")))
    assert tactic.slug == path.stem


def test_shipped_catalog_has_the_papers_30_tactics_and_marked_extensions(catalog: Catalog) -> None:
    assert len(catalog.paper_tactics) == 30
    extension_slugs = {t.slug for t in catalog.extensions}
    assert {"use-mixed-precision-training", "apply-early-stopping"} <= extension_slugs
    assert all(t.id.startswith("E") for t in catalog.extensions)


def test_paper_tactics_per_category_are_5_6_6_3_7_3(catalog: Catalog) -> None:
    counts = Counter(t.category for t in catalog.paper_tactics)
    assert [counts[c] for c in Category] == [5, 6, 6, 3, 7, 3]


@pytest.mark.skipif(not FACTS.is_file(), reason="reference facts are not beside the checkout")
def test_names_and_categories_match_the_authors_archive(catalog: Catalog) -> None:
    facts = yaml.safe_load(FACTS.read_text(encoding="utf-8"))
    expected = {f["slug"]: (f["name"].strip().lower(), f["category"]) for f in facts}
    actual = {
        t.slug: (t.name.strip().lower(), t.category.value)
        for t in catalog.tactics
        if t.origin is Origin.PAPER
    }
    assert actual == expected


def test_lookup_by_id_and_slug_returns_the_same_tactic(catalog: Catalog) -> None:
    by_id = catalog.get("T19")
    assert by_id is catalog.get("use-checkpoints-during-training")
    assert catalog.get("t19") is by_id
    with pytest.raises(KeyError):
        catalog.get("no-such-tactic")


def test_every_relationship_and_source_resolves(catalog: Catalog) -> None:
    for tactic in catalog.tactics:
        for relation in catalog.relationships_of(tactic):
            assert relation.target in catalog.by_id
        for source_id in tactic.sources:
            assert catalog.source(source_id).link.startswith("https://")


def test_derived_relationships_add_the_inverse_of_asymmetric_links(catalog: Catalog) -> None:
    asymmetric = [
        (tactic, relation)
        for tactic in catalog.tactics
        for relation in tactic.relationships
        if not relation.kind.symmetric
    ]
    assert asymmetric, "the catalog states at least one requires/enables or specializes link"
    for tactic, relation in asymmetric:
        back = catalog.relationships_of(catalog.by_id[relation.target])
        assert any(r.target == tactic.id and r.kind is relation.kind.inverse for r in back)


def test_archive_corrections_are_noted_in_the_data(catalog: Catalog) -> None:
    noted = [s for s in catalog.sources if s.note] + [t for t in catalog.tactics if t.notes]
    assert noted, "the DOI corrections to the authors' archive are recorded in note fields"
