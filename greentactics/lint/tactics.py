"""Tactic names and IDs for linter output, read straight from the catalog's YAML files.

The text, JSON and SARIF reports name the tactic a rule serves. Loading the full catalog
(pydantic models, validation) costs more start-up than a pre-commit run on a few files should
pay, so this reads only the top-level ``id:`` and ``name:`` lines of each tactic file (about a
millisecond for all of them); the test suite checks the result against ``load_catalog``.
"""

from __future__ import annotations

import importlib.resources
import re
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from greentactics.urls import SITE_URL, tactic_url

_TOP_LEVEL = re.compile(r"^(id|name):[ \t]*(.+?)[ \t]*$", re.MULTILINE)


@dataclass(frozen=True)
class TacticRef:
    """What a report says about a tactic."""

    slug: str
    id: str | None
    name: str
    url: str


def catalog_tactics_dir() -> Path:
    """The shipped catalog's tactics folder (inside the wheel, or the repository's)."""
    packaged = Path(str(importlib.resources.files("greentactics"))) / "_catalog" / "tactics"
    if packaged.is_dir():
        return packaged
    return Path(__file__).resolve().parents[2] / "catalog" / "tactics"


@cache
def tactic_ref(slug: str) -> TacticRef:
    """Look a tactic up by slug; an unknown slug still gives a usable reference."""
    path = catalog_tactics_dir() / f"{slug}.yaml"
    fields: dict[str, str] = {}
    try:
        text = path.read_text(encoding="utf-8")
    except OSError:
        text = ""
    for key, value in _TOP_LEVEL.findall(text):
        fields.setdefault(key, _unquote(value))
    name = fields.get("name") or slug.replace("-", " ").capitalize()
    return TacticRef(slug=slug, id=fields.get("id"), name=name, url=tactic_url(slug))


def _unquote(value: str) -> str:
    if len(value) >= 2 and value[0] == value[-1] and value[0] in "'\"":
        return value[1:-1]
    return value


LINTER_GUIDE_URL = f"{SITE_URL}guides/linter/"
