"""The GPU path, on a machine that has one (skipped elsewhere; CI has no GPU today)."""

from __future__ import annotations

import pytest

torch = pytest.importorskip("torch")
pytestmark = pytest.mark.skipif(not torch.cuda.is_available(), reason="needs a CUDA GPU")


def test_gpu_energy_comes_from_the_nvml_counter_and_queued_kernels_are_billed() -> None:
    from greentactics import measure_energy

    a = torch.randn(4096, 4096, device="cuda")
    torch.cuda.synchronize()
    with measure_energy(label="gpu-matmul", store=False) as m:
        for _ in range(200):  # queued asynchronously; the meter must wait for them
            a = a @ a
            a = a / a.norm()
    r = m.measurement
    assert r is not None and r.total_energy_j is not None
    gpu = r.components["gpu"]
    assert gpu.present and gpu.energy_j > 0
    assert r.hardware.gpu_count >= 1 and r.hardware.gpu_models
    major, _ = torch.cuda.get_device_capability()
    if major >= 7:  # Volta and newer have the total-energy counter
        assert (gpu.method, gpu.source) == ("measured", "NVML energy counter")
    # The window lasted until the queued kernels finished, not just until they were queued.
    start = torch.cuda.Event(enable_timing=True)
    end = torch.cuda.Event(enable_timing=True)
    start.record()
    for _ in range(200):
        a = a @ a
        a = a / a.norm()
    end.record()
    torch.cuda.synchronize()
    assert r.duration_s >= 0.5 * start.elapsed_time(end) / 1000
