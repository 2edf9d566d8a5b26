"""What a command prints or writes: its result, its warnings, and the error that ends it.

A command raises :class:`CommandError` wherever it has to stop;
:func:`sphinx_refinery.commands.cli.main` prints it as one
``sphinx-refinery <command>: error: <message>`` line on standard error (the
form argparse gives usage errors) and exits with its status: 2 for a bad
argument or input, 1 for a command that ran and could not finish its work.
Warnings and notes go through :func:`warn`.
"""

from __future__ import annotations

import sys
from pathlib import Path

from ..util import whole_file
from ..util.printable import printable

PROG = "sphinx-refinery"


class CommandError(Exception):
    """Ends a command with ``message`` on standard error and exit status ``status``."""

    def __init__(self, message: str, status: int = 2) -> None:
        super().__init__(message)
        self.status = status


def warn(command: str, message: str, *, label: str = "warning") -> None:
    """A line on standard error that does not end the command (``label``: warning or note)."""
    print(f"{PROG} {command}: {label}: {printable(message, keep=chr(10))}", file=sys.stderr)


def write_result(text: str, output: str | None) -> None:
    """A command's result to ``output`` (standard output when None)."""
    if not output:
        sys.stdout.write(text)
        return
    try:
        whole_file.write(Path(output), text.encode("utf-8"))
    except OSError as err:
        raise CommandError(f"cannot write {output}: {err.strerror or err}") from None
