"""Tables as pandoc tables: pipe tables when every cell is a line of text, grid tables
when a cell holds lists, code or several paragraphs. Spanning cells are reported."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from docutils import nodes

from .inline import inline

if TYPE_CHECKING:
    from .context import PageContext


def _cells(row: nodes.Element, ctx: PageContext, blocks: Callable[[list[nodes.Node]], str]) -> tuple[list[str], bool, bool]:
    """A row's cells as Markdown, whether one holds more than a line, whether one spans."""
    cells, multi, spans = [], False, False
    for entry in row.children:
        children = [c for c in entry.children if not isinstance(c, nodes.target)]
        if len(children) <= 1 and all(isinstance(c, nodes.paragraph) for c in children):
            cells.append(" ".join(inline(c, ctx) for c in children).replace("\n", " "))
        else:
            cells.append(blocks(children))
            multi = True
        if entry.get("morecols") or entry.get("morerows"):
            spans = True
            cells.extend([""] * int(entry.get("morecols", 0)))
    return cells, multi, spans


def pipe_table(node: nodes.table, ctx: PageContext, blocks: Callable[[list[nodes.Node]], str]) -> str:
    group = node.next_node(nodes.tgroup)
    if group is None:
        return ""
    head = [row for part in group.findall(nodes.thead) for row in part.findall(nodes.row)]
    body = [row for part in group.findall(nodes.tbody) for row in part.findall(nodes.row)]
    columns = int(group.get("cols", 0)) or max((len(r.children) for r in head + body), default=1)
    rows, multi, spans = [], False, False
    for row in head + body:
        cells, row_multi, row_spans = _cells(row, ctx, blocks)
        multi |= row_multi
        spans |= row_spans
        rows.append((cells + [""] * columns)[:columns])
    if spans:
        ctx.note(node, "table with spanning cells", "a table, spans as empty cells",
                 "the Workbench's tables are written without spanning cells")
    table = _grid(rows, len(head)) if multi else _pipe(rows, len(head), columns)
    title = node.next_node(nodes.title)
    if title is not None and title.parent is node:
        table += "\n\nTable: " + inline(title, ctx)
    return table


def _pipe(rows: list[list[str]], head: int, columns: int) -> str:
    rows = [[cell.replace("|", "\\|") for cell in cells] for cells in rows]
    header = rows[0] if head else [""] * columns
    lines = ["| " + " | ".join(header) + " |", "|" + "|".join(["---"] * columns) + "|"]
    lines += ["| " + " | ".join(cells) + " |" for cells in (rows[1:] if head else rows)]
    return "\n".join(lines)


def _grid(rows: list[list[str]], head: int) -> str:
    """A pandoc grid table: each cell's blocks on its own lines."""
    split = [[cell.split("\n") for cell in cells] for cells in rows]
    widths = [max(3, *(len(line) for cells in split for line in cells[i])) for i in range(len(rows[0]))]

    def rule(char: str) -> str:
        return "+" + "+".join(char * (w + 2) for w in widths) + "+"

    lines = [rule("-")]
    for index, cells in enumerate(split):
        height = max(len(cell) for cell in cells)
        for n in range(height):
            parts = [(cell[n] if n < len(cell) else "").ljust(widths[i]) for i, cell in enumerate(cells)]
            lines.append("| " + " | ".join(parts) + " |")
        lines.append(rule("=" if head and index == head - 1 else "-"))
    return "\n".join(lines)
