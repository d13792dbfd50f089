"""Rules on memory held by autograd: inference with gradients on, losses kept with their graph."""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import ClassVar

import libcst as cst

from greentactics.lint.facts import FactCollector
from greentactics.lint.rule import FixSafety, Invalid, Rule, Severity, Valid
from greentactics.lint.rules import names
from greentactics.lint.rules.code_index import CallSite, FileIndex, FunctionInfo, Grad, LoopInfo
from greentactics.lint.rules.project_index import (
    MlFacts,
    ProjectGraph,
    function_key,
    grad_at,
    graph_for,
    index_for,
    is_backward,
    is_optimizer_step,
)

NO_GRAD_CONTEXTS = ("torch.no_grad", "torch.inference_mode", "torch.set_grad_enabled")


def _scopes(index: FileIndex) -> Iterator[tuple[FunctionInfo | None, list[CallSite]]]:
    yield None, [call for call in index.calls if call.function is None]
    for function in index.functions:
        yield function, [call for call in function.calls if call.function is function]


def _needs_gradients(calls: list[CallSite]) -> bool:
    """Whether code computes gradients on purpose (training, saliency, adversarial inputs)."""
    for call in calls:
        if is_backward(call) or is_optimizer_step(call):
            return True
        if call.name is not None and call.name.endswith(("autograd.grad", "requires_grad_")):
            return True
    return False


def _torch_bound_as_torch(index: FileIndex) -> bool:
    return index.imports.bound_names().get("torch") == "torch"


