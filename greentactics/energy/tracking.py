"""A thin adapter over CodeCarbon's OfflineEmissionsTracker: start, stop, and read honestly.

CodeCarbon's ``start()``/``stop()`` swallow their own exceptions and only log them, so this
module checks the tracker's state after each call and reports a failure as a value. It also
reads *how* each component was obtained (CodeCarbon's private hardware objects, read with
``getattr`` and defaults) so that a TDP-times-load model is never shown as a measurement.
Nothing here reaches the network: the tracker is always the offline one, with every output
method off (no CSV, no API, no Prometheus), and Electricity Maps disabled.
"""

from __future__ import annotations

import logging
import os
import platform
import socket
import sys
from collections.abc import Mapping
from dataclasses import asdict, dataclass, is_dataclass
from typing import Any

from greentactics.energy.measurement import (
    JOULES_PER_KWH,
    ComponentEnergy,
    Hardware,
    Method,
)
from greentactics.energy.resolution import model_over_window

LOG_LEVEL_ENV = "CODECARBON_LOG_LEVEL"
VERBOSE_ENV = "GREENTACTICS_ENERGY_VERBOSE"

# CPU modes of codecarbon.external.hardware.CPU._mode -> (method, source)
_CPU_MODES: dict[str, tuple[Method, str]] = {
    "intel_rapl": ("measured", "RAPL"),
    "windows_emi": ("measured", "Windows Energy Meter Interface"),
    "intel_power_gadget": ("measured", "Intel Power Gadget"),
    "apple_powermetrics": ("measured", "powermetrics"),
    "cpu_load": ("estimated", "TDP x load"),
    "constant": ("constant", "TDP x 50%"),
}


class TrackerFailure(Exception):
    """CodeCarbon could not start or stop; the message says what went wrong."""


@dataclass(frozen=True)
class TrackerReading:
    """What one tracker saw, converted to joules and labelled by method."""

    components: dict[str, ComponentEnergy]
    total_energy_j: float
    duration_s: float
    emissions_kg: float
    country_iso_code: str
    country_name: str
    hardware: Hardware
    codecarbon_version: str
    tracking_mode: str
    record: dict[str, Any]
    read_by_tracker: bool = True
    """False when CodeCarbon took no reading after its start-up one (a very short window)."""

    @property
    def carbon_intensity_g_per_kwh(self) -> float | None:
        # CodeCarbon's own energy, which its emissions were computed from (the total may
        # have been re-modelled for a very short window).
        kwh = float(self.record.get("energy_consumed") or 0.0)
        return self.emissions_kg / kwh * 1000.0 if kwh > 0 else None


def quiet_codecarbon(verbose: bool = False) -> None:
    """Silence CodeCarbon's logger (errors only) unless ``verbose`` or the env asks for more.

    CodeCarbon sets its level from ``CODECARBON_LOG_LEVEL`` at import and again in every
    tracker's ``__init__``, so the variable is set before the import and ``log_level`` is
    passed to each tracker as well.
    """
    verbose = verbose or os.environ.get(VERBOSE_ENV, "") not in ("", "0")
    if not verbose:
        os.environ.setdefault(LOG_LEVEL_ENV, "error")
    logging.getLogger("codecarbon").setLevel(
        os.environ.get(LOG_LEVEL_ENV, "error").upper() if not verbose else logging.INFO
    )


def codecarbon_log_level(verbose: bool) -> str:
    if verbose or os.environ.get(VERBOSE_ENV, "") not in ("", "0"):
        return "info"
    return os.environ.get(LOG_LEVEL_ENV, "error")


