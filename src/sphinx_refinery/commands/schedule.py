"""``sphinx-refinery schedule PATH``: the lesson's schedule as text, CSV, JSON or iCalendar.

It reads the lesson with Sphinx (nothing is written into the lesson), so the
schedule is exactly the one the ``schedule`` directive shows.
"""

from __future__ import annotations

import argparse
import csv
import datetime as dt
import io
import json
from pathlib import Path
from typing import TYPE_CHECKING

from .output import CommandError, warn, write_result

if TYPE_CHECKING:  # the module loads Sphinx only to read a lesson, not for --help
    from ..model.schedule import Schedule

FORMATS = ("text", "csv", "json", "ics")


def lesson_schedule(env, options: dict[str, str], warnings: list[str] | None = None) -> Schedule:
    """The schedule; what it leaves out of ``options`` is added to ``warnings``."""
    from ..model.schedule import (
        compute_schedule,
        page_problems,
        parse_schedule_options,
        timed_pages,
    )
    from ..pages.aggregates import toctree_order
    from ..timing.reader import scheduled_timings

    parsed, problems = parse_schedule_options(options)
    if problems:
        raise CommandError("; ".join(problems))
    titles = {d: t.astext() for d, t in env.titles.items()}
    order = toctree_order(env)
    if warnings is not None:
        warnings += page_problems(parsed, order, timed_pages(scheduled_timings(env)))
    return compute_schedule(order, scheduled_timings(env), titles, parsed)


def as_text(schedule: Schedule) -> str:
    from ..model.schedule import format_duration

    rows = [("Day", "Start", "Episode", "Duration")]
    for row in schedule.rows:
        title = f"({row.title})" if row.is_break else row.title
        rows.append((str(row.day), schedule.start_text(row), title, format_duration(row.duration)))
    rows.append(("", "", "Total", format_duration(schedule.total)))
    widths = [max(len(r[i]) for r in rows) for i in range(4)]
    lines = ["  ".join(cell.ljust(w) for cell, w in zip(r, widths, strict=True)).rstrip() for r in rows]
    lines.insert(1, "  ".join("-" * w for w in widths))
    return "\n".join(lines) + "\n"


def as_csv(schedule: Schedule) -> str:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(["day", "start", "minutes", "title", "page", "break"])
    for row in schedule.rows:
        writer.writerow(
            [row.day, schedule.start_text(row), row.duration, row.title, row.docname or "", row.is_break]
        )
    return out.getvalue()


def as_json(schedule: Schedule) -> str:
    data = {
        "clock": schedule.clock,
        "days": schedule.days,
        "total_minutes": schedule.total,
        "rows": [
            {
                "day": row.day,
                "start": schedule.start_text(row),
                "start_minutes": row.start,
                "minutes": row.duration,
                "title": row.title,
                "page": row.docname,
                "break": row.is_break,
            }
            for row in schedule.rows
        ],
    }
    return json.dumps(data, indent=2, ensure_ascii=False) + "\n"


def as_ics(
    schedule: Schedule, dates: list[dt.date], name: str, timezone: str, warnings: list[str] | None = None
) -> str:
    """One event per row, in UTC; times of day are read in ``timezone``.

    Each day's first start is a time of day; the rest of the day follows in elapsed
    minutes, as in a workshop, so a day across a daylight-saving change keeps its lengths.
    """
    from ..workshops import ics  # only for this format, so that --help stays quick

    if not schedule.clock:
        raise CommandError("an iCalendar file needs times of day: give --start 09:00")
    try:
        tz = ics.zone(timezone)
        for date in dates:
            ics.check_date(date)
        last = max((row.start + row.duration for row in schedule.rows), default=0)
        ics.check_span(max(schedule.days, len(dates)), last)
        events = []
        breaks = 0
        anchors: dict[int, tuple[dt.datetime, int]] = {}  # day -> its first start, in UTC and minutes
        for row in schedule.rows:
            if row.day not in anchors:
                day = dates[row.day - 1] if row.day <= len(dates) else dates[0] + dt.timedelta(days=row.day - 1)
                moment, skipped = ics.at(day, row.start, tz)
                if skipped and warnings is not None:
                    warnings.append(f"day {row.day}: {skipped}")
                anchors[row.day] = (moment, row.start)
            first, origin = anchors[row.day]
            start = first + dt.timedelta(minutes=row.start - origin)
            if row.docname:
                key: tuple[str, ...] = ("page", row.docname)
            else:
                breaks += 1
                key = ("break", str(breaks))
            events.append(ics.Event(start, row.duration, row.title, key))
        return ics.calendar(name, timezone, events, "schedule")
    except (ics.CalendarError, OverflowError) as err:
        message = str(err) if isinstance(err, ics.CalendarError) else "a date falls past the year 9999"
        raise CommandError(message) from err


def add_parser(commands: argparse._SubParsersAction) -> None:
    parser = commands.add_parser(
        "schedule",
        help="print the lesson's schedule",
        description="Print the schedule computed from the episodes' timing.",
    )
    parser.add_argument("path", nargs="?", default=".", help="the lesson (default: here)")
    parser.add_argument("--format", choices=FORMATS, default="text")
    parser.add_argument("--start", help="time of day the lesson starts, like 09:00")
    parser.add_argument("--days", help="pages that start a new day, like 'branches 13:00, sharing'")
    parser.add_argument("--breaks", help="breaks after pages, like 'intro 15, basics 10'")
    parser.add_argument(
        "--date",
        action="append",
        type=dt.date.fromisoformat,
        help="date of day 1 (YYYY-MM-DD) for --format ics; repeat it for later days",
    )
    parser.add_argument(
        "--timezone",
        help="time zone of the times of day for --format ics, like Europe/Helsinki "
        "(default: the lesson's refinery_timezone)",
    )
    parser.add_argument("-o", "--output", help="write to this file instead of standard output")
    parser.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    from ..workshops.reader import LessonError

    warnings: list[str] = []
    try:
        text = schedule_text(args, warnings)
    except LessonError as err:
        raise CommandError(str(err)) from None
    finally:  # before an error too: a warning may say why (a bad refinery_timezone)
        for warning in warnings:
            warn("schedule", warning)
    write_result(text, args.output)
    return 0


def schedule_text(args: argparse.Namespace, warnings: list[str]) -> str:
    """The schedule in ``args.format``; what reading the lesson warned of goes to ``warnings``."""
    from ..workshops.reader import read_lesson

    if not args.path:
        raise CommandError("PATH is empty: give the lesson's folder, or leave PATH out for here")
    env, options, found = read_lesson(Path(args.path))
    warnings.extend(found)
    for key in ("start", "days", "breaks"):
        if getattr(args, key):
            options[key] = getattr(args, key)
    schedule = lesson_schedule(env, options, warnings)
    if args.format != "ics":
        return {"text": as_text, "csv": as_csv, "json": as_json}[args.format](schedule)
    if not args.date:
        raise CommandError("--format ics needs --date YYYY-MM-DD for day 1")
    timezone = args.timezone or env.config.refinery_timezone
    if not timezone:
        raise CommandError(
            "--format ics needs a time zone: give --timezone Europe/Helsinki (or UTC), "
            "or set refinery_timezone in conf.py"
        )
    return as_ics(schedule, args.date, env.config.project, timezone, warnings)
