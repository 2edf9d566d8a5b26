"""Rules on images and links: alt text, link text, http://, and targets that do not exist."""

from __future__ import annotations

import fnmatch
import posixpath
import re
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import unquote, urlsplit

from docutils.nodes import make_id

from ...model.lesson_rules import normalize_label as _norm
from ..lesson import Lesson
from ..model import Link, Page
from .reading import shown_path, text_pages
from .registry import Hit, Rule, check


@check(
    Rule(
        "image-alt",
        "warning",
        "an image without alt text: ![](x.png), image/figure directives without :alt:, "
        "<img> without alt",
        'describe the image in alt text (<img alt=""> marks a decorative image)',
    ),
)
def image_alt(lesson: Lesson) -> Iterator[Hit]:
    for page in text_pages(lesson):
        for image in page.images:
            if image.alt is not None and (image.alt.strip() or image.kind == "html"):
                continue
            how = {
                "markdown": "write it between the brackets: ![what it shows](...)",
                "directive": "add an :alt: option",
                "html": 'add alt="what it shows" (alt="" for a decorative image)',
            }[image.kind]
            yield (
                page.path,
                image.line,
                image.col,
                "image-alt",
                f"image {image.src!r} has no alt text, which screen readers need: {how}",
            )


VAGUE_LINK_TEXT = frozenset({"here", "click here", "link", "this", "more"})


@check(
    Rule(
        "link-text",
        "warning",
        "link text that says nothing of the target: here, click here, link, this, more",
        "use words that say where the link goes, such as the page's title",
    ),
)
def link_text(lesson: Lesson) -> Iterator[Hit]:
    for page in text_pages(lesson):
        for link in page.links:
            if link.text is None:
                continue
            words = " ".join(re.sub(r"[^\w\s]", " ", link.text).lower().split())
            if words in VAGUE_LINK_TEXT:
                yield (
                    page.path,
                    link.line,
                    link.col,
                    "link-text",
                    (
                        f"link text {link.text.strip()!r} does not say where the link goes: use "
                        "words that describe the target, such as its title"
                    ),
                )


#: Hosts an http:// link may name: this machine, and the names reserved for examples and tests.
LOCAL_HOSTS = frozenset({"localhost", "127.0.0.1", "0.0.0.0", "::1", "[::1]"})
TEST_DOMAINS = ("example.com", "example.org", "example.net")
TEST_TLDS = ("example", "test", "invalid", "localhost")


def plain_http_allowed(host: str) -> bool:
    host = host.lower().rstrip(".")
    if host in LOCAL_HOSTS or host.startswith("127."):
        return True
    if any(host == d or host.endswith("." + d) for d in TEST_DOMAINS):
        return True
    return host.rsplit(".", 1)[-1] in TEST_TLDS


@check(
    Rule(
        "http-link",
        "warning",
        "an http:// link or image (localhost, 127.0.0.1 and example/test domains excepted)",
        "use https://",
    ),
)
def http_links(lesson: Lesson) -> Iterator[Hit]:
    for page in text_pages(lesson):
        for link in page.links:
            if not link.target.lower().startswith("http://"):
                continue
            try:
                host = urlsplit(link.target).hostname or ""
            except ValueError:
                host = ""
            if plain_http_allowed(host):
                continue
            yield (
                page.path,
                link.line,
                link.col,
                "http-link",
                f"{link.target!r} is not encrypted: use https:// (check that the site serves it)",
            )


_SCHEME = re.compile(r"^[a-zA-Z][a-zA-Z0-9+.-]*:")
#: Images Sphinx picks per builder: ``image.*``.
GLOB = re.compile(r"[*?\[]")


class Targets:
    """What relative references may point at in a lesson."""

    def __init__(self, lesson: Lesson) -> None:
        self.lesson = lesson
        self.srcdir = lesson.srcdir
        self.docs = set(lesson.pages)
        self.labels = {_norm(label.name) for p in lesson.pages.values() for label in p.labels}
        self.suffixes = tuple(lesson.settings.suffixes)

    def docname(self, page: Page, target: str) -> str:
        """A page reference's docname, relative to the page unless it starts with /."""
        if target.startswith("/"):
            name = target.lstrip("/")
        else:
            name = posixpath.join(posixpath.dirname(page.docname), target)
        name = posixpath.normpath(name) if name else name
        if target.endswith("/") and name not in self.docs:
            name = posixpath.join(name, "index")  # a folder URL: its index page
        for suffix in (*self.suffixes, ".html"):
            if name.endswith(suffix):
                return name[: -len(suffix)]
        return name

    def file(self, page: Page, target: str) -> Path:
        if target.startswith("/"):
            return self.srcdir / target.lstrip("/")
        return page.path.parent / target

    def file_exists(self, page: Page, target: str) -> bool:
        path = self.file(page, target)
        if GLOB.search(target):
            return any(path.parent.glob(path.name))
        if path.exists():
            return True
        return self.in_built_site(page, target)

    def in_built_site(self, page: Page, target: str) -> bool:
        """A file that html_static_path or html_extra_path puts where the link points."""
        settings = self.lesson.settings
        if target.startswith("/"):
            where = target.lstrip("/")
        else:
            where = posixpath.normpath(posixpath.join(posixpath.dirname(page.docname), target))
        if where.startswith("_static/"):
            rest = where.removeprefix("_static/")
            return any((folder / rest).exists() for folder in settings.static_dirs)
        return any((folder / where).exists() for folder in settings.extra_dirs)


