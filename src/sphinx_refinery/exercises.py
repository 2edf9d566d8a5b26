"""Exercises: labels and references, numbering, durations, the exercise list, solutions.

What the environment keeps is a few small records per page (:class:`BoxRecord`,
pickled as they are, as sphinx.ext.todo keeps its own), never nodes. Numbers come from the pages' order in the
toctree and are worked out after reading (``env-updated``), never pickled. The
exercise list and the other gathered lists are in :mod:`.box_lists`.
"""

from __future__ import annotations

import hashlib
import re
import sys
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Any, ClassVar, NamedTuple

from docutils import nodes
from sphinx import addnodes
from sphinx.application import Sphinx
from sphinx.domains import Domain
from sphinx.environment import BuildEnvironment
from sphinx.transforms.post_transforms import SphinxPostTransform
from sphinx.util import docname_join, logging
from sphinx.util.nodes import make_refnode

from .aggregates import toctree_order
from .boxes import BOX_CLASS
from .locale import _

logger = logging.getLogger(__name__)

DOMAIN = "refinery"
#: Classes an exercise list takes when its ``:include:`` is not given (sphinx-lesson's).
DEFAULT_INCLUDE = ("exercise", "solution", "challenge", "exerciselist-include")
DEFAULT_EXCLUDE = ("exerciselist-exclude",)
#: Std and MyST reference types that may name a box label.
REF_TYPES = frozenset({"ref", "numref"})
#: Boxes that make a page an episode (rather than a setup or reference page).
EPISODE_KINDS = frozenset({"objectives", "exercise", "keypoints"})


class BoxRecord(NamedTuple):
    """What the environment keeps of one box: plain, small and picklable."""

    id: str
    kind: str  # a lesson box kind, or "" for another admonition with lesson classes
    classes: tuple[str, ...]
    title: str  # kept where references show it: labelled boxes and exercises
    line: int
    label: str | None
    time: int | None
    parent: int  # index of the enclosing recorded box on the page, or -1
    numbered: bool
    exercise: str | None  # a solution's exercise, as "#id" on this page or a label
    hidden: bool


class Resolved(NamedTuple):
    """A label as references show it."""

    docname: str
    id: str
    number: str | None
    title: str


def short_hash(text: str) -> int:
    """A hash that is the same in every process (unlike hash()), and pickles small."""
    return int.from_bytes(hashlib.blake2b(text.encode(), digest_size=4).digest(), "big")


def _content_digest(boxes: list[nodes.Element]) -> int:
    """A hash of the boxes as gathered pages copy them: their text and attributes."""
    parts: list[str] = []
    for box in boxes:
        for node in box.findall():
            parts.append(node if isinstance(node, nodes.Text) else f"{node.tagname}{node.attributes!r}")
    return short_hash("\x00".join(parts))


# -- reading ---------------------------------------------------------------------------------


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
    return "".join(t.astext() for t in title.children if not _is_duration(t)).strip()


def _is_duration(node: nodes.Node) -> bool:
    return isinstance(node, nodes.inline) and "refinery-duration" in node["classes"]


def left_out_by_only(node: nodes.Node, tags: Any) -> bool | None:
    """Whether an enclosing ``only`` leaves the node out of this build (as Sphinx's
    ``only`` does at write time); None when no ``only`` encloses it."""
    found = None
    parent = node.parent
    while parent is not None:
        if isinstance(parent, addnodes.only):
            try:
                keep = tags.eval_condition(parent["expr"])
            except Exception:  # noqa: BLE001  Sphinx keeps it, and warns when writing
                keep = True
            if not keep:
                return True
            found = False
        parent = parent.parent
    return found


def edition_hides(config: Any) -> set[str]:
    """Kinds left out of this edition (a handout without solutions, a learners' edition)."""
    return {
        kind
        for kind, hide in (
            ("solution", config.refinery_solutions == "hidden"),
            ("instructor-note", config.refinery_instructor_notes == "hidden"),
        )
        if hide
    }


