"""Reading: each page's boxes become records; the boxes this edition leaves out are
taken out of the page."""

from __future__ import annotations

import sys

from docutils import nodes
from sphinx import addnodes
from sphinx.application import Sphinx
from sphinx.environment import BuildEnvironment

from ..model.lesson_rules import EXERCISE, SOLUTION, solution_owner
from ..model.records import DOMAIN, BoxRecord, short_hash
from .directives import BOX_CLASS
from .editions import edition_hides, hidden_directive, left_out_when_written
from .references import REF_TYPES
from .titles import is_duration


def _content_digest(boxes: list[nodes.Element]) -> int:
    """A hash of the boxes as gathered pages copy them: their text and attributes."""
    parts: list[str] = []
    for box in boxes:
        for node in box.findall():
            parts.append(node if isinstance(node, nodes.Text) else f"{node.tagname}{node.attributes!r}")
    return short_hash("\x00".join(parts))


def _listable(node: nodes.Element) -> bool:
    """Boxes of ours, and other admonitions an exercise list could include by class."""
    if node.get("refinery_kind"):
        return True
    return any(not c.startswith("admonition-") for c in node["classes"])


def _box_id(document: nodes.document, node: nodes.Element, prefix: str, seen: dict[str, int]) -> str:
    """The box's id; boxes without a label get one unique across the lesson (singlehtml)."""
    if node["ids"]:
        return node["ids"][0]
    while True:
        seen[prefix] = seen.get(prefix, 0) + 1
        ident = f"{prefix}-{seen[prefix]}"
        if ident not in document.ids:
            break
    node["ids"].append(ident)
    document.ids[ident] = node
    return ident


def _recorded_classes(node: nodes.Element, kind: str) -> tuple[str, ...]:
    """The classes a list may select by, less those every box of its kind has.

    Interned, so the environment pickles each distinct name once.
    """
    generated = {kind, BOX_CLASS}
    return tuple(
        sys.intern(c)
        for c in node["classes"]
        if c not in generated and not (kind and c.startswith("admonition-"))
    )


def _title_text(node: nodes.Element) -> str:
    title = node.next_node(nodes.title)
    if title is None or title.parent is not node:
        return ""
    return "".join(t.astext() for t in title.children if not is_duration(t)).strip()


def collect_boxes(app: Sphinx, doctree: nodes.document) -> None:
    """``doctree-read``: record the page's boxes; drop the kinds this edition hides,
    and the boxes an ``only`` or ``ifconfig`` leaves out of this build."""
    env = app.env
    docname = env.docname
    page_source = str(env.doc2path(docname))
    hidden = edition_hides(env.config)
    records: list[BoxRecord] = []
    index_of: dict[int, int] = {}  # id(node) -> record index
    seen: dict[str, int] = {}
    left_out: list[nodes.Element] = []
    outermost: list[nodes.Element] = []
    guarded = False  # a box inside an ``only`` or ``ifconfig``: read again when the tags change
    for node in doctree.findall(nodes.Admonition):
        if not _listable(node):
            continue
        only = left_out_when_written(node, app.builder.tags, env.config, app.builder.name)
        guarded = guarded or only is not None
        kind = node.get("refinery_kind", "")
        parent = _enclosing_record(node, index_of)
        ident = _box_id(doctree, node, nodes.make_id(f"{docname}-{kind or 'box'}"), seen)
        node["refinery_key"] = f"{docname}#{ident}"
        exercise = None
        if kind == SOLUTION:
            exercise = node.get("refinery_exercise")
            if exercise is None:
                owner = solution_owner(
                    [r.kind for r in records] + [kind], [r.parent for r in records] + [parent],
                    len(records),
                )
                # A solution that answers a discussion or a demo names no exercise.
                if owner >= 0 and records[owner].kind == EXERCISE:
                    exercise = f"#{records[owner].id}"
        # Inside a box this edition leaves out, a box is left out with it.
        is_hidden = kind in hidden or bool(only) or (parent >= 0 and records[parent].hidden)
        index_of[id(node)] = len(records)
        label = _interned(node.get("refinery_label"))
        records.append(
            BoxRecord(
                id=ident,
                kind=sys.intern(kind),
                classes=_recorded_classes(node, kind),
                # Interned: a title that recurs (a default one) is pickled once. A box
                # this edition leaves out keeps none: nothing of it may be published.
                title=(
                    sys.intern(_title_text(node))
                    if _keeps_title(kind, label) and not is_hidden
                    else ""
                ),
                line=node.line or 0,
                label=label,
                time=node.get("refinery_time"),
                parent=parent,
                numbered=kind == EXERCISE and not node.get("refinery_nonumber"),
                exercise=exercise,
                hidden=is_hidden,
                source=_included_from(node, page_source),
            )
        )
        if is_hidden and not (parent >= 0 and records[parent].hidden):
            left_out.append(node)
        if parent == -1 and not is_hidden:
            outermost.append(node)
    for node in left_out:
        _remove(doctree, node)
    if left_out:
        _remove_orphan_footnotes(doctree, left_out)
    _unlabel_hidden(env, docname, records)
    if hidden:
        # A hidden box that failed to parse is kept as written in its error message.
        pattern = hidden_directive(hidden)
        for message in list(doctree.findall(nodes.system_message)):
            for block in list(message.findall(nodes.literal_block)):
                if pattern.search(block.astext()):
                    block.parent.remove(block)
    domain = env.domains[DOMAIN]
    if guarded:
        domain.data["guarded"][docname] = True
    if records:
        domain.store(docname, records)
        # What gathered pages copy from this page: they are rewritten when it changes.
        domain.data["digests"][docname] = _content_digest(outermost)
    targets = sorted(
        {
            sys.intern(ref["reftarget"])  # the same string object as the label: pickled once
            for ref in doctree.findall(addnodes.pending_xref)
            if ref.get("reftype") in REF_TYPES | {"myst", "any"}
        }
    )
    if targets:
        domain.data["refs"][docname] = tuple(targets)


