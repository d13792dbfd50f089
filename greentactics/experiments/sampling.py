"""Apply sampling techniques: train on a stratified 25 % sample instead of every row.

Baseline: an RBF-kernel SVM fitted on the whole (augmented) digits training set.
Candidate: the same model fitted on a stratified quarter of it. Kernel SVMs cost roughly the
square of the number of rows, so a quarter of the data should take far less than a quarter of
the energy; the price is a little accuracy on the untouched test set.
"""

from __future__ import annotations

from sklearn.model_selection import train_test_split
from sklearn.svm import SVC

from greentactics.experiments.datasets import Split, digits_split
from greentactics.experiments.experiment import Arm, Experiment, Setup

SAMPLE_FRACTION = 0.25


def prepare(setup: Setup) -> Split:
    """Digits with shifted copies for the full run; a small plain split for ``--quick``."""
    return digits_split(augment=not setup.quick, train_limit=400 if setup.quick else None)


def train_on_everything(data: Split) -> float:
    """Fit on every training row; return test accuracy."""
    model = SVC().fit(data.x_train, data.y_train)
    return float(model.score(data.x_test, data.y_test))


def train_on_a_sample(data: Split) -> float:
    """Fit on a stratified sample (the same classes in the same proportions); return accuracy."""
    x_sample, _, y_sample, _ = train_test_split(
        data.x_train,
        data.y_train,
        train_size=SAMPLE_FRACTION,
        stratify=data.y_train,
        random_state=0,
    )
    model = SVC().fit(x_sample, y_sample)
    return float(model.score(data.x_test, data.y_test))


EXPERIMENT = Experiment(
    name="sampling",
    tactic="apply-sampling-techniques",
    title="Fit an SVM on a 25% stratified sample instead of the full training set",
    quality_metric="accuracy",
    prepare=prepare,
    baseline=Arm("full training set", train_on_everything),
    candidate=Arm("25% stratified sample", train_on_a_sample),
)
