"""Rules on how models are trained: checkpoints and resume, mixed precision, early stopping."""

from __future__ import annotations

import re
from typing import ClassVar

import libcst as cst

from greentactics.lint.facts import FactCollector
from greentactics.lint.rule import Invalid, Rule, Severity, Valid
from greentactics.lint.rules import practices
from greentactics.lint.rules.code_index import CallSite, FileIndex, LoopInfo
from greentactics.lint.rules.names import dotted, matches
from greentactics.lint.rules.project_index import (
    MlFacts,
    ProjectGraph,
    TrainingEntry,
    callee_key,
    graph_for,
    index_for,
    training_entries,
    training_loop_roots,
)


class _ProjectRule(Rule):
    """A rule that decides at the end of a file from the file index and the project graph."""

    FACTS: ClassVar[tuple[type[FactCollector], ...]] = (MlFacts,)

    def finish(self) -> None:
        """Run the whole-file check."""
        index = index_for(self.analysis)
        if index.is_test:
            return
        self.check(index, graph_for(self.project))

    def check(self, index: FileIndex, graph: ProjectGraph) -> None:
        """Report what this file shows, given the project graph."""
        raise NotImplementedError


def _literal_string(expr: cst.BaseExpression | None) -> str | None:
    if isinstance(expr, cst.SimpleString):
        value = expr.evaluated_value
        return value if isinstance(value, str) else None
    return None


def _keyword_in_file(index: FileIndex, callees: tuple[str, ...], keyword: str) -> list[CallSite]:
    return [
        call
        for call in index.calls
        if matches(call.name, callees) and call.keyword(keyword) is not None
    ]


