"""Small rules written against the public rule API: an example for rule authors and the
engine tests' subjects. They use codes GT9xx, which real rules never take."""

from __future__ import annotations

from collections.abc import Iterator
from typing import ClassVar

import libcst as cst

from greentactics.lint.rule import (
    Fact,
    FactCollector,
    FileAnalysis,
    FixSafety,
    Invalid,
    Rule,
    Severity,
    Valid,
)

NO_GRAD = ("torch.no_grad", "torch.inference_mode")


class EvalWithoutNoGrad(Rule):
    """Evaluation with autograd on keeps activations for a backward pass that never comes.

    Call `model.eval()` and run the model inside `with torch.no_grad():` (or decorate the
    evaluation function with `@torch.no_grad()`); a function whose every call site is already
    under no-grad is fine too.
    """

    code = "GT901"
    name = "sample-eval-without-no-grad"
    tactic = "design-for-memory-constraints"
    severity = Severity.WARNING
    message = "`.eval()` outside `torch.no_grad()`: wrap evaluation in `with torch.no_grad():`."

    VALID: ClassVar[list[Valid]] = [
        Valid(
            """
            import torch as t
            with t.no_grad():
                model.eval()
            """
        ),
        Valid(
            """
            from torch import inference_mode

            @inference_mode()
            def evaluate(model):
                model.eval()
            """
        ),
        Valid(
            """
            import torch

            def evaluate(model):
                model.eval()

            with torch.no_grad():
                evaluate(net)
            """
        ),
    ]
    INVALID: ClassVar[list[Invalid]] = [
        Invalid("model.eval()\n", line=1),
        Invalid(
            """
            import torch

            def evaluate(model):
                model.eval()

            evaluate(net)
            """,
            line=4,
        ),
    ]

    def visit_Call(self, node: cst.Call) -> None:
        name = self.analysis.call_name(node)
        if name is None or not name.endswith(".eval") or self.analysis.in_context(node, *NO_GRAD):
            return
        function = self.analysis.enclosing_function(node)
        if function is not None:
            sites = self.analysis.call_sites(function)
            if sites and all(self.analysis.in_context(site.node, *NO_GRAD) for site in sites):
                return
        self.report(node)


class CheckpointSaves(FactCollector):
    """Records every ``torch.save(...)`` call as a ``saves-checkpoint`` fact."""

    name = "sample-checkpoint-saves"
    trigger = r"\bsave\b"

    def collect(self, analysis: FileAnalysis) -> Iterator[Fact]:
        for call in analysis.calls_to("torch.save"):
            yield self.fact(analysis, "saves-checkpoint", "torch.save", call.node)


class TrainingWithoutCheckpoints(Rule):
    """A long training run that never saves a checkpoint repeats all its work after a crash.

    Save the model and optimizer state every few epochs (anywhere in the project counts).
    """

    code = "GT902"
    name = "sample-training-without-checkpoints"
    tactic = "use-checkpoints-during-training"
    severity = Severity.INFO
    message = "Training loop but no checkpoint saved anywhere in the project; call `torch.save`."
    FACTS = (CheckpointSaves,)

    VALID: ClassVar[list[Valid]] = [
        Valid(
            """
            import torch
            for epoch in range(10):
                loss.backward()
                torch.save(model.state_dict(), "ckpt.pt")
            """
        )
    ]
    INVALID: ClassVar[list[Invalid]] = [
        Invalid("for epoch in range(10):\n    loss.backward()\n", line=1)
    ]

    def __init__(self, analysis: FileAnalysis, project: object) -> None:
        super().__init__(analysis, project)  # type: ignore[arg-type]
        self.reported: set[cst.CSTNode] = set()

    def visit_Call(self, node: cst.Call) -> None:
        name = self.analysis.call_name(node)
        if name is None or not name.endswith(".backward") or self.project.has("saves-checkpoint"):
            return
        loops = self.analysis.enclosing_loops(node)
        if loops and loops[-1] not in self.reported:
            self.reported.add(loops[-1])
            self.report(loops[-1])


class Float64Tensors(Rule):
    """Double precision doubles memory traffic and is slow on most accelerators.

    Use `torch.float32` (or lower) unless the numerics need 64 bits.
    """

    code = "GT903"
    name = "sample-float64-tensors"
    tactic = "use-input-quantization"
    severity = Severity.WARNING
    message = "`torch.float64` tensor; use `torch.float32`."
    fix_safety = FixSafety.UNSAFE

    VALID: ClassVar[list[Valid]] = [
        Valid("import torch\nx = torch.zeros(3, dtype=torch.float32)\n")
    ]
    INVALID: ClassVar[list[Invalid]] = [
        Invalid(
            "import torch as t\nx = t.zeros(3, dtype=t.float64)  # keep me\n",
            line=2,
            expected_fix="import torch as t\nx = t.zeros(3, dtype=t.float32)  # keep me\n",
        )
    ]

    def visit_Attribute(self, node: cst.Attribute) -> None:
        if self.analysis.resolve(node) == "torch.float64":
            self.report(node, replacement=node.with_changes(attr=cst.Name("float32")))


SAMPLE_RULES: tuple[type[Rule], ...] = (
    EvalWithoutNoGrad,
    TrainingWithoutCheckpoints,
    Float64Tensors,
)


class ZeroGradKeepsTensors(Rule):
    """`zero_grad(set_to_none=False)` writes zeros into every gradient tensor each step.

    Leave the default (`set_to_none=True`): gradients are freed and re-allocated on backward.
    """

    code = "GT904"
    name = "sample-zero-grad-keeps-tensors"
    tactic = "design-for-memory-constraints"
    severity = Severity.INFO
    message = "`zero_grad(set_to_none=False)`: drop the argument to free gradients instead."
    fix_safety = FixSafety.SAFE

    VALID: ClassVar[list[Valid]] = [Valid("optimizer.zero_grad()\n")]
    INVALID: ClassVar[list[Invalid]] = [
        Invalid(
            "optimizer.zero_grad(set_to_none=False)  # each step\n",
            line=1,
            expected_fix="optimizer.zero_grad()  # each step\n",
        )
    ]

    def visit_Call(self, node: cst.Call) -> None:
        name = self.analysis.call_name(node)
        if name is None or not name.endswith(".zero_grad"):
            return
        for arg in node.args:
            if (
                arg.keyword is not None
                and arg.keyword.value == "set_to_none"
                and isinstance(arg.value, cst.Name)
                and arg.value.value == "False"
            ):
                self.report(node, replacement=node.with_changes(args=()))


class CrashingRule(Rule):
    """Raises on every call: shows that one broken rule does not stop the others."""

    code = "GT999"
    name = "sample-crashing-rule"
    tactic = "design-for-memory-constraints"
    severity = Severity.ERROR
    message = "never reported"

    def visit_Call(self, node: cst.Call) -> None:
        raise ValueError("boom in a rule")


SAMPLE_RULES = (*SAMPLE_RULES, ZeroGradKeepsTensors)


class ProcessKillingRule(Rule):
    """Ends its process on files named ``kill*.py``, like a crash in native parser code would."""

    code = "GT998"
    name = "sample-process-killing-rule"
    tactic = "design-for-memory-constraints"
    severity = Severity.ERROR
    message = "never reported"

    def visit_Module(self, node: cst.Module) -> None:
        if self.path.rsplit("/", 1)[-1].startswith("kill"):
            import os

            os._exit(3)