class GradEnabledInference(Rule):
    """Running a model for evaluation with autograd on stores activations for a backward pass
    that never comes.

    Under autograd every intermediate tensor of the forward pass is kept alive until the output
    is freed; evaluation under `torch.no_grad()` or `torch.inference_mode()` uses a fraction
    of the memory (so larger batches fit) and runs faster. The rule reports a model called after
    `model.eval()` when autograd is on there: not inside `torch.no_grad()`,
    `torch.inference_mode()`, `torch.set_grad_enabled(False)` or a function decorated with one
    of them, and not in a function whose every caller in the project is inside one (callers are
    followed across files; Lightning's `validation_step`/`test_step` count as no-grad). Code
    that needs gradients on purpose (a `backward()`, `torch.autograd.grad`) is left alone, and
    so is a context the linter cannot read (`with ctx:`). When the enclosing function is a pure
    evaluation function, the fix decorates it with `@torch.no_grad()`.
    """

    code = "GT403"
    name = "grad-enabled-inference"
    tactic = "design-for-memory-constraints"
    severity = Severity.WARNING
    message = (
        "Model called in eval mode with autograd on: run it under `with torch.no_grad():` "
        "(or `torch.inference_mode()`) so activations are not stored for backward."
    )
    fix_safety = FixSafety.SAFE
    FACTS: ClassVar[tuple[type[FactCollector], ...]] = (MlFacts,)

    VALID: ClassVar[list[Valid]] = [
        Valid(
            """
            import torch
            model.eval()
            with torch.no_grad():
                preds = model(x)
            """
        ),
        Valid(
            """
            import torch

            def evaluate(model, loader):
                model.eval()
                return [model(x) for x, _ in loader]

            def main():
                with torch.inference_mode():
                    evaluate(model, loader)
            """
        ),
        Valid(
            """
            import torch

            @torch.no_grad()
            def predict(model, x):
                model.eval()
                return model(x).argmax(-1)
            """
        ),
        Valid(
            """
            import torch

            def saliency(model, x):
                model.eval()
                x.requires_grad_(True)
                model(x).max().backward()
                return x.grad
            """
        ),
        Valid(
            """
            import lightning as L

            class Classifier(L.LightningModule):
                def validation_step(self, batch, batch_idx):
                    self.model.eval()
                    return self.model(batch[0])
            """
        ),
        Valid(
            """
            import torch

            def test_model_output_shape():
                model.eval()
                assert model(torch.zeros(1, 3)).shape == (1, 2)
            """,
            filename="tests/test_model.py",
        ),
        Valid(
            """
            import torch
            for phase in ["train", "val"]:
                if phase == "train":
                    model.train()
                else:
                    model.eval()
                with torch.set_grad_enabled(phase == "train"):
                    outputs = model(inputs)
            """
        ),
    ]
    INVALID: ClassVar[list[Invalid]] = [
        Invalid(
            """
            import torch
            model.eval()
            preds = model(x)
            """,
            line=3,
        ),
        Invalid(
            """
            import torch

            def evaluate(model, loader):
                model.eval()
                correct = 0
                for x, y in loader:
                    correct += (model(x).argmax(-1) == y).sum().item()
                return correct

            def main():
                evaluate(model, loader)
            """,
            line=3,
            expected_fix="""
            import torch

            @torch.no_grad()
            def evaluate(model, loader):
                model.eval()
                correct = 0
                for x, y in loader:
                    correct += (model(x).argmax(-1) == y).sum().item()
                return correct

            def main():
                evaluate(model, loader)
            """,
        ),
        Invalid(
            """
            import torch

            def validate(net, data):
                net.eval()
                return [net(x) for x in data]

            def main():
                with torch.no_grad():
                    validate(net, data)
                validate(net, more_data)
            """,
            line=3,
            expected_fix="""
            import torch

            @torch.no_grad()
            def validate(net, data):
                net.eval()
                return [net(x) for x in data]

            def main():
                with torch.no_grad():
                    validate(net, data)
                validate(net, more_data)
            """,
        ),
        Invalid(
            """
            import torch

            def run(model, x, optimizer):
                model.train()
                model(x).sum().backward()
                optimizer.step()
                model.eval()
                return model(x)
            """,
            line=8,
        ),
        Invalid(
            """
            import torch

            def validate(model, loader, loss_fn):
                total = 0.0
                for x, y in loader:
                    total += loss_fn(model(x), y).item()
                return total / len(loader)

            for epoch in range(3):
                validate(model, val_loader, loss_fn)
            """,
            line=3,
            expected_fix="""
            import torch

            @torch.no_grad()
            def validate(model, loader, loss_fn):
                total = 0.0
                for x, y in loader:
                    total += loss_fn(model(x), y).item()
                return total / len(loader)

            for epoch in range(3):
                validate(model, val_loader, loss_fn)
            """,
        ),
    ]

    def finish(self) -> None:
        """Check every scope of the file once the traversal is done."""
        index = index_for(self.analysis)
        if index.is_test or not index.uses("torch"):
            return
        graph = graph_for(self.project)
        for function, calls in _scopes(index):
            self._check_scope(function, calls, index, graph)

    def _check_scope(
        self,
        function: FunctionInfo | None,
        calls: list[CallSite],
        index: FileIndex,
        graph: ProjectGraph,
    ) -> None:
        site = _eval_mode_call(calls)
        what = "in eval mode"
        if site is None:
            site = _evaluation_loop_call(function, calls)
            what = "in an evaluation loop"
        if site is None or grad_at(site, index, graph) is not Grad.ENABLED:
            return
        if (
            function is not None
            and _returns_model_output(function, site.written or "", index)
            and graph.caller_needs_gradients(function_key(function), index.path)
        ):
            return
        trains = _needs_gradients(calls)
        site_line = index.line_of(site.node)
        if trains and any(
            (is_backward(call) or (call.name or "").endswith("autograd.grad"))
            and index.line_of(call.node) >= site_line
            for call in calls
        ):
            return
        if (
            function is not None
            and not trains
            and _torch_bound_as_torch(index)
            and not _is_generator(function.node)
        ):
            decorator = cst.Decorator(
                decorator=cst.Call(
                    func=cst.Attribute(value=cst.Name("torch"), attr=cst.Name("no_grad"))
                )
            )
            fixed = function.node.with_changes(decorators=[*function.node.decorators, decorator])
            self.report(
                function.node,
                f"`{site.written}` is called {what} with autograd on: decorate "
                f"`{function.name}` with `@torch.no_grad()` (or use `torch.inference_mode()`).",
                replacement=fixed,
            )
            return
        self.report(
            site.node,
            f"`{site.written}` is called {what} with autograd on: run it under "
            "`with torch.no_grad():` (or `torch.inference_mode()`) so activations are not stored.",
        )


EVALUATION_FUNCTION = re.compile(
    r"^(evaluate|evaluation|validate|validation|val|predict|inference|infer|test)(_|$)"
)


def _evaluation_loop_call(function: FunctionInfo | None, calls: list[CallSite]) -> CallSite | None:
    """In a function named like evaluation (``evaluate``, ``validate``, ``predict``...), the
    first call of a model parameter inside a loop, when the function never trains."""
    if function is None or not EVALUATION_FUNCTION.match(function.name):
        return None
    if _needs_gradients(calls) or any(c.method == "train" for c in calls):
        return None
    models = {p for p in function.params if p in ("model", "net", "network", "classifier")}
    for call in sorted(calls, key=lambda c: c.order):
        if call.loops and call.written in models:
            return call
    return None


