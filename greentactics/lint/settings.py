"""Linter settings: ``[tool.greentactics]`` in ``pyproject.toml``, then command-line overrides.

The config file is the nearest ``pyproject.toml`` with a ``[tool.greentactics]`` table, found
by walking up from the first linted path (or the current directory). Lint keys live directly in
that table; the ``energy`` sub-table belongs to the energy meter and is skipped here; any other
key is an error naming the file and the key. Validation is by hand (no pydantic) to keep the
linter's start-up cheap.
"""

from __future__ import annotations

import sys
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from greentactics.errors import ConfigError, UsageError

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover - exercised on Python 3.10 only
    import tomli as tomllib  # type: ignore[import-not-found,no-redef,unused-ignore]

SEVERITIES = ("error", "warning", "info")
OTHER_TOOLS_TABLES = frozenset({"energy"})
DEFAULT_EXCLUDE = (
    ".git",
    ".hg",
    ".svn",
    ".venv",
    "venv",
    ".tox",
    ".nox",
    ".eggs",
    "*.egg-info",
    "__pycache__",
    "__pypackages__",
    ".mypy_cache",
    ".pytest_cache",
    ".ruff_cache",
    ".greentactics_cache",
    ".ipynb_checkpoints",
    "build",
    "dist",
    "node_modules",
    "site-packages",
)

_LIST_KEYS = ("select", "ignore", "extend-select", "exclude", "extend-exclude")
_BOOL_KEYS = ("report-unused-suppressions", "respect-gitignore", "project-facts")


@dataclass(frozen=True)
class Settings:
    """The resolved lint settings (config file + CLI), as used by the engine.

    ``root`` is the directory of the config file (or the current directory without one):
    excludes and per-file-ignores are relative to it and the cache lives under it.
    ``project_facts`` gathers cross-file facts from the whole project, not only the linted files.
    """

    root: Path
    config_file: Path | None = None
    select: tuple[str, ...] | None = None
    extend_select: tuple[str, ...] = ()
    ignore: tuple[str, ...] = ()
    per_file_ignores: Mapping[str, tuple[str, ...]] = field(default_factory=dict)
    exclude: tuple[str, ...] = DEFAULT_EXCLUDE
    extend_exclude: tuple[str, ...] = ()
    severity: Mapping[str, str] = field(default_factory=dict)
    fail_on: str = "info"
    report_unused_suppressions: bool = False
    respect_gitignore: bool = True
    project_facts: bool = True
    baseline: Path | None = None  # absolute; the config gives it relative to the root

    @property
    def all_excludes(self) -> tuple[str, ...]:
        """``exclude`` plus ``extend-exclude``."""
        return (*self.exclude, *self.extend_exclude)

    def describe(self) -> dict[str, Any]:
        """A JSON-ready view, for ``--show-settings`` and the cache key."""
        return {
            "config-file": str(self.config_file) if self.config_file else None,
            "root": str(self.root),
            "select": list(self.select) if self.select is not None else None,
            "extend-select": list(self.extend_select),
            "ignore": list(self.ignore),
            "per-file-ignores": {key: list(value) for key, value in self.per_file_ignores.items()},
            "exclude": list(self.exclude),
            "extend-exclude": list(self.extend_exclude),
            "severity": dict(self.severity),
            "fail-on": self.fail_on,
            "report-unused-suppressions": self.report_unused_suppressions,
            "respect-gitignore": self.respect_gitignore,
            "project-facts": self.project_facts,
            "baseline": str(self.baseline) if self.baseline else None,
        }


def find_config_file(start: Path) -> Path | None:
    """The nearest ``pyproject.toml`` at or above ``start`` with a ``[tool.greentactics]``."""
    directory = start.resolve()
    if not directory.is_dir():
        directory = directory.parent
    for candidate_dir in (directory, *directory.parents):
        candidate = candidate_dir / "pyproject.toml"
        if candidate.is_file() and _has_tool_table(candidate):
            return candidate
    return None


