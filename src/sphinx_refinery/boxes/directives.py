"""Lesson boxes: exercise, solution, instructor-note, keypoints, ...

Every box is a plain :class:`docutils.nodes.admonition` carrying its kind as a
class, so every builder renders it. In HTML output only, :class:`HtmlBoxes`, a
post-transform limited to the html format, turns collapsible boxes into
``<details>`` and puts each kind's icon (an Octicon from sphinx-design, inline
SVG) before the title.
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Iterable
from dataclasses import dataclass
from functools import cache, lru_cache
from pathlib import Path
from typing import Any, ClassVar

from docutils import nodes
from docutils.parsers.rst import directives
from sphinx.application import Sphinx
from sphinx.config import Config
from sphinx.transforms.post_transforms import SphinxPostTransform
from sphinx.util import logging
from sphinx.util.docutils import SphinxDirective
from sphinx_design.icons import get_octicon, list_octicons

from ..locale import _
from ..model.lesson_rules import (
    EXERCISE,
    KINDS,
    SOLUTION,
    minutes_problem,
    normalize_label,
    parse_minutes,
)
from ..pages.scope import writes_epub
from ..util.anchors import label_anchor

logger = logging.getLogger(__name__)

STATIC_DIR = Path(__file__).parents[1] / "static"

#: Classes that lessons already use (from sphinx-togglebutton) to fold a box.
COLLAPSE_CLASSES = frozenset({"dropdown", "toggle"})
#: With a collapse class: start open.
SHOWN_CLASS = "toggle-shown"

COLLAPSIBLE_CHOICES = (None, "open", "closed")
#: Marks every lesson box, so the stylesheet leaves other admonitions to the theme.
BOX_CLASS = "refinery-box"
#: The icon of a configured kind that names none.
DEFAULT_ICON = "note"
#: The classes of the kind's icon, and of a collapsible box's fold marker.
ICON_CLASS = "refinery-icon"
MARKER_CLASS = "refinery-marker"


@cache
def octicon_names() -> frozenset[str]:
    return frozenset(list_octicons())


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
    #: An Octicon name (sphinx-design's set), shown before the title in HTML.
    icon: str = DEFAULT_ICON

    def __post_init__(self) -> None:
        if not self.name or nodes.make_id(self.name) != self.name:
            raise ValueError(f"{self.name!r} is not a valid kind name (use lower-case-with-dashes)")
        if self.collapsible not in COLLAPSIBLE_CHOICES:
            raise ValueError(f"collapsible must be None, 'open' or 'closed', not {self.collapsible!r}")
        if self.icon not in octicon_names():
            close = difflib.get_close_matches(str(self.icon), octicon_names(), n=1)
            hint = f" (did you mean {close[0]!r}?)" if close else " (an Octicon name, like 'pencil')"
            raise ValueError(f"unknown icon {self.icon!r}{hint}")

    @classmethod
    def from_config(cls, name: str, options: Any) -> BoxKind:
        """Build a kind from a ``refinery_box_kinds`` entry."""
        if options is None:
            options = {}
        if not isinstance(options, dict):
            raise TypeError("options must be a dict")
        unknown = set(options) - {"title", "aliases", "collapsible", "timed", "icon"}
        if unknown:
            raise ValueError(f"unknown option(s) {', '.join(sorted(unknown))}")
        title = options.get("title", name.replace("-", " ").capitalize())
        aliases = options.get("aliases", ())
        if isinstance(aliases, str) or not all(isinstance(a, str) for a in aliases):
            raise TypeError("aliases must be a list of names")
        icon = options.get("icon", DEFAULT_ICON)
        if not isinstance(icon, str):
            raise TypeError("icon must be an Octicon name")
        return cls(
            name=name,
            title=str(title),
            aliases=tuple(aliases),
            collapsible=options.get("collapsible"),
            timed=bool(options.get("timed", False)),
            icon=icon,
        )

    @property
    def directive_names(self) -> tuple[str, ...]:
        return (self.name, *self.aliases)

    def is_default_title(self, text: str) -> bool:
        """A title that only repeats the kind's own ("Solution" on a solution box)."""
        words = _bare(text)
        return bool(words) and words in (_bare(str(self.title)), _bare(self.name))


_NOT_ALNUM = re.compile(r"[\W_]+")  # re's \w is str.isalnum() and "_"


def _bare(text: str) -> str:
    return _NOT_ALNUM.sub("", text.casefold())


