"""Workshop plans: several lessons over several days, in one time zone.

A plan is a YAML file (see docs/workshops.md). It is read with PyYAML's node
API, so every problem is reported with the plan's file and line. The times come
from the lessons' own timing, computed by :func:`schedule.compute_schedule`: this
module only places each lesson's schedule on the plan's days. Times are worked
out in UTC and shown in the plan's time zone, so a day that crosses a
daylight-saving change keeps its real durations.
"""

from __future__ import annotations

import datetime as dt
import difflib
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import quote, urljoin

from ..model.lesson_rules import MAX_MINUTES, parse_clock
from ..model.schedule import (
    EpisodeTiming,
    Gettext,
    ScheduleOptions,
    compute_schedule,
    format_clock,
    parse_schedule_options,
    untranslated,
)
from ..util import bounded
from . import ics

PLAN_KEYS = ("title", "timezone", "days")
DAY_KEYS = ("date", "start", "end", "breaks", "lessons")
LESSON_KEYS = ("lesson", "episodes", "start", "url", "breaks")
#: More days than this is a typo, not a workshop.
MAX_DAYS = 100
#: Past this a lesson's minutes are a typo; it also keeps dates far from year 9999.
MAX_LESSON_MINUTES = 7 * 24 * 60
BREAK = re.compile(r"^(\S+)\s+(\d+)\s*(?:min)?$", re.ASCII)


class PlanError(Exception):
    """A problem in the plan, with its file and line."""

    def __init__(self, message: str, path: Path | str, line: int | None = None) -> None:
        self.message, self.path, self.line = message, str(path), line
        where = f"{path}:{line}" if line else str(path)
        super().__init__(f"{where}: {message}")


@dataclass
class LessonEntry:
    ref: str  # as the plan writes it
    location: str  # a URL, or a path made absolute from the plan's folder
    line: int
    episodes: list[tuple[str, int]] | None = None  # (page, line)
    start: int | None = None  # minutes after midnight
    url: str = ""  # where the lesson is published, for links
    breaks: list[tuple[str, int]] = field(default_factory=list)  # this lesson's, from the plan
    breaks_line: int = 0

    @property
    def same_as(self) -> str:
        """The lesson whatever way it is written: ``L``, ``L/`` and ``L/lesson.json`` alike."""
        return self.location.removesuffix("/lesson.json").rstrip("/")


@dataclass
class Day:
    date: dt.date
    start: int
    line: int
    end: int | None = None
    breaks: list[tuple[str, int]] = field(default_factory=list)  # (after page, minutes)
    breaks_line: int = 0
    lessons: list[LessonEntry] = field(default_factory=list)


@dataclass
class Plan:
    path: Path
    title: str
    timezone: str
    days: list[Day]

    def locations(self) -> list[str]:
        """Each lesson once, in the order the plan names them."""
        return list(dict.fromkeys(entry.location for day in self.days for entry in day.lessons))


# -- reading the plan ------------------------------------------------------------------------


def is_url(ref: str) -> bool:
    return ref.startswith(("http://", "https://"))


def read_plan(path: Path) -> Plan:
    import yaml  # a dependency of myst-parser

    try:
        text = bounded.read_text(path)
        root = bounded.compose_yaml(text, "the plan")
    except OSError as err:
        raise PlanError(f"cannot be read: {err.strerror or err}", path) from err
    except bounded.InputError as err:
        raise PlanError(str(err).removeprefix(f"{path} ").removeprefix("the plan "), path) from err
    except yaml.YAMLError as err:
        mark = getattr(err, "problem_mark", None)
        problem = getattr(err, "problem", None) or str(err)
        raise PlanError(f"not valid YAML: {problem}", path, mark.line + 1 if mark else None) from err
    reader = _Reader(path)
    if root is None:
        raise PlanError("the plan is empty", path)
    fields = reader.mapping(root, PLAN_KEYS, "the plan")
    timezone = reader.string(reader.require(fields, "timezone", root), "timezone")
    try:
        ics.zone(timezone)
    except ics.CalendarError as err:
        raise PlanError(str(err), path, _line(fields["timezone"])) from err
    days_node = reader.require(fields, "days", root)
    days = [reader.day(node) for node in reader.sequence(days_node, "days")]
    if not days:
        raise PlanError("'days' lists no day", path, _line(days_node))
    if len(days) > MAX_DAYS:
        raise PlanError(f"{len(days)} days; a plan takes at most {MAX_DAYS}", path, _line(days_node))
    seen: dict[dt.date, int] = {}
    for day in days:
        if day.date in seen:
            raise PlanError(f"{day.date} is planned twice (also on line {seen[day.date]})", path, day.line)
        seen[day.date] = day.line
    title = reader.string(fields["title"], "title") if "title" in fields else path.stem
    return Plan(path=path, title=title, timezone=timezone, days=days)


