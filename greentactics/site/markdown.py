"""Small builders for the Markdown the pages are made of."""

from __future__ import annotations

from collections.abc import Iterable, Sequence


def cell(text: str) -> str:
    """Text made safe for one cell of a Markdown table."""
    return " ".join(text.split()).replace("|", "\\|")


def table(header: Sequence[str], rows: Iterable[Sequence[str]]) -> str:
    """A Markdown table; cells are escaped, so pass plain text or inline Markdown."""
    lines = [
        "| " + " | ".join(cell(h) for h in header) + " |",
        "|" + "|".join("---" for _ in header) + "|",
    ]
    lines.extend("| " + " | ".join(cell(c) for c in row) + " |" for row in rows)
    return "\n".join(lines)


def code_block(code: str, language: str = "python", indent: int = 0) -> str:
    """A fenced code block whose fence is longer than any backtick run inside the code."""
    fence = "`" * max(3, _longest_backtick_run(code) + 1)
    body = code.rstrip("\n")
    block = f"{fence}{language}\n{body}\n{fence}"
    return _indent(block, indent)


def tab(title: str, body: str) -> str:
    """One content tab (pymdownx.tabbed); consecutive tabs form one tab group."""
    return f'=== "{title}"\n\n' + _indent(body, 4)


def admonition(kind: str, title: str, body: str, collapsible: bool = False) -> str:
    """An admonition, or a collapsible ``???+`` block (open at first) when ``collapsible``."""
    marker = "???+" if collapsible else "!!!"
    return f'{marker} {kind} "{title}"\n\n' + _indent(body, 4)


def front_matter(tags: Sequence[str]) -> str:
    """A YAML front-matter block carrying Material tags (plain words, so no quoting needed)."""
    if not tags:
        return ""
    lines = ["---", "tags:", *(f"  - {tag}" for tag in tags), "---", ""]
    return "\n".join(lines) + "\n"


def _indent(text: str, spaces: int) -> str:
    if spaces == 0:
        return text
    pad = " " * spaces
    return "\n".join(pad + line if line.strip() else "" for line in text.split("\n"))


def _longest_backtick_run(text: str) -> int:
    longest = current = 0
    for char in text:
        current = current + 1 if char == "`" else 0
        longest = max(longest, current)
    return longest