#: Each built-in kind's default title (translated) and icon; the kinds themselves,
#: their aliases, folding and timing, are lesson_rules.KINDS.
_LOOKS: dict[str, tuple[Any, str]] = {
    "exercise": (_("Exercise"), "pencil"),
    "solution": (_("Solution"), "eye"),
    "instructor-note": (_("Instructor note"), "mortar-board"),
    "discussion": (_("Discussion"), "comment-discussion"),
    "keypoints": (_("Keypoints"), "key"),
    "objectives": (_("Objectives"), "goal"),
    "questions": (_("Questions"), "question"),
    "prerequisites": (_("Prerequisites"), "tasklist"),
    "callout": (_("Callout"), "megaphone"),
    "checklist": (_("Checklist"), "checklist"),
    "testimonial": (_("Testimonial"), "quote"),
    "demo": (_("Demo"), "device-desktop"),
    "type-along": (_("Type-Along"), "terminal"),
    "homework": (_("Homework"), "home"),
    "output": (_("Output"), "log"),
    "toggle": (_("Details"), "unfold"),
    "spoiler": (_("More"), "eye-closed"),
    "hint": (_("Hint"), "light-bulb"),
    "caution": (_("Caution"), "alert"),
}
#: sphinx-lesson's classes, which its lessons' stylesheets select by.
_EXTRA_CLASSES = {SOLUTION: ("dropdown",)}

#: The built-in kinds: the one table every other part of the package reads.
BOX_KINDS: tuple[BoxKind, ...] = tuple(
    BoxKind(
        kind.name,
        _LOOKS[kind.name][0],
        aliases=kind.aliases,
        collapsible=kind.collapsible,
        timed=kind.timed,
        extra_classes=_EXTRA_CLASSES.get(kind.name, ()),
        icon=_LOOKS[kind.name][1],
    )
    for kind in KINDS
)


def minutes(argument: str | None) -> int:
    """Option converter for ``:time:``: a whole number of minutes."""
    value = parse_minutes(argument or "")
    if value is None:
        if "more than" in (problem := minutes_problem(argument or "")):
            raise ValueError(f"{argument!r} {problem}")
        raise ValueError(f"expected a whole number of minutes, like 15, not {argument!r}")
    return value


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
        if kind.name == EXERCISE:
            spec["nonumber"] = directives.flag
        if kind.name == SOLUTION:
            spec["exercise"] = directives.unchanged_required
        if kind.collapsible:
            spec["show"] = directives.flag  # sphinx-togglebutton's: start open
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
        if "show" in self.options:
            classes.append(SHOWN_CLASS)
        if f"admonition-{title_slug}" not in classes:
            classes.append(f"admonition-{title_slug}")
        node = nodes.admonition("", classes=classes, refinery_kind=kind.name)
        self.set_source_info(node)

        title, messages = self._title(title_text, str(kind.title))
        if not title_text:
            node["refinery_default_title"] = True
        if "time" in self.options:
            # Its "(N min)" is put after the title once the page is translated (durations.py).
            node["refinery_time"] = self.options["time"]
        node += title
        node += messages

        collapse = _collapse_state(kind, classes)
        if collapse:
            node["refinery_collapse"] = collapse
        if "nonumber" in self.options:
            node["refinery_nonumber"] = True
        if "exercise" in self.options:
            node["refinery_exercise"] = normalize_label(self.options["exercise"])
        label = normalize_label(self.options.get("label") or self.options.get("name") or "")
        if label:
            node["refinery_label"] = label
            self._add_label(node, label)

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

    def _add_label(self, node: nodes.Element, label: str) -> None:
        """Register the label as an explicit target (as sphinx.ext.todo does), so
        Sphinx's label tables hold it; ``label`` is already normalised."""
        document = self.state.document
        base = label_anchor(label)
        ident, n = base, 0
        while ident in document.ids:
            n += 1
            ident = f"{base}-{n}"
        node["ids"].append(ident)
        if document.nametypes.get(label):
            # A second box with this label on the page: the domain warns, once, with
            # both places (docutils would add a second, unlocated warning).
            document.ids[ident] = node
            return
        node["names"].append(label)
        document.note_explicit_target(node, node)


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
    """HTML only: the title of a collapsible box (``<summary>``), after its fold
    marker and, when its kind has one, its ``icon``."""


class box_icon(nodes.Inline, nodes.Element):
    """HTML only: an Octicon, inline SVG, hidden from assistive technology."""


@lru_cache(maxsize=256)
def octicon_svg(name: str, css_class: str) -> str:
    """The same few icons are drawn thousands of times in a large lesson."""
    svg = get_octicon(name, height="1em", classes=[css_class])
    if "xmlns=" not in svg:  # XHTML (and any XML reader) needs the SVG namespace
        svg = svg.replace("<svg ", '<svg xmlns="http://www.w3.org/2000/svg" ', 1)
    return svg


def visit_box_icon(self: Any, node: box_icon) -> None:
    self.body.append(octicon_svg(node["icon"], ICON_CLASS))
    raise nodes.SkipNode


#: A theme's own admonition with ``:class: dropdown`` (a folded ``note``): it keeps the
#: theme's markup, and the page script folds it (sphinx-togglebutton's way).
DROPDOWN_CLASS = "refinery-dropdown"
#: ... starting open (``toggle-shown``).
DROPDOWN_OPEN_CLASS = "refinery-dropdown-open"


def visit_details_box(self: Any, node: details_box) -> None:
    attributes = {"open": "open"} if node.get("open") else {}
    self.body.append(self.starttag(node, "details", CLASS="admonition", **attributes))


def depart_details_box(self: Any, node: details_box) -> None:
    self.body.append("</details>\n")


