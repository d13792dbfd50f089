"""The code signals of each tactic, as data: API names, module prefixes, methods, options.

Detectors in ``detectors.py`` look names up here. Names are qualified through the file's
imports and normalised (``tensorflow.keras`` -> ``keras``, ``pytorch_lightning`` ->
``lightning.pytorch``, ``torch.quantization`` -> ``torch.ao.quantization``), so a table entry
covers every spelling a user can import. The choices follow each tactic's
``detectability_note`` in the catalog and ``/work/shared/reference/tactics.md`` section 3;
deliberate non-signals are listed in :data:`NOT_EVIDENCE` with the reason.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass

from greentactics.scan.evidence import Strength

STRONG = Strength.STRONG
PARTIAL = Strength.PARTIAL


@dataclass(frozen=True)
class ApiSignal:
    """A qualified API that is evidence of ``tactic`` when called, subclassed or imported."""

    tactic: str
    strength: Strength
    label: str


@dataclass(frozen=True)
class _Entry:
    """Table row: last names of the API, the packages they come from, an optional segment."""

    names: tuple[str, ...]
    roots: tuple[str, ...]
    signal: ApiSignal
    within: str = ""


def _e(
    names: str, roots: str, tactic: str, strength: Strength, label: str, within: str = ""
) -> _Entry:
    return _Entry(
        tuple(names.split()), tuple(roots.split()), ApiSignal(tactic, strength, label), within
    )


# Names matched by their last component, when the qualified name starts with one of the roots
# (and contains the ``within`` segment, when given).
_API_ENTRIES: tuple[_Entry, ...] = (
    # T01 sampling
    _e(
        "HalvingGridSearchCV HalvingRandomSearchCV",
        "sklearn",
        "T01",
        STRONG,
        "successive-halving search evaluates candidates on growing data budgets",
    ),
    _e(
        "RandomUnderSampler NearMiss ClusterCentroids TomekLinks EditedNearestNeighbours "
        "InstanceHardnessThreshold",
        "imblearn",
        "T01",
        STRONG,
        "under-sampling shrinks the data",
    ),
    _e("SubsetRandomSampler", "torch", "T01", PARTIAL, "SubsetRandomSampler trains on a subset"),
    # T02 deduplication
    _e("MinHashLSH MinHash", "datasketch", "T02", STRONG, "near-duplicate detection (MinHash)"),
    # T04 input quantization
    _e("KBinsDiscretizer", "sklearn", "T04", STRONG, "KBinsDiscretizer quantizes input features"),
    _e(
        "quantize_per_tensor quantize_per_channel",
        "torch",
        "T04",
        PARTIAL,
        "tensor quantized to low-bit integers",
    ),
    # T05 data projection
    _e(
        "PCA IncrementalPCA KernelPCA SparsePCA MiniBatchSparsePCA TruncatedSVD FactorAnalysis "
        "FastICA",
        "sklearn",
        "T05",
        STRONG,
        "projection to fewer dimensions",
    ),
    _e(
        "GaussianRandomProjection SparseRandomProjection",
        "sklearn",
        "T05",
        STRONG,
        "random projection to fewer dimensions",
    ),
    _e("FeatureAgglomeration", "sklearn", "T05", STRONG, "feature agglomeration"),
    _e("UMAP", "umap", "T05", STRONG, "UMAP projection"),
    _e("pca_lowrank", "torch", "T05", STRONG, "low-rank PCA projection"),
    # T06 energy-efficient algorithm families (inventory)
    _e(
        "LinearSVC LinearSVR SGDClassifier SGDRegressor SGDOneClassSVM Perceptron "
        "PassiveAggressiveClassifier PassiveAggressiveRegressor RidgeClassifier",
        "sklearn",
        "T06",
        PARTIAL,
        "linear model with a cheap solver",
    ),
    _e(
        "HistGradientBoostingClassifier HistGradientBoostingRegressor",
        "sklearn",
        "T06",
        PARTIAL,
        "histogram-based gradient boosting (cheaper than exact boosting)",
    ),
    _e(
        "GaussianNB MultinomialNB BernoulliNB ComplementNB CategoricalNB NearestCentroid",
        "sklearn",
        "T06",
        PARTIAL,
        "naive Bayes / centroid classifier (very cheap to train)",
    ),
    _e("MiniBatchKMeans", "sklearn", "T06", PARTIAL, "mini-batch k-means"),
    _e(
        "LGBMClassifier LGBMRegressor LGBMRanker",
        "lightgbm",
        "T06",
        PARTIAL,
        "LightGBM (histogram boosting)",
    ),
    # T08 model complexity: see KEYWORDS (max_depth=...)
    # T10 dynamic parameter adaptation
    _e(
        "HoeffdingTreeClassifier HoeffdingTreeRegressor HoeffdingAdaptiveTreeClassifier "
        "HoeffdingAdaptiveTreeRegressor",
        "river",
        "T10",
        PARTIAL,
        "Hoeffding tree decides splits from the data seen so far (grace_period)",
    ),
    # T11 built-in library functions
    _e(
        "scaled_dot_product_attention",
        "torch",
        "T11",
        PARTIAL,
        "fused attention kernel instead of hand-written attention",
    ),
    _e("vmap", "torch functorch jax", "T11", PARTIAL, "vectorising map instead of a Python loop"),
    _e("evaluate", "numexpr", "T11", PARTIAL, "numexpr vectorised expression"),
    # T12 energy as a constraint
    _e(
        "BatchSizeOptimizer",
        "zeus",
        "T12",
        PARTIAL,
        "Zeus batch-size optimizer with an energy-time cost",
    ),
    # T13 graph substitution (related: performance-driven graph rewriting)
    _e("compile", "torch", "T13", PARTIAL, "torch.compile graph optimisation", within=""),
    _e(
        "script trace freeze optimize_for_inference",
        "torch",
        "T13",
        PARTIAL,
        "TorchScript graph optimisation",
        within="jit",
    ),
    _e("symbolic_trace", "torch", "T13", PARTIAL, "torch.fx graph rewriting", within="fx"),
    _e("fuse_modules fuse_modules_qat", "torch", "T13", PARTIAL, "operator fusion"),
    _e("export", "torch", "T13", PARTIAL, "ONNX export for an optimising runtime", within="onnx"),
    _e("compile", "torch_tensorrt", "T13", PARTIAL, "TensorRT compilation"),
    _e("set_jit", "tensorflow", "T13", PARTIAL, "XLA JIT compilation"),
    _e("jit", "jax", "T13", PARTIAL, "XLA compilation (jax.jit)"),
    # T14 sparsity (pruning APIs are module prefixes below)
    _e(
        "Lasso LassoCV MultiTaskLasso LassoLars",
        "sklearn",
        "T14",
        PARTIAL,
        "L1-regularised model (sparse coefficients)",
    ),
    _e("l1 L1 l1_l2 L1L2", "keras", "T14", PARTIAL, "L1 regularisation", within="regularizers"),
    _e("to_sparse_semi_structured", "torch", "T14", STRONG, "2:4 semi-structured sparsity"),
    # T16 transfer learning
    _e("KerasLayer load", "tensorflow_hub", "T16", STRONG, "pre-trained TF Hub module"),
    _e(
        "LoraConfig get_peft_model PeftModel PrefixTuningConfig PromptTuningConfig",
        "peft",
        "T16",
        STRONG,
        "parameter-efficient fine-tuning of a pre-trained model",
    ),
    _e(
        "SentenceTransformer",
        "sentence_transformers",
        "T16",
        STRONG,
        "pre-trained sentence-transformer",
    ),
    _e("pipeline", "transformers", "T16", PARTIAL, "pre-trained Hugging Face pipeline"),
    _e("load", "torch", "T16", PARTIAL, "pre-trained model from torch.hub", within="hub"),
    # T17 distillation
    _e(
        "DistillationTrainer Distiller DistillationLoss",
        "transformers torch keras lightning optimum",
        "T17",
        PARTIAL,
        "distillation trainer or loss",
    ),
    # T18 quantization-aware training
    _e(
        "prepare_qat prepare_qat_fx prepare_qat_pt2e get_default_qat_qconfig "
        "get_default_qat_qconfig_mapping quantize_qat",
        "torch",
        "T18",
        STRONG,
        "quantization-aware training (fake-quant modules during training)",
    ),
    _e(
        "QuantStub DeQuantStub",
        "torch",
        "T18",
        PARTIAL,
        "quantization stubs (QAT or static post-training quantization)",
    ),
    _e(
        "quantize_model quantize_annotate_layer quantize_annotate_model quantize_apply",
        "tensorflow_model_optimization",
        "T18",
        STRONG,
        "TF-MOT quantization-aware training",
    ),
    _e(
        "QuantizationAwareTraining",
        "lightning",
        "T18",
        STRONG,
        "Lightning quantization-aware training callback",
    ),
    # T19 checkpoints
    _e("ModelCheckpoint", "keras lightning", "T19", STRONG, "periodic checkpoint callback"),
    _e("BackupAndRestore", "keras", "T19", STRONG, "checkpoints for resuming after interruption"),
    _e(
        "Checkpoint CheckpointManager",
        "tensorflow",
        "T19",
        STRONG,
        "TensorFlow training checkpoints",
        within="train",
    ),
    # T20 memory constraints
    _e(
        "no_grad inference_mode",
        "torch",
        "T20",
        STRONG,
        "autograd off for evaluation (no activations kept)",
    ),
    _e(
        "checkpoint checkpoint_sequential",
        "torch",
        "T20",
        STRONG,
        "activation checkpointing (recompute instead of store)",
        within="checkpoint",
    ),
    _e("empty_cache", "torch", "T20", PARTIAL, "cached GPU memory released"),
    _e("clear_session", "keras", "T20", STRONG, "Keras session cleared between models"),
    _e(
        "set_memory_growth set_logical_device_configuration set_virtual_device_configuration",
        "tensorflow",
        "T20",
        STRONG,
        "GPU memory growth or limit configured",
    ),
    # T22 computation partitioning
    _e(
        "Pipe PipelineModule pipeline SplitPoint pipe_split",
        "torch deepspeed fairscale",
        "T22",
        PARTIAL,
        "model partitioned into pipeline stages",
        within="pip",
    ),
    # T24 hardware
    _e("TPUStrategy TPUClusterResolver", "tensorflow", "T24", PARTIAL, "TPU execution"),
    _e(
        "TFLiteConverter Interpreter",
        "tensorflow",
        "T24",
        PARTIAL,
        "TensorFlow Lite edge runtime",
        within="lite",
    ),
    # T25 power capping
    _e("nvmlDeviceSetPowerManagementLimit", "pynvml", "T25", STRONG, "GPU power limit set"),
    _e(
        "nvmlDeviceSetGpuLockedClocks nvmlDeviceSetApplicationsClocks "
        "nvmlDeviceSetMemoryLockedClocks",
        "pynvml",
        "T25",
        STRONG,
        "GPU clocks locked",
    ),
    _e(
        "GlobalPowerLimitOptimizer HFGlobalPowerLimitOptimizer PowerLimitOptimizer",
        "zeus",
        "T25",
        STRONG,
        "Zeus power-limit optimizer",
    ),
    # T28 informed adaptation
    _e("ks_2samp", "scipy", "T28", PARTIAL, "two-sample KS test (distribution drift check)"),
    # T29 retraining
    # T30 monitoring
    _e(
        "nvmlDeviceGetPowerUsage nvmlDeviceGetTotalEnergyConsumption",
        "pynvml",
        "T30",
        STRONG,
        "GPU power or energy reading",
    ),
    _e("ZeusMonitor", "zeus", "T30", STRONG, "Zeus energy monitor"),
    _e("measure_energy", "greentactics", "T30", STRONG, "greentactics energy meter"),
    _e("FlopCountAnalysis", "fvcore", "T30", PARTIAL, "FLOP counting (compute proxy)"),
    _e("get_model_complexity_info", "ptflops", "T30", PARTIAL, "FLOP counting (compute proxy)"),
    _e("profile clever_format", "thop", "T30", PARTIAL, "FLOP counting (compute proxy)"),
    _e("FlopCounterMode", "torch", "T30", PARTIAL, "FLOP counting (compute proxy)"),
    _e("profile", "torch", "T30", PARTIAL, "torch profiler (compute proxy)", within="profiler"),
    # E01 mixed precision
    _e("autocast", "torch", "E01", STRONG, "automatic mixed precision (autocast)"),
    _e("GradScaler", "torch", "E01", STRONG, "loss scaling for mixed precision"),
    _e("initialize", "apex", "E01", STRONG, "NVIDIA apex mixed precision", within="amp"),
    # E02 early stopping
    _e("EarlyStopping", "keras lightning xgboost", "E02", STRONG, "early-stopping callback"),
    _e("EarlyStoppingCallback", "transformers", "E02", STRONG, "early-stopping callback"),
    _e("early_stopping", "lightgbm", "E02", STRONG, "LightGBM early-stopping callback"),
)


def _index(entries: Iterable[_Entry]) -> dict[str, tuple[_Entry, ...]]:
    table: dict[str, list[_Entry]] = {}
    for entry in entries:
        for name in entry.names:
            table.setdefault(name, []).append(entry)
    return {name: tuple(rows) for name, rows in table.items()}


_API_BY_NAME = _index(_API_ENTRIES)

# Whole packages or sub-packages whose use (call, base class or import) is the tactic.
MODULE_SIGNALS: tuple[tuple[str, ApiSignal], ...] = (
    ("sklearn.feature_selection", ApiSignal("T03", STRONG, "scikit-learn feature selection")),
    ("torch.nn.utils.prune", ApiSignal("T14", STRONG, "weight pruning (torch.nn.utils.prune)")),
    (
        "torch.nn.utils.prune",
        ApiSignal("T15", PARTIAL, "pruning; energy-aware criterion not visible"),
    ),
    ("torch.ao.pruning", ApiSignal("T14", STRONG, "sparsifier (torch.ao.pruning)")),
    ("torch.ao.pruning", ApiSignal("T15", PARTIAL, "pruning; energy-aware criterion not visible")),
    ("tensorflow_model_optimization.sparsity", ApiSignal("T14", STRONG, "TF-MOT pruning")),
    (
        "tensorflow_model_optimization.sparsity",
        ApiSignal("T15", PARTIAL, "pruning; energy-aware criterion not visible"),
    ),
    ("nn_pruning", ApiSignal("T14", STRONG, "nn_pruning movement pruning")),
    (
        "torch.distributed.checkpoint",
        ApiSignal("T19", STRONG, "distributed training checkpoint (torch.distributed.checkpoint)"),
    ),
    ("text_dedup", ApiSignal("T02", STRONG, "text deduplication")),
    ("snntorch", ApiSignal("T07", PARTIAL, "spiking neural network toolkit")),
    ("sinabs", ApiSignal("T07", PARTIAL, "spiking neural network toolkit")),
    ("norse", ApiSignal("T07", PARTIAL, "spiking neural network toolkit")),
    ("spikingjelly", ApiSignal("T07", PARTIAL, "spiking neural network toolkit")),
    ("brevitas", ApiSignal("T18", STRONG, "Brevitas quantization-aware layers")),
    ("pytorch_quantization", ApiSignal("T18", STRONG, "NVIDIA pytorch_quantization (QAT)")),
    ("flwr", ApiSignal("T21", STRONG, "Flower federated learning")),
    ("tensorflow_federated", ApiSignal("T21", STRONG, "TensorFlow Federated")),
    ("syft", ApiSignal("T21", STRONG, "PySyft federated learning")),
    ("fedml", ApiSignal("T21", STRONG, "FedML federated learning")),
    ("nvflare", ApiSignal("T21", STRONG, "NVIDIA FLARE federated learning")),
    ("torch.distributed.pipelining", ApiSignal("T22", PARTIAL, "model split into pipeline stages")),
    ("torch_xla", ApiSignal("T24", PARTIAL, "TPU/XLA device (torch_xla)")),
    ("tflite_runtime", ApiSignal("T24", PARTIAL, "TensorFlow Lite edge runtime")),
    ("pycoral", ApiSignal("T24", PARTIAL, "Coral Edge TPU")),
    ("coremltools", ApiSignal("T24", PARTIAL, "Core ML (Apple Neural Engine) export")),
    ("openvino", ApiSignal("T24", PARTIAL, "OpenVINO runtime for Intel accelerators")),
    ("torch_tensorrt", ApiSignal("T13", PARTIAL, "TensorRT graph compilation")),
    ("tensorrt", ApiSignal("T13", PARTIAL, "TensorRT graph compilation")),
    ("river.drift", ApiSignal("T28", STRONG, "drift detector (river)")),
    ("alibi_detect.cd", ApiSignal("T28", STRONG, "drift detector (alibi-detect)")),
    ("evidently", ApiSignal("T28", STRONG, "data-drift monitoring (evidently)")),
    ("nannyml", ApiSignal("T28", STRONG, "performance/drift monitoring (NannyML)")),
    ("frouros", ApiSignal("T28", STRONG, "drift detector (frouros)")),
    ("codecarbon", ApiSignal("T30", STRONG, "CodeCarbon energy/emissions tracking")),
    ("carbontracker", ApiSignal("T30", STRONG, "carbontracker energy tracking")),
    ("eco2ai", ApiSignal("T30", STRONG, "eco2AI energy tracking")),
    ("experiment_impact_tracker", ApiSignal("T30", STRONG, "experiment-impact-tracker")),
    ("pyJoules", ApiSignal("T30", STRONG, "pyJoules energy measurement")),
    ("pyRAPL", ApiSignal("T30", STRONG, "pyRAPL energy measurement")),
    ("zeus.monitor", ApiSignal("T30", STRONG, "Zeus energy monitor")),
    ("greentactics.energy", ApiSignal("T30", STRONG, "greentactics energy meter")),
)

# Methods recognised on any receiver: ``df.drop_duplicates()``, ``model.partial_fit(...)``.
METHOD_SIGNALS: dict[str, ApiSignal] = {
    "drop_duplicates": ApiSignal("T02", STRONG, "duplicate rows dropped"),
    "duplicated": ApiSignal("T02", PARTIAL, "duplicate rows flagged"),
    "gradient_checkpointing_enable": ApiSignal("T20", STRONG, "activation checkpointing enabled"),
    "save_pretrained": ApiSignal("T19", PARTIAL, "model saved with save_pretrained"),
    "save_state": ApiSignal("T19", PARTIAL, "training state saved (accelerate save_state)"),
    "load_state": ApiSignal("T19", PARTIAL, "training state restored (accelerate load_state)"),
}

# Methods that count only when the file uses the library they belong to (tf.data, datasets).
LIBRARY_METHOD_SIGNALS: dict[str, tuple[tuple[str, ...], ApiSignal]] = {
    "prefetch": (("tensorflow",), ApiSignal("T27", STRONG, "tf.data prefetching overlaps I/O")),
    "cache": (("tensorflow",), ApiSignal("T27", PARTIAL, "tf.data cache avoids re-reading data")),
    "shard": (("tensorflow", "datasets"), ApiSignal("T01", PARTIAL, "dataset shard")),
}

# Qualified calls the detectors inspect further (arguments, placement); see detectors.py.
TORCH_SAVE = "torch.save"
TRAIN_TEST_SPLIT = "sklearn.model_selection.train_test_split"
RESAMPLE = "sklearn.utils.resample"
NP_UNIQUE = "numpy.unique"
TORCH_SUBSET = "torch.utils.data.Subset"
RANDOM_SAMPLER = "torch.utils.data.RandomSampler"
TRAINERS_THAT_CHECKPOINT = {
    "transformers.TrainingArguments": "save_strategy",
    "transformers.Seq2SeqTrainingArguments": "save_strategy",
    "lightning.pytorch.Trainer": "enable_checkpointing",
    "lightning.Trainer": "enable_checkpointing",
}
KL_DIV = (
    "torch.nn.functional.kl_div",
    "torch.nn.KLDivLoss",
    "keras.losses.KLDivergence",
    "keras.losses.kl_divergence",
    "keras.losses.KLD",
)
SET_GRAD_ENABLED = "torch.set_grad_enabled"
CREATE_STUDY = "optuna.create_study"
TO_NUMERIC = "pandas.to_numeric"
MODEL_LOADERS = ("keras.models.load_model", "keras.saving.load_model", "joblib.load", "pickle.load")
TORCH_DEVICE = "torch.device"
# partial_fit of these is out-of-core preprocessing, not updating a model.
OUT_OF_CORE_TRANSFORMERS = frozenset(
    {
        "IncrementalPCA",
        "MiniBatchKMeans",
        "MiniBatchDictionaryLearning",
        "StandardScaler",
        "MinMaxScaler",
        "MaxAbsScaler",
        "Birch",
        "MiniBatchNMF",
        "LatentDirichletAllocation",
    }
)
OOM_ERRORS = (
    "torch.cuda.OutOfMemoryError",
    "torch.OutOfMemoryError",
    "tensorflow.errors.ResourceExhaustedError",
)
MIXED_POLICY = (
    "keras.mixed_precision.set_global_policy",
    "keras.mixed_precision.Policy",
    "keras.mixed_precision.set_policy",
    "keras.mixed_precision.experimental.set_policy",
)
PROJECTIONS_FOR_PLOTS = frozenset({"PCA", "TruncatedSVD", "UMAP", "KernelPCA"})
PLOTTING_PACKAGES = ("matplotlib", "seaborn", "plotly", "bokeh", "altair")

# Receivers of ``from_pretrained`` that load no model weights.
NON_MODEL_PRETRAINED = re.compile(
    r"(Tokenizer|Processor|Config|FeatureExtractor|Extractor|Scheduler|tokenizer|processor|"
    r"config|scheduler)\w*$"
)
# Receivers that look like model inputs (for ``x.half()``).
INPUT_LIKE = re.compile(
    r"^(x|xs|X|inputs?|images?|imgs?|batch|data|features|pixel_values|input_ids|samples?|"
    r"x_\w+|X_\w+|\w+_inputs?|\w+_images?|\w+_features)$"
)
LOW_PRECISION_DTYPES = frozenset(
    {"float16", "half", "bfloat16", "float8_e4m3fn", "float8_e5m2", "f2", "e"}
)
# Identifiers that name an energy budget used as a constraint (T12).
ENERGY_BUDGET_NAME = re.compile(
    r"^(max_)?(energy|carbon|emissions?|joules?)_(budget|constraint|limit|cap)s?"
    r"(_(j|kj|wh|kwh|joules|kg|g))?$|^max_(energy|joules)(_(j|kj|wh|kwh))?$",
    re.IGNORECASE,
)
# Conditions of an ``if`` that breaks a loop on lack of improvement (hand-written early stopping).
PATIENCE_WORDS = re.compile(
    r"patience|no_improve|not_improved|without_improvement|bad_epochs|epochs_since_best|"
    r"stale_epochs|early_stop",
    re.IGNORECASE,
)
TEACHER_WORDS = re.compile(r"teacher", re.IGNORECASE)
ENERGY_READING_TACTIC = "T30"

# Model identifiers (string literals, API names) of lightweight and distilled families.
MODEL_ID = re.compile(r"^[\w./:@-]{3,120}$")
LIGHTWEIGHT_MODEL = re.compile(
    r"mobilenet|shufflenet|squeezenet|mnasnet|ghostnet|efficientnet[-_]?(b0|b1|lite|v2[-_]?(b0|s))|"
    r"mobilebert|mobilevit|tinybert|minilm|bert[-_](tiny|mini|small)|distil(bert|roberta|gpt2)|"
    r"tinyllama|fbnet|lcnet|nasnet[-_]?mobile|efficientformer|levit",
    re.IGNORECASE,
)
DISTILLED_MODEL = re.compile(
    r"(^|[/_-])distil(bert|roberta|gpt2|bart|-?whisper|use|hubert|camembert|large|medium|small)|"
    r"-distilled[-_]",
    re.IGNORECASE,
)
# Keywords and config keys whose string value names a model.
MODEL_KEYWORDS = frozenset(
    {
        "model",
        "model_name",
        "model_id",
        "model_name_or_path",
        "pretrained_model_name_or_path",
        "checkpoint",
        "arch",
        "architecture",
        "backbone",
        "teacher",
        "student",
        "repo_id",
        "base_model",
        "encoder",
        "model_type",
    }
)
MODEL_FAMILY_ROOTS = ("torchvision", "keras", "timm", "transformers")
SPECIAL_DEVICES = {
    "mps": "Apple GPU (MPS)",
    "tpu": "TPU",
    "xla": "XLA device (TPU)",
    "xpu": "Intel GPU (XPU)",
    "ipu": "Graphcore IPU",
    "hpu": "Habana Gaudi (HPU)",
}
POWER_CAP_FLAGS = (
    "-pl",
    "--power-limit",
    "-lgc",
    "--lock-gpu-clocks",
    "-ac",
    "--applications-clocks",
)

# Signals deliberately not counted, with the reason (documentation; tests read it).
NOT_EVIDENCE: dict[str, str] = {
    "learning-rate schedulers": "T10: ReduceLROnPlateau, OneCycleLR... adapt the learning rate, "
    "not the model's run-time parameters (catalog detectability note of T10)",
    "TSNE": "T05: t-SNE is used for visualisation, not as a model input projection",
    "PCA to 2-3 components in a plotting file": "T05: most likely a plot, not a model input",
    "SMOTE / RandomOverSampler": "T01: over-sampling grows the data, the opposite of the tactic",
    "df.sample(frac=1)": "T01: shuffles all rows, keeps the full data",
    "tf.data take(n)": "T01: usually a debugging or preview shortcut, not a design choice",
    "astype(np.float32)": "T04: float32 is the usual compute precision, not input quantization",
    "astype(np.uint8)": "T04: mostly image input/output (saving, PIL), not a precision choice",
    "x.to_sparse(), torch.sparse": "T14: sparse data (graphs, features), not a sparser model",
    "print(loss.item())": "T20: logging a loss; only accumulation (+=, append) releases a graph",
    "model.half()": "E01: pure half precision is not mixed-precision training",
    "quantize_dynamic, TFLite Optimize.DEFAULT": "T18: post-training quantization is not QAT",
    "torch.utils.checkpoint": "T19: activation checkpointing is a memory technique (T20)",
    "torch.device('cuda')": "T24: a GPU is the usual accelerator, not an energy-efficiency choice",
    "x.item() on non-loss values": "T20: a scalar read, not loss accumulation without the graph",
}


def normalise(qualified: str) -> str:
    """One spelling per API: ``tensorflow.keras.x`` -> ``keras.x`` and similar aliases."""
    for prefix, replacement in _ALIASES:
        if qualified == prefix or qualified.startswith(prefix + "."):
            return replacement + qualified[len(prefix) :]
    return qualified


_ALIASES = (
    ("tensorflow.python.keras", "keras"),
    ("tensorflow.keras", "keras"),
    ("tf_keras", "keras"),
    ("keras.src", "keras"),
    ("pytorch_lightning", "lightning.pytorch"),
    ("torch.quantization", "torch.ao.quantization"),
    ("tensorflow.compat.v1", "tensorflow"),
    ("tensorflow.compat.v2", "tensorflow"),
    ("tfmot", "tensorflow_model_optimization"),
    ("functorch", "torch.func"),
)


def api_signals(qualified: str) -> list[ApiSignal]:
    """The signals of a normalised qualified name (``sklearn.decomposition.PCA`` -> T05)."""
    found: list[ApiSignal] = []
    parts = qualified.split(".")
    root, last = parts[0], parts[-1]
    for entry in _API_BY_NAME.get(last, ()):
        if root in entry.roots and (not entry.within or entry.within in qualified):
            found.append(entry.signal)
    for prefix, signal in MODULE_SIGNALS:
        if qualified == prefix or qualified.startswith(prefix + "."):
            found.append(signal)
    return found


def module_signals(module: str) -> list[ApiSignal]:
    """The signals of importing ``module`` (a package whose use is the tactic)."""
    return [
        signal
        for prefix, signal in MODULE_SIGNALS
        if module == prefix or module.startswith(prefix + ".")
    ]
