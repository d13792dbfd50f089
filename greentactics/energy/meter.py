"""``measure_energy``: a decorator and context manager around one CodeCarbon tracker.

The life of one measurement:

1. settings are resolved and the store is opened for writing (an unwritable store fails
   here, before the user's work starts);
2. CUDA is synchronised (if torch initialised it) and a new offline tracker starts; if it
   cannot start, a warning says so and the work runs anyway (the record has no energy);
3. the user's code runs;
4. CUDA is synchronised again, the tracker stops, its final data is read;
5. the outcome (``ok``, the exception's type name, or ``interrupted``) and the energy are
   written to the store at once, and the exception, if any, propagates unchanged.

Nesting: a measurement started while another is active in the same thread or task (or in
a child process of ``greentactics energy run``) runs its own tracker and records the outer
one's id as ``parent_id``. Both windows are real, but the inner energy is already part of the
outer's, so totals in reports count only top-level measurements.
"""

from __future__ import annotations

import contextvars
import functools
import inspect
import json
import os
import sys
import time
import types
import uuid
import warnings
from collections.abc import Callable, Mapping
from datetime import datetime, timezone
from pathlib import Path
from typing import Any, Generic, Literal, ParamSpec, TypeVar, overload

from greentactics.energy import tracking
from greentactics.energy.distributed import (
    DistributedContext,
    DistributedMode,
    RankReport,
    all_gather,
    combine_nodes,
    current_context,
    gather_reports,
)
from greentactics.energy.measurement import ComponentEnergy, Hardware, Measurement, NodeEnergy
from greentactics.energy.resolution import assess_window
from greentactics.energy.settings import EnergySettings, resolve_settings
from greentactics.energy.store import EnergyStore, StoreError

P = ParamSpec("P")
R = TypeVar("R")

PARENT_ENV = "GREENTACTICS_PARENT_MEASUREMENT"
_ACTIVE: contextvars.ContextVar[EnergyMeter | None] = contextvars.ContextVar(
    "greentactics_active_meter", default=None
)


class EnergyWarning(UserWarning):
    """A measurement could not be taken or saved; the user's code was not affected."""


class LowResolutionWarning(EnergyWarning):
    """A window was too short for CodeCarbon to resolve; its record has a ``quality_note``."""


# Low-resolution windows often come in loops: say it once per process, the records say the rest.
_warned_once: set[type[Warning]] = set()


def _warn_low_resolution(measurement: Measurement) -> None:
    if LowResolutionWarning in _warned_once:
        return
    _warned_once.add(LowResolutionWarning)
    warnings.warn(
        f"greentactics: energy of {measurement.label!r} is below the resolution of the "
        f"estimate ({measurement.quality_note}). Further such windows are flagged in their "
        "records (quality_note) without this warning.",
        LowResolutionWarning,
        stacklevel=4,
    )


def _now() -> str:
    return datetime.now(timezone.utc).isoformat(timespec="milliseconds")


def _codecarbon_version() -> str:
    try:
        from importlib.metadata import version

        return version("codecarbon")
    except Exception:
        return ""


def _outcome(exc_type: type[BaseException] | None) -> str:
    if exc_type is None:
        return "ok"
    if issubclass(exc_type, KeyboardInterrupt):
        return "interrupted"
    return exc_type.__name__