def visit_details_summary(self: Any, node: details_summary) -> None:
    self.body.append(self.starttag(node, "summary", "", CLASS="admonition-title"))
    # First, floated right: the marker stays on the title's first line.
    self.body.append(octicon_svg("chevron-right", MARKER_CLASS))
    if node.get("icon"):
        self.body.append(octicon_svg(node["icon"], ICON_CLASS))


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
    if node.get("refinery_kind") == SOLUTION and solutions == "open":
        return True
    return state == "open"


class HtmlBoxes(SphinxPostTransform):
    """In HTML output, put each lesson box's icon before its title, and turn
    collapsible boxes into ``<details>``/``<summary>``: one walk of the page."""

    default_priority = 800
    formats = ("html",)

    def run(self, **kwargs: Any) -> None:
        if writes_epub(self):
            return  # plain admonitions, which every e-reader shows (docs/boxes.md)
        solutions = self.config.refinery_solutions
        icons = kind_icons(self.config)
        for node in list(self.document.findall(nodes.Admonition)):
            title = node[0] if node.children and isinstance(node[0], nodes.title) else None
            # Icons for lesson boxes (generic admonitions) with a title only.
            icon = icons.get(node.get("refinery_kind")) if title is not None and isinstance(node, nodes.admonition) else None
            is_open = box_is_open(node, solutions)
            if is_open is not None and not node.get("refinery_kind"):
                node["classes"] += [DROPDOWN_CLASS] + ([DROPDOWN_OPEN_CLASS] if is_open else [])
            elif is_open is not None and title is not None:
                node.replace_self(_details(node, title, icon, is_open))
            elif icon is not None and not (title.children and isinstance(title[0], box_icon)):
                title.insert(0, box_icon(icon=icon))


def _details(node: nodes.Admonition, title: nodes.title, icon: str | None, is_open: bool) -> details_box:
    """A lesson box (which always has a title) folded: ``<details>``/``<summary>``."""
    summary = details_summary(title.rawsource, "", *title.children)
    _unwrap_links(summary)
    if icon is not None:
        summary["icon"] = icon
    box = details_box("", summary, *node.children[1:], classes=list(node["classes"]), ids=node["ids"])
    box["open"] = is_open
    box.source, box.line = node.source, node.line
    return box


def kind_icons(config: Config) -> dict[str, str]:
    """Kind name -> icon, for the built-in kinds and those in ``refinery_box_kinds``."""
    icons = {kind.name: kind.icon for kind in BOX_KINDS}
    for kind in configured_kinds(config):
        icons[kind.name] = kind.icon
    return icons


def configured_kinds(config: Config) -> list[BoxKind]:
    """The kinds of ``refinery_box_kinds``: typed and checked, entry by entry, by
    config.validate (a bad entry is left out there, with a warning)."""
    return [kind for kind in (config.refinery_box_kinds or {}).values() if isinstance(kind, BoxKind)]


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
    for kind in configured_kinds(config):
        register_kind(app, kind)


def add_static_files(app: Sphinx) -> None:
    """``builder-inited``: the stylesheet and script, for HTML builders only."""
    if app.builder.format != "html":
        return
    app.config.html_static_path.append(str(STATIC_DIR))
    app.add_css_file("sphinx-refinery.css")
    app.add_js_file("sphinx-refinery.js", loading_method="defer")


#: sphinx-togglebutton, which lessons may still list (check: ``replaced-extension``).
TOGGLEBUTTON = "sphinx_togglebutton"
#: A selector that matches nothing: sphinx-togglebutton's script leaves the boxes alone.
NO_TOGGLEBUTTON = ".refinery-not-for-togglebutton"


def togglebutton_comes_later(app: Sphinx) -> bool:
    """conf.py lists sphinx-togglebutton after this extension: it registers ``toggle``
    when it is set up, which must find no ``toggle`` yet (or Sphinx warns)."""
    listed = list(app.config.extensions or ())
    return TOGGLEBUTTON in listed and TOGGLEBUTTON not in app.extensions


def keep_boxes_from_togglebutton(app: Sphinx, config: Config) -> None:
    """``config-inited``: with sphinx-togglebutton set up too, ``toggle`` is ours again
    and its script, which would add a second button to folded boxes (and hide what
    "Expand all solutions" opens), selects nothing."""
    if TOGGLEBUTTON not in app.extensions:
        return
    for kind in BOX_KINDS:
        if kind.name == "toggle":
            register_kind(app, kind)
    config.togglebutton_selector = NO_TOGGLEBUTTON


def setup(app: Sphinx) -> None:
    later = togglebutton_comes_later(app)
    for kind in BOX_KINDS:
        if not (later and kind.name == "toggle"):
            register_kind(app, kind)
    app.connect("config-inited", keep_boxes_from_togglebutton, priority=550)
    app.connect("config-inited", add_configured_kinds, priority=600)
    app.connect("builder-inited", add_static_files)
    app.add_node(details_box, html=(visit_details_box, depart_details_box))
    app.add_node(details_summary, html=(visit_details_summary, depart_details_summary))
    app.add_node(box_icon, html=(visit_box_icon, None))
    app.add_post_transform(HtmlBoxes)