def is_relative(target: str) -> bool:
    return bool(target) and not _SCHEME.match(target) and not target.startswith("//")


@check(
    Rule(
        "missing-file",
        "error",
        "a relative link, image, include, literalinclude, toctree entry, {doc} or {download} "
        "target that does not exist in the lesson",
        "correct the path (it is relative to the page, or to the source folder when it "
        "starts with /)",
    ),
    Rule(
        "missing-anchor",
        "warning",
        "a #anchor link to a heading, label or id that its page does not have",
        "link to an anchor the page has (a heading's id or slug, or a label)",
    ),
)
def missing_targets(lesson: Lesson) -> Iterator[Hit]:
    targets = Targets(lesson)
    for page in text_pages(lesson):
        for link in page.links:
            yield from _missing(targets, page, link)
        for entry in page.toctree:
            yield from _missing_toc(targets, page, entry.target, entry.line, entry.col, entry.glob)


#: Link kinds that name a file, a page or an anchor (roles like {ref} name labels).
_LOCAL_KINDS = frozenset(
    {"link", "html", "target", "image", "include", "literalinclude", "download", "doc"}
)


def _missing(targets: Targets, page: Page, link: Link) -> Iterator[Hit]:
    if link.kind not in _LOCAL_KINDS:
        return
    target = link.target.strip()
    if target.startswith(("path:", "project:")):
        target = target.split(":", 1)[1]
    if not is_relative(target) and not target.startswith("#"):
        return
    if "{{" in target or "{%" in target:
        return  # a template, filled in elsewhere
    where = (page.path, link.line, link.col)
    if link.kind == "doc":
        docname = targets.docname(page, target)
        if docname not in targets.docs:
            yield (
                *where,
                "missing-file",
                f"{{doc}} names page {target!r}, which does not exist in the lesson",
            )
        return
    path, _sep, anchor = target.partition("#")
    path = unquote(path.partition("?")[0])
    if link.kind in ("image", "include", "literalinclude", "download"):
        if path and not targets.file_exists(page, path):
            shown = shown_path(targets.lesson, targets.file(page, path).resolve())
            yield *where, "missing-file", f"{path!r} does not exist (looked for {shown})"
        return
    # A link: a file, a page (with or without its suffix, or as .html), or a MyST label.
    if not path:
        if anchor and not _has_anchor(page, anchor):
            yield *where, "missing-anchor", f"this page has no heading, label or id {anchor!r}"
        return
    docname = targets.docname(page, path)
    if docname not in targets.docs and path.endswith("/"):
        # A folder-style URL (dirhtml): relative to the page's own folder URL.
        docname = targets.docname(page, f"/{page.docname}/{path}")
    if docname in targets.docs:
        other = targets.lesson.pages[docname]
        if anchor and other.syntax != "ipynb" and not _has_anchor(other, anchor):
            yield (
                *where,
                "missing-anchor",
                f"{path!r} has no heading, label or id {anchor!r}",
            )
        return
    if targets.file_exists(page, path):
        return
    if page.syntax == "md" and not anchor and _norm(path) in targets.labels:
        return  # [text](label): MyST resolves it as a reference
    yield *where, "missing-file", f"{path!r} is not a file, page or label of this lesson"


def _has_anchor(page: Page, anchor: str) -> bool:
    anchor = unquote(anchor)
    return bool({anchor, anchor.lower(), make_id(anchor)} & page.anchors)


def _missing_toc(
    targets: Targets, page: Page, entry: str, line: int, col: int, glob: bool
) -> Iterator[Hit]:
    if entry == "self" or not is_relative(entry):
        return
    docname = targets.docname(page, entry)
    if glob and GLOB.search(entry):
        if not any(fnmatch.fnmatch(doc, docname) for doc in targets.docs):
            yield (
                page.path,
                line,
                col,
                "missing-file",
                f"the toctree pattern {entry!r} matches no page",
            )
        return
    if docname not in targets.docs:
        yield (
            page.path,
            line,
            col,
            "missing-file",
            f"the toctree names page {entry!r}, which does not exist in the lesson (or is excluded)",
        )
