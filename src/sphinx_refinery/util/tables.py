"""Generic docutils tables, for the schedule and workshop directives (every builder)."""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from docutils import nodes


def table(
    classes: list[str], headings: Sequence[object], widths: Sequence[int], rows: Iterable[list[nodes.Node]]
) -> nodes.table:
    """A table with a heading row; ``widths`` are in characters, as the text builder uses them."""
    result = nodes.table(classes=classes)
    group = nodes.tgroup(cols=len(headings))
    result += group
    for width in widths:
        group += nodes.colspec(colwidth=width)
    head = nodes.thead()
    head += row([nodes.Text(str(heading)) for heading in headings])
    group += head
    body = nodes.tbody()
    for cells in rows:
        body += row(cells)
    group += body
    return result


def row(cells: list[nodes.Node]) -> nodes.row:
    result = nodes.row()
    for cell in cells:
        entry = nodes.entry()
        entry += nodes.paragraph("", "", cell)
        result += entry
    return result
