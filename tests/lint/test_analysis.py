"""The per-file analysis model rules read: names, contexts, functions and call sites."""

from __future__ import annotations

import textwrap
from pathlib import Path

import libcst as cst

from greentactics.lint.analysis import TRIVIA_TYPES, FileAnalysis


def analysis_of(code: str) -> FileAnalysis:
    text = textwrap.dedent(code)
    return FileAnalysis("example.py", text, cst.parse_module(text))


def call(analysis: FileAnalysis, name: str, occurrence: int = 0) -> cst.Call:
    matches = [info.node for info in analysis.calls if info.name == name]
    return matches[occurrence]


def test_import_aliases_resolve_to_qualified_names() -> None:
    analysis = analysis_of(
        """
        import torch as t
        import torch.nn
        from torch.utils.data import DataLoader as DL
        from .models import Net
        from sklearn.model_selection import *
        t.no_grad()
        DL(ds)
        torch.nn.Linear(2, 2)
        model.eval()
        Net()
        """
    )
    names = [info.name for info in analysis.calls]
    assert names == [
        "torch.no_grad",
        "torch.utils.data.DataLoader",
        "torch.nn.Linear",
        "model.eval",
        ".models.Net",
    ]
    assert analysis.imports_any("torch", "keras")
    assert analysis.imported_modules == {"torch"}


def test_contexts_include_with_items_and_decorators_of_the_function() -> None:
    analysis = analysis_of(
        """
        import torch

        @torch.inference_mode()
        def predict(model, x):
            return model(x)

        def train(model, loader):
            for x in loader:
                with torch.autocast("cuda"), torch.no_grad():
                    model(x)
            model(x)
        """
    )
    in_predict = call(analysis, "model", 0)
    in_loop = call(analysis, "model", 1)
    after_loop = call(analysis, "model", 2)
    assert analysis.active_contexts(in_predict) == {"torch.inference_mode"}
    assert analysis.active_contexts(in_loop) == {"torch.autocast", "torch.no_grad"}
    assert analysis.in_context(in_loop, "torch.no_grad")
    assert not analysis.in_context(after_loop, "torch.no_grad")
    assert [type(loop).__name__ for loop in analysis.enclosing_loops(in_loop)] == ["For"]
    assert analysis.enclosing_loops(after_loop) == []
    function = analysis.enclosing_function(in_loop)
    assert function is not None and function.qualname == "train"


def test_loops_around_a_def_do_not_enclose_its_body() -> None:
    analysis = analysis_of(
        """
        for name in names:
            def handler():
                work()
        """
    )
    work = call(analysis, "work")
    assert analysis.enclosing_loops(work) == []
    assert len(analysis.enclosing_loops(work, cross_functions=True)) == 1


def test_call_sites_of_local_functions_and_methods() -> None:
    analysis = analysis_of(
        """
        import torch

        def evaluate(model):
            return model.eval()

        class Trainer:
            def step(self):
                return 1

            def fit(self):
                self.step()
                with torch.no_grad():
                    evaluate(self.model)

        evaluate(net)
        other.step()
        """
    )
    (evaluate,) = analysis.functions_named("evaluate")
    sites = analysis.call_sites(evaluate)
    assert [analysis.in_context(site.node, "torch.no_grad") for site in sites] == [True, False]
    (step,) = analysis.functions_named("step")
    assert step.qualname == "Trainer.step" and step.is_method
    assert [site.name for site in analysis.call_sites(step)] == ["self.step"]


def test_class_bases_and_decorators_are_resolved() -> None:
    analysis = analysis_of(
        """
        from torch import nn
        import functools

        class Net(nn.Module):
            @functools.lru_cache(maxsize=None)
            def forward(self, x, *rest, scale=1, **extra):
                return x
        """
    )
    (net,) = analysis.classes
    assert net.bases == ("torch.nn.Module",)
    (forward,) = analysis.functions
    assert forward.decorators == ("functools.lru_cache",)
    assert forward.parameters == ("self", "x", "rest", "scale", "extra")


def test_positions_are_computed_on_demand() -> None:
    analysis = analysis_of("import torch\n\nx = (\n    torch.ones(2)\n)\n")
    span = analysis.span(call(analysis, "torch.ones"))
    assert (span.line, span.column, span.end_line, span.end_column) == (4, 4, 4, 17)


class _LibcstOrder(cst.CSTVisitor):
    """libcst's own visiting order, trivia left out: the reference for our faster walk."""

    def __init__(self) -> None:
        super().__init__()
        self.events: list[tuple[bool, int]] = []

    def on_visit(self, node: cst.CSTNode) -> bool:
        if type(node) in TRIVIA_TYPES:
            return False
        self.events.append((True, id(node)))
        return True

    def on_leave(self, original_node: cst.CSTNode) -> None:
        if type(original_node) not in TRIVIA_TYPES:
            self.events.append((False, id(original_node)))


def test_the_walk_visits_nodes_in_libcst_source_order_on_real_files() -> None:
    root = Path(__file__).resolve().parents[2]
    files = [
        *sorted((root / "greentactics").rglob("*.py")),
        Path(__file__).parent / "sample_rules.py",
    ]
    code = "async def f(a, /, b, *, c=1, **k) -> int:\n    async with x as y:\n        pass\n"
    sources = [path.read_text() for path in files] + [
        code,
        "try:\n    pass\nexcept* E as e:\n    pass\n",
        "match p:\n    case [a, *b] if a:\n        pass\n",
        "x = a if b else c\n[v async for v in w if v]\nf(k=1, *a, **b)\n",
    ]
    for source in sources:
        module = cst.parse_module(source)
        reference = _LibcstOrder()
        module.visit(reference)
        events = [
            (entering, id(node)) for entering, node in FileAnalysis("x.py", source, module).events
        ]
        assert events == reference.events
