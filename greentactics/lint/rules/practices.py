"""Code signals of project-wide practices: persisting and resuming training state, energy
monitoring, mixed precision and early stopping.

Each ``*_signal`` function looks at one call and says what it shows (a short description for
evidence), or None. They are shared by the lint rules (through project facts) and the scan.
"""

from __future__ import annotations

import re

import libcst as cst

from greentactics.lint.rules.code_index import CallSite, FileIndex
from greentactics.lint.rules.names import dotted, matches

SAVE_NAME = re.compile(
    r"^(save_?(checkpoint|ckpt|state|model|weights|pretrained|on_master)\w*|"
    r"\w*(checkpoint|ckpt)_?save\w*|write_checkpoint)$",
    re.IGNORECASE,
)
LOAD_NAME = re.compile(
    r"^(load_?(checkpoint|ckpt|state|state_dict|weights|model|from_checkpoint)\w*|"
    r"restore\w*|resume\w*|\w*_resume)$",
    re.IGNORECASE,
)
CHECKPOINT_CALLBACKS = (
    "ModelCheckpoint",
    "BackupAndRestore",
    "tf.train.Checkpoint",
    "tensorflow.train.Checkpoint",
    "CheckpointManager",
    "checkpoint.Checkpoint",
)
ENERGY_MODULES = (
    "codecarbon",
    "zeus",
    "carbontracker",
    "eco2ai",
    "experiment_impact_tracker",
    "pyRAPL",
    "pyJoules",
    "pyjoules",
    "greentactics.energy",
)
ENERGY_CALLS = (
    "EmissionsTracker",
    "OfflineEmissionsTracker",
    "track_emissions",
    "CarbonTracker",
    "ZeusMonitor",
    "measure_energy",
    "nvmlDeviceGetPowerUsage",
    "nvmlDeviceGetTotalEnergyConsumption",
    "greentactics.measure_energy",
)
AMP_CALLS = (
    "autocast",
    "GradScaler",
    "set_global_policy",
    "mixed_precision.Policy",
    "set_floatx",
    "half",
    "bfloat16",
)


def _literal(expr: cst.BaseExpression | None) -> str | bool | None:
    """The value of a string or True/False literal, else None."""
    if isinstance(expr, cst.SimpleString):
        value = expr.evaluated_value
        return value if isinstance(value, str) else None
    if isinstance(expr, cst.Name) and expr.value in ("True", "False"):
        return expr.value == "True"
    return None


def persists_training_state(call: CallSite, index: FileIndex) -> str | None:
    """Saving a model or training state: torch.save, save_pretrained, checkpoint callbacks,
    Lightning's and Hugging Face's default checkpointing, accelerate's save_state."""
    name = call.name
    simple = name.rpartition(".")[2] if name else ""
    if matches(
        name, ("torch.save", "fabric.save", "accelerator.save", "safetensors.torch.save_file")
    ):
        return f"{name}(...)"
    if matches(name, CHECKPOINT_CALLBACKS):
        return f"{simple}(...)"
    if simple in ("save_pretrained", "save_state", "save_model", "save_weights", "save_checkpoint"):
        return f"{simple}(...)"
    if SAVE_NAME.match(simple):
        return f"{simple}(...)"
    if call.method == "save" and index.uses("keras", "tensorflow", "tf_keras"):
        return f"{call.written or 'model'}.save(...)"
    if matches(
        name, ("lightning.Trainer", "pytorch_lightning.Trainer", "lightning.pytorch.Trainer")
    ):
        if _literal(call.keyword("enable_checkpointing")) is False:
            return None
        return "Lightning Trainer (checkpoints by default)"
    if matches(name, ("TrainingArguments", "Seq2SeqTrainingArguments")) and index.uses(
        "transformers", "trl"
    ):
        if _literal(call.keyword("save_strategy")) == "no":
            return None
        return "TrainingArguments (Trainer saves checkpoints by default)"
    return None