def create_tracker(
    *,
    country: str,
    project: str,
    tracking_mode: str,
    measure_power_secs: float,
    verbose: bool = False,
) -> Any:
    """A new, unstarted OfflineEmissionsTracker configured to write nothing anywhere."""
    quiet_codecarbon(verbose)
    from codecarbon import OfflineEmissionsTracker

    tracker = OfflineEmissionsTracker(
        country_iso_code=country,
        project_name=project,
        measure_power_secs=measure_power_secs,
        tracking_mode=tracking_mode,
        log_level=codecarbon_log_level(verbose),
        output_methods=[],  # no CSV, no API: we store the result ourselves
        output_handlers=[],
        emissions_endpoint=None,
        electricitymaps_api_token=None,
        allow_multiple_runs=True,  # no machine-wide lock file (nested/parallel runs)
    )
    if not hasattr(tracker, "_scheduler") or not hasattr(tracker, "_conf"):
        # OfflineEmissionsTracker.__init__ swallows its own exceptions (half-built tracker).
        raise TrackerFailure("CodeCarbon could not build a tracker (see its log with verbose)")
    return tracker


def start_tracker(tracker: Any) -> None:
    """Start ``tracker``; raise TrackerFailure if CodeCarbon's swallowed start() failed."""
    tracker.start()
    if getattr(tracker, "_start_time", None) is None or not getattr(tracker, "_hardware", None):
        raise TrackerFailure(
            "CodeCarbon's tracker did not start (its start() swallowed an error; "
            "set GREENTACTICS_ENERGY_VERBOSE=1 to see CodeCarbon's log)"
        )


def stop_tracker(tracker: Any, window_s: float | None = None) -> TrackerReading:
    """Stop ``tracker`` and read its final data; raise TrackerFailure if there is none.

    ``window_s`` is the measured window's duration, used to model the energy of a window
    CodeCarbon did not read (see :mod:`greentactics.energy.resolution`).
    """
    tracker.stop()
    data = getattr(tracker, "final_emissions_data", None)
    if data is None:
        raise TrackerFailure("CodeCarbon's tracker stopped without final data")
    return read_tracker(tracker, data, window_s=window_s)


def read_tracker(tracker: Any, data: Any, *, window_s: float | None = None) -> TrackerReading:
    if is_dataclass(data) and not isinstance(data, type):
        record: dict[str, Any] = asdict(data)
    else:
        record = dict(vars(data))
    components = describe_components(tracker, record)
    total_j = float(record.get("energy_consumed") or 0.0) * JOULES_PER_KWH
    read_by_tracker = readings_taken(tracker) != 1
    if not read_by_tracker:
        # Its figure is the start-up's energy, not the window's: use the model instead.
        window = window_s if window_s is not None else float(record.get("duration") or 0.0)
        components = model_over_window(components, record, window)
        total_j = sum(c.energy_j for c in components.values())
    return TrackerReading(
        components=components,
        total_energy_j=total_j,
        duration_s=float(record.get("duration") or 0.0),
        emissions_kg=float(record.get("emissions") or 0.0),
        country_iso_code=str(record.get("country_iso_code") or ""),
        country_name=str(record.get("country_name") or ""),
        hardware=describe_hardware(tracker, record),
        codecarbon_version=str(record.get("codecarbon_version") or ""),
        tracking_mode=str(record.get("tracking_mode") or ""),
        record=record,
        read_by_tracker=read_by_tracker,
    )


def readings_taken(tracker: Any) -> int | None:
    """How many power readings CodeCarbon took (1: only the one at start); None if unknown."""
    count = getattr(tracker, "_power_measurement_count", None)
    return count if isinstance(count, int) else None


def describe_components(tracker: Any, record: Mapping[str, Any]) -> dict[str, ComponentEnergy]:
    """Per-component energy from the final record, each labelled with how it was obtained."""
    hardware = list(getattr(tracker, "_hardware", []) or [])
    by_kind = {type(item).__name__: item for item in hardware}
    tracking_mode = str(record.get("tracking_mode") or "machine")

    def joules(key: str) -> float:
        return float(record.get(key) or 0.0) * JOULES_PER_KWH

    cpu_method, cpu_source = _cpu_method(by_kind, tracking_mode)
    gpu_method, gpu_source, gpu_present = _gpu_method(by_kind)
    ram_method, ram_source = _ram_method(by_kind)
    return {
        "cpu": ComponentEnergy(joules("cpu_energy"), cpu_method, cpu_source),
        "gpu": ComponentEnergy(joules("gpu_energy"), gpu_method, gpu_source, gpu_present),
        "ram": ComponentEnergy(joules("ram_energy"), ram_method, ram_source),
    }


