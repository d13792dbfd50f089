"""Rules on reusing published models: training from scratch, serving undistilled checkpoints."""

from __future__ import annotations

import re
from typing import ClassVar

import libcst as cst

from greentactics.lint.rule import Invalid, Rule, Severity, Valid
from greentactics.lint.rules.code_index import CallSite, FileIndex
from greentactics.lint.rules.names import dotted
from greentactics.lint.rules.project_index import index_for, is_backward, is_optimizer_step

TORCHVISION_ARCHITECTURES = re.compile(
    r"^(alexnet|vgg\d+(_bn)?|resnet\d+|resnext\d+_\w+|wide_resnet\d+_\d|densenet\d+|googlenet|"
    r"inception_v3|mobilenet_v[23](_small|_large)?|mnasnet\d_\d+|shufflenet_v2_x\d_\d|"
    r"squeezenet1_[01]|efficientnet_(b\d|v2_[sml])|regnet_[xy]_\w+|convnext_\w+|vit_[bhl]_\d+|"
    r"swin_(v2_)?[tsb]|maxvit_t|deeplabv3_\w+|fcn_resnet\d+|fasterrcnn_\w+|maskrcnn_\w+|"
    r"retinanet_\w+|keypointrcnn_\w+|lraspp_\w+|r3d_18|r2plus1d_18|mvit_v[12]_s|s3d)$"
)
KERAS_APPLICATION = re.compile(
    r"^(ResNet\d+(V2)?|VGG\d+|InceptionV3|InceptionResNetV2|Xception|MobileNet(V2|V3Small|V3Large)?|"
    r"DenseNet\d+|NASNet(Mobile|Large)|EfficientNet(B\d|V2(B\d|S|M|L))|ConvNeXt\w+|RegNet\w+)$"
)
OPTIMIZER_NAME = re.compile(r"(optim|SGD|Adam|RMSprop|Adagrad|Lamb|Lion|Adafactor)", re.IGNORECASE)


def _is_none(expr: cst.BaseExpression | None) -> bool:
    return isinstance(expr, cst.Name) and expr.value == "None"


def _is_false(expr: cst.BaseExpression | None) -> bool:
    return isinstance(expr, cst.Name) and expr.value == "False"


def _scratch_architecture(call: CallSite) -> str | None:
    """The architecture a call builds without pretrained weights, if it clearly does."""
    if call.has_star_args:
        return None
    name = call.qualified or ""
    simple = name.rpartition(".")[2]
    weights, pretrained = call.keyword("weights"), call.keyword("pretrained")
    if name.startswith("torchvision.models") and TORCHVISION_ARCHITECTURES.match(simple):
        if weights is None and pretrained is None:
            return f"torchvision `{simple}`"
        if (weights is None or _is_none(weights)) and (pretrained is None or _is_false(pretrained)):
            return f"torchvision `{simple}`"
        return None
    if name == "timm.create_model" and call.positional:
        arch = call.positional[0]
        if (
            isinstance(arch, cst.SimpleString)
            and (pretrained is None or _is_false(pretrained))
            and call.keyword("checkpoint_path") is None
        ):
            return f"timm `{arch.evaluated_value!s}`"
        return None
    if (name.startswith(("keras.applications", "tensorflow.keras.applications"))) and (
        KERAS_APPLICATION.match(simple) and _is_none(weights)
    ):
        return f"keras.applications `{simple}`"
    if name.startswith("transformers.") and call.method == "from_config":
        return f"`{name.split('.')[-2]}.from_config`"
    return None


def _trained(variable: str, index: FileIndex) -> bool:
    """Whether the file trains the model held in ``variable``."""
    for call in index.calls:
        if (
            call.receiver == variable
            and call.method in ("fit", "compile", "train")
            and (call.method != "train" or not call.positional)
        ):
            return True
        if call.name and OPTIMIZER_NAME.search(call.name.rpartition(".")[2]):
            text = cst.Module([]).code_for_node(call.node)
            if f"{variable}.parameters()" in text or f"{variable}.named_parameters()" in text:
                return True
        model_arg = call.keyword("model")
        if (
            model_arg is not None
            and dotted(model_arg) == variable
            and (call.name or "").endswith("Trainer")
        ):
            return True
    return False


