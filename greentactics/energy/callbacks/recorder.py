"""The framework-independent part of the callbacks: a fit meter and one meter per epoch."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from greentactics.energy.measurement import Measurement
from greentactics.energy.meter import EnergyMeter


class EpochEnergyRecorder:
    """Opens a meter for the whole fit and a nested one per epoch; keeps what they measured.

    The meters do not become the "active" measurement of the thread (a fit that crashes
    would otherwise leave it set), so they link by explicit ``parent_id``.
    """

    def __init__(
        self,
        label: str = "fit",
        *,
        per_epoch: bool = True,
        **options: Any,
    ) -> None:
        self.label = label
        self.per_epoch = per_epoch
        self.options = options
        self.epochs: list[Measurement] = []
        self.fit: Measurement | None = None
        self._fit_meter: EnergyMeter | None = None
        self._epoch_meter: EnergyMeter | None = None
        self._epoch: int | None = None

    def _meter(
        self, label: str, extra_tags: Mapping[str, object], parent: str | None
    ) -> EnergyMeter:
        tags = {**(self.options.get("tags") or {}), **extra_tags}
        options = {k: v for k, v in self.options.items() if k != "tags"}
        return EnergyMeter(label, tags=tags, parent_id=parent, activate=False, **options)

    def begin_fit(self) -> None:
        if self._fit_meter is not None:
            self.end_fit("restarted")
        self.epochs = []
        self.fit = None
        self._fit_meter = self._meter(self.label, {"scope": "fit"}, None)
        self._fit_meter.__enter__()

    def begin_epoch(self, epoch: int) -> None:
        if not self.per_epoch:
            return
        if self._epoch_meter is not None:
            self.end_epoch()
        parent = self._fit_meter.id if self._fit_meter is not None else None
        self._epoch = epoch
        self._epoch_meter = self._meter(
            f"{self.label}/epoch", {"scope": "epoch", "epoch": epoch}, parent
        )
        self._epoch_meter.__enter__()

    def end_epoch(self, error: BaseException | None = None) -> Measurement | None:
        meter, self._epoch_meter = self._epoch_meter, None
        if meter is None:
            return None
        meter.__exit__(type(error) if error else None, error, None)
        if meter.measurement is not None:
            self.epochs.append(meter.measurement)
        return meter.measurement

    def end_fit(self, error: BaseException | str | None = None) -> Measurement | None:
        exc = error if isinstance(error, BaseException) else None
        self.end_epoch(exc)
        meter, self._fit_meter = self._fit_meter, None
        if meter is None:
            return None
        meter.__exit__(type(exc) if exc else None, exc, None)
        self.fit = meter.measurement
        return self.fit

    @property
    def epoch_energies_j(self) -> list[float | None]:
        return [m.total_energy_j for m in self.epochs]


class RecordsEpochs:
    """What every framework callback exposes: ``fit`` and ``epochs`` of its recorder."""

    recorder: EpochEnergyRecorder

    @property
    def epochs(self) -> list[Measurement]:
        """One measurement per finished epoch, in order."""
        return self.recorder.epochs

    @property
    def fit(self) -> Measurement | None:
        """The measurement of the whole fit (None before it starts)."""
        return self.recorder.fit
