"""Turning file bytes into the Python text that is parsed: decoding, notebooks, pre-checks.

Every failure here is a :class:`SourceError` with a one-line message; the engine reports it as
a diagnostic for that file and goes on.
"""

from __future__ import annotations

import ast
import bisect
import io
import json
import re
import sys
import tokenize
from dataclasses import dataclass

# A magic or shell line in a notebook cell (``%pip install``, ``!ls``, ``model?``): kept as a
# comment so line numbers stay right.
_MAGIC_LINE = re.compile(r"^(\s*)([%!]|\?\?|\?(?=\w)|\w[\w.]*\?\??\s*$)")


_DEFAULT_RECURSION_LIMIT = 1000


class SourceError(Exception):
    """A file cannot be turned into parseable Python; the message says why.

    ``line``/``column`` (1-based) locate the problem when known.
    """

    def __init__(self, message: str, line: int = 1, column: int = 1) -> None:
        super().__init__(message)
        self.line = line
        self.column = column


@dataclass(frozen=True)
class NotebookMap:
    """Where each code cell of a notebook starts in the joined text.

    ``starts[i]`` is the 1-based line in the joined text where ``cells[i]`` (the cell's index
    among all cells, markdown included) begins.
    """

    cells: tuple[int, ...]
    starts: tuple[int, ...]

    def locate(self, line: int) -> tuple[int, int]:
        """(cell index, 1-based line within the cell) of a line of the joined text."""
        position = max(bisect.bisect_right(self.starts, line) - 1, 0)
        return self.cells[position], line - self.starts[position] + 1


@dataclass(frozen=True)
class SourceText:
    """The text to lint and, for notebooks, how to map its lines back to cells."""

    text: str
    notebook: NotebookMap | None = None

    def lines_of(self, cell: int | None) -> list[str]:
        """The lines a finding's ``line`` counts in: a notebook cell's, else the whole text's
        (empty for a cell the text does not hold)."""
        lines = self.text.splitlines()
        notebook = self.notebook
        if notebook is None or cell is None:
            return lines
        if cell not in notebook.cells:
            return []
        position = notebook.cells.index(cell)
        start = notebook.starts[position] - 1
        end = notebook.starts[position + 1] - 1 if position + 1 < len(notebook.starts) else None
        return lines[start:end]


def decode_python(data: bytes) -> str:
    """Decode Python source bytes by its BOM/coding cookie (PEP 263), UTF-8 by default."""
    try:
        encoding, _ = tokenize.detect_encoding(io.BytesIO(data).readline)
    except SyntaxError as error:
        raise SourceError(f"cannot decode: {error}") from None
    try:
        text = data.decode(encoding)
    except (UnicodeDecodeError, LookupError) as error:
        raise SourceError(f"cannot decode as {encoding}: {error}") from None
    return text.removeprefix("\ufeff")


def notebook_to_python(data: bytes) -> SourceText:
    """Join a notebook's code cells into one Python text (magics become comments)."""
    try:
        notebook = json.loads(data)
        cells = notebook["cells"]
        if not isinstance(cells, list):
            raise TypeError("cells is not a list")
    except (ValueError, KeyError, TypeError) as error:
        raise SourceError(f"not a readable notebook: {error}") from None
    parts: list[str] = []
    cell_indices: list[int] = []
    starts: list[int] = []
    line = 1
    for index, cell in enumerate(cells):
        if not isinstance(cell, dict) or cell.get("cell_type") != "code":
            continue
        source = cell.get("source", "")
        text = "".join(source) if isinstance(source, list) else str(source)
        text = _neutralise_magics(text)
        if not text.endswith("\n"):
            text += "\n"
        cell_indices.append(index)
        starts.append(line)
        parts.append(text)
        line += text.count("\n")
    return SourceText("".join(parts), NotebookMap(tuple(cell_indices), tuple(starts)))


def _neutralise_magics(text: str) -> str:
    """Comment out IPython magics and shell lines, keeping every line where it was.

    A magic line continued with a trailing backslash takes its continuation lines with it. A
    magic that is the only statement of a block becomes ``pass  # %...`` at its indentation,
    so the block stays valid Python.
    """
    lines = text.split("\n")
    if lines and lines[0].lstrip().startswith("%%"):
        return "\n".join("# " + line for line in lines)
    kinds = _line_kinds(lines)
    out: list[str] = []
    for number, (line, kind) in enumerate(zip(lines, kinds, strict=True)):
        if kind in (_CODE, _BLANK):
            out.append(line)
            continue
        indent = line[: len(line) - len(line.lstrip())]
        if kind == _MAGIC and _alone_in_block(lines, kinds, number, len(indent)):
            out.append(f"{indent}pass  # {line.lstrip()}")
        else:
            out.append(f"{indent}# {line.lstrip()}")
    return "\n".join(out)


_CODE, _MAGIC, _CONTINUATION, _BLANK = "code", "magic", "continuation", "blank"


def _line_kinds(lines: list[str]) -> list[str]:
    """Each line's kind: code, a magic, a magic's backslash continuation, or blank/comment."""
    kinds: list[str] = []
    continued = False
    for line in lines:
        if continued:
            kinds.append(_CONTINUATION)
        elif _MAGIC_LINE.match(line):
            kinds.append(_MAGIC)
        elif not line.strip() or line.lstrip().startswith("#"):
            kinds.append(_BLANK)
        else:
            kinds.append(_CODE)
        continued = kinds[-1] in (_MAGIC, _CONTINUATION) and line.rstrip().endswith("\\")
    return kinds


def _alone_in_block(lines: list[str], kinds: list[str], number: int, indent: int) -> bool:
    """Whether the magic at ``number`` has no code statement beside it in its block: the code
    before it is less indented (the block's header) and the code after it is too (or ends)."""
    if indent == 0:
        return False

    def code_indent(numbers: range) -> int | None:
        for other in numbers:
            if kinds[other] == _CODE:
                return len(lines[other]) - len(lines[other].lstrip())
        return None

    before = code_indent(range(number - 1, -1, -1))
    after = code_indent(range(number + 1, len(lines)))
    return before is not None and before < indent and (after is None or after < indent)


def precheck_syntax(text: str, filename: str) -> SyntaxError | None:
    """Reject what libcst cannot parse safely, with CPython's own message.

    libcst's native parser crashes the process on very deep nesting and is quadratic on very
    long operator chains; CPython's parser, run under the default recursion limit, rejects
    exactly what CPython itself could not compile, quickly. Other syntax errors are returned
    (not raised): libcst gets the last word, as it also accepts syntax newer than the running
    Python, and the caller can still show CPython's clearer message.
    """
    if "\x00" in text:
        raise SourceError("source contains NUL bytes")
    limit = sys.getrecursionlimit()
    sys.setrecursionlimit(_DEFAULT_RECURSION_LIMIT)
    try:
        ast.parse(text, filename)
    except SyntaxError as error:
        if "too many nested" in str(error.msg):
            raise SourceError(str(error.msg), error.lineno or 1, error.offset or 1) from None
        return error
    except (RecursionError, MemoryError):
        raise SourceError(
            "expressions nested or chained too deeply for Python to compile"
        ) from None
    finally:
        sys.setrecursionlimit(limit)
    return None