def _line(node: Any) -> int:
    return node.start_mark.line + 1


class _Reader:
    """Checks each node's shape; every error names the plan's line."""

    def __init__(self, path: Path) -> None:
        self.path = path

    def fail(self, message: str, node: Any) -> PlanError:
        return PlanError(message, self.path, _line(node))

    def mapping(self, node: Any, known: tuple[str, ...], what: str) -> dict[str, Any]:
        import yaml

        if not isinstance(node, yaml.MappingNode):
            raise self.fail(f"{what} should be a mapping of keys to values", node)
        found: dict[str, Any] = {}
        for key, value in node.value:
            name = key.value if isinstance(key, yaml.ScalarNode) else None
            if name not in known:
                close = difflib.get_close_matches(str(name), known, n=1)
                hint = f" (did you mean {close[0]!r}?)" if close else f" (known: {', '.join(known)})"
                raise self.fail(f"unknown key {name!r} in {what}{hint}", key)
            if name in found:
                raise self.fail(f"{name!r} is given twice in {what}", key)
            found[name] = value
        return found

    def require(self, fields: dict[str, Any], key: str, parent: Any) -> Any:
        if key not in fields:
            raise self.fail(f"{key!r} is missing", parent)
        return fields[key]

    def string(self, node: Any, what: str) -> str:
        import yaml

        if not isinstance(node, yaml.ScalarNode) or not str(node.value).strip():
            raise self.fail(f"{what} should be a single value", node)
        return str(node.value).strip()

    def sequence(self, node: Any, what: str) -> list[Any]:
        import yaml

        if not isinstance(node, yaml.SequenceNode):
            raise self.fail(f"{what} should be a list", node)
        return list(node.value)

    def clock(self, node: Any, what: str) -> int:
        # The raw text: YAML 1.1 would read an unquoted 09:00 as the number 540.
        value = self.string(node, what)
        minutes = parse_clock(value)
        if minutes is None:
            raise self.fail(f"{what}: {value!r} is not a time of day like 09:00", node)
        return minutes

    def day(self, node: Any) -> Day:
        fields = self.mapping(node, DAY_KEYS, "a day")
        date_text = self.string(self.require(fields, "date", node), "date")
        try:
            date = dt.date.fromisoformat(date_text)
        except ValueError:
            raise self.fail(f"date: {date_text!r} is not a date like 2027-03-16", fields["date"]) from None
        try:
            ics.check_date(date)
        except ics.CalendarError as err:
            raise self.fail(f"date: {err}", fields["date"]) from None
        day = Day(date=date, start=self.clock(self.require(fields, "start", node), "start"), line=_line(node))
        if "end" in fields:
            day.end = self.clock(fields["end"], "end")
            if day.end <= day.start:
                raise self.fail(f"end {format_clock(day.end)} is not after start", fields["end"])
        if "breaks" in fields:
            day.breaks_line = _line(fields["breaks"])
            day.breaks = self.breaks(fields["breaks"])
        lessons = self.require(fields, "lessons", node)
        day.lessons = [self.lesson(item) for item in self.sequence(lessons, "lessons")]
        if not day.lessons:
            raise self.fail("'lessons' lists no lesson", lessons)
        return day

    def breaks(self, node: Any) -> list[tuple[str, int]]:
        import yaml

        if isinstance(node, yaml.SequenceNode):
            entries = [(self.string(item, "a break"), item) for item in node.value]
        else:
            text = self.string(node, "breaks")
            entries = [(part.strip(), node) for part in re.split(r"[,\n]", text) if part.strip()]
        found = []
        for entry, where in entries:
            match = BREAK.match(" ".join(entry.split()))
            if not match:
                raise self.fail(f"breaks: {entry!r} should be a page and whole minutes, like 'intro 15'", where)
            minutes = int(match[2])
            if minutes > MAX_MINUTES:
                raise self.fail(f"breaks: {entry!r} is longer than a day ({MAX_MINUTES} minutes)", where)
            found.append((match[1], minutes))
        return found

    def lesson(self, node: Any) -> LessonEntry:
        fields = self.mapping(node, LESSON_KEYS, "a lesson")
        ref = self.string(self.require(fields, "lesson", node), "lesson")
        location = ref if is_url(ref) else str((self.path.parent / ref).resolve())
        entry = LessonEntry(ref=ref, location=location, line=_line(fields["lesson"]))
        if "episodes" in fields:
            entry.episodes = [
                (self.string(item, "an episode"), _line(item))
                for item in self.sequence(fields["episodes"], "episodes")
            ]
            if not entry.episodes:
                raise self.fail("'episodes' lists no page", fields["episodes"])
        if "start" in fields:
            entry.start = self.clock(fields["start"], "start")
        if "breaks" in fields:
            entry.breaks_line = _line(fields["breaks"])
            entry.breaks = self.breaks(fields["breaks"])
        if "url" in fields:
            entry.url = self.string(fields["url"], "url")
            if not is_url(entry.url):
                raise self.fail(f"url: {entry.url!r} should start with https:// or http://", fields["url"])
        elif is_url(ref):
            entry.url = ref.rsplit("/", 1)[0] + "/" if ref.endswith(".json") else ref
        return entry


