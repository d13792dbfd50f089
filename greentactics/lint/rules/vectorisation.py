"""Rules on Python-level loops where a vectorised library call does the same work."""

from __future__ import annotations

from typing import ClassVar

import libcst as cst

from greentactics.lint.rule import Invalid, Rule, Severity, Valid
from greentactics.lint.rules.code_index import FileIndex
from greentactics.lint.rules.names import dotted
from greentactics.lint.rules.project_index import index_for

ARRAY_MODULES = ("numpy", "torch")
ARRAY_METHODS = ("numpy", "to_numpy", "values", "cpu", "detach", "clone", "copy", "reshape")
ELEMENTWISE_FUNCTIONS = frozenset(
    {
        "exp", "log", "log1p", "sqrt", "abs", "fabs", "sin", "cos", "tan", "tanh", "floor",
        "ceil", "pow", "maximum", "minimum", "clip", "sign", "round", "float", "int", "min",
        "max", "square", "sigmoid", "isnan",
    }
)  # fmt: skip


def _array_names(index: FileIndex) -> set[str]:
    """Names assigned from NumPy/PyTorch calls or array conversions in the file."""
    names: set[str] = set()
    for assignment in index.assignments:
        value = assignment.value
        if not isinstance(value, cst.Call):
            if isinstance(value, cst.Attribute) and value.attr.value == "values":
                names.add(assignment.target)
            continue
        qualified = index.imports.qualify(dotted(value.func)) or ""
        converted = isinstance(value.func, cst.Attribute) and value.func.attr.value in ARRAY_METHODS
        if qualified.split(".")[0] in ARRAY_MODULES or converted:
            names.add(assignment.target)
    return names


class _Elementwise:
    """Decides whether a loop body is element-by-element arithmetic over loop indices."""

    def __init__(self, indices: set[str], arrays: set[str]) -> None:
        self.indices = indices
        self.arrays = arrays
        self.touched_array = False

    def index_ok(self, expr: cst.BaseExpression) -> bool:
        if isinstance(expr, cst.Name):
            return expr.value in self.indices
        if isinstance(expr, cst.BinaryOperation):
            return self.index_ok(expr.left) and (
                isinstance(expr.right, cst.Integer) or self.index_ok(expr.right)
            )
        return isinstance(expr, cst.Integer)

    def subscript_ok(self, node: cst.Subscript) -> bool:
        value = node.value
        if isinstance(value, cst.Subscript):
            if not self.subscript_ok(value):
                return False
        elif not isinstance(value, cst.Name):
            return False
        elif value.value in self.arrays:
            self.touched_array = True
        for element in node.slice:
            if not isinstance(element.slice, cst.Index) or not self.index_ok(element.slice.value):
                return False
        return True

    def expr_ok(self, expr: cst.BaseExpression) -> bool:
        if isinstance(expr, (cst.Integer, cst.Float)):
            return True
        if isinstance(expr, cst.Name):
            return expr.value not in self.arrays
        if isinstance(expr, cst.Subscript):
            return self.subscript_ok(expr)
        if isinstance(expr, cst.BinaryOperation):
            return self.expr_ok(expr.left) and self.expr_ok(expr.right)
        if isinstance(expr, cst.UnaryOperation):
            return self.expr_ok(expr.expression)
        if isinstance(expr, cst.Call):
            name = dotted(expr.func) or ""
            if name.rpartition(".")[2] not in ELEMENTWISE_FUNCTIONS:
                return False
            return all(arg.keyword is None and self.expr_ok(arg.value) for arg in expr.args)
        return False

    def statement_ok(self, statement: cst.BaseStatement) -> bool:
        if isinstance(statement, cst.For):
            return _range_loop_indices(statement) is not None and self.body_ok(statement)
        if not isinstance(statement, cst.SimpleStatementLine):
            return False
        for small in statement.body:
            if isinstance(small, cst.Assign):
                if len(small.targets) != 1:
                    return False
                target = small.targets[0].target
                if not (isinstance(target, cst.Subscript) and self.subscript_ok(target)):
                    return False
                if not self.expr_ok(small.value):
                    return False
            elif isinstance(small, cst.AugAssign):
                target = small.target
                if isinstance(target, cst.Subscript):
                    if not self.subscript_ok(target):
                        return False
                elif not isinstance(target, cst.Name):
                    return False
                if not self.expr_ok(small.value):
                    return False
            else:
                return False
        return True

    def body_ok(self, loop: cst.For) -> bool:
        indices = _range_loop_indices(loop)
        if indices is None or loop.orelse is not None:
            return False
        self.indices |= indices
        body = loop.body
        if not isinstance(body, cst.IndentedBlock):
            return False
        return bool(body.body) and all(self.statement_ok(s) for s in body.body)


