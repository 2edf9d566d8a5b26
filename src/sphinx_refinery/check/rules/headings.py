"""Rules on headings: skipped levels, and more than one title on a page."""

from __future__ import annotations

from collections.abc import Iterator

from ..lesson import Lesson
from .reading import text_pages
from .registry import Hit, Rule, check


@check(
    Rule(
        "heading-skip",
        "warning",
        "a heading level that skips one (# then ###), or a page whose first heading is not "
        "a top-level one",
        "use the next level down",
    ),
    Rule(
        "multiple-titles",
        "warning",
        "more than one top-level heading on a page: each becomes a separate entry in the "
        "table of contents",
        "keep one title per page and make the others one level lower",
    ),
)
def headings(lesson: Lesson) -> Iterator[Hit]:
    for page in text_pages(lesson):
        previous = 0
        titles = 0
        for heading in page.headings:
            if heading.level > previous + 1:
                if previous:
                    message = (
                        f"heading level jumps from {previous} to {heading.level} "
                        f"({heading.text!r}): use level {previous + 1}"
                    )
                    if page.syntax == "rst":
                        message += ", the adornment style first used at that level"
                else:
                    message = (
                        f"the page's first heading ({heading.text!r}) is level {heading.level}: "
                        "start the page with a level-1 title"
                    )
                yield page.path, heading.line, heading.col, "heading-skip", message
            if heading.level == 1:
                titles += 1
                if titles > 1:
                    yield (
                        page.path,
                        heading.line,
                        heading.col,
                        "multiple-titles",
                        (
                            f"a second top-level heading ({heading.text!r}): a page has one title, "
                            "so make this heading (and its subheadings) one level lower"
                        ),
                    )
            previous = heading.level
