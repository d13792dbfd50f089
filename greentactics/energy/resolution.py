"""Windows shorter than CodeCarbon can resolve: how they are detected, repaired and flagged.

What CodeCarbon 3.x does (``emissions_tracker.py``, ``external/hardware.py``):

* ``start()`` takes a first reading at once, covering only the tracker's own start-up
  (a few milliseconds). Energy is always "power x time since the previous reading".
* ``stop()`` takes the final reading only if the previous one is at least 0.05 s old
  (``_measure_power_and_energy_if_stale(min_interval_s=0.05)``). A shorter window therefore
  gets no reading of its own: its energy is that of the start-up, unrelated to the window
  (0.01 J for a 0.04 s window, 0.28 J for a 0.005 s one, while RAM alone is modelled at 20 W).
* Estimated power is sampled once a second (the power monitor), the CPU load comes from
  kernel tick counters (10 ms steps), and the start-up time is billed inside the window.
  Below about a second these errors are no longer small next to the figure.

So: when CodeCarbon took no reading after its start-up one, every estimated or constant
component is recomputed from the documented model, CodeCarbon's own modelled power x the
window's duration, and its ``source`` says so; a measured component (a hardware counter)
cannot be modelled and is kept. Either way, a window shorter than :data:`RESOLUTION_S` with
estimated parts, or one CodeCarbon did not read, carries a ``quality_note``.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import replace
from typing import Any

from greentactics.energy.measurement import ComponentEnergy

RESOLUTION_S = 1.0
"""Shortest window whose estimated energy is not flagged: CodeCarbon's 1 s power sampling."""

FINAL_READING_CUTOFF_S = 0.05
"""CodeCarbon's ``stop()`` skips its final reading when the previous one is younger than this."""

MODELLED_SOURCE_SUFFIX = "power x window (CodeCarbon took no reading inside the window)"


def model_over_window(
    components: Mapping[str, ComponentEnergy], record: Mapping[str, Any], window_s: float
) -> dict[str, ComponentEnergy]:
    """Replace each estimated or constant component's energy by modelled power x ``window_s``.

    The power is CodeCarbon's own (``cpu_power``, ``gpu_power``, ``ram_power`` in its record).
    Measured components and absent ones are returned unchanged.
    """
    repaired: dict[str, ComponentEnergy] = {}
    for name, component in components.items():
        power_w = record.get(f"{name}_power")
        if not component.present or not component.is_estimate or power_w is None:
            repaired[name] = component
            continue
        repaired[name] = replace(
            component,
            energy_j=float(power_w) * max(window_s, 0.0),
            source=f"{component.source}; {MODELLED_SOURCE_SUFFIX}",
        )
    return repaired


def assess_window(
    duration_s: float, components: Mapping[str, ComponentEnergy], *, read_by_tracker: bool
) -> str | None:
    """The quality note for a window, or None when its figure is within CodeCarbon's resolution.

    ``read_by_tracker`` is False when CodeCarbon took no reading after its start-up one.
    """
    estimated = any(c.present and c.is_estimate for c in components.values())
    if not read_by_tracker:
        measured = [n for n, c in components.items() if c.present and not c.is_estimate]
        note = (
            f"window of {duration_s * 1000:.1f} ms is shorter than CodeCarbon's final-reading "
            f"cutoff ({FINAL_READING_CUTOFF_S:g} s): estimated parts are modelled power x window"
        )
        if measured:
            note += f"; measured parts ({', '.join(measured)}) cover the tracker's start-up only"
        return note + "; repeat the work inside one longer window"
    if estimated and duration_s < RESOLUTION_S:
        return (
            f"window of {duration_s * 1000:.0f} ms is shorter than the {RESOLUTION_S:g} s "
            "resolution of CodeCarbon's estimates (1 s power sampling, 10 ms CPU-load ticks, "
            "tracker start-up billed inside); repeat the work inside one longer window"
        )
    return None