def _synthetic_inputs(index: FileIndex) -> bool:
    """Random tensors fed to the model: a benchmark or a demo of some other feature, where
    pretrained weights would not matter."""
    random_inputs = ("torch.randn", "torch.rand", "torch.randint", "numpy.random.rand")
    random_names = {
        a.target
        for a in index.assignments
        if isinstance(a.value, cst.Call)
        and (index.imports.qualify(dotted(a.value.func)) or "") in random_inputs
    }
    return any(
        "input" in name.lower() or name.lower() in ("x", "data", "batch", "images")
        for name in random_names
    )


def _loads_weights(variable: str, index: FileIndex) -> bool:
    return any(
        call.receiver == variable and call.method in ("load_state_dict", "load_weights")
        for call in index.calls
    )


class TrainingFromScratch(Rule):
    """Training a standard architecture from random weights repeats work already published.

    ImageNet-pretrained CNNs and ViTs, and pretrained language models, exist for the standard
    architectures; fine-tuning one reaches the same or better accuracy with a small fraction of
    the epochs, and so of the energy. The rule reports a torchvision, timm, `keras.applications`
    or Hugging Face (`from_config`) model created without pretrained weights in a file that then
    trains it (optimizer over its parameters, `fit`, `Trainer(model=...)`, `.train()`). It is
    silent when the weights come from a variable (`weights=args.weights`), when the same variable
    is loaded from pretrained weights elsewhere in the file, when a state dict is loaded, and
    when the model is fed random tensors (a benchmark). Opt-in: select it with `--select GT301`;
    in example and benchmark code training from scratch is often the point.
    """

    code = "GT301"
    name = "training-from-scratch"
    tactic = "consider-transfer-learning"
    severity = Severity.INFO
    # Opt-in: on real code most from-scratch standard architectures were deliberate (baselines,
    # throughput benchmarks), so the rule runs only when selected (`--select GT301`).
    enabled_by_default = False
    message = (
        "Standard architecture trained from random weights: start from published pretrained "
        'weights (`weights="DEFAULT"`, `pretrained=True`, `from_pretrained(...)`) and fine-tune.'
    )

    VALID: ClassVar[list[Valid]] = [
        Valid(
            """
            import torch
            from torchvision.models import resnet50, ResNet50_Weights
            model = resnet50(weights=ResNet50_Weights.DEFAULT)
            optimizer = torch.optim.SGD(model.parameters(), lr=0.01)
            """
        ),
        Valid(
            """
            import torch
            from torchvision import models
            model = models.resnet18(weights=args.weights)
            optimizer = torch.optim.SGD(model.parameters(), lr=0.01)
            """
        ),
        Valid(
            """
            from transformers import AutoConfig, AutoModelForCausalLM
            if args.model_name_or_path:
                model = AutoModelForCausalLM.from_pretrained(args.model_name_or_path)
            else:
                model = AutoModelForCausalLM.from_config(AutoConfig.for_model("gpt2"))
            optimizer = torch.optim.AdamW(model.parameters())
            """
        ),
        Valid(
            """
            from torchvision import models
            model = models.resnet18()
            model.load_state_dict(torch.load("resnet18.pth"))
            model.eval()
            """
        ),
        Valid(
            """
            import timm
            model = timm.create_model("resnet50", pretrained=True, num_classes=10)
            optimizer = torch.optim.AdamW(model.parameters())
            """
        ),
    ]
    INVALID: ClassVar[list[Invalid]] = [
        Invalid(
            """
            import torch
            import torchvision
            model = torchvision.models.resnet50(num_classes=10)
            optimizer = torch.optim.SGD(model.parameters(), lr=0.1)
            """,
            line=3,
        ),
        Invalid(
            """
            import timm
            model = timm.create_model("vit_base_patch16_224", num_classes=100)
            optimizer = torch.optim.AdamW(model.parameters(), lr=3e-4)
            """,
            line=2,
        ),
        Invalid(
            """
            import keras
            model = keras.applications.EfficientNetB0(weights=None, classes=5)
            model.compile(optimizer="adam", loss="sparse_categorical_crossentropy")
            model.fit(train_ds, epochs=30)
            """,
            line=2,
        ),
        Invalid(
            """
            from transformers import AutoConfig, AutoModelForSequenceClassification, Trainer
            config = AutoConfig.from_pretrained("bert-base-uncased", num_labels=2)
            model = AutoModelForSequenceClassification.from_config(config)
            trainer = Trainer(model=model, args=args, train_dataset=train_ds)
            trainer.train()
            """,
            line=3,
        ),
        Invalid(
            """
            import torch
            from torchvision.models import mobilenet_v3_small
            net = mobilenet_v3_small(weights=None)
            net.train()
            opt = torch.optim.Adam(net.parameters())
            """,
            line=3,
        ),
    ]

    def finish(self) -> None:
        """Find scratch architectures assigned to a variable that the file trains."""
        index = index_for(self.analysis)
        if index.is_test or _synthetic_inputs(index):
            return
        pretrained_targets = {
            a.target
            for a in index.assignments
            if isinstance(a.value, cst.Call)
            and (
                (dotted(a.value.func) or "").endswith("from_pretrained")
                or any(
                    arg.keyword is not None
                    and arg.keyword.value in ("weights", "pretrained")
                    and not _is_none(arg.value)
                    and not _is_false(arg.value)
                    for arg in a.value.args
                )
            )
        }
        by_node = {id(call.node): call for call in index.calls}
        for assignment in index.assignments:
            call = by_node.get(id(assignment.value))
            if call is None:
                continue
            architecture = _scratch_architecture(call)
            if architecture is None or assignment.target in pretrained_targets:
                continue
            if _loads_weights(assignment.target, index):
                continue
            if _trained(assignment.target, index):
                self.report(
                    call.node,
                    f"{architecture} is trained from random weights: start from its published "
                    "pretrained weights and fine-tune (far fewer epochs for the same accuracy).",
                )


