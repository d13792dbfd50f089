"""Train the digits MLP for a fixed number of epochs and save a checkpoint."""

from __future__ import annotations

import argparse
from pathlib import Path

import torch
from data import make_loaders
from model import DigitsMLP
from torch import nn


def evaluate(model: nn.Module, loader) -> float:
    """Accuracy of ``model`` on ``loader``."""
    model.eval()
    correct = 0
    total = 0
    for inputs, targets in loader:
        predictions = model(inputs).argmax(dim=1)
        correct += (predictions == targets).sum().item()
        total += len(targets)
    return correct / total


def train(epochs: int, checkpoint: Path) -> float:
    """Train, validate after every epoch, and save the final weights."""
    torch.manual_seed(0)
    train_loader, val_loader = make_loaders()
    model = DigitsMLP()
    optimizer = torch.optim.Adam(model.parameters(), lr=1e-3)
    loss_fn = nn.CrossEntropyLoss()
    accuracy = 0.0
    for epoch in range(epochs):
        model.train()
        epoch_loss = 0
        for inputs, targets in train_loader:
            optimizer.zero_grad()
            loss = loss_fn(model(inputs), targets)
            loss.backward()
            optimizer.step()
            epoch_loss += loss
        accuracy = evaluate(model, val_loader)
        print(f"epoch {epoch + 1}: loss {float(epoch_loss):.3f}, val accuracy {accuracy:.3f}")
    checkpoint.parent.mkdir(parents=True, exist_ok=True)
    torch.save(model.state_dict(), checkpoint)
    return accuracy


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--epochs", type=int, default=20)
    parser.add_argument("--checkpoint", type=Path, default=Path("build/digits-mlp.pt"))
    args = parser.parse_args()
    accuracy = train(args.epochs, args.checkpoint)
    print(f"final validation accuracy: {accuracy:.3f}; weights in {args.checkpoint}")


if __name__ == "__main__":
    main()