class EnergyMeter:
    """One measured window. Use once, as ``with measure_energy(...) as m:``.

    After the block, ``m.measurement`` is the frozen :class:`Measurement`. Calling the meter
    on a function (``@measure_energy(label=...)``) returns a decorated function that opens
    a fresh meter with the same options on every call.
    """

    def __init__(
        self,
        label: str | None = None,
        *,
        tactic: str | None = None,
        project: str | None = None,
        tags: Mapping[str, object] | None = None,
        store: str | os.PathLike[str] | Literal[False] | None = None,
        country: str | None = None,
        tracking_mode: str | None = None,
        measure_power_secs: float | None = None,
        kind: str = "run",
        verbose: bool = False,
        distributed: DistributedMode = "auto",
        parent_id: str | None = None,
        activate: bool = True,
    ) -> None:
        self.label = label
        self._explicit_parent = parent_id
        self._activate = activate
        self.options: dict[str, Any] = {
            "tactic": tactic,
            "project": project,
            "tags": dict(tags) if tags else None,
            "store": store,
            "country": country,
            "tracking_mode": tracking_mode,
            "measure_power_secs": measure_power_secs,
            "kind": kind,
            "verbose": verbose,
            "distributed": distributed,
        }
        self.id = uuid.uuid4().hex
        self.parent_id: str | None = None
        self._measurement: Measurement | None = None
        self._entered = False
        self._tracker: Any = None
        self._failure: str | None = None
        self._store: EnergyStore | None = None
        self._settings: EnergySettings | None = None
        self._token: contextvars.Token[EnergyMeter | None] | None = None
        self._context: DistributedContext | None = None
        self._started_at = ""
        self._t0 = 0.0

    # -- results ------------------------------------------------------------------------

    @property
    def measurement(self) -> Measurement | None:
        """The finished measurement (None until the window has ended)."""
        return self._measurement

    @property
    def store_path(self) -> Path | None:
        return self._store.path if self._store else None

    # -- decorator ---------------------------------------------------------------------

    def __call__(self, func: Callable[P, R]) -> MeasuredFunction[P, R]:
        return MeasuredFunction(func, label=self.label, **self.options)

    # -- context manager -----------------------------------------------------------------

    def __enter__(self) -> EnergyMeter:
        if self._entered:
            raise RuntimeError("an EnergyMeter measures one window; create a new one")
        self._entered = True
        options = self.options
        self._settings = resolve_settings(
            country=options["country"],
            store=options["store"] or None,
            tracking_mode=options["tracking_mode"],
            measure_power_secs=options["measure_power_secs"],
        )
        self._context = current_context(options["distributed"])
        self._open_store()  # raises StoreError before any work
        parent = _ACTIVE.get()
        self.parent_id = (
            self._explicit_parent
            or (parent.id if parent is not None else None)
            or os.environ.get(PARENT_ENV)
            or None
        )
        if self._activate:
            self._token = _ACTIVE.set(self)
        if self.label is None:
            self.label = "measurement"
        try:
            if self._context is None or self._context.tracks:
                self._start_tracker(self._settings)
        except BaseException:
            self._deactivate()
            raise
        self._started_at = _now()
        self._t0 = time.perf_counter()
        return self

    def _open_store(self) -> None:
        assert self._settings is not None
        if self.options["store"] is False:
            return
        if self._context is None:
            self._store = EnergyStore(self._settings.store)
            self._store.ensure_writable()
            return
        # Distributed: rank 0 alone writes, but every rank must learn that it cannot, or
        # the others would train for hours and then wait for it forever.
        problem: str | None = None
        if self._context.stores:
            self._store = EnergyStore(self._settings.store)
            try:
                self._store.ensure_writable()
            except StoreError as error:
                problem = str(error)
        problems = [p for p in all_gather(problem) if p]
        if problems:
            raise StoreError(problems[0])

    def _start_tracker(self, settings: EnergySettings) -> None:
        tracking.synchronize_cuda()
        try:
            tracker = tracking.create_tracker(
                country=settings.country,
                project=self.options["project"] or "greentactics",
                tracking_mode=settings.tracking_mode,
                measure_power_secs=settings.measure_power_secs,
                verbose=self.options["verbose"],
            )
            tracking.start_tracker(tracker)
        except Exception as error:
            self._failure = f"{type(error).__name__}: {error}"
            warnings.warn(
                f"greentactics: energy tracker for {self.label!r} failed to start "
                f"({self._failure}); the code runs unmeasured and the record will have no "
                "energy",
                EnergyWarning,
                stacklevel=3,
            )
            return
        self._tracker = tracker

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: types.TracebackType | None,
    ) -> Literal[False]:
        try:
            self._finish(_outcome(exc_type))
        except Exception as error:  # never mask the user's exception or result
            warnings.warn(
                f"greentactics: could not finish the energy measurement of {self.label!r}: "
                f"{type(error).__name__}: {error}",
                EnergyWarning,
                stacklevel=2,
            )
        finally:
            self._deactivate()
        return False

    def _deactivate(self) -> None:
        if self._token is None:
            return
        try:
            _ACTIVE.reset(self._token)
        except ValueError:  # left in another context (thread, task): restore by hand
            if _ACTIVE.get() is self:
                old = self._token.old_value
                _ACTIVE.set(None if old is contextvars.Token.MISSING else old)
        self._token = None

    def _finish(self, outcome: str) -> None:
        reading: tracking.TrackerReading | None = None
        if self._tracker is not None:
            tracking.synchronize_cuda()
            duration = time.perf_counter() - self._t0
            ended_at = _now()
            try:
                reading = tracking.stop_tracker(self._tracker, window_s=duration)
            except Exception as error:
                self._failure = f"{type(error).__name__}: {error}"
                warnings.warn(
                    f"greentactics: energy tracker for {self.label!r} failed to stop "
                    f"({self._failure}); the record will have no energy",
                    EnergyWarning,
                    stacklevel=4,
                )
            finally:
                self._tracker = None
        else:
            duration = time.perf_counter() - self._t0
            ended_at = _now()
        if self._context is not None:
            measurement = self._build_distributed(reading, outcome, ended_at, duration)
        else:
            measurement = self._build(reading, outcome, ended_at, duration)
        self._measurement = measurement
        if measurement.quality_note:
            _warn_low_resolution(measurement)
        if self._store is not None and (self._context is None or self._context.stores):
            self._save(measurement)

    def _build(
        self,
        reading: tracking.TrackerReading | None,
        outcome: str,
        ended_at: str,
        duration: float,
        *,
        nodes: tuple[NodeEnergy, ...] = (),
        components: dict[str, ComponentEnergy] | None = None,
        total_energy_j: float | None = None,
        measurement_id: str | None = None,
    ) -> Measurement:
        settings = self._settings
        assert settings is not None
        if reading is not None and components is None:
            components = reading.components
            total_energy_j = reading.total_energy_j
        intensity = reading.carbon_intensity_g_per_kwh if reading is not None else None
        emissions = None
        if total_energy_j is not None and intensity is not None:
            emissions = total_energy_j / 3_600_000.0 * intensity / 1000.0
        elif reading is not None and not nodes:
            emissions = reading.emissions_kg
        hardware = reading.hardware if reading is not None else _fallback_hardware()
        quality_note = None
        if total_energy_j is not None and components:
            quality_note = assess_window(
                duration,
                components,
                read_by_tracker=reading.read_by_tracker if reading is not None else True,
            )
        tags = {str(k): str(v) for k, v in (self.options["tags"] or {}).items()}
        return Measurement(
            id=measurement_id or self.id,
            label=self.label or "measurement",
            started_at=self._started_at,
            ended_at=ended_at,
            duration_s=duration,
            total_energy_j=total_energy_j if self._failure is None or nodes else None,
            components=components or {},
            emissions_kg=emissions,
            country_iso_code=reading.country_iso_code if reading else settings.country,
            country_name=reading.country_name if reading else "",
            carbon_intensity_g_per_kwh=intensity,
            outcome=outcome,
            tactic=self.options["tactic"],
            project=self.options["project"],
            tags=tags,
            kind=self.options["kind"],
            hardware=hardware,
            codecarbon_version=reading.codecarbon_version if reading else _codecarbon_version(),
            tracking_mode=reading.tracking_mode if reading else settings.tracking_mode,
            parent_id=self.parent_id,
            nodes=nodes,
            error=self._failure,
            quality_note=quality_note,
            codecarbon_record=reading.record if reading else {},
        )

    def _build_distributed(
        self,
        reading: tracking.TrackerReading | None,
        outcome: str,
        ended_at: str,
        duration: float,
    ) -> Measurement:
        context = self._context
        assert context is not None
        node = None
        if context.tracks and reading is not None:
            node = NodeEnergy(
                hostname=context.hostname,
                rank=context.rank,
                components=reading.components,
                hardware=reading.hardware,
            )
        mine = RankReport(
            rank=context.rank,
            hostname=context.hostname,
            node=node,
            error=self._failure if context.tracks else None,
            measurement_id=self.id,
            outcome=outcome,
        )
        reports = sorted(gather_reports(mine), key=lambda r: r.rank)
        nodes = tuple(r.node for r in reports if r.node is not None)
        errors = [f"rank {r.rank} ({r.hostname}): {r.error}" for r in reports if r.error]
        if errors:
            self._failure = "; ".join(errors)
        total = None if errors or not nodes else sum(n.total_energy_j for n in nodes)
        bad = [r for r in reports if r.outcome != "ok"]
        if outcome == "ok" and bad:
            outcome = f"{bad[0].outcome} (rank {bad[0].rank})"
        # Rank 0's reading carries the carbon intensity; every node uses the same country.
        return self._build(
            reading,
            outcome,
            ended_at,
            duration,
            nodes=nodes,
            components=combine_nodes(nodes) if nodes else {},
            total_energy_j=total,
            measurement_id=reports[0].measurement_id if reports else self.id,
        )

    def _save(self, measurement: Measurement) -> None:
        assert self._store is not None
        try:
            self._store.add(measurement)
        except StoreError as error:
            # Keep the record: print it so that it can be re-imported by hand.
            warnings.warn(
                f"greentactics: {error}; the measurement follows on stderr as JSON",
                EnergyWarning,
                stacklevel=5,
            )
            print(json.dumps(measurement.to_dict(), default=str), file=sys.stderr)


