"""The pages the Workbench makes from every episode: the instructor notes and the key points.

sandpaper appends each episode's instructor notes to ``instructors/instructor-notes.md``
and builds a key points page. Here the first gets an ``instructor-guide`` directive
(every instructor note, by episode) and the second is a new page at the lesson's root
(where the Workbench reads no pages) with ``keypoints-summary``.
"""

from __future__ import annotations

from pathlib import Path

from ...model.workbench import WorkbenchLesson
from ..context import Context

MARK = "<!-- sphinx-refinery migrate: the Workbench gathers these from every episode -->"
KEY_POINTS = "key-points.md"


def instructor_notes(ctx: Context, lesson: WorkbenchLesson) -> None:
    path = lesson.root / "instructors" / "instructor-notes.md"
    if path not in lesson.pages.get("instructors", []):
        return
    source = ctx.load(path)
    if source is None or MARK in source.text:
        return
    text = source.text.rstrip("\n")
    source.text = text + f"\n\n{MARK}\n\n## Instructor notes of the episodes\n\n```{{instructor-guide}}\n```\n"
    source.changes.append("the instructor notes of every episode, gathered (instructor-guide)")


def key_points(ctx: Context, lesson: WorkbenchLesson) -> Path | None:
    """The key points page (made when missing); None when the lesson has no episodes."""
    if not lesson.episodes:
        return None
    path = lesson.root / KEY_POINTS
    if path.exists():
        return path  # made by an earlier run, or the lesson's own
    source = ctx.create(path)
    if source is None:
        return None
    source.text = f"---\ntitle: Key Points\n---\n\n{MARK}\n\n```{{keypoints-summary}}\n```\n"
    source.changes.append("the key points of every episode (keypoints-summary), as the Workbench makes")
    return path