def _has_tool_table(path: Path) -> bool:
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError):
        # A broken pyproject.toml that might be ours: load_settings reports it properly.
        return "[tool.greentactics" in path.read_text(encoding="utf-8", errors="replace")
    tool = data.get("tool")
    return isinstance(tool, dict) and "greentactics" in tool


def load_settings(config_file: Path | None, *, cwd: Path) -> Settings:
    """Read ``[tool.greentactics]`` of ``config_file`` (defaults when None)."""
    if config_file is None:
        return Settings(root=cwd.resolve())
    try:
        data = tomllib.loads(config_file.read_text(encoding="utf-8"))
    except OSError as error:
        raise ConfigError(f"{config_file}: cannot read: {error.strerror}") from None
    except (UnicodeDecodeError, tomllib.TOMLDecodeError) as error:
        raise ConfigError(f"{config_file}: not valid TOML: {error}") from None
    table = data.get("tool", {}).get("greentactics", {})
    if not isinstance(table, dict):
        raise ConfigError(f"{config_file}: [tool.greentactics] must be a table")
    return _settings_from_table(table, config_file)


def _settings_from_table(table: Mapping[str, Any], config_file: Path) -> Settings:
    where = f"{config_file}: [tool.greentactics]"
    values: dict[str, Any] = {}
    for key, value in table.items():
        if key in OTHER_TOOLS_TABLES:
            continue
        if key in _LIST_KEYS:
            values[key.replace("-", "_")] = _string_list(value, f"{where} {key}")
        elif key == "per-file-ignores":
            values["per_file_ignores"] = _per_file_ignores(value, f"{where} {key}")
        elif key == "severity":
            values["severity"] = _severity_table(value, f"{where} {key}")
        elif key == "fail-on":
            values["fail_on"] = _severity_value(value, f"{where} {key}")
        elif key == "baseline":
            if not isinstance(value, str) or not value.strip():
                raise ConfigError(f"{where} {key}: expected a file path, got {value!r}")
            values["baseline"] = config_file.parent.resolve() / value
        elif key in _BOOL_KEYS:
            if not isinstance(value, bool):
                raise ConfigError(f"{where} {key}: expected true or false, got {value!r}")
            values[key.replace("-", "_")] = value
        else:
            raise ConfigError(f"{where}: unknown key {key!r} (known: {', '.join(KNOWN_KEYS)})")
    return Settings(root=config_file.parent.resolve(), config_file=config_file, **values)


KNOWN_KEYS = (
    *_LIST_KEYS,
    "per-file-ignores",
    "severity",
    "fail-on",
    *_BOOL_KEYS,
    "baseline",
)


def _string_list(value: Any, where: str) -> tuple[str, ...]:
    if not isinstance(value, list) or not all(isinstance(item, str) for item in value):
        raise ConfigError(f"{where}: expected a list of strings, got {value!r}")
    return tuple(value)


def _per_file_ignores(value: Any, where: str) -> dict[str, tuple[str, ...]]:
    if not isinstance(value, dict):
        raise ConfigError(f"{where}: expected a table of glob = [rules], got {value!r}")
    return {
        str(pattern): _string_list(rules, f"{where} {pattern!r}")
        for pattern, rules in value.items()
    }


def _severity_table(value: Any, where: str) -> dict[str, str]:
    if not isinstance(value, dict):
        raise ConfigError(f"{where}: expected a table of rule = severity, got {value!r}")
    return {str(rule): _severity_value(level, f"{where} {rule}") for rule, level in value.items()}


def _severity_value(value: Any, where: str) -> str:
    if value not in SEVERITIES:
        raise ConfigError(f"{where}: expected one of {', '.join(SEVERITIES)}, got {value!r}")
    return str(value)


@dataclass(frozen=True)
class Overrides:
    """Settings given on the command line; None/empty means "keep the config's value"."""

    select: tuple[str, ...] | None = None
    extend_select: tuple[str, ...] = ()
    ignore: tuple[str, ...] = ()
    exclude: tuple[str, ...] | None = None
    extend_exclude: tuple[str, ...] = ()
    severity: Mapping[str, str] = field(default_factory=dict)
    fail_on: str | None = None
    report_unused_suppressions: bool | None = None
    respect_gitignore: bool | None = None
    project_facts: bool | None = None
    baseline: Path | None = None


