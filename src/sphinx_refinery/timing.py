"""Episode timing: what each page says of its minutes, read into the environment.

Each episode says how long it takes in its front matter (MyST) or in a field
list at the top (rST), with the Carpentries Workbench's names::

    ---
    teaching: 20
    exercises: 30
    ---

Exercises' ``:time:`` values are summed per episode. The schedule (schedule.py)
and the episode badges (timing_badges.py) are made from these records.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, NamedTuple

from docutils import nodes
from sphinx.application import Sphinx
from sphinx.environment import BuildEnvironment
from sphinx.environment.collectors import EnvironmentCollector
from sphinx.util import logging

from . import lesson_rules
from .lesson_rules import MINUTE_KEYS, parse_clock, parse_minutes
from .locale import _
from .records import DOMAIN

logger = logging.getLogger(__name__)

ATTRIBUTE = "refinery_timing"
SCHEDULE_PAGES = "refinery_schedule_pages"


class EpisodeTiming(NamedTuple):
    """What the environment keeps of one page's timing."""

    teaching: int | None
    exercises: int | None  # as the page says
    break_minutes: int | None
    day: int | None
    start: int | None  # minutes after midnight, for a page that starts a day
    exercise_minutes: int  # the sum of its exercises' :time:

    @property
    def has_timing(self) -> bool:
        return any(v is not None for v in (self.teaching, self.exercises, self.break_minutes))

    @property
    def exercise_total(self) -> int:
        return self.exercises if self.exercises is not None else self.exercise_minutes

    @property
    def duration(self) -> int:
        if self.is_break:
            return self.break_minutes or 0
        return (self.teaching or 0) + self.exercise_total

    @property
    def is_break(self) -> bool:
        return self.break_minutes is not None and self.teaching is None and self.exercises is None


def timings(env: BuildEnvironment) -> dict[str, EpisodeTiming]:
    if not hasattr(env, ATTRIBUTE):
        setattr(env, ATTRIBUTE, {})
    return getattr(env, ATTRIBUTE)


def schedule_pages(env: BuildEnvironment) -> set[str]:
    if not hasattr(env, SCHEDULE_PAGES):
        setattr(env, SCHEDULE_PAGES, set())
    return getattr(env, SCHEDULE_PAGES)


def format_clock(minutes: int) -> str:
    """Minutes after midnight as a time of day; past midnight says so, never wraps."""
    days, rest = divmod(minutes, 24 * 60)
    clock = f"{rest // 60:02d}:{rest % 60:02d}"
    if not days:
        return clock
    return str(_("%(clock)s (+%(days)dd)")) % {"clock": clock, "days": days}


def format_elapsed(minutes: int) -> str:
    """Minutes from the start as h:mm; hours keep counting past 24."""
    return f"{minutes // 60}:{minutes % 60:02d}"


def format_duration(minutes: int) -> str:
    hours, rest = divmod(minutes, 60)
    if hours and rest:
        return str(_("%(hours)d h %(minutes)d min")) % {"hours": hours, "minutes": rest}
    if hours:
        return str(_("%d h")) % hours
    return str(_("%d min")) % rest


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
                _warn(start_problem(metadata["start"]), docname)
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
    number = parse_minutes(str(value))
    if number is None:
        unit = "" if key == "day" else " of minutes"
        _warn(f"{key}: {value!r} is not a whole number{unit}, like 15", docname)
    return number


def start_problem(value: Any) -> str:
    """Why a ``start:`` value is not a time of day, and how to write one."""
    text = str(value).strip()
    if text.isascii() and text.isdigit():
        # YAML 1.1 reads an unquoted 13:00 as the base-60 number 13 * 60 + 0 = 780
        # (MyST passes front matter on as text, so the number comes as "780").
        hours, mins = divmod(int(text), 60)
        return (
            f"start: {text} is not a time of day: YAML reads an unquoted {hours}:{mins:02d} "
            f'as the number {text}; quote the time, like start: "{hours:02d}:{mins:02d}"'
        )
    return f"start: {value!r} is not a time of day like 09:00"


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