def _eval_mode_call(calls: list[CallSite]) -> CallSite | None:
    """The first call of a model after its ``.eval()``, with no ``.train()`` in between."""
    mode: dict[str, bool] = {}
    for call in sorted(calls, key=lambda c: c.order):
        if call.receiver is not None and call.method in ("eval", "train"):
            is_eval = call.method == "eval" and not call.positional
            if call.method == "train" and call.positional:
                arg = call.positional[0]
                is_eval = isinstance(arg, cst.Name) and arg.value == "False"
            if call.method == "eval" and call.positional:
                continue
            mode[call.receiver] = is_eval
            continue
        if call.written is not None and mode.get(call.written) is True:
            return call
    return None


def _returns_model_output(function: FunctionInfo, model: str, index: FileIndex) -> bool:
    """Whether the function hands the model's raw output back (which a caller may train on)."""
    outputs = {
        a.target
        for a in index.assignments
        if a.function is function
        and isinstance(a.value, cst.Call)
        and names.dotted(a.value.func) == model
    }
    found = False

    class _Returns(cst.CSTVisitor):
        def visit_Return(self, node: cst.Return) -> None:
            nonlocal found
            value = node.value
            if value is None:
                return
            if isinstance(value, cst.Call) and names.dotted(value.func) == model:
                found = True
            elif isinstance(value, (cst.Name, cst.Tuple)):
                returned = {n.value for n in _plain_names(value)}
                found = found or bool(returned & outputs)

    function.node.body.visit(_Returns())
    return found


def _plain_names(expr: cst.BaseExpression) -> list[cst.Name]:
    if isinstance(expr, cst.Name):
        return [expr]
    if isinstance(expr, cst.Tuple):
        return [e.value for e in expr.elements if isinstance(e.value, cst.Name)]
    return []


def _is_generator(node: cst.FunctionDef) -> bool:
    found = False

    class _Finder(cst.CSTVisitor):
        def visit_Yield(self, node: cst.Yield) -> None:
            nonlocal found
            found = True

        def visit_FunctionDef(self, node: cst.FunctionDef) -> bool:
            return node is target

        def visit_Lambda(self, node: cst.Lambda) -> bool:
            return False

    target = node
    node.visit(_Finder())
    return found


# -- loss-accumulated-with-graph ------------------------------------------------------------------

DETACHING = ("item", "detach", "tolist", "numpy", "data", "cpu_item")
CONVERTING = ("float", "int")


def _raw_references(expr: cst.BaseExpression, names: set[str]) -> list[cst.Name]:
    """Loss names used in ``expr`` without ``.item()``/``.detach()``/``float()`` around them."""
    if isinstance(expr, cst.Name):
        return [expr] if expr.value in names else []
    if isinstance(expr, cst.Call):
        func = expr.func
        if isinstance(func, cst.Attribute) and func.attr.value in DETACHING:
            return []
        if isinstance(func, cst.Name) and func.value in CONVERTING:
            return []
        found: list[cst.Name] = []
        if isinstance(func, cst.Attribute):
            found.extend(_raw_references(func.value, names))
        for arg in expr.args:
            found.extend(_raw_references(arg.value, names))
        return found
    if isinstance(expr, cst.Attribute):
        return [] if expr.attr.value in DETACHING else _raw_references(expr.value, names)
    if isinstance(expr, cst.BinaryOperation):
        return _raw_references(expr.left, names) + _raw_references(expr.right, names)
    if isinstance(expr, cst.UnaryOperation):
        return _raw_references(expr.expression, names)
    if isinstance(expr, (cst.List, cst.Tuple)):
        found = []
        for element in expr.elements:
            found.extend(_raw_references(element.value, names))
        return found
    return []


def _is_detached(expr: cst.BaseExpression) -> bool:
    """A value that holds no graph: ``x.item()``, ``x.detach()``, ``float(x)``, a number."""
    if isinstance(expr, (cst.Integer, cst.Float)):
        return True
    if not isinstance(expr, cst.Call):
        return False
    func = expr.func
    if isinstance(func, cst.Attribute) and func.attr.value in DETACHING:
        return True
    return isinstance(func, cst.Name) and func.value in CONVERTING


