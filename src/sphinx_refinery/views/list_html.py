"""Gathered lists in HTML builders: the fragments rendered with the episode pages.

While an episode is written, the HTML of its listed boxes is kept (a small file per page,
next to the doctrees); once every page is written, each list page receives those
fragments, their links made relative to it and their ids prefixed.
"""

from __future__ import annotations

import json
import os
import posixpath
import re
import weakref
from html import escape
from html.parser import HTMLParser
from pathlib import Path
from typing import Any
from urllib.parse import quote, unquote

from docutils import nodes
from sphinx.application import Sphinx
from sphinx.environment import BuildEnvironment
from sphinx.transforms.post_transforms import SphinxPostTransform
from sphinx.util import logging

from ..model.records import DOMAIN
from ..util import bounded
from .list_entries import (
    FRAGMENTS_DIR,
    LIST_PURPOSES,
    RENDERED_BUILDERS,
    SPECS_FINGERPRINT,
    FillBoxLists,
    ListEntries,
    ListPurpose,
    box_list,
    page_title,
    specs,
    top_level_choices,
)

logger = logging.getLogger(__name__)



#: After a listed box: its index among the page's records, and its id. Its start is
#: the tag that carries that id (the writer puts a node's first id on its own tag).
_BOX_END = "<!--/refinery-box {} {}-->"
_BOX_ENDS = re.compile(r"<!--/refinery-box (\d+) (\S+)-->")
#: Where a list page's headings and boxes go: a page's heading, or a box (its page,
#: its index among the page's records, the prefix of its ids, its list's purpose).
_SLOT = re.compile(r"<!--refinery-(?:heading (\S+)|slot (\S+) (\d+) (\S+) (\S+))-->")

#: The list pages filled in this build, per environment (set at write time).
_filled: weakref.WeakKeyDictionary[BuildEnvironment, set[str]] = weakref.WeakKeyDictionary()


class MarkListedBoxes(SphinxPostTransform):
    """Mark the end of each box of this page that a list shows, so that its HTML can
    be kept: one node per box, added to a page that is being written."""

    builders = RENDERED_BUILDERS
    # Late, but before HtmlBoxes (800) turns boxes into other nodes: the
    # marks are the box's siblings, so the HTML between them is the page's own.
    default_priority = 790

    def run(self, **kwargs: Any) -> None:
        wanted = listed_indexes(self.env, self.env.docname)
        if not wanted:
            return
        records = self.env.domains[DOMAIN].records(self.env.docname)
        for index in sorted(wanted):
            # Found by its id, not by a walk of the page.
            node = self.document.ids.get(records[index].id)
            key = f"{self.env.docname}#{records[index].id}"
            if node is None or node.get("refinery_key") != key or not self.shown(node):
                continue
            end = nodes.raw("", _BOX_END.format(index, node["ids"][0]), format="html")
            node.parent.insert(node.parent.index(node) + 1, end)

    def shown(self, node: nodes.Node) -> bool:
        """Still in the page (``only`` may have taken its branch out)."""
        while node.parent is not None:
            node = node.parent
        return node is self.document


def listed_indexes(env: BuildEnvironment, docname: str) -> set[int]:
    """The page's boxes that some list of the lesson shows."""
    records = env.domains[DOMAIN].records(docname)
    if not records:
        return set()
    found: set[int] = set()
    for listing, page_specs in specs(env).items():
        if listing == docname:
            continue
        for include, exclude in page_specs:
            found.update(top_level_choices(records, set(include), set(exclude)))
    return found


def fragments_dir(app: Sphinx) -> Path:
    return Path(app.doctreedir) / FRAGMENTS_DIR / app.builder.name


def _fragments_file(app: Sphinx, docname: str) -> Path:
    return fragments_dir(app) / _fragments_name(docname)


def _fragments_name(docname: str) -> str:
    return quote(docname, safe="") + ".json"


def keep_fragments(app: Sphinx, pagename: str, templatename: str, context: dict, doctree) -> None:
    """``html-page-context``: keep the marked boxes' HTML; the page itself loses the marks."""
    body = context.get("body")
    if doctree is None or not body or "<!--/refinery-box " not in body:
        return
    kept: dict[str, str] = {}
    for mark in _BOX_ENDS.finditer(body):
        index, ident = mark.groups()
        # The last tag before the mark with the box's id: its own (ids are unique,
        # and quotes in text and attribute values are escaped).
        at = body.rfind(f' id="{ident}"', 0, mark.start())
        start = body.rfind("<", 0, at) if at >= 0 else -1
        if start >= 0:
            kept[index] = _BOX_ENDS.sub("", body[start : mark.start()])
    context["body"] = _BOX_ENDS.sub("", body)
    path = _fragments_file(app, pagename)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(kept), encoding="utf-8")


