"""The project as the ML rules see it: a call graph by name, built from project facts.

Phase 1 (:class:`MlFacts`) records, per file, each function's direct traits (does it call
``backward()``, an optimizer ``step()``, save a checkpoint), which functions it calls, where
it is called and whether autograd is off at that call, plus project-wide practices
(checkpoints, resume, energy monitoring, mixed precision, early stopping). Phase 2
(:class:`ProjectGraph`) answers the questions a reviewer asks across files: "does this loop
train?", "is ``evaluate`` always called under ``torch.no_grad()``?".

Calls are followed by name, the way a reviewer reads them: ``evaluate(...)`` goes to the
functions named ``evaluate``; ``self.step()`` to the methods of the same class; ``utils.f()``
to ``f`` in a file named ``utils.py``. Calls on other objects (``model.train()``) are not
followed, so a method name never pulls in an unrelated function of the same name.
Test files contribute nothing: a test calling ``evaluate()`` says nothing about production.
"""

from __future__ import annotations

import builtins
import json
import weakref
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import PurePath

import libcst as cst

from greentactics.lint.analysis import FileAnalysis
from greentactics.lint.facts import Fact, FactCollector, ProjectFacts
from greentactics.lint.rules import practices
from greentactics.lint.rules.code_index import (
    CallSite,
    FileIndex,
    FunctionInfo,
    Grad,
    LoopInfo,
    build_file_index,
)
from greentactics.lint.rules.names import matches

MAX_CALL_DEPTH = 6
_BUILTINS = frozenset(dir(builtins))
HF_TRAINERS = ("Trainer", "Seq2SeqTrainer", "SFTTrainer", "DPOTrainer", "RewardTrainer")
LIGHTNING_TRAINERS = ("lightning.Trainer", "pytorch_lightning.Trainer", "lightning.pytorch.Trainer")
# Lightning runs these hooks under torch.no_grad() itself.
NO_GRAD_HOOKS = ("validation_step", "test_step", "predict_step", "on_validation_epoch_end")

_INDEXES: weakref.WeakKeyDictionary[FileAnalysis, FileIndex] = weakref.WeakKeyDictionary()


def index_for(analysis: FileAnalysis) -> FileIndex:
    """The :class:`FileIndex` of an analysed file, built once and shared by all rules."""
    index = _INDEXES.get(analysis)
    if index is None:
        index = build_file_index(analysis.module, analysis.path, analysis.line_of, analysis.events)
        _INDEXES[analysis] = index
    return index


# -- direct traits of calls -------------------------------------------------------------------


def is_backward(call: CallSite) -> bool:
    """``loss.backward()``, ``accelerator.backward(loss)`` or a TF ``tape.gradient``."""
    if call.method == "backward":
        return True
    return call.method == "gradient" and "tape" in (call.receiver or "").lower()


def is_optimizer_step(call: CallSite) -> bool:
    """``optimizer.step()``, ``scaler.step(opt)``, ``apply_gradients``; not ``env.step()``."""
    if call.method not in ("step", "apply_gradients", "minimize"):
        return False
    receiver = (call.receiver or "").lower()
    return not receiver.startswith(("env", "self.env")) and "sched" not in receiver


def function_key(function: FunctionInfo) -> str:
    """How calls name a function: ``name`` for functions, ``Class.name`` for methods."""
    owner = function
    while owner.parent is not None:
        owner = owner.parent
    if function.parent is None and function.class_name is not None:
        return f"{function.class_name}.{function.name}"
    if function.parent is not None:
        return f"{function_key(owner)}>{function.name}"
    return function.name


def callee_key(call: CallSite, index: FileIndex) -> tuple[str, str] | None:
    """``(key, scope)`` of the project function a call may run, if any.

    The scope narrows where the function lives: ``"path:<file>"`` when the file defines it
    itself, ``"stem:<module>"`` for ``module.f()`` or ``from module import f``, ``""`` for
    anywhere in the project.
    """
    written = call.written
    if written is None:
        return None
    if "." not in written:
        if written in _BUILTINS and written not in index.local_function_names:
            return None
        if written in index.local_function_names:
            return written, f"path:{index.path}"
        if call.qualified is not None and not call.qualified.startswith("."):
            module = call.qualified.rpartition(".")[0]
            return written, f"stem:{module.rpartition('.')[2]}"
        return written, ""
    receiver, _, name = written.rpartition(".")
    if receiver in ("self", "cls") and call.function is not None:
        owner = call.function
        while owner.parent is not None:
            owner = owner.parent
        if owner.class_name is not None:
            return f"{owner.class_name}.{name}", f"path:{index.path}"
        return None
    if call.qualified is not None and "." not in receiver:
        module = call.qualified.rpartition(".")[0]
        return name, f"stem:{module.rpartition('.')[2].lstrip('.')}"
    return None


