"""Gathered lists of boxes: the exercise list, the instructor guide, the key points summary.

A list directive leaves a placeholder that is filled in at write time, in toctree
order, with every chosen box of the other pages and a link back to each.

HTML builders (``html``, ``dirhtml``) reuse what was rendered for the episode
pages: while an episode is written, the HTML of its listed boxes is kept (a small
file per page, next to the doctrees), and once every page is written each list
page receives those fragments, their links made relative to it and their ids
prefixed. The list then costs about what a list of links costs, in time and in
memory, and under ``-j`` the boxes are rendered in the worker processes with the
rest of their page. Other builders (LaTeX, text, EPUB, single HTML, ...) get
copies of the boxes' doctree nodes, which they render as their own.
"""

from __future__ import annotations

import json
import os
import posixpath
import re
import weakref
from collections.abc import Sequence
from html import escape
from pathlib import Path
from typing import Any, ClassVar, NamedTuple
from urllib.parse import quote, unquote

from docutils import nodes
from docutils.parsers.rst import directives
from sphinx import addnodes
from sphinx.application import Sphinx
from sphinx.environment import BuildEnvironment
from sphinx.environment.collectors import EnvironmentCollector
from sphinx.transforms.post_transforms import SphinxPostTransform
from sphinx.util import docname_join, logging
from sphinx.util.docutils import SphinxDirective

from . import aggregates
from .aggregates import toctree_order
from .locale import _
from .records import DOMAIN, BoxRecord
from .references import xref

logger = logging.getLogger(__name__)

#: Classes an exercise list takes when its ``:include:`` is not given (sphinx-lesson's).
DEFAULT_INCLUDE = ("exercise", "solution", "challenge", "exerciselist-include")
DEFAULT_EXCLUDE = ("exerciselist-exclude",)

#: Builders whose lists reuse the episode pages' rendered HTML.
RENDERED_BUILDERS = ("html", "dirhtml")
#: Where those builders keep each page's rendered listed boxes, in the doctree folder.
FRAGMENTS_DIR = "refinery-boxes"
#: The list specifications of every page: {docname: ((include, exclude), ...)}.
SPECS = "refinery_box_lists"
#: What the specifications were when the pages were last marked.
SPECS_FINGERPRINT = "refinery_box_lists_fingerprint"


class box_list(nodes.General, nodes.Element):
    """Placeholder for a list of boxes gathered from every page, filled in at write time."""


class ListPurpose(NamedTuple):
    """What one kind of gathered list shows by default, and its words."""

    include: tuple[str, ...]
    exclude: tuple[str, ...]
    backlink: Any  # translated lazily, at write time
    empty: Any


LIST_PURPOSES: dict[str, ListPurpose] = {
    "exercises": ListPurpose(
        DEFAULT_INCLUDE,
        DEFAULT_EXCLUDE,
        _("Go to this exercise in its episode"),
        _("There are no exercises in this lesson yet."),
    ),
    "instructor-notes": ListPurpose(
        ("instructor-note",),
        (),
        _("Go to this note in its episode"),
        _("There are no instructor notes in this lesson yet."),
    ),
    "keypoints": ListPurpose(
        ("keypoints",),
        (),
        _("Go to these key points in their episode"),
        _("There are no key points in this lesson yet."),
    ),
}


def _skip(self: Any, node: nodes.Node) -> None:
    raise nodes.SkipNode


def specs(env: BuildEnvironment) -> dict[str, tuple[tuple[tuple[str, ...], tuple[str, ...]], ...]]:
    if not hasattr(env, SPECS):
        setattr(env, SPECS, {})
    return getattr(env, SPECS)


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


class ListSpecs(EnvironmentCollector):
    """Keeps :data:`SPECS` right through removed pages and parallel reads."""

    def clear_doc(self, app: Sphinx, env: BuildEnvironment, docname: str) -> None:
        specs(env).pop(docname, None)

    def merge_other(
        self, app: Sphinx, env: BuildEnvironment, docnames: set[str], other: BuildEnvironment
    ) -> None:
        theirs = specs(other)
        specs(env).update({d: theirs[d] for d in docnames if d in theirs})

    def process_doc(self, app: Sphinx, doctree: nodes.document) -> None:
        pass


def _wanted(record: BoxRecord, include: set[str], exclude: set[str]) -> bool:
    classes = set(record.classes) | {record.kind}
    return bool(classes & include) and not classes & exclude


def top_level_choices(
    records: Sequence[BoxRecord], include: set[str], exclude: set[str]
) -> list[int]:
    """Indexes of the boxes a list shows, less those inside a box it already shows."""
    chosen: list[int] = []
    taken: set[int] = set()
    for index, record in enumerate(records):
        if record.hidden or not _wanted(record, include, exclude):
            continue
        if _ancestor_taken(records, index, taken):
            taken.add(index)
            continue  # already shown inside the box that holds it
        taken.add(index)
        chosen.append(index)
    return chosen


