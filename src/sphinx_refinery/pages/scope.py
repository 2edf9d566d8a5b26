"""What a write-time transform is writing for: one page or several, HTML or not.

With one page before it, the records read from that page can tell a transform
there is nothing to do, without a walk.

HTML builders transform each page's doctree alone, under its own docname. Other
builders (single HTML, LaTeX, Texinfo, ...) put several pages into one doctree
under one docname: there the whole doctree is walked.
"""

from __future__ import annotations

import weakref

from sphinx.application import Sphinx
from sphinx.environment import BuildEnvironment
from sphinx.transforms.post_transforms import SphinxPostTransform

#: Builders that transform each page on its own.
PAGE_BY_PAGE = frozenset({"html", "dirhtml"})

#: The builder's name and format for each environment, noted when it starts
#: (transforms have no public way to the builder).
_builders: weakref.WeakKeyDictionary[BuildEnvironment, tuple[str, str]] = weakref.WeakKeyDictionary()


def one_page(transform: SphinxPostTransform) -> bool:
    """The doctree is the page ``env.docname`` alone."""
    return _builders.get(transform.env, ("", ""))[0] in PAGE_BY_PAGE


def writes_html(transform: SphinxPostTransform) -> bool:
    return _builders.get(transform.env, ("", ""))[1] == "html"


def writes_epub(transform: SphinxPostTransform) -> bool:
    """EPUB: HTML that e-readers show, which handle neither ``<details>`` nor inline SVG
    (the package manifest would have to declare it on every page)."""
    return _builders.get(transform.env, ("", ""))[0].startswith("epub")


def note_builder(app: Sphinx) -> None:
    """``builder-inited``."""
    _builders[app.env] = (app.builder.name, app.builder.format)


def setup(app: Sphinx) -> None:
    app.connect("builder-inited", note_builder)
