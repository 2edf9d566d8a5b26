"""Lesson boxes: exercise, solution, instructor-note, keypoints, ...

Every box is a plain :class:`docutils.nodes.admonition` carrying its kind as a
class, so every builder renders it. Collapsible boxes become ``<details>`` only
in HTML output, through :class:`CollapsibleBoxes`, a post-transform limited to
the html format.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any, ClassVar

from docutils import nodes
from docutils.parsers.rst import directives
from sphinx.application import Sphinx
from sphinx.config import Config
from sphinx.locale import admonitionlabels
from sphinx.transforms.post_transforms import SphinxPostTransform
from sphinx.util import logging
from sphinx.util.docutils import SphinxDirective

from .locale import _

logger = logging.getLogger(__name__)

STATIC_DIR = Path(__file__).parent / "static"

#: Classes that lessons already use (from sphinx-togglebutton) to fold a box.
COLLAPSE_CLASSES = frozenset({"dropdown", "toggle"})
#: With a collapse class: start open.
SHOWN_CLASS = "toggle-shown"

COLLAPSIBLE_CHOICES = (None, "open", "closed")
#: Marks every lesson box, so the stylesheet leaves other admonitions to the theme.
BOX_CLASS = "refinery-box"


@dataclass(frozen=True)
class BoxKind:
    """One kind of lesson box. ``name`` is both the directive and the CSS class."""

    name: str
    #: Default title, shown when the author gives none (translated).
    title: Any
    aliases: tuple[str, ...] = ()
    #: None: a plain box; "closed"/"open": a collapsible box in HTML.
    collapsible: str | None = None
    #: Accepts ``:time:`` (minutes), counted by the timing features.
    timed: bool = False
    #: Classes added to every box of this kind (sphinx-lesson's extra_classes).
    extra_classes: tuple[str, ...] = ()

    def __post_init__(self) -> None:
        if not self.name or nodes.make_id(self.name) != self.name:
            raise ValueError(f"{self.name!r} is not a valid kind name (use lower-case-with-dashes)")
        if self.collapsible not in COLLAPSIBLE_CHOICES:
            raise ValueError(f"collapsible must be None, 'open' or 'closed', not {self.collapsible!r}")

    @classmethod
    def from_config(cls, name: str, options: Any) -> BoxKind:
        """Build a kind from a ``refinery_box_kinds`` entry."""
        if options is None:
            options = {}
        if not isinstance(options, dict):
            raise TypeError("options must be a dict")
        unknown = set(options) - {"title", "aliases", "collapsible", "timed"}
        if unknown:
            raise ValueError(f"unknown option(s) {', '.join(sorted(unknown))}")
        title = options.get("title", name.replace("-", " ").capitalize())
        aliases = options.get("aliases", ())
        if isinstance(aliases, str) or not all(isinstance(a, str) for a in aliases):
            raise TypeError("aliases must be a list of names")
        return cls(
            name=name,
            title=str(title),
            aliases=tuple(aliases),
            collapsible=options.get("collapsible"),
            timed=bool(options.get("timed", False)),
        )

    @property
    def directive_names(self) -> tuple[str, ...]:
        return (self.name, *self.aliases)

    def is_default_title(self, text: str) -> bool:
        """A title that only repeats the kind's own ("Solution" on a solution box)."""
        words = _bare(text)
        return bool(words) and words in (_bare(str(self.title)), _bare(self.name))


def _bare(text: str) -> str:
    return "".join(char for char in text.casefold() if char.isalnum())


#: The built-in kinds: the one table every other part of the package reads.
BOX_KINDS: tuple[BoxKind, ...] = (
    BoxKind("exercise", _("Exercise"), aliases=("challenge",), timed=True),
    BoxKind("solution", _("Solution"), collapsible="closed", extra_classes=("dropdown",)),
    BoxKind("instructor-note", _("Instructor note")),
    BoxKind("discussion", _("Discussion"), timed=True),
    BoxKind("keypoints", _("Keypoints")),
    BoxKind("objectives", _("Objectives")),
    BoxKind("questions", _("Questions")),
    BoxKind("prerequisites", _("Prerequisites"), aliases=("prereq",)),
    BoxKind("callout", _("Callout")),
    BoxKind("checklist", _("Checklist")),
    BoxKind("testimonial", _("Testimonial")),
    BoxKind("demo", _("Demo"), timed=True),
    BoxKind("type-along", _("Type-Along"), timed=True),
    BoxKind("homework", _("Homework")),
    BoxKind("output", _("Output")),
)