def _cpu_method(by_kind: Mapping[str, Any], tracking_mode: str) -> tuple[Method, str]:
    if "AppleSiliconChip" in by_kind:
        return "measured", "powermetrics"
    if "Raspberry" in by_kind:
        return "measured", "Raspberry Pi PMIC"
    cpu = by_kind.get("CPU")
    if cpu is None:
        return "constant", "not tracked"
    mode = str(getattr(cpu, "_mode", "") or "")
    method, source = _CPU_MODES.get(mode, ("estimated", f"CodeCarbon {mode or 'unknown'} mode"))
    if mode == "cpu_load" and tracking_mode == "process":
        source = "TDP x process CPU share"
    return method, source


def _gpu_method(by_kind: Mapping[str, Any]) -> tuple[Method, str, bool]:
    if "AppleSiliconChip" in by_kind:
        return "measured", "powermetrics", True
    gpu = by_kind.get("GPU")
    devices = list(getattr(getattr(gpu, "devices", None), "devices", []) or [])
    if gpu is None or not devices:
        return "constant", "no GPU detected", False
    vendor = "AMD SMI" if any("AMD" in type(d).__name__ for d in devices) else "NVML"
    # GPUDevice: _has_counter (the energy counter was ever read) and _use_power_fallback
    # (currently integrating 1 s power samples instead of reading the counter).
    counter_everywhere = all(
        getattr(d, "_has_counter", False) and not getattr(d, "_use_power_fallback", True)
        for d in devices
    )
    if counter_everywhere:
        return "measured", f"{vendor} energy counter", True
    return "estimated", f"{vendor} power samples (1 s average, integrated)", True


def _ram_method(by_kind: Mapping[str, Any]) -> tuple[Method, str]:
    ram = by_kind.get("RAM")
    if ram is None:
        return "constant", "not tracked"
    if getattr(ram, "_force_ram_power", None) is not None:
        return "constant", "user-set RAM power"
    return "constant", "flat per-DIMM estimate"


def describe_hardware(tracker: Any, record: Mapping[str, Any]) -> Hardware:
    gpu_models: tuple[str, ...] = ()
    for item in getattr(tracker, "_hardware", []) or []:
        if type(item).__name__ == "GPU":
            try:
                info = item.devices.get_gpu_static_info()
                gpu_models = tuple(str(d.get("name", "")) for d in info)
            except Exception:  # NVML can fail late; the count below still stands
                gpu_models = ()
    return Hardware(
        cpu_model=str(record.get("cpu_model") or ""),
        cpu_count=int(record.get("cpu_count") or 0),
        gpu_models=gpu_models,
        gpu_count=int(record.get("gpu_count") or len(gpu_models)),
        ram_total_gb=float(record.get("ram_total_size") or 0.0),
        hostname=socket.gethostname(),
        os=str(record.get("os") or platform.platform()),
        python_version=str(record.get("python_version") or platform.python_version()),
    )


def synchronize_cuda() -> None:
    """Wait for queued CUDA work, if (and only if) torch has already initialised CUDA.

    Kernels launch asynchronously; without this, work queued inside the window would be
    billed to whatever runs after it. torch is never imported here just to check.
    """
    torch = sys.modules.get("torch")
    if torch is None:
        return
    try:
        cuda = torch.cuda
        if not cuda.is_initialized():
            return
        for index in range(cuda.device_count()):
            cuda.synchronize(index)
    except Exception as error:  # a broken CUDA context must not break the measurement
        logging.getLogger(__name__).warning("could not synchronise CUDA: %s", error)


def warm_up(country: str = "USA") -> float:
    """Run CodeCarbon's one-off hardware detection now; returns the seconds it took.

    The first tracker in a process spends 1-2 s detecting the hardware; later ones start
    in milliseconds. Call this once before timing-sensitive loops.
    """
    import time

    begin = time.perf_counter()
    tracker = create_tracker(
        country=country, project="warm-up", tracking_mode="machine", measure_power_secs=15
    )
    start_tracker(tracker)
    tracker.stop()
    return time.perf_counter() - begin