def _range_loop_indices(loop: cst.For) -> set[str] | None:
    if not isinstance(loop.target, cst.Name):
        return None
    iterator = loop.iter
    if not (isinstance(iterator, cst.Call) and dotted(iterator.func) == "range"):
        return None
    return {loop.target.value}


class ElementwisePythonLoop(Rule):
    """Indexing arrays element by element in Python runs the interpreter once per element.

    A NumPy or PyTorch call does the same arithmetic in optimised native code (and on the GPU
    for tensors), typically tens to hundreds of times faster and with less energy. The rule
    reports `for i in range(...)` loops (possibly nested) whose body only does arithmetic on
    array elements indexed by the loop variables (`out[i] = a[i] * b[i]`, `s += x[i] ** 2`),
    where at least one array comes from NumPy or PyTorch. Loops with other calls, branches or
    I/O are left alone: they may not have a vectorised equivalent.
    """

    code = "GT201"
    name = "elementwise-python-loop"
    tactic = "use-built-in-library-functions"
    severity = Severity.WARNING
    message = (
        "Element-by-element Python loop over an array: write it as one vectorised expression "
        "(e.g. `out = a * b + c`, `total = (x ** 2).sum()`, `np.exp(a)`)."
    )

    VALID: ClassVar[list[Valid]] = [
        Valid(
            """
            import numpy as np
            a = np.random.rand(1000)
            out = np.exp(a) * 2.0
            """
        ),
        Valid(
            """
            import numpy as np
            a = np.zeros(10)
            for i in range(10):
                a[i] = compute_expensive(i)
            """
        ),
        Valid(
            """
            scores = [0] * 10
            for i in range(10):
                scores[i] = scores[i] + i
            """
        ),
        Valid(
            """
            import numpy as np
            x = np.arange(10)
            for i in range(len(x)):
                if x[i] > 5:
                    print(x[i])
            """
        ),
        Valid(
            """
            import torch
            batch = torch.randn(8, 3)
            for i in range(batch.shape[0]):
                outputs[i] = model(batch[i])
            """
        ),
    ]
    INVALID: ClassVar[list[Invalid]] = [
        Invalid(
            """
            import numpy as np
            a = np.random.rand(1000)
            b = np.random.rand(1000)
            out = np.zeros(1000)
            for i in range(len(a)):
                out[i] = a[i] * b[i] + 1.0
            """,
            line=5,
        ),
        Invalid(
            """
            import numpy as np
            x = np.linspace(0, 1, 100)
            total = 0.0
            for i in range(x.shape[0]):
                total += x[i] ** 2
            """,
            line=4,
        ),
        Invalid(
            """
            import torch
            a = torch.randn(64, 64)
            b = torch.randn(64, 64)
            c = torch.zeros(64, 64)
            for i in range(64):
                for j in range(64):
                    c[i, j] = a[i, j] * b[i, j]
            """,
            line=5,
        ),
        Invalid(
            """
            import math
            import numpy as np
            logits = np.asarray(raw)
            probs = np.empty_like(logits)
            for k in range(len(logits)):
                probs[k] = math.exp(logits[k])
            """,
            line=5,
        ),
    ]

    def finish(self) -> None:
        """Check outermost ``for ... in range(...)`` loops of the file."""
        index = index_for(self.analysis)
        if not index.uses(*ARRAY_MODULES):
            return
        arrays = _array_names(index)
        if not arrays:
            return
        for loop in index.loops:
            if loop.parent is not None or not isinstance(loop.node, cst.For):
                continue
            checker = _Elementwise(set(), arrays)
            if checker.body_ok(loop.node) and checker.touched_array:
                self.report(loop.node)


