"""``sphinx-refinery workshop PLAN``: the command line; the work is in workshops/report.py.

Kept apart so that ``sphinx-refinery --help`` loads no Sphinx application.
"""

from __future__ import annotations

import argparse
from pathlib import Path

from .output import CommandError, warn, write_result

FORMATS = ("text", "csv", "json", "ics", "md")


def add_parser(commands: argparse._SubParsersAction) -> None:
    parser = commands.add_parser(
        "workshop",
        help="print a workshop's schedule from its plan",
        description="Compute a workshop's days from a plan (YAML) and its lessons' own timing.",
    )
    parser.add_argument("plan", help="the plan, like workshop.yml")
    parser.add_argument("--format", choices=FORMATS, default="text")
    parser.add_argument("-o", "--output", help="write to this file instead of standard output")
    parser.add_argument("--strict", action="store_true", help="exit with 1 when a day runs past its end or the plan has a warning")
    parser.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    from ..workshops import ics, report
    from ..workshops.plan import PlanError
    from ..workshops.reader import LessonError

    try:
        workshop = report.load(Path(args.plan))
        text = getattr(report, f"as_{args.format}")(workshop)
    except (PlanError, LessonError, ics.CalendarError) as err:
        raise CommandError(str(err)) from None
    for warning in workshop.warnings:
        warn("workshop", str(warning))
    late = report.overruns(workshop)
    for message in late:
        warn("workshop", message)
    write_result(text, args.output)
    return 1 if (late or workshop.warnings) and args.strict else 0
