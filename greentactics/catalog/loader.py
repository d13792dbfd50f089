"""Load the catalog from YAML, reporting every problem at once as ``file:line:col: field: message``.

YAML is composed with PyYAML's safe loader into nodes first, so each value keeps the line and
column it came from; pydantic's error locations are then mapped back onto those positions.
"""

from __future__ import annotations

import importlib.resources
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, TypeVar

import yaml
from pydantic import BaseModel, ValidationError

from greentactics.catalog.catalog import Catalog
from greentactics.catalog.model import CategoryInfo, Origin, Source, Tactic
from greentactics.errors import GreentacticsError

PAPER_TACTIC_COUNT = 30
CATEGORIES_FILE = "categories.yaml"
SOURCES_FILE = "sources.yaml"
TACTICS_DIR = "tactics"
# Files a catalog folder may hold besides the data itself.
ALLOWED_EXTRA_FILES = frozenset({"README.md"})

Location = tuple[int, int]
FieldPath = tuple[str | int, ...]
ModelT = TypeVar("ModelT", bound=BaseModel)


@dataclass(frozen=True, order=True)
class Problem:
    """One thing wrong with the catalog, pinned to a file, line and column."""

    path: str
    line: int
    column: int
    field: str
    message: str

    def __str__(self) -> str:
        where = f"{self.path}:{self.line}:{self.column}"
        return (
            f"{where}: {self.field}: {self.message}" if self.field else f"{where}: {self.message}"
        )


class CatalogError(GreentacticsError):
    """The catalog on disk is invalid; carries every problem found."""

    exit_code = 1

    def __init__(self, problems: Sequence[Problem]) -> None:
        self.problems = sorted(problems)
        count = len(self.problems)
        lines = "\n".join(str(problem) for problem in self.problems)
        super().__init__(f"invalid catalog ({count} problem{'s' if count != 1 else ''}):\n{lines}")


@dataclass
class YamlDocument:
    """A parsed YAML file: its data and the position of every field path in it."""

    path: Path
    display: str
    data: Any
    positions: dict[FieldPath, Location] = field(default_factory=dict)

    def locate(self, path: Sequence[str | int]) -> Location:
        """The position of the longest prefix of ``path`` that exists in the file."""
        for end in range(len(path), -1, -1):
            found = self.positions.get(tuple(path[:end]))
            if found is not None:
                return found
        return (1, 1)

    def problem(
        self, path: Sequence[str | int], message: str, at: Location | None = None
    ) -> Problem:
        """A problem with the field at ``path``, reported where it is (or at ``at``)."""
        line, column = at or self.locate(path)
        dotted = ".".join(str(part) for part in path)
        return Problem(self.display, line, column, dotted, message)


def default_catalog_dir() -> Path:
    """The shipped catalog: inside the installed wheel, or the repository's ``catalog/``."""
    packaged = Path(str(importlib.resources.files("greentactics"))) / "_catalog"
    if packaged.is_dir():
        return packaged
    return Path(__file__).resolve().parents[2] / "catalog"


def load_catalog(path: str | Path | None = None) -> Catalog:
    """Load and validate a catalog folder; raise :class:`CatalogError` listing every problem."""
    root = Path(path) if path is not None else default_catalog_dir()
    if not root.is_dir():
        raise CatalogError([Problem(str(root), 1, 1, "", "catalog folder not found")])
    problems: list[Problem] = []
    _check_folder_contents(root, problems)
    categories = _load_list(root / CATEGORIES_FILE, root, CategoryInfo, problems)
    sources = _load_list(root / SOURCES_FILE, root, Source, problems)
    tactics: list[tuple[YamlDocument, Tactic]] = []
    for tactic_file in _tactic_files(root):
        document = _parse(tactic_file, root, problems)
        if document is None:
            continue
        tactic = _validate(document, (), document.data, Tactic, problems)
        if tactic is not None:
            tactics.append((document, tactic))
    _check_cross_references(categories, sources, tactics, problems)
    if problems:
        raise CatalogError(problems)
    return Catalog(
        tactics=tuple(sorted((tactic for _, tactic in tactics), key=lambda t: t.id)),
        categories=tuple(category for _, category in categories),
        sources=tuple(source for _, source in sources),
        root=root,
    )


def _display(path: Path, root: Path) -> str:
    try:
        return str(Path(root.name) / path.relative_to(root))
    except ValueError:
        return str(path)