# -- the computed workshop -------------------------------------------------------------------


@dataclass
class Item:
    lesson: str  # the lesson's title
    lesson_ref: str  # the lesson as the plan names it
    page: str | None  # None for a break the lesson or the plan adds
    title: str
    start: dt.datetime  # aware, in the plan's time zone
    minutes: int
    is_break: bool
    url: str = ""

    @property
    def end(self) -> dt.datetime:
        return _local(_utc(self.start) + dt.timedelta(minutes=self.minutes), self.start.tzinfo)


@dataclass
class DaySchedule:
    date: dt.date
    items: list[Item]
    end: dt.datetime | None  # the plan's end, aware
    overrun: int  # minutes past the end, 0 when it fits

    def clock(self, moment: dt.datetime, gettext: Gettext = untranslated) -> str:
        return _day_clock(self.date, moment, gettext)


def _day_clock(date: dt.date, moment: dt.datetime, gettext: Gettext = untranslated) -> str:
    """A time as HH:MM, with (+1d) when it falls after the day's date."""
    later = (moment.date() - date).days
    return format_clock(later * 24 * 60 + moment.hour * 60 + moment.minute, gettext)


@dataclass
class Workshop:
    title: str
    timezone: str
    days: list[DaySchedule]
    warnings: list[PlanError]


def _utc(moment: dt.datetime) -> dt.datetime:
    return moment.astimezone(dt.UTC)


def _local(moment: dt.datetime, tz: Any) -> dt.datetime:
    return moment.astimezone(tz)


def _at(
    date: dt.date, minutes: int, tz: dt.tzinfo, where: tuple[Path, int], warnings: list[PlanError]
) -> dt.datetime:
    """The wall-clock time in UTC; a time the clocks skip is warned of, at its line."""
    moment, skipped = ics.at(date, minutes, tz)
    if skipped:
        warnings.append(PlanError(skipped, *where))
    return moment


def _episode_timing(entry: dict[str, Any]) -> EpisodeTiming:
    """A manifest's episode as the timing model's record (its own day splits aside)."""
    if entry.get("break"):
        return EpisodeTiming(None, None, entry.get("minutes") or 0, None, None, 0)
    return EpisodeTiming(entry.get("teaching"), entry.get("exercises"), None, None, None, 0)


