"""Choose a lightweight algorithm alternative: k-nearest neighbours instead of a random forest.

Baseline: a 150-tree random forest, a common default choice. Candidate: a 5-nearest-neighbours
classifier, which has no training phase at all; on small, low-dimensional data like these
images it is often as accurate. (Its prediction cost grows with the training set, so the
trade-off changes for large data or many queries.) Both arms train and score on the same split.
"""

from __future__ import annotations

from sklearn.ensemble import RandomForestClassifier
from sklearn.neighbors import KNeighborsClassifier

from greentactics.experiments.datasets import Split, digits_split
from greentactics.experiments.experiment import Arm, Experiment, Setup


def prepare(setup: Setup) -> Split:
    """Digits with shifted copies (the full run) or a small plain split (``--quick``)."""
    return digits_split(augment=not setup.quick, train_limit=400 if setup.quick else None)


def train_random_forest(data: Split) -> float:
    """Fit a 150-tree random forest on one core; return test accuracy."""
    model = RandomForestClassifier(n_estimators=150, n_jobs=1, random_state=0)
    model.fit(data.x_train, data.y_train)
    return float(model.score(data.x_test, data.y_test))


def train_nearest_neighbours(data: Split) -> float:
    """Index the training set for 5-nearest-neighbour voting; return test accuracy."""
    model = KNeighborsClassifier(n_neighbors=5)
    model.fit(data.x_train, data.y_train)
    return float(model.score(data.x_test, data.y_test))


EXPERIMENT = Experiment(
    name="lightweight_algorithm",
    tactic="choose-a-lightweight-algorithm-alternative",
    title="k-nearest neighbours instead of a 150-tree random forest",
    quality_metric="accuracy",
    prepare=prepare,
    baseline=Arm("random forest (150 trees)", train_random_forest),
    candidate=Arm("5-nearest neighbours", train_nearest_neighbours),
)
