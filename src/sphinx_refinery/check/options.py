"""The parts of a lesson's configuration that change how its pages read.

Shared by the Markdown and the reStructuredText readers (MyST pages hold rST
in eval-rst blocks), so that neither imports the other for it.
"""

from __future__ import annotations

from collections.abc import Container
from dataclasses import dataclass, field


@dataclass(frozen=True)
class MystOptions:
    """The parts of a lesson's configuration that change how its Markdown reads."""

    extensions: frozenset[str] = frozenset({"colon_fence"})
    heading_anchors: int = 0  # myst_heading_anchors: headings up to this level get slugs
    #: myst_heading_slug_func: "github" (MyST's default), "pandoc" (sphinx-refinery's, for
    #: lessons from the Carpentries Workbench), or another preset's name.
    slug: str = "github"
    #: myst_title_to_header: the front matter's title is the page's level-1 heading.
    title_to_header: bool = False
    #: Directive names that exist; bodies of others are not read (None: all exist).
    known_directives: Container[str] | None = field(default=None, compare=False)
