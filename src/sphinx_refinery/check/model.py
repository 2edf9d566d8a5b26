"""What the checker knows of a page, and what it reports.

The parsers (:mod:`.markdown`, :mod:`.rst`) turn each source file into a
:class:`Page` of plain facts (directives, headings, links, images, labels...);
the rules (:mod:`.rules`) only ever look at those facts, so every rule works the
same on MyST and reStructuredText.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from docutils.nodes import make_id

from ..util.anchors import label_anchor

LEVELS = ("error", "warning", "info")


@dataclass(frozen=True, order=True)
class Finding:
    """One problem, at a place in a file."""

    path: Path
    line: int
    col: int
    rule: str
    level: str
    message: str


@dataclass
class Directive:
    """A directive as written: ``{name}`` fences in MyST, ``.. name::`` in rST."""

    name: str  # lower-cased, as docutils looks it up
    argument: str
    options: dict[str, str]
    line: int
    col: int
    parent: int = -1  # index of the enclosing directive on the page, or -1
    substitution: bool = False  # rST ``.. |name| image::``: alt text comes from the name
    option_lines: dict[str, int] = field(default_factory=dict)  # option -> its line


@dataclass
class Heading:
    level: int
    text: str
    line: int
    col: int


@dataclass
class Link:
    """A reference to something: a URL, a file, a page, an anchor or a label.

    ``kind`` says where it came from: "link" (Markdown/rST link with text),
    "autolink" (a bare URL), "image", "html" (raw HTML), "doc" and "download"
    (roles), "include", "literalinclude", "toctree", "target" (an rST
    ``.. _name: URL``).
    """

    target: str
    kind: str
    line: int
    col: int
    text: str | None = None  # the link text, when the author wrote one


@dataclass
class Image:
    src: str
    alt: str | None  # None: no alt text at all; "" in raw HTML: decorative on purpose
    line: int
    col: int
    kind: str  # "markdown", "directive", "html"


@dataclass
class Label:
    name: str
    line: int
    col: int
    kind: str  # "target" ((x)= or .. _x:), "name" (:name:), "label" (:label:)


@dataclass
class Problem:
    """A finding the parser itself can tell (fences, front matter, heading order)."""

    rule: str
    line: int
    col: int
    message: str


@dataclass
class TocEntry:
    target: str
    line: int
    col: int
    glob: bool


@dataclass
class Page:
    """The facts of one source file."""

    docname: str
    path: Path
    syntax: str  # "md", "rst" or "ipynb" (notebooks are known, not read)
    text: str = ""  # the source, for rules that read it again
    directives: list[Directive] = field(default_factory=list)
    headings: list[Heading] = field(default_factory=list)
    links: list[Link] = field(default_factory=list)
    images: list[Image] = field(default_factory=list)
    labels: list[Label] = field(default_factory=list)
    #: Ids a ``#fragment`` may name: section ids, heading slugs, labels, HTML ids.
    anchors: set[str] = field(default_factory=set)
    problems: list[Problem] = field(default_factory=list)
    metadata: dict[str, Any] = field(default_factory=dict)
    metadata_lines: dict[str, int] = field(default_factory=dict)
    toctree: list[TocEntry] = field(default_factory=list)
    #: line -> rule ids ignored there ("*": every rule)
    suppressed: dict[int, set[str]] = field(default_factory=dict)
    #: rule ids ignored in the whole file; "*" for every rule
    suppressed_file: set[str] = field(default_factory=set)

    def note_directive(self, directive: Directive, default_alt: str | None = None) -> None:
        """The labels, images and file links a directive's options and argument give."""
        from .syntax import FILE_DIRECTIVES, IMAGE_DIRECTIVES

        name, options, line, col = directive.name, directive.options, directive.line, directive.col
        if "name" in options:
            self.labels.append(Label(options["name"], line, col, "name"))
            self.add_anchor(options["name"])
        if "label" in options and name != "math":
            self.labels.append(Label(options["label"], line, col, "label"))
            self.add_anchor(options["label"])
        if name in IMAGE_DIRECTIVES and directive.argument:
            src = "".join(directive.argument.split())
            self.images.append(Image(src, options.get("alt", default_alt), line, col, "directive"))
            self.links.append(Link(src, "image", line, col))
            if options.get("target"):
                self.links.append(Link(options["target"], "autolink", line, col))
        elif name in FILE_DIRECTIVES and directive.argument:
            self.links.append(Link(directive.argument.strip(), name, line, col))

    def add_anchor(self, name: str) -> None:
        if not name:
            return
        self.anchors.update({name, name.lower(), make_id(name), label_anchor(name)})