# -- phase 1 -----------------------------------------------------------------------------------


@dataclass
class _Node:
    """A function (or a loop, or module-level code) in the project call graph."""

    key: str
    path: str
    stem: str
    backward: bool = False
    step: bool = False
    saves: bool = False
    method: bool = False
    decorator: str = ""
    callees: list[tuple[str, str]] = field(default_factory=list)


def _node_detail(node: _Node) -> str:
    return json.dumps(
        {
            "bw": node.backward,
            "st": node.step,
            "sv": node.saves,
            "m": node.method,
            "dec": node.decorator,
            "callees": node.callees,
        },
        sort_keys=True,
    )


def _summarise(key: str, path: str, calls: Iterable[CallSite], index: FileIndex) -> _Node:
    node = _Node(key=key, path=path, stem=PurePath(path).stem)
    seen: set[tuple[str, str]] = set()
    for call in calls:
        node.backward = node.backward or is_backward(call)
        node.step = node.step or is_optimizer_step(call)
        node.saves = node.saves or practices.checkpoint_write(call, index) is not None
        target = callee_key(call, index)
        if target is not None and target not in seen:
            seen.add(target)
            node.callees.append(target)
    return node


def _own_calls(function: FunctionInfo) -> list[CallSite]:
    return [call for call in function.calls if call.function is function]


class MlFacts(FactCollector):
    """Call graph, autograd state at calls, and project-wide ML practices of one file."""

    name = "gt-ml-facts"
    version = 1

    def collect(self, analysis: FileAnalysis) -> Iterator[Fact]:
        """Yield the graph and practice facts of one file (nothing for test files)."""
        index = index_for(analysis)
        if index.is_test:
            return
        path = index.path
        for function in index.functions:
            summary = _summarise(function_key(function), path, _own_calls(function), index)
            summary.method = function.class_name is not None and function.parent is None
            summary.decorator = function.decorator_grad.value if function.decorator_grad else ""
            yield Fact("gt-fn", summary.key, path, 0, _node_detail(summary))
        module_calls = [call for call in index.calls if call.function is None]
        summary = _summarise("<module>", path, module_calls, index)
        yield Fact("gt-fn", f"<module:{path}>", path, 0, _node_detail(summary))
        for loop in index.loops:
            owner = function_key(loop.function) if loop.function else f"<module:{path}>"
            summary = _summarise(owner, path, loop.calls, index)
            yield Fact("gt-loop", owner, path, 0, _node_detail(summary))
        for call in index.calls:
            target = callee_key(call, index)
            if target is None:
                continue
            caller = function_key(call.function) if call.function else f"<module:{path}>"
            local = _local_grad(call, index)
            detail = json.dumps({"in": caller, "grad": local, "scope": target[1]}, sort_keys=True)
            yield Fact("gt-call", target[0], path, 0, detail)
        bound = index.imports.bound_names()
        for name in sorted(index.referenced_names):
            if name in index.local_function_names:
                yield Fact("gt-ref", name, path, 0, f"path:{path}")
            elif name in bound and not bound[name].startswith("."):
                module = bound[name].rpartition(".")[0]
                yield Fact("gt-ref", name, path, 0, f"stem:{module.rpartition('.')[2]}")
            elif name in bound:
                yield Fact("gt-ref", name, path, 0, "")
        yield from self._practices(index)

    def _practices(self, index: FileIndex) -> Iterator[Fact]:
        checks = (
            ("persists-training-state", practices.persists_training_state),
            ("resumes-training", practices.resumes_training),
            ("monitors-energy", practices.monitors_energy),
            ("mixed-precision", practices.mixed_precision),
            ("early-stopping", practices.early_stopping),
        )
        for kind, check in checks:
            for call in index.calls:
                found = check(call, index)
                if found is not None:
                    yield Fact(kind, "", index.path, index.line_of(call.node), found)
                    break
        energy = practices.energy_imports(index)
        if energy is not None:
            yield Fact("monitors-energy", "", index.path, 0, energy)
        patience = practices.early_stopping_names(index)
        if patience is not None:
            yield Fact("early-stopping", "", index.path, 0, patience)


