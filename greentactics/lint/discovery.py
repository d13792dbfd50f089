"""Finding the files to lint: ``.py`` files and ``.ipynb`` notebooks under the given paths.

Honours ``.gitignore`` files (of the walked directories and of their parents up to the
repository root) and the configured excludes, follows directory symlinks but never the same
directory twice (so symlink loops end), and turns unreadable directories or missing paths
into diagnostics instead of errors.
"""

from __future__ import annotations

import os
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

import pathspec

from greentactics.lint.settings import Settings

LINTED_SUFFIXES = (".py", ".ipynb")


@dataclass(frozen=True)
class DiscoveredFile:
    """A file to lint: where it is, and how to show its path (relative to cwd when possible)."""

    path: Path
    display: str


@dataclass
class Discovery:
    """The files found and the problems met on the way (path, message); ``truncated`` when the
    walk stopped at its ``limit``."""

    files: list[DiscoveredFile] = field(default_factory=list)
    problems: list[tuple[str, str]] = field(default_factory=list)
    truncated: bool = False


@dataclass(frozen=True)
class _IgnoreFile:
    base: Path
    spec: pathspec.PathSpec  # type: ignore[type-arg]

    def decision(self, path: Path, is_dir: bool) -> bool | None:
        """True: ignored, False: re-included by a ``!pattern``, None: no pattern matches."""
        try:
            relative = path.relative_to(self.base).as_posix()
        except ValueError:
            return None
        return self.spec.check_file(relative + "/" if is_dir else relative).include


def _ignored(ignores: list[_IgnoreFile], path: Path, is_dir: bool) -> bool:
    """Git's rule: the deepest .gitignore with a matching pattern decides, so a nested file's
    ``!pattern`` re-includes what a parent's pattern ignored (``ignores`` go root first)."""
    for ignore in reversed(ignores):
        decision = ignore.decision(path, is_dir)
        if decision is not None:
            return decision
    return False


def display_path(path: Path, cwd: Path) -> str:
    """``path`` relative to ``cwd`` when it is below it, else absolute; POSIX separators."""
    try:
        return path.relative_to(cwd).as_posix()
    except ValueError:
        return path.as_posix()


class FileFinder:
    """Walks the given paths with the settings' excludes and the .gitignore files."""

    def __init__(self, settings: Settings, cwd: Path, *, force_exclude: bool = False) -> None:
        self.settings = settings
        self.cwd = cwd
        self.force_exclude = force_exclude
        self.excludes = pathspec.GitIgnoreSpec.from_lines(settings.all_excludes)
        self._ignore_cache: dict[Path, _IgnoreFile | None] = {}

    def discover(self, paths: Iterable[Path], *, limit: int | None = None) -> Discovery:
        """All lintable files under ``paths`` (sorted, each once); at most ``limit`` of them."""
        found = Discovery()
        seen: set[Path] = set()
        for given in paths:
            absolute = Path(os.path.abspath(self.cwd / given))
            if not absolute.exists():
                found.problems.append((given.as_posix(), "no such file or directory"))
                continue
            if absolute.is_dir():
                ancestors = self._ancestor_ignores(absolute)
                visited: set[tuple[int, int]] = set()
                for file_path in self._walk(absolute, ancestors, visited, found):
                    self._add(file_path, seen, found)
                    if limit is not None and len(found.files) >= limit:
                        found.truncated = True
                        break
                if found.truncated:
                    break
            elif self.force_exclude and self._excluded(absolute, is_dir=False):
                continue
            else:
                # An explicitly named file is linted whatever its suffix, unless force_exclude.
                self._add(absolute, seen, found)
        found.files.sort(key=lambda item: item.display)
        return found

    def _add(self, path: Path, seen: set[Path], found: Discovery) -> None:
        if path not in seen:
            seen.add(path)
            found.files.append(DiscoveredFile(path, display_path(path, self.cwd)))

    def _excluded(self, path: Path, *, is_dir: bool) -> bool:
        if self._matches_excludes(path, is_dir):
            return True
        if not self.settings.respect_gitignore:
            return False
        return _ignored(self._ancestor_ignores(path), path, is_dir)

    def _matches_excludes(self, path: Path, is_dir: bool) -> bool:
        try:
            relative = path.relative_to(self.settings.root).as_posix()
        except ValueError:
            relative = path.name
        if self.excludes.match_file(relative + "/" if is_dir else relative):
            return True
        # A bare name such as "build" also excludes a directory of that name given explicitly.
        return self.excludes.match_file(path.name + "/" if is_dir else path.name)

    def _ancestor_ignores(self, path: Path) -> list[_IgnoreFile]:
        """The .gitignore files that apply to ``path`` from its parents, up to the repo root."""
        if not self.settings.respect_gitignore:
            return []
        ignores: list[_IgnoreFile] = []
        for directory in path.parents:
            ignore = self._ignore_file(directory)
            if ignore is not None:
                ignores.append(ignore)
            if (directory / ".git").exists():
                break
        ignores.reverse()
        return ignores

    def _ignore_file(self, directory: Path) -> _IgnoreFile | None:
        if directory in self._ignore_cache:
            return self._ignore_cache[directory]
        ignore = None
        gitignore = directory / ".gitignore"
        try:
            lines = gitignore.read_text(encoding="utf-8", errors="replace").splitlines()
        except OSError:
            lines = []
        if lines:
            ignore = _IgnoreFile(directory, pathspec.GitIgnoreSpec.from_lines(lines))
        self._ignore_cache[directory] = ignore
        return ignore

    def _walk(
        self,
        directory: Path,
        ignores: list[_IgnoreFile],
        visited: set[tuple[int, int]],
        found: Discovery,
    ) -> Iterator[Path]:
        try:
            stat = directory.stat()
        except OSError as error:
            found.problems.append((display_path(directory, self.cwd), error.strerror or str(error)))
            return
        identity = (stat.st_dev, stat.st_ino)
        if identity in visited:
            return  # a symlink loop, or the same directory reached twice
        visited.add(identity)
        if self.settings.respect_gitignore:
            own = self._ignore_file(directory)
            if own is not None:
                ignores = [*ignores, own]
        try:
            entries = sorted(os.scandir(directory), key=lambda entry: entry.name)
        except OSError as error:
            found.problems.append((display_path(directory, self.cwd), error.strerror or str(error)))
            return
        for entry in entries:
            path = directory / entry.name
            try:
                is_dir = entry.is_dir()
                is_file = entry.is_file()
            except OSError:
                continue
            if is_dir:
                if entry.name == ".git" or self._skip(path, ignores, is_dir=True):
                    continue
                yield from self._walk(path, ignores, visited, found)
            elif (
                is_file
                and path.suffix in LINTED_SUFFIXES
                and not self._skip(path, ignores, is_dir=False)
            ):
                yield path

    def _skip(self, path: Path, ignores: list[_IgnoreFile], *, is_dir: bool) -> bool:
        if self._matches_excludes(path, is_dir):
            return True
        return _ignored(ignores, path, is_dir)
