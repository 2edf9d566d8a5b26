"""``sphinx-refinery check``: the lesson checker (work in progress)."""

from __future__ import annotations

import argparse

from sphinx.application import Sphinx


def add_parser(commands: argparse._SubParsersAction) -> None:
    parser = commands.add_parser("check", help="check a lesson for common problems")
    parser.add_argument("path", nargs="?", default=".")
    parser.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    return 0


def setup(app: Sphinx) -> None:
    """The same rules during sphinx-build."""
