"""Whether a write-time transform has one page before it, so that the records
read from that page can tell it there is nothing to do without a walk.

HTML builders transform each page's doctree alone, under its own docname. Other
builders (single HTML, LaTeX, Texinfo, ...) put several pages into one doctree
under one docname: there the whole doctree is walked.
"""

from __future__ import annotations

from sphinx.transforms.post_transforms import SphinxPostTransform

#: Builders that transform each page on its own.
PAGE_BY_PAGE = frozenset({"html", "dirhtml"})


def one_page(transform: SphinxPostTransform) -> bool:
    """The doctree is the page ``env.docname`` alone."""
    return transform.app.builder.name in PAGE_BY_PAGE
