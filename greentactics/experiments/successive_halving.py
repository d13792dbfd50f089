"""Apply sampling techniques to hyperparameter search: successive halving instead of a full grid.

Baseline: ``GridSearchCV`` fits every one of 20 SVM settings on the full data in 3-fold
cross-validation. Candidate: ``HalvingGridSearchCV`` tries all 20 settings on a small sample,
keeps the best third, and triples the sample for the survivors until one setting is left.
Both refit the winner on all the data and are scored on the same test set.
"""

from __future__ import annotations

from sklearn.experimental import enable_halving_search_cv  # noqa: F401  (enables the import below)
from sklearn.model_selection import GridSearchCV, HalvingGridSearchCV
from sklearn.svm import SVC

from greentactics.experiments.datasets import Split, digits_split
from greentactics.experiments.experiment import Arm, Experiment, Setup

GRID = {"C": [0.1, 1.0, 10.0, 100.0], "gamma": [0.003, 0.01, 0.03, 0.1, 0.3]}


def prepare(setup: Setup) -> Split:
    """A 1,500-row sample of the shifted digits (the full run) or 300 plain rows (``--quick``)."""
    return digits_split(augment=not setup.quick, train_limit=300 if setup.quick else 1500)


def exhaustive_grid_search(data: Split) -> float:
    """Cross-validate every setting on all rows; return the winner's test accuracy."""
    search = GridSearchCV(SVC(), GRID, cv=3, n_jobs=1).fit(data.x_train, data.y_train)
    return float(search.score(data.x_test, data.y_test))


def successive_halving_search(data: Split) -> float:
    """Race the settings on growing samples; return the winner's test accuracy."""
    search = HalvingGridSearchCV(SVC(), GRID, cv=3, factor=3, random_state=0, n_jobs=1)
    search.fit(data.x_train, data.y_train)
    return float(search.score(data.x_test, data.y_test))


EXPERIMENT = Experiment(
    name="successive_halving",
    tactic="apply-sampling-techniques",
    title="Successive halving instead of an exhaustive grid search (20 SVM settings)",
    quality_metric="accuracy",
    prepare=prepare,
    baseline=Arm("exhaustive grid search", exhaustive_grid_search),
    candidate=Arm("successive halving", successive_halving_search),
)
