"""Use input quantization: feed a neural network float32 inputs instead of float64.

NumPy and scikit-learn default to float64. scikit-learn's ``MLPClassifier`` keeps the dtype it
is given, so float32 inputs make every weight, activation and matrix product single precision:
half the memory traffic and twice the SIMD width. Baseline: float64 inputs. Candidate: the same
data cast to float32 (the cast is inside the measured arm).
"""

from __future__ import annotations

import warnings
from typing import Any

import numpy as np
from numpy.typing import NDArray
from sklearn.exceptions import ConvergenceWarning
from sklearn.neural_network import MLPClassifier

from greentactics.experiments.datasets import IntArray, Split, digits_split
from greentactics.experiments.experiment import Arm, Experiment, Setup


def prepare(setup: Setup) -> Split:
    """Digits with shifted copies (the full run) or a small plain split (``--quick``)."""
    return digits_split(augment=not setup.quick, train_limit=400 if setup.quick else None)


def _fit_and_score(
    x_train: NDArray[np.floating[Any]],
    y_train: IntArray,
    x_test: NDArray[np.floating[Any]],
    y_test: IntArray,
) -> float:
    model = MLPClassifier(hidden_layer_sizes=(256, 256), max_iter=10, random_state=0)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ConvergenceWarning)  # a fixed epoch budget, on purpose
        model.fit(x_train, y_train)
    return float(model.score(x_test, y_test))


def train_float64(data: Split) -> float:
    """Train and evaluate on float64 arrays (NumPy's default)."""
    return _fit_and_score(data.x_train, data.y_train, data.x_test, data.y_test)


def train_float32(data: Split) -> float:
    """Cast inputs to float32, then train and evaluate."""
    x_train = data.x_train.astype(np.float32)
    x_test = data.x_test.astype(np.float32)
    return _fit_and_score(x_train, data.y_train, x_test, data.y_test)


EXPERIMENT = Experiment(
    name="float32_inputs",
    tactic="use-input-quantization",
    title="Train an MLP on float32 inputs instead of float64",
    quality_metric="accuracy",
    prepare=prepare,
    baseline=Arm("float64 inputs", train_float64),
    candidate=Arm("float32 inputs", train_float32),
)
