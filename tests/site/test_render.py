"""The page renderer: what each generated page says and where it links, without MkDocs."""

from __future__ import annotations

import dataclasses
import json
import re
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest

from greentactics.catalog import Catalog
from greentactics.lint.settings import load_settings
from greentactics.lint.suppressions import find_suppressions
from greentactics.site import GUIDE_PAGES, SiteData, SiteInputError, render_site
from greentactics.site.chart import energy_chart
from greentactics.site.evidence import NO_EVIDENCE
from greentactics.site.inputs import EvidenceDoc, RuleDoc
from greentactics.site.links import relative
from greentactics.site.render import PLACEHOLDER_MARK
from greentactics.site.rule_pages import configuration_example, suppression_example

LINK = re.compile(r"\]\(([^)\s]+)\)")


def _nav_paths(nav: object) -> set[str]:
    if isinstance(nav, str):
        return {nav}
    if isinstance(nav, dict):
        return set().union(*(_nav_paths(v) for v in nav.values()))
    if isinstance(nav, list):
        return set().union(*(_nav_paths(v) for v in nav)) if nav else set()
    raise TypeError(nav)


def test_every_tactic_category_and_rule_has_a_page_in_the_nav(fixture_data: SiteData) -> None:
    sources = render_site(fixture_data)
    catalog = fixture_data.catalog
    expected = {f"tactics/{t.slug}.md" for t in catalog.tactics}
    expected |= {f"categories/{c.id.value}.md" for c in catalog.categories}
    expected |= {"rules/fixture-training-without-checkpoints.md"}
    assert expected <= set(sources.pages)
    assert expected <= _nav_paths(sources.nav)


def test_tactic_urls_use_the_slug_not_the_category(fixture_data: SiteData) -> None:
    pages = render_site(fixture_data).pages
    assert "tactics/apply-early-stopping.md" in pages
    assert not any(path.startswith("tactics/model-training/") for path in pages)


def test_every_relative_link_points_at_a_generated_or_hand_written_file(
    fixture_data: SiteData,
) -> None:
    hand_written = {"index.md", "contributing.md"}
    sources = render_site(fixture_data)
    known = set(sources.files) | hand_written
    for path, text in sources.pages.items():
        for target in LINK.findall(text):
            if target.startswith(("http://", "https://", "#")):
                continue
            resolved = _resolve(path, target.split("#")[0])
            assert resolved in known, f"{path} links to missing {target}"


def _resolve(page: str, target: str) -> str:
    parts = page.split("/")[:-1]
    for part in target.split("/"):
        if part == "..":
            parts.pop()
        elif part not in ("", "."):
            parts.append(part)
    return "/".join(parts)


def test_tactic_page_shows_the_whole_record(fixture_data: SiteData) -> None:
    page = render_site(fixture_data).pages["tactics/use-checkpoints-during-training.md"]
    assert page.startswith("---\ntags:\n  - Recoverability\n  - Energy efficiency\n---\n")
    assert "# Use checkpoints during training" in page
    assert "**T19** · Save the training state" in page
    assert "[Model training](../categories/model-training.md)" in page
    assert "[Training](../catalog/by-lifecycle-stage.md#training)" in page
    assert "[ML engineer](../catalog/by-role.md#ml-engineer)" in page
    assert page.count('=== "PyTorch"') == 1  # two PyTorch hints share one tab
    assert "load the latest checkpoint" in page
    assert '=== "Keras"' in page
    assert "torch.save(" in page
    # A "|" in a trade-off note must not split the table cell.
    assert "Writing a checkpoint pauses training \\| briefly." in page
    assert "| energy saved after a failure | up to 50% |" in page
    assert "[doi:10.1234/fixture.2020](https://doi.org/10.1234/fixture.2020)" in page
    assert "edit/main/catalog/tactics/use-checkpoints-during-training.yaml" in page


def test_related_tactics_link_both_ways(fixture_data: SiteData) -> None:
    pages = render_site(fixture_data).pages
    stated = pages["tactics/use-checkpoints-during-training.md"]
    derived = pages["tactics/apply-early-stopping.md"]
    assert "- Complements [Apply early stopping](apply-early-stopping.md) (E02)" in stated
    assert (
        "- Complements [Use checkpoints during training](use-checkpoints-during-training.md)"
        in derived
    )


