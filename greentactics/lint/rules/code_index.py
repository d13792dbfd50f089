"""One pass over a file that records what the ML rules reason about.

The index lists every call (with its resolved name, enclosing function and loops, and whether
autograd is locally switched off there), every function, every loop and every simple
assignment. Rules and the project index read it instead of walking the tree again.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from enum import Enum
from functools import cached_property
from pathlib import PurePath
from typing import Any

import libcst as cst

from greentactics.lint.rules.names import ImportMap, dotted, last_name, matches


class Grad(str, Enum):
    """What autograd does at a point in the code, as far as the code shows."""

    DISABLED = "disabled"
    ENABLED = "enabled"
    UNKNOWN = "unknown"


NO_GRAD_CONTEXTS = ("torch.no_grad", "torch.inference_mode", "torch.autograd.no_grad")
ENABLE_GRAD_CONTEXTS = ("torch.enable_grad", "tf.GradientTape", "tensorflow.GradientTape")
SET_GRAD_ENABLED = "torch.set_grad_enabled"
# Context managers known to leave autograd alone; anything else is judged by its name.
NEUTRAL_CONTEXT_WORDS = re.compile(
    r"(open|autocast|amp|tqdm|profile|timer|record_function|catch_warnings|suppress|"
    r"accumulate|no_sync|join|lock|device|stream|redirect|TemporaryDirectory|"
    r"ThreadPool|Pool|Session|summary|span|trace|patch|raises|warns|strategy|scope)",
    re.IGNORECASE,
)


@dataclass(eq=False)
class FunctionInfo:
    """A function or method definition."""

    name: str
    qualname: str
    class_name: str | None
    class_bases: tuple[str, ...]
    node: cst.FunctionDef
    order: int
    params: tuple[str, ...]
    decorator_grad: Grad | None
    parent: FunctionInfo | None
    calls: list[CallSite] = field(default_factory=list)
    loops: list[LoopInfo] = field(default_factory=list)
    set_grad_false_order: int | None = None


@dataclass(eq=False)
class LoopInfo:
    """A ``for`` or ``while`` loop, with the calls anywhere in its body."""

    node: cst.For | cst.While
    order: int
    function: FunctionInfo | None
    parent: LoopInfo | None
    targets: tuple[str, ...]
    iter_written: str | None
    calls: list[CallSite] = field(default_factory=list)
    has_break: bool = False
    assigned_names: set[str] = field(default_factory=set)


@dataclass(eq=False)
class CallSite:
    """One call, where it is and what it calls."""

    node: cst.Call
    order: int
    written: str | None
    qualified: str | None
    method: str | None
    receiver: str | None
    function: FunctionInfo | None
    loops: tuple[LoopInfo, ...]
    local_grad: Grad | None
    in_getitem: bool

    @property
    def name(self) -> str | None:
        """The qualified name when the root is imported, else the written one."""
        return self.qualified or self.written

    def keyword(self, name: str) -> cst.BaseExpression | None:
        """The value passed for keyword ``name``, if written."""
        for arg in self.node.args:
            if arg.keyword is not None and arg.keyword.value == name:
                return arg.value
        return None

    @property
    def has_star_args(self) -> bool:
        """Whether ``*args`` or ``**kwargs`` hide some of the arguments."""
        return any(arg.star for arg in self.node.args)

    @property
    def positional(self) -> list[cst.BaseExpression]:
        """The positional argument expressions."""
        return [arg.value for arg in self.node.args if arg.keyword is None and not arg.star]


@dataclass(eq=False)
class Assignment:
    """``name = value`` (or ``self.name = value``) with a single simple target."""

    target: str
    value: cst.BaseExpression
    order: int
    function: FunctionInfo | None


@dataclass(eq=False)
class FileIndex:
    """Everything the rules need from one file."""

    path: str
    module: cst.Module
    imports: ImportMap
    functions: list[FunctionInfo]
    calls: list[CallSite]
    loops: list[LoopInfo]
    assignments: list[Assignment]
    referenced_names: set[str]
    module_set_grad_false_order: int | None
    strings: list[tuple[str, cst.SimpleString]]
    is_test: bool
    line_of: Callable[[cst.CSTNode], int]
    class_bases: dict[str, tuple[str, ...]]

    @cached_property
    def local_function_names(self) -> set[str]:
        """Names of the module-level functions the file defines."""
        return {f.name for f in self.functions if f.class_name is None and f.parent is None}

    def derives_from(self, class_name: str | None, suffix: str) -> bool:
        """Whether a class of this file derives (through classes of the file) from a base whose
        dotted name ends with ``suffix`` (e.g. ``LightningModule``)."""
        seen: set[str] = set()
        frontier = [class_name] if class_name else []
        while frontier:
            current = frontier.pop()
            if current in seen:
                continue
            seen.add(current)
            for base in self.class_bases.get(current, ()):
                if base.rpartition(".")[2] == suffix:
                    return True
                frontier.append(base.rpartition(".")[2])
        return False

    def uses(self, *prefixes: str) -> bool:
        """Whether the file imports one of these modules (or a submodule)."""
        return self.imports.imports_any(prefixes)

    def calls_named(self, *suffixes: str) -> list[CallSite]:
        """Calls whose (qualified or written) name ends with one of the dotted suffixes."""
        return [
            call
            for call in self.calls
            if matches(call.qualified, suffixes) or matches(call.written, suffixes)
        ]


def is_test_path(path: str) -> bool:
    """Whether a path is a test file (``test_*.py``, ``*_test.py``, ``conftest.py``, ``tests/``)."""
    pure = PurePath(path)
    name = pure.name
    if name.startswith("test_") or name.endswith("_test.py") or name == "conftest.py":
        return True
    return any(part in ("tests", "test", "testing") for part in pure.parts[:-1])


class _Indexer(cst.CSTVisitor):
    def __init__(self) -> None:
        self.counter = 0
        self.imports = ImportMap()
        self.functions: list[FunctionInfo] = []
        self.calls: list[CallSite] = []
        self.loops: list[LoopInfo] = []
        self.assignments: list[Assignment] = []
        self.referenced: set[str] = set()
        self.strings: list[tuple[str, cst.SimpleString]] = []
        self.module_set_grad_false_order: int | None = None
        self.class_bases: dict[str, tuple[str, ...]] = {}
        self._function_stack: list[FunctionInfo] = []
        self._class_stack: list[tuple[str, tuple[str, ...]]] = []
        # Per function (None = module): the stack of loops and of grad-changing with-frames.
        self._loop_stack: list[list[LoopInfo]] = [[]]
        self._grad_stack: list[list[Grad | None]] = [[]]

    def _next(self) -> int:
        self.counter += 1
        return self.counter

    # imports -------------------------------------------------------------------------------
    def visit_Import(self, node: cst.Import) -> None:
        self.imports.add_import(node)

    def visit_ImportFrom(self, node: cst.ImportFrom) -> None:
        self.imports.add_import_from(node)

    # scopes --------------------------------------------------------------------------------
    def visit_ClassDef(self, node: cst.ClassDef) -> None:
        bases = tuple(b for b in (dotted(arg.value) for arg in node.bases) if b is not None)
        self._class_stack.append((node.name.value, bases))
        self.class_bases[node.name.value] = bases

    def leave_ClassDef(self, original_node: cst.ClassDef) -> None:
        self._class_stack.pop()

    def visit_FunctionDef(self, node: cst.FunctionDef) -> None:
        parent = self._function_stack[-1] if self._function_stack else None
        class_name, bases = (None, ()) if not self._class_stack else self._class_stack[-1]
        if parent is not None:
            class_name, bases = None, ()
        qual = node.name.value if class_name is None else f"{class_name}.{node.name.value}"
        params = tuple(p.name.value for p in node.params.params)
        info = FunctionInfo(
            name=node.name.value,
            qualname=qual,
            class_name=class_name,
            class_bases=bases,
            node=node,
            order=self._next(),
            params=params,
            decorator_grad=self._decorator_grad(node),
            parent=parent,
        )
        self.functions.append(info)
        self._function_stack.append(info)
        self._loop_stack.append([])
        self._grad_stack.append([])

    def leave_FunctionDef(self, original_node: cst.FunctionDef) -> None:
        self._function_stack.pop()
        self._loop_stack.pop()
        self._grad_stack.pop()

    def _decorator_grad(self, node: cst.FunctionDef) -> Grad | None:
        state: Grad | None = None
        for decorator in node.decorators:
            expr = decorator.decorator
            target = expr.func if isinstance(expr, cst.Call) else expr
            grad = self._context_grad(target, expr if isinstance(expr, cst.Call) else None)
            if grad is Grad.DISABLED:
                return Grad.DISABLED
            if grad is Grad.UNKNOWN:
                state = Grad.UNKNOWN
        return state

    def _context_grad(self, func: cst.BaseExpression, call: cst.Call | None) -> Grad | None:
        written = dotted(func)
        qualified = self.imports.qualify(written)
        name = qualified or written
        if name is None:
            return Grad.UNKNOWN
        if matches(name, NO_GRAD_CONTEXTS) or matches(name, ("no_grad", "inference_mode")):
            return Grad.DISABLED
        if matches(name, ENABLE_GRAD_CONTEXTS) or matches(name, ("enable_grad",)):
            return Grad.ENABLED
        if matches(name, (SET_GRAD_ENABLED, "set_grad_enabled")):
            if call is None or not call.args:
                return Grad.UNKNOWN
            value = call.args[0].value
            if isinstance(value, cst.Name) and value.value in ("True", "False"):
                return Grad.DISABLED if value.value == "False" else Grad.ENABLED
            return Grad.UNKNOWN
        if re.search(r"grad|inference|eval", name, re.IGNORECASE):
            return Grad.UNKNOWN
        return None

    def _with_item_grad(self, item: cst.WithItem) -> Grad | None:
        expr = item.item
        if isinstance(expr, cst.Call):
            grad = self._context_grad(expr.func, expr)
            if grad is not None:
                return grad
            return None
        written = dotted(expr)
        if written is None:
            return Grad.UNKNOWN
        grad = self._context_grad(expr, None)
        if grad is not None:
            return grad
        # A context held in a variable (``with ctx:``) may be anything, including no_grad.
        if NEUTRAL_CONTEXT_WORDS.search(written):
            return None
        return Grad.UNKNOWN

    def visit_With(self, node: cst.With) -> None:
        state: Grad | None = None
        for item in node.items:
            grad = self._with_item_grad(item)
            if grad is Grad.DISABLED or (grad is not None and state is None):
                state = grad
        self._grad_stack[-1].append(state)

    def leave_With(self, original_node: cst.With) -> None:
        self._grad_stack[-1].pop()

    # loops ---------------------------------------------------------------------------------
    def _enter_loop(self, node: cst.For | cst.While) -> None:
        stack = self._loop_stack[-1]
        targets: tuple[str, ...] = ()
        iter_written: str | None = None
        if isinstance(node, cst.For):
            targets = tuple(n.value for n in _names_in(node.target))
            iter_written = _call_or_dotted(node.iter)
        info = LoopInfo(
            node=node,
            order=self._next(),
            function=self._function_stack[-1] if self._function_stack else None,
            parent=stack[-1] if stack else None,
            targets=targets,
            iter_written=iter_written,
        )
        self.loops.append(info)
        if info.function is not None:
            info.function.loops.append(info)
        stack.append(info)

    def visit_For(self, node: cst.For) -> None:
        self._enter_loop(node)

    def leave_For(self, original_node: cst.For) -> None:
        self._loop_stack[-1].pop()

    def visit_While(self, node: cst.While) -> None:
        self._enter_loop(node)

    def leave_While(self, original_node: cst.While) -> None:
        self._loop_stack[-1].pop()

    def visit_Break(self, node: cst.Break) -> None:
        for loop in self._loop_stack[-1]:
            loop.has_break = True

    def visit_Return(self, node: cst.Return) -> None:
        for loop in self._loop_stack[-1]:
            loop.has_break = True
        if node.value is not None and isinstance(node.value, cst.Name):
            self.referenced.add(node.value.value)

    # statements ----------------------------------------------------------------------------
    def visit_Assign(self, node: cst.Assign) -> None:
        current = self._function_stack[-1] if self._function_stack else None
        for target in node.targets:
            written = dotted(target.target)
            if written is not None:
                self.assignments.append(Assignment(written, node.value, self._next(), current))
            for name in _names_in(target.target):
                for loop in self._loop_stack[-1]:
                    loop.assigned_names.add(name.value)
        if isinstance(node.value, cst.Name):
            self.referenced.add(node.value.value)

    def visit_AnnAssign(self, node: cst.AnnAssign) -> None:
        current = self._function_stack[-1] if self._function_stack else None
        written = dotted(node.target)
        if written is not None and node.value is not None:
            self.assignments.append(Assignment(written, node.value, self._next(), current))

    def visit_AugAssign(self, node: cst.AugAssign) -> None:
        for name in _names_in(node.target):
            for loop in self._loop_stack[-1]:
                loop.assigned_names.add(name.value)

    def visit_Arg(self, node: cst.Arg) -> None:
        if isinstance(node.value, cst.Name):
            self.referenced.add(node.value.value)

    def visit_Element(self, node: cst.Element) -> None:
        if isinstance(node.value, cst.Name):
            self.referenced.add(node.value.value)

    def visit_DictElement(self, node: cst.DictElement) -> None:
        if isinstance(node.value, cst.Name):
            self.referenced.add(node.value.value)

    def visit_SimpleString(self, node: cst.SimpleString) -> None:
        value = node.evaluated_value
        if isinstance(value, str) and len(value) < 200:
            self.strings.append((value, node))

    # calls ---------------------------------------------------------------------------------
    def visit_Call(self, node: cst.Call) -> None:
        written = dotted(node.func)
        qualified = self.imports.qualify(written)
        method = last_name(node.func) if isinstance(node.func, cst.Attribute) else None
        receiver = dotted(node.func.value) if isinstance(node.func, cst.Attribute) else None
        function = self._function_stack[-1] if self._function_stack else None
        loops = tuple(self._loop_stack[-1])
        local: Grad | None = None
        for frame in reversed(self._grad_stack[-1]):
            if frame is not None:
                local = frame
                break
        order = self._next()
        site = CallSite(
            node=node,
            order=order,
            written=written,
            qualified=qualified,
            method=method,
            receiver=receiver,
            function=function,
            loops=loops,
            local_grad=local,
            in_getitem=any(f.name == "__getitem__" for f in self._function_stack),
        )
        self.calls.append(site)
        if function is not None:
            function.calls.append(site)
        for loop in loops:
            loop.calls.append(site)
        name = qualified or written
        if matches(name, (SET_GRAD_ENABLED, "set_grad_enabled")) and node.args:
            value = node.args[0].value
            if isinstance(value, cst.Name) and value.value == "False":
                if function is None:
                    self.module_set_grad_false_order = self.module_set_grad_false_order or order
                elif function.set_grad_false_order is None:
                    function.set_grad_false_order = order


def _names_in(target: cst.BaseExpression) -> list[cst.Name]:
    if isinstance(target, cst.Name):
        return [target]
    if isinstance(target, (cst.Tuple, cst.List)):
        found: list[cst.Name] = []
        for element in target.elements:
            found.extend(_names_in(element.value))
        return found
    return []


def _call_or_dotted(expr: cst.BaseExpression) -> str | None:
    if isinstance(expr, cst.Call):
        return dotted(expr.func)
    return dotted(expr)


def build_file_index(
    module: cst.Module,
    path: str,
    line_of: Callable[[cst.CSTNode], int],
    events: Iterable[tuple[bool, cst.CSTNode]] | None = None,
) -> FileIndex:
    """Index one parsed file; ``line_of`` gives the 1-based start line of a node.

    ``events`` is the engine's recorded walk (``FileAnalysis.events``: ``(entering, node)`` in
    visiting order); replaying it is several times cheaper than a second libcst traversal.
    """
    indexer = _Indexer()
    if events is None:
        module.visit(indexer)
    else:
        handlers: dict[tuple[bool, type[cst.CSTNode]], Callable[[cst.CSTNode], object] | None] = {}
        for entering, node in events:
            key = (entering, type(node))
            handler = handlers.get(key, _MISSING)
            if handler is _MISSING:
                prefix = "visit_" if entering else "leave_"
                handler = getattr(indexer, prefix + type(node).__name__, None)
                handlers[key] = handler
            if handler is not None:
                handler(node)
    return FileIndex(
        path=path,
        module=module,
        imports=indexer.imports,
        functions=indexer.functions,
        calls=indexer.calls,
        loops=indexer.loops,
        assignments=indexer.assignments,
        referenced_names=indexer.referenced,
        module_set_grad_false_order=indexer.module_set_grad_false_order,
        strings=indexer.strings,
        is_test=is_test_path(path),
        line_of=line_of,
        class_bases=indexer.class_bases,
    )


_MISSING: Any = object()