def _fallback_hardware() -> Hardware:
    import platform
    import socket

    return Hardware(
        cpu_model=platform.processor(),
        cpu_count=os.cpu_count() or 0,
        hostname=socket.gethostname(),
        os=platform.platform(),
        python_version=platform.python_version(),
    )


class MeasuredFunction(Generic[P, R]):
    """A function whose every call is measured; ``last_measurement`` holds the latest.

    ``async def`` functions are measured from the first step of the coroutine to its end.
    """

    def __init__(self, func: Callable[P, R], label: str | None, **options: Any) -> None:
        functools.update_wrapper(self, func)
        self.__wrapped__ = func
        self.label = label or getattr(func, "__qualname__", None) or "measurement"
        self.options = options
        self.last_measurement: Measurement | None = None
        self._is_coroutine = inspect.iscoroutinefunction(func)

    def __call__(self, *args: P.args, **kwargs: P.kwargs) -> R:
        if self._is_coroutine:
            return self._measure_coroutine(*args, **kwargs)  # type: ignore[return-value]
        meter = EnergyMeter(self.label, **self.options)
        try:
            with meter:
                return self.__wrapped__(*args, **kwargs)
        finally:
            if meter.measurement is not None:
                self.last_measurement = meter.measurement

    async def _measure_coroutine(self, *args: Any, **kwargs: Any) -> Any:
        meter = EnergyMeter(self.label, **self.options)
        try:
            with meter:
                return await self.__wrapped__(*args, **kwargs)  # type: ignore[misc]
        finally:
            if meter.measurement is not None:
                self.last_measurement = meter.measurement

    def __get__(self, instance: object, owner: type | None = None) -> Any:
        # Support methods: bind like a function would (attributes stay reachable).
        if instance is None:
            return self
        return types.MethodType(self, instance)


