"""The embedded store: every measurement, one SQLite row, written the moment it ends.

WAL mode lets readers run while a writer writes; each write is its own short transaction
with a generous busy timeout, so several processes can record at once without losing a row.
"""

from __future__ import annotations

import contextlib
import csv
import json
import os
import sqlite3
import time
from collections.abc import Callable, Iterator, Sequence
from pathlib import Path
from typing import IO, Any

from greentactics.energy.measurement import Measurement
from greentactics.errors import GreentacticsError

BUSY_TIMEOUT_S = 60.0
SCHEMA_VERSION = 1

_SCHEMA = """
CREATE TABLE IF NOT EXISTS measurements (
    seq INTEGER PRIMARY KEY AUTOINCREMENT,
    id TEXT NOT NULL UNIQUE,
    label TEXT NOT NULL,
    tactic TEXT,
    project TEXT,
    kind TEXT NOT NULL,
    started_at TEXT NOT NULL,
    ended_at TEXT NOT NULL,
    duration_s REAL NOT NULL,
    total_energy_j REAL,
    outcome TEXT NOT NULL,
    parent_id TEXT,
    data TEXT NOT NULL,
    quality_note TEXT
);
CREATE INDEX IF NOT EXISTS measurements_label ON measurements(label);
"""

STORE_VERSION = 2
"""``PRAGMA user_version`` of a current store. 1 (stored as 0): no ``quality_note`` column."""

# Columns added after version 1, with their types; old stores gain them on first write.
_ADDED_COLUMNS = {"quality_note": "TEXT"}

# CodeCarbon's emissions.csv columns (EmissionsData fields, codecarbon 3.x), in its order.
CODECARBON_COLUMNS = (
    "timestamp",
    "project_name",
    "run_id",
    "experiment_id",
    "duration",
    "emissions",
    "emissions_rate",
    "cpu_power",
    "gpu_power",
    "ram_power",
    "cpu_energy",
    "gpu_energy",
    "ram_energy",
    "energy_consumed",
    "water_consumed",
    "country_name",
    "country_iso_code",
    "region",
    "cloud_provider",
    "cloud_region",
    "os",
    "python_version",
    "codecarbon_version",
    "cpu_count",
    "cpu_model",
    "gpu_count",
    "gpu_model",
    "longitude",
    "latitude",
    "ram_total_size",
    "tracking_mode",
    "cpu_utilization_percent",
    "gpu_utilization_percent",
    "ram_utilization_percent",
    "ram_used_gb",
    "on_cloud",
    "pue",
    "wue",
)
GREENTACTICS_COLUMNS = (
    "label",
    "tactic",
    "kind",
    "outcome",
    "started_at",
    "ended_at",
    "parent_id",
    "method_summary",
    "cpu_method",
    "cpu_source",
    "gpu_method",
    "gpu_source",
    "ram_method",
    "ram_source",
    "total_energy_j",
    "tags",
    "error",
    "quality_note",
)


class StoreError(GreentacticsError):
    """The energy store cannot be opened or written."""

    exit_code = 2


class MeasurementNotFound(GreentacticsError):
    exit_code = 1


# Store files this process has already created and checked (schema, WAL, write lock).
_PREPARED: set[Path] = set()


