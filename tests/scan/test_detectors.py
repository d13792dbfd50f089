"""What the detectors find in realistic fixture files, and what they must not count."""

from __future__ import annotations

from pathlib import Path

import pytest

from greentactics.scan.discovery import SourceFile
from greentactics.scan.evidence import Evidence, Strength
from greentactics.scan.scanner import scan_file

FIXTURES = Path(__file__).parent / "fixtures"


def evidence_of(name: str) -> list[Evidence]:
    path = FIXTURES / name
    return scan_file(SourceFile(path, name, in_tests=False))


def found(name: str, tactic: str) -> dict[int, Evidence]:
    """Positive evidence of ``tactic`` in fixture ``name``, by line."""
    return {
        e.line: e
        for e in evidence_of(name)
        if e.tactic == tactic and e.strength is not Strength.DISABLED
    }


def disabled(name: str, tactic: str) -> dict[int, Evidence]:
    return {
        e.line: e
        for e in evidence_of(name)
        if e.tactic == tactic and e.strength is Strength.DISABLED
    }


@pytest.mark.parametrize(
    ("tactic", "line", "strength"),
    [
        ("E01", 37, Strength.STRONG),  # Scaler() is GradScaler under an alias
        ("E01", 45, Strength.STRONG),  # t.autocast(...) with import torch as t
        ("T19", 51, Strength.STRONG),  # torch.save of state dicts inside the epoch loop
        ("E02", 59, Strength.STRONG),  # patience counter that breaks the loop
        ("T20", 29, Strength.STRONG),  # with t.no_grad()
        ("T20", 23, Strength.STRONG),  # torch.utils.checkpoint is memory, not T19
        ("T16", 15, Strength.STRONG),  # weights=MobileNet_V3_Small_Weights.DEFAULT
        ("T16", 17, Strength.PARTIAL),  # parameter.requires_grad = False
        ("T07", 15, Strength.PARTIAL),  # mobilenet_v3_small
        ("T14", 67, Strength.STRONG),  # prune.l1_unstructured via import ... as prune
        ("T15", 67, Strength.PARTIAL),
        ("T13", 68, Strength.PARTIAL),  # t.compile
        ("T30", 39, Strength.STRONG),  # codecarbon EmissionsTracker
    ],
)
def test_pytorch_training_signals_resolve_through_aliased_imports(
    tactic: str, line: int, strength: Strength
) -> None:
    evidence = found("torch_training.py", tactic)
    assert line in evidence, sorted(evidence)
    assert evidence[line].strength is strength


def test_activation_checkpointing_is_not_a_training_checkpoint() -> None:
    assert 23 not in found("torch_training.py", "T19")


def test_a_run_name_that_mentions_a_model_family_is_not_a_model() -> None:
    # EmissionsTracker(project_name="mobilenet-finetune") is a label, not a model choice.
    assert 39 not in found("torch_training.py", "T07")


@pytest.mark.parametrize(
    ("tactic", "line"),
    [
        ("T02", 21),  # drop_duplicates
        ("T01", 22),  # sample(frac=0.2)
        ("T01", 26),  # train_test_split whose second part is thrown away
        ("T01", 33),  # HalvingGridSearchCV
        ("T04", 28),  # KBinsDiscretizer
        ("T03", 29),  # SelectKBest
        ("T05", 30),  # P(...) is sklearn.decomposition.PCA imported as P
        ("T06", 31),  # HistGradientBoostingClassifier
        ("E02", 31),  # early_stopping=True
        ("T08", 39),  # max_depth=4
        ("T14", 40),  # penalty="l1"
        ("T28", 45),  # river drift.ADWIN
        ("T28", 54),  # ks_2samp
        ("T29", 49),  # partial_fit
    ],
)
def test_tabular_pipeline_signals(tactic: str, line: int) -> None:
    assert line in found("sklearn_pipeline.py", tactic)


@pytest.mark.parametrize(
    ("tactic", "line"),
    [
        ("E01", 26),  # fp16=False
        ("T19", 26),  # save_strategy="no"
        ("T16", 27),  # resnet50(pretrained=False)
        ("T16", 28),  # AutoModel.from_config(...)
        ("E02", 29),  # MLPClassifier(early_stopping=False)
        ("E01", 30),  # set_global_policy("float32")
        ("E01", 36),  # torch.autocast(..., enabled=False)
    ],
)
def test_switched_off_options_are_disabled_not_evidence(tactic: str, line: int) -> None:
    assert line in disabled("disabled_configs.py", tactic)
    assert line not in found("disabled_configs.py", tactic)