# -- distillable-model -----------------------------------------------------------------------------

DISTILLED = {
    "bert-base-uncased": "distilbert-base-uncased",
    "bert-base-cased": "distilbert-base-cased",
    "bert-base-multilingual-cased": "distilbert-base-multilingual-cased",
    "google-bert/bert-base-uncased": "distilbert/distilbert-base-uncased",
    "google-bert/bert-base-cased": "distilbert/distilbert-base-cased",
    "google-bert/bert-base-multilingual-cased": "distilbert/distilbert-base-multilingual-cased",
    "roberta-base": "distilroberta-base",
    "FacebookAI/roberta-base": "distilbert/distilroberta-base",
    "gpt2": "distilgpt2",
    "openai-community/gpt2": "distilbert/distilgpt2",
    "facebook/bart-large-cnn": "sshleifer/distilbart-cnn-12-6",
    "facebook/bart-large-xsum": "sshleifer/distilbart-xsum-12-6",
    "facebook/bart-large-mnli": "valhalla/distilbart-mnli-12-3",
    "openai/whisper-large-v2": "distil-whisper/distil-large-v2",
    "openai/whisper-large-v3": "distil-whisper/distil-large-v3",
    "openai/whisper-medium.en": "distil-whisper/distil-medium.en",
    "openai/whisper-small.en": "distil-whisper/distil-small.en",
    "sentence-transformers/all-mpnet-base-v2": "sentence-transformers/all-MiniLM-L12-v2",
    "deepset/roberta-base-squad2": "deepset/tinyroberta-squad2",
}
LOADERS = ("from_pretrained", "pipeline", "SentenceTransformer")


