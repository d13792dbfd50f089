"""The per-file analysis model every rule sees: built in one walk, shared by all rules.

:class:`FileAnalysis` answers the questions green-ML rules keep asking, cheaply:

* what does a name resolve to through the file's imports (``import torch as t; t.no_grad()``
  is ``torch.no_grad``);
* what encloses a node: the parent chain, the function and class, the ``for``/``while`` loops,
  the ``with`` blocks and the decorators of the enclosing function;
* where the local functions are and where they are called (``train(model)`` inside a
  ``with torch.no_grad():`` block is a call site of ``def train`` with that context).

It is built by one walk over the tree that records each node's parent, groups nodes by type and
keeps the visiting order, so the rule traversal is a replay of that order rather than a second
walk. Whitespace, comments and punctuation nodes (``TRIVIA_TYPES``) are not visited. Nothing
here copies the tree or resolves names across files (see ``facts.py`` for the project-level
model), and positions are computed only when something is reported.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from functools import cached_property
from typing import TypeVar

import libcst as cst

from greentactics.lint.positions import PositionIndex, Span

NodeT = TypeVar("NodeT", bound=cst.CSTNode)

Loop = cst.For | cst.While


@dataclass(frozen=True, eq=False)
class FunctionInfo:
    """A ``def`` in the file.

    ``qualname`` is ``name`` for module-level functions, ``Class.name`` for methods and
    ``outer.name`` for nested functions. ``decorators`` are resolved names, with the call
    stripped: ``@torch.no_grad()`` and ``@torch.no_grad`` both give ``"torch.no_grad"``.
    """

    node: cst.FunctionDef
    name: str
    qualname: str
    class_name: str | None
    decorators: tuple[str, ...]
    parameters: tuple[str, ...]

    @property
    def is_method(self) -> bool:
        """Whether the function is defined directly in a class body."""
        return self.class_name is not None


@dataclass(frozen=True, eq=False)
class ClassInfo:
    """A ``class`` in the file with its resolved base names (``torch.nn.Module``)."""

    node: cst.ClassDef
    name: str
    bases: tuple[str, ...]


@dataclass(frozen=True, eq=False)
class CallInfo:
    """A call expression: its resolved callee name and where it sits.

    ``name`` is the resolved dotted name of the callee (``None`` when the callee is not a plain
    name or attribute chain, e.g. ``get_model()()``); ``function`` is the enclosing ``def``.
    """

    node: cst.Call
    name: str | None
    function: FunctionInfo | None


@dataclass
class _WalkResult:
    parents: dict[cst.CSTNode, cst.CSTNode]
    events: list[tuple[bool, cst.CSTNode]]
    by_type: dict[type[cst.CSTNode], list[cst.CSTNode]]


# Whitespace, comments and punctuation: libcst nodes too, but no rule needs to visit them, and
# they are about half of all nodes. The walk skips them (their parents are still visited).
TRIVIA_TYPES: frozenset[type[cst.CSTNode]] = frozenset(
    {
        cst.SimpleWhitespace,
        cst.ParenthesizedWhitespace,
        cst.TrailingWhitespace,
        cst.EmptyLine,
        cst.Newline,
        cst.Comment,
        cst.LeftParen,
        cst.RightParen,
        cst.LeftSquareBracket,
        cst.RightSquareBracket,
        cst.LeftCurlyBrace,
        cst.RightCurlyBrace,
        cst.Comma,
        cst.Dot,
        cst.Colon,
        cst.Semicolon,
        cst.AssignEqual,
        cst.ImportStar,
    }
)
_TRIVIA_FIELDS = frozenset(
    {
        "lpar",
        "rpar",
        "comma",
        "dot",
        "equal",
        "colon",
        "semicolon",
        "leading_lines",
        "lines_after_decorators",
        "lbracket",
        "rbracket",
        "lbrace",
        "rbrace",
        "header",
        "footer",
        "trailing_whitespace",
        "newline",
        "relative",
    }
)
# Where the dataclass field order differs from source order, the source order (the order
# libcst's own visitors use); a test checks the walk against libcst's on real files.
_SOURCE_ORDER: dict[type[cst.CSTNode], tuple[str, ...]] = {
    cst.FunctionDef: (
        "decorators",
        "asynchronous",
        "name",
        "type_parameters",
        "params",
        "returns",
        "body",
    ),
    cst.ClassDef: ("decorators", "name", "type_parameters", "bases", "keywords", "body"),
    cst.IfExp: ("body", "test", "orelse"),
    cst.Arg: ("keyword", "value"),
    cst.ExceptHandler: ("type", "name", "body"),
    cst.ExceptStarHandler: ("type", "name", "body"),
    cst.MatchCase: ("pattern", "guard", "body"),
    cst.For: ("asynchronous", "target", "iter", "body", "orelse"),
    cst.With: ("asynchronous", "items", "body"),
    cst.CompFor: ("asynchronous", "target", "iter", "ifs", "inner_for_in"),
    cst.Parameters: (
        "posonly_params",
        "posonly_ind",
        "params",
        "star_arg",
        "kwonly_params",
        "star_kwarg",
    ),
}
_CHILD_FIELDS: dict[type[cst.CSTNode], tuple[str, ...]] = {}


def _child_fields(node_type: type[cst.CSTNode]) -> tuple[str, ...]:
    names = _CHILD_FIELDS.get(node_type)
    if names is None:
        names = _SOURCE_ORDER.get(node_type) or tuple(
            item.name
            for item in dataclasses.fields(node_type)
            if item.name not in _TRIVIA_FIELDS and not item.name.startswith("whitespace")
        )
        _CHILD_FIELDS[node_type] = names
    return names


def _walk(module: cst.Module) -> _WalkResult:
    """One pass over the tree in source order, trivia skipped: parents, events, by type.

    Reads the dataclass fields directly instead of using a libcst visitor, which rebuilds
    (and re-validates) every node it passes; this is about three times faster.
    """
    result = _WalkResult({}, [], {})
    parents, events, by_type = result.parents, result.events, result.by_type
    node_base = cst.CSTNode

    def visit(node: cst.CSTNode, parent: cst.CSTNode | None) -> None:
        node_type = type(node)
        if parent is not None:
            parents[node] = parent
        events.append((True, node))
        same_type = by_type.get(node_type)
        if same_type is None:
            by_type[node_type] = [node]
        else:
            same_type.append(node)
        for name in _child_fields(node_type):
            value = getattr(node, name)
            if type(value) is tuple or type(value) is list:
                for child in value:
                    if isinstance(child, node_base) and type(child) not in TRIVIA_TYPES:
                        visit(child, node)
            elif isinstance(value, node_base) and type(value) not in TRIVIA_TYPES:
                visit(value, node)
        events.append((False, node))

    visit(module, None)
    return result


@dataclass(eq=False)
class FileAnalysis:
    """Everything the rules know about one file, computed once and shared.

    Attributes: ``path`` (as displayed, POSIX separators), ``source`` (the text that was
    parsed; for notebooks the code cells joined), ``module`` (the libcst tree),
    ``is_notebook``. Most derived views are computed on first use.
    """

    path: str
    source: str
    module: cst.Module
    is_notebook: bool = False
    _walk: _WalkResult = field(init=False, repr=False)

    def __post_init__(self) -> None:
        self._walk = _walk(self.module)

    # ----------------------------------------------------------------- tree navigation

    @property
    def events(self) -> list[tuple[bool, cst.CSTNode]]:
        """The walk order as ``(entering, node)`` pairs; the rule traversal replays it."""
        return self._walk.events

    def nodes(self, node_type: type[NodeT]) -> list[NodeT]:
        """All nodes of exactly this libcst type, in source order (e.g. ``nodes(cst.Call)``)."""
        return self._walk.by_type.get(node_type, [])  # type: ignore[return-value]

    def parent(self, node: cst.CSTNode) -> cst.CSTNode | None:
        """The parent of ``node`` (None for the module)."""
        return self._walk.parents.get(node)

    def ancestors(self, node: cst.CSTNode) -> Iterator[cst.CSTNode]:
        """The parents of ``node``, innermost first, up to and including the module."""
        parents = self._walk.parents
        current = parents.get(node)
        while current is not None:
            yield current
            current = parents.get(current)

    def enclosing_function(self, node: cst.CSTNode) -> FunctionInfo | None:
        """The innermost ``def`` containing ``node`` (not counting ``node`` itself)."""
        for ancestor in self.ancestors(node):
            if isinstance(ancestor, cst.FunctionDef):
                return self.function_info(ancestor)
        return None

    def enclosing_class(self, node: cst.CSTNode) -> ClassInfo | None:
        """The innermost ``class`` containing ``node``."""
        for ancestor in self.ancestors(node):
            if isinstance(ancestor, cst.ClassDef):
                return self._class_infos[ancestor]
        return None

    def enclosing_loops(self, node: cst.CSTNode, *, cross_functions: bool = False) -> list[Loop]:
        """``for``/``while`` statements around ``node``, innermost first.

        Only loops inside the same function count unless ``cross_functions`` is set: a loop
        around a ``def`` does not run the function's body.
        A node in a loop's ``else`` or in its ``iter`` expression is not inside the loop.
        """
        loops: list[Loop] = []
        child: cst.CSTNode = node
        for ancestor in self.ancestors(node):
            if isinstance(ancestor, (cst.For, cst.While)) and child is ancestor.body:
                loops.append(ancestor)
            elif isinstance(ancestor, (cst.FunctionDef, cst.Lambda)) and not cross_functions:
                break
            child = ancestor
        return loops

    def enclosing_withs(
        self, node: cst.CSTNode, *, cross_functions: bool = False
    ) -> list[cst.With]:
        """``with`` statements whose body contains ``node``, innermost first (same function)."""
        withs: list[cst.With] = []
        child: cst.CSTNode = node
        for ancestor in self.ancestors(node):
            if isinstance(ancestor, cst.With) and child is ancestor.body:
                withs.append(ancestor)
            elif isinstance(ancestor, (cst.FunctionDef, cst.Lambda)) and not cross_functions:
                break
            child = ancestor
        return withs

    def active_contexts(self, node: cst.CSTNode) -> set[str]:
        """Resolved names of the context managers and decorators in effect at ``node``.

        Includes the ``with`` items around ``node`` in its function and the decorators of that
        function, e.g. ``{"torch.no_grad"}`` for a node under ``with torch.no_grad():`` or in a
        function decorated ``@torch.inference_mode()``.
        """
        names: set[str] = set()
        for with_node in self.enclosing_withs(node):
            names.update(self.with_items(with_node))
        function = self.enclosing_function(node)
        if function is not None:
            names.update(function.decorators)
        return names

    def in_context(self, node: cst.CSTNode, *names: str) -> bool:
        """Whether any of ``names`` is among :meth:`active_contexts` of ``node``."""
        return not self.active_contexts(node).isdisjoint(names)

    def with_items(self, node: cst.With) -> list[str]:
        """Resolved names of a ``with`` statement's context managers (calls stripped)."""
        names = []
        for item in node.items:
            name = self.resolve(_strip_call(item.item))
            if name is not None:
                names.append(name)
        return names

    # ----------------------------------------------------------------- names and imports

    @cached_property
    def imports(self) -> dict[str, str]:
        """Local name -> imported qualified name, for every import in the file (any scope).

        ``import torch as t`` gives ``{"t": "torch"}``; ``import torch.nn`` gives
        ``{"torch": "torch"}``; ``from torch import no_grad as ng`` gives
        ``{"ng": "torch.no_grad"}``; relative imports keep their dots (``".models.Net"``).
        Star imports are ignored.
        """
        names: dict[str, str] = {}
        for node in self.nodes(cst.Import):
            for alias in node.names:
                module_name = dotted(alias.name)
                if module_name is None:
                    continue
                if alias.asname is not None and isinstance(alias.asname.name, cst.Name):
                    names[alias.asname.name.value] = module_name
                else:
                    root = module_name.split(".", 1)[0]
                    names[root] = root
        for from_node in self.nodes(cst.ImportFrom):
            if isinstance(from_node.names, cst.ImportStar):
                continue
            module = "." * len(from_node.relative) + (dotted(from_node.module) or "")
            for alias in from_node.names:
                imported = dotted(alias.name)
                if imported is None:
                    continue
                local = imported
                if alias.asname is not None and isinstance(alias.asname.name, cst.Name):
                    local = alias.asname.name.value
                separator = "" if module.endswith(".") or not module else "."
                names[local] = f"{module}{separator}{imported}"
        return names

    @cached_property
    def imported_modules(self) -> frozenset[str]:
        """Top-level packages the file imports from (``{"torch", "sklearn"}``)."""
        roots = set()
        for qualified in self.imports.values():
            if not qualified.startswith("."):
                roots.add(qualified.split(".", 1)[0])
        return frozenset(roots)

    def imports_any(self, *packages: str) -> bool:
        """Whether the file imports any of ``packages`` (top-level names, e.g. ``"torch"``)."""
        return not self.imported_modules.isdisjoint(packages)

    def resolve(self, node: cst.BaseExpression) -> str | None:
        """The dotted name of a ``Name``/``Attribute`` chain, its root resolved through imports.

        ``t.no_grad`` after ``import torch as t`` -> ``"torch.no_grad"``; a root that is not
        imported stays as written (``model.eval`` -> ``"model.eval"``, ``print`` -> ``"print"``),
        so snippets without imports still read naturally. Other expressions give None.
        """
        written = dotted(node)
        if written is None:
            return None
        root, dot, rest = written.partition(".")
        target = self.imports.get(root)
        if target is None:
            return written
        return f"{target}{dot}{rest}"

    def call_name(self, node: cst.Call) -> str | None:
        """The resolved name of a call's callee (``torch.save`` for ``t.save(...)``)."""
        return self.resolve(node.func)

    # ----------------------------------------------------------------- functions and calls

    @cached_property
    def functions(self) -> list[FunctionInfo]:
        """Every ``def`` in the file, in source order."""
        return list(self._function_infos.values())

    @cached_property
    def classes(self) -> list[ClassInfo]:
        """Every ``class`` in the file, in source order."""
        return list(self._class_infos.values())

    def function_info(self, node: cst.FunctionDef) -> FunctionInfo:
        """The :class:`FunctionInfo` of a ``def`` node of this file."""
        return self._function_infos[node]

    def functions_named(self, name: str) -> list[FunctionInfo]:
        """Local functions and methods called ``name`` (several if redefined or in classes)."""
        return [info for info in self.functions if info.name == name]

    @cached_property
    def calls(self) -> list[CallInfo]:
        """Every call in the file with its resolved callee name, in source order."""
        return [
            CallInfo(node, self.call_name(node), self.enclosing_function(node))
            for node in self.nodes(cst.Call)
        ]

    def calls_to(self, *names: str) -> list[CallInfo]:
        """Calls whose resolved callee name is one of ``names``."""
        wanted = set(names)
        return [call for call in self.calls if call.name in wanted]

    def call_sites(self, function: FunctionInfo | str) -> list[CallInfo]:
        """Calls of a local function: ``f(...)`` for a module-level or nested ``def f``, and
        ``self.f(...)`` / ``cls.f(...)`` inside the same class for a method ``f``.

        Given a name instead of a :class:`FunctionInfo`, any local function of that name counts.
        """
        infos = self.functions_named(function) if isinstance(function, str) else [function]
        sites: list[CallInfo] = []
        for call in self.calls:
            if call.name is None:
                continue
            for info in infos:
                if self._calls_function(call, info):
                    sites.append(call)
                    break
        return sites

    def _calls_function(self, call: CallInfo, info: FunctionInfo) -> bool:
        if info.class_name is None:
            return call.name == info.name
        receiver, _, method = (call.name or "").rpartition(".")
        if method != info.name or receiver not in ("self", "cls", info.class_name):
            return False
        enclosing = self.enclosing_class(call.node)
        return receiver == info.class_name or (
            enclosing is not None and enclosing.name == info.class_name
        )

    @cached_property
    def _function_infos(self) -> dict[cst.FunctionDef, FunctionInfo]:
        infos: dict[cst.FunctionDef, FunctionInfo] = {}
        for node in self.nodes(cst.FunctionDef):
            outer: list[str] = []
            class_name: str | None = None
            for depth, ancestor in enumerate(self._scope_ancestors(node)):
                if isinstance(ancestor, cst.ClassDef):
                    if depth == 0:
                        class_name = ancestor.name.value
                    outer.append(ancestor.name.value)
                else:
                    outer.append(ancestor.name.value)
            name = node.name.value
            decorators = tuple(
                resolved
                for decorator in node.decorators
                if (resolved := self.resolve(_strip_call(decorator.decorator))) is not None
            )
            parameters = tuple(param.name.value for param in _all_params(node.params))
            qualname = ".".join([*reversed(outer), name])
            infos[node] = FunctionInfo(node, name, qualname, class_name, decorators, parameters)
        return infos

    @cached_property
    def _class_infos(self) -> dict[cst.ClassDef, ClassInfo]:
        infos: dict[cst.ClassDef, ClassInfo] = {}
        for node in self.nodes(cst.ClassDef):
            bases = tuple(
                resolved
                for arg in node.bases
                if arg.keyword is None and (resolved := self.resolve(arg.value)) is not None
            )
            infos[node] = ClassInfo(node, node.name.value, bases)
        return infos

    def _scope_ancestors(self, node: cst.CSTNode) -> Iterator[cst.FunctionDef | cst.ClassDef]:
        for ancestor in self.ancestors(node):
            if isinstance(ancestor, (cst.FunctionDef, cst.ClassDef)):
                yield ancestor

    # ----------------------------------------------------------------- text and positions

    @cached_property
    def _positions(self) -> PositionIndex:
        return PositionIndex(self.module)

    def span(self, node: cst.CSTNode) -> Span:
        """Where ``node`` is (1-based lines, 0-based columns); computed on first use."""
        found = self._positions.span(node)
        if found is None:
            for ancestor in self.ancestors(node):
                found = self._positions.span(ancestor)
                if found is not None:
                    break
        return found or Span(1, 0, 1, 0)

    def line_of(self, node: cst.CSTNode) -> int:
        """The 1-based line where ``node`` starts."""
        return self.span(node).line

    def code_for(self, node: cst.CSTNode) -> str:
        """The source code of ``node`` (as libcst renders it, without leading blank lines)."""
        return self.module.code_for_node(node).strip()


def dotted(node: cst.BaseExpression | cst.CSTNode | None) -> str | None:
    """``a.b.c`` for a Name/Attribute chain, else None."""
    parts: list[str] = []
    current = node
    while isinstance(current, cst.Attribute):
        parts.append(current.attr.value)
        current = current.value
    if not isinstance(current, cst.Name):
        return None
    parts.append(current.value)
    return ".".join(reversed(parts))


def _strip_call(node: cst.BaseExpression) -> cst.BaseExpression:
    """``torch.no_grad()`` -> ``torch.no_grad``; anything else unchanged."""
    return node.func if isinstance(node, cst.Call) else node


def _all_params(params: cst.Parameters) -> Iterable[cst.Param]:
    yield from params.posonly_params
    yield from params.params
    if isinstance(params.star_arg, cst.Param):
        yield params.star_arg
    yield from params.kwonly_params
    if params.star_kwarg is not None:
        yield params.star_kwarg
