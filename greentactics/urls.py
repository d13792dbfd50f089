"""Public addresses of the docs site; a stdlib-only module so fast paths (lint) can import it."""

from __future__ import annotations

SITE_URL = "https://greentactics.github.io/greentactics/"


def tactic_url(slug: str) -> str:
    """The docs page of a tactic (URLs use the stable slug, never the category)."""
    return f"{SITE_URL}tactics/{slug}/"


def rule_url(rule_name: str) -> str:
    """The docs page of a linter rule."""
    return f"{SITE_URL}rules/{rule_name}/"
