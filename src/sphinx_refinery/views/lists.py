"""Gathered lists of boxes: the exercise list, the instructor guide, the key points summary.

A list directive leaves a placeholder that is filled in at write time, in toctree
order, with every chosen box of the other pages and a link back to each.

HTML builders (``html``, ``dirhtml``) reuse what was rendered for the episode
pages: while an episode is written, the HTML of its listed boxes is kept (a small
file per page, next to the doctrees), and once every page is written each list
page receives those fragments, their links made relative to it and their ids
prefixed. The list then costs about what a list of links costs, in time and in
memory, and under ``-j`` the boxes are rendered in the worker processes with the
rest of their page (:mod:`.list_html`). Other builders (LaTeX, text, EPUB, single
HTML, ...) get copies of the boxes' doctree nodes, which they render as their own
(:mod:`.list_copies`). What a list chooses is decided in :mod:`.list_entries`.
"""

from __future__ import annotations

from typing import Any, ClassVar

from docutils import nodes
from docutils.parsers.rst import directives
from sphinx.application import Sphinx
from sphinx.util.docutils import SphinxDirective

from ..pages import aggregates
from .list_copies import FillWithCopies
from .list_entries import LIST_PURPOSES, ListSpecs, box_list, skip_box_list, specs
from .list_html import (
    FillFromRenderedPages,
    MarkListedBoxes,
    fill_lists,
    keep_fragments,
    pages_to_mark_again,
)


class BoxList(SphinxDirective):
    """Boxes gathered from every page, by episode, in toctree order."""

    purpose: ClassVar[str]
    has_content = False
    option_spec: ClassVar[dict[str, Any]] = {
        "include": directives.class_option,
        "exclude": directives.class_option,
    }

    def run(self) -> list[nodes.Node]:
        defaults = LIST_PURPOSES[self.purpose]
        node = box_list(purpose=self.purpose)
        node["include"] = list(self.options.get("include", defaults.include))
        node["exclude"] = list(self.options.get("exclude", defaults.exclude))
        self.set_source_info(node)
        aggregates.note(self.env)
        page = specs(self.env)
        page[self.env.docname] = (
            *page.get(self.env.docname, ()),
            (tuple(node["include"]), tuple(node["exclude"])),
        )
        return [node]


class ExerciseList(BoxList):
    """``exerciselist``: every exercise of the lesson (sphinx-lesson's options)."""

    purpose = "exercises"


def setup(app: Sphinx) -> None:
    app.add_env_collector(ListSpecs)
    app.add_directive("exerciselist", ExerciseList)
    app.add_node(
        box_list,
        **dict.fromkeys(("html", "latex", "text", "man", "texinfo"), (skip_box_list, None)),
    )
    app.add_post_transform(FillFromRenderedPages)
    app.add_post_transform(FillWithCopies)
    app.add_post_transform(MarkListedBoxes)
    app.connect("html-page-context", keep_fragments)
    app.connect("env-updated", pages_to_mark_again)
    app.connect("build-finished", fill_lists)