def test_tactic_page_lists_its_rules_with_examples(fixture_data: SiteData) -> None:
    page = render_site(fixture_data).pages["tactics/use-checkpoints-during-training.md"]
    assert (
        "### [GT999 fixture-training-without-checkpoints]"
        "(../rules/fixture-training-without-checkpoints.md)" in page
    )
    assert '???+ failure "Flagged"' in page
    assert '???+ success "Accepted"' in page


def test_rule_page_answers_ruffs_questions_in_order(fixture_data: SiteData) -> None:
    page = render_site(fixture_data).pages["rules/fixture-training-without-checkpoints.md"]
    headings = re.findall(r"^## (.+)$", page, flags=re.MULTILINE)
    assert headings == [
        "What it does",
        "Why is this bad?",
        "Example",
        "Use instead",
        "How to configure or suppress",
        "See also",
    ]
    assert page.startswith("# fixture-training-without-checkpoints (GT999)")
    assert (
        "[Use checkpoints during training](../tactics/use-checkpoints-during-training.md)" in page
    )
    assert "GT999" in page.split("## How to configure or suppress")[1]


def test_measured_evidence_has_a_chart_and_the_ratio_with_its_interval(
    fixture_data: SiteData,
) -> None:
    page = render_site(fixture_data).pages["tactics/apply-early-stopping.md"]
    evidence = page.split("## Measured evidence")[1].split("## Linter rules")[0]
    assert "<svg" in evidence
    assert "0.4x (95% CI 0.35-0.46)" in evidence
    assert "Energy was **estimated**" in evidence
    assert "greentactics/experiments/early_stopping.py" in evidence
    assert "[yes](#measured-evidence)" in page


def test_tactics_without_evidence_say_so(fixture_data: SiteData) -> None:
    page = render_site(fixture_data).pages["tactics/use-computation-partitioning.md"]
    assert NO_EVIDENCE in page.split("## Measured evidence")[1]


def test_without_rules_or_evidence_the_site_still_renders(fixture_catalog: Catalog) -> None:
    sources = render_site(SiteData(catalog=fixture_catalog))
    assert not any(path.startswith("rules/") and path != "rules/index.md" for path in sources.files)
    assert "No rules are registered yet." in sources.pages["rules/index.md"]
    assert NO_EVIDENCE in sources.pages["evidence/index.md"]
    assert "none yet" in sources.pages["tactics/use-checkpoints-during-training.md"]


def test_overview_lists_every_tactic_with_rules_and_evidence(fixture_data: SiteData) -> None:
    page = render_site(fixture_data).pages["catalog/index.md"]
    rows = [line for line in page.splitlines() if line.startswith("| T") or line.startswith("| E")]
    assert [row.split(" | ")[0] for row in rows] == ["| T19", "| T22", "| E02"]
    checkpoints = next(row for row in rows if row.startswith("| T19"))
    assert "[GT999](../rules/fixture-training-without-checkpoints.md)" in checkpoints
    early = next(row for row in rows if row.startswith("| E02"))
    assert early.endswith("[yes](../tactics/apply-early-stopping.md#measured-evidence) |")


def test_browse_pages_group_tactics_by_stage_role_and_quality(fixture_data: SiteData) -> None:
    pages = render_site(fixture_data).pages
    lifecycle = pages["catalog/by-lifecycle-stage.md"]
    training = lifecycle.split("## Training {#training}")[1].split("\n## ")[0]
    assert "Apply early stopping" in training
    assert "Use checkpoints during training" in training
    assert "Use computation partitioning" not in training
    roles = pages["catalog/by-role.md"]
    designer = roles.split("{#software-designer}")[1].split("\n## ")[0]
    assert "Use computation partitioning" in designer
    quality = pages["catalog/by-quality-attribute.md"]
    recoverability = quality.split("{#recoverability}")[1].split("\n## ")[0]
    assert "Targeted by:" in recoverability
    assert "Use checkpoints during training" in recoverability


