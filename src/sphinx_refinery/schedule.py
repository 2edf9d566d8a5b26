"""The ``schedule`` directive: the toctree's timed pages as a table of start times.

``sphinx-refinery schedule`` prints the same schedule for organisers.
"""

from __future__ import annotations

import difflib
import re
from dataclasses import dataclass, field
from typing import Any, ClassVar, NamedTuple

from docutils import nodes
from docutils.parsers.rst import directives
from sphinx import addnodes
from sphinx.application import Sphinx
from sphinx.transforms.post_transforms import SphinxPostTransform
from sphinx.util import logging
from sphinx.util.docutils import SphinxDirective

from . import aggregates, lesson_rules, tables
from .aggregates import toctree_order
from .lesson_rules import parse_clock, parse_minutes
from .locale import _
from .page_scope import one_page
from .timing import (
    EpisodeTiming,
    format_clock,
    format_duration,
    format_elapsed,
    schedule_pages,
    timings,
)

logger = logging.getLogger(__name__)


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

    @property
    def days(self) -> int:
        return max((row.day for row in self.rows), default=1)

    @property
    def total(self) -> int:
        return sum(row.duration for row in self.rows)

    def start_text(self, row: Row) -> str:
        return format_clock(row.start) if self.clock else format_elapsed(row.start)


def compute_schedule(
    order: list[str],
    known: dict[str, EpisodeTiming],
    titles: dict[str, str],
    options: ScheduleOptions,
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
            rows.append(Row(day, clock, minutes, str(_("Break")), None, True))
            clock += minutes
    has_clock = options.start is not None or any(v is not None for v in options.day_starts.values())
    return Schedule(rows=rows, clock=has_clock)


def parse_schedule_options(options: dict[str, str]) -> tuple[ScheduleOptions, list[str]]:
    """The directive's (or the command line's) options; returns the problems found."""
    problems: list[str] = []
    parsed = ScheduleOptions()
    if options.get("start"):
        parsed.start = parse_clock(options["start"])
        if parsed.start is None:
            problems.append(f":start: {options['start']!r} is not a time of day like 09:00")
    for entry in _entries(options.get("days", "")):
        docname, _sep, when = entry.partition(" ")
        start = parse_clock(when) if when.strip() else None
        if when.strip() and start is None:
            problems.append(f":days: {when.strip()!r} is not a time of day like 13:00")
        parsed.day_starts[docname.strip()] = start
    for entry in _entries(options.get("breaks", "")):
        docname, _sep, text = entry.partition(" ")
        minutes = parse_minutes(text)
        if minutes is not None:
            parsed.breaks.append((docname.strip(), minutes))
        else:
            problems.append(f":breaks: {entry!r} should be a page and whole minutes, like 'intro 15'")
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


def _entries(text: str) -> list[str]:
    return [" ".join(e.split()) for e in re.split(r"[,\n]", text or "") if e.strip()]


class schedule_placeholder(nodes.General, nodes.Element):
    """Placeholder for a schedule table, built at write time."""


class ScheduleDirective(SphinxDirective):
    """``schedule``: a table of the lesson's episodes with their start times."""

    has_content = False
    option_spec: ClassVar[dict[str, Any]] = {
        "start": directives.unchanged_required,
        "days": directives.unchanged_required,
        "breaks": directives.unchanged_required,
    }

    def run(self) -> list[nodes.Node]:
        _parsed, problems = parse_schedule_options(self.options)
        if problems:
            for problem in problems:
                logger.warning(
                    problem, location=self.get_location(), type="refinery", subtype="schedule"
                )
        node = schedule_placeholder()
        node["options"] = {k: self.options[k] for k in ("start", "days", "breaks") if k in self.options}
        self.set_source_info(node)
        aggregates.note(self.env)
        schedule_pages(self.env).add(self.env.docname)
        return [node]


class FillSchedules(SphinxPostTransform):
    """Replace each schedule placeholder with a real table, in every builder."""

    default_priority = 4

    def run(self, **kwargs: Any) -> None:
        if one_page(self) and self.env.docname not in schedule_pages(self.env):
            return
        for placeholder in list(self.document.findall(schedule_placeholder)):
            options, _problems = parse_schedule_options(placeholder["options"])  # warned when read
            titles = {d: t.astext() for d, t in self.env.titles.items()}
            order = toctree_order(self.env)
            for problem in page_problems(options, order, timed_pages(timings(self.env))):
                logger.warning(
                    problem, location=placeholder, type="refinery", subtype="schedule-page"
                )
            schedule = compute_schedule(order, timings(self.env), titles, options)
            placeholder.replace_self(schedule_table(schedule, self.env.docname))


def schedule_table(schedule: Schedule, here: str) -> nodes.Node:
    if not schedule.rows:
        text = str(_("No episode says how long it takes yet."))
        return nodes.paragraph(text, text)
    multi_day = schedule.days > 1
    headings = [_("Start"), _("Episode"), _("Duration")]
    if multi_day:
        headings.insert(0, _("Day"))
    rows: list[list[nodes.Node]] = []
    for row in schedule.rows:
        title: nodes.Node = nodes.Text(row.title)
        if row.docname:
            title = addnodes.pending_xref(
                "",
                nodes.inline(row.title, row.title),
                refdomain="std",
                reftype="doc",
                reftarget="/" + row.docname,
                refexplicit=True,
                refdoc=here,
            )
        if row.is_break:
            title = nodes.emphasis("", "", title)
        cells = [nodes.Text(schedule.start_text(row)), title, nodes.Text(format_duration(row.duration))]
        if multi_day:
            cells.insert(0, nodes.Text(str(row.day)))
        rows.append(cells)
    total = [nodes.strong("", str(_("Total"))), nodes.strong("", format_duration(schedule.total))]
    rows.append([nodes.Text("")] * (len(headings) - 2) + total)
    widths = [5] * multi_day + [14, 40, 14]
    return tables.table(["refinery-schedule"], headings, widths, rows)


def setup(app: Sphinx) -> None:
    app.add_directive("schedule", ScheduleDirective)
    app.add_node(
        schedule_placeholder,
        **dict.fromkeys(("html", "latex", "text", "man", "texinfo"), (_skip, None)),
    )
    app.add_post_transform(FillSchedules)


def _skip(self: Any, node: nodes.Node) -> None:
    raise nodes.SkipNode
