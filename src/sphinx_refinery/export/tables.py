"""Tables as pandoc pipe tables; what a pipe table cannot hold is flattened and reported."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from docutils import nodes

from .inline import inline

if TYPE_CHECKING:
    from .context import PageContext


def _cell(entry: nodes.Element, ctx: PageContext, blocks: Callable[[list[nodes.Node]], str]) -> tuple[str, bool]:
    """A cell's text on one line, and whether it had to be flattened."""
    children = [c for c in entry.children if not isinstance(c, nodes.target)]
    if all(isinstance(c, nodes.paragraph) for c in children):
        text = "<br>".join(inline(c, ctx) for c in children)
        return text.replace("\n", " ").replace("|", "\\|"), False
    text = blocks(children)
    return " ".join(text.split()).replace("|", "\\|"), True


def pipe_table(node: nodes.table, ctx: PageContext, blocks: Callable[[list[nodes.Node]], str]) -> str:
    group = node.next_node(nodes.tgroup)
    if group is None:
        return ""
    head = [row for part in group.findall(nodes.thead) for row in part.findall(nodes.row)]
    body = [row for part in group.findall(nodes.tbody) for row in part.findall(nodes.row)]
    columns = int(group.get("cols", 0)) or max((len(r.children) for r in head + body), default=1)
    flattened = spans = False
    rows = []
    for row in head + body:
        cells = []
        for entry in row.children:
            text, flat = _cell(entry, ctx, blocks)
            flattened |= flat
            cells.append(text)
            if entry.get("morecols") or entry.get("morerows"):
                spans = True
                cells.extend([""] * int(entry.get("morecols", 0)))
        cells += [""] * (columns - len(cells))
        rows.append(cells[:columns])
    if spans:
        ctx.note(node, "table with spanning cells", "a pipe table, spans as empty cells",
                 "pandoc's pipe tables have no spanning cells")
    if flattened:
        ctx.note(node, "table cell with lists or code", "a pipe table, the cell's text on one line",
                 "pandoc's pipe tables hold one line per cell")
    header = rows[0] if head else [""] * columns
    lines = ["| " + " | ".join(header) + " |", "|" + "|".join(["---"] * columns) + "|"]
    lines += ["| " + " | ".join(cells) + " |" for cells in (rows[1:] if head else rows)]
    title = node.next_node(nodes.title)
    if title is not None and title.parent is node:
        lines.append("\nTable: " + inline(title, ctx))
    return "\n".join(lines)
