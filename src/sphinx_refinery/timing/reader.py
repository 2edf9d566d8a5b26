"""Episode timing: what each page says of its minutes, read into the environment.

Each episode says how long it takes in its front matter (MyST) or in a field
list at the top (rST), with the Carpentries Workbench's names::

    ---
    teaching: 20
    exercises: 30
    ---

Exercises' ``:time:`` values are summed per episode. The schedule (schedule.py)
and the episode badges (badges.py) are made from these records.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from docutils import nodes
from sphinx.application import Sphinx
from sphinx.environment import BuildEnvironment
from sphinx.environment.collectors import EnvironmentCollector
from sphinx.util import logging

from ..model import lesson_rules
from ..model.lesson_rules import MINUTE_KEYS, parse_clock, parse_minutes
from ..model.records import DOMAIN
from ..model.schedule import EpisodeTiming

logger = logging.getLogger(__name__)

ATTRIBUTE = "refinery_timing"
SCHEDULE_PAGES = "refinery_schedule_pages"


def timings(env: BuildEnvironment) -> dict[str, EpisodeTiming]:
    if not hasattr(env, ATTRIBUTE):
        setattr(env, ATTRIBUTE, {})
    return getattr(env, ATTRIBUTE)


def scheduled_timings(env: BuildEnvironment) -> dict[str, EpisodeTiming]:
    """The timing records of the pages on the lesson's schedule (its badges and
    lesson.json too): every page that gives timing, or only the episodes
    ``refinery_episodes`` lists (lesson_rules.on_lesson_schedule)."""
    listed = env.config.refinery_episodes
    known = timings(env)
    if not listed:
        return known
    return {d: r for d, r in known.items() if lesson_rules.on_lesson_schedule(d, listed)}


def schedule_pages(env: BuildEnvironment) -> set[str]:
    if not hasattr(env, SCHEDULE_PAGES):
        setattr(env, SCHEDULE_PAGES, set())
    return getattr(env, SCHEDULE_PAGES)


# -- reading ---------------------------------------------------------------------------------


class TimingCollector(EnvironmentCollector):
    """Reads each page's timing from its metadata and its exercises (the badge
    that shows it is put in at write time, by :class:`.timing_badges.TimingBadges`)."""

    def clear_doc(self, app: Sphinx, env: BuildEnvironment, docname: str) -> None:
        timings(env).pop(docname, None)
        schedule_pages(env).discard(docname)

    def merge_other(
        self, app: Sphinx, env: BuildEnvironment, docnames: set[str], other: BuildEnvironment
    ) -> None:
        theirs = timings(other)
        timings(env).update({d: theirs[d] for d in docnames if d in theirs})
        schedule_pages(env).update(schedule_pages(other) & docnames)

    def process_doc(self, app: Sphinx, doctree: nodes.document) -> None:
        env = app.env
        docname = env.docname
        metadata = env.metadata.get(docname, {})
        values: dict[str, int | None] = {}
        for key in (*MINUTE_KEYS, "day"):
            values[key] = _whole_number(metadata.get(key), key, docname)
        start = None
        if "start" in metadata:
            start = parse_clock(str(metadata["start"]))
            if start is None:
                _warn(lesson_rules.start_problem(metadata["start"]), docname)
        # The boxes collect.collect_boxes recorded (it runs first) and this build keeps.
        boxes = [r for r in env.domains[DOMAIN].records(docname) if r.kind and not r.hidden]
        record = EpisodeTiming(
            teaching=values["teaching"],
            exercises=values["exercises"],
            break_minutes=values["break"],
            day=values["day"],
            start=start,
            exercise_minutes=lesson_rules.exercise_minutes((r.kind, r.time) for r in boxes),
        )
        if record.has_timing or record.day is not None or record.exercise_minutes:
            timings(env)[docname] = record
        problem = lesson_rules.budget_problem(record.exercise_minutes, record.exercises)
        if problem:
            _warn(problem, docname, subtype="timing-budget")


def _whole_number(value: Any, key: str, docname: str) -> int | None:
    if value is None or value == "":
        return None
    number = (lesson_rules.parse_day if key == "day" else parse_minutes)(str(value))
    if number is None:
        problem = "is not a whole number" if key == "day" else lesson_rules.minutes_problem(str(value))
        _warn(f"{key}: {value!r} {problem}, like 15", docname)
    return number


def _warn(message: str, docname: str, subtype: str = "timing-value") -> None:
    logger.warning(message, location=(docname, 1), type="refinery", subtype=subtype)


def check_timing(app: Sphinx, env: BuildEnvironment) -> None:
    """``env-check-consistency``: episodes that say nothing of their time, in a lesson
    that shows a schedule (lesson_rules.untimed_episodes, as check decides)."""
    metadata: Mapping[str, Mapping[str, Any]] = env.metadata
    untimed = lesson_rules.untimed_episodes(
        env.domains["refinery"].episodes(env),
        lambda docname: metadata.get(docname, {}),
        shows_schedule=bool(schedule_pages(env)),
    )
    for docname in untimed:
        logger.warning(
            lesson_rules.MISSING_TIMING,
            location=(docname, 1),
            type="refinery",
            subtype="timing-missing",
        )


def setup(app: Sphinx) -> None:
    app.add_env_collector(TimingCollector)
    app.connect("env-check-consistency", check_timing)