class TrainingWithoutCheckpoints(_ProjectRule):
    """Training that never saves its state starts over from scratch after any interruption.

    A crash, a pre-empted cloud instance or a time limit throws away every epoch already paid
    for in energy. The rule looks at training loops (a loop that, directly or through the
    functions it calls, runs `backward()` and an optimizer `step()`), Keras `fit`, Hugging Face
    `Trainer.train` with `save_strategy="no"` and Lightning with `enable_checkpointing=False`,
    and reports them only when nothing anywhere in the project persists training state
    (`torch.save`, `save_pretrained`, `ModelCheckpoint`, `BackupAndRestore`,
    `tf.train.Checkpoint`, accelerate's `save_state`, Lightning's default checkpointing, a
    project helper such as `save_checkpoint`).
    """

    code = "GT401"
    name = "training-without-checkpoints"
    tactic = "use-checkpoints-during-training"
    severity = Severity.WARNING
    message = (
        "Training never saves its state: save the model and optimizer `state_dict()` with "
        "`torch.save` every epoch (or every N steps) so an interrupted run can resume."
    )

    VALID: ClassVar[list[Valid]] = [
        Valid(
            """
            import torch
            for epoch in range(10):
                for x, y in loader:
                    loss = loss_fn(model(x), y)
                    loss.backward()
                    optimizer.step()
                torch.save({"model": model.state_dict(), "epoch": epoch}, "ckpt.pt")
            """
        ),
        Valid(
            """
            from utils import save_checkpoint

            def main():
                for epoch in range(10):
                    for x, y in loader:
                        loss_fn(model(x), y).backward()
                        optimizer.step()
                    save_checkpoint(model, optimizer, epoch)
            """
        ),
        Valid(
            """
            import keras
            model.compile(optimizer="adam", loss="mse")
            model.fit(x, y, epochs=20, callbacks=[keras.callbacks.ModelCheckpoint("m.keras")])
            """
        ),
        Valid(
            """
            import lightning as L
            trainer = L.Trainer(max_epochs=10)
            trainer.fit(model, datamodule=dm)
            """
        ),
        Valid(
            """
            from transformers import Trainer, TrainingArguments
            args = TrainingArguments(output_dir="out", save_strategy="epoch")
            Trainer(model=model, args=args).train()
            """
        ),
        Valid(
            """
            import torch
            def test_training_step():
                for x, y in loader:
                    loss_fn(model(x), y).backward()
                    optimizer.step()
            """,
            filename="tests/test_train.py",
        ),
    ]
    INVALID: ClassVar[list[Invalid]] = [
        Invalid(
            """
            import torch
            for epoch in range(10):
                for x, y in loader:
                    optimizer.zero_grad()
                    loss = loss_fn(model(x), y)
                    loss.backward()
                    optimizer.step()
            """,
            line=2,
        ),
        Invalid(
            """
            import torch

            def train_one_epoch(model, loader, optimizer):
                for x, y in loader:
                    loss = torch.nn.functional.cross_entropy(model(x), y)
                    loss.backward()
                    optimizer.step()

            def main():
                for epoch in range(5):
                    train_one_epoch(model, loader, optimizer)
            """,
            line=10,
        ),
        Invalid(
            """
            import keras
            model.compile(optimizer="adam", loss="mse")
            model.fit(x, y, epochs=20)
            """,
            line=3,
        ),
        Invalid(
            """
            from transformers import Trainer, TrainingArguments
            args = TrainingArguments(output_dir="out", save_strategy="no")
            trainer = Trainer(model=model, args=args)
            trainer.train()
            """,
            line=4,
        ),
        Invalid(
            """
            import lightning as L
            trainer = L.Trainer(max_epochs=10, enable_checkpointing=False)
            trainer.fit(model)
            """,
            line=3,
        ),
    ]

    def check(self, index: FileIndex, graph: ProjectGraph) -> None:
        if graph.has("persists-training-state"):
            return
        for entry in training_entries(index, graph):
            message = self._message(entry, index)
            if message is not None:
                self.report(entry.node, message)

    def _message(self, entry: TrainingEntry, index: FileIndex) -> str | None:
        if entry.kind == "training loop":
            if index.uses("torch"):
                return self.message
            return (
                "Training never saves its state: write checkpoints periodically (e.g. "
                "`tf.train.CheckpointManager` or the model's `save_weights`) so an interrupted "
                "run can resume."
            )
        if entry.kind == "Keras fit":
            return (
                "Keras `fit` without checkpoints: add `keras.callbacks.ModelCheckpoint(...)` "
                "(and `BackupAndRestore(...)` to resume after interruption) to `callbacks=`."
            )
        if entry.kind == "Hugging Face Trainer.train":
            disabled = [
                call
                for call in _keyword_in_file(
                    index, ("TrainingArguments", "Seq2SeqTrainingArguments"), "save_strategy"
                )
                if _literal_string(call.keyword("save_strategy")) == "no"
            ]
            if not disabled:
                return None
            return (
                'Trainer runs with `save_strategy="no"`: use `save_strategy="epoch"` (or '
                '"steps" with `save_steps`) so training can resume with `resume_from_checkpoint`.'
            )
        off = [
            call
            for call in _keyword_in_file(index, ("Trainer",), "enable_checkpointing")
            if isinstance(call.keyword("enable_checkpointing"), cst.Name)
            and dotted(call.keyword("enable_checkpointing") or cst.Name("x")) == "False"
        ]
        if not off:
            return None
        return (
            "Lightning checkpointing is turned off: drop `enable_checkpointing=False` (or add a "
            "`ModelCheckpoint` callback) so training can resume with `fit(ckpt_path=...)`."
        )


