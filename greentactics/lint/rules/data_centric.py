"""Rules on how much data the models process: exhaustive grid searches, float64 inputs."""

from __future__ import annotations

import math
from collections.abc import Callable
from typing import ClassVar

import libcst as cst

from greentactics.lint.rule import Invalid, Rule, Severity, Valid
from greentactics.lint.rules.code_index import CallSite, FileIndex
from greentactics.lint.rules.names import dotted, matches
from greentactics.lint.rules.project_index import index_for

GRID_THRESHOLD = 50
SPACED = ("linspace", "logspace", "geomspace")


def _number(expr: cst.BaseExpression | None) -> float | None:
    if isinstance(expr, cst.Integer):
        return float(int(expr.value.replace("_", ""), 0))
    if isinstance(expr, cst.Float):
        return float(expr.value.replace("_", ""))
    if isinstance(expr, cst.UnaryOperation) and isinstance(expr.operator, cst.Minus):
        inner = _number(expr.expression)
        return -inner if inner is not None else None
    return None


Resolver = Callable[[cst.BaseExpression], cst.BaseExpression]


def _size_of_values(expr: cst.BaseExpression, resolve: Resolver) -> int | None:
    """How many values a parameter list holds, when the code says so without running."""
    expr = resolve(expr)
    if isinstance(expr, (cst.List, cst.Tuple, cst.Set)):
        if any(isinstance(element, cst.StarredElement) for element in expr.elements):
            return None
        return len(expr.elements)
    if not isinstance(expr, cst.Call):
        return None
    name = dotted(expr.func) or ""
    args = [arg.value for arg in expr.args if arg.keyword is None]
    if name == "list" and len(args) == 1:
        return _size_of_values(args[0], resolve)
    if name.rpartition(".")[2] in SPACED:
        num = next((a.value for a in expr.args if a.keyword and a.keyword.value == "num"), None)
        if num is None and len(args) >= 3:
            num = args[2]
        if num is None:
            return 50
        value = _number(num)
        return int(value) if value is not None else None
    if name == "range" or name.endswith(".arange"):
        numbers = [_number(arg) for arg in args]
        if not numbers or any(n is None for n in numbers):
            return None
        known = [n for n in numbers if n is not None]
        start, stop, step = (0.0, known[0], 1.0) if len(known) == 1 else [*known, 1.0][:3]
        if step == 0:
            return None
        return max(0, math.ceil((stop - start) / step))
    return None


def _grid_candidates(expr: cst.BaseExpression, resolve: Resolver) -> tuple[int, bool]:
    """(lower bound on candidates, whether every list size was known)."""
    expr = resolve(expr)
    if isinstance(expr, (cst.List, cst.Tuple)):
        total, exact = 0, True
        for element in expr.elements:
            count, known = _grid_candidates(element.value, resolve)
            total += count
            exact = exact and known
        return total, exact
    if isinstance(expr, cst.Dict):
        product, exact = 1, True
        for entry in expr.elements:
            if not isinstance(entry, cst.DictElement):
                return 1, False
            size = _size_of_values(entry.value, resolve)
            if size is None:
                exact = False
            else:
                product *= max(size, 1)
        return product, exact
    if isinstance(expr, cst.Call) and dotted(expr.func) == "dict":
        product, exact = 1, True
        for arg in expr.args:
            if arg.keyword is None:
                return 1, False
            size = _size_of_values(arg.value, resolve)
            if size is None:
                exact = False
            else:
                product *= max(size, 1)
        return product, exact
    return 1, False


def _resolve_name(expr: cst.BaseExpression, call: CallSite, index: FileIndex) -> cst.BaseExpression:
    """The value last assigned to a name before the call, in its function or module."""
    if not isinstance(expr, cst.Name):
        return expr
    candidates = [
        a
        for a in index.assignments
        if a.target == expr.value
        and a.order < call.order
        and (a.function is call.function or a.function is None)
    ]
    if not candidates:
        return expr
    return max(candidates, key=lambda a: (a.function is call.function, a.order)).value


def _resolver(call: CallSite, index: FileIndex) -> Resolver:
    def resolve(expr: cst.BaseExpression) -> cst.BaseExpression:
        return _resolve_name(expr, call, index)

    return resolve


def _folds(call: CallSite) -> int:
    cv = call.keyword("cv")
    if cv is None:
        return 5
    value = _number(cv)
    if value is not None:
        return int(value)
    if isinstance(cv, cst.Call):
        for arg in cv.args:
            if arg.keyword is not None and arg.keyword.value == "n_splits":
                splits = _number(arg.value)
                if splits is not None:
                    return int(splits)
    return 5