class EnergyStore:
    """A SQLite file of measurements. It holds no connection open between calls."""

    def __init__(self, path: str | Path) -> None:
        self.path = Path(path)

    def _connect(self) -> sqlite3.Connection:
        connection = sqlite3.connect(self.path, timeout=BUSY_TIMEOUT_S, isolation_level=None)
        connection.execute(f"PRAGMA busy_timeout = {int(BUSY_TIMEOUT_S * 1000)}")
        return connection

    @contextlib.contextmanager
    def _connection(self) -> Iterator[sqlite3.Connection]:
        connection = self._connect()
        try:
            yield connection
        finally:
            connection.close()

    def ensure_writable(self) -> None:
        """Create the file and schema and take the write lock once: fail now, not after hours."""
        key = self.path.absolute()
        if key in _PREPARED and self.path.is_file() and os.access(self.path, os.W_OK):
            return  # checked in full earlier in this process; a cheap re-check suffices
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            _retry_when_locked(self._prepare)
            _PREPARED.add(key)
        except (OSError, sqlite3.Error) as error:
            raise StoreError(
                f"energy store {self.path} is not writable: {error}. Choose another path with "
                "store=..., GREENTACTICS_ENERGY_STORE or [tool.greentactics.energy] store"
            ) from error

    def _prepare(self) -> None:
        with self._connection() as connection:
            mode = connection.execute("PRAGMA journal_mode").fetchone()[0]
            if str(mode).lower() != "wal":
                connection.execute("PRAGMA journal_mode = WAL")  # persists in the file
            connection.executescript(_SCHEMA)
            _migrate(connection)  # also proves we may write

    def add(self, measurement: Measurement) -> None:
        """Write one measurement in its own transaction."""
        row = (
            measurement.id,
            measurement.label,
            measurement.tactic,
            measurement.project,
            measurement.kind,
            measurement.started_at,
            measurement.ended_at,
            measurement.duration_s,
            measurement.total_energy_j,
            measurement.outcome,
            measurement.parent_id,
            json.dumps(measurement.to_dict(), default=str),
            measurement.quality_note,
        )

        def insert() -> None:
            with self._connection() as connection:
                if self.path.absolute() not in _PREPARED:
                    connection.executescript(_SCHEMA)
                    _migrate(connection)
                connection.execute(
                    "INSERT INTO measurements (id, label, tactic, project, kind, started_at, "
                    "ended_at, duration_s, total_energy_j, outcome, parent_id, data, "
                    "quality_note) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                    row,
                )

        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            _retry_when_locked(insert)
        except (OSError, sqlite3.Error) as error:
            raise StoreError(f"could not write to energy store {self.path}: {error}") from error

    def _query(self, sql: str, params: Sequence[Any] = ()) -> list[Measurement]:
        if not self.path.exists():
            return []
        try:
            with self._connection() as connection:
                rows = connection.execute(sql, params).fetchall()
        except sqlite3.OperationalError as error:
            if "no such table" in str(error):
                return []
            raise StoreError(f"could not read energy store {self.path}: {error}") from error
        except sqlite3.Error as error:
            raise StoreError(f"could not read energy store {self.path}: {error}") from error
        return [Measurement.from_dict(json.loads(row[0])) for row in rows]

    def all(self) -> list[Measurement]:
        return self._query("SELECT data FROM measurements ORDER BY seq")

    def recent(self, limit: int | None = None, label: str | None = None) -> list[Measurement]:
        sql = "SELECT data FROM measurements"
        params: list[Any] = []
        if label is not None:
            sql += " WHERE label = ?"
            params.append(label)
        sql += " ORDER BY seq DESC"
        if limit is not None:
            sql += " LIMIT ?"
            params.append(limit)
        return list(reversed(self._query(sql, params)))

    def by_label(self, label: str, *, kind: str | None = None) -> list[Measurement]:
        if kind is None:
            return self._query(
                "SELECT data FROM measurements WHERE label = ? ORDER BY seq", [label]
            )
        return self._query(
            "SELECT data FROM measurements WHERE label = ? AND kind = ? ORDER BY seq",
            [label, kind],
        )

    def latest_idle(self) -> Measurement | None:
        found = self._query(
            "SELECT data FROM measurements WHERE kind = 'idle' AND outcome = 'ok' "
            "AND total_energy_j IS NOT NULL ORDER BY seq DESC LIMIT 1"
        )
        return found[0] if found else None

    def get(self, measurement_id: str) -> Measurement:
        """The measurement with this id, or with a unique id prefix of at least 4 characters."""
        exact = self._query("SELECT data FROM measurements WHERE id = ?", [measurement_id])
        if exact:
            return exact[0]
        if len(measurement_id) >= 4:
            matches = self._query(
                "SELECT data FROM measurements WHERE substr(id, 1, ?) = ? ORDER BY seq",
                [len(measurement_id), measurement_id],
            )
            if len(matches) == 1:
                return matches[0]
            if len(matches) > 1:
                raise MeasurementNotFound(
                    f"id prefix {measurement_id!r} matches {len(matches)} measurements"
                )
        raise MeasurementNotFound(f"no measurement {measurement_id!r} in {self.path}")

    def count(self) -> int:
        if not self.path.exists():
            return 0
        try:
            with self._connection() as connection:
                row = connection.execute("SELECT COUNT(*) FROM measurements").fetchone()
        except sqlite3.OperationalError as error:
            if "no such table" in str(error):
                return 0
            raise StoreError(f"could not read energy store {self.path}: {error}") from error
        return int(row[0])