def resumes_training(call: CallSite, index: FileIndex) -> str | None:
    """Loading saved state back: torch.load, load_state_dict, restore, resume_from_checkpoint,
    Lightning ckpt_path, Keras load_model / load_weights / BackupAndRestore."""
    name = call.name
    simple = name.rpartition(".")[2] if name else ""
    if matches(name, ("torch.load", "safetensors.torch.load_file", "fabric.load")):
        return f"{name}(...)"
    if simple in ("load_state_dict", "load_state", "load_weights", "load_model", "restore"):
        return f"{simple}(...)"
    if simple in ("load_from_checkpoint", "restore_or_initialize", "BackupAndRestore"):
        return f"{simple}(...)"
    if LOAD_NAME.match(simple):
        return f"{simple}(...)"
    for keyword in ("resume_from_checkpoint", "ckpt_path", "resume"):
        value = call.keyword(keyword)
        if value is not None and not (isinstance(value, cst.Name) and value.value == "None"):
            return f"{simple or 'call'}({keyword}=...)"
    return None


def checkpoint_write(call: CallSite, index: FileIndex) -> str | None:
    """A write of training state meant as a checkpoint (not a final export)."""
    name = call.name
    simple = name.rpartition(".")[2] if name else ""
    if matches(name, ("ModelCheckpoint", "CheckpointManager")) or simple == "save_state":
        return f"{simple}(...)"
    if matches(name, ("torch.save", "fabric.save", "accelerator.save")):
        return f"{name}(...)"
    if simple in ("save_checkpoint", "save_pretrained", "save_model", "save_weights"):
        return f"{simple}(...)"
    if SAVE_NAME.match(simple):
        return f"{simple}(...)"
    return None


def monitors_energy(call: CallSite, index: FileIndex) -> str | None:
    """An energy or power measurement: CodeCarbon, Zeus, carbontracker, eco2AI, pynvml power
    readings, greentactics.measure_energy, or Hugging Face ``report_to`` codecarbon."""
    name = call.name
    if matches(name, ENERGY_CALLS):
        return f"{name}(...)"
    if name is not None and any(name.startswith(module + ".") for module in ENERGY_MODULES):
        return f"{name}(...)"
    report_to = call.keyword("report_to")
    if report_to is not None and "codecarbon" in cst.Module([]).code_for_node(report_to):
        return "report_to codecarbon"
    return None


def energy_imports(index: FileIndex) -> str | None:
    """An import of an energy-measurement library."""
    for module in sorted(index.imports.modules):
        if any(module == m or module.startswith(m + ".") for m in ENERGY_MODULES):
            return f"import {module}"
    for local, target in index.imports.bound_names().items():
        if target in ("greentactics.measure_energy", "greentactics.energy.measure_energy"):
            return f"import {local}"
    return None


def mixed_precision(call: CallSite, index: FileIndex) -> str | None:
    """Mixed precision: autocast, GradScaler, bf16/fp16 flags, Keras mixed policies,
    Lightning precision, accelerate's mixed_precision."""
    name = call.name
    if matches(name, AMP_CALLS) or (call.method in ("half", "bfloat16")):
        return f"{name or call.method}(...)"
    for arg in call.positional:
        written = dotted(arg)
        if written is not None and written.endswith((".bfloat16", ".float16", ".half")):
            return f"{call.method or name}({written})"
    for keyword in ("fp16", "bf16", "tf32"):
        if _literal(call.keyword(keyword)) is True:
            return f"{keyword}=True"
    for keyword in ("precision", "mixed_precision", "dtype", "torch_dtype"):
        value = call.keyword(keyword)
        if value is None:
            continue
        text = cst.Module([]).code_for_node(value)
        if re.search(r"16|bf16|mixed|half", text):
            return f"{keyword}={text}"
    if matches(name, ("Accelerator", "accelerate.Accelerator")):
        return "Accelerator (precision set by accelerate config)"
    return None


def early_stopping(call: CallSite, index: FileIndex) -> str | None:
    """Early stopping: EarlyStopping callbacks (Keras, Lightning), EarlyStoppingCallback,
    a ``patience`` argument."""
    name = call.name
    if name is not None and "earlystop" in name.replace("_", "").lower():
        return f"{name}(...)"
    for arg in call.node.args:
        if arg.keyword is not None and "patience" in arg.keyword.value:
            return f"{arg.keyword.value}=..."
    return None


def early_stopping_names(index: FileIndex) -> str | None:
    """A variable named like patience or early stopping (hand-written patience logic)."""
    for assignment in index.assignments:
        lowered = assignment.target.lower()
        if "patience" in lowered or "early_stop" in lowered or "no_improve" in lowered:
            return f"{assignment.target} = ..."
    return None
