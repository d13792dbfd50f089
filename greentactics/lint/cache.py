"""The content-hash cache: unchanged files are neither parsed nor checked again.

Layout, under ``.greentactics_cache/`` next to the config file (or in the current directory)::

    .greentactics_cache/
      CACHEDIR.TAG, .gitignore          (so backups and git skip it)
      <tool version>/
        facts-<collectors hash>.json     path -> {hash, display, facts} (phase 1)
        results-<config hash>.json       path -> {key, findings}       (phase 2)

The config hash covers the tool version, the enabled rules (code and module), the per-file
options and the settings; a phase-2 entry's key covers the file's content hash, the rules that
apply to it and, when an enabled rule reads project facts, the digest of those facts. Writes
are atomic (temporary file + rename); a corrupt or unreadable cache is treated as empty.
"""

from __future__ import annotations

import hashlib
import json
import os
import tempfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from greentactics import __version__

CACHE_DIR_NAME = ".greentactics_cache"
_TAG = "Signature: 8a477f597d28d172789f06886806bc55\n# greentactics lint cache\n"


def content_hash(data: bytes) -> str:
    """The hash of a file's bytes (what cache entries are keyed on)."""
    return hashlib.sha256(data).hexdigest()


def stable_hash(value: Any) -> str:
    """A short stable hash of any JSON-serialisable value."""
    payload = json.dumps(value, sort_keys=True, default=str).encode()
    return hashlib.sha256(payload).hexdigest()[:24]


@dataclass
class _Store:
    path: Path
    entries: dict[str, Any] = field(default_factory=dict)
    dirty: bool = False

    @classmethod
    def load(cls, path: Path) -> _Store:
        try:
            entries = json.loads(path.read_text(encoding="utf-8"))
            if not isinstance(entries, dict):
                entries = {}
        except (OSError, ValueError):
            entries = {}
        return cls(path, entries)

    def save(self) -> None:
        if not self.dirty:
            return
        self.path.parent.mkdir(parents=True, exist_ok=True)
        handle, temporary = tempfile.mkstemp(dir=self.path.parent, suffix=".tmp")
        try:
            with os.fdopen(handle, "w", encoding="utf-8") as stream:
                json.dump(self.entries, stream, separators=(",", ":"))
            os.replace(temporary, self.path)
        except OSError:
            Path(temporary).unlink(missing_ok=True)


class LintCache:
    """Per-file facts and findings of earlier runs, keyed by content and configuration."""

    def __init__(self, directory: Path, config_hash: str, collectors_hash: str) -> None:
        self.directory = directory
        versioned = directory / __version__
        self._facts = _Store.load(versioned / f"facts-{collectors_hash}.json")
        self._results = _Store.load(versioned / f"results-{config_hash}.json")

    def facts(self, path: str, file_hash: str, display: str) -> tuple[list[Any], str] | None:
        """Cached facts (``[kind, key, path, line, detail]`` rows) of a file with this content
        and their digest, or None.

        Facts name their file as it was shown (relative to the directory the linter ran in),
        so an entry written from another directory is not reused.
        """
        entry = self._facts.entries.get(path)
        if (
            isinstance(entry, dict)
            and entry.get("hash") == file_hash
            and entry.get("display") == display
        ):
            facts, digest = entry.get("facts"), entry.get("digest")
            if (
                isinstance(facts, list)
                and isinstance(digest, str)
                and all(isinstance(row, list) and len(row) == 5 for row in facts)
            ):
                return facts, digest
        return None

    def store_facts(
        self, path: str, file_hash: str, display: str, facts: list[Any], digest: str
    ) -> None:
        """Remember the facts of a file (shown as ``display``) and their digest."""
        self._facts.entries[path] = {
            "hash": file_hash,
            "display": display,
            "facts": facts,
            "digest": digest,
        }
        self._facts.dirty = True

    def findings(self, path: str, key: str) -> list[dict[str, Any]] | None:
        """Cached findings of a file checked under ``key``, or None."""
        entry = self._results.entries.get(path)
        if isinstance(entry, dict) and entry.get("key") == key:
            findings = entry.get("findings")
            return findings if isinstance(findings, list) else None
        return None

    def store_findings(self, path: str, key: str, findings: list[dict[str, Any]]) -> None:
        """Remember the findings of a file."""
        self._results.entries[path] = {"key": key, "findings": findings}
        self._results.dirty = True

    def save(self) -> None:
        """Write what changed; failures (read-only checkout) are ignored."""
        try:
            self.directory.mkdir(parents=True, exist_ok=True)
            tag = self.directory / "CACHEDIR.TAG"
            if not tag.exists():
                tag.write_text(_TAG, encoding="utf-8")
                (self.directory / ".gitignore").write_text("*\n", encoding="utf-8")
        except OSError:
            return
        self._facts.save()
        self._results.save()
