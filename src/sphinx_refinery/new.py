"""``sphinx-refinery new DIR``: a new lesson from the template (work in progress)."""

from __future__ import annotations

import argparse


def add_parser(commands: argparse._SubParsersAction) -> None:
    parser = commands.add_parser("new", help="create a new lesson from the template")
    parser.add_argument("directory")
    parser.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    return 0
