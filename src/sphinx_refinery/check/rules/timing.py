"""Rules on episodes and timing: an episode's boxes, its minutes, and the schedule's pages."""

from __future__ import annotations

import fnmatch
from collections.abc import Iterator

from ...model import lesson_rules, schedule
from ..lesson import Lesson
from ..model import Page
from .links import GLOB, Targets, is_relative
from .reading import box_kind, text_pages
from .registry import Hit, Rule, check


def toctree_order(lesson: Lesson) -> list[str]:
    """The pages reachable from the root page through toctrees, in the build's reading order."""
    targets = Targets(lesson)

    def children(docname: str) -> Iterator[str]:
        page = lesson.pages[docname]
        for entry in page.toctree:
            if not is_relative(entry.target) or entry.target == "self":
                continue
            name = targets.docname(page, entry.target)
            if entry.glob and GLOB.search(entry.target):
                yield from sorted(d for d in targets.docs if fnmatch.fnmatch(d, name))
            elif name in targets.docs:
                yield name

    return lesson_rules.toctree_order(lesson.settings.root_doc, children, lesson.pages)


def _has_timing(page: Page) -> bool:
    return lesson_rules.has_timing(page.metadata)


def episodes(lesson: Lesson) -> list[Page]:
    """The episodes in toctree order (lesson_rules.episodes, as the build decides).

    Reference pages (a glossary, the exercise list, an instructor guide) have no
    objectives, exercise or key points, so they are not held to an episode's structure.
    """

    def kinds(docname: str) -> Iterator[str | None]:
        page = lesson.pages[docname]
        if page.syntax != "ipynb":  # notebooks are known, not read
            yield from (box_kind(lesson, d.name) for d in page.directives)

    order = toctree_order(lesson)
    listed = lesson.settings.episodes
    return [lesson.pages[d] for d in lesson_rules.episodes(order, kinds, listed)]


def _first_line(page: Page) -> int:
    return page.headings[0].line if page.headings else 1


@check(
    Rule(
        "episode-objectives",
        "info",
        "an episode without an objectives box",
        "add an objectives box near the top of the episode",
    ),
    Rule(
        "episode-keypoints",
        "info",
        "an episode without a keypoints box",
        "add a keypoints box at the end of the episode",
    ),
)
def episode_structure(lesson: Lesson) -> Iterator[Hit]:
    for page in episodes(lesson):
        kinds = {box_kind(lesson, d.name) for d in page.directives}
        line = _first_line(page)
        if "objectives" not in kinds:
            yield (
                page.path,
                line,
                1,
                "episode-objectives",
                (
                    "this episode has no objectives box: add one near the top, saying what "
                    "learners will be able to do"
                ),
            )
        if "keypoints" not in kinds:
            yield (
                page.path,
                line,
                1,
                "episode-keypoints",
                "this episode has no keypoints box: add one at the end, summing up what to remember",
            )


def _minutes(value: object) -> int | None:
    return lesson_rules.parse_minutes(str(value))


@check(
    Rule(
        "timing-missing",
        "info",
        "an episode with no teaching or exercises minutes, in a lesson that shows a "
        "schedule (which leaves the episode out)",
        "add teaching: and exercises: minutes to its front matter (rST: a field list at the top)",
    ),
    Rule(
        "timing-budget",
        "warning",
        "exercises whose :time: minutes add up to more than the episode's exercises: minutes",
        "shorten the exercises' times or give the episode more exercise minutes",
    ),
    Rule(
        "timing-value",
        "error",
        "a teaching, exercises, break or day value, or a box's :time:, that is not a whole "
        "number of minutes; a start that is not a time of day",
        "write whole minutes, like 15 (and start times like 09:00)",
    ),
    Rule(
        "schedule-page",
        "warning",
        "a schedule's :days: or :breaks: naming a page that is not in the toctree (a typo?) "
        "or that has no timing: the schedule would drop that day or break",
        "name the page as its docname, like episodes/intro, and give it timing",
    ),
)
def timing_checks(lesson: Lesson) -> Iterator[Hit]:
    for page in text_pages(lesson):
        for key in (*lesson_rules.MINUTE_KEYS, "day"):
            value = page.metadata.get(key)
            parse = lesson_rules.parse_day if key == "day" else lesson_rules.parse_minutes
            if value not in (None, "") and parse(str(value)) is None:
                yield (
                    page.path,
                    page.metadata_lines.get(key, 1),
                    1,
                    "timing-value",
                    (
                        f"{key}: {value!r} "
                        f"{lesson_rules.minutes_problem(str(value)) if key != 'day' else 'is not a whole number'}: "
                        "write it like 15"
                    ),
                )
        start = page.metadata.get("start")
        if start not in (None, "") and lesson_rules.parse_clock(str(start)) is None:
            yield (
                page.path,
                page.metadata_lines.get("start", 1),
                1,
                "timing-value",
                f"{lesson_rules.start_problem(start)} (quoted in YAML)",
            )
        timed_boxes: list[tuple[str | None, int | None]] = []
        for directive in page.directives:
            kind = box_kind(lesson, directive.name)
            if "time" not in directive.options or kind not in lesson.settings.timed:
                continue
            value = _minutes(directive.options["time"])
            timed_boxes.append((kind, value))
            if value is None:
                yield (
                    page.path,
                    directive.option_lines.get("time", directive.line),
                    1,
                    "timing-value",
                    (
                        f":time: {directive.options['time']!r} "
                        f"{lesson_rules.minutes_problem(str(directive.options['time']))}: write it like 15"
                    ),
                )
        problem = lesson_rules.budget_problem(
            lesson_rules.exercise_minutes(timed_boxes), _minutes(page.metadata.get("exercises"))
        )
        if problem:
            yield page.path, page.metadata_lines.get("exercises", 1), 1, "timing-budget", problem
    yield from _schedule_pages(lesson)
    untimed = lesson_rules.untimed_episodes(
        [page.docname for page in episodes(lesson)],
        lambda docname: lesson.pages[docname].metadata,
        shows_schedule=any(
            d.name == "schedule" for p in lesson.pages.values() for d in p.directives
        ),
    )
    for docname in untimed:
        page = lesson.pages[docname]
        # Line 1, as in the build: the timing goes into the front matter there.
        yield page.path, 1, 1, "timing-missing", lesson_rules.MISSING_TIMING


def _schedule_pages(lesson: Lesson) -> Iterator[Hit]:
    """A schedule's :days: and :breaks: entries that it would drop (see schedule.page_problems)."""
    schedules = [(p, d) for p in text_pages(lesson) for d in p.directives if d.name == "schedule"]
    if not schedules:
        return
    order = toctree_order(lesson)
    timed = {
        docname
        for docname in order
        if lesson_rules.on_schedule(
            _has_timing(page := lesson.pages[docname]),
            lesson_rules.exercise_minutes(
                (box_kind(lesson, d.name), _minutes(d.options.get("time"))) for d in page.directives
            ),
        )
    }
    for page, directive in schedules:
        options, problems = schedule.parse_schedule_options(directive.options)
        for problem in problems:
            yield page.path, directive.line, 1, "timing-value", problem
        for problem in schedule.page_problems(options, order, timed):
            option = problem.split(" ", 1)[0].strip(":")
            line = directive.option_lines.get(option, directive.line)
            yield page.path, line, 1, "schedule-page", problem