def _local_grad(call: CallSite, index: FileIndex) -> str:
    """Autograd state at a call from its own function only ("" when nothing local decides)."""
    if call.local_grad is not None:
        return call.local_grad.value
    function = call.function
    if function is None:
        marker = index.module_set_grad_false_order
        return Grad.DISABLED.value if marker is not None and marker < call.order else ""
    if function.set_grad_false_order is not None and function.set_grad_false_order < call.order:
        return Grad.DISABLED.value
    if function.decorator_grad is not None:
        return function.decorator_grad.value
    if function.parent is not None:
        return Grad.UNKNOWN.value
    if function.name in NO_GRAD_HOOKS:
        return Grad.DISABLED.value
    return ""


# -- phase 2 -----------------------------------------------------------------------------------


@dataclass(frozen=True)
class _Call:
    caller: str
    grad: str
    scope: str
    path: str
    line: int


class ProjectGraph:
    """Phase-2 view over all files' facts: reachability and autograd state by name."""

    def __init__(self, project: ProjectFacts) -> None:
        self.project = project
        # Facts are fetched and decoded one key at a time, when a rule asks for that key: a
        # large project holds ~10^5 of them, and a pre-commit run looks at a few hundred.
        self._nodes_memo: dict[str, list[_Node]] = {}
        self._calls_memo: dict[str, list[_Call]] = {}
        self._loop_nodes: list[_Node] | None = None
        self._grad_memo: dict[str, Grad] = {}

    def _nodes_for(self, key: str) -> list[_Node]:
        nodes = self._nodes_memo.get(key)
        if nodes is None:
            nodes = [_node_from(fact) for fact in self.project.find("gt-fn", key)]
            self._nodes_memo[key] = nodes
        return nodes

    def _calls_for(self, key: str) -> list[_Call]:
        calls = self._calls_memo.get(key)
        if calls is None:
            calls = []
            for fact in self.project.find("gt-call", key):
                data = json.loads(fact.detail)
                calls.append(_Call(data["in"], data["grad"], data["scope"], fact.path, fact.line))
            self._calls_memo[key] = calls
        return calls

    @property
    def _loops(self) -> list[_Node]:
        if self._loop_nodes is None:
            self._loop_nodes = [_node_from(fact) for fact in self.project.find("gt-loop")]
        return self._loop_nodes

    def nodes(self, key: str, scope: str = "") -> list[_Node]:
        """Project functions a call to ``key`` may run, narrowed by the call's scope."""
        found = self._nodes_for(key)
        if scope.startswith("path:"):
            return [node for node in found if node.path == scope[5:]]
        if scope.startswith("stem:"):
            return [node for node in found if _in_module(node.path, scope[5:])]
        return found

    def traits(self, callees: Iterable[tuple[str, str]]) -> tuple[bool, bool, bool]:
        """(backward, step, saves) reachable through the given callees."""
        backward = step = saves = False
        seen: set[int] = set()
        frontier = [(key, stem, 0) for key, stem in callees]
        while frontier:
            key, stem, depth = frontier.pop()
            for node in self.nodes(key, stem):
                if id(node) in seen:
                    continue
                seen.add(id(node))
                backward = backward or node.backward
                step = step or node.step
                saves = saves or node.saves
                if depth < MAX_CALL_DEPTH:
                    frontier.extend((k, s, depth + 1) for k, s in node.callees)
        return backward, step, saves

    def loop_trains(self, loop: LoopInfo, index: FileIndex) -> bool:
        """A loop whose body, directly or through project functions, runs backward and step."""
        direct = _summarise("", index.path, loop.calls, index)
        if direct.backward and direct.step:
            return True
        backward, step, _ = self.traits(direct.callees)
        return (direct.backward or backward) and (direct.step or step)

    def loop_saves(self, loop: LoopInfo, index: FileIndex) -> bool:
        """Whether a loop writes a checkpoint, directly or through project functions."""
        direct = _summarise("", index.path, loop.calls, index)
        return direct.saves or self.traits(direct.callees)[2]

    def _fact_loop_trains(self, loop: _Node) -> bool:
        backward, step, _ = self.traits(loop.callees)
        return (loop.backward or backward) and (loop.step or step)

    def callers_of(self, key: str, path: str) -> list[_Call]:
        """Recorded calls that may run the function ``key`` defined in ``path``."""
        stem = PurePath(path).stem
        return [call for call in self._calls_for(key) if _scope_admits(call.scope, path, stem)]

    def called_from_training_loop(self, key: str, path: str) -> bool:
        """Whether a function runs inside some training loop of the project."""
        seen: set[tuple[str, str]] = set()
        frontier = [(key, path)]
        while frontier:
            current, current_path = frontier.pop()
            if (current, current_path) in seen:
                continue
            seen.add((current, current_path))
            stem = PurePath(current_path).stem
            for loop in self._loops:
                calls_it = any(
                    k == current and _scope_admits(scope, current_path, stem)
                    for k, scope in loop.callees
                )
                if calls_it and self._fact_loop_trains(loop):
                    return True
            frontier.extend(
                (call.caller, call.path) for call in self.callers_of(current, current_path)
            )
        return False

    def grad_of_function(self, key: str, is_method: bool, path: str) -> Grad:
        """Autograd state on entry to a function, from what all its project callers agree on."""
        memo_key = f"{path}::{key}"
        if memo_key in self._grad_memo:
            return self._grad_memo[memo_key]
        self._grad_memo[memo_key] = Grad.UNKNOWN
        result = self._compute_grad(key, is_method, path)
        self._grad_memo[memo_key] = result
        return result

    def _compute_grad(self, key: str, is_method: bool, path: str) -> Grad:
        if key.startswith("<module:"):
            return Grad.ENABLED
        name = key.rpartition(".")[2]
        stem = PurePath(path).stem
        if ">" in key or any(
            _scope_admits(fact.detail, path, stem) for fact in self.project.find("gt-ref", name)
        ):
            return Grad.UNKNOWN
        callers = self.callers_of(key, path)
        if not callers:
            return Grad.UNKNOWN if is_method else Grad.ENABLED
        states = {self.grad_at_call(call) for call in callers}
        if Grad.ENABLED in states:
            return Grad.ENABLED
        if Grad.UNKNOWN in states:
            return Grad.UNKNOWN
        return Grad.DISABLED

    def grad_at_call(self, call: _Call) -> Grad:
        """Autograd state at a recorded call site."""
        if call.grad:
            return Grad(call.grad)
        caller_nodes = [n for n in self._nodes_for(call.caller) if n.path == call.path]
        is_method = any(node.method for node in caller_nodes)
        return self.grad_of_function(call.caller, is_method, call.path)

    def caller_needs_gradients(self, key: str, path: str) -> bool:
        """Whether some caller of the function runs backward (so its outputs need a graph)."""
        for call in self.callers_of(key, path):
            for node in self._nodes_for(call.caller):
                if node.path == call.path and node.backward:
                    return True
        return False

    def has(self, kind: str) -> bool:
        """Whether any file shows a practice fact of this kind."""
        return self.project.has(kind)


