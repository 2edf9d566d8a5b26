"""Rules on directives: unknown names, and MyST fences."""

from __future__ import annotations

import difflib
from collections.abc import Iterator

from ..lesson import Lesson
from .reading import parse_problems, text_pages
from .registry import Hit, Rule, check


@check(
    Rule(
        "unknown-directive",
        "error",
        "a directive that no loaded extension defines, usually a misspelt name",
        "correct the name (the message suggests close ones), or add the extension that "
        "defines it to conf.py",
    ),
)
def unknown_directives(lesson: Lesson) -> Iterator[Hit]:
    known = lesson.settings.known
    if not known.complete and known.conf_failed:
        return  # conf.py did not run: its extensions' directives cannot be known (see config)
    names = sorted(known.names)
    plain = [n for n in names if ":" not in n]
    for page in text_pages(lesson):
        for directive in page.directives:
            if directive.name in known:
                continue
            pool = names if ":" in directive.name else plain
            close = difflib.get_close_matches(directive.name, pool, n=3, cutoff=0.75)
            if close:
                suggestion = " or ".join(repr(c) for c in close)
                message = f"unknown directive {directive.name!r}: did you mean {suggestion}?"
            elif not known.complete:
                continue  # it may come from the extension that could not be loaded
            else:
                message = (
                    f"unknown directive {directive.name!r}: no extension of this lesson defines "
                    "it; correct the name, or add the extension that provides it to conf.py"
                )
            yield page.path, directive.line, directive.col, "unknown-directive", message


@check(
    Rule(
        "unclosed-fence",
        "error",
        "a MyST backtick or colon fence that is opened but never closed",
        "add the closing fence (as many backticks or colons as the opening one)",
    ),
    Rule(
        "fence-nesting",
        "error",
        "a fence inside a fence of the same length or longer, whose closing line closes the "
        "outer one early",
        "make the outer fence longer than every fence inside it (```` around ```)",
    ),
)
def fence_problems(lesson: Lesson) -> Iterator[Hit]:
    return parse_problems(lesson, {"unclosed-fence", "fence-nesting"})