#: The document's tables that hold its elements, by shape. docutils adds tables over
#: time (0.23: ``names``); each is looked up by name, and one missing is skipped.
_ELEMENT_TABLES = ("ids", "names", "substitution_defs")  # key -> element
_LIST_TABLES = ("refnames", "refids", "footnote_refs", "citation_refs")  # key -> [element]
_ELEMENT_LISTS = (  # [element]
    "indirect_targets", "autofootnotes", "autofootnote_refs", "symbol_footnotes",
    "symbol_footnote_refs", "footnotes", "citations", "parse_messages", "transform_messages",
)


def _remove(doctree: nodes.document, node: nodes.Element) -> None:
    """Take a box out of the page, and out of every table of the document that
    points at its elements: the stored doctree would otherwise carry them, with
    their text, into a hidden edition."""
    if node.parent is not None:
        node.parent.remove(node)
    removed = {id(element) for element in node.findall(nodes.Element)}
    removed_ids = {ident for element in node.findall(nodes.Element) for ident in element["ids"]}
    for name in _ELEMENT_TABLES:
        table = getattr(doctree, name, None)
        if isinstance(table, dict):
            for key in [key for key, value in table.items() if id(value) in removed]:
                del table[key]
    for name in _LIST_TABLES:
        table = getattr(doctree, name, None)
        if isinstance(table, dict):
            for key, value in list(table.items()):
                kept = [element for element in value if id(element) not in removed]
                if len(kept) != len(value):
                    table[key] = kept
                if not kept:
                    del table[key]
    for name in _ELEMENT_LISTS:
        table = getattr(doctree, name, None)
        if isinstance(table, list):
            table[:] = [element for element in table if id(element) not in removed]
    for name, ident in list(doctree.nameids.items()):
        if ident in removed_ids:
            del doctree.nameids[name]
            doctree.nametypes.pop(name, None)


def _remove_orphan_footnotes(doctree: nodes.document, left_out: list[nodes.Element]) -> None:
    """Footnotes only hidden boxes referred to go with them: MyST moves a footnote
    written inside a box to the end of the page, outside the box."""
    gone = {
        ident
        for node in left_out
        for ref in node.findall(nodes.footnote_reference)
        for ident in ref["ids"]
    }
    if not gone:
        return
    for footnote in list(doctree.findall(nodes.footnote)):
        if footnote["backrefs"] and set(footnote["backrefs"]) <= gone:
            _remove(doctree, footnote)


def _unlabel_hidden(env: BuildEnvironment, docname: str, records: list[BoxRecord]) -> None:
    """Take the labels of boxes this build leaves out back out of the std domain
    (which noted them while the page was read): its inventory would publish them."""
    std = env.domains.standard_domain
    for record in records:
        if record.hidden and record.label:
            for table in (std.anonlabels, std.labels):
                entry = table.get(record.label)
                if entry and (entry[0], entry[1]) == (docname, record.id):
                    del table[record.label]


def _included_from(node: nodes.Element, page_source: str) -> str:
    """The included file the box was written in, or "" for the page's own."""
    source = node.source or ""
    if not source or source == page_source or source.startswith(page_source + ":"):
        return ""  # (docutils names some nodes "page.rst:<directive>")
    return sys.intern(source)


def _keeps_title(kind: str, label: str | None) -> bool:
    """Titles that references show: a labelled box's, and an exercise's (a reference
    to a solution that this edition hides leads to its exercise)."""
    return bool(label) or kind == EXERCISE


def _interned(label: str | None) -> str | None:
    return sys.intern(label) if label else None


def _enclosing_record(node: nodes.Element, index_of: dict[int, int]) -> int:
    parent = node.parent
    while parent is not None:
        if id(parent) in index_of:
            return index_of[id(parent)]
        parent = parent.parent
    return -1


def setup(app: Sphinx) -> None:
    # Before the environment collectors (timing sums the exercises this one keeps).
    app.connect("doctree-read", collect_boxes, priority=400)
