"""The detectors: one replay of a file's libcst walk that collects every tactic's evidence.

:class:`FileScanner` takes the lint engine's :class:`~greentactics.lint.analysis.FileAnalysis`
(parsed once, names resolved through the file's imports) and visits its nodes once, in source
order, dispatching each node to the handler of its type. Table-driven signals live in
``signals.py`` and ``options.py``; the handlers here add what needs context: where a
``torch.save`` sits, whether a ``Subset`` draws random indices, whether a PCA only feeds a
plot, whether a KL-divergence loss has a teacher next to it.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any

import libcst as cst

from greentactics.lint.analysis import FileAnalysis, dotted
from greentactics.lint.source import NotebookMap
from greentactics.scan import signals as sig
from greentactics.scan.evidence import Evidence, Strength
from greentactics.scan.options import CLI_FLAGS, OPTIONS, Dynamic, Value, literal

_RANK = {Strength.STRONG: 2, Strength.PARTIAL: 1, Strength.DISABLED: 0}
_RANDOM_INDICES = re.compile(r"rand|choice|permutation|shuffle|\[\s*:")
_LAZY_READERS = frozenset(
    {
        "open",
        "Image.open",
        "imread",
        "read_image",
        "decode_image",
        "load",
        "read_file",
        "loadtxt",
        "read_csv",
        "read_parquet",
        "imageio.imread",
        "torchaudio.load",
        "soundfile.read",
    }
)
_MODEL_STATE = re.compile(r"state|model|net|ckpt|ckp|checkpoint|snapshot|weights|optim", re.I)
_ACCUMULATORS = frozenset({"append", "update", "extend", "add", "add_"})
_PLOT_WRITERS = ("fromarray", "imwrite", "imsave", "imshow", "save_image")


def _keyword(call: cst.Call, name: str) -> cst.Arg | None:
    for arg in call.args:
        if arg.keyword is not None and arg.keyword.value == name:
            return arg
    return None


def _positional(call: cst.Call, index: int) -> cst.Arg | None:
    positional = [arg for arg in call.args if arg.keyword is None and not arg.star]
    return positional[index] if index < len(positional) else None


def _method(call: cst.Call) -> str | None:
    return call.func.attr.value if isinstance(call.func, cst.Attribute) else None


def _receiver(call: cst.Call) -> cst.BaseExpression | None:
    return call.func.value if isinstance(call.func, cst.Attribute) else None


@dataclass
class _Pending:
    """Observations decided at the end of the file, when the whole file has been seen."""

    kl_calls: list[cst.Call] = field(default_factory=list)
    studies: list[cst.Call] = field(default_factory=list)
    # Weights loaded from a file, waiting for a training step after them in the same function.
    restores: list[tuple[cst.FunctionDef | None, cst.Call]] = field(default_factory=list)
    resumes: list[cst.Call] = field(default_factory=list)
    # (function, variable) -> qualified name of the call last assigned to it, in source order.
    bindings: dict[tuple[cst.FunctionDef | None, str], str | None] = field(default_factory=dict)
    freezes: list[tuple[cst.CSTNode, str]] = field(default_factory=list)
    head_slices: list[cst.Subscript] = field(default_factory=list)
    tail_slices: list[cst.Subscript] = field(default_factory=list)
    has_teacher: bool = False


class FileScanner:
    """Collects the evidence of one file in one traversal; call :meth:`scan` once."""

    def __init__(
        self, analysis: FileAnalysis, notebook: NotebookMap | None = None, in_tests: bool = False
    ) -> None:
        self.analysis = analysis
        self.notebook = notebook
        self.in_tests = in_tests
        self._lines = analysis.source.splitlines()
        self._found: list[tuple[Evidence, bool]] = []
        self._pending = _Pending()
        self._handlers: dict[type[cst.CSTNode], Callable[[Any], None]] = {
            cst.Import: self._on_import,
            cst.ImportFrom: self._on_import,
            cst.Call: self._on_call,
            cst.Decorator: self._on_decorator,
            cst.ClassDef: self._on_class,
            cst.Assign: self._on_assign,
            cst.DictElement: self._on_dict_element,
            cst.If: self._on_if,
            cst.ExceptHandler: self._on_except,
            cst.Subscript: self._on_subscript,
            cst.Attribute: self._on_attribute,
            cst.Name: self._on_name,
            cst.SimpleString: self._on_string,
            cst.FormattedString: self._on_string,
            cst.List: self._on_list,
        }

    # ----------------------------------------------------------------- driver

    def scan(self) -> list[Evidence]:
        """Every piece of evidence in the file, one per tactic and line (the strongest)."""
        handlers = self._handlers
        for entering, node in self.analysis.events:
            if entering:
                handler = handlers.get(type(node))
                if handler is not None:
                    handler(node)
        self._finish()
        return self._deduplicated()

    def _add(
        self,
        tactic: str,
        strength: Strength,
        signal: str,
        node: cst.CSTNode,
        *,
        from_import: bool = False,
    ) -> None:
        span = self.analysis.span(node)
        line, cell = span.line, None
        code = self._lines[line - 1].strip() if 0 < line <= len(self._lines) else ""
        if len(code) > 120:
            code = code[:117] + "..."
        if self.notebook is not None:
            cell, line = self.notebook.locate(span.line)
        evidence = Evidence(
            tactic=tactic,
            path=self.analysis.path,
            line=line,
            column=span.column + 1,
            signal=signal,
            code=code,
            strength=strength,
            cell=cell,
            in_tests=self.in_tests,
        )
        self._found.append((evidence, from_import))

    def _add_api(
        self, signal: sig.ApiSignal, node: cst.CSTNode, *, from_import: bool = False
    ) -> None:
        self._add(signal.tactic, signal.strength, signal.label, node, from_import=from_import)

    def _deduplicated(self) -> list[Evidence]:
        used = {
            evidence.tactic
            for evidence, from_import in self._found
            if not from_import and evidence.strength is not Strength.DISABLED
        }
        best: dict[tuple[str, int | None, int], Evidence] = {}
        for evidence, from_import in self._found:
            if from_import and evidence.tactic in used:
                continue
            key = (evidence.tactic, evidence.cell, evidence.line)
            kept = best.get(key)
            if kept is None or _RANK[evidence.strength] > _RANK[kept.strength]:
                best[key] = evidence
        return sorted(best.values(), key=Evidence.sort_key)

    def qualified(self, node: cst.CSTNode) -> str | None:
        """The normalised qualified name of a Name/Attribute chain whose root is imported."""
        written = dotted(node)
        if written is None:
            return None
        root, dot, rest = written.partition(".")
        target = self.analysis.imports.get(root)
        if target is None or target.startswith("."):
            return None
        return sig.normalise(f"{target}{dot}{rest}")

    def _code(self, node: cst.CSTNode) -> str:
        return self.analysis.code_for(node)

    def _value(self, node: cst.BaseExpression) -> Value:
        return literal(node, self._code)

    # ----------------------------------------------------------------- imports and names

    def _on_import(self, node: cst.CSTNode) -> None:
        modules: list[str] = []
        if isinstance(node, cst.Import):
            modules = [name for alias in node.names if (name := dotted(alias.name))]
        elif isinstance(node, cst.ImportFrom) and not node.relative and node.module is not None:
            module = dotted(node.module)
            if module:
                modules = [module]
        for module in modules:
            for signal in sig.module_signals(sig.normalise(module)):
                self._add_api(signal, node, from_import=True)

    def _on_decorator(self, node: cst.Decorator) -> None:
        if isinstance(node.decorator, (cst.Name, cst.Attribute)):
            name = self.qualified(node.decorator)
            if name is not None:
                for signal in sig.api_signals(name):
                    self._add_api(signal, node.decorator)

    def _on_class(self, node: cst.ClassDef) -> None:
        for base in node.bases:
            name = self.qualified(base.value)
            if name is not None:
                for signal in sig.api_signals(name):
                    self._add_api(signal, base.value)
        if "distill" in node.name.value.lower():
            self._add(
                "T17", Strength.PARTIAL, f"distillation code (class {node.name.value})", node.name
            )
        self._check_lazy_dataset(node)

    def _check_lazy_dataset(self, node: cst.ClassDef) -> None:
        """T27: a dataset whose ``__getitem__`` reads one sample from storage."""
        for statement in node.body.body:
            if isinstance(statement, cst.FunctionDef) and statement.name.value == "__getitem__":
                for call in self._calls_in(statement):
                    name = dotted(call.func) or ""
                    short = ".".join(name.split(".")[-2:])
                    if name in _LAZY_READERS or short in _LAZY_READERS or name.endswith(".imread"):
                        self._add(
                            "T27",
                            Strength.STRONG,
                            "dataset reads each sample on demand in __getitem__",
                            call,
                        )
                        return

    def _calls_in(self, root: cst.CSTNode) -> Iterable[cst.Call]:
        for call in self.analysis.nodes(cst.Call):
            if any(ancestor is root for ancestor in self.analysis.ancestors(call)):
                yield call

    def _on_name(self, node: cst.Name) -> None:
        if not self._pending.has_teacher and sig.TEACHER_WORDS.search(node.value):
            self._pending.has_teacher = True

    def _on_attribute(self, node: cst.Attribute) -> None:
        if node.attr.value.startswith("ORT_"):
            name = self.qualified(node) or ""
            if "GraphOptimizationLevel" in name:
                verdict = OPTIONS["graph_optimization_level"].judge(Dynamic(name), None)
                if verdict is not None:
                    self._add(verdict[0], verdict[1], verdict[2], node)

    # ----------------------------------------------------------------- calls

    def _on_call(self, node: cst.Call) -> None:
        name = self.qualified(node.func)
        if name is not None:
            self._check_api(node, name)
        method = _method(node)
        if method is not None:
            self._check_method(node, method)
        self._check_keywords(node, name)

    def _check_api(self, node: cst.Call, name: str) -> None:
        last = name.rsplit(".", 1)[-1]
        enabled = _keyword(node, "enabled")
        enabled_value = self._value(enabled.value) if enabled is not None else True
        signals = sig.api_signals(name)
        owner = name.rsplit(".", 1)[0]
        if not signals and "." in owner and owner.rsplit(".", 1)[1][:1].isupper():
            # A factory on an API class: tf.lite.TFLiteConverter.from_keras_model(...).
            signals = sig.api_signals(owner)
        for signal in signals:
            if signal.tactic == "T05" and self._projection_for_plot(node, last):
                continue
            if enabled_value is False:
                self._add(signal.tactic, Strength.DISABLED, f"{signal.label}: enabled=False", node)
            elif isinstance(enabled_value, Dynamic):
                self._add(
                    signal.tactic, Strength.PARTIAL, f"{signal.label}: enabled at run time", node
                )
            else:
                self._add_api(signal, node)
        root = name.split(".", 1)[0]
        if root in sig.MODEL_FAMILY_ROOTS:
            self._check_model_id(last, node, from_api=True)
        special = _SPECIAL_CALLS.get(name)
        if special is not None:
            special(self, node)

    def _projection_for_plot(self, node: cst.Call, last: str) -> bool:
        """PCA/UMAP to 2-3 components in a file that plots: most likely a picture, not inputs."""
        if last not in sig.PROJECTIONS_FOR_PLOTS:
            return False
        arg = _keyword(node, "n_components") or _positional(node, 0)
        return (
            arg is not None
            and self._value(arg.value) in (2, 3)
            and self.analysis.imports_any(*sig.PLOTTING_PACKAGES)
        )

    def _check_method(self, node: cst.Call, method: str) -> None:
        signal = sig.METHOD_SIGNALS.get(method)
        if signal is not None and not self._not_a_checkpoint(node, method, signal):
            self._add_api(signal, node)
        library = sig.LIBRARY_METHOD_SIGNALS.get(method)
        if library is not None and self.analysis.imports_any(*library[0]):
            self._add_api(library[1], node)
        handler = _METHOD_CHECKS.get(method)
        if handler is not None:
            handler(self, node)

    def _not_a_checkpoint(self, node: cst.Call, method: str, signal: sig.ApiSignal) -> bool:
        """``tokenizer.save_pretrained()`` saves no weights; ``trainer.save_state()`` (HF)
        writes only the trainer's bookkeeping, unlike accelerate's ``save_state(dir)``."""
        if signal.tactic != "T19":
            return False
        receiver = self._receiver_name(node)
        if method in ("save_state", "load_state"):
            return not node.args and "accelerat" not in receiver.lower()
        return sig.NON_MODEL_PRETRAINED.search(receiver) is not None

    def _check_keywords(self, node: cst.Call, callee: str | None) -> None:
        for arg in node.args:
            if arg.keyword is not None:
                rule = OPTIONS.get(arg.keyword.value)
                if rule is not None:
                    value = self._value(arg.value)
                    verdict = rule.judge(value, callee)
                    if verdict is not None:
                        self._add(verdict[0], verdict[1], verdict[2], arg)

    # ----------------------------------------------------------------- special calls

    def _torch_save(self, node: cst.Call) -> None:
        saved = _positional(node, 0)
        text = self._code(saved.value) if saved is not None else ""
        if not _MODEL_STATE.search(text):
            return  # data, vocabularies, tensors: not training state
        what = "state dict" if "state_dict" in text else "model"
        if self._inside_loop(node):
            self._add("T19", Strength.STRONG, f"{what} saved inside the training loop", node)
        else:
            self._add(
                "T19",
                Strength.PARTIAL,
                f"{what} saved once (after training, not inside a loop)",
                node,
            )

    def _inside_loop(self, node: cst.CSTNode) -> bool:
        """In a loop of its function, or in a function called from inside a loop."""
        if self.analysis.enclosing_loops(node):
            return True
        function = self.analysis.enclosing_function(node)
        if function is None:
            return False
        return any(
            self.analysis.enclosing_loops(site.node) for site in self.analysis.call_sites(function)
        )

    def _train_test_split(self, node: cst.Call) -> None:
        parent = self.analysis.parent(node)
        if isinstance(parent, cst.Assign) and any(
            isinstance(target.target, (cst.Tuple, cst.List))
            and any(
                isinstance(element.value, cst.Name) and element.value.value.startswith("_")
                for element in target.target.elements
            )
            for target in parent.targets
        ):
            self._add("T01", Strength.STRONG, "split used to subsample (part discarded)", node)
            return
        train = _keyword(node, "train_size")
        value = self._value(train.value) if train is not None else None
        if isinstance(value, float) and 0 < value < 0.5:
            self._add(
                "T01", Strength.PARTIAL, f"small training fraction (train_size={value})", node
            )

    def _resample(self, node: cst.Call) -> None:
        if _keyword(node, "n_samples") is not None:
            self._add("T01", Strength.STRONG, "data resampled to n_samples", node)

    def _np_unique(self, node: cst.Call) -> None:
        axis = _keyword(node, "axis")
        if axis is not None and self._value(axis.value) == 0:
            self._add("T02", Strength.STRONG, "duplicate rows removed (np.unique axis=0)", node)

    def _subset(self, node: cst.Call) -> None:
        indices = _keyword(node, "indices") or _positional(node, 1)
        if indices is not None:
            text = self._code(indices.value)
            if _RANDOM_INDICES.search(text):
                self._add("T01", Strength.PARTIAL, "training on a random subset (Subset)", node)

    def _random_sampler(self, node: cst.Call) -> None:
        if _keyword(node, "num_samples") is not None:
            self._add("T01", Strength.STRONG, "RandomSampler draws num_samples per epoch", node)

    def _kl_div(self, node: cst.Call) -> None:
        self._pending.kl_calls.append(node)

    def _default_checkpoints(self, node: cst.Call) -> None:
        """HF TrainingArguments and Lightning Trainer save checkpoints unless told not to."""
        name = self.qualified(node.func) or ""
        option = sig.TRAINERS_THAT_CHECKPOINT[name]
        if _keyword(node, option) is None:
            self._add(
                "T19",
                Strength.PARTIAL,
                f"{name.rsplit('.', 1)[-1]} saves checkpoints by default ({option} not set)",
                node,
            )

    def _create_study(self, node: cst.Call) -> None:
        if _keyword(node, "directions") is not None or _keyword(node, "constraints_func"):
            self._pending.studies.append(node)

    def _set_grad_enabled(self, node: cst.Call) -> None:
        arg = _positional(node, 0)
        if arg is not None and self._value(arg.value) is False:
            self._add("T20", Strength.STRONG, "autograd switched off", node)

    def _torch_device(self, node: cst.Call) -> None:
        arg = _positional(node, 0)
        if arg is not None:
            verdict = OPTIONS["device"].judge(self._value(arg.value), None)
            if verdict is not None:
                self._add(verdict[0], verdict[1], verdict[2], node)

    def _mixed_policy(self, node: cst.Call) -> None:
        arg = _positional(node, 0) or _keyword(node, "name")
        value = self._value(arg.value) if arg is not None else None
        if isinstance(value, str) and "mixed" in value:
            self._add("E01", Strength.STRONG, f"Keras mixed-precision policy {value!r}", node)
        elif isinstance(value, str):
            self._add("E01", Strength.DISABLED, f"Keras precision policy {value!r}", node)
        elif isinstance(value, Dynamic):
            self._add("E01", Strength.PARTIAL, "Keras precision policy set at run time", node)

    # ----------------------------------------------------------------- method checks

    def _sample(self, node: cst.Call) -> None:
        frac = _keyword(node, "frac")
        if frac is not None:
            value = self._value(frac.value)
            if isinstance(value, (int, float)) and 0 < value < 1:
                self._add(
                    "T01", Strength.STRONG, f"random fraction of the rows (frac={value})", node
                )
            elif isinstance(value, Dynamic):
                self._add(
                    "T01", Strength.PARTIAL, "random fraction of the rows (set at run time)", node
                )
        elif _keyword(node, "n") is not None:
            self._add("T01", Strength.PARTIAL, "random sample of n rows", node)

    def _select(self, node: cst.Call) -> None:
        arg = _positional(node, 0)
        if (
            arg is not None
            and isinstance(arg.value, cst.Call)
            and dotted(arg.value.func) == "range"
            and len(arg.value.args) == 1  # range(n); range(a, b) cuts a split
        ):
            self._add("T01", Strength.PARTIAL, "dataset reduced with select(range(n))", node)

    def _astype(self, node: cst.Call) -> None:
        arg = _positional(node, 0) or _keyword(node, "dtype")
        if arg is not None and self._low_precision(arg.value) and self._assigned_to_inputs(node):
            self._add("T04", Strength.PARTIAL, f"inputs cast to {self._code(arg.value)}", node)

    def _low_precision(self, node: cst.BaseExpression) -> bool:
        value = self._value(node)
        text = value if isinstance(value, str) else dotted(node)
        return text is not None and text.rsplit(".", 1)[-1] in sig.LOW_PRECISION_DTYPES

    def _assigned_to_inputs(self, node: cst.Call) -> bool:
        """``x = x.half()``, ``features = ....astype(np.float16)``: the result is model input."""
        parent = self.analysis.parent(node)
        if not isinstance(parent, cst.Assign):
            return False
        return any(
            (written := dotted(target.target)) is not None
            and sig.INPUT_LIKE.match(written.rsplit(".", 1)[-1]) is not None
            for target in parent.targets
        )

    def _half(self, node: cst.Call) -> None:
        if self._assigned_to_inputs(node):
            self._add("T04", Strength.PARTIAL, "inputs cast to half precision", node)

    def _to(self, node: cst.Call) -> None:
        arg = _positional(node, 0) or _keyword(node, "dtype")
        if arg is None:
            return
        value = self._value(arg.value)
        verdict = OPTIONS["device"].judge(value, None)
        if verdict is not None:
            self._add(verdict[0], verdict[1], verdict[2], node)
        elif self._low_precision(arg.value):
            self._half(node)

    def _item(self, node: cst.Call) -> None:
        receiver = _receiver(node)
        written = dotted(receiver) if receiver is not None else None
        if (
            written is not None
            and "loss" in written.rsplit(".", 1)[-1].lower()
            and self._accumulated(node)
        ):
            self._add(
                "T20", Strength.PARTIAL, "loss accumulated as a number (graph released)", node
            )

    def _accumulated(self, node: cst.CSTNode) -> bool:
        """Whether a value is added to a running total: ``+=``, ``.append()``, ``.update()``."""
        for ancestor in self.analysis.ancestors(node):
            if isinstance(ancestor, cst.AugAssign):
                return True
            if isinstance(ancestor, cst.Call) and _method(ancestor) in _ACCUMULATORS:
                return True
            if isinstance(ancestor, (cst.BaseSmallStatement, cst.BaseCompoundStatement)):
                return False
        return False

    def _requires_grad(self, node: cst.Call) -> None:
        arg = _positional(node, 0)
        if arg is not None and self._value(arg.value) is False:
            self._pending.freezes.append((node, "layers frozen (requires_grad_(False))"))

    def _receiver_name(self, node: cst.Call) -> str:
        """The written receiver of a method call (``model`` in ``model.fit()``), or ``""``."""
        receiver = _receiver(node)
        return (dotted(receiver) if receiver is not None else None) or ""

    def _from_pretrained(self, node: cst.Call) -> None:
        written = self._receiver_name(node)
        if sig.NON_MODEL_PRETRAINED.search(written):
            return
        self._add("T16", Strength.STRONG, "pre-trained weights loaded (from_pretrained)", node)
        if written:
            self._check_model_id(written.rsplit(".", 1)[-1], node, from_api=True)

    def _from_config(self, node: cst.Call) -> None:
        receiver = _receiver(node)
        written = (dotted(receiver) if receiver is not None else None) or ""
        if written.rsplit(".", 1)[-1].startswith(("AutoModel", "TFAutoModel")):
            self._add(
                "T16", Strength.DISABLED, "model built from a config, no pre-trained weights", node
            )

    def _load_state_dict(self, node: cst.Call) -> None:
        arg = _positional(node, 0)
        if arg is not None and "load" in self._code(arg.value):
            function = self.analysis.enclosing_function(node)
            self._pending.restores.append((function.node if function else None, node))

    def _trains_here(self, node: cst.CSTNode) -> None:
        """A training step: weights restored earlier in the same function were a resume."""
        function = self.analysis.enclosing_function(node)
        scope = function.node if function else None
        pending = self._pending
        pending.resumes += [call for where, call in pending.restores if where is scope]
        pending.restores = [(where, call) for where, call in pending.restores if where is not scope]

    def _binding(self, node: cst.Call) -> str | None:
        """What the receiver variable of a method call was last assigned from (a call name)."""
        receiver = _receiver(node)
        if not isinstance(receiver, cst.Name):
            return None
        function = self.analysis.enclosing_function(node)
        return self._pending.bindings.get((function.node if function else None, receiver.value))

    def _fit(self, node: cst.Call) -> None:
        self._trains_here(node)
        if self._binding(node) in sig.MODEL_LOADERS:
            self._add("T29", Strength.STRONG, "a saved model is trained further", node)

    def _partial_fit(self, node: cst.Call) -> None:
        constructor = self._binding(node) or ""
        if constructor.rsplit(".", 1)[-1] not in sig.OUT_OF_CORE_TRANSFORMERS:
            self._add("T29", Strength.STRONG, "model updated incrementally (partial_fit)", node)

    def _training_step(self, node: cst.Call) -> None:
        receiver = _receiver(node)
        written = (dotted(receiver) if receiver is not None else None) or ""
        if _method(node) == "backward" or "optim" in written.lower():
            self._trains_here(node)

    def _add_argument(self, node: cst.Call) -> None:
        for arg in node.args:
            value = self._value(arg.value) if arg.keyword is None else None
            if isinstance(value, str) and value.startswith("--"):
                flag = value.lstrip("-").replace("-", "_")
                known = CLI_FLAGS.get(flag)
                if known is not None:
                    self._add(known[0], Strength.PARTIAL, f"{known[1]} ({value})", node)

    # ----------------------------------------------------------------- statements

    def _on_assign(self, node: cst.Assign) -> None:
        value = self._value(node.value)
        for target in node.targets:
            written = dotted(target.target)
            if written is None:
                continue
            last = written.rsplit(".", 1)[-1]
            if isinstance(target.target, cst.Attribute):
                self._check_config(last, value, node)
                if last in ("requires_grad", "trainable") and value is False:
                    self._pending.freezes.append((node, f"layers frozen ({last} = False)"))
            elif isinstance(target.target, cst.Name):
                self._bind(last, node)
                if sig.ENERGY_BUDGET_NAME.match(last):
                    self._add("T12", Strength.PARTIAL, f"energy budget defined ({last})", node)

    def _bind(self, name: str, node: cst.Assign) -> None:
        function = self.analysis.enclosing_function(node)
        value = self.qualified(node.value.func) if isinstance(node.value, cst.Call) else None
        self._pending.bindings[(function.node if function else None, name)] = value

    def _on_dict_element(self, node: cst.DictElement) -> None:
        key = self._value(node.key)
        if isinstance(key, str):
            self._check_config(key, self._value(node.value), node)

    def _check_config(self, key: str, value: Value, node: cst.CSTNode) -> None:
        rule = OPTIONS.get(key)
        if rule is None or not rule.config or isinstance(value, Dynamic):
            return
        verdict = rule.judge(value, None)
        if verdict is not None:
            self._add(verdict[0], verdict[1], verdict[2], node)

    def _on_if(self, node: cst.If) -> None:
        """E02: ``if epochs_without_improvement >= patience: break`` inside a loop."""
        if not sig.PATIENCE_WORDS.search(self._code(node.test)):
            return
        if not self.analysis.enclosing_loops(node):
            return
        if any(
            isinstance(small, cst.Break)
            for statement in node.body.body
            if isinstance(statement, cst.SimpleStatementLine)
            for small in statement.body
        ):
            self._add("E02", Strength.STRONG, "patience counter stops the training loop", node)

    def _on_except(self, node: cst.ExceptHandler) -> None:
        if node.type is None:
            return
        types = (
            [element.value for element in node.type.elements]
            if isinstance(node.type, cst.Tuple)
            else [node.type]
        )
        for expr in types:
            if self.qualified(expr) in sig.OOM_ERRORS:
                self._add("T20", Strength.STRONG, "out-of-memory errors handled", node)

    def _on_subscript(self, node: cst.Subscript) -> None:
        """T22: ``list(model.children())[:k]`` and ``[k:]`` (a model cut in two)."""
        if not (
            isinstance(node.value, cst.Call)
            and dotted(node.value.func) == "list"
            and "children()" in self._code(node.value)
            and len(node.slice) == 1
            and isinstance(node.slice[0].slice, cst.Slice)
        ):
            return
        part = node.slice[0].slice
        if part.lower is None and part.upper is not None:
            self._pending.head_slices.append(node)
        elif part.lower is not None and part.upper is None:
            self._pending.tail_slices.append(node)

    # ----------------------------------------------------------------- strings

    def _on_string(self, node: cst.SimpleString | cst.FormattedString) -> None:
        parent = self.analysis.parent(node)
        if isinstance(parent, cst.Expr):
            return  # a docstring or a bare string statement
        if isinstance(node, cst.SimpleString):
            evaluated = node.evaluated_value
            text = evaluated if isinstance(evaluated, str) else ""
        else:
            text = "".join(
                part.value for part in node.parts if isinstance(part, cst.FormattedStringText)
            )
        self._check_command(text.split(), node)
        if "max_split_size_mb" in text or "expandable_segments" in text:
            self._add("T20", Strength.PARTIAL, "CUDA allocator tuned against fragmentation", node)
        if "intel-rapl" in text and "constraint" in text:
            self._add("T25", Strength.PARTIAL, "RAPL powercap limit file", node)
        if self._names_a_model(node, parent):
            self._check_model_id(text, node, from_api=False)

    def _names_a_model(self, node: cst.CSTNode, parent: cst.CSTNode | None) -> bool:
        """Whether a string sits where model IDs go: a positional argument, a model keyword
        or dict key, an assignment, or a list element."""
        if isinstance(parent, cst.Arg):
            return parent.keyword is None or parent.keyword.value in sig.MODEL_KEYWORDS
        if isinstance(parent, cst.DictElement):
            key = self._value(parent.key)
            return parent.value is node and isinstance(key, str) and key in sig.MODEL_KEYWORDS
        return isinstance(parent, (cst.Assign, cst.Element))

    def _on_list(self, node: cst.List) -> None:
        words = [
            value
            for element in node.elements
            if isinstance(value := self._value(element.value), str)
        ]
        self._check_command(words, node)

    def _check_command(self, words: list[str], node: cst.CSTNode) -> None:
        """T25: ``nvidia-smi -pl 200`` as one string or as an argument list."""
        if any(word.endswith("nvidia-smi") for word in words) and any(
            word in sig.POWER_CAP_FLAGS or word.startswith("--power-limit") for word in words
        ):
            self._add("T25", Strength.STRONG, "GPU power limit or clocks set with nvidia-smi", node)

    def _check_model_id(self, text: str, node: cst.CSTNode, *, from_api: bool) -> None:
        """T07/T17: lightweight or distilled model families named in an API or a model ID."""
        if not from_api and not sig.MODEL_ID.match(text):
            return
        if sig.LIGHTWEIGHT_MODEL.search(text):
            self._add("T07", Strength.PARTIAL, f"lightweight model family ({text})", node)
        if sig.DISTILLED_MODEL.search(text):
            self._add("T17", Strength.PARTIAL, f"distilled model ({text})", node)

    # ----------------------------------------------------------------- end of file

    def _finish(self) -> None:
        pending = self._pending
        if pending.has_teacher:
            for call in pending.kl_calls:
                self._add(
                    "T17", Strength.STRONG, "KL-divergence loss against a teacher model", call
                )
        if pending.studies and any(
            evidence.tactic == sig.ENERGY_READING_TACTIC for evidence, _ in self._found
        ):
            for call in pending.studies:
                self._add(
                    "T12",
                    Strength.PARTIAL,
                    "multi-objective or constrained study in a file that measures energy",
                    call,
                )
        for call in pending.resumes:
            self._add("T19", Strength.PARTIAL, "training resumes from saved weights", call)
            self._add("T29", Strength.PARTIAL, "training continues from saved weights", call)
        pretrained = any(
            evidence.tactic == "T16" and evidence.strength is not Strength.DISABLED
            for evidence, _ in self._found
        )
        if pretrained:  # freezing alone may be GAN training or feature extraction of anything
            for node, label in pending.freezes:
                self._add("T16", Strength.PARTIAL, label, node)
        if pending.head_slices and pending.tail_slices:
            for subscript in (*pending.head_slices, *pending.tail_slices):
                self._add(
                    "T22", Strength.PARTIAL, "model cut into head and tail sub-networks", subscript
                )


ScannerCheck = Callable[[FileScanner, cst.Call], None]

_SPECIAL_CALLS: dict[str, ScannerCheck] = {
    sig.TORCH_SAVE: FileScanner._torch_save,
    sig.TRAIN_TEST_SPLIT: FileScanner._train_test_split,
    sig.RESAMPLE: FileScanner._resample,
    sig.NP_UNIQUE: FileScanner._np_unique,
    sig.TORCH_SUBSET: FileScanner._subset,
    sig.RANDOM_SAMPLER: FileScanner._random_sampler,
    sig.SET_GRAD_ENABLED: FileScanner._set_grad_enabled,
    sig.CREATE_STUDY: FileScanner._create_study,
    sig.TORCH_DEVICE: FileScanner._torch_device,
    **{name: FileScanner._kl_div for name in sig.KL_DIV},
    **{name: FileScanner._default_checkpoints for name in sig.TRAINERS_THAT_CHECKPOINT},
    **{name: FileScanner._mixed_policy for name in sig.MIXED_POLICY},
}

_METHOD_CHECKS: dict[str, ScannerCheck] = {
    "sample": FileScanner._sample,
    "select": FileScanner._select,
    "astype": FileScanner._astype,
    "half": FileScanner._half,
    "to": FileScanner._to,
    "item": FileScanner._item,
    "requires_grad_": FileScanner._requires_grad,
    "from_pretrained": FileScanner._from_pretrained,
    "from_config": FileScanner._from_config,
    "load_state_dict": FileScanner._load_state_dict,
    "fit": FileScanner._fit,
    "partial_fit": FileScanner._partial_fit,
    "backward": FileScanner._training_step,
    "step": FileScanner._training_step,
    "add_argument": FileScanner._add_argument,
}


def scan_analysis(
    analysis: FileAnalysis, notebook: NotebookMap | None = None, *, in_tests: bool = False
) -> list[Evidence]:
    """All evidence in one analysed file."""
    return FileScanner(analysis, notebook, in_tests).scan()
