"""pandoc's grid tables, which MyST does not read: kept as reStructuredText's, whose syntax
they share (an ``eval-rst`` block), so that they stay tables rather than text.

A grid table starts a block with a border line (``+---+---+``), its rows start with
``|`` or ``+``, and it ends with a border line. Its cells are then read as
reStructuredText, not Markdown: migrate says so where it does it.
"""

from __future__ import annotations

import re

from .divs import DIV_CLOSE, DIV_OPEN

BORDER = re.compile(r"^(?P<indent>[ ]{0,3})\+(?:[-=:]+\+)+[ \t]*$")
NOTE = ("a grid table, which MyST does not read: kept as a reStructuredText grid table "
        "(its cells are read as reStructuredText)")


def grid_tables(lines: list[str], start: int, literal: set[int]) -> list[tuple[int, int]]:
    """(first, last) line indexes of each grid table of ``lines`` from ``start``."""
    tables = []
    index = start
    while index < len(lines):
        first = index
        index += 1
        if first in literal or not BORDER.match(lines[first]):
            continue
        before = lines[first - 1] if first > start else ""
        if before.strip() and not DIV_OPEN.match(before) and not DIV_CLOSE.match(before):
            continue  # within a paragraph: text for pandoc too
        end = first + 1
        while end < len(lines) and lines[end].strip() and lines[end].lstrip()[:1] in "|+":
            end += 1
        last = end - 1
        if last > first and BORDER.match(lines[last]) and not literal & set(range(first, end)):
            tables.append((first, last))
            index = end
    return tables


def fenced(lines: list[str], first: int, last: int) -> dict[int, list[str]]:
    """The replacements that put the table from ``first`` to ``last`` in an ``eval-rst`` block."""
    indent = BORDER.match(lines[first]).group("indent")  # type: ignore[union-attr]
    return {first: [f"{indent}```{{eval-rst}}", lines[first]], last: [lines[last], f"{indent}```"]}