def _check_folder_contents(root: Path, problems: list[Problem]) -> None:
    expected = {CATEGORIES_FILE, SOURCES_FILE, TACTICS_DIR} | ALLOWED_EXTRA_FILES
    for entry in sorted(root.iterdir()):
        if entry.name.startswith("."):
            continue
        if entry.name not in expected:
            message = (
                f"unexpected {'folder' if entry.is_dir() else 'file'}; a catalog folder holds "
                f"{CATEGORIES_FILE}, {SOURCES_FILE} and {TACTICS_DIR}/"
            )
            problems.append(Problem(_display(entry, root), 1, 1, "", message))
    for required in (CATEGORIES_FILE, SOURCES_FILE):
        if not (root / required).is_file():
            problems.append(Problem(_display(root / required, root), 1, 1, "", "file is missing"))
    tactics_dir = root / TACTICS_DIR
    if not tactics_dir.is_dir():
        problems.append(Problem(_display(tactics_dir, root), 1, 1, "", "folder is missing"))
        return
    for entry in sorted(tactics_dir.iterdir()):
        if entry.name.startswith("."):
            continue
        if entry.suffix != ".yaml" or not entry.is_file():
            message = f"not a tactic file; {TACTICS_DIR}/ holds only <slug>.yaml files"
            problems.append(Problem(_display(entry, root), 1, 1, "", message))


def _tactic_files(root: Path) -> Iterator[Path]:
    tactics_dir = root / TACTICS_DIR
    if tactics_dir.is_dir():
        yield from sorted(
            p for p in tactics_dir.glob("*.yaml") if p.is_file() and not p.name.startswith(".")
        )


def _parse(path: Path, root: Path, problems: list[Problem]) -> YamlDocument | None:
    display = _display(path, root)
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as error:
        problems.append(Problem(display, 1, 1, "", f"cannot read file: {error}"))
        return None
    loader = yaml.SafeLoader(text)
    try:
        node = loader.get_single_node()
        if node is None:
            problems.append(Problem(display, 1, 1, "", "file is empty"))
            return None
        document = YamlDocument(path, display, loader.construct_document(node))
        _record_positions(node, (), document, problems)
        return document
    except yaml.MarkedYAMLError as error:
        mark = error.problem_mark or error.context_mark
        line, column = (mark.line + 1, mark.column + 1) if mark else (1, 1)
        reason = error.problem or error.context or "invalid YAML"
        problems.append(Problem(display, line, column, "", f"malformed YAML: {reason}"))
        return None
    except yaml.YAMLError as error:
        problems.append(Problem(display, 1, 1, "", f"malformed YAML: {error}"))
        return None
    finally:
        loader.dispose()


def _record_positions(
    node: yaml.Node, path: FieldPath, document: YamlDocument, problems: list[Problem]
) -> None:
    document.positions.setdefault(path, (node.start_mark.line + 1, node.start_mark.column + 1))
    if isinstance(node, yaml.MappingNode):
        seen: set[str] = set()
        for key_node, value_node in node.value:
            key = str(key_node.value)
            child = (*path, key)
            key_position = (key_node.start_mark.line + 1, key_node.start_mark.column + 1)
            if key in seen:
                message = "duplicate key; the later value would win"
                problems.append(document.problem(child, message, at=key_position))
                continue
            seen.add(key)
            # Point a field at its key, where a reader looks for it.
            document.positions[child] = key_position
            _record_positions(value_node, child, document, problems)
    elif isinstance(node, yaml.SequenceNode):
        for index, item in enumerate(node.value):
            _record_positions(item, (*path, index), document, problems)


def _validate(
    document: YamlDocument,
    base: FieldPath,
    data: Any,
    model: type[ModelT],
    problems: list[Problem],
) -> ModelT | None:
    try:
        return model.model_validate(data)
    except ValidationError as error:
        for detail in error.errors(include_url=False):
            location = (*base, *detail["loc"])
            message = detail["msg"]
            if detail["type"] == "literal_error" or detail["type"] == "enum":
                message = f"{message} (got {detail.get('input')!r})"
            problems.append(document.problem(location, message))
        return None