def _model_id(call: CallSite) -> cst.SimpleString | None:
    simple = (call.name or "").rpartition(".")[2]
    if simple not in LOADERS:
        return None
    candidate = call.keyword("model") if simple == "pipeline" else None
    if candidate is None and call.positional:
        first = call.positional[1] if simple == "pipeline" and len(call.positional) > 1 else None
        candidate = first if simple == "pipeline" else call.positional[0]
    if simple == "pipeline" and candidate is None:
        candidate = call.keyword("model")
    if candidate is None:
        candidate = call.keyword("pretrained_model_name_or_path") or call.keyword(
            "model_name_or_path"
        )
    return candidate if isinstance(candidate, cst.SimpleString) else None


def _file_trains(index: FileIndex) -> bool:
    return any(
        is_backward(call)
        or is_optimizer_step(call)
        or (call.name or "").endswith(("Trainer", "TrainingArguments"))
        or call.method == "fit"
        for call in index.calls
    )


class DistillableModel(Rule):
    """Serving a large checkpoint when a distilled sibling exists spends energy on every request.

    Distilled models such as DistilBERT keep most of their teacher's quality (DistilBERT: about
    97% of BERT-base on GLUE) with 40% fewer parameters and 60% faster inference, so every
    prediction costs less. The rule reports `from_pretrained`, `pipeline(model=...)` and
    `SentenceTransformer(...)` loads of a literal checkpoint with a known distilled sibling, in
    files that only run inference (no training). Model names held in variables are not judged.
    """

    code = "GT302"
    name = "distillable-model"
    tactic = "consider-knowledge-distillation"
    severity = Severity.INFO
    message = "A distilled version of this model exists: evaluate it for this task."

    VALID: ClassVar[list[Valid]] = [
        Valid(
            """
            from transformers import pipeline
            classifier = pipeline("sentiment-analysis", model="distilbert-base-uncased")
            """
        ),
        Valid(
            """
            from transformers import AutoModel
            model = AutoModel.from_pretrained(args.model_name)
            """
        ),
        Valid(
            """
            from transformers import AutoModelForSequenceClassification, Trainer
            model = AutoModelForSequenceClassification.from_pretrained("bert-base-uncased")
            trainer = Trainer(model=model, args=training_args, train_dataset=train_ds)
            trainer.train()
            """
        ),
        Valid(
            """
            from transformers import AutoModel
            model = AutoModel.from_pretrained("bert-large-uncased")
            """
        ),
        Valid(
            """
            from transformers import AutoTokenizer
            tokenizer = AutoTokenizer.from_pretrained("bert-base-uncased")
            """
        ),
    ]
    INVALID: ClassVar[list[Invalid]] = [
        Invalid(
            """
            from transformers import AutoModel, AutoTokenizer
            tokenizer = AutoTokenizer.from_pretrained("bert-base-uncased")
            model = AutoModel.from_pretrained("bert-base-uncased")
            embeddings = model(**tokenizer(texts, return_tensors="pt")).last_hidden_state
            """,
            line=3,
        ),
        Invalid(
            """
            from transformers import pipeline
            summarizer = pipeline("summarization", model="facebook/bart-large-cnn")
            print(summarizer(article)[0]["summary_text"])
            """,
            line=2,
        ),
        Invalid(
            """
            from transformers import GPT2LMHeadModel
            model = GPT2LMHeadModel.from_pretrained("gpt2")
            output = model.generate(input_ids, max_new_tokens=20)
            """,
            line=2,
        ),
        Invalid(
            """
            from transformers import pipeline
            asr = pipeline("automatic-speech-recognition", "openai/whisper-large-v3")
            text = asr("audio.wav")["text"]
            """,
            line=2,
        ),
    ]

    def finish(self) -> None:
        """Report literal loads of distillable checkpoints in inference-only files."""
        index = index_for(self.analysis)
        if index.is_test or _file_trains(index):
            return
        for call in index.calls:
            if "Tokenizer" in (call.name or "") or "Processor" in (call.name or ""):
                continue
            literal = _model_id(call)
            if literal is None:
                continue
            model_id = literal.evaluated_value
            if not isinstance(model_id, str) or model_id not in DISTILLED:
                continue
            self.report(
                call.node,
                f"Inference with `{model_id}`: its distilled sibling `{DISTILLED[model_id]}` is "
                "smaller and faster at most of the quality; evaluate it for this task.",
            )