def collect_boxes(app: Sphinx, doctree: nodes.document) -> None:
    """``doctree-read``: record the page's boxes; drop the kinds this edition hides,
    and the boxes an ``only`` leaves out of this build."""
    env = app.env
    docname = env.docname
    hidden = edition_hides(env.config)
    records: list[BoxRecord] = []
    index_of: dict[int, int] = {}  # id(node) -> record index
    last_exercise: str | None = None
    seen: dict[str, int] = {}
    left_out: list[nodes.Element] = []
    guarded = False  # a box inside an ``only``: read again when the tags change
    for node in doctree.findall(nodes.Admonition):
        if not _listable(node):
            continue
        only = left_out_by_only(node, app.builder.tags)
        guarded = guarded or only is not None
        kind = node.get("refinery_kind", "")
        parent = _enclosing_record(node, index_of)
        ident = _box_id(doctree, node, nodes.make_id(f"{docname}-{kind or 'box'}"), seen)
        node["refinery_key"] = f"{docname}#{ident}"
        exercise = None
        if kind == "solution":
            exercise = node.get("refinery_exercise")
            if exercise is None:
                enclosing = _enclosing_exercise(node, records, index_of)
                exercise = f"#{enclosing}" if enclosing else last_exercise
        # Inside a box this edition leaves out, a box is left out with it.
        is_hidden = kind in hidden or bool(only) or (parent >= 0 and records[parent].hidden)
        if kind == "exercise":
            last_exercise = f"#{ident}"
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
                numbered=kind == "exercise" and not node.get("refinery_nonumber"),
                exercise=exercise,
                hidden=is_hidden,
            )
        )
        if is_hidden and not (parent >= 0 and records[parent].hidden):
            left_out.append(node)
    for node in left_out:
        _remove(doctree, node)
    _unlabel_hidden(env, docname, records)
    if hidden:
        # A hidden box that failed to parse is kept as written in its error message.
        pattern = _hidden_directive(hidden)
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
        outermost = [n for n in doctree.findall(nodes.Admonition) if id(n) in index_of
                     and _enclosing_record(n, index_of) == -1]
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


def _remove(doctree: nodes.document, node: nodes.Element) -> None:
    """Take a box out of the page, and out of the page's id and name tables (which
    the stored doctree would otherwise carry, with the box, into a hidden edition)."""
    if node.parent is not None:
        node.parent.remove(node)
    for element in node.findall(nodes.Element):
        for ident in element["ids"]:
            if doctree.ids.get(ident) is element:
                del doctree.ids[ident]
        for name in element["names"]:
            if doctree.nameids.get(name) in element["ids"]:
                del doctree.nameids[name]
                doctree.nametypes.pop(name, None)


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


def _keeps_title(kind: str, label: str | None) -> bool:
    """Titles that references show: a labelled box's, and an exercise's (a reference
    to a solution that this edition hides leads to its exercise)."""
    return bool(label) or kind == "exercise"


def _interned(label: str | None) -> str | None:
    return sys.intern(label) if label else None


def _enclosing_record(node: nodes.Element, index_of: dict[int, int]) -> int:
    parent = node.parent
    while parent is not None:
        if id(parent) in index_of:
            return index_of[id(parent)]
        parent = parent.parent
    return -1


def _enclosing_exercise(
    node: nodes.Element, records: list[BoxRecord], index_of: dict[int, int]
) -> str | None:
    parent = node.parent
    while parent is not None:
        index = index_of.get(id(parent))
        if index is not None and records[index].kind == "exercise":
            return records[index].id
        parent = parent.parent
    return None


# -- the domain: records, numbers, labels ----------------------------------------------------


class Derived(NamedTuple):
    """Worked out from the records after reading; never pickled."""

    numbers: dict[str, dict[str, str]]  # docname -> {box id: "3.2"}
    labels: dict[str, Resolved]


