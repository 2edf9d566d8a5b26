"""``sphinx-refinery check [PATH]``: the command line."""

from __future__ import annotations

import argparse
import time
from collections.abc import Iterable
from pathlib import Path
from typing import TYPE_CHECKING

from ..check.report import FORMATS
from .output import CommandError

if TYPE_CHECKING:
    from ..check.lesson import Lesson
    from ..check.model import Finding

def add_parser(commands: argparse._SubParsersAction) -> None:
    parser = commands.add_parser(
        "check",
        help="check a lesson for common problems, without building it",
        description=(
            "Check a lesson's sources for what reviewers catch by hand: misspelt directives, "
            "broken fences, solutions without exercises, duplicate labels, images without alt "
            "text, vague or http:// links, missing files and anchors, heading levels, episode "
            "structure and timing, legacy syntax. Exit status: 1 when there are errors (or "
            "warnings, with --strict), 2 for a bad PATH or option, else 0."
        ),
    )
    parser.add_argument(
        "path",
        nargs="?",
        default=".",
        help="the lesson's folder or its source folder: conf.py is looked for in PATH, "
        "PATH/content and PATH/docs (default: .)",
    )
    parser.add_argument(
        "--format", choices=FORMATS, default="text", help="output format (default: text)"
    )
    parser.add_argument("--strict", action="store_true", help="exit with status 1 on warnings too")
    parser.add_argument(
        "--select",
        action="append",
        metavar="RULES",
        help="only these rules: ids or levels (error, warning, info), comma-separated",
    )
    parser.add_argument(
        "--ignore", action="append", metavar="RULES", help="leave out these rules (ids or levels)"
    )
    parser.add_argument("--list-rules", action="store_true", help="list the rules and exit")
    parser.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    # Imported here: every sphinx-refinery command builds this parser, few run it.
    from ..check.lesson import UsageError, find_srcdir
    from ..check.report import display_path, render, summary
    from ..check.rules import RULES
    from ..check.selection import expand, split_option

    if args.list_rules:
        for rule in RULES:
            print(f"{rule.id:28} {rule.level:8} {rule.catches}")
        return 0
    cli_select, unknown_select = expand(split_option(args.select))
    cli_ignore, unknown_ignore = expand(split_option(args.ignore))
    if unknown_select or unknown_ignore:
        names = ", ".join(repr(n) for n in unknown_select + unknown_ignore)
        raise CommandError(f"unknown rule id(s) {names} (see --list-rules)")
    given = Path(args.path)
    try:
        srcdir = find_srcdir(given)
    except UsageError as err:
        raise CommandError(str(err)) from None

    started = time.perf_counter()
    lesson, findings = check_lesson(
        srcdir, given.resolve(), cli_select if args.select else None, cli_ignore
    )
    elapsed = time.perf_counter() - started

    root = given.resolve()
    output = render(findings, args.format, lambda p: display_path(p, root, args.path))
    if output:
        print(output)
    if args.format == "text":
        print(f"{summary(findings)} Checked {len(lesson.pages)} pages in {elapsed:.2f} s.")
    failing = {"error", "warning"} if args.strict else {"error"}
    return 1 if any(f.level in failing for f in findings) else 0


def check_lesson(
    srcdir: Path,
    start: Path | None = None,
    select: set[str] | None = None,
    ignore: Iterable[str] = (),
) -> tuple[Lesson, list[Finding]]:
    """Check the lesson whose conf.py is in ``srcdir``, as the command does.

    ``start`` is where pyproject.toml is looked for (default: ``srcdir``); ``select``
    and ``ignore`` are rule ids, as the command line's options give them.
    """
    from ..check.lesson import load, settings_from_conf
    from ..check.rules import run as run_rules
    from ..check.selection import enabled_rules

    settings = settings_from_conf(srcdir)
    enabled = enabled_rules(settings, start or srcdir, select, set(ignore))
    lesson = load(settings)
    return lesson, run_rules(lesson, enabled)
