"""Gathered lists in other builders (LaTeX, text, EPUB, single HTML, ...): copies of the
boxes' doctree nodes, which they render as their own.
"""

from __future__ import annotations

from docutils import nodes
from sphinx import addnodes
from sphinx.util import docname_join

from ..boxes.references import xref
from ..model.records import DOMAIN
from .list_entries import FillBoxLists, ListEntries


class FillWithCopies(FillBoxLists):
    """Copies of the boxes, which the builder renders as it renders the rest."""

    default_priority = 4

    def content(self, entries: ListEntries) -> list[nodes.Node]:
        content: list[nodes.Node] = []
        copies = 0
        backlink = str(entries.purpose.backlink)
        for docname, title, chosen in entries.pages:
            shown: list[nodes.Node] = []
            for index in chosen:
                copies += 1
                box = self.box(docname, index, f"{entries.prefix}-{copies}")
                if box is not None:
                    shown += [box, self.backlink(docname, index, backlink)]
            if shown:
                heading = nodes.paragraph("", "", classes=["refinery-list-episode"])
                heading += addnodes.pending_xref(
                    "",
                    nodes.strong(title, title),
                    refdomain="std",
                    reftype="doc",
                    reftarget="/" + docname,
                    refexplicit=True,
                    refdoc=self.env.docname,
                )
                content += [heading, *shown]
        return content

    def backlink(self, docname: str, index: int, text: str) -> nodes.paragraph:
        record = self.env.domains[DOMAIN].records(docname)[index]
        paragraph = nodes.paragraph("", "", classes=["refinery-backlink"])
        paragraph += xref(f"{docname}#{record.id}", nodes.inline(text, text), self.env.docname)
        return paragraph

    def box(self, docname: str, index: int, ident: str) -> nodes.Node | None:
        record = self.env.domains[DOMAIN].records(docname)[index]
        original = self.env.get_doctree(docname).ids.get(record.id)
        if original is None or original.get("refinery_key") != f"{docname}#{record.id}":
            return None
        return self.copy_box(original, ident, docname)

    def copy_box(self, original: nodes.Element, ident: str, docname: str) -> nodes.Node:
        """A copy whose ids are prefixed, so they stay unique beside the original.

        References are resolved from this page, with their targets made relative to
        the episode's (a ``{doc}`` to a sibling page); links to anchors outside the
        box (a footnote at the end of the page) lead back to the episode.
        """
        box = original.deepcopy()
        here = self.env.docname
        elements = list(box.findall(nodes.Element))
        renamed: dict[str, str] = {}
        for node in elements:
            node["names"] = []
            if node["ids"]:
                node["ids"] = [renamed.setdefault(old, f"{ident}-{old}") for old in node["ids"]]
            if isinstance(node, addnodes.pending_xref):
                self.anchor_target(node, docname)
                node["refdoc"] = here
        for node in elements:
            refid = node.get("refid")
            if refid in renamed:
                node["refid"] = renamed[refid]
            elif refid and isinstance(node, nodes.Inline):
                text = node.astext()
                node.replace_self(xref(f"{docname}#{refid}", nodes.inline(text, text), here, "anchor"))
                continue
            if node.get("backrefs"):
                node["backrefs"] = [renamed.get(old, old) for old in node["backrefs"]]
        box["ids"] = [ident]
        # Left out of the search index (Sphinx's "no-search" class): a search for a
        # word of an exercise leads to its episode, not to every list that copies it.
        box["classes"] = [*box["classes"], "refinery-listed", "no-search"]
        return box

    def anchor_target(self, node: addnodes.pending_xref, docname: str) -> None:
        """Make a page name relative to the episode absolute, as the list resolves it."""
        target = node.get("reftarget", "")
        if not target or target.startswith("/"):
            return
        page = docname_join(docname, target)
        is_doc = node.get("refdomain") == "std" and node.get("reftype") == "doc"
        # A bare name in `any` and in MyST links: a page when no label has that name.
        maybe_doc = node.get("reftype") in ("any", "myst") and node.get("refdomain") != "doc"
        if is_doc or (maybe_doc and page in self.env.all_docs
                      and target not in self.env.domains.standard_domain.labels):
            node["reftarget"] = "/" + page