def test_downloads_are_the_catalog_exports(fixture_data: SiteData) -> None:
    files = render_site(fixture_data).files
    exported = json.loads(files["downloads/catalog.json"])
    assert [t["id"] for t in exported["tactics"]] == ["E02", "T19", "T22"]
    assert files["downloads/catalog.csv"].splitlines()[0].startswith("id,slug,name")
    assert json.loads(files["downloads/catalog.schema.json"])["type"] == "object"


def test_missing_guides_get_a_marked_stand_in_and_written_ones_are_kept(
    fixture_data: SiteData,
) -> None:
    stand_ins = render_site(fixture_data).files
    assert all(PLACEHOLDER_MARK in stand_ins[path] for path in GUIDE_PAGES)
    written = render_site(fixture_data, existing=set(GUIDE_PAGES)).files
    assert not set(GUIDE_PAGES) & set(written)


def test_chart_is_valid_svg_with_one_bar_per_arm_and_a_whisker(
    fixture_evidence: tuple[EvidenceDoc, ...],
) -> None:
    svg = energy_chart(fixture_evidence[0])
    assert "\n" not in svg
    root = ET.fromstring(svg)
    namespace = "{http://www.w3.org/2000/svg}"
    bars = root.findall(f"{namespace}rect")
    assert len(bars) == 2
    baseline, candidate = (float(bar.get("width", "0")) for bar in bars)
    assert candidate / baseline == 0.4
    whisker = root.find(f"{namespace}g")
    assert whisker is not None
    assert len(whisker.findall(f"{namespace}line")) == 3
    assert "120 J" in svg
    assert "48 J" in svg


def test_relative_links_between_pages() -> None:
    assert relative("tactics/a.md", "tactics/b.md") == "b.md"
    assert relative("tactics/a.md", "rules/r.md") == "../rules/r.md"
    assert relative("index.md", "catalog/index.md", "x") == "catalog/index.md#x"


def test_rule_page_configuration_is_what_the_linter_reads(
    fixture_rule: RuleDoc, tmp_path: Path
) -> None:
    config = tmp_path / "pyproject.toml"
    config.write_text(configuration_example(fixture_rule), encoding="utf-8")
    settings = load_settings(config, cwd=tmp_path)
    assert fixture_rule.code in settings.ignore
    assert settings.per_file_ignores == {"notebooks/**": (fixture_rule.code,)}
    assert settings.severity == {fixture_rule.code: "error"}


def test_rule_page_suppression_comments_are_what_the_linter_reads(fixture_rule: RuleDoc) -> None:
    aliases = {fixture_rule.code.lower(): fixture_rule.code, fixture_rule.name: fixture_rule.code}
    found = find_suppressions(suppression_example(fixture_rule), aliases)
    assert [(s.rules, s.file_level) for s in found.items] == [
        ((fixture_rule.code,), False),
        ((fixture_rule.code,), False),
        ((fixture_rule.code,), True),
    ]
    assert found.suppresses(fixture_rule.code, 1)
    assert found.suppresses(fixture_rule.code, 4)


def test_evidence_page_lists_each_experiment_and_how_it_was_measured(
    fixture_data: SiteData,
) -> None:
    page = render_site(fixture_data).pages["evidence/index.md"]
    row = next(line for line in page.splitlines() if "Early stopping on a small MLP" in line)
    assert "[Apply early stopping](../tactics/apply-early-stopping.md#measured-evidence)" in row
    assert "0.4x (95% CI 0.35-0.46)" in row
    measured = page.split("## How it was measured")[1]
    assert "2026-12-04, cpu on Fixture CPU 2-core, Linux, 5 repeats per arm." in measured
    assert "No RAPL access" in measured


def test_a_rule_or_experiment_for_an_unknown_tactic_is_an_error(
    fixture_data: SiteData, fixture_rule: RuleDoc
) -> None:
    stray = dataclasses.replace(fixture_rule, code="GT998", tactic="no-such-tactic")
    broken = dataclasses.replace(fixture_data, rules=(*fixture_data.rules, stray))
    with pytest.raises(SiteInputError, match="rule GT998 checks unknown tactic 'no-such-tactic'"):
        render_site(broken)