def compute(plan: Plan, lessons: dict[str, dict[str, Any]]) -> Workshop:
    """Place each planned lesson's schedule on its day; ``lessons`` maps location -> manifest."""
    tz = ics.zone(plan.timezone)
    warnings: list[PlanError] = []
    days = []
    previous: tuple[Day, dt.datetime] | None = None  # the day before, and when it ends
    for day in plan.days:
        clock = _at(day.date, day.start, tz, (plan.path, day.line), warnings)
        if previous is not None:
            _check_order(plan, previous, day, clock, warnings)
        items: list[Item] = []
        day_pages: set[str] = set()
        breaks_for = _day_breaks(plan, day, lessons, warnings)
        seen: dict[str, int] = {}
        for index, entry in enumerate(day.lessons):
            if entry.same_as in seen:
                warnings.append(PlanError(
                    f"{entry.ref} is planned twice on {day.date} (also on line {seen[entry.same_as]})",
                    plan.path, entry.line))
            seen.setdefault(entry.same_as, entry.line)
            if entry.start is not None and entry.start < day.start:
                warnings.append(PlanError(
                    f"{entry.ref} starts at {format_clock(entry.start)}, before its day starts "
                    f"({format_clock(day.start)})", plan.path, entry.line))
            if entry.start is not None:
                start = _at(day.date, entry.start, tz, (plan.path, entry.line), warnings)
                if items and start < clock:
                    earlier = _day_clock(day.date, _local(clock, tz))
                    warnings.append(PlanError(
                        f"{entry.ref} starts at {format_clock(entry.start)}, before the lesson "
                        f"before it ends ({earlier})", plan.path, entry.line))
                clock = start
            placed, timed = _place(
                plan, day, entry, lessons[entry.location], clock, tz, warnings, breaks_for.get(index, [])
            )
            items += placed
            day_pages |= timed
            if placed:
                clock = _utc(placed[-1].end)
        for page, _minutes in day.breaks:
            if page not in day_pages:
                raise PlanError(
                    f"breaks: no lesson on {day.date} has a timed page {page!r}{_hint(page, day_pages)}",
                    plan.path,
                    day.breaks_line,
                )
        end = _at(day.date, day.end, tz, (plan.path, day.line), warnings) if day.end is not None else None
        overrun = 0
        if end is not None:
            overrun = max(0, int((clock - end).total_seconds() // 60))
            end = _local(end, tz)
        days.append(DaySchedule(day.date, items, end, overrun))
        previous = (day, max(clock, _at(day.date, day.end, tz, (plan.path, day.line), []) if day.end else clock))
    return Workshop(plan.title, plan.timezone, days, warnings)


def _check_order(
    plan: Plan, previous: tuple[Day, dt.datetime], day: Day, start: dt.datetime, warnings: list[PlanError]
) -> None:
    before, ends = previous
    if day.date < before.date:
        warnings.append(PlanError(f"{day.date} comes after {before.date} in the plan: out of order", plan.path, day.line))
    elif start < ends:
        warnings.append(PlanError(f"{day.date} starts before {before.date} ends", plan.path, day.line))


def _day_breaks(
    plan: Plan, day: Day, lessons: dict[str, dict[str, Any]], warnings: list[PlanError]
) -> dict[int, list[tuple[str, int]]]:
    """The plan's breaks of each lesson of the day (by its place in the day): a day's break
    goes to the first lesson with that page, and is ambiguous when several have it."""
    found: dict[int, list[tuple[str, int]]] = {i: list(e.breaks) for i, e in enumerate(day.lessons)}
    for page, minutes in day.breaks:
        having = [
            i for i, e in enumerate(day.lessons)
            if page in _chosen(e, lessons[e.location])
        ]
        if len(having) > 1:
            names = ", ".join(day.lessons[i].ref for i in having)
            warnings.append(PlanError(
                f"breaks: {page!r} is a page of several lessons that day ({names}); the break follows "
                f"the first: to say which, give it in that lesson's own 'breaks'", plan.path, day.breaks_line))
        if having:
            found[having[0]].append((page, minutes))
        elif day.lessons:  # reported as an error once the pages are known
            found.setdefault(-1, []).append((page, minutes))
    return found


def _chosen(entry: LessonEntry, data: dict[str, Any]) -> list[str]:
    pages = [e["page"] for e in data["episodes"]]
    return [p for p, _line in entry.episodes] if entry.episodes is not None else pages


def _lesson_breaks(
    plan: Plan, entry: LessonEntry, data: dict[str, Any], pages: list[str], mine: list[tuple[str, int]],
    warnings: list[PlanError],
) -> list[tuple[str, int]]:
    """The lesson's own breaks and the plan's for it: the plan's replaces the lesson's
    after the same page; none after the last page taught that day."""
    own = parse_schedule_options({"breaks": data.get("schedule", {}).get("options", {}).get("breaks", "")})[0]
    planned = {page for page, _minutes in mine}
    timed = [p for p in pages if p in _timed(data)]
    last = timed[-1] if timed else None
    kept = []
    for page, minutes in own.breaks:
        if page not in pages:
            continue
        if page in planned:
            warnings.append(PlanError(
                f"{entry.ref} has its own {minutes}-minute break after {page!r}; the plan's replaces it",
                plan.path, entry.breaks_line or entry.line))
            continue
        if page == last:
            warnings.append(PlanError(
                f"{entry.ref}: its own break after {page!r}, the last page taught that day, is left out",
                plan.path, entry.line))
            continue
        kept.append((page, minutes))
    for page, _minutes in entry.breaks:
        if page not in pages:
            raise PlanError(f"breaks: {entry.ref} has no page {page!r} that day{_hint(page, pages)}",
                            plan.path, entry.breaks_line)
    return kept + [(p, m) for p, m in mine if p in pages]


def _place(
    plan: Plan,
    day: Day,
    entry: LessonEntry,
    data: dict[str, Any],
    clock: dt.datetime,
    tz: Any,
    warnings: list[PlanError],
    mine: list[tuple[str, int]],
) -> tuple[list[Item], set[str]]:
    """One lesson's items from ``clock`` on, by the timing model; and its timed pages."""
    pages = _selected_pages(plan, entry, data, warnings)
    known = {e["page"]: _episode_timing(e) for e in data["episodes"]}
    titles = {e["page"]: e.get("title") or e["page"] for e in data["episodes"]}
    paths = {e["page"]: e.get("path") or f"{e['page']}.html" for e in data["episodes"]}
    options = ScheduleOptions(start=0)
    options.breaks = _lesson_breaks(plan, entry, data, pages, mine, warnings)
    schedule = compute_schedule(pages, known, titles, options)
    taken = max((r.start + r.duration for r in schedule.rows), default=0)
    if taken > MAX_LESSON_MINUTES:
        raise PlanError(
            f"{entry.ref} takes {taken} minutes on {day.date}; "
            f"a lesson's part of a day takes at most {MAX_LESSON_MINUTES} (a week)",
            plan.path,
            entry.line,
        )
    name = data["lesson"].get("title") or entry.ref
    base = entry.url or data["lesson"].get("url") or ""
    items = []
    for row in schedule.rows:
        url = _link(base, paths[row.docname]) if base and row.docname else ""
        start = _local(clock + dt.timedelta(minutes=row.start), tz)
        items.append(Item(name, entry.ref, row.docname, row.title, start, row.duration, row.is_break, url))
    return items, {row.docname for row in schedule.rows if row.docname}


def _link(base: str, path: str) -> str:
    """The page's address under the lesson's; only http(s), whatever a manifest says."""
    url = quote(urljoin(base.rstrip("/") + "/", path), safe=":/?#[]@!$&'()*+,;=%~")
    return url if is_url(url) else ""


def _hint(page: str, known: Any) -> str:
    close = difflib.get_close_matches(page, list(known), n=1)
    return f" (did you mean {close[0]!r}?)" if close else ""


def _timed(data: dict[str, Any]) -> set[str]:
    return {
        e["page"]
        for e in data["episodes"]
        if e.get("break") or e.get("teaching") is not None or e.get("exercises") is not None
    }


def _selected_pages(
    plan: Plan, entry: LessonEntry, data: dict[str, Any], warnings: list[PlanError]
) -> list[str]:
    timed = _timed(data)
    all_pages = [e["page"] for e in data["episodes"]]
    if entry.episodes is None:
        if not timed:
            warnings.append(PlanError(f"{entry.ref}: no episode says how long it takes", plan.path, entry.line))
        return all_pages
    chosen = []
    for page, line in entry.episodes:
        if page not in all_pages:
            raise PlanError(f"{entry.ref} has no episode {page!r}{_hint(page, all_pages)}", plan.path, line)
        if page in chosen:
            raise PlanError(f"{page!r} is listed twice", plan.path, line)
        if page not in timed:
            warnings.append(PlanError(f"{entry.ref}: {page!r} says nothing of its time; left out", plan.path, line))
        chosen.append(page)
    return chosen
