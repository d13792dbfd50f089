"""Decrease model complexity: a smaller network trained for the same number of epochs.

Baseline: an MLP with two hidden layers of 512 and 256 units. Candidate: one hidden layer of
64 units. Both see the data for the same fixed number of epochs, so the difference is the cost
per step. Digits are simple; the question is how much accuracy the big model actually buys.
"""

from __future__ import annotations

import warnings

from sklearn.exceptions import ConvergenceWarning
from sklearn.neural_network import MLPClassifier

from greentactics.experiments.datasets import Split, digits_split
from greentactics.experiments.experiment import Arm, Experiment, Setup

EPOCHS = 10


def prepare(setup: Setup) -> Split:
    """Digits with shifted copies (the full run) or a small plain split (``--quick``)."""
    return digits_split(augment=not setup.quick, train_limit=400 if setup.quick else None)


def _fit_and_score(data: Split, hidden_layers: tuple[int, ...]) -> float:
    model = MLPClassifier(hidden_layer_sizes=hidden_layers, max_iter=EPOCHS, random_state=0)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ConvergenceWarning)  # a fixed epoch budget, on purpose
        model.fit(data.x_train, data.y_train)
    return float(model.score(data.x_test, data.y_test))


def train_large_network(data: Split) -> float:
    """Train the 512-256 network; return test accuracy."""
    return _fit_and_score(data, (512, 256))


def train_small_network(data: Split) -> float:
    """Train the 64-unit network; return test accuracy."""
    return _fit_and_score(data, (64,))


EXPERIMENT = Experiment(
    name="model_complexity",
    tactic="decrease-model-complexity",
    title="An MLP with one 64-unit layer instead of 512+256 units, same epochs",
    quality_metric="accuracy",
    prepare=prepare,
    baseline=Arm("MLP 512-256", train_large_network),
    candidate=Arm("MLP 64", train_small_network),
)
