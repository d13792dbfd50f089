"""The lint cache: unchanged files are neither parsed nor checked again.

One SQLite database per tool version, under ``.greentactics_cache/`` next to the config file
(or in the current directory)::

    .greentactics_cache/
      CACHEDIR.TAG, .gitignore       (so backups and git skip it)
      <tool version>/cache.sqlite3

Tables:

* ``files``: one row per file and set of fact collectors: the content hash, the file's size,
  mtime, ctime and inode when it was hashed, the path its facts name it by, and the digest
  of its facts (phase 1).
* ``facts``: the rows of phase 1, indexed by ``(kind, key)``. Rules ask narrow questions
  ("who calls ``evaluate``?"), and :class:`StoredProjectFacts` answers each with one indexed
  query, so a pre-commit run on a few files of a 3,000-file project reads a few hundred of
  its ~200,000 facts instead of decoding them all.
* ``results``: phase-2 findings per file and configuration hash, under a key that covers the
  file's content hash, the rules that apply to it and the digest of the project facts.
* ``configs``: when each configuration hash was last used; results of a configuration unused
  for 30 days are dropped.

An unlinted file of the project whose size, mtime, ctime and inode are those recorded is not
read again, unless it changed less than two seconds before it was recorded (a later edit in
the same clock tick could keep the same stat, git's "racily clean" case): then it is hashed.
The database is created whole under a temporary name and linked into place, so no run sees
a half-made one. Writes go in one transaction at the end of a run, under the write lock (WAL
journal, so a concurrent run reads while another writes); a corrupt or foreign database is
deleted and rebuilt, a locked one is left alone for the run, and an unwritable directory (a
read-only checkout) leaves the run without a cache.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import sqlite3
import time
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from greentactics import __version__
from greentactics.lint.facts import Fact, ProjectFacts

CACHE_DIR_NAME = ".greentactics_cache"
DATABASE_NAME = "cache.sqlite3"
SCHEMA_VERSION = 1
RACY_NS = 2_000_000_000  # files changed this shortly before they were recorded are re-hashed
RESULTS_KEPT_S = 30 * 24 * 3600
_TAG = "Signature: 8a477f597d28d172789f06886806bc55\n# greentactics lint cache\n"

_SCHEMA = """
CREATE TABLE IF NOT EXISTS meta (name TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS files (
    id INTEGER PRIMARY KEY,
    path TEXT NOT NULL,
    collectors TEXT NOT NULL,
    display TEXT NOT NULL,
    hash TEXT NOT NULL,
    stat TEXT NOT NULL,
    recorded_ns INTEGER NOT NULL,
    digest TEXT NOT NULL,
    UNIQUE (path, collectors)
);
CREATE TABLE IF NOT EXISTS facts (
    file INTEGER NOT NULL,
    seq INTEGER NOT NULL,
    kind TEXT NOT NULL,
    key TEXT NOT NULL,
    path TEXT,
    line INTEGER NOT NULL,
    detail TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS facts_by_key ON facts (kind, key);
CREATE INDEX IF NOT EXISTS facts_by_file ON facts (file);
CREATE TABLE IF NOT EXISTS results (
    path TEXT NOT NULL,
    config TEXT NOT NULL,
    key TEXT NOT NULL,
    findings TEXT NOT NULL,
    PRIMARY KEY (path, config)
) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS configs (config TEXT PRIMARY KEY, used REAL NOT NULL);
"""


def content_hash(data: bytes) -> str:
    """The hash of a file's bytes (what cache entries are keyed on)."""
    return hashlib.sha256(data).hexdigest()


def stable_hash(value: Any) -> str:
    """A short stable hash of any JSON-serialisable value."""
    payload = json.dumps(value, sort_keys=True, default=str).encode()
    return hashlib.sha256(payload).hexdigest()[:24]


def stat_signature(stat: os.stat_result) -> str:
    """What says a file is unchanged without reading it: size, mtime, ctime and inode."""
    return f"{stat.st_size}:{stat.st_mtime_ns}:{stat.st_ctime_ns}:{stat.st_ino}"


@dataclass(frozen=True)
class FileRecord:
    """What the cache knows of one file: its row id, hash, display path and facts digest."""

    id: int
    hash: str
    display: str
    stat: str
    recorded_ns: int
    digest: str

    def unchanged_by_stat(self, signature: str) -> bool:
        """Whether a file with this stat signature is safely the one recorded (not racy)."""
        if signature != self.stat:
            return False
        _, mtime, ctime, _ = signature.split(":")
        return max(int(mtime), int(ctime)) < self.recorded_ns - RACY_NS


_SQLITE_CORRUPT, _SQLITE_NOTADB = 11, 26  # SQLite's result codes (sqlite3.SQLITE_CORRUPT ...)


class _ForeignDatabase(sqlite3.DatabaseError):
    """The cache file is an SQLite database, but not one this version wrote."""


def _unusable(error: sqlite3.Error) -> bool:
    """Whether a database error means the file must be rebuilt (not: busy, locked, I/O)."""
    if isinstance(error, _ForeignDatabase):
        return True
    code = getattr(error, "sqlite_errorcode", None)
    if code in (_SQLITE_CORRUPT, _SQLITE_NOTADB):
        return True
    return "no such table" in str(error)


def _connect(path: Path, *, read_only: bool = False) -> sqlite3.Connection:
    if read_only:
        connection = sqlite3.connect(f"{path.as_uri()}?mode=ro", uri=True, timeout=10)
    else:
        connection = sqlite3.connect(path, timeout=10)
    connection.execute("PRAGMA busy_timeout = 10000")
    return connection


class LintCache:
    """Per-file facts and findings of earlier runs, keyed by content and configuration.

    Reads go to the database as the run needs them; writes are kept until :meth:`save`.
    Every database error is absorbed: the cache then behaves as empty and writes nothing.
    """

    def __init__(self, directory: Path, config_hash: str, collectors_hash: str) -> None:
        self.directory = directory
        self.path = directory / __version__ / DATABASE_NAME
        self.config_hash = config_hash
        self.collectors_hash = collectors_hash
        self._db: sqlite3.Connection | None = None
        self._opened = False
        self._records: dict[str, FileRecord] | None = None
        self._new_facts: dict[str, tuple[str, str, str, list[Any], str]] = {}
        self._new_stats: dict[str, tuple[str, int]] = {}
        self._new_results: dict[str, tuple[str, str]] = {}

    # ------------------------------------------------------------------ the database

    def _database(self) -> sqlite3.Connection | None:
        """The open database, or None when there is none yet or it cannot be used."""
        if self._opened:
            return self._db
        self._opened = True
        if not self.path.exists():
            return None  # nothing cached yet; save() creates it
        try:
            self._db = self._open_existing()
        except sqlite3.Error as error:
            self._close()
            if _unusable(error):
                # Corrupt, or not our database: start again from an empty cache.
                self._remove_database()
            # Otherwise (locked for longer than the timeout, unreadable): run without it.
        return self._db

    def _open_existing(self) -> sqlite3.Connection:
        connection = _connect(self.path)
        try:
            row = connection.execute("SELECT value FROM meta WHERE name = 'schema'").fetchone()
            if row is None or row[0] != str(SCHEMA_VERSION):
                raise _ForeignDatabase(f"{self.path}: not a greentactics cache of this version")
        except BaseException:
            connection.close()
            raise
        return connection

    def _create(self) -> sqlite3.Connection:
        """Create the database (schema included) under a temporary name and link it into
        place, so no run ever sees a half-made cache; then open it."""
        self.path.parent.mkdir(parents=True, exist_ok=True)
        for legacy in self.path.parent.glob("*.json"):  # the JSON cache of earlier builds
            legacy.unlink(missing_ok=True)
        if not self.path.exists():
            temporary = self.path.with_name(f".{self.path.name}.{os.getpid()}.tmp")
            temporary.unlink(missing_ok=True)
            try:
                connection = sqlite3.connect(temporary)
                try:
                    connection.execute("PRAGMA journal_mode = WAL")
                    connection.executescript(_SCHEMA)
                    connection.execute(
                        "INSERT INTO meta VALUES ('schema', ?)", (str(SCHEMA_VERSION),)
                    )
                    connection.commit()
                finally:
                    connection.close()
                with contextlib.suppress(FileExistsError):  # another run created it first
                    os.link(temporary, self.path)
            finally:
                temporary.unlink(missing_ok=True)
        return self._open_existing()

    def _remove_database(self) -> bool:
        try:
            for suffix in ("", "-wal", "-shm"):
                Path(f"{self.path}{suffix}").unlink(missing_ok=True)
        except OSError:
            return False
        return True

    def _close(self) -> None:
        if self._db is not None:
            self._db.close()
        self._db = None

    # ------------------------------------------------------------------ phase 1

    def record(self, path: str) -> FileRecord | None:
        """What the cache knows of a file (for the current fact collectors), or None."""
        if self._records is None:
            self._records = self._load_records()
        return self._records.get(path)

    def _load_records(self) -> dict[str, FileRecord]:
        database = self._database()
        if database is None:
            return {}
        try:
            rows = database.execute(
                "SELECT path, id, hash, display, stat, recorded_ns, digest FROM files "
                "WHERE collectors = ?",
                (self.collectors_hash,),
            ).fetchall()
        except sqlite3.Error:
            self._close()
            return {}
        return {row[0]: FileRecord(*row[1:]) for row in rows}

    def store_facts(
        self,
        path: str,
        file_hash: str,
        display: str,
        signature: str,
        facts: list[Any],
        digest: str,
    ) -> None:
        """Remember the facts (``[kind, key, path, line, detail]`` rows) of a file."""
        self._new_facts[path] = (file_hash, display, signature, facts, digest)

    def refresh_stat(self, path: str, signature: str) -> None:
        """A recorded file was hashed again and had not changed: remember its stat now."""
        self._new_stats[path] = (signature, time.time_ns())

    def project(
        self, files: dict[int, str], extra: Iterable[tuple[str, list[Fact]]]
    ) -> StoredProjectFacts:
        """The project facts of files held here (row id -> display path), plus ``extra``
        files' facts held in memory (display path, facts)."""
        return StoredProjectFacts(self.path, files, list(extra))

    # ------------------------------------------------------------------ phase 2

    def findings(self, path: str, key: str) -> list[dict[str, Any]] | None:
        """Cached findings of a file checked under ``key``, or None."""
        database = self._database()
        if database is None:
            return None
        try:
            row = database.execute(
                "SELECT key, findings FROM results WHERE path = ? AND config = ?",
                (path, self.config_hash),
            ).fetchone()
        except sqlite3.Error:
            return None
        if row is None or row[0] != key:
            return None
        try:
            findings = json.loads(row[1])
        except ValueError:
            return None
        return findings if isinstance(findings, list) else None

    def store_findings(self, path: str, key: str, findings: list[dict[str, Any]]) -> None:
        """Remember the findings of a file."""
        self._new_results[path] = (key, json.dumps(findings, separators=(",", ":")))

    # ------------------------------------------------------------------ writing

    def save(self) -> None:
        """Write what changed in one transaction; failures (read-only checkout, a full disk,
        a lock held too long) are ignored: the cache is an optimisation."""
        if not (self._new_facts or self._new_stats or self._new_results):
            return
        try:
            self.directory.mkdir(parents=True, exist_ok=True)
            tag = self.directory / "CACHEDIR.TAG"
            if not tag.exists():
                tag.write_text(_TAG, encoding="utf-8")
                (self.directory / ".gitignore").write_text("*\n", encoding="utf-8")
        except OSError:
            return
        try:
            database = self._database() or self._create()
            self._db, self._opened = database, True
            # IMMEDIATE: take the write lock before reading which rows to replace, so two
            # runs saving the same file one after the other do not collide.
            database.execute("BEGIN IMMEDIATE")
            try:
                self._write(database)
                database.commit()
            except BaseException:
                database.rollback()
                raise
        except (sqlite3.Error, OSError):
            pass
        finally:
            self._new_facts.clear()
            self._new_stats.clear()
            self._new_results.clear()
            self._records = None

    def _write(self, database: sqlite3.Connection) -> None:
        now = time.time_ns()
        for path, (file_hash, display, signature, facts, digest) in self._new_facts.items():
            old = database.execute(
                "SELECT id FROM files WHERE path = ? AND collectors = ?",
                (path, self.collectors_hash),
            ).fetchone()
            if old is not None:
                database.execute("DELETE FROM facts WHERE file = ?", (old[0],))
                database.execute("DELETE FROM files WHERE id = ?", (old[0],))
            cursor = database.execute(
                "INSERT INTO files (path, collectors, display, hash, stat, recorded_ns, digest)"
                " VALUES (?, ?, ?, ?, ?, ?, ?)",
                (path, self.collectors_hash, display, file_hash, signature, now, digest),
            )
            file_id = cursor.lastrowid
            database.executemany(
                "INSERT INTO facts (file, seq, kind, key, path, line, detail) "
                "VALUES (?, ?, ?, ?, ?, ?, ?)",
                ((file_id, seq, *row) for seq, row in enumerate(facts)),
            )
        database.executemany(
            "UPDATE files SET stat = ?, recorded_ns = ? WHERE path = ? AND collectors = ?",
            (
                (signature, recorded, path, self.collectors_hash)
                for path, (signature, recorded) in self._new_stats.items()
                if path not in self._new_facts
            ),
        )
        database.executemany(
            "INSERT OR REPLACE INTO results (path, config, key, findings) VALUES (?, ?, ?, ?)",
            (
                (path, self.config_hash, key, findings)
                for path, (key, findings) in self._new_results.items()
            ),
        )
        if self._new_results:
            database.execute(
                "INSERT OR REPLACE INTO configs VALUES (?, ?)", (self.config_hash, time.time())
            )
            stale = time.time() - RESULTS_KEPT_S
            database.execute(
                "DELETE FROM results WHERE config IN (SELECT config FROM configs WHERE used < ?)",
                (stale,),
            )
            database.execute("DELETE FROM configs WHERE used < ?", (stale,))

    def forget_missing(self, root: Path, present: set[str]) -> None:
        """Drop the rows of files under ``root`` that no longer exist (renamed, deleted).

        ``present`` holds the absolute paths discovery found; other recorded paths under the
        root are checked on disk, so files merely excluded from this run are kept.
        """
        prefix = str(root) + os.sep
        gone = [
            path
            for path in (self._records or {})
            if path.startswith(prefix) and path not in present and not os.path.exists(path)
        ]
        if not gone:
            return
        database = self._database()
        if database is None:
            return
        try:
            with database:
                for path in gone:
                    database.execute(
                        "DELETE FROM facts WHERE file IN (SELECT id FROM files WHERE path = ?)",
                        (path,),
                    )
                    database.execute("DELETE FROM files WHERE path = ?", (path,))
                    database.execute("DELETE FROM results WHERE path = ?", (path,))
        except sqlite3.Error:
            pass


class StoredProjectFacts(ProjectFacts):
    """Project facts answered from the cache's database, plus files held in memory.

    ``files`` maps the database rows of this run's files to the paths they are shown by; rows
    of other files (another checkout's, a deleted module's) are never returned. ``extra``
    holds the facts of files collected in this run (not in the database yet). Answers are
    memoised; the object pickles to worker processes as the database path plus those maps,
    and each process opens the database read-only on its first question.
    """

    def __init__(
        self, database: Path, files: dict[int, str], extra: list[tuple[str, list[Fact]]]
    ) -> None:
        super().__init__()
        self._setup(database, files, extra)

    def _setup(
        self, database: Path, files: dict[int, str], extra: list[tuple[str, list[Fact]]]
    ) -> None:
        self._database_path = database
        self._files = files
        self._extra_files = sorted(extra, key=lambda item: item[0])
        # The in-memory files' facts, indexed as any project's, and where each one stands in
        # path order, then source order (to merge them with the database's rows).
        self._extra = ProjectFacts(fact for _, facts in self._extra_files for fact in facts)
        self._position = {
            fact: (display, seq)
            for display, facts in self._extra_files
            for seq, fact in enumerate(facts)
        }
        self._connection: sqlite3.Connection | None = None
        self._memo: dict[tuple[str, str | None], list[Fact]] = {}

    def __getstate__(self) -> dict[str, Any]:
        return {"database": self._database_path, "files": self._files, "extra": self._extra_files}

    def __setstate__(self, state: dict[str, Any]) -> None:
        ProjectFacts.__init__(self)
        self._setup(state["database"], state["files"], state["extra"])

    def __iter__(self) -> Iterator[Fact]:
        return iter(self._query(None, None))

    def __len__(self) -> int:
        return len(self._query(None, None))

    def _of_kind(self, kind: str) -> list[Fact]:
        return self._query(kind, None)

    def _of_key(self, kind: str, key: str) -> list[Fact]:
        return self._query(kind, key)

    def _query(self, kind: str | None, key: str | None) -> list[Fact]:
        memo_key = (kind or "", key)
        if kind is not None and memo_key in self._memo:
            return self._memo[memo_key]
        rows: list[tuple[str, int, Fact]] = []
        if self._files:
            for file_id, seq, kind_, key_, path, line, detail in self._rows(kind, key):
                display = self._files.get(file_id)
                if display is not None:
                    fact = Fact(kind_, key_, display if path is None else path, line, detail)
                    rows.append((display, seq, fact))
        extra = self._extra if kind is None else self._extra._select(kind, key)
        rows.extend((*self._position[fact], fact) for fact in extra)
        rows.sort(key=lambda row: (row[0], row[1]))
        found = [fact for _, _, fact in rows]
        if kind is not None:
            self._memo[memo_key] = found
        return found

    def _rows(self, kind: str | None, key: str | None) -> list[tuple[Any, ...]]:
        try:
            if self._connection is None:
                self._connection = _connect(self._database_path, read_only=True)
            columns = "SELECT file, seq, kind, key, path, line, detail FROM facts"
            if kind is None:
                return self._connection.execute(columns).fetchall()
            if key is None:
                return self._connection.execute(f"{columns} WHERE kind = ?", (kind,)).fetchall()
            query = f"{columns} WHERE kind = ? AND key = ?"
            return self._connection.execute(query, (kind, key)).fetchall()
        except sqlite3.Error as error:
            raise RuntimeError(
                f"the lint cache {self._database_path} could not be read during the run "
                f"({error}); run again, or pass --no-cache"
            ) from error