@overload
def measure_energy(func: Callable[P, R], /) -> MeasuredFunction[P, R]: ...


@overload
def measure_energy(
    func: None = None,
    /,
    *,
    label: str | None = None,
    tactic: str | None = None,
    project: str | None = None,
    tags: Mapping[str, object] | None = None,
    store: str | os.PathLike[str] | Literal[False] | None = None,
    country: str | None = None,
    tracking_mode: str | None = None,
    measure_power_secs: float | None = None,
    kind: str = "run",
    verbose: bool = False,
    distributed: DistributedMode = "auto",
) -> EnergyMeter: ...


def measure_energy(
    func: Callable[P, R] | None = None,
    /,
    *,
    label: str | None = None,
    tactic: str | None = None,
    project: str | None = None,
    tags: Mapping[str, object] | None = None,
    store: str | os.PathLike[str] | Literal[False] | None = None,
    country: str | None = None,
    tracking_mode: str | None = None,
    measure_power_secs: float | None = None,
    kind: str = "run",
    verbose: bool = False,
    distributed: DistributedMode = "auto",
) -> MeasuredFunction[P, R] | EnergyMeter:
    """Measure the energy of a block or a function with CodeCarbon, offline, and store it.

    ``@measure_energy``, ``@measure_energy(label=..., tactic=...)`` and
    ``with measure_energy(...) as m:`` all work. ``store=False`` keeps the measurement in
    memory only; ``store=PATH`` chooses the SQLite file (default
    ``.greentactics/energy.sqlite`` in the project root). ``country`` is an ISO-3 code for
    the grid's carbon intensity (default from ``GREENTACTICS_COUNTRY``, pyproject.toml, else
    USA). ``verbose=True`` lets CodeCarbon log.
    """
    meter = EnergyMeter(
        label,
        tactic=tactic,
        project=project,
        tags=tags,
        store=store,
        country=country,
        tracking_mode=tracking_mode,
        measure_power_secs=measure_power_secs,
        kind=kind,
        verbose=verbose,
        distributed=distributed,
    )
    if func is not None:
        return meter(func)
    return meter


def measure_idle(seconds: float = 10.0, **options: Any) -> Measurement:
    """Measure the machine doing nothing for ``seconds``: the idle baseline for reports.

    Reports subtract idle power x duration from a run's energy to show its dynamic energy.
    """
    options.setdefault("label", "idle")
    meter = measure_energy(kind="idle", **options)
    with meter:
        time.sleep(seconds)
    assert meter.measurement is not None
    return meter.measurement
