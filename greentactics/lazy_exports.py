"""Package attributes that import their module on first use (PEP 562).

Commands such as ``greentactics lint`` import a package's ``commands`` module, which runs the
package's ``__init__``; lazy exports keep pydantic, CodeCarbon and numpy out of that start-up.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable, Mapping, Sequence
from typing import Any


def lazy_exports(
    package: str, sources: Mapping[str, str], public: Sequence[str]
) -> tuple[Callable[[str], Any], Callable[[], list[str]]]:
    """A module ``__getattr__`` and ``__dir__`` that load each name from its source module."""

    def __getattr__(name: str) -> Any:
        module = sources.get(name)
        if module is None:
            raise AttributeError(f"module {package!r} has no attribute {name!r}")
        return getattr(importlib.import_module(module), name)

    def __dir__() -> list[str]:
        return sorted({*sources, *public})

    return __getattr__, __dir__
