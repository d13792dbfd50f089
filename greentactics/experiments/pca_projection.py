"""Use data projection: classify in a 16-dimensional PCA space instead of 64 raw pixels.

Baseline: a k-nearest-neighbours classifier with a k-d tree on the 64 raw features. Nearest
neighbour search degrades towards brute force as dimensions grow. Candidate: PCA projects the
data to 16 components (fitted inside the measured arm), where the tree prunes well.
"""

from __future__ import annotations

from dataclasses import replace

import numpy as np
from sklearn.decomposition import PCA
from sklearn.neighbors import KNeighborsClassifier
from sklearn.pipeline import make_pipeline

from greentactics.experiments.datasets import Split, digits_split, shifted_images
from greentactics.experiments.experiment import Arm, Experiment, Setup

COMPONENTS = 16


def prepare(setup: Setup) -> Split:
    """Shifted copies of both training and test images: many queries against a large index."""
    data = digits_split(augment=True, train_limit=400 if setup.quick else None)
    if setup.quick:
        return data
    copies = len(shifted_images(data.x_test[:1]))
    return replace(data, x_test=shifted_images(data.x_test), y_test=np.tile(data.y_test, copies))


def classify_raw_pixels(data: Split) -> float:
    """k-NN on all 64 features; return test accuracy."""
    model = KNeighborsClassifier(n_neighbors=5, algorithm="kd_tree")
    model.fit(data.x_train, data.y_train)
    return float(model.score(data.x_test, data.y_test))


def classify_projected(data: Split) -> float:
    """Project to the leading principal components, then k-NN; return test accuracy."""
    model = make_pipeline(
        PCA(n_components=COMPONENTS, random_state=0),
        KNeighborsClassifier(n_neighbors=5, algorithm="kd_tree"),
    )
    model.fit(data.x_train, data.y_train)
    return float(model.score(data.x_test, data.y_test))


EXPERIMENT = Experiment(
    name="pca_projection",
    tactic="use-data-projection",
    title="k-NN on 16 PCA components instead of 64 raw features",
    quality_metric="accuracy",
    prepare=prepare,
    baseline=Arm("64 raw features", classify_raw_pixels),
    candidate=Arm("16 PCA components", classify_projected),
)