# -- row-wise-dataframe-iteration ------------------------------------------------------------------


class _RowArithmetic:
    """Whether an expression is arithmetic over fields of one row (``row["a"] * row.b``)."""

    def __init__(self, row: str) -> None:
        self.row = row
        self.touched = False

    def ok(self, expr: cst.BaseExpression) -> bool:
        if isinstance(expr, (cst.Integer, cst.Float, cst.SimpleString)):
            return True
        if isinstance(expr, cst.Subscript):
            if isinstance(expr.value, cst.Name) and expr.value.value == self.row:
                self.touched = True
                return all(
                    isinstance(e.slice, cst.Index) and isinstance(e.slice.value, cst.SimpleString)
                    for e in expr.slice
                )
            return False
        if isinstance(expr, cst.Attribute):
            if isinstance(expr.value, cst.Name) and expr.value.value == self.row:
                self.touched = True
                return True
            return False
        if isinstance(expr, cst.BinaryOperation):
            return self.ok(expr.left) and self.ok(expr.right)
        if isinstance(expr, cst.UnaryOperation):
            return self.ok(expr.expression)
        if isinstance(expr, cst.Comparison):
            return self.ok(expr.left) and all(self.ok(t.comparator) for t in expr.comparisons)
        if isinstance(expr, cst.IfExp):
            return self.ok(expr.test) and self.ok(expr.body) and self.ok(expr.orelse)
        if isinstance(expr, cst.Call):
            name = dotted(expr.func) or ""
            return name.rpartition(".")[2] in ELEMENTWISE_FUNCTIONS and all(
                arg.keyword is None and self.ok(arg.value) for arg in expr.args
            )
        return False


def _row_statement_ok(statement: cst.BaseStatement, row: str) -> bool:
    if not isinstance(statement, cst.SimpleStatementLine):
        return False
    checker = _RowArithmetic(row)
    for small in statement.body:
        if isinstance(small, cst.Assign) and len(small.targets) == 1:
            target = small.targets[0].target
            if isinstance(target, cst.Subscript) and dotted(target.value) is not None:
                base = dotted(target.value) or ""
                if not base.endswith((".at", ".loc", ".iat")):
                    return False
            elif not isinstance(target, cst.Name):
                return False
            if not checker.ok(small.value):
                return False
        elif isinstance(small, cst.AugAssign):
            if not checker.ok(small.value):
                return False
        elif isinstance(small, cst.Expr) and isinstance(small.value, cst.Call):
            call = small.value
            if not (
                isinstance(call.func, cst.Attribute)
                and call.func.attr.value == "append"
                and len(call.args) == 1
                and checker.ok(call.args[0].value)
            ):
                return False
        else:
            return False
    return checker.touched


