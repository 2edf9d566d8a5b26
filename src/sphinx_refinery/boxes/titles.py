"""How titles and references name a box: "Exercise 1.2: Title", "Solution to Exercise 1.2"."""

from __future__ import annotations

import re

from docutils import nodes

from ..locale import _


def kind_title(kind: str) -> str:
    """A box kind's default title (translated), for a box whose own is left out."""
    from .directives import BOX_KINDS

    for box_kind in BOX_KINDS:
        if box_kind.name == kind:
            return str(box_kind.title)
    return kind.replace("-", " ").capitalize()


def exercise_label(number: str) -> str:
    return str(_("Exercise %(number)s")) % {"number": number}


def solution_label(number: str) -> str:
    return str(_("Solution to Exercise %(number)s")) % {"number": number}


def titled(label: str, title: str) -> str:
    """A numbered label and the author's title: "Exercise 3.2: Rename" (translated)."""
    return str(_("%(label)s: %(title)s")) % {"label": label, "title": title}


def titled_nodes(lead: nodes.Node, words: list[nodes.Node]) -> list[nodes.Node]:
    """:func:`titled` for nodes: the label node and the title's own inline markup."""
    marker_label, marker_title = "\x00label\x00", "\x00title\x00"
    pattern = titled(marker_label, marker_title)
    out: list[nodes.Node] = []
    for piece in re.split("(\x00label\x00|\x00title\x00)", pattern):
        if piece == marker_label:
            out.append(lead)
        elif piece == marker_title:
            out.extend(words)
        elif piece and out and isinstance(out[-1], nodes.Text):
            out[-1] = nodes.Text(out[-1] + piece)  # one node: "Exercise 1.2: "
        elif piece:
            out.append(nodes.Text(piece))
    return out


DURATION_CLASS = "refinery-duration"


def is_duration(node: nodes.Node) -> bool:
    return isinstance(node, nodes.inline) and DURATION_CLASS in node["classes"]