class CheckpointsWithoutResume(_ProjectRule):
    """Checkpoints that are never loaded do not save any energy.

    Checkpointing pays off only when an interrupted run continues from the last checkpoint
    instead of starting over. The rule reports checkpoint writes during training (`torch.save`
    or a save helper inside a training loop, `ModelCheckpoint`, `CheckpointManager`,
    accelerate's `save_state`) when nothing in the project ever loads training state back
    (`torch.load` + `load_state_dict`, `load_state`, `restore`, `resume_from_checkpoint=`,
    Lightning `ckpt_path=`, Keras `load_weights`/`load_model`/`BackupAndRestore`).
    """

    code = "GT402"
    name = "checkpoints-without-resume"
    tactic = "use-checkpoints-during-training"
    severity = Severity.INFO
    message = (
        "Checkpoints are written but never loaded: add a resume path (`torch.load` the "
        "checkpoint, `load_state_dict` into model and optimizer, restart from its epoch)."
    )

    VALID: ClassVar[list[Valid]] = [
        Valid(
            """
            import torch
            if args.resume:
                state = torch.load(args.resume)
                model.load_state_dict(state["model"])
            for epoch in range(10):
                for x, y in loader:
                    loss_fn(model(x), y).backward()
                    optimizer.step()
                torch.save({"model": model.state_dict()}, "ckpt.pt")
            """
        ),
        Valid(
            """
            import torch
            for epoch in range(10):
                for x, y in loader:
                    loss_fn(model(x), y).backward()
                    optimizer.step()
            torch.save(model.state_dict(), "final.pt")
            """
        ),
        Valid(
            """
            import keras
            callbacks = [
                keras.callbacks.ModelCheckpoint("m.keras"),
                keras.callbacks.BackupAndRestore("backup"),
            ]
            model.fit(x, y, epochs=3, callbacks=callbacks)
            """
        ),
        Valid(
            """
            import lightning as L
            from lightning.pytorch.callbacks import ModelCheckpoint
            trainer = L.Trainer(callbacks=[ModelCheckpoint(monitor="val_loss")])
            trainer.fit(model, ckpt_path="last")
            """
        ),
        Valid(
            """
            import torch
            def test_checkpoint_roundtrip(tmp_path):
                torch.save(model.state_dict(), tmp_path / "m.pt")
            """,
            filename="tests/test_ckpt.py",
        ),
    ]
    INVALID: ClassVar[list[Invalid]] = [
        Invalid(
            """
            import torch
            for epoch in range(10):
                for x, y in loader:
                    loss_fn(model(x), y).backward()
                    optimizer.step()
                torch.save(model.state_dict(), f"ckpt_{epoch}.pt")
            """,
            line=6,
        ),
        Invalid(
            """
            import keras
            checkpoint = keras.callbacks.ModelCheckpoint("best.keras", save_best_only=True)
            model.fit(x, y, epochs=3, callbacks=[checkpoint])
            """,
            line=2,
        ),
        Invalid(
            """
            from accelerate import Accelerator
            accelerator = Accelerator()
            for epoch in range(3):
                for batch in loader:
                    accelerator.backward(model(**batch).loss)
                    optimizer.step()
                accelerator.save_state("ckpt")
            """,
            line=7,
        ),
        Invalid(
            """
            import torch

            def save_checkpoint(model, path):
                torch.save(model.state_dict(), path)

            for epoch in range(10):
                for x, y in loader:
                    loss_fn(model(x), y).backward()
                    optimizer.step()
                save_checkpoint(model, "last.pt")
            """,
            line=10,
        ),
    ]

    def check(self, index: FileIndex, graph: ProjectGraph) -> None:
        if graph.has("resumes-training"):
            return
        reported: set[int] = set()
        for loop in training_loop_roots(index, graph):
            if not graph.loop_saves(loop, index):
                continue
            site = self._write_site(loop, index, graph)
            reported.add(id(site))
            self.report(site)
        for call in index.calls:
            if id(call.node) in reported:
                continue
            if matches(call.name, ("ModelCheckpoint", "CheckpointManager")):
                reported.add(id(call.node))
                self.report(call.node)

    @staticmethod
    def _write_site(loop: LoopInfo, index: FileIndex, graph: ProjectGraph) -> cst.CSTNode:
        for call in loop.calls:
            if practices.checkpoint_write(call, index) is not None:
                return call.node
        for call in loop.calls:
            key = callee_key(call, index)
            if key is not None and graph.traits([key])[2]:
                return call.node
        return loop.node


def _uses_cuda(index: FileIndex) -> bool:
    """Whether the file puts work on a CUDA device: a ``"cuda..."`` device string or a
    ``.cuda()`` call (a bare ``torch.cuda.is_available()`` check, e.g. for seeding, is not)."""
    if any(value.startswith("cuda") for value, _ in index.strings):
        return True
    return any(call.method == "cuda" for call in index.calls)


