"""Human-readable labels for the catalog's controlled vocabularies."""

from __future__ import annotations

from enum import Enum

# Words whose capitalisation a plain "first letter upper" rule gets wrong.
_SPECIAL = {
    "ml": "ML",
    "pytorch": "PyTorch",
    "keras": "Keras",
    "scikit-learn": "scikit-learn",
    "hugging-face": "Hugging Face",
    "ml-model": "ML model",
    "ml-algorithm": "ML algorithm",
    "ml-engineer": "ML engineer",
}


def label(value: Enum | str) -> str:
    """The label of a vocabulary value: ``"ml-engineer"`` -> ``"ML engineer"``."""
    text = value.value if isinstance(value, Enum) else value
    if text in _SPECIAL:
        return _SPECIAL[text]
    words = [_SPECIAL.get(word, word) for word in text.split("-")]
    first = words[0]
    if first == first.lower():
        first = first[:1].upper() + first[1:]
    return " ".join([first, *words[1:]])
