"""Rules on moving data: re-reading files inside loops, loading batches in the main process."""

from __future__ import annotations

from collections.abc import Sequence
from typing import ClassVar

import libcst as cst

from greentactics.lint.facts import FactCollector
from greentactics.lint.rule import Invalid, Rule, Severity, Valid
from greentactics.lint.rules.code_index import CallSite, FileIndex, LoopInfo
from greentactics.lint.rules.names import dotted, matches
from greentactics.lint.rules.project_index import (
    MlFacts,
    ProjectGraph,
    graph_for,
    index_for,
)

READERS = (
    "pandas.read_csv",
    "pandas.read_parquet",
    "pandas.read_json",
    "pandas.read_excel",
    "pandas.read_pickle",
    "pandas.read_feather",
    "numpy.load",
    "numpy.loadtxt",
    "numpy.genfromtxt",
    "torch.load",
    "PIL.Image.open",
    "cv2.imread",
    "datasets.load_dataset",
    "datasets.load_from_disk",
    "joblib.load",
    "h5py.File",
    "imageio.imread",
)


def _names(expr: cst.CSTNode) -> set[str]:
    found: set[str] = set()

    class _Collector(cst.CSTVisitor):
        def visit_Name(self, node: cst.Name) -> None:
            found.add(node.value)

        def visit_Attribute(self, node: cst.Attribute) -> bool:
            node.value.visit(self)
            return False

    expr.visit(_Collector())
    return found


def _bound_in_loop(loop: LoopInfo, index: FileIndex) -> set[str]:
    """Names that may change from one iteration to the next."""
    bound = set(loop.targets) | set(loop.assigned_names)
    for inner in index.loops:
        parent = inner.parent
        while parent is not None and parent is not loop:
            parent = parent.parent
        if parent is loop:
            bound |= set(inner.targets) | inner.assigned_names

    class _Binders(cst.CSTVisitor):
        def visit_AsName(self, node: cst.AsName) -> None:
            bound.update(_names(node.name))

        def visit_CompFor(self, node: cst.CompFor) -> None:
            bound.update(_names(node.target))

        def visit_NamedExpr(self, node: cst.NamedExpr) -> None:
            bound.update(_names(node.target))

    loop.node.body.visit(_Binders())
    return bound


def _read_call(call: CallSite) -> str | None:
    """The reader a call is (``pandas.read_csv``, ``open`` for reading), or None."""
    if matches(call.qualified, READERS):
        return call.qualified
    if call.written == "Image.open" or call.written == "cv2.imread":
        return call.written
    if call.written == "open" and call.positional:
        mode = call.keyword("mode")
        if mode is None and len(call.positional) > 1:
            mode = call.positional[1]
        if mode is None:
            return "open"
        if isinstance(mode, cst.SimpleString):
            text = mode.evaluated_value
            if isinstance(text, str) and not set(text) & set("wax+"):
                return "open"
    return None


def _work_loop(loop: LoopInfo, index: FileIndex, graph: ProjectGraph) -> bool:
    """An epoch, training or inference loop (not an arbitrary loop over files)."""
    if any("epoch" in target.lower() for target in loop.targets):
        return True
    if graph.loop_trains(loop, index):
        return True
    return any(
        call.method in ("predict", "predict_proba", "generate", "eval") for call in loop.calls
    )


