"""Load scikit-learn's bundled digits as PyTorch datasets (no download)."""

from __future__ import annotations

import numpy as np
import torch
from sklearn.datasets import load_digits
from sklearn.model_selection import train_test_split
from torch.utils.data import DataLoader, TensorDataset


def load_splits(seed: int = 0) -> tuple[TensorDataset, TensorDataset]:
    """Train and validation splits of the digits, scaled to [0, 1] as float32 tensors."""
    digits = load_digits()
    features = (digits.data / 16.0).astype(np.float32)
    x_train, x_val, y_train, y_val = train_test_split(
        features, digits.target, test_size=0.25, random_state=seed, stratify=digits.target
    )
    train = TensorDataset(torch.from_numpy(x_train), torch.from_numpy(y_train))
    val = TensorDataset(torch.from_numpy(x_val), torch.from_numpy(y_val))
    return train, val


def make_loaders(batch_size: int = 64) -> tuple[DataLoader, DataLoader]:
    """Loaders for training and validation."""
    train, val = load_splits()
    train_loader = DataLoader(train, batch_size=batch_size, shuffle=True)
    val_loader = DataLoader(val, batch_size=256)
    return train_loader, val_loader
