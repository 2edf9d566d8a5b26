"""What writing one page needs: the lesson, where each page goes in the copy, the report."""

from __future__ import annotations

import posixpath
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from docutils import nodes

from .report import Report


def line_of(node: nodes.Node) -> int | None:
    while node is not None:
        if getattr(node, "line", None):
            return node.line
        node = node.parent
    return None



@dataclass
class PageContext:
    """What writing one page needs: the lesson, where each page goes, and the report."""

    env: Any
    tags: Any
    docname: str
    out_path: str  # where the page goes in the copy: "episodes/naming.md"
    pages: dict[str, str]  # docname -> its path in the copy
    report: Report
    copy_asset: Callable[[str, str], str | None]  # (source-relative path, "fig"|"files") -> name
    schedule: str = ""  # the schedule as a Markdown table, for a schedule directive
    numbers: dict[str, str] = field(default_factory=dict)  # box id -> exercise number
    top_ids: dict[str, set[str]] = field(default_factory=dict)  # docname -> its title section's ids
    #: The lesson's own box kinds met so far (all pages share it) -> config.yaml's box_kinds entry.
    own_kinds: dict[str, dict[str, Any]] = field(default_factory=dict)

    def own_kind(self, kind: str, node: nodes.Element, title: nodes.Element | None) -> None:
        """A box of a kind of the lesson's own: what the import needs to make the kind again
        (its default title, and whether it takes minutes)."""
        entry = self.own_kinds.setdefault(kind, {})
        if title is not None and node.get("refinery_default_title") and "title" not in entry:
            copy = title.deepcopy()
            for duration in list(copy.findall(nodes.inline)):
                if "refinery-duration" in duration["classes"]:
                    duration.parent.remove(duration)
            entry["title"] = " ".join(copy.astext().split())
        if node.get("refinery_time"):
            entry["timed"] = True

    def note(self, node: nodes.Node | None, construct: str, became: str, why: str) -> None:
        self.report.add(self.docname, line_of(node) if node is not None else None, construct, became, why)

    def anchor(self, ident: str) -> str:
        return ident

    def link_to(self, docname: str, ident: str, node: nodes.Node) -> str | None:
        target = self.pages.get(docname)
        if ident and ident in self.top_ids.get(docname, ()):
            ident = ""  # the page's title is its front matter's: the link leads to the page
        if target is None:
            self.note(node, f"link to {docname!r}", "its text", "that page is not part of the copy")
            return None
        here = posixpath.dirname(self.out_path)
        path = "" if target == self.out_path else posixpath.relpath(target, here or ".")
        return path + (f"#{ident}" if ident else "") or "#"

    def local_link(self, uri: str, node: nodes.Node) -> str:
        path, _sep, fragment = uri.partition("#")
        if not path:
            return uri
        folder = posixpath.dirname(self.docname)
        source = posixpath.normpath(posixpath.join(folder, path))
        for suffix in ("", ".md", ".rst", ".ipynb"):
            stem = source.removesuffix(".html")
            if stem.removesuffix(suffix) in self.pages and (suffix == "" or stem.endswith(suffix)):
                return self.link_to(stem.removesuffix(suffix), fragment, node) or uri
        copied = self.copy_file(source, "files", node)
        return (copied + (f"#{fragment}" if fragment else "")) if copied else uri

    def copy_file(self, source: str, folder: str, node: nodes.Node) -> str | None:
        name = self.copy_asset(source, folder)
        if name is None:
            self.note(node, f"link to {source!r}", "left as written", "no such file in the lesson")
            return None
        return f"{folder}/{name}"