class RowWiseDataframeIteration(Rule):
    """Row-by-row DataFrame iteration runs Python code per row for what one column expression does.

    `iterrows()` builds a Series per row and `apply(axis=1)` calls a Python function per row;
    both are orders of magnitude slower than column arithmetic (`df["a"] * df["b"]`,
    `np.where(cond, x, y)`), which pandas runs in vectorised native code. The rule reports
    `iterrows`/`itertuples` loops and `apply(..., axis=1)` calls whose per-row work is plain
    arithmetic or comparisons on the row's fields; rows handed to other functions, string
    parsing or I/O are left alone.
    """

    code = "GT202"
    name = "row-wise-dataframe-iteration"
    tactic = "use-built-in-library-functions"
    severity = Severity.WARNING
    message = (
        "Row-wise DataFrame iteration for arithmetic: compute it on whole columns, e.g. "
        '`df["total"] = df["price"] * df["qty"]` (use `np.where` for conditions).'
    )

    VALID: ClassVar[list[Valid]] = [
        Valid(
            """
            df["total"] = df["price"] * df["qty"]
            """
        ),
        Valid(
            """
            for _, row in df.iterrows():
                client.send(row["id"], row["payload"])
            """
        ),
        Valid(
            """
            df["parsed"] = df.apply(lambda row: parse_address(row["street"], row["city"]), axis=1)
            """
        ),
        Valid(
            """
            lengths = df["text"].apply(len)
            """
        ),
        Valid(
            """
            for row in df.itertuples():
                if row.flag:
                    save_image(row.path)
            """
        ),
    ]
    INVALID: ClassVar[list[Invalid]] = [
        Invalid(
            """
            df["total"] = df.apply(lambda row: row["price"] * row["qty"], axis=1)
            """,
            line=1,
        ),
        Invalid(
            """
            totals = []
            for idx, row in df.iterrows():
                totals.append(row["price"] * row["qty"] * (1 - row["discount"]))
            df["total"] = totals
            """,
            line=2,
        ),
        Invalid(
            """
            for row in df.itertuples():
                df.at[row.Index, "bmi"] = row.weight / row.height ** 2
            """,
            line=1,
        ),
        Invalid(
            """
            def margin(row):
                return (row["revenue"] - row["cost"]) / row["revenue"] if row["revenue"] else 0.0

            df["margin"] = df.apply(margin, axis=1)
            """,
            line=4,
        ),
    ]

    def finish(self) -> None:
        """Check row loops and row-wise applies of the file."""
        index = index_for(self.analysis)
        for loop in index.loops:
            node = loop.node
            if not isinstance(node, cst.For) or not isinstance(node.iter, cst.Call):
                continue
            method = node.iter.func
            if not isinstance(method, cst.Attribute) or method.attr.value not in (
                "iterrows",
                "itertuples",
            ):
                continue
            row = self._row_name(node.target, method.attr.value)
            body = node.body
            if row is None or not isinstance(body, cst.IndentedBlock) or not body.body:
                continue
            if all(_row_statement_ok(statement, row) for statement in body.body):
                self.report(node)
        for call in index.calls:
            if call.method != "apply":
                continue
            axis = call.keyword("axis")
            if not (
                (isinstance(axis, cst.Integer) and axis.value == "1")
                or (isinstance(axis, cst.SimpleString) and axis.evaluated_value == "columns")
            ):
                continue
            function = call.positional[0] if call.positional else call.keyword("func")
            if function is not None and self._arithmetic_function(function, index):
                self.report(call.node)

    @staticmethod
    def _row_name(target: cst.BaseExpression, method: str) -> str | None:
        if method == "itertuples" and isinstance(target, cst.Name):
            return target.value
        if (
            method == "iterrows"
            and isinstance(target, cst.Tuple)
            and len(target.elements) == 2
            and isinstance(target.elements[1].value, cst.Name)
        ):
            return target.elements[1].value.value
        return None

    @staticmethod
    def _arithmetic_function(function: cst.BaseExpression, index: FileIndex) -> bool:
        if isinstance(function, cst.Lambda):
            params = function.params.params
            if len(params) != 1:
                return False
            checker = _RowArithmetic(params[0].name.value)
            return checker.ok(function.body) and checker.touched
        if not isinstance(function, cst.Name):
            return False
        defs = [f for f in index.functions if f.name == function.value]
        if len(defs) != 1 or len(defs[0].params) != 1:
            return False
        body = defs[0].node.body
        if not isinstance(body, cst.IndentedBlock) or len(body.body) != 1:
            return False
        statement = body.body[0]
        if not isinstance(statement, cst.SimpleStatementLine) or len(statement.body) != 1:
            return False
        small = statement.body[0]
        if not isinstance(small, cst.Return) or small.value is None:
            return False
        checker = _RowArithmetic(defs[0].params[0])
        return checker.ok(small.value) and checker.touched