class RefineryDomain(Domain):
    """Small records of every page's boxes, and what is derived from them."""

    name = DOMAIN
    label = "sphinx-refinery"
    initial_data: ClassVar[dict[str, Any]] = {
        "boxes": {},  # docname -> (BoxRecord, ...) in page order
        "refs": {},  # docname -> (reference targets on the page)
        "digests": {},  # docname -> a hash of the page's boxes, as gathered pages copy them
        "guarded": {},  # docname -> True: it has boxes inside an ``only``
        # docname -> a hash of what the page shows from other pages (its numbers, the
        # labels it names): a page whose hash moves is written again.
        "shown": {},
    }

    def __init__(self, env: BuildEnvironment) -> None:
        super().__init__(env)
        self._derived: Derived | None = None
        #: A page was read or removed since the last env-updated: only then can
        #: numbers, labels and gathered pages have changed.
        self.pages_changed = False

    # Records -------------------------------------------------------------------------------

    def store(self, docname: str, records: list[BoxRecord]) -> None:
        self.data["boxes"][docname] = tuple(records)
        self._derived = None
        self.pages_changed = True

    def records(self, docname: str) -> tuple[BoxRecord, ...]:
        """The page's boxes in document order (() for a page without any)."""
        return self.data["boxes"].get(docname, ())

    def pages(self) -> list[str]:
        """The pages that have boxes, sorted."""
        return sorted(self.data["boxes"])

    def clear_doc(self, docname: str) -> None:
        for key in ("boxes", "refs", "digests", "guarded"):
            self.data[key].pop(docname, None)
        self._derived = None
        self.pages_changed = True

    def merge_domaindata(self, docnames: Iterable[str], otherdata: dict[str, Any]) -> None:
        for docname in docnames:
            for key in ("boxes", "refs", "digests", "guarded"):
                if docname in otherdata[key]:
                    self.data[key][docname] = otherdata[key][docname]
        self._derived = None
        self.pages_changed = True

    # Derived data ---------------------------------------------------------------------------

    @property
    def derived(self) -> Derived:
        if self._derived is None:
            self._derived = self._derive()
        return self._derived

    @property
    def labels(self) -> dict[str, Resolved]:
        return self.derived.labels

    @property
    def numbers(self) -> dict[str, dict[str, str]]:
        return self.derived.numbers

    def label_locations(self) -> dict[str, list[tuple[str, BoxRecord]]]:
        found: dict[str, list[tuple[str, BoxRecord]]] = {}
        for docname in self.pages():
            for record in self.records(docname):
                if record.label:
                    found.setdefault(record.label, []).append((docname, record))
        return found

    def _derive(self) -> Derived:
        mode = self.env.config.refinery_number_exercises
        mode = "episode" if mode is True else mode
        numbers: dict[str, dict[str, str]] = {}
        if mode:
            count = 0
            for episode, docname in enumerate(self.episodes(self.env), start=1):
                if mode == "episode":
                    count = 0
                for record in self.records(docname):
                    if record.numbered and not record.hidden:
                        count += 1
                        numbers.setdefault(docname, {})[record.id] = (
                            f"{episode}.{count}" if mode == "episode" else str(count)
                        )
        labels = {}
        for label, places in self.label_locations().items():
            docname, record = places[0]
            number = numbers.get(docname, {}).get(record.id)
            labels[label] = Resolved(docname, record.id, number, record.title)
        return Derived(numbers, labels)

    def update_numbers(self, env: BuildEnvironment) -> set[str]:
        """Number the exercises and resolve labels; return the pages this changes."""
        if not self.pages_changed:
            return set()  # a no-op build: nothing to renumber (numbers are derived lazily)
        self._derived = None
        numbers, labels = self.derived
        shown = {}
        for docname in set(self.data["boxes"]) | set(self.data["refs"]):
            named = [self._as_referenced(target) for target in self.data["refs"].get(docname, ())]
            named += [
                labels.get(record.exercise)
                for record in self.records(docname)
                if record.exercise and not record.exercise.startswith("#")
            ]
            page_numbers = sorted(numbers.get(docname, {}).items())
            if page_numbers or any(named):
                shown[docname] = short_hash(repr((page_numbers, named)))
        old = self.data["shown"]
        self.data["shown"] = shown
        return {
            docname
            for docname in set(shown) | set(old)
            if shown.get(docname) != old.get(docname) and docname in env.all_docs
        }

    def _as_referenced(self, label: str) -> tuple[Any, ...] | None:
        """What a reference to the label shows: where it leads, its text and number."""
        found = self._target(label)
        if found is None:
            return None
        key = found[2]
        return found, self.display_title(key), self.number_of(key)

    def is_episode(self, docname: str) -> bool:
        """A page with objectives, exercises or key points: what lessons call an episode."""
        return any(record.kind in EPISODE_KINDS for record in self.records(docname))

    def episodes(self, env: BuildEnvironment) -> list[str]:
        """The episodes in toctree order, the front page aside (setup and reference
        pages do not shift the numbers)."""
        return [d for d in toctree_order(env)[1:] if self.is_episode(d)]

    def number_of(self, key: str) -> str | None:
        docname, _sep, ident = key.partition("#")
        return self.numbers.get(docname, {}).get(ident)

    def record_of(self, key: str) -> BoxRecord | None:
        docname, _sep, ident = key.partition("#")
        for record in self.records(docname):
            if record.id == ident:
                return record
        return None

    def exercise_of(self, key: str) -> str | None:
        """The key of the exercise a solution belongs to."""
        record = self.record_of(key)
        if record is None or not record.exercise:
            return None
        if record.exercise.startswith("#"):
            return key.partition("#")[0] + record.exercise
        target = self.labels.get(record.exercise)
        return f"{target.docname}#{target.id}" if target else None

    def check_consistency(self) -> None:
        std = self.env.domains.standard_domain
        for label, places in self.label_locations().items():
            first_doc, first = places[0]
            for docname, record in places[1:]:
                logger.warning(
                    "duplicate label %r, other instance in %s, line %d",
                    label,
                    self.env.doc2path(first_doc),
                    first.line,
                    location=(docname, record.line),
                    type="refinery",
                    subtype="duplicate-label",
                )
            other = std.labels.get(label) or std.anonlabels.get(label)
            if other and (other[0], other[1]) != (first_doc, first.id):
                logger.warning(
                    "label %r is used by a box and also in %s",
                    label,
                    self.env.doc2path(other[0]),
                    location=(first_doc, first.line),
                    type="refinery",
                    subtype="duplicate-label",
                )
        for docname in self.pages():
            for record in self.records(docname):
                named = record.exercise
                if named and not named.startswith("#") and named not in self.labels:
                    logger.warning(
                        "solution names exercise %r, but no exercise has that label",
                        named,
                        location=(docname, record.line),
                        type="refinery",
                        subtype="solution",
                    )

    # Reference resolution ------------------------------------------------------------------

    def _target(self, target: str) -> tuple[str, str, str] | None:
        """(docname, id, key) that a label or a "docname#id" key points at."""
        if "#" in target:
            record = self.record_of(target)
            if record is None:
                return None
            docname = target.partition("#")[0]
            return docname, record.id, target
        resolved = self.labels.get(nodes.fully_normalize_name(target))
        if resolved is None:
            return None
        key = f"{resolved.docname}#{resolved.id}"
        record = self.record_of(key)
        if record is not None and record.hidden:
            exercise = self.exercise_of(key)
            if exercise is None:
                return resolved.docname, "", key  # shown as plain text, with no link
            docname, _sep, ident = exercise.partition("#")
            return docname, ident, exercise
        return resolved.docname, resolved.id, key

    def display_title(self, key: str) -> str:
        """A box's title as references show it, with its number when it has one."""
        record = self.record_of(key)
        if record is None:
            return ""
        if record.hidden and record.kind != "solution":
            return kind_title(record.kind)  # its own title is left out with it
        if record.kind == "solution":
            target = self.exercise_of(key)
            number = self.number_of(target) if target else None
            if number is None:
                return kind_title(record.kind) if record.hidden else record.title
            lead = solution_label(number)
            if record.title in (str(_("Solution")), ""):  # "": hidden, its title left out
                return lead
            return titled(lead, record.title)
        number = self.number_of(key)
        if number is None:
            return record.title
        label = exercise_label(number)
        return label if record.title == str(_("Exercise")) else titled(label, record.title)

    def resolve_xref(
        self,
        env: BuildEnvironment,
        fromdocname: str,
        builder: Any,
        typ: str,
        target: str,
        node: addnodes.pending_xref,
        contnode: nodes.Element,
    ) -> nodes.Element | None:
        if typ == "anchor":  # "docname#id": any anchor on a page
            docname, _sep, ident = target.partition("#")
            return make_refnode(builder, fromdocname, docname, ident, contnode)
        found = self._target(target)
        if found is None:
            return None
        docname, ident, key = found
        explicit = node.get("refexplicit")
        if typ == "numref":
            text = self.numref_text(key, contnode.astext() if explicit else None, node)
            contnode = nodes.inline(text, text, classes=["std", "std-numref"])
        elif not explicit and typ in ("ref", "box"):
            text = self.display_title(key)
            contnode = nodes.inline(text, text, classes=["std", "std-ref"])
        if not ident:
            return contnode
        return make_refnode(builder, fromdocname, docname, ident, contnode, contnode.astext())

    def numref_text(self, key: str, template: str | None, node: nodes.Element) -> str:
        """A ``{numref}``'s text, as Sphinx's numref makes it: ``%s`` or ``{number}``
        for the number, ``{name}`` for the title; a warning when there is no number."""
        record = self.record_of(key)
        number = self.number_of(key)
        if record is not None and record.kind == "solution":
            target = self.exercise_of(key)
            number = self.number_of(target) if target else None
        if number is None:
            logger.warning(
                "no number is assigned to %r (exercises are numbered with "
                "refinery_number_exercises): the reference shows no number",
                node["reftarget"],
                location=node,
                type="refinery",
                subtype="numref",
            )
            return template if template is not None else self.display_title(key)
        if template is None:
            return self.display_title(key) if record and record.kind == "solution" else exercise_label(number)
        name = record.title if record is not None else ""
        try:
            if "{name}" in template:
                return template.format(name=name, number=number)
            if "{number}" in template:
                return template.format(number=number)
            return template % number
        except (KeyError, IndexError, ValueError, TypeError):
            logger.warning(
                "invalid numref text %r: use %%s or {number} for the number, {name} for the title",
                template,
                location=node,
                type="refinery",
                subtype="numref",
            )
            return template

    def resolve_any_xref(
        self,
        env: BuildEnvironment,
        fromdocname: str,
        builder: Any,
        target: str,
        node: addnodes.pending_xref,
        contnode: nodes.Element,
    ) -> list[tuple[str, nodes.Element]]:
        if nodes.fully_normalize_name(target) not in self.labels:
            return []
        resolved = self.resolve_xref(env, fromdocname, builder, "ref", target, node, contnode)
        return [(f"{DOMAIN}:ref", resolved)] if resolved is not None else []

    def get_objects(self) -> Iterator[tuple[str, str, str, str, str, int]]:
        for label, resolved in self.labels.items():
            record = self.record_of(f"{resolved.docname}#{resolved.id}")
            if record is None or record.hidden:
                continue  # left out of this build: not in its inventory either
            yield label, resolved.title or label, "box", resolved.docname, resolved.id, -1

    def has_hidden(self, docname: str) -> bool:
        """The page has boxes this build leaves out."""
        return any(record.hidden for record in self.records(docname))


