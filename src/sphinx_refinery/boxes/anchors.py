"""Anchors for boxes in LaTeX, whose writer draws none for an admonition's ids: a
target at the top of each box, so references, "Solution to Exercise 1.1" and the
lists' "Go to this exercise" links lead to it (Texinfo's writer anchors every id)."""

from __future__ import annotations

from typing import Any

from docutils import nodes
from sphinx.application import Sphinx
from sphinx.transforms.post_transforms import SphinxPostTransform


class BoxAnchors(SphinxPostTransform):
    """Put a target with the box's ids first in each box."""

    default_priority = 900  # after the lists have copied (and renamed) boxes
    formats = ("latex",)

    def run(self, **kwargs: Any) -> None:
        for node in list(self.document.findall(nodes.Admonition)):
            if not node.get("refinery_key") or not node["ids"]:
                continue
            at = 1 if node.children and isinstance(node[0], nodes.title) else 0
            node.insert(at, nodes.target("", "", ids=list(node["ids"])))


def setup(app: Sphinx) -> None:
    app.add_post_transform(BoxAnchors)
