"""References to boxes: labels sent to the ``refinery`` domain, which shows a box's
number and title."""

from __future__ import annotations

from typing import Any

from docutils import nodes
from sphinx import addnodes
from sphinx.application import Sphinx
from sphinx.transforms.post_transforms import SphinxPostTransform
from sphinx.util import docname_join

from ..model.lesson_rules import normalize_label
from ..model.records import DOMAIN
from ..pages.scope import one_page

#: Std and MyST reference types that may name a box label.
REF_TYPES = frozenset({"ref", "numref"})


def xref(key: str, content: nodes.Element, refdoc: str, reftype: str = "box") -> addnodes.pending_xref:
    ref = addnodes.pending_xref(
        "",
        content,
        refdomain=DOMAIN,
        reftype=reftype,
        reftarget=key,
        refexplicit=True,
        refdoc=refdoc,
    )
    return ref


class BoxReferences(SphinxPostTransform):
    """Send references to a box label to this domain, which shows the box's number
    and title: ``{ref}`` and ``{numref}``, and the MyST links and ``{any}`` that name
    no page. Labels match as Sphinx's do: whatever their case and spacing."""

    default_priority = 6

    def run(self, **kwargs: Any) -> None:
        domain = self.env.domains[DOMAIN]
        labels = domain.labels
        if not labels or (one_page(self) and not domain.names_a_label(self.env.docname)):
            return
        for node in self.document.findall(addnodes.pending_xref):
            reftype = node.get("reftype")
            if normalize_label(node["reftarget"]) not in labels:
                continue
            if node.get("refdomain") == "std" and reftype in REF_TYPES:
                node["refdomain"] = DOMAIN
            elif reftype in ("myst", "any") and node.get("refdomain") != "doc" and not self._names_page(node):
                node["refdomain"] = DOMAIN
                node["reftype"] = "ref"

    def _names_page(self, node: addnodes.pending_xref) -> bool:
        """A bare name that is also a page's leads to the page, as before."""
        target = node["reftarget"]
        page = docname_join(node.get("refdoc", self.env.docname), target.lstrip("/"))
        return page in self.env.all_docs


def box_in_another_lesson(
    app: Sphinx, env: Any, node: addnodes.pending_xref, contnode: nodes.TextElement
) -> nodes.Element | None:
    """``missing-reference``: a ``{refinery:box}`` to another lesson's box, which its
    objects.inv lists as a ``std:label``, resolved through intersphinx as a ``{ref}``."""
    if node.get("refdomain") != DOMAIN or node.get("reftype") != "box":
        return None
    if "sphinx.ext.intersphinx" not in app.extensions:
        return None
    from sphinx.ext.intersphinx import missing_reference

    as_ref = node.deepcopy()
    as_ref["refdomain"], as_ref["reftype"] = "std", "ref"
    return missing_reference(app, env, as_ref, contnode)


def setup(app: Sphinx) -> None:
    app.add_post_transform(BoxReferences)
    app.connect("missing-reference", box_in_another_lesson)