class DataReloadedInLoop(Rule):
    """Reading the same file on every iteration repeats disk I/O and parsing for identical data.

    A `read_csv`, `np.load`, `torch.load`, `Image.open` or `open(...)` whose path does not
    change between iterations of an epoch, training or inference loop re-reads the same bytes
    each time; read it once before the loop and reuse the object. Reads that depend on the loop
    variable (one file per sample) and reads inside `Dataset.__getitem__` (lazy loading, the
    right pattern) are not reported.
    """

    code = "GT501"
    name = "data-reloaded-in-loop"
    tactic = "minimize-referencing-to-data"
    severity = Severity.WARNING
    message = "The same data is read on every iteration: read it once before the loop and reuse it."
    FACTS: ClassVar[tuple[type[FactCollector], ...]] = (MlFacts,)

    VALID: ClassVar[list[Valid]] = [
        Valid(
            """
            import pandas as pd
            frame = pd.read_csv("train.csv")
            for epoch in range(10):
                train_one_epoch(model, frame)
            """
        ),
        Valid(
            """
            import torch
            while True:
                if path.exists():
                    state = torch.load(path)
                    model.load_state_dict(state["model"])
                for epoch in range(10):
                    loss = model(x).sum()
                    loss.backward()
                    optimizer.step()
                    torch.save({"model": model.state_dict()}, path)
                break
            """
        ),
        Valid(
            """
            from PIL import Image
            for path in image_paths:
                image = Image.open(path)
                predictions.append(model.predict(image))
            """
        ),
        Valid(
            """
            import torch
            from PIL import Image

            class Images(torch.utils.data.Dataset):
                def __getitem__(self, i):
                    return Image.open(self.paths[i])
            """
        ),
        Valid(
            """
            for epoch in range(10):
                with open("log.txt", "a") as log:
                    log.write(f"epoch {epoch}\\n")
            """
        ),
        Valid(
            """
            import pandas as pd
            for epoch in range(3):
                shard = pd.read_csv(f"shard_{epoch}.csv")
                fit_on(shard)
            """
        ),
    ]
    INVALID: ClassVar[list[Invalid]] = [
        Invalid(
            """
            import pandas as pd
            for epoch in range(10):
                frame = pd.read_csv("train.csv")
                train_one_epoch(model, frame)
            """,
            line=3,
        ),
        Invalid(
            """
            import numpy as np
            for x, y in loader:
                weights = np.load(args.class_weights)
                loss = loss_fn(model(x), y, weights)
                loss.backward()
                optimizer.step()
            """,
            line=3,
        ),
        Invalid(
            """
            import json
            for sample in samples:
                with open("labels.json") as handle:
                    labels = json.load(handle)
                print(labels[model.predict(sample)])
            """,
            line=3,
        ),
        Invalid(
            """
            import torch
            for epoch in range(epochs):
                embeddings = torch.load("embeddings.pt")
                train(model, embeddings)
            """,
            line=3,
        ),
    ]

    def finish(self) -> None:
        """Check reads in the work loops of the file."""
        index = index_for(self.analysis)
        if index.is_test:
            return
        graph = graph_for(self.project)
        reported: set[int] = set()
        for loop in index.loops:
            if not _work_loop(loop, index, graph):
                continue
            variant = _bound_in_loop(loop, index)
            for call in loop.calls:
                if id(call.node) in reported or call.in_getitem:
                    continue
                reader = _read_call(call)
                if reader is None or not call.positional:
                    continue
                source = _names(call.positional[0])
                if source & variant or _rewritten_in_loop(loop.calls, source):
                    continue
                reported.add(id(call.node))
                self.report(
                    call.node,
                    f"`{reader}` reads the same data on every iteration of this loop: read it "
                    "once before the loop and reuse it.",
                )


# Calls that write a file: a read of the same path in the same loop sees fresh content each
# time (a checkpoint loaded after a restart, a cache refreshed every epoch), not the same data.
WRITER_METHODS = frozenset(
    {"save", "savez", "savez_compressed", "dump", "to_csv", "to_parquet", "to_pickle", "imwrite"}
)


def _rewritten_in_loop(calls: Sequence[CallSite], source: set[str]) -> bool:
    """Whether a call in the loop writes to a path built from the same names as ``source``."""
    if not source:
        return False
    for call in calls:
        method = (call.name or "").rpartition(".")[2]
        if method in WRITER_METHODS and any(_names(arg.value) & source for arg in call.node.args):
            return True
    return False


# -- synchronous-data-loading ----------------------------------------------------------------------


