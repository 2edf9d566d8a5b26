"""Rules on boxes: exercises and their solutions, and labels."""

from __future__ import annotations

from collections.abc import Iterator

from ...model import lesson_rules
from ...model.lesson_rules import EXERCISE, SOLUTION
from ...model.lesson_rules import normalize_label as _norm
from ..lesson import Lesson
from ..model import Page
from .reading import box_kind, shown_path, text_pages
from .registry import Hit, Rule, check


@check(
    Rule(
        "solution-without-exercise",
        "warning",
        "a solution that is not inside an exercise, follows none on its page, and names none "
        "with :exercise: (or names a label no exercise has)",
        "move the solution into or after its exercise, or give it :exercise: LABEL",
    ),
    Rule(
        "exercise-without-solution",
        "info",
        "an exercise that no solution belongs to",
        "add a solution, if the exercise has one answer",
    ),
)
def exercises_and_solutions(lesson: Lesson) -> Iterator[Hit]:
    exercise_labels: set[str] = set()
    for page in text_pages(lesson):
        for directive in page.directives:
            if box_kind(lesson, directive.name) == EXERCISE:
                for key in ("label", "name"):
                    if directive.options.get(key):
                        exercise_labels.add(_norm(directive.options[key]))
    answered: set[str] = set()  # exercise labels that a solution names
    unanswered: list[tuple[Page, int]] = []
    for page in text_pages(lesson):
        kinds = [box_kind(lesson, d.name) for d in page.directives]
        parents = [d.parent for d in page.directives]
        has_solution: set[int] = set()
        for index, directive in enumerate(page.directives):
            if kinds[index] != SOLUTION:
                continue
            named = directive.options.get("exercise", "").strip()
            if named:
                if _norm(named) in exercise_labels:
                    answered.add(_norm(named))
                    continue
                yield (
                    page.path,
                    directive.line,
                    directive.col,
                    "solution-without-exercise",
                    lesson_rules.unknown_exercise(named),
                )
                continue
            owner = lesson_rules.solution_owner(kinds, parents, index)
            if lesson_rules.misplaced_solution(kinds, parents, index):
                yield (
                    page.path,
                    directive.line,
                    directive.col,
                    "solution-without-exercise",
                    lesson_rules.ORPHAN_SOLUTION,
                )
                continue
            if owner >= 0:
                has_solution.add(owner)
        for index, kind in enumerate(kinds):
            if kind == EXERCISE and index not in has_solution:
                unanswered.append((page, index))
    for page, index in unanswered:
        directive = page.directives[index]
        labels = {
            _norm(directive.options[k]) for k in ("label", "name") if directive.options.get(k)
        }
        if labels & answered:
            continue
        yield (
            page.path,
            directive.line,
            directive.col,
            "exercise-without-solution",
            (
                "this exercise has no solution: add a solution box inside or after it, if the "
                "exercise has one answer"
            ),
        )


@check(
    Rule(
        "duplicate-label",
        "error",
        "a label defined twice in the lesson: :label: and :name: options, MyST (label)= "
        "and rST .. _label: targets (compared without case, as Sphinx does)",
        "rename one of them (and the references to it)",
    ),
)
def duplicate_labels(lesson: Lesson) -> Iterator[Hit]:
    first: dict[str, tuple[Page, int]] = {}
    for page in text_pages(lesson):
        for label in page.labels:
            key = _norm(label.name)
            if key not in first:
                first[key] = (page, label.line)
                continue
            other, line = first[key]
            where = "line" if other is page else f"{shown_path(lesson, other.path)}, line"
            yield (
                page.path,
                label.line,
                label.col,
                "duplicate-label",
                (
                    f"label {label.name!r} is already defined ({where} {line}): labels must be "
                    "unique across the lesson; rename one of them"
                ),
            )