def _load_list(
    path: Path, root: Path, model: type[ModelT], problems: list[Problem]
) -> list[tuple[YamlDocument, ModelT]]:
    if not path.is_file():
        return []
    document = _parse(path, root, problems)
    if document is None:
        return []
    if not isinstance(document.data, list):
        problems.append(document.problem((), f"expected a list of {model.__name__} records"))
        return []
    records = []
    keyed: list[tuple[YamlDocument, FieldPath, str]] = []
    for index, item in enumerate(document.data):
        record = _validate(document, (index,), item, model, problems)
        if record is not None:
            records.append((document, record))
            record_id = _text(getattr(record, "id"))  # noqa: B009  (generic over models with an id)
            keyed.append((document, (index, "id"), record_id))
    _check_unique(keyed, "id", problems)
    return records


def _text(value: Any) -> str:
    return str(getattr(value, "value", value))


def _check_unique(
    entries: Sequence[tuple[YamlDocument, FieldPath, str]], name: str, problems: list[Problem]
) -> None:
    first_seen: dict[str, str] = {}
    for document, location, value in entries:
        if value in first_seen:
            message = f"duplicate {name} {value!r}; already used in {first_seen[value]}"
            problems.append(document.problem(location, message))
        else:
            line, _ = document.locate(location)
            first_seen[value] = f"{document.display}:{line}"


def _check_cross_references(
    categories: list[tuple[YamlDocument, CategoryInfo]],
    sources: list[tuple[YamlDocument, Source]],
    tactics: list[tuple[YamlDocument, Tactic]],
    problems: list[Problem],
) -> None:
    for attribute in ("id", "slug"):
        keyed = [(doc, (attribute,), getattr(t, attribute)) for doc, t in tactics]
        _check_unique(keyed, attribute, problems)
    source_ids = {source.id for _, source in sources}
    tactic_ids = {tactic.id for _, tactic in tactics}
    stated = {(t.id, r.kind, r.target) for _, t in tactics for r in t.relationships}
    for document, tactic in tactics:
        if document.path.stem != tactic.slug:
            problems.append(
                document.problem(
                    ("slug",), f"file name must be the slug: rename the file to {tactic.slug}.yaml"
                )
            )
        for index, source_id in enumerate(tactic.sources):
            if source_id not in source_ids:
                problems.append(
                    document.problem(
                        ("sources", index),
                        f"unknown source {source_id!r}; add it to {SOURCES_FILE}",
                    )
                )
        for index, impact in enumerate(tactic.measured_impact):
            if impact.source not in source_ids:
                problems.append(
                    document.problem(
                        ("measured_impact", index, "source"),
                        f"unknown source {impact.source!r}; add it to {SOURCES_FILE}",
                    )
                )
            elif impact.source not in tactic.sources:
                problems.append(
                    document.problem(
                        ("measured_impact", index, "source"),
                        f"source {impact.source!r} is not listed in this tactic's sources",
                    )
                )
        for index, relation in enumerate(tactic.relationships):
            where = ("relationships", index, "target")
            if relation.target == tactic.id:
                problems.append(document.problem(where, "a tactic cannot relate to itself"))
            elif relation.target not in tactic_ids:
                problems.append(document.problem(where, f"unknown tactic {relation.target!r}"))
            elif relation.kind.symmetric and (relation.target, relation.kind, tactic.id) not in (
                stated
            ):
                problems.append(
                    document.problem(
                        ("relationships", index, "kind"),
                        f"{relation.kind.value} is symmetric: {relation.target} must state "
                        f"'{relation.kind.value} {tactic.id}' too",
                    )
                )
        if tactic.replaced_by is not None and tactic.replaced_by not in tactic_ids:
            problems.append(
                document.problem(("replaced_by",), f"unknown tactic {tactic.replaced_by!r}")
            )
    _check_categories(categories, tactics, problems)
    paper_count = sum(1 for _, tactic in tactics if tactic.origin is Origin.PAPER)
    if tactics and paper_count != PAPER_TACTIC_COUNT:
        problems.append(
            Problem(
                str(Path(tactics[0][0].display).parent),
                1,
                1,
                "origin",
                f"the paper has exactly {PAPER_TACTIC_COUNT} tactics; found {paper_count} "
                "with origin: paper",
            )
        )


def _check_categories(
    categories: list[tuple[YamlDocument, CategoryInfo]],
    tactics: list[tuple[YamlDocument, Tactic]],
    problems: list[Problem],
) -> None:
    if not categories:
        return
    document = categories[0][0]
    declared = {category.id for _, category in categories}
    for _, tactic in tactics:
        if tactic.category not in declared:
            problems.append(
                document.problem(
                    (), f"category {tactic.category.value!r} (used by {tactic.id}) is not declared"
                )
            )
