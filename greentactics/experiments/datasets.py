"""The data every experiment uses: scikit-learn's bundled digits, so nothing is downloaded.

The digits set is small (1,797 8x8 images), so for full-size runs the training images are
augmented with one-pixel shifts, the classic way to enlarge an image set; the test images are
never shifted.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from numpy.typing import NDArray
from sklearn.datasets import load_digits
from sklearn.model_selection import train_test_split

FloatArray = NDArray[np.float64]
IntArray = NDArray[np.int64]


@dataclass(frozen=True)
class Split:
    """A train/test split of images flattened to 64 features scaled to [0, 1]."""

    x_train: FloatArray
    y_train: IntArray
    x_test: FloatArray
    y_test: IntArray


def shifted_images(x: FloatArray, radius: int = 1) -> FloatArray:
    """Return ``x`` plus every copy of its 8x8 images shifted by up to ``radius`` pixels."""
    images = x.reshape(-1, 8, 8)
    copies = []
    for dy in range(-radius, radius + 1):
        for dx in range(-radius, radius + 1):
            shifted = np.roll(np.roll(images, dy, axis=1), dx, axis=2)
            copies.append(shifted.reshape(-1, 64))
    return np.concatenate(copies)


def digits_split(*, augment: bool = False, train_limit: int | None = None, seed: int = 0) -> Split:
    """Split the digits 75/25 (stratified); optionally augment and then cap the training part."""
    x, y = load_digits(return_X_y=True)
    x_train, x_test, y_train, y_test = train_test_split(
        x / 16.0, y, test_size=0.25, stratify=y, random_state=seed
    )
    if augment:
        copies = len(shifted_images(x_train[:1]))
        x_train = shifted_images(x_train)
        y_train = np.tile(y_train, copies)
    if train_limit is not None and train_limit < len(x_train):
        order = np.random.default_rng(seed).permutation(len(x_train))[:train_limit]
        x_train, y_train = x_train[order], y_train[order]
    return Split(
        x_train=np.ascontiguousarray(x_train, dtype=np.float64),
        y_train=np.asarray(y_train, dtype=np.int64),
        x_test=np.ascontiguousarray(x_test, dtype=np.float64),
        y_test=np.asarray(y_test, dtype=np.int64),
    )
