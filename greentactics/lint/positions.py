"""Source positions of nodes, computed lazily and only when a file has something to report.

libcst's ``PositionProvider`` tracks line and column through every token of the file; on our
corpus that costs about twice the parse. We only need positions of the few nodes that are
reported, so one plain code generation pass records, for every node, the *index* of the token
where it starts and ends (cheap integers), and only the nodes asked for are turned into
line/column pairs.
"""

from __future__ import annotations

import bisect
import itertools
import re
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass

import libcst as cst
from libcst._nodes.internal import CodegenState


@dataclass(frozen=True)
class Span:
    """A node's extent: 1-based lines, 0-based columns, end column exclusive (as in libcst)."""

    line: int
    column: int
    end_line: int
    end_column: int


_NEWLINE = re.compile("\n")

_TokenRange = tuple[int, int, "cst.CSTNode | None", "cst.CSTNode | None"]


class _TokenIndexState(CodegenState):
    """Code generation that remembers the token indices of each node's syntactic extent."""

    def __init__(self, default_indent: str, default_newline: str) -> None:
        super().__init__(default_indent=default_indent, default_newline=default_newline)
        self.ranges: dict[cst.CSTNode, _TokenRange] = {}

    @contextmanager
    def record_syntactic_position(
        self,
        node: cst.CSTNode,
        *,
        start_node: cst.CSTNode | None = None,
        end_node: cst.CSTNode | None = None,
    ) -> Iterator[None]:
        start = len(self.tokens)
        try:
            yield
        finally:
            self.ranges[node] = (start, len(self.tokens), start_node, end_node)


class PositionIndex:
    """Maps nodes of one module to :class:`Span` objects; built on first use."""

    def __init__(self, module: cst.Module) -> None:
        state = _TokenIndexState(module.default_indent, module.default_newline)
        module._codegen(state)
        self._ranges = state.ranges
        # Offsets of each token's end, so token index i starts at offsets[i - 1].
        self._offsets = [0, *itertools.accumulate(len(token) for token in state.tokens)]
        text = "".join(state.tokens)
        self._line_starts = [0, *(match.end() for match in _NEWLINE.finditer(text))]

    def span(self, node: cst.CSTNode) -> Span | None:
        """The span of ``node``, or None for nodes without a syntactic position."""
        bounds = self._token_bounds(node)
        if bounds is None:
            return None
        start_line, start_col = self._line_col(self._offsets[bounds[0]])
        end_line, end_col = self._line_col(self._offsets[bounds[1]])
        return Span(start_line, start_col, end_line, end_col)

    def _token_bounds(self, node: cst.CSTNode) -> tuple[int, int] | None:
        entry = self._ranges.get(node)
        if entry is None:
            return None
        start, end, start_node, end_node = entry
        if start_node is not None:
            hoisted = self._token_bounds(start_node)
            start = hoisted[0] if hoisted else start
        if end_node is not None:
            hoisted = self._token_bounds(end_node)
            end = hoisted[1] if hoisted else end
        return start, end

    def _line_col(self, offset: int) -> tuple[int, int]:
        line_index = bisect.bisect_right(self._line_starts, offset) - 1
        return line_index + 1, offset - self._line_starts[line_index]