class _Accumulations(cst.CSTVisitor):
    """``acc += expr``, ``acc = acc + expr`` and ``acc.append(expr)`` statements in a loop body
    (not descending into nested functions)."""

    def __init__(self) -> None:
        self.found: list[tuple[str, cst.BaseExpression, cst.CSTNode]] = []

    def visit_FunctionDef(self, node: cst.FunctionDef) -> bool:
        return False

    def visit_Lambda(self, node: cst.Lambda) -> bool:
        return False

    def visit_AugAssign(self, node: cst.AugAssign) -> None:
        if isinstance(node.target, cst.Name) and isinstance(node.operator, cst.AddAssign):
            self.found.append((node.target.value, node.value, node))

    def visit_Assign(self, node: cst.Assign) -> None:
        if len(node.targets) != 1 or not isinstance(node.targets[0].target, cst.Name):
            return
        target = node.targets[0].target.value
        value = node.value
        if (
            isinstance(value, cst.BinaryOperation)
            and isinstance(value.operator, cst.Add)
            and isinstance(value.left, cst.Name)
            and value.left.value == target
        ):
            self.found.append((target, value.right, node))

    def visit_Call(self, node: cst.Call) -> None:
        func = node.func
        if (
            isinstance(func, cst.Attribute)
            and func.attr.value == "append"
            and isinstance(func.value, cst.Name)
            and len(node.args) == 1
        ):
            self.found.append((func.value.value, node.args[0].value, node))