def minutes(argument: str | None) -> int:
    """Option converter for ``:time:``: a whole number of minutes."""
    text = (argument or "").strip()
    text = text.removesuffix("min").strip()
    # ASCII digits only: str.isdigit() also takes "²" and "①", which int() refuses.
    if not (text.isascii() and text.isdigit()):
        raise ValueError(f"expected a whole number of minutes, like 15, not {argument!r}")
    return int(text)


class LessonBox(SphinxDirective):
    """The directive behind every box kind; ``kind`` is set per subclass."""

    kind: ClassVar[BoxKind]

    optional_arguments = 1
    final_argument_whitespace = True
    has_content = True
    option_spec: ClassVar[dict[str, Any]] = {
        "class": directives.class_option,
        "name": directives.unchanged_required,
        "label": directives.unchanged_required,
    }

    @classmethod
    def for_kind(cls, kind: BoxKind) -> type[LessonBox]:
        spec = dict(cls.option_spec)
        if kind.timed:
            spec["time"] = minutes
        if kind.name == "exercise":
            spec["nonumber"] = directives.flag
        if kind.name == "solution":
            spec["exercise"] = directives.unchanged_required
        class_name = "".join(part.capitalize() for part in kind.name.split("-")) + "Box"
        return type(class_name, (cls,), {"kind": kind, "option_spec": spec})

    @classmethod
    def box_kind(cls) -> BoxKind:
        return cls.kind

    def run(self) -> list[nodes.Node]:
        kind = self.box_kind()
        title_text = self.arguments[0] if self.arguments else ""
        if kind.is_default_title(title_text):
            title_text = ""  # shown as the default: "Solution to Exercise 1.1", not "...: Solution"
        user_classes = self.options.get("class", [])
        title_slug = nodes.make_id(title_text or str(kind.title))
        classes = [
            f"admonition-{kind.name}",
            kind.name,
            BOX_CLASS,
            *kind.extra_classes,
            *user_classes,
        ]
        if f"admonition-{title_slug}" not in classes:
            classes.append(f"admonition-{title_slug}")
        node = nodes.admonition("", classes=classes, refinery_kind=kind.name)
        self.set_source_info(node)

        title, messages = self._title(title_text, str(kind.title))
        if not title_text:
            node["refinery_default_title"] = True
        if "time" in self.options:
            node["refinery_time"] = self.options["time"]
            title += nodes.Text(" ")
            title += nodes.inline(
                "", _("(%d min)") % self.options["time"], classes=["refinery-duration"]
            )
        node += title
        node += messages

        collapse = _collapse_state(kind, classes)
        if collapse:
            node["refinery_collapse"] = collapse
        if "nonumber" in self.options:
            node["refinery_nonumber"] = True
        if "exercise" in self.options:
            node["refinery_exercise"] = self.options["exercise"]
        label = self.options.get("label") or self.options.get("name")
        if label:
            node["refinery_label"] = label
            self._set_id(node, label)

        self.state.nested_parse(self.content, self.content_offset, node)
        return [node]

    def _title(self, text: str, default: str) -> tuple[nodes.title, list[nodes.Node]]:
        if not text:
            # From our own catalog, not the lesson's: keep it out of the lesson's .pot.
            # Its source info spares Sphinx a costly fallback for titles without one.
            title = nodes.title(default, default, translatable=False)
            self.set_source_info(title)
            return title, []
        inline, messages = self.state.inline_text(text, self.lineno)
        title = nodes.title(text, "", *inline)
        # Markdown lets raw HTML through; in a title it is shown as text, escaped.
        for raw in list(title.findall(nodes.raw)):
            raw.replace_self(nodes.Text(raw.astext()))
        self.set_source_info(title)
        return title, messages

    def _set_id(self, node: nodes.Element, label: str) -> None:
        document = self.state.document
        base = nodes.make_id(label) or "box"
        ident, n = base, 0
        while ident in document.ids:
            n += 1
            ident = f"{base}-{n}"
        node["ids"].append(ident)
        document.ids[ident] = node