def reread_for_new_tags(
    app: Sphinx, env: BuildEnvironment, added: set[str], changed: set[str], removed: set[str]
) -> list[str]:
    """``env-get-outdated``: pages with boxes inside an ``only``, when the tags changed
    (which boxes they keep was decided when they were read)."""
    tags = sorted(app.builder.tags)
    previous = getattr(env, TAGS_ATTRIBUTE, tags)
    setattr(env, TAGS_ATTRIBUTE, tags)
    if previous == tags:
        return []
    guarded = env.domains[DOMAIN].data["guarded"]
    return sorted(d for d in guarded if d in env.found_docs)


TAGS_ATTRIBUTE = "refinery_tags"


def no_source_for_hidden(
    app: Sphinx, pagename: str, templatename: str, context: dict[str, Any], doctree: Any
) -> None:
    """``html-page-context``: a page with boxes this edition leaves out gets no copy of
    its source in ``_sources`` (it holds them all), nor a link to one."""
    if doctree is None or not context.get("sourcename"):
        return
    if not app.env.domains[DOMAIN].has_hidden(pagename) and not _names_hidden_kinds(app, pagename):
        return
    # A copy an earlier build of this folder made would still publish them.
    (Path(app.outdir) / "_sources" / context["sourcename"]).unlink(missing_ok=True)
    context["sourcename"] = ""


