"""Use built-in library functions: vectorised NumPy instead of Python loops.

The task is 1-nearest-neighbour classification, written twice. Baseline: plain Python loops
over queries, training rows and pixels. Candidate: the same arithmetic as one matrix product
in NumPy (``|a - b|^2 = |a|^2 - 2 a.b + |b|^2``) and an ``argmin``. Both find the same
neighbours, so accuracy is the same; only the work per result differs.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from greentactics.experiments.datasets import FloatArray, IntArray, digits_split
from greentactics.experiments.experiment import Arm, Experiment, Setup


@dataclass(frozen=True)
class Workload:
    """Labelled reference images and the query images to classify."""

    references: FloatArray
    labels: IntArray
    queries: FloatArray
    truth: IntArray


def prepare(setup: Setup) -> Workload:
    """Use the plain training split as references and some test images as queries."""
    data = digits_split(seed=setup.seed)
    queries = 10 if setup.quick else 400
    return Workload(data.x_train, data.y_train, data.x_test[:queries], data.y_test[:queries])


def classify_with_python_loops(work: Workload) -> float:
    """For each query, loop over every reference and every pixel; return accuracy."""
    references = work.references.tolist()
    correct = 0
    for query, truth in zip(work.queries.tolist(), work.truth.tolist(), strict=True):
        best_distance, best_index = float("inf"), -1
        for index, reference in enumerate(references):
            distance = 0.0
            for a, b in zip(query, reference, strict=True):
                distance += (a - b) ** 2
            if distance < best_distance:
                best_distance, best_index = distance, index
        correct += int(work.labels[best_index] == truth)
    return correct / len(work.queries)


def classify_vectorised(work: Workload) -> float:
    """All query-reference distances as one matrix expression, then argmin; return accuracy."""
    distances = (
        (work.queries**2).sum(axis=1)[:, None]
        - 2.0 * work.queries @ work.references.T
        + (work.references**2).sum(axis=1)[None, :]
    )
    predicted = work.labels[np.argmin(distances, axis=1)]
    return float(np.mean(predicted == work.truth))


EXPERIMENT = Experiment(
    name="vectorised_builtins",
    tactic="use-built-in-library-functions",
    title="1-nearest-neighbour search as a NumPy matrix product instead of Python loops",
    quality_metric="accuracy",
    prepare=prepare,
    baseline=Arm("Python loops", classify_with_python_loops),
    candidate=Arm("vectorised NumPy", classify_vectorised),
)
