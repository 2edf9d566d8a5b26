"""``sphinx-refinery export --to workbench LESSON OUT``: the command line; the export is in
:mod:`sphinx_refinery.export`, imported when the command runs."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from .output import CommandError, write_result

FORMATS = ("workbench",)


def add_parser(commands: argparse._SubParsersAction) -> None:
    parser = commands.add_parser(
        "export",
        help="write the lesson in another lesson format (the Carpentries Workbench)",
        description=(
            "Write a copy of the lesson as a Carpentries Workbench lesson into a new folder OUT, "
            "and report what the Workbench has no form for and what it became."
        ),
    )
    parser.add_argument("--to", choices=FORMATS, required=True, help="the format to write")
    parser.add_argument("lesson", help="the lesson's folder (holding conf.py, or its content/ or docs/)")
    parser.add_argument("out", help="a new or empty folder for the copy")
    parser.add_argument("--source", default="", help="the lesson's repository address, for config.yaml")
    parser.add_argument("--report", metavar="FILE", help="write the report to FILE instead of standard output")
    parser.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    from ..export.lesson import ExportError, export_lesson

    if not args.lesson.strip() or not args.out.strip():
        raise CommandError("LESSON and OUT must not be empty")
    try:
        report = export_lesson(Path(args.lesson).expanduser(), Path(args.out).expanduser(), source=args.source)
    except ExportError as err:
        raise CommandError(str(err), status=err.status) from None
    print(f"sphinx-refinery export: wrote {args.out}", file=sys.stderr)
    write_result(report.as_text(), args.report)
    return 0
