"""Episode timing, the computed schedule, and the episode badge.

Each episode says how long it takes in its front matter (MyST) or in a field
list at the top (rST), with the Carpentries Workbench's names::

    ---
    teaching: 20
    exercises: 30
    ---

Exercises' ``:time:`` values are summed per episode. The ``schedule``
directive turns the toctree into a table of start times; ``sphinx-refinery
schedule`` prints the same schedule for organisers.
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any, ClassVar, NamedTuple

from docutils import nodes
from docutils.parsers.rst import directives
from sphinx import addnodes
from sphinx.application import Sphinx
from sphinx.environment import BuildEnvironment
from sphinx.environment.collectors import EnvironmentCollector
from sphinx.transforms.post_transforms import SphinxPostTransform
from sphinx.util import logging
from sphinx.util.docutils import SphinxDirective

from . import aggregates, lesson_rules, tables
from .aggregates import toctree_order
from .lesson_rules import MINUTE_KEYS, parse_clock, parse_minutes
from .locale import _

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
    is_episode: bool  # it has objectives, exercises or key points

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
    that shows it is put in at write time, by :class:`TimingBadges`)."""

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
        boxes = [n for n in doctree.findall(nodes.Admonition) if n.get("refinery_kind")]
        record = EpisodeTiming(
            teaching=values["teaching"],
            exercises=values["exercises"],
            break_minutes=values["break"],
            day=values["day"],
            start=start,
            exercise_minutes=lesson_rules.exercise_minutes(
                (n["refinery_kind"], n.get("refinery_time")) for n in boxes
            ),
            is_episode=lesson_rules.is_episode(n["refinery_kind"] for n in boxes),
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


class TimingBadges(SphinxPostTransform):
    """Put each episode's timing badge under its title, from its collected record.

    A document that gathers pages (singlehtml, LaTeX) names each section's page
    in its ``docname``: each page gets its own badge.
    """

    default_priority = 20

    def run(self, **kwargs: Any) -> None:
        show = self.config.refinery_show_timing
        known = timings(self.env)
        if show == "none" or not known:
            return
        seen: set[str] = set()
        for section in list(self.document.findall(nodes.section)):
            docname = section.get("docname", self.env.docname)
            if docname in seen:
                continue
            seen.add(docname)
            record = known.get(docname)
            if record is not None:
                _add_badge(show, section, record)


def _add_badge(show: str, section: nodes.section, record: EpisodeTiming) -> None:
    if not lesson_rules.on_schedule(record.has_timing, record.exercise_minutes):
        return
    if not isinstance(section[0], nodes.title):
        return
    parts = []
    if record.is_break:
        parts.append(str(_("Break %(duration)s")) % {"duration": format_duration(record.duration)})
    else:
        if record.teaching is not None:
            parts.append(str(_("Teaching %(duration)s")) % {"duration": format_duration(record.teaching)})
        if record.exercise_total:
            duration = format_duration(record.exercise_total)
            parts.append(str(_("Exercises %(duration)s")) % {"duration": duration})
    if not parts:
        return
    classes = ["refinery-timing"]
    if show == "instructor":
        classes.append("refinery-instructor-only")
    text = " · ".join(parts)
    section.insert(1, nodes.paragraph(text, text, classes=classes))


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


# -- the schedule ----------------------------------------------------------------------------


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
    app.add_env_collector(TimingCollector)
    app.connect("env-check-consistency", check_timing)
    app.add_directive("schedule", ScheduleDirective)
    app.add_node(
        schedule_placeholder,
        **dict.fromkeys(("html", "latex", "text", "man", "texinfo"), (_skip, None)),
    )
    app.add_post_transform(FillSchedules)
    app.add_post_transform(TimingBadges)


def _skip(self: Any, node: nodes.Node) -> None:
    raise nodes.SkipNode
