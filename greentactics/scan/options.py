"""Keyword options that switch a tactic on or off: ``fp16=True``, ``save_strategy="no"``...

The same judges read call keywords (``TrainingArguments(fp16=True)``), string keys of dict
literals (``{"fp16": True}``) and attribute assignments (``args.fp16 = True``); in the last two
("config" places) only literal values count, since ``self.fp16 = fp16`` in a class that merely
*defines* the option says nothing about its use. A value computed at run time in a call
(``fp16=args.fp16``) is partial evidence: the code offers the option.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import libcst as cst

from greentactics.scan.evidence import Strength
from greentactics.scan.signals import SPECIAL_DEVICES


class Dynamic:
    """A value computed at run time; ``code`` is its source (``args.fp16``)."""

    def __init__(self, code: str) -> None:
        code = " ".join(code.split())
        self.code = code if len(code) <= 60 else code[:57] + "..."


class Other:
    """A literal of a kind no judge reads (bytes, a lambda, a comprehension...)."""


OTHER = Other()
Value = bool | int | float | str | None | list[object] | Dynamic | Other


def literal(node: cst.BaseExpression, code: Callable[[cst.CSTNode], str]) -> Value:
    """The Python value of a literal expression, :class:`Dynamic` for names and calls."""
    if isinstance(node, cst.Name):
        constants: dict[str, Value] = {"True": True, "False": False, "None": None}
        return constants[node.value] if node.value in constants else Dynamic(node.value)
    if isinstance(node, (cst.Integer, cst.Float)):
        return node.evaluated_value
    if isinstance(node, cst.UnaryOperation) and isinstance(node.operator, cst.Minus):
        inner = literal(node.expression, code)
        return -inner if isinstance(inner, (int, float)) and not isinstance(inner, bool) else OTHER
    if isinstance(node, (cst.SimpleString, cst.ConcatenatedString)):
        value = node.evaluated_value
        return value if isinstance(value, str) else OTHER
    if isinstance(node, (cst.List, cst.Tuple)):
        items: list[object] = []
        for element in node.elements:
            if isinstance(element, cst.StarredElement):
                return Dynamic(code(node))
            items.append(literal(element.value, code))
        return items
    if isinstance(node, (cst.Attribute, cst.Call, cst.Subscript, cst.BinaryOperation)):
        return Dynamic(code(node))
    return OTHER


Verdict = tuple[str, Strength, str]
Judge = Callable[[Value, str | None], Verdict | None]


@dataclass(frozen=True)
class OptionRule:
    """How to read one option; ``config`` says whether dict keys and attributes count too."""

    judge: Judge
    config: bool = True


def _is_number(value: Value) -> bool:
    return isinstance(value, (int, float)) and not isinstance(value, bool)


def _flag(tactic: str, label: str, strength: Strength = Strength.STRONG) -> Judge:
    """True applies, False/None is configured-but-disabled, a run-time value is partial."""

    def judge(value: Value, _callee: str | None) -> Verdict | None:
        if value is True:
            return tactic, strength, label
        if value is False or value is None:
            return tactic, Strength.DISABLED, f"{label}: switched off"
        if isinstance(value, Dynamic):
            return tactic, Strength.PARTIAL, f"{label}: set at run time ({value.code})"
        return None

    return judge


def _mixed_precision(value: Value, _callee: str | None) -> Verdict | None:
    if isinstance(value, str):
        if value.lower() in ("fp16", "bf16", "fp8", "16", "bf16-mixed", "16-mixed"):
            return "E01", Strength.STRONG, f"mixed precision {value!r}"
        if value.lower() in ("no", "fp32", "32", "none"):
            return "E01", Strength.DISABLED, f"mixed precision {value!r}: switched off"
        return None
    return _flag("E01", "mixed precision")(value, _callee)


def _precision(value: Value, callee: str | None) -> Verdict | None:
    # ``precision`` is a common word (np.set_printoptions): only trainers and mixed strings.
    trainer = callee is not None and callee.rsplit(".", 1)[-1] in ("Trainer", "Fabric")
    if isinstance(value, str) and ("mixed" in value or (trainer and "16" in value)):
        return "E01", Strength.STRONG, f"mixed precision {value!r}"
    if trainer and value == 16:
        return "E01", Strength.STRONG, "16-bit mixed precision"
    if trainer and (
        value in (32, 64) or (isinstance(value, str) and value.startswith(("32", "64")))
    ):
        return "E01", Strength.DISABLED, f"full precision {value!r}"
    return None


def _save_strategy(value: Value, _callee: str | None) -> Verdict | None:
    text = value.code if isinstance(value, Dynamic) else value
    if not isinstance(text, str):
        return None
    last = text.rsplit(".", 1)[-1].lower()
    if last in ("no", "none"):
        return "T19", Strength.DISABLED, f"checkpoint saving switched off (save_strategy={text!r})"
    if last in ("steps", "epoch", "best"):
        return "T19", Strength.STRONG, f"periodic checkpoints (save_strategy={text!r})"
    if isinstance(value, Dynamic):
        return "T19", Strength.PARTIAL, f"save_strategy set at run time ({text})"
    return None


def _present(tactic: str, label: str, strength: Strength = Strength.STRONG) -> Judge:
    """Any value but None/False applies (``resume_from_checkpoint=path``)."""

    def judge(value: Value, _callee: str | None) -> Verdict | None:
        if value is None or value is False or isinstance(value, Other):
            return None
        return tactic, strength, label

    return judge


def _positive_int(tactic: str, label: str, minimum: int = 1, disabled: bool = False) -> Judge:
    def judge(value: Value, _callee: str | None) -> Verdict | None:
        if _is_number(value) and isinstance(value, int):
            if value >= minimum:
                return tactic, Strength.STRONG, f"{label} ({value})"
            return None
        if value is None and disabled:
            return tactic, Strength.DISABLED, f"{label}: switched off (None)"
        if isinstance(value, Dynamic):
            return tactic, Strength.PARTIAL, f"{label}: set at run time ({value.code})"
        return None

    return judge


def _complexity_limit(label: str) -> Judge:
    def judge(value: Value, _callee: str | None) -> Verdict | None:
        if isinstance(value, int) and not isinstance(value, bool):
            return "T08", Strength.PARTIAL, f"explicit complexity limit {label}={value}"
        if value is None:
            return "T08", Strength.DISABLED, f"{label}=None: unbounded"
        return None

    return judge


def _weights(value: Value, callee: str | None) -> Verdict | None:
    model_api = callee is not None and callee.startswith(
        ("torchvision.models", "keras.applications", "timm", "torch.hub")
    )
    if isinstance(value, str) and (model_api or value.lower() == "imagenet"):
        if value.lower() in ("none", ""):
            return None
        return "T16", Strength.STRONG, f"pre-trained weights ({value!r})"
    if not model_api:
        return None
    if value is None:
        return "T16", Strength.DISABLED, "weights=None: trained from scratch"
    if isinstance(value, Dynamic):
        weights_enum = "Weights" in value.code or value.code.endswith(("DEFAULT", "_V1", "_V2"))
        strength = Strength.STRONG if weights_enum else Strength.PARTIAL
        return "T16", strength, f"pre-trained weights ({value.code})"
    return None


def _report_to(value: Value, _callee: str | None) -> Verdict | None:
    names = value if isinstance(value, list) else [value]
    if any(isinstance(name, str) and name.lower() in ("codecarbon", "all") for name in names):
        return "T30", Strength.STRONG, "CodeCarbon tracking via report_to"
    return None


def _device(value: Value, _callee: str | None) -> Verdict | None:
    if isinstance(value, str):
        kind = value.split(":", 1)[0].lower()
        if kind in SPECIAL_DEVICES:
            return "T24", Strength.PARTIAL, f"runs on {SPECIAL_DEVICES[kind]}"
    return None


def _penalty(value: Value, _callee: str | None) -> Verdict | None:
    if value in ("l1", "elasticnet"):
        return "T14", Strength.PARTIAL, f"L1 penalty ({value!r}) gives sparse weights"
    return None


def _l1_ratio(value: Value, _callee: str | None) -> Verdict | None:
    if value == 1:
        return "T14", Strength.PARTIAL, "pure L1 penalty (l1_ratio=1) gives sparse weights"
    return None


def _early_stopping(value: Value, callee: str | None) -> Verdict | None:
    if value == "auto":
        return "E02", Strength.PARTIAL, "early stopping on large data (early_stopping='auto')"
    return _flag("E02", "early stopping")(value, callee)


def _graph_level(value: Value, _callee: str | None) -> Verdict | None:
    text = value.code if isinstance(value, Dynamic) else str(value)
    if "DISABLE" in text:
        return "T13", Strength.DISABLED, "ONNX Runtime graph optimisation switched off"
    if "ENABLE" in text:
        return "T13", Strength.PARTIAL, "ONNX Runtime graph optimisation"
    return None


def _mmap(value: Value, _callee: str | None) -> Verdict | None:
    if isinstance(value, str):
        return "T27", Strength.STRONG, f"memory-mapped data (mmap_mode={value!r})"
    if value is None:
        return None
    if isinstance(value, Dynamic):
        return "T27", Strength.PARTIAL, f"mmap_mode set at run time ({value.code})"
    return None


def _stop_flag(value: Value, _callee: str | None) -> Verdict | None:
    if value is True:
        return "E02", Strength.PARTIAL, "training stopped from a callback (stop flag set)"
    return None


def _downcast(value: Value, _callee: str | None) -> Verdict | None:
    if isinstance(value, str):
        return "T04", Strength.STRONG, f"numeric columns downcast ({value!r})"
    return None


OPTIONS: dict[str, OptionRule] = {
    "fp16": OptionRule(_flag("E01", "fp16 mixed precision")),
    "bf16": OptionRule(_flag("E01", "bf16 mixed precision")),
    "amp": OptionRule(_flag("E01", "automatic mixed precision")),
    "use_amp": OptionRule(_flag("E01", "automatic mixed precision")),
    "mixed_precision": OptionRule(_mixed_precision),
    "precision": OptionRule(_precision),
    "save_strategy": OptionRule(_save_strategy),
    "resume_from_checkpoint": OptionRule(
        _present("T19", "training resumes from a checkpoint"), config=False
    ),
    "ckpt_path": OptionRule(_present("T19", "training resumes from a checkpoint"), config=False),
    "enable_checkpointing": OptionRule(_flag("T19", "Lightning checkpointing")),
    "pretrained": OptionRule(_flag("T16", "pre-trained weights")),
    "weights": OptionRule(_weights, config=False),
    "early_stopping": OptionRule(_early_stopping),
    "n_iter_no_change": OptionRule(
        _positive_int("E02", "stops after n_iter_no_change", disabled=True), config=False
    ),
    "early_stopping_rounds": OptionRule(
        _positive_int("E02", "early stopping rounds", disabled=True)
    ),
    "early_stopping_patience": OptionRule(_positive_int("E02", "early stopping patience")),
    "stop_training": OptionRule(_stop_flag),
    "should_stop": OptionRule(_stop_flag),
    "warm_start": OptionRule(_flag("T29", "warm start reuses the fitted model", Strength.PARTIAL)),
    "xgb_model": OptionRule(
        _present("T29", "boosting continues from a saved model", Strength.PARTIAL), config=False
    ),
    "init_model": OptionRule(
        _present("T29", "boosting continues from a saved model", Strength.PARTIAL), config=False
    ),
    "gradient_checkpointing": OptionRule(_flag("T20", "activation checkpointing")),
    "gradient_accumulation_steps": OptionRule(
        _positive_int("T20", "gradient accumulation", minimum=2)
    ),
    "accumulate_grad_batches": OptionRule(_positive_int("T20", "gradient accumulation", minimum=2)),
    "auto_find_batch_size": OptionRule(_flag("T20", "batch size fitted to memory")),
    "accelerator": OptionRule(_device),
    "device": OptionRule(_device, config=False),
    "jit_compile": OptionRule(_flag("T13", "XLA compilation (jit_compile)", Strength.PARTIAL)),
    "report_to": OptionRule(_report_to),
    "streaming": OptionRule(_flag("T27", "dataset streamed instead of loaded")),
    "pin_memory": OptionRule(_flag("T27", "pinned host memory for transfers", Strength.PARTIAL)),
    "persistent_workers": OptionRule(
        _flag("T27", "persistent data-loading workers", Strength.PARTIAL)
    ),
    "num_parallel_calls": OptionRule(
        _present("T27", "parallel tf.data map", Strength.PARTIAL), config=False
    ),
    "mmap_mode": OptionRule(_mmap),
    "penalty": OptionRule(_penalty),
    "l1_ratio": OptionRule(_l1_ratio),
    "max_depth": OptionRule(_complexity_limit("max_depth")),
    "max_leaf_nodes": OptionRule(_complexity_limit("max_leaf_nodes")),
    "num_leaves": OptionRule(_complexity_limit("num_leaves")),
    "downcast": OptionRule(_downcast, config=False),
    "graph_optimization_level": OptionRule(_graph_level),
}

# Command-line flags that offer a tactic (``parser.add_argument("--fp16", ...)``).
CLI_FLAGS: dict[str, tuple[str, str]] = {
    "fp16": ("E01", "mixed precision offered as an option"),
    "bf16": ("E01", "mixed precision offered as an option"),
    "amp": ("E01", "mixed precision offered as an option"),
    "use_amp": ("E01", "mixed precision offered as an option"),
    "mixed_precision": ("E01", "mixed precision offered as an option"),
    "early_stopping": ("E02", "early stopping offered as an option"),
    "patience": ("E02", "early-stopping patience offered as an option"),
    "early_stopping_patience": ("E02", "early-stopping patience offered as an option"),
    "gradient_checkpointing": ("T20", "activation checkpointing offered as an option"),
    "pretrained": ("T16", "pre-trained weights offered as an option"),
    "resume": ("T19", "resuming from a checkpoint offered as an option"),
    "resume_from_checkpoint": ("T19", "resuming from a checkpoint offered as an option"),
}