class ExhaustiveGridSearch(Rule):
    """An exhaustive grid search fits every combination on all the data, most of them hopeless.

    `GridSearchCV` trains one model per parameter combination and fold. With dozens of
    combinations, successive halving (`HalvingGridSearchCV`) evaluates all candidates on a small
    sample and only the promising ones on more data, and `RandomizedSearchCV` samples the grid;
    both usually find an equally good model for a fraction of the fits. The rule counts the
    combinations of a literal grid (lists, `range`, `np.linspace`/`logspace`, `np.arange`) and
    reports grids of 50 or more candidates; it stays silent when the grid is built at run time.
    """

    code = "GT101"
    name = "exhaustive-grid-search"
    tactic = "apply-sampling-techniques"
    severity = Severity.INFO
    message = (
        "Exhaustive grid search over a large grid: use `HalvingGridSearchCV` (successive "
        "halving on growing samples) or `RandomizedSearchCV(n_iter=...)`."
    )

    VALID: ClassVar[list[Valid]] = [
        Valid(
            """
            from sklearn.model_selection import GridSearchCV
            search = GridSearchCV(SVC(), {"C": [0.1, 1, 10], "kernel": ["rbf", "linear"]})
            """
        ),
        Valid(
            """
            from sklearn.experimental import enable_halving_search_cv
            from sklearn.model_selection import HalvingGridSearchCV
            grid = {
                "C": [0.01, 0.1, 1, 10, 100],
                "gamma": [1e-4, 1e-3, 1e-2, 0.1, 1],
                "degree": [2, 3, 4],
            }
            search = HalvingGridSearchCV(SVC(), grid)
            """
        ),
        Valid(
            """
            from sklearn.model_selection import GridSearchCV
            search = GridSearchCV(model, param_grid=build_grid(config), cv=5)
            """
        ),
        Valid(
            """
            from sklearn.model_selection import GridSearchCV
            search = GridSearchCV(model, **search_kwargs)
            """
        ),
        Valid(
            """
            from sklearn.model_selection import RandomizedSearchCV
            search = RandomizedSearchCV(SVC(), {"C": np.logspace(-3, 3, 100)}, n_iter=20)
            """
        ),
    ]
    INVALID: ClassVar[list[Invalid]] = [
        Invalid(
            """
            from sklearn.model_selection import GridSearchCV
            grid = {
                "C": [0.01, 0.1, 1, 10, 100],
                "gamma": [1e-4, 1e-3, 1e-2, 0.1, 1],
                "degree": [2, 3, 4],
            }
            search = GridSearchCV(SVC(), grid, cv=5)
            """,
            line=7,
        ),
        Invalid(
            """
            import numpy as np
            from sklearn.model_selection import GridSearchCV
            grid = {"C": np.logspace(-3, 3, 13), "gamma": np.logspace(-4, 0, 5)}
            search = GridSearchCV(SVC(), param_grid=grid)
            """,
            line=4,
        ),
        Invalid(
            """
            from sklearn import model_selection
            params = [
                {"n_estimators": range(50, 550, 50), "max_depth": [3, 5, 8, 12, None]},
                {"n_estimators": [100], "max_features": ["sqrt", "log2", None]},
            ]
            model_selection.GridSearchCV(RandomForestClassifier(), params)
            """,
            line=6,
        ),
        Invalid(
            """
            from sklearn.model_selection import GridSearchCV
            search = GridSearchCV(
                pipe,
                dict(
                    clf__alpha=[1e-5, 1e-4, 1e-3, 1e-2],
                    clf__l1_ratio=[0.0, 0.15, 0.5, 0.85, 1.0],
                    tfidf__ngram_range=[(1, 1), (1, 2), (1, 3)],
                ),
            )
            """,
            line=2,
        ),
    ]

    def finish(self) -> None:
        """Count the candidates of every grid search in the file."""
        index = index_for(self.analysis)
        for call in index.calls:
            if not matches(call.name, ("GridSearchCV",)) or call.has_star_args:
                continue
            grid = call.keyword("param_grid")
            if grid is None and len(call.positional) >= 2:
                grid = call.positional[1]
            if grid is None:
                continue
            candidates, _ = _grid_candidates(grid, _resolver(call, index))
            if candidates < GRID_THRESHOLD:
                continue
            folds = _folds(call)
            self.report(
                call.node,
                f"GridSearchCV fits {candidates} parameter combinations x {folds} folds = "
                f"{candidates * folds} models on the full data: use `HalvingGridSearchCV` "
                "(successive halving on growing samples) or `RandomizedSearchCV(n_iter=...)`.",
            )


# -- float64-model-inputs --------------------------------------------------------------------------

FLOAT64 = ("torch.float64", "torch.double")
MODEL_METHODS = ("parameters", "train", "eval", "named_parameters", "state_dict", "zero_grad")


def _is_float64(expr: cst.BaseExpression, index: FileIndex) -> bool:
    written = dotted(expr)
    name = index.imports.qualify(written) or written
    return name is not None and (name in FLOAT64 or name.endswith((".float64", ".double")))