@pytest.mark.parametrize(
    ("tactic", "why"),
    [
        ("E01", "fp16=False, enabled=False, a local autocast(), float32 policy"),
        ("T19", "save_strategy='no'"),
        ("T16", "pretrained=False, from_config; AutoConfig.from_pretrained loads no weights"),
        ("E02", "early_stopping=False"),
        ("T01", "sample(frac=1) shuffles; SMOTE over-samples"),
        ("T05", "TSNE, a local PCA(), and a 2-D PCA in a plotting function"),
        ("T04", "astype(np.float32) is not quantization"),
        ("T10", "ReduceLROnPlateau is a learning-rate schedule"),
        ("T20", "(predictions == targets).sum().item() is not a loss"),
        ("T24", "torch.device('cuda') is not an energy-efficiency choice"),
    ],
)
def test_look_alikes_and_disabled_options_make_no_tactic_applied(tactic: str, why: str) -> None:
    assert found("disabled_configs.py", tactic) == {}, why


@pytest.mark.parametrize(
    ("tactic", "line", "strength"),
    [
        ("T16", 29, Strength.STRONG),  # from_pretrained of the model
        ("T16", 30, Strength.STRONG),  # LoRA
        ("T17", 16, Strength.PARTIAL),  # distilled checkpoint name
        ("T07", 16, Strength.PARTIAL),
        ("T17", 20, Strength.STRONG),  # kl_div against teacher logits
        ("T27", 31, Strength.STRONG),  # streaming=True
        ("T01", 32, Strength.PARTIAL),  # select(range(1000))
        ("E01", 35, Strength.STRONG),  # fp16=True
        ("T19", 36, Strength.STRONG),  # save_strategy="epoch"
        ("T20", 39, Strength.STRONG),  # gradient_checkpointing=True
        ("T30", 40, Strength.STRONG),  # report_to=["codecarbon"]
        ("E02", 48, Strength.STRONG),  # EarlyStoppingCallback
        ("T19", 50, Strength.STRONG),  # resume_from_checkpoint
        ("T19", 54, Strength.PARTIAL),  # accelerate save_state
    ],
)
def test_hugging_face_signals(tactic: str, line: int, strength: Strength) -> None:
    evidence = found("hf_finetune.py", tactic)
    assert line in evidence, sorted(evidence)
    assert evidence[line].strength is strength


def test_tokenizer_from_pretrained_is_not_transfer_learning_evidence() -> None:
    assert 28 not in found("hf_finetune.py", "T16")


@pytest.mark.parametrize(
    ("tactic", "line"),
    [
        ("T27", 13),  # map(num_parallel_calls=...)
        ("T27", 14),  # prefetch
        ("T20", 23),  # set_memory_growth
        ("E01", 24),  # keras.mixed_precision.set_global_policy("mixed_float16")
        ("T16", 25),  # tf.keras.applications...(weights="imagenet")
        ("T07", 25),
        ("T14", 28),  # tfmot prune_low_magnitude
        ("T18", 29),  # tfmot quantize_model
        ("T13", 30),  # jit_compile=True
        ("T19", 36),  # tf.keras.callbacks.ModelCheckpoint
        ("E02", 37),  # EarlyStopping
        ("T24", 43),  # TFLite converter (a factory on the API class)
        ("T29", 49),  # a loaded model trained further
    ],
)
def test_keras_signals_through_tensorflow_keras_spellings(tactic: str, line: int) -> None:
    assert line in found("keras_edge.py", tactic)


@pytest.mark.parametrize(
    ("tactic", "line"),
    [
        ("T25", 16),  # nvidia-smi -pl in an argument list
        ("T25", 18),  # nvmlDeviceSetPowerManagementLimit
        ("T12", 22),  # multi-objective study in a file that measures energy
        ("T30", 28),  # ZeusMonitor
        ("T21", 34),  # Flower client base class
        ("T12", 12),  # ENERGY_BUDGET_J
    ],
)
def test_operations_signals(tactic: str, line: int) -> None:
    assert line in found("ops_power.py", tactic)


def test_notebook_evidence_points_at_the_cell_and_its_line() -> None:
    (projection,) = [e for e in evidence_of("notebook.ipynb") if e.tactic == "T05"]
    assert (projection.cell, projection.line) == (2, 2)
    assert "PCA(n_components=16)" in projection.code


def test_evidence_is_one_per_tactic_and_line() -> None:
    keys = [(e.tactic, e.line) for e in evidence_of("torch_training.py")]
    assert len(keys) == len(set(keys))


def test_a_loss_added_to_a_running_total_as_a_number_is_memory_evidence() -> None:
    assert found("torch_training.py", "T20")[74].signal.startswith("loss accumulated")


def test_look_alikes_from_real_projects_are_not_evidence() -> None:
    # Image bytes for saving, a half() inside an op, sparse graph data, a validation tail,
    # a tokenizer save, a data tensor save, weights restored for inference, a logged loss,
    # a GAN freezing its discriminator, a scaler fitted out of core, a loaded model replaced
    # by a new one before fit.
    evidence = evidence_of("real_lookalikes.py")
    assert [(e.tactic, e.line) for e in evidence] == [("T19", 56), ("T19", 57)]
    assert all("torch.distributed.checkpoint" in e.signal for e in evidence)


def test_weights_restored_before_training_are_a_resume() -> None:
    assert 79 in found("torch_training.py", "T19")
    assert 79 in found("torch_training.py", "T29")