class FillFromRenderedPages(FillBoxLists):
    """HTML builders: a slot for each box, filled with its page's HTML after writing."""

    builders = RENDERED_BUILDERS
    default_priority = 3  # before FillWithCopies, which then finds no placeholder

    def run(self, **kwargs: Any) -> None:
        if not self.may_hold_lists() or next(self.document.findall(box_list), None) is None:
            return
        super().run(**kwargs)
        _filled.setdefault(self.env, set()).add(self.env.docname)

    def content(self, entries: ListEntries) -> list[nodes.Node]:
        """One raw node of markers, for each page and each box: a list of thousands of
        boxes costs a string, not a tree. They are filled in with the rest."""
        parts: list[str] = []
        copies = 0
        for docname, _title, chosen in entries.pages:
            page = quote(docname, safe="")
            parts.append(f"<!--refinery-heading {page}-->")
            for index in chosen:
                copies += 1
                parts.append(
                    f"<!--refinery-slot {page} {index} {entries.prefix}-{copies} {entries.name}-->"
                )
        return [nodes.raw("", "".join(parts), format="html")] if parts else []


def fill_lists(app: Sphinx, exception: Exception | None) -> None:
    """``build-finished``: put the kept boxes into the list pages written in this build.

    A list page can be large (every exercise of the lesson), so it is written out
    slot by slot, and only the fragments of the page being listed are held: the
    slots come page after page, in toctree order.
    """
    pages = _filled.pop(app.env, set())
    if app.builder.name not in RENDERED_BUILDERS:
        return
    places = Places(app.builder)
    for listing in sorted(pages):
        path = Path(app.builder.get_outfilename(listing))
        if path.is_file():
            _fill_page(app, path, listing, places)


def _fill_page(app: Sphinx, path: Path, listing: str, places: Places) -> None:
    text = path.read_text(encoding="utf-8")
    if _SLOT.search(text) is None:
        return
    temporary = path.with_name(path.name + ".refinery-tmp")
    try:
        _write_filled(app, text, temporary, listing, places)
    except BaseException:
        temporary.unlink(missing_ok=True)
        raise
    temporary.replace(path)


def _write_filled(app: Sphinx, text: str, temporary: Path, listing: str, places: Places) -> None:
    current: tuple[str, dict[str, str]] = ("", {})
    records = app.env.domains[DOMAIN].records
    with temporary.open("w", encoding="utf-8") as out:
        done = 0
        for slot in _SLOT.finditer(text):
            out.write(text[done : slot.start()])
            done = slot.end()
            if slot.group(1) is not None:
                out.write(_heading(app.env, places, listing, unquote(slot.group(1))))
                continue
            docname, index, ident = unquote(slot.group(2)), slot.group(3), slot.group(4)
            if current[0] != docname:
                try:
                    path = _fragments_file(app, docname)
                    kept = bounded.loads_json(bounded.read_bytes(path), str(path))
                except (OSError, ValueError):
                    kept = {}
                current = (docname, kept if isinstance(kept, dict) else {})
            fragment = current[1].get(index)
            if fragment is None:
                logger.warning(
                    "a box of %s could not be listed: its page was not rendered with it "
                    "(build once more with -E)",
                    docname,
                    location=listing,
                    type="refinery",
                    subtype="box-list",
                )
                continue
            out.write(relocate(fragment, places, docname, listing, ident))
            box_id = records(docname)[int(index)].id
            out.write(_backlink(places.uri(listing, docname) + "#" + box_id, LIST_PURPOSES[slot.group(5)]))
        out.write(text[done:])


def _heading(env: BuildEnvironment, places: Places, listing: str, docname: str) -> str:
    """A listed page's heading: its title, a link to it (as the HTML writer writes one)."""
    title = page_title(env, docname)
    return (
        f'<p class="refinery-list-episode"><a class="reference internal" '
        f'href="{escape(places.uri(listing, docname))}"><span class="doc">{escape(title)}</span></a></p>\n'
    )


def _backlink(uri: str, purpose: ListPurpose) -> str:
    text = escape(str(purpose.backlink))
    return (
        f'<p class="refinery-backlink"><a class="reference internal" href="{escape(uri)}" '
        f'title="{text}"><span>{text}</span></a></p>\n'
    )


_SCHEME = re.compile(r"[a-zA-Z][a-zA-Z0-9+.-]*:")
#: Attributes holding ids of the same page.
_ID_REFS = frozenset({"for", "aria-controls", "aria-labelledby", "aria-describedby", "aria-owns"})


