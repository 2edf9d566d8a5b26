"""Schedules, free of Sphinx: a lesson's timed pages as rows of start times and durations.

The ``schedule`` directive, ``sphinx-refinery schedule``, ``lesson.json`` and
workshop plans all compute a schedule here, from each page's :class:`EpisodeTiming`.
Texts a reader sees (the break's title, "+1d", "1 h 5 min") are formatted with the
caller's ``gettext``: the build passes its translations, commands :func:`untranslated`.
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import NamedTuple

from . import lesson_rules
from .lesson_rules import MAX_MINUTES, parse_clock, parse_minutes

#: Translates a message; the build's is Sphinx's gettext for the lesson's language.
Gettext = Callable[[str], object]


def untranslated(message: str) -> str:
    return message


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


def format_clock(minutes: int, gettext: Gettext = untranslated) -> str:
    """Minutes after midnight as a time of day; past midnight says so, never wraps."""
    days, rest = divmod(minutes, 24 * 60)
    clock = f"{rest // 60:02d}:{rest % 60:02d}"
    if not days:
        return clock
    return str(gettext("%(clock)s (+%(days)dd)")) % {"clock": clock, "days": days}


def format_elapsed(minutes: int) -> str:
    """Minutes from the start as h:mm; hours keep counting past 24."""
    return f"{minutes // 60}:{minutes % 60:02d}"


def format_duration(minutes: int, gettext: Gettext = untranslated) -> str:
    hours, rest = divmod(minutes, 60)
    if hours and rest:
        return str(gettext("%(hours)d h %(minutes)d min")) % {"hours": hours, "minutes": rest}
    if hours:
        return str(gettext("%d h")) % hours
    return str(gettext("%d min")) % rest


@dataclass
class ScheduleOptions:
    start: int | None = None  # minutes after midnight; None: times from the start
    day_starts: dict[str, int | None] = field(default_factory=dict)  # docname -> start
    breaks: list[tuple[str, int]] = field(default_factory=list)  # (after docname, minutes)


class Row(NamedTuple):
    day: int
    start: int  # minutes: after midnight with a start time, else from the day's start
    duration: int
    title: str
    docname: str | None  # None for a break listed on the directive
    is_break: bool


@dataclass
class Schedule:
    rows: list[Row]
    clock: bool  # start times are times of day
    gettext: Gettext = untranslated

    @property
    def days(self) -> int:
        return max((row.day for row in self.rows), default=1)

    @property
    def total(self) -> int:
        return sum(row.duration for row in self.rows)

    def start_text(self, row: Row) -> str:
        return format_clock(row.start, self.gettext) if self.clock else format_elapsed(row.start)


def compute_schedule(
    order: list[str],
    known: dict[str, EpisodeTiming],
    titles: dict[str, str],
    options: ScheduleOptions,
    gettext: Gettext = untranslated,
) -> Schedule:
    """The schedule of the pages in ``order`` that have timing."""
    rows: list[Row] = []
    day = 1
    origin = options.start or 0
    clock = origin
    timed = timed_pages(known)
    breaks_after: dict[str, list[int]] = {}
    for after, minutes in options.breaks:
        breaks_after.setdefault(after, []).append(minutes)
    for docname in order:
        record = known.get(docname)
        if record is None or docname not in timed:
            continue
        day_start = options.day_starts.get(docname, record.start)
        later_day = record.day is not None and record.day > day
        if rows and (later_day or docname in options.day_starts):
            day = record.day if later_day else day + 1
            clock = day_start if day_start is not None else origin
        elif not rows and day_start is not None:
            clock = day_start
        rows.append(Row(day, clock, record.duration, titles.get(docname, docname), docname, record.is_break))
        clock += record.duration
        for minutes in breaks_after.get(docname, []):
            rows.append(Row(day, clock, minutes, str(gettext("Break")), None, True))
            clock += minutes
    has_clock = options.start is not None or any(v is not None for v in options.day_starts.values())
    return Schedule(rows=rows, clock=has_clock, gettext=gettext)


def parse_schedule_options(options: dict[str, str]) -> tuple[ScheduleOptions, list[str]]:
    """The directive's (or the command line's) options; returns the problems found."""
    problems: list[str] = []
    parsed = ScheduleOptions()
    if options.get("start"):
        parsed.start = parse_clock(options["start"])
        if parsed.start is None:
            problems.append(f":start: {options['start']!r} is not a time of day like 09:00")
    for entry in _entries(options.get("days")):
        docname, _sep, when = entry.partition(" ")
        start = parse_clock(when)  # None also when no time is given: the :start: time
        if when.strip() and start is None:
            problems.append(f":days: {when.strip()!r} is not a time of day like 13:00")
        parsed.day_starts[docname.strip()] = start
    for entry in _entries(options.get("breaks")):
        docname, _sep, text = entry.partition(" ")
        minutes = parse_minutes(text)
        if minutes is not None:
            parsed.breaks.append((docname.strip(), minutes))
        else:
            problems.append(
                f":breaks: {entry!r} should be a page and whole minutes up to {MAX_MINUTES}, like 'intro 15'"
            )
    return parsed, problems


def page_problems(options: ScheduleOptions, order: list[str], timed: set[str]) -> list[str]:
    """Pages named in ``:days:`` and ``:breaks:`` that the schedule cannot use.

    Such an entry would be dropped without a word: a typo in a page name, or a
    page without timing (the schedule leaves it out, and what follows it).
    ``timed`` holds the pages with timing (see :func:`timed_pages`).
    """
    problems = []
    named = [(":days:", name) for name in options.day_starts]
    named += [(":breaks:", name) for name, _minutes in options.breaks]
    for option, name in named:
        if name not in order:
            hint = _did_you_mean(name, order)
            problems.append(f"{option} no page {name!r} in the lesson's toctree{hint}")
            continue
        if name not in timed:
            what = "day that starts at" if option == ":days:" else "break after"
            problems.append(
                f"{option} the {what} {name!r} is left out of the schedule: that page has no "
                "timing (give it teaching: or exercises: minutes)"
            )
    return problems


def timed_pages(known: dict[str, EpisodeTiming]) -> set[str]:
    """The pages the schedule lists."""
    return {
        d
        for d, record in known.items()
        if lesson_rules.on_schedule(record.has_timing, record.exercise_minutes)
    }


def _did_you_mean(name: str, docnames: list[str]) -> str:
    close = difflib.get_close_matches(name, docnames, n=1)
    if not close:  # a page named without its folder: "intro" for "episodes/intro"
        close = [d for d in docnames if d.rpartition("/")[2] == name.rpartition("/")[2]][:1]
    return f"; did you mean {close[0]!r}?" if close else ""


def _entries(text: str | None) -> list[str]:
    return [" ".join(e.split()) for e in re.split(r"[,\n]", text or "") if e.strip()]