class LossAccumulatedWithGraph(Rule):
    """Summing or collecting loss tensors across iterations keeps every step's autograd graph.

    `total_loss += loss` adds a tensor that still references its computation graph, so the
    graph of every batch (activations included) stays in memory until the epoch ends: memory
    grows with each step and can run out. Accumulate `loss.item()` (a Python float) or
    `loss.detach()` instead. The rule looks at accumulators initialised before a training loop
    (one that calls `backward()`) and updated inside it; it is silent under `torch.no_grad()`
    and when the accumulated sum itself is back-propagated (deliberate gradient accumulation).
    The fix adds `.item()` when the loss is a scalar (`loss.backward()` without arguments) and
    the accumulator starts as a number, `.detach()` otherwise.
    """

    code = "GT404"
    name = "loss-accumulated-with-graph"
    tactic = "design-for-memory-constraints"
    severity = Severity.WARNING
    message = (
        "Loss accumulated with its autograd graph: add `.item()` (or `.detach()`) so each "
        "step's graph can be freed."
    )
    fix_safety = FixSafety.SAFE

    VALID: ClassVar[list[Valid]] = [
        Valid(
            """
            total = 0.0
            for x, y in loader:
                loss = loss_fn(model(x), y)
                loss.backward()
                optimizer.step()
                total += loss.item()
            """
        ),
        Valid(
            """
            losses = []
            for x, y in loader:
                loss = loss_fn(model(x), y)
                loss.backward()
                optimizer.step()
                losses.append(loss.detach().cpu())
            """
        ),
        Valid(
            """
            import torch
            total = 0
            with torch.no_grad():
                for x, y in val_loader:
                    loss = loss_fn(model(x), y)
                    total += loss
            """
        ),
        Valid(
            """
            for batch in loader:
                total = 0
                for micro in batch.split(4):
                    loss = loss_fn(model(micro))
                    total = total + loss
                total.backward()
                optimizer.step()
            """
        ),
        Valid(
            """
            running = 0.0
            for x, y in loader:
                loss = loss_fn(model(x), y)
                loss.backward()
                optimizer.step()
                running += float(loss) * x.size(0)
            """
        ),
        Valid(
            """
            import numpy as np
            total_loss = 0.0
            for inputs, labels in batches:
                loss = mse(net.forward(inputs), labels)
                net.backward(grad(loss))
                optimizer.step()
                total_loss += loss
            """
        ),
    ]
    INVALID: ClassVar[list[Invalid]] = [
        Invalid(
            """
            import torch
            total_loss = 0
            for x, y in loader:
                optimizer.zero_grad()
                loss = loss_fn(model(x), y)
                loss.backward()
                optimizer.step()
                total_loss += loss
            """,
            line=8,
            expected_fix="""
            import torch
            total_loss = 0
            for x, y in loader:
                optimizer.zero_grad()
                loss = loss_fn(model(x), y)
                loss.backward()
                optimizer.step()
                total_loss += loss.item()
            """,
        ),
        Invalid(
            """
            import torch
            def train(model, loader, optimizer):
                losses = []
                for x, y in loader:
                    loss = model(x, labels=y).loss
                    loss.backward()
                    optimizer.step()
                    losses.append(loss)
                return losses
            """,
            line=8,
            expected_fix="""
            import torch
            def train(model, loader, optimizer):
                losses = []
                for x, y in loader:
                    loss = model(x, labels=y).loss
                    loss.backward()
                    optimizer.step()
                    losses.append(loss.detach())
                return losses
            """,
        ),
        Invalid(
            """
            import torch
            epoch_loss = torch.zeros(1)
            for x, y in loader:
                loss = loss_fn(model(x), y)
                loss.backward()
                optimizer.step()
                epoch_loss = epoch_loss + loss * x.size(0)
            print(epoch_loss.item())
            """,
            line=7,
            expected_fix="""
            import torch
            epoch_loss = torch.zeros(1)
            for x, y in loader:
                loss = loss_fn(model(x), y)
                loss.backward()
                optimizer.step()
                epoch_loss = epoch_loss + loss.detach() * x.size(0)
            print(epoch_loss.item())
            """,
        ),
        Invalid(
            """
            import torch
            running_loss = 0.0
            for epoch in range(3):
                for x, y in loader:
                    loss = criterion(model(x), y)
                    loss.backward()
                    optimizer.step()
                    running_loss += loss
            """,
            line=8,
            expected_fix="""
            import torch
            running_loss = 0.0
            for epoch in range(3):
                for x, y in loader:
                    loss = criterion(model(x), y)
                    loss.backward()
                    optimizer.step()
                    running_loss += loss.item()
            """,
        ),
    ]

    def finish(self) -> None:
        """Check each outermost loop that calls ``backward()``."""
        index = index_for(self.analysis)
        if index.is_test or not index.uses("torch"):
            return
        done: set[int] = set()
        for loop in index.loops:
            if any(is_backward(call) for call in loop.calls):
                self._check_loop(loop, index, done)

    def _check_loop(self, loop: LoopInfo, index: FileIndex, done: set[int]) -> None:
        backward_receivers = {c.receiver for c in loop.calls if is_backward(c) and c.receiver}
        scalar = {c.receiver for c in loop.calls if c.method == "backward" and not c.node.args}
        finder = _Accumulations()
        loop.node.body.visit(finder)
        accumulators = {accumulator for accumulator, _, _ in finder.found}
        detached = {
            a.target
            for a in index.assignments
            if a.function is loop.function and a.order > loop.order and _is_detached(a.value)
        }
        loss_names = {
            name for name in loop.assigned_names - accumulators - detached if "loss" in name.lower()
        }
        loss_names |= {r for r in backward_receivers if r is not None and "." not in r}
        for accumulator, value, statement in finder.found:
            if accumulator in backward_receivers:
                continue
            if not self._initialised_before(accumulator, loop, index):
                continue
            if self._backpropagated(accumulator, loop, index):
                continue
            if self.analysis.in_context(statement, *NO_GRAD_CONTEXTS):
                continue
            for name in _raw_references(value, loss_names):
                if id(name) in done:
                    continue
                done.add(id(name))
                use_item = (
                    isinstance(statement, cst.AugAssign)
                    and name.value in scalar
                    and self._starts_as_number(accumulator, loop, index)
                )
                method = "item" if use_item else "detach"
                replacement = cst.Call(func=cst.Attribute(value=name, attr=cst.Name(method)))
                self.report(
                    name,
                    f"`{name.value}` is accumulated into `{accumulator}` with its autograd graph: "
                    f"use `{name.value}.{method}()` so each step's graph can be freed.",
                    replacement=replacement,
                )

    @staticmethod
    def _initialised_before(name: str, loop: LoopInfo, index: FileIndex) -> bool:
        return any(
            a.target == name and a.function is loop.function and a.order < loop.order
            for a in index.assignments
        )

    @staticmethod
    def _starts_as_number(name: str, loop: LoopInfo, index: FileIndex) -> bool:
        before = [
            a
            for a in index.assignments
            if a.target == name and a.function is loop.function and a.order < loop.order
        ]
        if not before:
            return False
        value = max(before, key=lambda a: a.order).value
        if not isinstance(value, (cst.Integer, cst.Float)):
            return False
        return not any(
            call.receiver == name for call in index.calls if call.function is loop.function
        )

    @staticmethod
    def _backpropagated(name: str, loop: LoopInfo, index: FileIndex) -> bool:
        return any(
            call.receiver == name and is_backward(call)
            for call in index.calls
            if call.function is loop.function
        )