def _literal_true(expr: cst.BaseExpression | None) -> bool:
    return isinstance(expr, cst.Name) and expr.value == "True"


IN_MEMORY_CALLS = ("torch.", "numpy.", "np.")
IN_MEMORY_METHODS = frozenset(
    {"items", "keys", "values", "get", "long", "float", "int", "clone", "to", "view", "reshape"}
)


def _indexing_only(class_name: str, index: FileIndex) -> bool:
    """A Dataset class of this file whose ``__getitem__`` only indexes data held in memory
    (no reads, decoding or transforms: nothing a worker process would speed up)."""
    for function in index.functions:
        if function.class_name != class_name or function.name != "__getitem__":
            continue
        for call in function.calls:
            name = call.name or ""
            if name.startswith(IN_MEMORY_CALLS) or name in ("int", "float", "len", "dict"):
                continue
            if call.method in IN_MEMORY_METHODS:
                continue
            return False
        return True
    return False


def _workers_do_not_help(
    expr: cst.BaseExpression, call: CallSite, index: FileIndex, depth: int = 0
) -> bool:
    """Datasets that worker processes would not speed up (or would duplicate): data already in
    memory (a ``TensorDataset``, a split of a Hugging Face ``DatasetDict`` such as
    ``tokenized["train"]``, a Dataset class of the file whose ``__getitem__`` only indexes
    tensors, a ``Subset`` of one of these) and ``IterableDataset`` classes of the file, which
    need their own sharding before workers help."""
    if depth > 3:
        return False
    written = dotted(expr)
    if written is not None:
        owner = call.function.class_name if call.function is not None else None
        same_object = written.startswith("self.") and owner is not None
        assigned = [
            a
            for a in index.assignments
            if a.target == written
            and (
                (same_object and a.function is not None and a.function.class_name == owner)
                or (a.order < call.order and a.function in (call.function, None))
            )
        ]
        if assigned:
            expr = max(assigned, key=lambda a: a.order).value
        elif depth == 0:
            # Returned from a helper (``train, val = load_splits()``): judge by what the file
            # assigns to that name elsewhere, when every such assignment agrees.
            elsewhere = [a for a in index.assignments if a.target == written]
            return bool(elsewhere) and all(
                _workers_do_not_help(a.value, call, index, depth + 1) for a in elsewhere
            )
    if isinstance(expr, cst.Subscript) and index.uses("datasets", "transformers"):
        return True
    if not isinstance(expr, cst.Call):
        return False
    constructor = dotted(expr.func) or ""
    if constructor.endswith("TensorDataset"):
        return True
    if constructor.rpartition(".")[2] in ("Subset", "ConcatDataset") and expr.args:
        return _workers_do_not_help(expr.args[0].value, call, index, depth + 1)
    if constructor in index.class_bases and index.derives_from(constructor, "IterableDataset"):
        return True
    return constructor in index.class_bases and _indexing_only(constructor, index)


