"""Which files a scan reads: the lint engine's discovery, plus the scan's view of test files.

Files are found exactly as ``greentactics lint`` finds them (``greentactics.lint.discovery``):
``.py`` files and notebooks, ``.gitignore`` files honoured, the default excludes (virtual
environments, caches, build output) and the ``exclude``/``extend-exclude`` settings of
``[tool.greentactics]`` applied, a file named explicitly always read. On top of that, test
files (under ``tests/``, ``test/``, ``testing/`` or named ``test_*.py``, ``*_test.py``,
``conftest.py``, judged from the path *below* the scanned directory) are left out unless asked
for: that a test exercises an API says little about what the system does. Included test files
are marked, and so is their evidence.
"""

from __future__ import annotations

import os
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, replace
from pathlib import Path, PurePath

from greentactics.lint.discovery import FileFinder
from greentactics.lint.settings import find_config_file, load_settings

TEST_DIRECTORIES = frozenset({"tests", "test", "testing"})


@dataclass(frozen=True)
class SourceFile:
    """A file to scan: where it is, how to show it, and whether it is a test file."""

    path: Path
    display: str
    in_tests: bool


@dataclass(frozen=True)
class Discovered:
    """The files to scan and the problems met (unreadable directories: path, message)."""

    files: list[SourceFile]
    problems: list[tuple[str, str]]


def is_test_path(relative: PurePath) -> bool:
    """Whether a path (relative to the scanned directory) is a test file."""
    name = relative.name
    if name == "conftest.py" or name.startswith("test_") or name.endswith("_test.py"):
        return True
    return any(part in TEST_DIRECTORIES for part in relative.parts[:-1])


def discover(
    paths: Iterable[Path],
    *,
    include_tests: bool = False,
    exclude: Sequence[str] = (),
    cwd: Path | None = None,
) -> Discovered:
    """The files to scan under ``paths``, sorted, each once.

    ``exclude`` adds .gitignore-style patterns to the configured excludes. Raises
    :class:`FileNotFoundError` for a path that does not exist.
    """
    cwd = cwd or Path.cwd()
    given_paths = list(paths)
    for given in given_paths:
        if not (cwd / given).exists():
            raise FileNotFoundError(given.as_posix())
    # Like the linter: the settings of the project the (first) scanned path belongs to.
    start = cwd / given_paths[0] if given_paths else cwd
    settings = load_settings(find_config_file(start), cwd=cwd)
    settings = replace(settings, extend_exclude=(*settings.extend_exclude, *exclude))
    finder = FileFinder(settings, cwd)
    files: dict[Path, SourceFile] = {}
    problems: list[tuple[str, str]] = []
    for given in given_paths:
        root = Path(os.path.abspath(cwd / given))
        found = finder.discover([given])
        problems.extend(found.problems)
        for item in found.files:
            relative = item.path.relative_to(root) if root.is_dir() else PurePath(item.path.name)
            in_tests = is_test_path(relative)
            if in_tests and not include_tests and root.is_dir():
                continue
            files.setdefault(item.path, SourceFile(item.path, item.display, in_tests))
    return Discovered(sorted(files.values(), key=lambda source: source.display), problems)
