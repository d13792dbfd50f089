"""The real site: `mkdocs build --strict` over the shipped catalog, rules and evidence."""

from __future__ import annotations

import json
import re
from pathlib import Path

import jsonschema

from greentactics.catalog import load_catalog
from greentactics.experiments.results import load_all_evidence
from greentactics.site import GUIDE_PAGES
from greentactics.site.render import PLACEHOLDER_MARK

REPO_ROOT = Path(__file__).resolve().parents[2]
# src/href attributes that load something (as opposed to <a href> links a reader may follow).
LOADING_ATTRIBUTE = re.compile(
    r"<(?:script|img|iframe|source|video|audio|embed)\b[^>]*\bsrc=\"(?P<src>[^\"]+)\""
    r"|<link\b(?![^>]*rel=\"canonical\")[^>]*\bhref=\"(?P<href>[^\"]+)\""
)


def test_every_tactic_category_and_rule_has_its_page(built_site: Path) -> None:
    from greentactics.lint.rules import ALL_RULES

    catalog = load_catalog()
    assert len(catalog.tactics) >= 30
    for tactic in catalog.tactics:
        page = built_site / "tactics" / tactic.slug / "index.html"
        assert page.is_file(), f"no page for {tactic.id} {tactic.slug}"
        assert tactic.name in page.read_text(encoding="utf-8")
    for category in catalog.categories:
        assert (built_site / "categories" / category.id.value / "index.html").is_file()
    assert ALL_RULES, "no lint rules are registered"
    for rule in ALL_RULES:
        page = built_site / "rules" / rule.name / "index.html"
        assert page.is_file(), f"no page for rule {rule.code} {rule.name}"
        assert rule.code in page.read_text(encoding="utf-8")


def test_every_committed_experiment_appears_on_its_tactic_page(built_site: Path) -> None:
    experiments = [e for result in load_all_evidence(REPO_ROOT) for e in result.experiments]
    assert experiments, "evidence/ holds no experiment results"
    for experiment in experiments:
        page = (built_site / "tactics" / experiment.tactic / "index.html").read_text("utf-8")
        assert experiment.title in page
        assert "<svg" in page


def test_guides_are_the_hand_written_ones(built_site: Path) -> None:
    for path in GUIDE_PAGES:
        assert (REPO_ROOT / "site" / path).is_file(), f"site/{path} is missing"
        html = built_site / path.removesuffix(".md") / "index.html"
        assert PLACEHOLDER_MARK not in html.read_text(encoding="utf-8")


def test_downloads_validate_against_the_published_schema(built_site: Path) -> None:
    downloads = built_site / "downloads"
    catalog = json.loads((downloads / "catalog.json").read_text(encoding="utf-8"))
    schema = json.loads((downloads / "catalog.schema.json").read_text(encoding="utf-8"))
    jsonschema.validate(catalog, schema)
    rows = (downloads / "catalog.csv").read_text(encoding="utf-8").splitlines()
    assert len(rows) == 1 + len(catalog["tactics"])


def test_no_page_loads_anything_from_another_host(built_site: Path) -> None:
    for page in built_site.rglob("*.html"):
        for match in LOADING_ATTRIBUTE.finditer(page.read_text(encoding="utf-8")):
            url = match.group("src") or match.group("href")
            assert not re.match(r"^(https?:)?//", url), f"{page} loads {url}"


def test_search_index_covers_every_tactic(built_site: Path) -> None:
    index = json.loads((built_site / "search" / "search_index.json").read_text("utf-8"))
    locations = {doc["location"] for doc in index["docs"]}
    for tactic in load_catalog().tactics:
        assert f"tactics/{tactic.slug}/" in locations
