"""MkDocs hook: add the pages that greentactics.site renders from the catalog, rules and evidence.

All the work happens in the package (``greentactics.site.render_site``); this file only hands the
result to MkDocs, so another site generator could call the same function.
"""

from __future__ import annotations

from pathlib import Path

from mkdocs.config.defaults import MkDocsConfig
from mkdocs.exceptions import PluginError
from mkdocs.structure.files import File, Files

from greentactics.catalog import load_catalog
from greentactics.errors import GreentacticsError
from greentactics.site import SiteData, load_evidence_docs, load_rule_docs, render_site


def on_files(files: Files, config: MkDocsConfig) -> Files:
    """Render the generated pages, add them to the build and set the navigation."""
    root = Path(config.config_file_path).parent
    try:
        data = SiteData(
            catalog=load_catalog(root / "catalog"),
            rules=tuple(load_rule_docs()),
            evidence=tuple(load_evidence_docs(root / "evidence")),
        )
        sources = render_site(data, existing={file.src_uri for file in files})
    except GreentacticsError as error:
        raise PluginError(f"cannot render the catalog pages:\n{error}") from error
    for path, text in sources.files.items():
        if files.get_file_from_path(path) is not None:
            raise PluginError(
                f"site/{path} is generated from the catalog; delete the hand-written file"
            )
        files.append(File.generated(config, path, content=text))
    config.nav = sources.nav
    return files
