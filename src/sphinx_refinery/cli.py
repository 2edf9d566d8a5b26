"""The ``sphinx-refinery`` command."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="sphinx-refinery",
        description="Tools for lessons built with sphinx-refinery.",
    )
    commands = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")
    from . import check, migrate, new, schedule_report, workshop_report

    new.add_parser(commands)
    check.add_parser(commands)
    migrate.add_parser(commands)
    schedule_report.add_parser(commands)
    workshop_report.add_parser(commands)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    return args.run(args)


if __name__ == "__main__":
    sys.exit(main())
