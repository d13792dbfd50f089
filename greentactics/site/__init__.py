"""The docs site's page renderer: catalog, lint rules and evidence in, Markdown pages out.

The functions here know nothing of MkDocs; ``site/hooks/catalog.py`` hands their output to
MkDocs, and another static-site generator could take it just as well.
"""

from __future__ import annotations

from greentactics.site.inputs import (
    Arm,
    CodeExample,
    EvidenceDoc,
    RuleDoc,
    SiteData,
    SiteInputError,
    evidence_docs,
    load_evidence_docs,
    load_rule_docs,
    rule_doc,
)
from greentactics.site.render import GUIDE_PAGES, Nav, SiteSources, render_site

__all__ = [
    "GUIDE_PAGES",
    "Arm",
    "CodeExample",
    "EvidenceDoc",
    "Nav",
    "RuleDoc",
    "SiteData",
    "SiteInputError",
    "SiteSources",
    "evidence_docs",
    "load_evidence_docs",
    "load_rule_docs",
    "render_site",
    "rule_doc",
]
