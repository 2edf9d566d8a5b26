"""``sphinx-refinery migrate``: move a sphinx-lesson lesson to sphinx-refinery."""

from __future__ import annotations

import argparse


def add_parser(commands: argparse._SubParsersAction) -> None:
    parser = commands.add_parser("migrate", help="move a sphinx-lesson lesson to sphinx-refinery")
    parser.add_argument("path")
    parser.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    return 0