class SynchronousDataLoading(Rule):
    """A training DataLoader without workers makes the accelerator wait for every batch.

    With `num_workers=0` (the default) each batch is read, decoded and augmented in the
    training process, between optimizer steps, so the GPU idles while it waits and the run takes
    longer (and draws more energy) than needed. The rule reports training `DataLoader`s
    (`shuffle=True`, a sampler, a variable named for training, or one iterated by a training
    loop) that leave `num_workers` unset or 0. It is silent when `**kwargs` may set it, when the
    value is a variable, for in-memory `TensorDataset`s and in test files.
    """

    code = "GT502"
    name = "synchronous-data-loading"
    tactic = "minimize-referencing-to-data"
    severity = Severity.INFO
    message = (
        "Training DataLoader loads batches in the main process: set `num_workers` (e.g. 4, up to "
        "the CPU cores), `pin_memory=True` for GPU training and `persistent_workers=True`."
    )
    FACTS: ClassVar[tuple[type[FactCollector], ...]] = (MlFacts,)

    VALID: ClassVar[list[Valid]] = [
        Valid(
            """
            from torch.utils.data import DataLoader
            loader = DataLoader(train_set, shuffle=True, num_workers=4, pin_memory=True)
            """
        ),
        Valid(
            """
            from torch.utils.data import DataLoader
            loader = DataLoader(train_set, **loader_kwargs)
            """
        ),
        Valid(
            """
            from torch.utils.data import DataLoader
            loader = DataLoader(train_set, shuffle=True, num_workers=args.workers)
            """
        ),
        Valid(
            """
            from torch.utils.data import DataLoader, TensorDataset
            loader = DataLoader(TensorDataset(x, y), batch_size=32, shuffle=True)
            """
        ),
        Valid(
            """
            from torch.utils.data import DataLoader
            def test_loader_batches():
                loader = DataLoader(dataset, batch_size=2, shuffle=True)
            """,
            filename="tests/test_data.py",
        ),
        Valid(
            """
            from torch.utils.data import DataLoader
            test_loader = DataLoader(test_set, batch_size=256)
            """
        ),
        Valid(
            """
            from torch.utils.data import DataLoader, TensorDataset

            def load_splits():
                train = TensorDataset(x_train, y_train)
                val = TensorDataset(x_val, y_val)
                return train, val

            train, val = load_splits()
            train_loader = DataLoader(train, batch_size=64, shuffle=True)
            """
        ),
    ]
    INVALID: ClassVar[list[Invalid]] = [
        Invalid(
            """
            from torch.utils.data import DataLoader
            train_loader = DataLoader(train_set, batch_size=64, shuffle=True)
            """,
            line=2,
        ),
        Invalid(
            """
            import torch
            loader = torch.utils.data.DataLoader(dataset, shuffle=True, num_workers=0)
            """,
            line=2,
        ),
        Invalid(
            """
            from torch.utils.data import DataLoader
            loader = DataLoader(images, batch_size=16)
            for epoch in range(5):
                for x, y in loader:
                    loss_fn(model(x), y).backward()
                    optimizer.step()
            """,
            line=2,
        ),
        Invalid(
            """
            from torch.utils.data import DataLoader, DistributedSampler
            loader = DataLoader(dataset, batch_size=8, sampler=DistributedSampler(dataset))
            """,
            line=2,
        ),
    ]

    def finish(self) -> None:
        """Check every DataLoader construction of the file."""
        index = index_for(self.analysis)
        if index.is_test:
            return
        graph = graph_for(self.project)
        training_iterables: set[str] = {
            loop.iter_written
            for loop in index.loops
            if loop.iter_written is not None and graph.loop_trains(loop, index)
        }
        for call in index.calls:
            if not matches(call.name, ("DataLoader",)) or call.has_star_args:
                continue
            workers = call.keyword("num_workers")
            if workers is not None and not (
                isinstance(workers, cst.Integer) and workers.value == "0"
            ):
                continue
            dataset = call.positional[0] if call.positional else call.keyword("dataset")
            if dataset is not None and _workers_do_not_help(dataset, call, index):
                continue
            target = next((a.target for a in index.assignments if a.value is call.node), "")
            if not target and call.function is not None:
                target = call.function.name
            if self._training(call, target, training_iterables):
                self.report(call.node)

    @staticmethod
    def _training(call: CallSite, assigned_to: str, training_iterables: set[str]) -> bool:
        """Whether a loader feeds training: shuffled, sampled, named for training (the variable
        it is assigned to, or the function returning it) or iterated by a training loop."""
        target = assigned_to.lower()
        if any(word in target for word in ("test", "val", "eval", "dev", "pred", "infer")):
            return False
        shuffle = call.keyword("shuffle")
        if isinstance(shuffle, cst.Name) and shuffle.value == "False":
            return False
        if _literal_true(shuffle):
            return True
        if call.keyword("sampler") is not None or call.keyword("batch_sampler") is not None:
            return True
        if "train" in target:
            return True
        return bool(assigned_to) and assigned_to in training_iterables
