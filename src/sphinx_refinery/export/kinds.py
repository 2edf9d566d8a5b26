"""Box kinds as the Workbench's div kinds (the classes sandpaper styles).

A kind the Workbench styles keeps its meaning; the others become the nearest div
kind, keeping their own name as a second class, and the report says so.
"""

from __future__ import annotations

#: sphinx-refinery box kind -> the Workbench div it is written as.
DIV_OF_KIND = {
    "exercise": "challenge",
    "solution": "solution",
    "instructor-note": "instructor",
    "callout": "callout",
    "objectives": "objectives",
    "questions": "questions",
    "keypoints": "keypoints",
    "prerequisites": "prereq",
    "checklist": "checklist",
    "discussion": "discussion",
    "testimonial": "testimonial",
    # Kinds the Workbench may know from a lesson that came from it.
    "spoiler": "spoiler",
    "hint": "hint",
    "caution": "caution",
}

#: Kinds with no Workbench div: the nearest one, and why.
NEAREST = {
    "demo": ("challenge", "the Workbench has no demo box; a challenge is a task done in class"),
    "type-along": ("challenge", "the Workbench has no type-along box; a challenge is a task done in class"),
    "homework": ("challenge", "the Workbench has no homework box"),
    "output": ("callout", "the Workbench has no output box"),
    "toggle": ("spoiler", "the Workbench's folded box is a spoiler"),
}

#: docutils' own admonitions (note, warning, ...) -> the Workbench div.
ADMONITIONS = {
    "note": "callout",
    "tip": "callout",
    "important": "callout",
    "seealso": "callout",
    "attention": "caution",
    "caution": "caution",
    "warning": "caution",
    "danger": "caution",
    "error": "caution",
    "hint": "hint",
}

#: docutils' admonitions' titles, as the HTML build shows them.
ADMONITION_TITLES = {
    "note": "Note",
    "tip": "Tip",
    "important": "Important",
    "seealso": "See also",
    "attention": "Attention",
    "caution": "Caution",
    "warning": "Warning",
    "danger": "Danger",
    "error": "Error",
    "hint": "Hint",
}


def div_of(kind: str) -> tuple[str, str | None]:
    """(the div kind, why it is not the box's own kind or None)."""
    if kind in DIV_OF_KIND:
        return DIV_OF_KIND[kind], None
    if kind in NEAREST:
        return NEAREST[kind]
    return "callout", f"the Workbench has no {kind!r} box (a kind of this lesson's own)"
