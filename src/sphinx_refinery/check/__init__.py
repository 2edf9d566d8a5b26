"""``sphinx-refinery check``: the lesson checker, on the command line and during builds.

Modules, one concern each:

* :mod:`.lesson`: finding the lesson, reading conf.py, discovering and reading pages;
* :mod:`.markdown` and :mod:`.rst`: sources to :class:`~.model.Page` facts, read as
  :mod:`.options` says;
* :mod:`.known`: the directive names a lesson may use;
* :mod:`.rules`: the rules and their checks; :mod:`.legacy`: migrate's detection;
* :mod:`.selection`: which rules run; :mod:`.report`: output formats;
* :mod:`.command`: the command line; :mod:`.build`: the ``sphinx-build`` integration.
"""

from __future__ import annotations

import argparse
from typing import TYPE_CHECKING

if TYPE_CHECKING:  # the command line never loads Sphinx's application
    from sphinx.application import Sphinx


def add_parser(commands: argparse._SubParsersAction) -> None:
    from .command import add_parser as add

    add(commands)


def run(args: argparse.Namespace) -> int:
    from .command import run as run_command

    return run_command(args)


def setup(app: Sphinx) -> None:
    """The same rules during sphinx-build: opt-in, with ``refinery_check_rules``."""
    from .build import setup as setup_build

    setup_build(app)
