"""What a gathered list shows: its specs, the boxes it chooses, and the transform that fills it.

The builders fill a list in two ways (:mod:`.list_html`, :mod:`.list_copies`); both take
the entries chosen here.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any, NamedTuple

from docutils import nodes
from sphinx.application import Sphinx
from sphinx.environment import BuildEnvironment
from sphinx.environment.collectors import EnvironmentCollector
from sphinx.transforms.post_transforms import SphinxPostTransform

from ..locale import _
from ..model.records import DOMAIN, BoxRecord
from ..pages import aggregates
from ..pages.aggregates import toctree_order

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


def skip_box_list(self: Any, node: nodes.Node) -> None:
    raise nodes.SkipNode


def specs(env: BuildEnvironment) -> dict[str, tuple[tuple[tuple[str, ...], tuple[str, ...]], ...]]:
    if not hasattr(env, SPECS):
        setattr(env, SPECS, {})
    return getattr(env, SPECS)


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



def page_title(env: BuildEnvironment, docname: str) -> str:
    """A listed page's title, as its heading in a list shows it."""
    return env.titles[docname].astext() if docname in env.titles else docname


