"""Per-epoch energy with the real frameworks: keras 3 (torch backend), transformers, lightning.

Models are tiny and built from configs; nothing is downloaded.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

import pytest

from greentactics.energy import EnergyStore, Measurement

pytestmark = pytest.mark.slow


def check_fit(fit: Measurement | None, epochs: list[Measurement], n_epochs: int) -> None:
    assert fit is not None and fit.outcome == "ok" and fit.total_energy_j is not None
    assert len(epochs) == n_epochs
    assert [int(m.tags["epoch"]) for m in epochs] == list(range(n_epochs))
    for m in epochs:
        assert m.parent_id == fit.id  # nested: not added to the fit's total
        assert m.total_energy_j is not None and m.total_energy_j > 0
    assert sum(m.duration_s for m in epochs) <= fit.duration_s


def test_keras_callback(store_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("KERAS_BACKEND", os.environ.get("KERAS_BACKEND", "torch"))
    keras = pytest.importorskip("keras")
    if keras.backend.backend() != "torch":
        pytest.skip("keras was already imported with another backend")
    import numpy as np

    from greentactics.energy.callbacks.keras import KerasEnergyCallback

    rng = np.random.default_rng(0)
    x = rng.normal(size=(64, 4)).astype("float32")
    y = (x.sum(axis=1) > 0).astype("float32")
    model = keras.Sequential(
        [keras.Input((4,)), keras.layers.Dense(8, activation="relu"), keras.layers.Dense(1)]
    )
    model.compile(optimizer="sgd", loss="mse")
    callback = KerasEnergyCallback(label="keras-tiny", tactic="apply-early-stopping")
    history = model.fit(x, y, epochs=3, batch_size=16, verbose=0, callbacks=[callback])
    check_fit(callback.fit, callback.epochs, 3)
    assert len(history.history["energy_j"]) == 3
    stored = EnergyStore(store_path)
    assert len(stored.by_label("keras-tiny/epoch")) == 3
    assert stored.by_label("keras-tiny")[0].tactic == "apply-early-stopping"


def test_huggingface_callback(store_path: Path, tmp_path: Path) -> None:
    transformers = pytest.importorskip("transformers")
    pytest.importorskip("accelerate", reason="transformers' Trainer needs accelerate")
    import torch

    from greentactics.energy.callbacks.huggingface import HuggingFaceEnergyCallback

    config = transformers.BertConfig(
        vocab_size=50,
        hidden_size=16,
        num_hidden_layers=1,
        num_attention_heads=2,
        intermediate_size=32,
        max_position_embeddings=16,
        num_labels=2,
    )
    model = transformers.BertForSequenceClassification(config)

    class Tiny(torch.utils.data.Dataset[dict[str, torch.Tensor]]):
        def __len__(self) -> int:
            return 16

        def __getitem__(self, i: int) -> dict[str, torch.Tensor]:
            g = torch.Generator().manual_seed(i)
            return {
                "input_ids": torch.randint(0, 50, (8,), generator=g),
                "labels": torch.tensor(i % 2),
            }

    args = transformers.TrainingArguments(
        output_dir=str(tmp_path / "hf"),
        num_train_epochs=2,
        per_device_train_batch_size=8,
        report_to=[],
        save_strategy="no",
        logging_strategy="no",
        use_cpu=True,
        disable_tqdm=True,
    )
    callback = HuggingFaceEnergyCallback(label="hf-tiny")
    trainer = transformers.Trainer(
        model=model, args=args, train_dataset=Tiny(), callbacks=[callback]
    )
    trainer.train()
    check_fit(callback.fit, callback.epochs, 2)
    assert len(EnergyStore(store_path).by_label("hf-tiny/epoch")) == 2


def _fit_tiny_lightning(
    tmp_path: Path, callback: Any, *, epochs: int, samples: int, diverges: bool = False
) -> None:
    """Fit a one-layer LightningModule on random data, quietly, with ``callback``."""
    pl = pytest.importorskip("lightning.pytorch")
    import torch

    module_base: Any = pl.LightningModule

    class Tiny(module_base):  # type: ignore[misc]
        def __init__(self) -> None:
            super().__init__()
            self.layer = torch.nn.Linear(4, 1)

        def training_step(self, batch: list[torch.Tensor], _: int) -> torch.Tensor:
            if diverges:
                raise FloatingPointError("loss is nan")
            x, y = batch
            return torch.nn.functional.mse_loss(self.layer(x).squeeze(-1), y)

        def configure_optimizers(self) -> torch.optim.Optimizer:
            return torch.optim.SGD(self.parameters(), lr=0.1)

    x = torch.randn(samples, 4)
    data = torch.utils.data.DataLoader(
        torch.utils.data.TensorDataset(x, x.sum(1)), batch_size=samples // 4
    )
    trainer = pl.Trainer(
        max_epochs=epochs,
        accelerator="cpu",
        logger=False,
        enable_checkpointing=False,
        enable_progress_bar=False,
        enable_model_summary=False,
        default_root_dir=str(tmp_path),
        callbacks=[callback],
    )
    trainer.fit(Tiny(), data)


def test_lightning_callback(store_path: Path, tmp_path: Path) -> None:
    pytest.importorskip("lightning.pytorch")
    from greentactics.energy.callbacks.lightning import LightningEnergyCallback

    callback = LightningEnergyCallback(label="lightning-tiny")
    _fit_tiny_lightning(tmp_path, callback, epochs=3, samples=64)
    check_fit(callback.fit, callback.epochs, 3)
    assert len(EnergyStore(store_path).by_label("lightning-tiny/epoch")) == 3


def test_lightning_crash_is_recorded(store_path: Path, tmp_path: Path) -> None:
    pytest.importorskip("lightning.pytorch")
    from greentactics.energy.callbacks.lightning import LightningEnergyCallback

    callback = LightningEnergyCallback(label="lightning-crash")
    with pytest.raises(FloatingPointError):
        _fit_tiny_lightning(tmp_path, callback, epochs=1, samples=8, diverges=True)
    assert callback.fit is not None and callback.fit.outcome == "FloatingPointError"
    assert EnergyStore(store_path).by_label("lightning-crash")[0].outcome == "FloatingPointError"


def test_plain_pytorch_loop(store_path: Path) -> None:
    """The guide's plain-PyTorch example: one measurement per epoch, nested in the run."""
    torch = pytest.importorskip("torch")
    from greentactics import measure_energy

    model = torch.nn.Sequential(torch.nn.Linear(8, 16), torch.nn.ReLU(), torch.nn.Linear(16, 1))
    optimizer = torch.optim.SGD(model.parameters(), lr=0.05)
    x, y = torch.randn(256, 8), torch.randn(256, 1)

    with measure_energy(label="torch-train", tactic="apply-early-stopping") as run:
        for epoch in range(3):
            with measure_energy(label="torch-train/epoch", tags={"epoch": epoch}):
                for i in range(0, 256, 32):
                    optimizer.zero_grad()
                    loss = torch.nn.functional.mse_loss(model(x[i : i + 32]), y[i : i + 32])
                    loss.backward()
                    optimizer.step()
    assert run.measurement is not None
    epochs = EnergyStore(store_path).by_label("torch-train/epoch")
    assert len(epochs) == 3 and all(m.parent_id == run.measurement.id for m in epochs)


def test_cuda_sync_is_a_no_op_when_torch_has_not_initialised_cuda() -> None:
    torch = pytest.importorskip("torch")
    from greentactics.energy.tracking import synchronize_cuda

    assert not torch.cuda.is_initialized()
    synchronize_cuda()  # must neither initialise CUDA nor fail
    assert not torch.cuda.is_initialized()
