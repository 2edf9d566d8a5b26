"""Lesson rules that the build and ``sphinx-refinery check`` share, free of Sphinx.

Each rule is decided here once, so that the build (from its environment) and
the checker (from its reading of the sources) give the same answer.
"""

from __future__ import annotations

from collections.abc import Callable, Container, Iterable, Sequence


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


#: Boxes that pose a task or a question, so a solution may belong to them.
QUESTION_KINDS = frozenset({"exercise", "discussion", "homework", "demo", "type-along"})


def solution_owner(kinds: Sequence[str | None], parents: Sequence[int], index: int) -> int:
    """The box a page's solution box ``index`` belongs to, or -1 for none.

    ``kinds`` and ``parents`` describe the page's boxes in order (a parent of -1:
    at the top level). The owner is the question box holding the solution, else
    the last one before it on the page: a solution after a discussion answers the
    discussion, not an exercise further up.
    """
    parent = parents[index]
    while parent >= 0:
        if kinds[parent] in QUESTION_KINDS:
            return parent
        parent = parents[parent]
    return next((i for i in range(index - 1, -1, -1) if kinds[i] in QUESTION_KINDS), -1)
