"""The ``sphinx-refinery`` command: its parser, and the one place a command's
:class:`~.command_output.CommandError` becomes a line on standard error and an
exit status."""

from __future__ import annotations

import argparse
import contextlib
import os
import sys
from collections.abc import Sequence

from .output import PROG, CommandError


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog=PROG,
        description="Tools for lessons built with sphinx-refinery.",
    )
    from .. import __version__

    parser.add_argument("--version", action="version", version=f"%(prog)s {__version__}")
    commands = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")
    from . import check, export, migrate, new, schedule, update, workshop

    for command in (new, update, check, migrate, export, schedule, workshop):
        command.add_parser(commands)
    return parser


class _StdoutFailed(Exception):
    """Standard output cannot be written (full, closed); the message says why."""


class _GuardedStdout:
    """Standard output whose failures (other than a closed pipe) end the command in one line."""

    def __init__(self, stream) -> None:
        self.stream = stream

    def _call(self, name: str, *args):
        if self.stream is None:  # started with standard output closed (>&-)
            raise _StdoutFailed("it is closed")
        try:
            return getattr(self.stream, name)(*args)
        except BrokenPipeError:
            raise
        except OSError as err:
            raise _StdoutFailed(err.strerror or str(err)) from None

    def write(self, text: str) -> int:
        return self._call("write", text)

    def flush(self) -> None:
        if self.stream is not None:  # nothing written, nothing lost
            self._call("flush")

    def __getattr__(self, name: str):
        return getattr(self.stream, name)


def _quiet_stdout() -> None:
    # Python flushes standard output again at exit: point it at nothing first (as
    # Python's docs advise for a closed pipe), so that no second error is printed.
    with contextlib.suppress(OSError, ValueError, AttributeError):
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.__stdout__.fileno())


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    stdout = sys.stdout
    sys.stdout = _GuardedStdout(stdout)
    try:
        status = args.run(args)
        sys.stdout.flush()  # here, where a closed pipe can still be handled
        return status
    except CommandError as err:
        from ..util.printable import printable

        print(f"{PROG} {args.command}: error: {printable(str(err), keep=chr(10))}", file=sys.stderr)
        return err.status
    except KeyboardInterrupt:
        print(f"{PROG} {args.command}: interrupted", file=sys.stderr)
        return 130
    except _StdoutFailed as err:
        print(f"{PROG} {args.command}: error: cannot write to standard output: {err}", file=sys.stderr)
        _quiet_stdout()
        return 1
    except BrokenPipeError:
        # The reader stopped early (``| head``): no error.
        _quiet_stdout()
        return 1
    finally:
        sys.stdout = stdout


if __name__ == "__main__":
    sys.exit(main())