def _names_hidden_kinds(app: Sphinx, pagename: str) -> bool:
    """The page's source names a kind this edition hides: even a box that failed to
    parse (and so was never recorded) is in the source, as written."""
    kinds = edition_hides(app.config)
    if not kinds:
        return False
    try:
        text = Path(app.env.doc2path(pagename)).read_text(encoding="utf-8", errors="replace")
    except OSError:
        return False
    return _hidden_directive(kinds).search(text) is not None


def _hidden_directive(kinds: set[str]) -> re.Pattern[str]:
    """A directive of one of ``kinds``, in MyST or rST."""
    names = "|".join(re.escape(kind) for kind in sorted(kinds))
    return re.compile(rf"\{{({names})\}}|\.\.\s+({names})\s*::")


def update_numbers(app: Sphinx, env: BuildEnvironment) -> list[str]:
    """``env-updated``: renumber, and rewrite the pages whose numbers or references moved."""
    return sorted(env.domains[DOMAIN].update_numbers(env))


def updated(app: Sphinx, env: BuildEnvironment) -> None:
    """``env-updated``, last: what changed has been handled (numbers, gathered pages)."""
    env.domains[DOMAIN].pages_changed = False


# -- write time: numbers, references, exercise lists -----------------------------------------


def _xref(key: str, content: nodes.Element, refdoc: str, reftype: str = "box") -> addnodes.pending_xref:
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


