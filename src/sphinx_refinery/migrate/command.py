"""``sphinx-refinery migrate PATH``: the command line; the rewriting is in :mod:`.rewrite`."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from .files import read_only, write_atomic
from .git import GitProblem, uncommitted
from .report import diff, print_changes, print_notes
from .rewrite import migrate_lesson

PROG = "sphinx-refinery migrate"


def add_parser(commands: argparse._SubParsersAction) -> None:
    parser = commands.add_parser(
        "migrate",
        help="move a sphinx-lesson lesson to sphinx-refinery",
        description="Rewrite a sphinx-lesson lesson in place so that it builds with sphinx-refinery.",
    )
    parser.add_argument("path", help="the lesson's folder (the repository root)")
    parser.add_argument(
        "-n", "--dry-run", action="store_true", help="print the changes as a diff; write nothing"
    )
    parser.add_argument(
        "--force",
        action="store_true",
        help="also rewrite files with uncommitted changes, and read-only files",
    )
    parser.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    out = sys.stdout
    if not args.path.strip():
        # Path("") is the current folder: never migrate that by accident.
        print(f"{PROG}: error: PATH is empty: give the lesson's folder", file=sys.stderr)
        return 2
    root = Path(args.path).expanduser()
    if not root.exists():
        print(f"{PROG}: error: {args.path}: no such folder", file=sys.stderr)
        return 2
    if not root.is_dir():
        print(
            f"{PROG}: error: {args.path}: not a folder (give the lesson's folder)", file=sys.stderr
        )
        return 2
    root = root.resolve()
    try:
        ctx = migrate_lesson(root)
    except PermissionError as err:
        print(f"{PROG}: error: {err}", file=sys.stderr)
        return 1
    changed = ctx.changed()
    print(f"{PROG}: {root}" + (" (dry run: nothing is written)" if args.dry_run else ""), file=out)

    if changed and not args.force:
        try:
            dirty = uncommitted(root, [f.path for f in changed])
        except GitProblem as err:
            if args.dry_run:
                print(f"Note: {err}; a real run would refuse without --force.", file=out)
                dirty = []
            else:
                print(
                    f"{PROG}: refusing to change files: {err}. Use --force to go ahead.",
                    file=sys.stderr,
                )
                return 1
        locked = [f.path for f in changed if read_only(f.path)]
        if locked:
            listing = "\n".join(f"  {ctx.rel(p)}" for p in locked)
            if args.dry_run:
                print(
                    f"Note: a real run would refuse (without --force): read-only files\n{listing}",
                    file=out,
                )
            else:
                print(
                    f"{PROG}: refusing to change read-only files (make them writable, "
                    f"or use --force):\n{listing}",
                    file=sys.stderr,
                )
                return 1
        if dirty:
            listing = "\n".join(f"  {ctx.rel(p)}" for p in dirty)
            if args.dry_run:
                print(
                    f"Note: a real run would refuse (without --force): uncommitted changes in\n{listing}",
                    file=out,
                )
            else:
                print(
                    f"{PROG}: refusing to change files with uncommitted changes "
                    f"(commit them first, or use --force):\n{listing}",
                    file=sys.stderr,
                )
                return 1

    if args.dry_run:
        for source in changed:
            out.write(diff(ctx, source))
    else:
        written = []
        for source in changed:
            try:
                write_atomic(source.path, source.encoded())
            except OSError as err:
                print(
                    f"{PROG}: error: could not write {ctx.rel(source.path)}: {err}",
                    file=sys.stderr,
                )
                if written:
                    print(
                        "Already written: " + ", ".join(ctx.rel(p) for p in written),
                        file=sys.stderr,
                    )
                return 1
            written.append(source.path)

    print_changes(ctx, changed, args.dry_run, out)
    print_notes(ctx, out)
    return 0