def _scope_admits(scope: str, path: str, stem: str) -> bool:
    if not scope:
        return True
    if scope.startswith("path:"):
        return scope[5:] == path
    return _in_module(path, scope[5:])


def _in_module(path: str, module: str) -> bool:
    """Whether a file is module ``module`` or lies in a package of that name (re-exports)."""
    pure = PurePath(path)
    return pure.stem == module or module in pure.parts[:-1]


def _node_from(fact: Fact) -> _Node:
    data = json.loads(fact.detail)
    return _Node(
        key=fact.key,
        path=fact.path,
        stem=PurePath(fact.path).stem,
        backward=data["bw"],
        step=data["st"],
        saves=data["sv"],
        method=data["m"],
        decorator=data["dec"],
        callees=[(k, s) for k, s in data["callees"]],
    )


_GRAPHS: weakref.WeakKeyDictionary[ProjectFacts, ProjectGraph] = weakref.WeakKeyDictionary()


def graph_for(project: ProjectFacts) -> ProjectGraph:
    """The :class:`ProjectGraph` of a project's facts, built once."""
    graph = _GRAPHS.get(project)
    if graph is None:
        graph = ProjectGraph(project)
        _GRAPHS[project] = graph
    return graph


# -- grad state of a call in the current file ---------------------------------------------------