class NumberBoxes(SphinxPostTransform):
    """Put numbers in exercise titles, and name each solution's exercise."""

    default_priority = 5

    def run(self, **kwargs: Any) -> None:
        domain: RefineryDomain = self.env.domains[DOMAIN]
        if not domain.numbers:
            return
        for node in self.document.findall(nodes.Admonition):
            key = node.get("refinery_key")
            if not key or not isinstance(node.children[0], nodes.title):
                continue
            title: nodes.title = node.children[0]
            kind = node.get("refinery_kind")
            if kind == "exercise":
                number = domain.number_of(key)
                if number is None:
                    continue
                lead: nodes.Node = nodes.Text(exercise_label(number))
            elif kind == "solution":
                target = domain.exercise_of(key)
                number = domain.number_of(target) if target else None
                if number is None:
                    continue
                text = solution_label(number)
                lead = _xref(target, nodes.inline(text, text), self.env.docname)
                if target.partition("#")[0] != key.partition("#")[0]:
                    # On another page: say where, in the body too (HTML titles hold no links).
                    label = exercise_label(number)
                    see = _xref(target, nodes.inline(label, label), self.env.docname)
                    node.insert(1, nodes.paragraph("", "", see, classes=["refinery-see-also"]))
            else:
                continue
            durations = [child for child in title.children if _is_duration(child)]
            words = [child for child in title.children if not _is_duration(child)]
            if node.get("refinery_default_title"):
                words = []
            title.clear()
            if words:
                title += _titled_nodes(lead, words)
            else:
                title += lead
            for duration in durations:
                title += [nodes.Text(" "), duration]


def kind_title(kind: str) -> str:
    """A box kind's default title (translated), for a box whose own is left out."""
    from .boxes import BOX_KINDS

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


def _titled_nodes(lead: nodes.Node, words: list[nodes.Node]) -> list[nodes.Node]:
    """:func:`titled` for nodes: the label node and the title's own inline markup."""
    marker_label, marker_title = "\x00label\x00", "\x00title\x00"
    pattern = titled(marker_label, marker_title)
    out: list[nodes.Node] = []
    for piece in re.split("(\x00label\x00|\x00title\x00)", pattern):
        if piece == marker_label:
            out.append(lead)
        elif piece == marker_title:
            out.extend(words)
        elif piece:
            out.append(nodes.Text(piece))
    return out


class BoxReferences(SphinxPostTransform):
    """Send references to a box label to this domain, which shows the box's number
    and title: ``{ref}`` and ``{numref}``, and the MyST links and ``{any}`` that name
    no page. Labels match as Sphinx's do: whatever their case and spacing."""

    default_priority = 6

    def run(self, **kwargs: Any) -> None:
        labels = self.env.domains[DOMAIN].labels
        if not labels:
            return
        for node in self.document.findall(addnodes.pending_xref):
            reftype = node.get("reftype")
            if nodes.fully_normalize_name(node["reftarget"]) not in labels:
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


def setup(app: Sphinx) -> None:
    app.add_domain(RefineryDomain)
    # Before the environment collectors (timing sums the exercises this one keeps).
    app.connect("doctree-read", collect_boxes, priority=400)
    app.connect("env-get-outdated", reread_for_new_tags)
    app.connect("html-page-context", no_source_for_hidden)
    app.connect("env-updated", update_numbers)
    app.connect("env-updated", updated, priority=990)
    app.add_post_transform(NumberBoxes)
    app.add_post_transform(BoxReferences)
    from . import box_lists  # the gathered lists, in their own module

    box_lists.setup(app)
