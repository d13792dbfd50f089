"""Dotted names of expressions and what the file's imports make of them.

``import torch.nn.functional as F`` makes ``F.cross_entropy`` the qualified name
``torch.nn.functional.cross_entropy``; a local variable such as ``model.eval`` keeps only its
written form. Rules match qualified names when the root is imported and written names otherwise.
"""

from __future__ import annotations

from collections.abc import Iterable

import libcst as cst

from greentactics.lint.analysis import dotted

__all__ = ["ImportMap", "dotted", "last_name", "matches"]


def last_name(expr: cst.BaseExpression) -> str | None:
    """The last identifier of a Name/Attribute (``b`` for ``a.b``, ``a`` for ``a``)."""
    if isinstance(expr, cst.Name):
        return expr.value
    if isinstance(expr, cst.Attribute):
        return expr.attr.value
    return None


class ImportMap:
    """Local names bound by import statements, mapped to the dotted names they stand for."""

    def __init__(self) -> None:
        self._aliases: dict[str, str] = {}
        self.modules: set[str] = set()

    def add_import(self, node: cst.Import) -> None:
        """Record ``import a.b`` (binds ``a``) and ``import a.b as c`` (binds ``c``)."""
        for alias in node.names:
            full = dotted(alias.name)
            if full is None:
                continue
            self.modules.add(full)
            if alias.asname is not None and isinstance(alias.asname.name, cst.Name):
                self._aliases[alias.asname.name.value] = full
            else:
                root = full.split(".")[0]
                self._aliases.setdefault(root, root)

    def add_import_from(self, node: cst.ImportFrom) -> None:
        """Record ``from a import b as c`` (binds ``c`` to ``a.b``)."""
        if node.module is None or node.relative:
            module = "." + (dotted(node.module) or "") if node.module is not None else "."
        else:
            module = dotted(node.module) or ""
        self.modules.add(module)
        if isinstance(node.names, cst.ImportStar):
            return
        for alias in node.names:
            name = dotted(alias.name)
            if name is None:
                continue
            bound = name
            if alias.asname is not None and isinstance(alias.asname.name, cst.Name):
                bound = alias.asname.name.value
            self._aliases[bound] = f"{module}.{name}"

    def qualify(self, written: str | None) -> str | None:
        """The qualified form of a written dotted name, or None if its root is not imported."""
        if written is None:
            return None
        root, _, rest = written.partition(".")
        target = self._aliases.get(root)
        if target is None:
            return None
        return f"{target}.{rest}" if rest else target

    def imports_any(self, prefixes: Iterable[str]) -> bool:
        """Whether any imported module starts with one of the prefixes (``torch``, ``keras``)."""
        wanted = tuple(prefixes)
        return any(
            module == prefix or module.startswith(prefix + ".")
            for module in self.modules
            for prefix in wanted
        )

    def bound_names(self) -> dict[str, str]:
        """A copy of the local-name-to-dotted-name map."""
        return dict(self._aliases)


def matches(name: str | None, suffixes: Iterable[str]) -> bool:
    """Whether a dotted name equals or ends with one of the dotted suffixes (``.no_grad``)."""
    if name is None:
        return False
    return any(name == suffix or name.endswith("." + suffix) for suffix in suffixes)