def _migrate(connection: sqlite3.Connection) -> None:
    """Bring a store written by an older greentactics up to :data:`STORE_VERSION`.

    Only columns are added (nullable), so older versions can still read and write the file;
    the rows' JSON stays the source of truth. One IMMEDIATE transaction, so two processes
    opening an old store at once do not both add a column.
    """
    connection.execute("BEGIN IMMEDIATE")
    try:
        version = int(connection.execute("PRAGMA user_version").fetchone()[0])
        if version < STORE_VERSION:
            columns = {row[1] for row in connection.execute("PRAGMA table_info(measurements)")}
            for name, sql_type in _ADDED_COLUMNS.items():
                if name not in columns:
                    connection.execute(f"ALTER TABLE measurements ADD COLUMN {name} {sql_type}")
            connection.execute(f"PRAGMA user_version = {STORE_VERSION}")
        connection.execute("COMMIT")
    except BaseException:
        if connection.in_transaction:
            connection.execute("ROLLBACK")
        raise


def _retry_when_locked(operation: Callable[[], None]) -> None:
    """Run ``operation``, retrying while SQLite says the database is locked or busy.

    The busy timeout covers ordinary writes, but some steps (switching to WAL, a schema
    change racing another process) fail with SQLITE_BUSY at once; those are retried too.
    """
    deadline = time.monotonic() + BUSY_TIMEOUT_S
    delay = 0.01
    while True:
        try:
            operation()
            return
        except sqlite3.OperationalError as error:
            message = str(error).lower()
            if ("locked" not in message and "busy" not in message) or time.monotonic() > deadline:
                raise
            time.sleep(delay)
            delay = min(delay * 2, 0.5)


def codecarbon_row(measurement: Measurement) -> dict[str, Any]:
    """One export row: CodeCarbon's 38 columns first, then greentactics' own."""
    record = dict(measurement.codecarbon_record)
    duration = measurement.duration_s
    energy_kwh = measurement.total_energy_kwh

    def component_kwh(name: str) -> float | None:
        component = measurement.components.get(name)
        return None if component is None else component.energy_kwh

    def average_power(name: str) -> float | None:
        component = measurement.components.get(name)
        if component is None or duration <= 0:
            return None
        return component.energy_j / duration  # time-weighted, unlike CodeCarbon's mean

    row: dict[str, Any] = {column: record.get(column, "") for column in CODECARBON_COLUMNS}
    row.update(
        timestamp=measurement.ended_at,
        project_name=measurement.project or record.get("project_name", ""),
        run_id=measurement.id,
        experiment_id=measurement.label,
        duration=duration,
        emissions=measurement.emissions_kg,
        emissions_rate=(
            measurement.emissions_kg / duration
            if measurement.emissions_kg is not None and duration > 0
            else None
        ),
        cpu_power=average_power("cpu"),
        gpu_power=average_power("gpu"),
        ram_power=average_power("ram"),
        cpu_energy=component_kwh("cpu"),
        gpu_energy=component_kwh("gpu"),
        ram_energy=component_kwh("ram"),
        energy_consumed=energy_kwh,
        country_iso_code=measurement.country_iso_code,
        country_name=measurement.country_name,
        codecarbon_version=measurement.codecarbon_version,
        tracking_mode=measurement.tracking_mode,
        cpu_model=measurement.hardware.cpu_model,
        gpu_count=measurement.hardware.gpu_count,
    )
    for name in ("cpu", "gpu", "ram"):
        component = measurement.components.get(name)
        row[f"{name}_method"] = component.method if component else ""
        row[f"{name}_source"] = component.source if component else ""
    row.update(
        label=measurement.label,
        tactic=measurement.tactic or "",
        kind=measurement.kind,
        outcome=measurement.outcome,
        started_at=measurement.started_at,
        ended_at=measurement.ended_at,
        parent_id=measurement.parent_id or "",
        method_summary=measurement.method_summary,
        total_energy_j=measurement.total_energy_j,
        tags=json.dumps(dict(measurement.tags), sort_keys=True),
        error=measurement.error or "",
        quality_note=measurement.quality_note or "",
    )
    return {k: ("" if v is None else v) for k, v in row.items()}


def export_csv(measurements: Sequence[Measurement], out: IO[str]) -> None:
    writer = csv.DictWriter(out, fieldnames=[*CODECARBON_COLUMNS, *GREENTACTICS_COLUMNS])
    writer.writeheader()
    for measurement in measurements:
        writer.writerow(codecarbon_row(measurement))


def export_json(measurements: Sequence[Measurement], out: IO[str]) -> None:
    json.dump(
        {"schema_version": SCHEMA_VERSION, "measurements": [m.to_dict() for m in measurements]},
        out,
        indent=2,
        default=str,
    )
    out.write("\n")