def _collapse_state(kind: BoxKind, classes: Iterable[str]) -> str | None:
    classes = set(classes)
    if classes & COLLAPSE_CLASSES:
        return "open" if SHOWN_CLASS in classes else "closed"
    if kind.collapsible:
        return "open" if SHOWN_CLASS in classes else kind.collapsible
    return None


class details_box(nodes.General, nodes.Element):
    """HTML only: a collapsible box (``<details class="admonition ...">``)."""


class details_summary(nodes.TextElement):
    """HTML only: the title of a collapsible box (``<summary>``)."""


def visit_details_box(self: Any, node: details_box) -> None:
    attributes = {"open": "open"} if node.get("open") else {}
    self.body.append(self.starttag(node, "details", CLASS="admonition", **attributes))


def depart_details_box(self: Any, node: details_box) -> None:
    self.body.append("</details>\n")


def visit_details_summary(self: Any, node: details_summary) -> None:
    self.body.append(self.starttag(node, "summary", "", CLASS="admonition-title"))


def depart_details_summary(self: Any, node: details_summary) -> None:
    self.body.append("</summary>\n")


def box_is_open(node: nodes.Element, solutions: str) -> bool | None:
    """Whether a collapsible box starts open; None when it is not collapsible."""
    state = node.get("refinery_collapse")
    if state is None and not isinstance(node, nodes.Admonition):
        return None
    if state is None and COLLAPSE_CLASSES & set(node["classes"]):
        state = "open" if SHOWN_CLASS in node["classes"] else "closed"
    if state is None:
        return None
    if node.get("refinery_kind") == "solution" and solutions == "open":
        return True
    return state == "open"


class CollapsibleBoxes(SphinxPostTransform):
    """Turn collapsible boxes into ``<details>``/``<summary>`` in HTML output."""

    default_priority = 800
    formats = ("html",)

    def run(self, **kwargs: Any) -> None:
        solutions = self.config.refinery_solutions
        for node in list(self.document.findall(nodes.Admonition)):
            is_open = box_is_open(node, solutions)
            if is_open is None:
                continue
            children = list(node.children)
            title = children.pop(0) if children and isinstance(children[0], nodes.title) else None
            if title is None:
                # A specific admonition (note, tip, ...): its title is implicit.
                label = str(admonitionlabels.get(node.tagname, node.tagname))
                summary = details_summary(label, label)
                classes = [node.tagname, *node["classes"]]
            else:
                summary = details_summary(title.rawsource, "", *title.children)
                classes = list(node["classes"])
                _unwrap_links(summary)
            box = details_box("", summary, *children, classes=classes, ids=node["ids"])
            box["open"] = is_open
            box.source, box.line = node.source, node.line
            node.replace_self(box)


def _unwrap_links(summary: details_summary) -> None:
    """A link inside <summary> is a control inside a control, which assistive
    technology cannot reach: keep its text only."""
    for reference in list(summary.findall(nodes.reference)):
        reference.replace_self(nodes.inline("", "", *reference.children))


def register_kind(app: Sphinx, kind: BoxKind, directive: type[LessonBox] = LessonBox) -> None:
    box = directive.for_kind(kind)
    for name in kind.directive_names:
        app.add_directive(name, box, override=True)


def add_configured_kinds(app: Sphinx, config: Config) -> None:
    """``config-inited``: register the kinds declared in ``refinery_box_kinds``."""
    for name, options in (config.refinery_box_kinds or {}).items():
        register_kind(app, BoxKind.from_config(name, options))


def add_static_files(app: Sphinx) -> None:
    """``builder-inited``: the stylesheet and script, for HTML builders only."""
    if app.builder.format != "html":
        return
    app.config.html_static_path.append(str(STATIC_DIR))
    app.add_css_file("sphinx-refinery.css")
    app.add_js_file("sphinx-refinery.js", loading_method="defer")


def setup(app: Sphinx) -> None:
    for kind in BOX_KINDS:
        register_kind(app, kind)
    app.connect("config-inited", add_configured_kinds, priority=600)
    app.connect("builder-inited", add_static_files)
    app.add_node(details_box, html=(visit_details_box, depart_details_box))
    app.add_node(details_summary, html=(visit_details_summary, depart_details_summary))
    app.add_post_transform(CollapsibleBoxes)