def _ancestor_taken(records: Sequence[BoxRecord], index: int, taken: set[int]) -> bool:
    parent = records[index].parent
    while parent >= 0:
        if parent in taken:
            return True
        parent = records[parent].parent
    return False


class ListEntries(NamedTuple):
    """One list, as the placeholder asks for it."""

    name: str  # the key of its purpose in LIST_PURPOSES
    purpose: ListPurpose
    prefix: str
    # (docname, title, [record index, ...]) in toctree order
    pages: list[tuple[str, str, list[int]]]


class FillBoxLists(SphinxPostTransform):
    """Base: replace each placeholder with an episode heading, the boxes and backlinks."""

    def run(self, **kwargs: Any) -> None:
        if not self.may_hold_lists():
            return
        for number, placeholder in enumerate(list(self.document.findall(box_list))):
            entries = self.entries(placeholder, number)
            content = self.content(entries)
            if not content:
                text = str(entries.purpose.empty)
                content = [nodes.paragraph(text, text)]
            placeholder.replace_self(content)

    def content(self, entries: ListEntries) -> list[nodes.Node]:
        """Each page's heading, then its boxes, each followed by a link back to it."""
        raise NotImplementedError

    def may_hold_lists(self) -> bool:
        """Spares a walk of every other page: lists are on the pages noted while reading,
        or in the root page's doctree when a builder puts every page into it."""
        docname = self.env.docname
        return docname in aggregates.pages(self.env) or (
            docname == self.config.root_doc and bool(aggregates.pages(self.env))
        )

    def entries(self, placeholder: box_list, number: int) -> ListEntries:
        domain = self.env.domains[DOMAIN]
        include = set(placeholder["include"])
        exclude = set(placeholder["exclude"])
        here = self.env.docname
        pages = []
        for docname in toctree_order(self.env):
            if docname == here:
                continue
            chosen = top_level_choices(domain.records(docname), include, exclude)
            if chosen:
                pages.append((docname, page_title(self.env, docname), chosen))
        name = placeholder["purpose"]
        return ListEntries(name, LIST_PURPOSES[name], f"{name}-{number}", pages)



# -- HTML builders: the fragments rendered with the episode pages ------------------------------

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
                    kept = json.loads(_fragments_file(app, docname).read_text(encoding="utf-8"))
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


def page_title(env: BuildEnvironment, docname: str) -> str:
    """A listed page's title, as its heading in a list shows it."""
    return env.titles[docname].astext() if docname in env.titles else docname


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


_ATTRIBUTE = re.compile(r'(\s(id|href|src|for|name|aria-[a-z]+)=")([^"]*)(")')
_ID = re.compile(r'\sid="([^"]*)"')
_CLASS = re.compile(r'(\sclass=")([^"]*)(")')
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


def relocate(fragment: str, places: Places, docname: str, listing: str, prefix: str) -> str:
    """A box's HTML from ``docname``'s page, as it stands on ``listing``'s page.

    Relative links are rebased, ids (and the names of radio groups) are prefixed
    so that they stay unique, and links to anchors of the episode outside the box
    lead back to it.
    """
    ids = set(_ID.findall(fragment))
    source_dir = places.folder(docname)
    target_dir = places.folder(listing)
    page_uri = places.uri(listing, docname)

    def rewrite(match: re.Match[str]) -> str:
        name, value = match.group(2), match.group(3)
        if name in ("id", "name"):
            value = f"{prefix}-{value}"
        elif name in _ID_REFS:
            value = " ".join(f"{prefix}-{v}" if v in ids else v for v in value.split())
        elif name in ("href", "src"):
            value = _rebase(value, ids, prefix, page_uri, source_dir, target_dir)
        return f"{match.group(1)}{value}{match.group(4)}"

    fragment = _ATTRIBUTE.sub(rewrite, fragment)
    # The outer box: marked as a listed copy, left out of the search index.
    return _CLASS.sub(r"\1\2 refinery-listed no-search\3", fragment, count=1)


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


# -- other builders: copies of the boxes' nodes -------------------------------------------------


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


def setup(app: Sphinx) -> None:
    app.add_env_collector(ListSpecs)
    app.add_directive("exerciselist", ExerciseList)
    app.add_node(
        box_list,
        **dict.fromkeys(("html", "latex", "text", "man", "texinfo"), (_skip, None)),
    )
    app.add_post_transform(FillFromRenderedPages)
    app.add_post_transform(FillWithCopies)
    app.add_post_transform(MarkListedBoxes)
    app.connect("html-page-context", keep_fragments)
    app.connect("env-updated", pages_to_mark_again)
    app.connect("build-finished", fill_lists)