def apply_overrides(settings: Settings, overrides: Overrides) -> Settings:
    """CLI beats config: ``--select``/``--exclude`` replace, the ``extend``/ignore flags add."""
    return replace(
        settings,
        select=overrides.select if overrides.select is not None else settings.select,
        extend_select=(*settings.extend_select, *overrides.extend_select),
        ignore=(*settings.ignore, *overrides.ignore),
        exclude=overrides.exclude if overrides.exclude is not None else settings.exclude,
        extend_exclude=(*settings.extend_exclude, *overrides.extend_exclude),
        severity={**settings.severity, **overrides.severity},
        fail_on=overrides.fail_on or settings.fail_on,
        report_unused_suppressions=(
            overrides.report_unused_suppressions
            if overrides.report_unused_suppressions is not None
            else settings.report_unused_suppressions
        ),
        respect_gitignore=(
            overrides.respect_gitignore
            if overrides.respect_gitignore is not None
            else settings.respect_gitignore
        ),
        project_facts=(
            overrides.project_facts
            if overrides.project_facts is not None
            else settings.project_facts
        ),
        baseline=overrides.baseline or settings.baseline,
    )


class RuleSelector:
    """Resolves selectors (``ALL``, a code prefix like ``GT4``, a code, a rule name) to rules."""

    def __init__(self, rules: Sequence[Any]) -> None:
        self.rules = tuple(rules)
        self.codes_by_alias = {rule.code.lower(): rule.code for rule in self.rules}
        self.codes_by_alias.update({rule.name.lower(): rule.code for rule in self.rules})

    def _specificity(self, selector: str, rule: Any) -> int | None:
        """How specifically ``selector`` names ``rule`` (higher wins), None if it does not."""
        wanted = selector.strip().lower()
        if wanted == "all":
            return 0
        if wanted == rule.name.lower():
            return 100
        if rule.code.lower().startswith(wanted):
            return len(wanted)
        return None

    def check(self, selectors: Iterable[str], where: str) -> None:
        """Raise if a selector matches no rule (a typo would otherwise be silent)."""
        for selector in selectors:
            if not any(self._specificity(selector, rule) is not None for rule in self.rules):
                if selector.strip().lower() == "all":
                    continue
                raise UsageError(
                    f"{where}: {selector!r} matches no rule "
                    "(use a code, a prefix such as GT4, a rule name, or ALL)"
                )

    def enabled(self, settings: Settings) -> tuple[Any, ...]:
        """The rules turned on by select/extend-select minus ignore (more specific wins; on a
        tie ignore wins). Without ``select``, the default set is on."""
        chosen = []
        for rule in self.rules:
            select_score = self._best(settings.select if settings.select is not None else (), rule)
            if settings.select is None and rule.enabled_by_default:
                select_score = max(select_score if select_score is not None else -1, 0)
            extend_score = self._best(settings.extend_select, rule)
            if extend_score is not None:
                select_score = max(select_score if select_score is not None else -1, extend_score)
            ignore_score = self._best(settings.ignore, rule)
            if select_score is None:
                continue
            if ignore_score is not None and ignore_score >= select_score:
                continue
            chosen.append(rule)
        return tuple(chosen)

    def _best(self, selectors: Iterable[str], rule: Any) -> int | None:
        scores = [score for s in selectors if (score := self._specificity(s, rule)) is not None]
        return max(scores) if scores else None

    def codes(self, selectors: Iterable[str]) -> set[str]:
        """Codes of every rule any of ``selectors`` names (for per-file-ignores)."""
        return {
            rule.code
            for rule in self.rules
            if any(self._specificity(selector, rule) is not None for selector in selectors)
        }

    def severity_overrides(self, settings: Settings) -> dict[str, str]:
        """``severity`` keyed by rule code (names and prefixes expanded)."""
        overrides: dict[str, str] = {}
        for selector, level in settings.severity.items():
            for code in sorted(self.codes([selector])):
                overrides[code] = level
        return overrides
