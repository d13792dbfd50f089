"""Where each generated page lives, and relative Markdown links between pages.

Tactic and rule pages are addressed by their stable slug or rule name, never by category, so
re-categorising a tactic breaks no link. The paths match ``greentactics.urls``.
"""

from __future__ import annotations

import posixpath

CATALOG_PAGE = "catalog/index.md"
LIFECYCLE_PAGE = "catalog/by-lifecycle-stage.md"
ROLE_PAGE = "catalog/by-role.md"
QUALITY_PAGE = "catalog/by-quality-attribute.md"
TAGS_PAGE = "catalog/tags.md"
RULES_PAGE = "rules/index.md"
EVIDENCE_PAGE = "evidence/index.md"
DOWNLOADS_PAGE = "downloads/index.md"
CATALOG_JSON = "downloads/catalog.json"
CATALOG_CSV = "downloads/catalog.csv"
CATALOG_SCHEMA = "downloads/catalog.schema.json"
CONTRIBUTING_PAGE = "contributing.md"
HOME_PAGE = "index.md"

REPOSITORY_URL = "https://github.com/greentactics/greentactics"


def tactic_page(slug: str) -> str:
    """The page of one tactic."""
    return f"tactics/{slug}.md"


def category_page(category: str) -> str:
    """The page of one category."""
    return f"categories/{category}.md"


def rule_page(name: str) -> str:
    """The page of one linter rule."""
    return f"rules/{name}.md"


def relative(from_page: str, to_page: str, anchor: str | None = None) -> str:
    """A link from one docs-relative page to another, as MkDocs resolves Markdown links."""
    target = posixpath.relpath(to_page, posixpath.dirname(from_page) or ".")
    return f"{target}#{anchor}" if anchor else target


def source_url(path: str) -> str:
    """A file of the repository on GitHub."""
    return f"{REPOSITORY_URL}/blob/main/{path}"


def edit_url(path: str) -> str:
    """GitHub's editor for a file of the repository."""
    return f"{REPOSITORY_URL}/edit/main/{path}"
