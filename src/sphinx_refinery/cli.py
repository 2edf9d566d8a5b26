"""The ``sphinx-refinery`` command."""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Sequence
from pathlib import Path


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="sphinx-refinery",
        description="Tools for lessons built with sphinx-refinery.",
    )
    commands = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")
    from . import check, migrate, new, schedule_report, workshop_command

    new.add_parser(commands)
    check.add_parser(commands)
    migrate.add_parser(commands)
    schedule_report.add_parser(commands)
    workshop_command.add_parser(commands)
    return parser


def write_result(text: str, output: str | None) -> str | None:
    """A command's result to ``output`` (standard output when None); an error message or None."""
    if not output:
        sys.stdout.write(text)
        return None
    try:
        Path(output).write_text(text, encoding="utf-8", newline="")
    except OSError as err:
        return f"cannot write {output}: {err.strerror or err}"
    return None


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    try:
        status = args.run(args)
        sys.stdout.flush()  # here, where a closed pipe can still be handled
        return status
    except BrokenPipeError:
        # The reader stopped early (``| head``): no error. Python flushes standard
        # output again at exit, so point it at nothing first (as Python's docs advise).
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        return 1


if __name__ == "__main__":
    sys.exit(main())
