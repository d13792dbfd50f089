"""Apply early stopping: stop training when the validation score stops improving.

Baseline: an MLP trained for a fixed 150 epochs. Candidate: the same MLP with scikit-learn's
``early_stopping=True``: 10 % of the training data is held out, and training stops once the
validation accuracy has not improved for 5 epochs (the 150 epochs stay the upper bound).
"""

from __future__ import annotations

import warnings

from sklearn.exceptions import ConvergenceWarning
from sklearn.neural_network import MLPClassifier

from greentactics.experiments.datasets import Split, digits_split
from greentactics.experiments.experiment import Arm, Experiment, Setup

MAX_EPOCHS = 150


def prepare(setup: Setup) -> Split:
    """The shifted digits, capped at 3,000 rows (the full run) or 300 plain rows (``--quick``)."""
    return digits_split(augment=not setup.quick, train_limit=300 if setup.quick else 3000)


def train_fixed_epochs(data: Split) -> float:
    """Train for exactly ``MAX_EPOCHS`` epochs; return test accuracy."""
    model = MLPClassifier(
        hidden_layer_sizes=(256,),
        max_iter=MAX_EPOCHS,
        n_iter_no_change=MAX_EPOCHS,  # never stop on a loss plateau: the fixed budget runs out
        tol=0.0,
        random_state=0,
    )
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ConvergenceWarning)  # a fixed epoch budget, on purpose
        model.fit(data.x_train, data.y_train)
    return float(model.score(data.x_test, data.y_test))


def train_with_early_stopping(data: Split) -> float:
    """Train until validation accuracy stalls for 5 epochs; return test accuracy."""
    model = MLPClassifier(
        hidden_layer_sizes=(256,),
        max_iter=MAX_EPOCHS,
        early_stopping=True,
        validation_fraction=0.1,
        n_iter_no_change=5,
        random_state=0,
    )
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ConvergenceWarning)
        model.fit(data.x_train, data.y_train)
    return float(model.score(data.x_test, data.y_test))


EXPERIMENT = Experiment(
    name="early_stopping",
    tactic="apply-early-stopping",
    title="Stop MLP training when validation accuracy stalls instead of a fixed 150 epochs",
    quality_metric="accuracy",
    prepare=prepare,
    baseline=Arm("fixed 150 epochs", train_fixed_epochs),
    candidate=Arm("early stopping (patience 5)", train_with_early_stopping),
)