def grad_at(call: CallSite, index: FileIndex, graph: ProjectGraph) -> Grad:
    """Autograd state at a call of the current file, following callers across the project."""
    local = _local_grad(call, index)
    if local:
        return Grad(local)
    if call.function is None:
        return Grad.ENABLED
    return graph.grad_of_function(
        function_key(call.function), call.function.class_name is not None, index.path
    )


# -- training entry points ----------------------------------------------------------------------


@dataclass(eq=False)
class TrainingEntry:
    """Where training starts: a training loop, a Keras fit, a Trainer.train / Trainer.fit."""

    kind: str
    node: cst.CSTNode
    loop: LoopInfo | None = None
    call: CallSite | None = None


def training_loop_roots(index: FileIndex, graph: ProjectGraph) -> list[LoopInfo]:
    """Outermost training loops of a file: not nested in another training loop and not in a
    function that a training loop of the project calls."""
    trains = {id(loop): graph.loop_trains(loop, index) for loop in index.loops}
    roots: list[LoopInfo] = []
    for loop in index.loops:
        if not trains[id(loop)]:
            continue
        parent = loop.parent
        while parent is not None and not trains[id(parent)]:
            parent = parent.parent
        if parent is not None:
            continue
        if loop.function is not None and _in_lightning_module(loop.function, index):
            continue
        if loop.function is not None and graph.called_from_training_loop(
            function_key(loop.function), index.path
        ):
            continue
        roots.append(loop)
    return roots


def _in_lightning_module(function: FunctionInfo, index: FileIndex) -> bool:
    """Lightning drives the loops of a LightningModule; its precision and checkpointing apply."""
    owner = function
    while owner.parent is not None:
        owner = owner.parent
    return index.derives_from(owner.class_name, "LightningModule")


def constructor_of(name: str, at: CallSite, index: FileIndex) -> CallSite | None:
    """The call last assigned to ``name`` before ``at`` in the same function or module."""
    best = None
    for assignment in index.assignments:
        if assignment.target != name or assignment.order > at.order:
            continue
        if assignment.function is not at.function and assignment.function is not None:
            continue
        if isinstance(assignment.value, cst.Call) and (
            best is None or assignment.order >= best.order
        ):
            best = assignment
    if best is None or not isinstance(best.value, cst.Call):
        return None
    for call in index.calls:
        if call.node is best.value:
            return call
    return None


def framework_training_kind(call: CallSite, index: FileIndex) -> str | None:
    """Name a framework training call: Keras fit, Hugging Face Trainer.train, Lightning fit."""
    if call.receiver is None:
        return None
    if call.method == "fit":
        origin = constructor_of(call.receiver, call, index)
        origin_name = origin.name if origin is not None else None
        if matches(origin_name, LIGHTNING_TRAINERS) or (
            matches(origin_name, ("Trainer",)) and index.uses("lightning", "pytorch_lightning")
        ):
            return "Lightning Trainer.fit"
        if index.uses("keras", "tensorflow", "tf_keras") and (
            call.keyword("epochs") is not None
            or any(c.method == "compile" and c.receiver == call.receiver for c in index.calls)
        ):
            return "Keras fit"
        return None
    if call.method == "train" and index.uses("transformers", "trl"):
        origin = constructor_of(call.receiver, call, index)
        if origin is not None and matches(origin.name, HF_TRAINERS):
            return "Hugging Face Trainer.train"
    return None


def training_entries(index: FileIndex, graph: ProjectGraph) -> list[TrainingEntry]:
    """Training loops, Keras fits and framework trainer calls of one (non-test) file."""
    if index.is_test:
        return []
    entries = [
        TrainingEntry("training loop", loop.node, loop=loop)
        for loop in training_loop_roots(index, graph)
    ]
    for call in index.calls:
        kind = framework_training_kind(call, index)
        if kind is not None:
            entries.append(TrainingEntry(kind, call.node, call=call))
    return entries
