"""Lesson rules that the build and ``sphinx-refinery check`` share, free of Sphinx.

Each rule is decided here once, so that the build (from its environment) and
the checker (from its reading of the sources) give the same answer.
"""

from __future__ import annotations

from collections.abc import Callable, Container, Iterable


def toctree_order(
    root: str, children: Callable[[str], Iterable[str]], docs: Container[str]
) -> list[str]:
    """Pages in reading order: the root page, then its toctree, depth first.

    ``children(page)`` gives a page's toctree entries in order; pages not in
    ``docs`` and pages met before are skipped.
    """
    order: list[str] = []
    seen: set[str] = set()
    stack = [root]
    while stack:
        docname = stack.pop()
        if docname in seen or docname not in docs:
            continue
        seen.add(docname)
        order.append(docname)
        stack.extend(reversed(list(children(docname))))
    return order