class FullPrecisionGpuTraining(_ProjectRule):
    """Training on a GPU in float32 throughout leaves the tensor cores' cheaper arithmetic unused.

    Mixed precision (`torch.autocast` with bfloat16, or float16 with `GradScaler`) runs most of
    the forward and backward pass in 16-bit, typically cutting time and energy per step by a
    third to a half on recent GPUs with no loss in accuracy. The rule reports training loops in
    files that place work on CUDA when nothing in the project enables mixed precision
    (`autocast`, `GradScaler`, `fp16=True`/`bf16=True`, a Keras mixed policy, Lightning
    `precision="16-mixed"`, or accelerate, whose precision is set by its own config).
    """

    code = "GT405"
    name = "full-precision-gpu-training"
    tactic = "use-mixed-precision-training"
    severity = Severity.INFO
    message = (
        "Training on CUDA in full float32: run forward and loss under "
        '`torch.autocast("cuda", dtype=torch.bfloat16)` (or float16 with `torch.amp.GradScaler`).'
    )

    VALID: ClassVar[list[Valid]] = [
        Valid(
            """
            import torch
            device = torch.device("cuda")
            scaler = torch.amp.GradScaler()
            for x, y in loader:
                with torch.autocast("cuda", dtype=torch.float16):
                    loss = loss_fn(model(x.to(device)), y.to(device))
                scaler.scale(loss).backward()
                scaler.step(optimizer)
                scaler.update()
            """
        ),
        Valid(
            """
            import torch
            for x, y in loader:
                loss_fn(model(x), y).backward()
                optimizer.step()
            """
        ),
        Valid(
            """
            from accelerate import Accelerator
            accelerator = Accelerator()
            model = model.to("cuda")
            for batch in loader:
                accelerator.backward(model(**batch).loss)
                optimizer.step()
            """
        ),
        Valid(
            """
            import torch
            device = torch.device("cuda")
            model = model.to(device).to(torch.bfloat16)
            for x, y in loader:
                loss_fn(model(x.to(device)), y.to(device)).backward()
                optimizer.step()
            """
        ),
        Valid(
            """
            import torch
            device = args.device
            for x, y in loader:
                loss_fn(model(x.to(device)), y.to(device)).backward()
                optimizer.step()
            """
        ),
    ]
    INVALID: ClassVar[list[Invalid]] = [
        Invalid(
            """
            import torch
            device = torch.device("cuda" if torch.cuda.is_available() else "cpu")
            model = model.to(device)
            for epoch in range(10):
                for x, y in loader:
                    optimizer.zero_grad()
                    loss = loss_fn(model(x.to(device)), y.to(device))
                    loss.backward()
                    optimizer.step()
            """,
            line=4,
        ),
        Invalid(
            """
            import torch
            model.cuda()
            for x, y in loader:
                loss = loss_fn(model(x.cuda()), y.cuda())
                loss.backward()
                optimizer.step()
            """,
            line=3,
        ),
        Invalid(
            """
            import torch

            def train(model, loader, optimizer):
                for x, y in loader:
                    loss_fn(model(x), y).backward()
                    optimizer.step()

            def main():
                model.to("cuda")
                for epoch in range(3):
                    train(model, loader, optimizer)
            """,
            line=10,
        ),
        Invalid(
            """
            import torch
            device = "cuda:0"
            while step < max_steps:
                loss = model(batch.to(device)).mean()
                loss.backward()
                opt.step()
                step += 1
            """,
            line=3,
        ),
    ]

    def check(self, index: FileIndex, graph: ProjectGraph) -> None:
        if graph.has("mixed-precision") or not index.uses("torch") or not _uses_cuda(index):
            return
        for loop in training_loop_roots(index, graph):
            self.report(loop.node)


VALIDATION_NAME = re.compile(r"^(val|valid|validate|validation|evaluate|eval|evaluation|test)(_|$)")


def _is_fixed_epoch_loop(loop: LoopInfo) -> bool:
    if not isinstance(loop.node, cst.For):
        return False
    iterator = loop.node.iter
    while isinstance(iterator, cst.Call) and dotted(iterator.func) in ("tqdm", "tqdm.tqdm"):
        if not iterator.args:
            return False
        iterator = iterator.args[0].value
    return isinstance(iterator, cst.Call) and dotted(iterator.func) in ("range", "trange")


def _validates(loop: LoopInfo, index: FileIndex) -> bool:
    """A validation step: a call to ``validate``/``evaluate``/``test``..., or ``model.eval()``
    followed by iteration over validation or test data."""
    switches_to_eval = False
    for call in loop.calls:
        if call.method == "eval" and not call.positional:
            switches_to_eval = True
            continue
        simple = call.written.rpartition(".")[2] if call.written else ""
        if VALIDATION_NAME.match(simple):
            return True
    if not switches_to_eval:
        return False
    code = cst.Module([]).code_for_node(loop.node.body)
    return any(
        re.search(r"\b(val|valid|validation|test|dev)", match.group(0), re.IGNORECASE)
        for match in re.finditer(r"\bin\s+([\w.]+)", code)
    )


