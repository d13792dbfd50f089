"""Text for people: one measurement, a table of them. Estimates are always marked as such.

A figure obtained from a model (TDP x load, a flat RAM figure) is printed with a leading
``~`` and the word "estimated"; only hardware counters print as plain numbers. A figure from
a window too short for the estimate to resolve is followed by ``!`` and its quality note.
"""

from __future__ import annotations

from collections.abc import Sequence

from greentactics.energy.measurement import ComponentEnergy, Measurement

ESTIMATE_MARK = "~"
LOW_RESOLUTION_MARK = "!"


def format_joules(value: float | None, *, estimated: bool = False) -> str:
    if value is None:
        return "n/a"
    magnitude = abs(value)
    if magnitude >= 3.6e6:
        text = f"{value / 3.6e6:.3f} kWh"
    elif magnitude >= 1e4:
        text = f"{value / 1e3:.1f} kJ"
    elif magnitude >= 10:
        text = f"{value:.1f} J"
    else:
        text = f"{value:.3f} J"
    return f"{ESTIMATE_MARK}{text}" if estimated else text


def format_seconds(value: float) -> str:
    if value >= 3600:
        return f"{value / 3600:.2f} h"
    if value >= 120:
        return f"{value / 60:.1f} min"
    return f"{value:.2f} s"


def component_line(name: str, component: ComponentEnergy) -> str:
    if not component.present:
        return f"  {name:<4} {'-':>12}  ({component.source})"
    figure = format_joules(component.energy_j, estimated=component.is_estimate)
    return f"  {name:<4} {figure:>12}  {component.method} ({component.source})"


def describe_method(measurement: Measurement) -> str:
    summary = measurement.method_summary
    if summary == "measured":
        return "measured (hardware energy counters)"
    if summary == "failed":
        return "not measured (the tracker failed)"
    estimated = sorted(
        f"{name}: {c.source}"
        for name, c in measurement.components.items()
        if c.present and c.is_estimate
    )
    return f"{summary}; estimated parts: {', '.join(estimated)}"


def format_measurement(measurement: Measurement, idle: Measurement | None = None) -> str:
    """A multi-line description of one measurement (``greentactics energy show``).

    With an ``idle`` baseline, the dynamic energy (total - idle power x duration) is shown too.
    """
    m = measurement
    estimated = m.method_summary != "measured"
    lines = [
        f"measurement {m.id}",
        f"  label     {m.label}" + (f"   tactic {m.tactic}" if m.tactic else ""),
    ]
    if m.project:
        lines.append(f"  project   {m.project}")
    if m.tags:
        lines.append("  tags      " + ", ".join(f"{k}={v}" for k, v in sorted(m.tags.items())))
    lines += [
        f"  kind      {m.kind}" + (f"   nested inside {m.parent_id}" if m.parent_id else ""),
        f"  outcome   {m.outcome}",
        f"  window    {m.started_at} -> {m.ended_at} ({format_seconds(m.duration_s)})",
        f"  energy    {format_joules(m.total_energy_j, estimated=estimated)}"
        + (f" ({m.total_energy_kwh:.6g} kWh)" if m.total_energy_kwh is not None else ""),
        f"  method    {describe_method(m)}",
    ]
    if m.quality_note:
        lines.append(f"  quality   {LOW_RESOLUTION_MARK} {m.quality_note}")
    idle_power = idle.average_power_w if idle is not None and idle.id != m.id else None
    if idle_power is not None and m.total_energy_j is not None:
        dynamic = m.total_energy_j - idle_power * m.duration_s
        lines.append(
            f"  dynamic   {format_joules(dynamic, estimated=estimated)} (total - idle "
            f"{ESTIMATE_MARK if estimated else ''}{idle_power:.1f} W x time)"
        )
    if m.average_power_w is not None:
        lines.append(
            f"  power     {ESTIMATE_MARK if estimated else ''}{m.average_power_w:.1f} W avg"
        )
    for name, component in m.components.items():
        lines.append(component_line(name, component))
    if m.emissions_kg is not None:
        intensity = (
            f"{m.carbon_intensity_g_per_kwh:.1f} g/kWh"
            if m.carbon_intensity_g_per_kwh is not None
            else "n/a"
        )
        lines.append(
            f"  emissions {ESTIMATE_MARK}{m.emissions_kg * 1000:.4g} g CO2eq "
            f"({m.country_name or m.country_iso_code} {m.country_iso_code}, {intensity}, "
            "yearly average grid)"
        )
    hw = m.hardware
    gpus = ", ".join(hw.gpu_models) if hw.gpu_models else "none"
    lines.append(
        f"  hardware  {hw.cpu_model or 'unknown CPU'} ({hw.cpu_count} threads), GPUs: {gpus}, "
        f"RAM {hw.ram_total_gb:.1f} GB, host {hw.hostname}"
    )
    lines.append(f"  tracker   CodeCarbon {m.codecarbon_version}, {m.tracking_mode} mode, offline")
    for node in m.nodes:
        lines.append(
            f"  node      {node.hostname} (rank {node.rank}): "
            f"{format_joules(node.total_energy_j, estimated=estimated)}"
        )
    if m.error:
        lines.append(f"  error     {m.error}")
    return "\n".join(lines)


def format_table(measurements: Sequence[Measurement]) -> str:
    """One line per measurement (``greentactics energy list``); nested ones are indented."""
    header = (
        f"{'id':<8}  {'started (UTC)':<19}  {'label':<24}  {'time':>9}  {'energy':>11}  "
        "method     outcome"
    )
    lines = [header]
    top_total = 0.0
    any_estimate = False
    any_flagged = False
    for m in measurements:
        estimated = m.method_summary != "measured"
        any_estimate = any_estimate or (estimated and m.total_energy_j is not None)
        any_flagged = any_flagged or bool(m.quality_note)
        label = ("  > " if m.parent_id else "") + m.label + (" [idle]" if m.kind == "idle" else "")
        energy = format_joules(m.total_energy_j, estimated=estimated)
        if m.quality_note:
            energy += LOW_RESOLUTION_MARK
        lines.append(
            f"{m.id[:8]:<8}  {m.started_at[:19].replace('T', ' '):<19}  {label[:24]:<24}  "
            f"{format_seconds(m.duration_s):>9}  {energy:>11}  "
            f"{m.method_summary:<9}  {m.outcome}"
        )
        if m.parent_id is None and m.total_energy_j is not None:
            top_total += m.total_energy_j
    lines.append(
        f"{len(measurements)} measurement(s); total of top-level ones "
        f"{format_joules(top_total, estimated=any_estimate)} (nested ones are already inside "
        "their parent and not added)"
    )
    if any_estimate:
        lines.append(
            f"{ESTIMATE_MARK} = estimated from a model (TDP x load, flat RAM), not measured"
        )
    if any_flagged:
        lines.append(
            f"{LOW_RESOLUTION_MARK} = window too short for the estimate to resolve; "
            "`greentactics energy show ID` says why"
        )
    return "\n".join(lines)