def _float64_expression(expr: cst.BaseExpression, index: FileIndex) -> bool:
    """``x.double()``, ``x.to(torch.float64)``, ``torch.tensor(..., dtype=torch.float64)``."""
    if not isinstance(expr, cst.Call):
        return False
    func = expr.func
    if isinstance(func, cst.Attribute) and func.attr.value == "double" and not expr.args:
        return True
    if isinstance(func, cst.Attribute) and func.attr.value in ("to", "type"):
        return any(_is_float64(arg.value, index) for arg in expr.args)
    root = index.imports.qualify(dotted(func)) or ""
    if root.startswith("torch."):
        return any(
            arg.keyword is not None
            and arg.keyword.value == "dtype"
            and _is_float64(arg.value, index)
            for arg in expr.args
        )
    return False


class Float64ModelInputs(Rule):
    """Double precision doubles memory and data movement and runs far slower, for no accuracy.

    Neural networks train and infer in float32 (or lower); float64 tensors take twice the
    memory and bandwidth and run at a fraction of the speed on GPUs. The rule reports a global
    switch to float64 (`torch.set_default_dtype(torch.float64)`, Keras `set_floatx("float64")`),
    a model converted with `.double()` / `.to(torch.float64)`, and float64 tensors passed straight
    into a model. Test files and numerical gradient checks (`gradcheck`) are left alone.
    """

    code = "GT102"
    name = "float64-model-inputs"
    tactic = "use-input-quantization"
    severity = Severity.WARNING
    message = (
        "Model or its inputs promoted to float64: keep them in float32 (`.float()`, "
        "`dtype=torch.float32`) or lower; float64 doubles memory and is much slower."
    )

    VALID: ClassVar[list[Valid]] = [
        Valid(
            """
            import torch
            x = torch.tensor(data, dtype=torch.float32)
            preds = model(x)
            """
        ),
        Valid(
            """
            import torch
            accuracy = (preds == labels).double().mean()
            """
        ),
        Valid(
            """
            import torch
            from torch.autograd import gradcheck
            layer = layer.double()
            assert gradcheck(layer, (torch.randn(3, 4, dtype=torch.float64, requires_grad=True),))
            """
        ),
        Valid(
            """
            import torch
            torch.set_default_dtype(torch.float64)
            """,
            filename="tests/test_numerics.py",
        ),
        Valid(
            """
            import numpy as np
            features = frame.to_numpy().astype(np.float64)
            """
        ),
    ]
    INVALID: ClassVar[list[Invalid]] = [
        Invalid(
            """
            import torch
            torch.set_default_dtype(torch.float64)
            """,
            line=2,
        ),
        Invalid(
            """
            import torch
            model = Net()
            model = model.double()
            optimizer = torch.optim.SGD(model.parameters(), lr=0.1)
            """,
            line=3,
        ),
        Invalid(
            """
            import torch
            model.eval()
            preds = model(torch.tensor(features, dtype=torch.float64))
            """,
            line=3,
        ),
        Invalid(
            """
            import tensorflow as tf
            tf.keras.backend.set_floatx("float64")
            """,
            line=2,
        ),
        Invalid(
            """
            import torch
            inputs = batch.double()
            model.train()
            loss = criterion(model(inputs), targets)
            """,
            line=4,
        ),
    ]

    def finish(self) -> None:
        """Look for global float64 switches, float64 models and float64 model inputs."""
        index = index_for(self.analysis)
        if index.is_test or index.calls_named("gradcheck", "gradgradcheck"):
            return
        models = {
            call.receiver
            for call in index.calls
            if call.method in MODEL_METHODS and call.receiver is not None
        }
        float64_names = {a.target for a in index.assignments if _float64_expression(a.value, index)}
        for call in index.calls:
            promoted_model = call.receiver in models and _float64_expression(call.node, index)
            if self._global_switch(call, index) or promoted_model:
                self.report(call.node)
            elif call.written in models:
                for arg in call.positional:
                    if _float64_expression(arg, index) or (
                        isinstance(arg, cst.Name) and arg.value in float64_names
                    ):
                        self.report(arg)
                        break

    @staticmethod
    def _global_switch(call: CallSite, index: FileIndex) -> bool:
        if matches(call.name, ("torch.set_default_dtype",)):
            return bool(call.positional) and _is_float64(call.positional[0], index)
        if matches(call.name, ("torch.set_default_tensor_type",)):
            code = cst.Module([]).code_for_node(call.positional[0]) if call.positional else ""
            return "Double" in code
        if matches(call.name, ("set_floatx",)) and call.positional:
            value = call.positional[0]
            return isinstance(value, cst.SimpleString) and value.evaluated_value == "float64"
        return False
