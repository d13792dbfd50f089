"""A small multilayer perceptron for 8x8 digit images."""

from __future__ import annotations

from torch import nn


class DigitsMLP(nn.Module):
    """Two hidden layers; enough for about 97% accuracy on the digits."""

    def __init__(self, hidden: int = 128) -> None:
        super().__init__()
        self.layers = nn.Sequential(
            nn.Linear(64, hidden),
            nn.ReLU(),
            nn.Linear(hidden, hidden),
            nn.ReLU(),
            nn.Linear(hidden, 10),
        )

    def forward(self, x):
        return self.layers(x)
