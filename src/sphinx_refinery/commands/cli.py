"""The ``sphinx-refinery`` command: its parser, and the one place a command's
:class:`~.command_output.CommandError` becomes a line on standard error and an
exit status."""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Sequence

from .output import PROG, CommandError


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog=PROG,
        description="Tools for lessons built with sphinx-refinery.",
    )
    commands = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")
    from . import check, export, migrate, new, schedule, update, workshop

    for command in (new, update, check, migrate, export, schedule, workshop):
        command.add_parser(commands)
    return parser


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
    sys.exit(main())
