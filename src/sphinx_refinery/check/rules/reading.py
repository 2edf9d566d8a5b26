"""What several checks read alike from a lesson's facts."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

from ..lesson import Lesson
from ..model import Page
from .registry import Hit


def text_pages(lesson: Lesson) -> Iterator[Page]:
    """The pages whose text is read (notebooks are known, not read)."""
    return (page for page in lesson.pages.values() if page.syntax != "ipynb")


def parse_problems(lesson: Lesson, rules: set[str]) -> Iterator[Hit]:
    """What the parsers noticed (their problems carry the rule id)."""
    for page in lesson.pages.values():
        for problem in page.problems:
            if problem.rule in rules:
                yield page.path, problem.line, problem.col, problem.rule, problem.message


def box_kind(lesson: Lesson, name: str) -> str | None:
    return lesson.settings.kinds.get(name)


def shown_path(lesson: Lesson, path: Path) -> str:
    """A path as a message shows it: relative to the source folder when it lies there."""
    try:
        return path.relative_to(lesson.srcdir).as_posix()
    except ValueError:
        return str(path)
