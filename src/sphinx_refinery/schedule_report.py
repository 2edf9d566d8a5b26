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
import tempfile
from pathlib import Path
from typing import TYPE_CHECKING

from .command_output import CommandError, warn, write_result

if TYPE_CHECKING:  # the module loads Sphinx only to read a lesson, not for --help
    from .schedule import Schedule

FORMATS = ("text", "csv", "json", "ics")


class LessonError(Exception):
    """A lesson that cannot be read; the message says why."""


def find_conf_dir(path: Path) -> Path:
    """The folder holding conf.py: PATH itself, or its content/ or docs/ folder."""
    if not path.is_dir():
        raise LessonError(f"{path}: no such folder")
    for candidate in (path, path / "content", path / "docs"):
        if (candidate / "conf.py").is_file():
            return candidate
    raise LessonError(f"no conf.py in {path}, {path / 'content'} or {path / 'docs'}")


def read_lesson(path: Path):
    """Read every page of the lesson with Sphinx's dummy builder.

    Returns the environment, the options of the lesson's schedule directive, and
    the build's warnings about timing and settings (the schedule may lack what
    they are about).
    """
    from sphinx.application import Sphinx
    from sphinx.errors import SphinxError
    from sphinx.util.docutils import docutils_namespace, patch_docutils

    from .check.lesson import short_error

    srcdir = find_conf_dir(path)
    warnings = io.StringIO()
    # As sphinx-build does: docutils' global registries are restored afterwards,
    # so a later Sphinx application in the same process starts clean.
    with (
        tempfile.TemporaryDirectory(prefix="refinery-") as scratch,
        patch_docutils(srcdir),
        docutils_namespace(),
    ):
        try:
            app = Sphinx(
                str(srcdir), str(srcdir), scratch, str(Path(scratch) / "doctrees"), "dummy",
                status=None, warning=warnings, freshenv=True,
                # As the HTML builder's tags: "only" keeps what the HTML schedule shows.
                tags=["html", "format_html", "builder_html"],
                # Timing is in front matter and notebook metadata: never run notebooks.
                confoverrides={"nb_execution_mode": "off"},
            )
            if "sphinx_refinery" not in app.extensions:
                raise LessonError(f"{srcdir / 'conf.py'} does not load sphinx_refinery")
            app.build()
        except SphinxError as err:
            # conf.py's own traceback is in the message: its first and last lines say it.
            raise LessonError(f"Sphinx could not read the lesson: {short_error(str(err))}") from err
        options = _directive_options(app.env)
    return app.env, options, _timing_warnings(warnings.getvalue())


def _timing_warnings(text: str) -> list[str]:
    # Timing and settings (a bad refinery_timezone); not the schedule directive's
    # own: the command line's options may replace its.
    kept = ("[refinery.timing", "[refinery.config]")
    return [line.strip() for line in text.splitlines() if any(k in line for k in kept)]


def _directive_options(env) -> dict[str, str]:
    """The options of the lesson's first ``schedule`` directive, if it has one."""
    from . import aggregates
    from .schedule import schedule_placeholder

    for docname in aggregates.toctree_order(env) + sorted(aggregates.pages(env)):
        if docname not in aggregates.pages(env):
            continue
        for node in env.get_doctree(docname).findall(schedule_placeholder):
            return dict(node["options"])
    return {}


def lesson_schedule(env, options: dict[str, str], warnings: list[str] | None = None) -> Schedule:
    """The schedule; what it leaves out of ``options`` is added to ``warnings``."""
    from .aggregates import toctree_order
    from .schedule import compute_schedule, page_problems, parse_schedule_options, timed_pages
    from .timing import timings

    parsed, problems = parse_schedule_options(options)
    if problems:
        raise LessonError("; ".join(problems))
    titles = {d: t.astext() for d, t in env.titles.items()}
    order = toctree_order(env)
    if warnings is not None:
        warnings += page_problems(parsed, order, timed_pages(timings(env)))
    return compute_schedule(order, timings(env), titles, parsed)


def as_text(schedule: Schedule) -> str:
    from .timing import format_duration

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


def as_ics(schedule: Schedule, dates: list[dt.date], name: str, timezone: str) -> str:
    """One event per row, in UTC; times of day are read in ``timezone``."""
    from . import ics  # only for this format, so that --help stays quick

    if not schedule.clock:
        raise LessonError("an iCalendar file needs times of day: give --start 09:00")
    try:
        tz = ics.zone(timezone)
        last = max((row.start + row.duration for row in schedule.rows), default=0)
        ics.check_span(max(schedule.days, len(dates)), last)
        events = []
        breaks = 0
        for row in schedule.rows:
            day = dates[row.day - 1] if row.day <= len(dates) else dates[0] + dt.timedelta(days=row.day - 1)
            wall = dt.datetime.combine(day, dt.time()) + dt.timedelta(minutes=row.start)
            if row.docname:
                key: tuple[str, ...] = ("page", row.docname)
            else:
                breaks += 1
                key = ("break", str(breaks))
            events.append(ics.Event(wall.replace(tzinfo=tz), row.duration, row.title, key))
        return ics.calendar(name, timezone, events, "schedule")
    except (ics.CalendarError, OverflowError) as err:
        message = str(err) if isinstance(err, ics.CalendarError) else "a date falls past the year 9999"
        raise LessonError(message) from err


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
    if not args.path:
        raise LessonError("PATH is empty: give the lesson's folder, or leave PATH out for here")
    env, options, found = read_lesson(Path(args.path))
    warnings.extend(found)
    for key in ("start", "days", "breaks"):
        if getattr(args, key):
            options[key] = getattr(args, key)
    schedule = lesson_schedule(env, options, warnings)
    if args.format != "ics":
        return {"text": as_text, "csv": as_csv, "json": as_json}[args.format](schedule)
    if not args.date:
        raise LessonError("--format ics needs --date YYYY-MM-DD for day 1")
    timezone = args.timezone or env.config.refinery_timezone
    if not timezone:
        raise LessonError(
            "--format ics needs a time zone: give --timezone Europe/Helsinki (or UTC), "
            "or set refinery_timezone in conf.py"
        )
    return as_ics(schedule, args.date, env.config.project, timezone)