def _list_elements(expr: cst.BaseExpression | None, index: FileIndex) -> list[str] | None:
    """Dotted names in a callbacks list (literal or a variable assigned a literal list)."""
    if isinstance(expr, cst.Name):
        assigned = [a for a in index.assignments if a.target == expr.value]
        if len(assigned) != 1:
            return None
        expr = assigned[0].value
    if not isinstance(expr, (cst.List, cst.Tuple)):
        return None
    names: list[str] = []
    for element in expr.elements:
        value = element.value
        if isinstance(element, cst.StarredElement):
            return None
        if isinstance(value, cst.Call):
            value = value.func
        names.append(dotted(value) or "")
    return names


class FixedEpochsWithoutEarlyStopping(_ProjectRule):
    """A fixed epoch count with a validation step keeps training after the model stops improving.

    When validation loss plateaus, the remaining epochs spend energy for nothing (or overfit).
    Early stopping ends training once the validation metric has not improved for `patience`
    epochs. The rule reports `for epoch in range(N)` training loops that validate every epoch
    but never `break`, and Keras `fit(epochs=N, validation_data=...)` without an
    `EarlyStopping` callback, when the project has no early stopping anywhere (patience logic,
    `EarlyStopping`, `EarlyStoppingCallback`).
    """

    code = "GT406"
    name = "fixed-epochs-without-early-stopping"
    tactic = "apply-early-stopping"
    severity = Severity.INFO
    message = (
        "Fixed number of epochs with validation but no early stopping: stop when the "
        "validation metric has not improved for `patience` epochs (keep the best checkpoint)."
    )

    VALID: ClassVar[list[Valid]] = [
        Valid(
            """
            best, bad_epochs = float("inf"), 0
            for epoch in range(100):
                train_one_epoch(model, loader, optimizer)
                val_loss = evaluate(model, val_loader)
                if val_loss < best:
                    best, bad_epochs = val_loss, 0
                else:
                    bad_epochs += 1
                    if bad_epochs >= 5:
                        break

            def train_one_epoch(model, loader, optimizer):
                for x, y in loader:
                    loss_fn(model(x), y).backward()
                    optimizer.step()
            """
        ),
        Valid(
            """
            import keras
            stop = keras.callbacks.EarlyStopping(patience=3, restore_best_weights=True)
            model.fit(x, y, epochs=100, validation_split=0.1, callbacks=[stop])
            """
        ),
        Valid(
            """
            for epoch in range(10):
                for x, y in loader:
                    loss_fn(model(x), y).backward()
                    optimizer.step()
            """
        ),
        Valid(
            """
            import keras
            model.compile(optimizer="adam", loss="mse")
            model.fit(x, y, epochs=10, validation_data=(xv, yv), callbacks=make_callbacks())
            """
        ),
        Valid(
            """
            from transformers import EarlyStoppingCallback
            trainer = make_trainer(callbacks=[EarlyStoppingCallback(early_stopping_patience=2)])
            for epoch in range(10):
                for x, y in loader:
                    loss_fn(model(x), y).backward()
                    optimizer.step()
                evaluate(model)
            """
        ),
    ]
    INVALID: ClassVar[list[Invalid]] = [
        Invalid(
            """
            for epoch in range(1, args.epochs + 1):
                train(model, train_loader, optimizer)
                test(model, test_loader)

            def train(model, loader, optimizer):
                model.train()
                for x, y in loader:
                    loss_fn(model(x), y).backward()
                    optimizer.step()
            """,
            line=1,
        ),
        Invalid(
            """
            import torch
            for epoch in range(50):
                model.train()
                for x, y in train_loader:
                    loss_fn(model(x), y).backward()
                    optimizer.step()
                model.eval()
                with torch.no_grad():
                    val_loss = sum(loss_fn(model(x), y).item() for x, y in val_loader)
            """,
            line=2,
        ),
        Invalid(
            """
            import keras
            model.compile(optimizer="adam", loss="mse")
            model.fit(x, y, epochs=200, validation_split=0.2)
            """,
            line=3,
        ),
        Invalid(
            """
            import keras
            callbacks = [keras.callbacks.TensorBoard("logs")]
            model.fit(x, y, epochs=200, validation_data=(xv, yv), callbacks=callbacks)
            """,
            line=3,
        ),
    ]

    def check(self, index: FileIndex, graph: ProjectGraph) -> None:
        if graph.has("early-stopping"):
            return
        for loop in training_loop_roots(index, graph):
            if _is_fixed_epoch_loop(loop) and not loop.has_break and _validates(loop, index):
                self.report(loop.node)
        for call in index.calls:
            if call.method != "fit" or call.has_star_args or call.keyword("epochs") is None:
                continue
            if not index.uses("keras", "tensorflow", "tf_keras"):
                continue
            if call.keyword("validation_data") is None and call.keyword("validation_split") is None:
                continue
            callbacks = call.keyword("callbacks")
            if callbacks is None:
                names: list[str] | None = []
            else:
                names = _list_elements(callbacks, index)
            if names is None or any("EarlyStopping" in name for name in names):
                continue
            self.report(
                call.node,
                "Keras `fit` with validation and a fixed `epochs` but no early stopping: add "
                "`keras.callbacks.EarlyStopping(patience=..., restore_best_weights=True)`.",
            )


