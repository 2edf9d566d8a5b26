"""The ``refinery`` domain: every page's box records, and what is derived from them
after reading (numbers, labels); it resolves references to box labels."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from typing import Any, ClassVar, NamedTuple

from docutils import nodes
from sphinx import addnodes
from sphinx.application import Sphinx
from sphinx.domains import Domain, ObjType
from sphinx.environment import BuildEnvironment
from sphinx.roles import XRefRole
from sphinx.util import logging
from sphinx.util.nodes import make_refnode

from ..locale import _
from ..model import lesson_rules
from ..model.records import DOMAIN, BoxRecord, short_hash
from ..pages.aggregates import toctree_order
from .titles import exercise_label, kind_title, solution_label, titled

logger = logging.getLogger(__name__)


class Resolved(NamedTuple):
    """A label as references show it."""

    docname: str
    id: str
    number: str | None
    title: str


class Derived(NamedTuple):
    """Worked out from the records after reading; never pickled."""

    numbers: dict[str, dict[str, str]]  # docname -> {box id: "3.2"}
    labels: dict[str, Resolved]
    locations: dict[str, list[tuple[str, BoxRecord]]]  # label -> every box that has it


class RefineryDomain(Domain):
    """Small records of every page's boxes, and what is derived from them."""

    name = DOMAIN
    label = "sphinx-refinery"
    # ``{refinery:box}`label```: a box's number and title, here or (through intersphinx)
    # in another lesson, whose objects.inv lists each box once, as a ``std:label``.
    object_types: ClassVar[dict[str, ObjType]] = {"box": ObjType("box", "box")}
    roles: ClassVar[dict[str, Any]] = {"box": XRefRole()}
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
        numbers = lesson_rules.number_exercises(
            self.env.config.refinery_number_exercises,
            self.episodes(self.env),
            lambda docname: [r.id for r in self.records(docname) if r.numbered and not r.hidden],
        )
        labels = {}
        locations = self.label_locations()
        for label, places in locations.items():
            docname, record = places[0]
            number = numbers.get(docname, {}).get(record.id)
            labels[label] = Resolved(docname, record.id, number, record.title)
        return Derived(numbers, labels, locations)

    def update_numbers(self, env: BuildEnvironment) -> set[str]:
        """Number the exercises and resolve labels; return the pages this changes."""
        if not self.pages_changed:
            return set()  # a no-op build: nothing to renumber (numbers are derived lazily)
        self._derived = None
        numbers, labels, _locations = self.derived
        self._label_in_std(env)
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

    def _label_in_std(self, env: BuildEnvironment) -> None:
        """Give each box label the std domain holds a display name, "Exercise 1.1:
        Rename the variables": objects.inv then names the box as references here do,
        so another lesson's ``{ref}`` shows it too (each box is in it once)."""
        std = env.domains.standard_domain
        for label, resolved in self.labels.items():
            key = f"{resolved.docname}#{resolved.id}"
            record = self.record_of(key)
            if record is None or record.hidden:
                continue
            if std.anonlabels.get(label) != (resolved.docname, resolved.id):
                continue  # the label is something else's too: the std domain keeps it
            std.labels[label] = (resolved.docname, resolved.id, self.display_title(key))

    def _as_referenced(self, label: str) -> tuple[Any, ...] | None:
        """What a reference to the label shows: where it leads, its text and number."""
        found = self._target(label)
        if found is None:
            return None
        key = found[2]
        return found, self.display_title(key), self.number_of(key)

    def is_episode(self, docname: str) -> bool:
        """What lessons call an episode (lesson_rules.is_episode, as check decides)."""
        return lesson_rules.is_episode(record.kind for record in self.records(docname))

    def episodes(self, env: BuildEnvironment) -> list[str]:
        """The episodes in toctree order, the front page aside (setup and reference
        pages do not shift the numbers)."""
        return lesson_rules.episodes(
            toctree_order(env), self.kinds, env.config.refinery_episodes
        )

    def kinds(self, docname: str) -> list[str]:
        """The kinds of the page's boxes, in order."""
        return [record.kind for record in self.records(docname)]

    def number_of(self, key: str) -> str | None:
        docname, _sep, ident = key.partition("#")
        return self.numbers.get(docname, {}).get(ident)

    def names_a_label(self, docname: str) -> bool:
        """Whether a reference read on the page names a box label."""
        labels = self.labels
        return any(lesson_rules.normalize_label(t) in labels for t in self.data["refs"].get(docname, ()))

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
        for label, places in self.derived.locations.items():
            first_doc, first = places[0]
            for docname, record in places[1:]:
                logger.warning(
                    "duplicate label %r, other instance in %s, line %d",
                    label,
                    first.source or self.env.doc2path(first_doc),
                    first.line,
                    location=record_location(docname, record),
                    type="refinery",
                    subtype="duplicate-label",
                )
            other = std.labels.get(label) or std.anonlabels.get(label)
            # Another target, not one of these boxes (each is in the std domain too):
            # else a label used twice would be reported twice.
            if other and (other[0], other[1]) not in {(d, r.id) for d, r in places}:
                logger.warning(
                    "label %r is used by a box and also in %s",
                    label,
                    self.env.doc2path(other[0]),
                    location=record_location(first_doc, first),
                    type="refinery",
                    subtype="duplicate-label",
                )
        for docname in self.pages():
            records = self.records(docname)
            kinds = [r.kind for r in records]
            parents = [r.parent for r in records]
            for index, record in enumerate(records):
                if record.kind != lesson_rules.SOLUTION:
                    continue
                named = record.exercise
                if named and not named.startswith("#") and named not in self.labels:
                    message = lesson_rules.unknown_exercise(named)
                elif not named and lesson_rules.misplaced_solution(kinds, parents, index):
                    message = lesson_rules.ORPHAN_SOLUTION
                else:
                    continue
                # The checker's rule and id: the build and check say the same.
                logger.warning(
                    message, location=record_location(docname, record), type="refinery",
                    subtype="solution-without-exercise",
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
        resolved = self.labels.get(lesson_rules.normalize_label(target))
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
        if record.hidden and record.kind != lesson_rules.SOLUTION:
            return kind_title(record.kind)  # its own title is left out with it
        if record.kind == lesson_rules.SOLUTION:
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
            return refnode(builder, fromdocname, docname, ident, contnode)
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
        return refnode(builder, fromdocname, docname, ident, contnode, contnode.astext())

    def numref_text(self, key: str, template: str | None, node: nodes.Element) -> str:
        """A ``{numref}``'s text, as Sphinx's numref makes it: ``%s`` or ``{number}``
        for the number, ``{name}`` for the title; a warning when there is no number."""
        record = self.record_of(key)
        number = self.number_of(key)
        if record is not None and record.kind == lesson_rules.SOLUTION:
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
            if record and record.kind == lesson_rules.SOLUTION:
                return self.display_title(key)
            return exercise_label(number)
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
        if lesson_rules.normalize_label(target) not in self.labels:
            return []
        resolved = self.resolve_xref(env, fromdocname, builder, "ref", target, node, contnode)
        return [(f"{DOMAIN}:ref", resolved)] if resolved is not None else []

    def get_objects(self) -> Iterator[tuple[str, str, str, str, str, int]]:
        # None: objects.inv lists each box once, as the std domain's label with its
        # number and title (_label_in_std); a second entry would make MyST's
        # ``inv:`` links ambiguous.
        return iter(())

    def has_hidden(self, docname: str) -> bool:
        """The page has boxes this build leaves out."""
        return any(record.hidden for record in self.records(docname))


def refnode(
    builder: Any, fromdocname: str, docname: str, ident: str, contnode: nodes.Node, title: str | None = None
) -> nodes.reference:
    """Sphinx's make_refnode, less a second ``#``: where a page's address is itself a
    fragment (Sphinx 9.0's singlehtml: ``#document-naming``), the box's id replaces it."""
    node = make_refnode(builder, fromdocname, docname, ident, contnode, title)
    uri = node.get("refuri", "")
    if ident and uri.count("#") > 1:
        node["refuri"] = uri.partition("#")[0] + "#" + ident
    return node


def record_location(docname: str, record: BoxRecord) -> Any:
    """Where a warning about the box points: its page, or the included file it is in."""
    if record.source:
        return f"{record.source}:{record.line}"
    return (docname, record.line)


def update_numbers(app: Sphinx, env: BuildEnvironment) -> list[str]:
    """``env-updated``: renumber, and rewrite the pages whose numbers or references moved."""
    return sorted(env.domains[DOMAIN].update_numbers(env))


def updated(app: Sphinx, env: BuildEnvironment) -> None:
    """``env-updated``, last: what changed has been handled (numbers, gathered pages)."""
    env.domains[DOMAIN].pages_changed = False


def setup(app: Sphinx) -> None:
    app.add_domain(RefineryDomain)
    app.connect("env-updated", update_numbers)
    app.connect("env-updated", updated, priority=990)
