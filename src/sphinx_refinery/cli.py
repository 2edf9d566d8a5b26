"""The ``sphinx-refinery`` command, and the one way its commands report errors and warnings.

A command raises :class:`CommandError` wherever it has to stop; :func:`main`
prints it as one ``sphinx-refinery <command>: error: <message>`` line on
standard error (the form argparse gives usage errors) and exits with its
status: 2 for a bad argument or input, 1 for a command that ran and could not
finish its work. Warnings and notes go through :func:`warn`.
"""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Sequence
from pathlib import Path

PROG = "sphinx-refinery"


class CommandError(Exception):
    """Ends a command with ``message`` on standard error and exit status ``status``."""

    def __init__(self, message: str, status: int = 2) -> None:
        super().__init__(message)
        self.status = status


def warn(command: str, message: str, *, label: str = "warning") -> None:
    """A line on standard error that does not end the command (``label``: warning or note)."""
    print(f"{PROG} {command}: {label}: {message}", file=sys.stderr)


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog=PROG,
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


def write_result(text: str, output: str | None) -> None:
    """A command's result to ``output`` (standard output when None)."""
    if not output:
        sys.stdout.write(text)
        return
    try:
        Path(output).write_text(text, encoding="utf-8", newline="")
    except OSError as err:
        raise CommandError(f"cannot write {output}: {err.strerror or err}") from None


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    try:
        status = args.run(args)
        sys.stdout.flush()  # here, where a closed pipe can still be handled
        return status
    except CommandError as err:
        print(f"{PROG} {args.command}: error: {err}", file=sys.stderr)
        return err.status
    except KeyboardInterrupt:
        print(f"{PROG} {args.command}: interrupted", file=sys.stderr)
        return 130
    except BrokenPipeError:
        # The reader stopped early (``| head``): no error. Python flushes standard
        # output again at exit, so point it at nothing first (as Python's docs advise).
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        return 1


if __name__ == "__main__":
    # Run as ``python -m``, this file is __main__; the commands raise the CommandError of
    # sphinx_refinery.cli, which only that module's main catches.
    from sphinx_refinery.cli import main as package_main

    sys.exit(package_main())