class UnmonitoredTraining(_ProjectRule):
    """Training that nobody measures cannot be made greener on purpose.

    Measuring energy (or at least GPU power) is the starting point of every other tactic: it
    shows what a run costs and whether a change helped. The rule reports each training entry
    point (training loop, Keras `fit`, `Trainer.train`, Lightning `fit`) when no file of the
    project measures energy or power (CodeCarbon, Zeus, carbontracker, eco2AI, pynvml power or
    energy readings, `greentactics.measure_energy`).
    """

    code = "GT601"
    name = "unmonitored-training"
    tactic = "monitor-computing-power"
    severity = Severity.INFO
    message = (
        "Training runs with no energy measurement anywhere in the project: wrap it in "
        '`with greentactics.measure_energy(label="train"):` or CodeCarbon\'s `EmissionsTracker`.'
    )

    VALID: ClassVar[list[Valid]] = [
        Valid(
            """
            from codecarbon import EmissionsTracker
            with EmissionsTracker():
                for x, y in loader:
                    loss_fn(model(x), y).backward()
                    optimizer.step()
            """
        ),
        Valid(
            """
            from greentactics import measure_energy

            @measure_energy(label="train")
            def main():
                for x, y in loader:
                    loss_fn(model(x), y).backward()
                    optimizer.step()
            """
        ),
        Valid(
            """
            import pynvml
            for x, y in loader:
                loss_fn(model(x), y).backward()
                optimizer.step()
                watts = pynvml.nvmlDeviceGetPowerUsage(handle) / 1000
            """
        ),
        Valid(
            """
            from transformers import Trainer, TrainingArguments
            args = TrainingArguments(output_dir="out", report_to=["codecarbon"])
            Trainer(model=model, args=args).train()
            """
        ),
        Valid(
            """
            for x, y in loader:
                preds = model(x)
                metric.update(preds, y)
            """
        ),
    ]
    INVALID: ClassVar[list[Invalid]] = [
        Invalid(
            """
            for epoch in range(10):
                for x, y in loader:
                    loss_fn(model(x), y).backward()
                    optimizer.step()
            """,
            line=1,
        ),
        Invalid(
            """
            import keras
            model.compile(optimizer="adam", loss="mse")
            model.fit(x, y, epochs=5)
            """,
            line=3,
        ),
        Invalid(
            """
            from transformers import Trainer
            trainer = Trainer(model=model, args=args, train_dataset=ds)
            trainer.train()
            """,
            line=3,
        ),
        Invalid(
            """
            import lightning as L
            trainer = L.Trainer(max_epochs=3)
            trainer.fit(model, datamodule=dm)
            """,
            line=3,
        ),
        Invalid(
            """
            import tensorflow as tf
            for step, (x, y) in enumerate(dataset):
                with tf.GradientTape() as tape:
                    loss = loss_fn(y, model(x, training=True))
                grads = tape.gradient(loss, model.trainable_weights)
                optimizer.apply_gradients(zip(grads, model.trainable_weights))
            """,
            line=2,
        ),
    ]

    def check(self, index: FileIndex, graph: ProjectGraph) -> None:
        if graph.has("monitors-energy"):
            return
        for entry in training_entries(index, graph):
            self.report(entry.node)
