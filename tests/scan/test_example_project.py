"""The scan of the bundled example project finds what it applies and nothing else."""

from __future__ import annotations

from pathlib import Path

from greentactics.scan.scanner import scan_paths


def test_digits_classifier(repo_root: Path) -> None:
    report = scan_paths([repo_root / "examples" / "digits_classifier"])
    applied = {t.id: t for t in report.tactics if t.status == "applied"}
    assert set(applied) == {"T05", "T19"}
    (projection,) = applied["T05"].evidence
    assert projection.path.endswith("baseline.py") and "PCA(n_components=32)" in projection.code
    # The weights are saved once after training: checkpointing only in part.
    assert applied["T19"].strength == "partial"
    assert report.diagnostics == ()
