"""Text edits at character offsets, and offsets from ast's positions."""

from __future__ import annotations

import ast
import re
from collections.abc import Iterable
from dataclasses import dataclass


@dataclass
class Edit:
    """Replace ``text[start:end]`` by ``new``."""

    start: int
    end: int
    new: str


def apply_edits(text: str, edits: Iterable[Edit]) -> str:
    """Apply non-overlapping edits; overlapping deletions are merged."""
    merged: list[Edit] = []
    for edit in sorted(edits, key=lambda e: (e.start, e.end)):
        if merged and edit.start < merged[-1].end:
            last = merged[-1]
            if edit.new or last.new:
                raise ValueError("overlapping edits")
            last.end = max(last.end, edit.end)
            continue
        merged.append(Edit(edit.start, edit.end, edit.new))
    for edit in reversed(merged):
        text = text[: edit.start] + edit.new + text[edit.end :]
    return text


class Positions:
    """Character offsets in a text from ast's (line, UTF-8 byte column) positions."""

    def __init__(self, text: str) -> None:
        self.text = text
        self.lines = text.split("\n")
        self.starts = [0]
        for line in self.lines[:-1]:
            self.starts.append(self.starts[-1] + len(line) + 1)

    def offset(self, lineno: int, col: int) -> int:
        line = self.lines[lineno - 1]
        return self.starts[lineno - 1] + len(line.encode("utf-8")[:col].decode("utf-8"))

    def span(self, node: ast.AST) -> tuple[int, int]:
        return (
            self.offset(node.lineno, node.col_offset),
            self.offset(node.end_lineno, node.end_col_offset),
        )

    def segment(self, node: ast.AST) -> str:
        start, end = self.span(node)
        return self.text[start:end]

    def line_start(self, lineno: int) -> int:
        return self.starts[lineno - 1]

    def line_end(self, lineno: int) -> int:
        """Offset just past the line's ``\\n`` (or the end of the text)."""
        return min(self.starts[lineno - 1] + len(self.lines[lineno - 1]) + 1, len(self.text))

    def own_lines(self, node: ast.AST) -> re.Match[str] | None:
        """When ``node`` alone fills its lines (bar a comma and a comment): the rest of its last line."""
        start, end = self.span(node)
        before = self.text[self.line_start(node.lineno) : start]
        after = self.text[end : self.line_end(node.end_lineno)]
        if before.strip():
            return None
        return re.fullmatch(r"[ \t]*,?[ \t]*(#[^\n]*)?\n?", after)
