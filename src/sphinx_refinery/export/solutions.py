"""Solutions nested in the box they answer, as the Workbench writes them.

Which box a solution answers is the lesson rule's (``solution_owner``, or the
solution's ``:exercise:``); a solution that follows that box in the same place
moves into it, as its last block, marked so that the import puts it back after that box
(:func:`~sphinx_refinery.model.workbench_forms.returns_after`). One that cannot move (it is in a tab, the box is on another page)
stays where it is, and the report says so.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from docutils import nodes

from ..model.lesson_rules import QUESTION_KINDS, SOLUTION, solution_owner

if TYPE_CHECKING:
    from .context import PageContext


def _boxes(doctree: nodes.Element) -> list[nodes.Element]:
    return [n for n in doctree.findall(nodes.Admonition) if n.get("refinery_kind")]


def nest_solutions(doctree: nodes.Element, ctx: PageContext) -> int:
    """Move each solution into the box it answers; return how many moved."""
    boxes = _boxes(doctree)
    index = {id(box): i for i, box in enumerate(boxes)}
    parents = []
    for box in boxes:
        parent = box.parent
        while parent is not None and id(parent) not in index:
            parent = parent.parent
        parents.append(index[id(parent)] if parent is not None else -1)
    kinds = [box["refinery_kind"] for box in boxes]
    by_label = {box.get("refinery_label"): i for i, box in enumerate(boxes) if box.get("refinery_label")}
    moved = 0
    for i, box in enumerate(boxes):
        if kinds[i] != SOLUTION:
            continue
        if parents[i] >= 0 and kinds[parents[i]] in QUESTION_KINDS:
            continue  # already inside what it answers
        named = box.get("refinery_exercise")
        owner = by_label.get(named, -1) if named else solution_owner(kinds, parents, i)
        if owner < 0:
            ctx.note(box, "solution with no box before it to answer", "a solution div on its own",
                     "the Workbench nests a solution in its challenge; there is none to nest it in")
            continue
        target = boxes[owner]
        if not _follows(target, box):
            ctx.note(box, f"solution apart from its {kinds[owner]}", "a solution div where it is",
                     "other content or another place lies between them; moving it would reorder the page")
            continue
        box.parent.remove(box)
        target.append(box)
        box["refinery_placed_after"] = True  # written as placed="after": the import puts it back
        moved += 1
        ctx.note(box, f"solution after its {kinds[owner]}", f"a solution div inside the {kinds[owner]}",
                 "the Workbench nests a solution in the box it answers")
    return moved


def _follows(target: nodes.Element, box: nodes.Element) -> bool:
    """Whether ``box`` comes right after ``target`` in the same place (targets and comments aside)."""
    parent = target.parent
    if parent is not box.parent:
        return False
    start, end = parent.index(target), parent.index(box)
    between = parent.children[start + 1 : end]
    return start < end and all(isinstance(n, nodes.target | nodes.comment) for n in between)