class Places:
    """Each page's output folder and the links between pages, worked out once."""

    def __init__(self, builder: Any) -> None:
        self.builder = builder
        self._folders: dict[str, str] = {}

    def folder(self, docname: str) -> str:
        if docname not in self._folders:
            path = Path(self.builder.get_outfilename(docname)).relative_to(self.builder.outdir)
            self._folders[docname] = posixpath.dirname(path.as_posix())
        return self._folders[docname]

    def uri(self, listing: str, docname: str) -> str:
        return self.builder.get_relative_uri(listing, docname)


class _StartTags(HTMLParser):
    """Every start tag of a piece of HTML, where it is and its attributes, read as a
    browser reads them (double-, single- or un-quoted values, tags in comments and
    scripts not counted)."""

    def __init__(self, text: str) -> None:
        super().__init__(convert_charrefs=False)
        self._line_starts = [0] + [m.end() for m in re.finditer("\n", text)]
        self.tags: list[tuple[int, int, str, list[tuple[str, str | None]]]] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        line, col = self.getpos()
        start = self._line_starts[line - 1] + col
        self.tags.append((start, start + len(self.get_starttag_text() or ""), tag, attrs))

    handle_startendtag = handle_starttag


def relocate(fragment: str, places: Places, docname: str, listing: str, prefix: str) -> str:
    """A box's HTML from ``docname``'s page, as it stands on ``listing``'s page.

    Relative links are rebased, ids (and the names of radio groups) are prefixed
    so that they stay unique, and links to anchors of the episode outside the box
    lead back to it. Tags are read with an HTML parser, so raw HTML an author wrote
    (single-quoted or bare attribute values) is rebased too; a tag that changes is
    written again with double-quoted values, the others stay as they were.
    """
    parser = _StartTags(fragment)
    parser.feed(fragment)
    parser.close()
    ids = {value for *_where, attrs in parser.tags for name, value in attrs if name == "id" and value}
    source_dir = places.folder(docname)
    target_dir = places.folder(listing)
    page_uri = places.uri(listing, docname)
    marked = False  # the outer box: marked as a listed copy, left out of the search index
    out, done = [], 0
    for start, end, tag, attrs in parser.tags:
        changed = []
        for name, value in attrs:
            new = value
            if value is None:
                pass
            elif name in ("id", "name"):
                new = f"{prefix}-{value}"
            elif name in _ID_REFS:
                new = " ".join(f"{prefix}-{v}" if v in ids else v for v in value.split())
            elif name in ("href", "src"):
                new = _rebase(value, ids, prefix, page_uri, source_dir, target_dir)
            elif name == "class" and not marked:
                new, marked = f"{value} refinery-listed no-search", True
            changed.append((name, new))
        if changed == attrs:
            continue
        raw = fragment[start:end]
        written = "".join(
            f" {name}" if value is None else f' {name}="{escape(value)}"' for name, value in changed
        )
        out += [fragment[done:start], f"<{tag}{written}{'/>' if raw.endswith('/>') else '>'}"]
        done = end
    out.append(fragment[done:])
    return "".join(out)


def _rebase(url: str, ids: set[str], prefix: str, page_uri: str, source: str, target: str) -> str:
    if url.startswith("#"):
        anchor = url[1:]
        return f"#{prefix}-{anchor}" if anchor in ids else page_uri + url
    if not url or url.startswith("/") or _SCHEME.match(url):
        return url
    cut = min((i for i in (url.find("#"), url.find("?")) if i >= 0), default=len(url))
    path, rest = url[:cut], url[cut:]
    if not path:
        return url
    joined = posixpath.normpath(posixpath.join(source, path))
    rebased = posixpath.relpath(joined, target or ".")
    if path.endswith("/") and not rebased.endswith("/"):
        rebased += "/"
    return rebased + rest


def pages_to_mark_again(app: Sphinx, env: BuildEnvironment) -> list[str]:
    """``env-updated``: pages whose listed boxes are not kept as they should be.

    When a list's ``:include:`` or ``:exclude:`` changes, every page may list other
    boxes; a page whose fragments are missing (a first HTML build on an existing
    environment) is written again as well.
    """
    if app.builder.name not in RENDERED_BUILDERS:
        return []
    current = repr(sorted(specs(env).items()))
    domain = env.domains[DOMAIN]
    if getattr(env, SPECS_FINGERPRINT, None) != current:
        setattr(env, SPECS_FINGERPRINT, current)
        return domain.pages() if specs(env) else []
    if not specs(env):
        return []
    try:  # one listing of the folder, not one look-up per page
        kept = set(os.listdir(fragments_dir(app)))
    except OSError:
        kept = set()
    # The name first: it is cheap, and nearly always there.
    return [d for d in domain.pages() if _fragments_name(d) not in kept and listed_indexes(env, d)]


