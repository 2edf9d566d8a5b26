"""``sphinx-refinery migrate PATH``: the command line; the rewriting is in :mod:`.rewrite`.

The rewriters are imported when the command runs, so that ``--help`` stays quick.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import TYPE_CHECKING, TextIO

from .output import CommandError

if TYPE_CHECKING:
    from ..migrate.context import Context
    from ..migrate.files import SourceFile

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
    from ..migrate.files import write_atomic
    from ..migrate.report import diff, print_changes, print_notes
    from ..migrate.rewrite import migrate_lesson

    out = sys.stdout
    if not args.path.strip():
        # Path("") is the current folder: never migrate that by accident.
        raise CommandError("PATH is empty: give the lesson's folder")
    root = Path(args.path).expanduser()
    if not root.exists():
        raise CommandError(f"{args.path}: no such folder")
    if not root.is_dir():
        raise CommandError(f"{args.path}: not a folder (give the lesson's folder)")
    root = root.resolve()
    from ..migrate.jekyll import is_jekyll
    from ..migrate.workbench import WorkbenchError
    from ..model.workbench import is_workbench

    # One lesson: its conf.py is in PATH, PATH/content or PATH/docs, or it is a Carpentries
    # lesson to import. A folder above lessons (or /usr) would have its rewriters reach
    # into other projects' files.
    is_sphinx_lesson = any((root / sub / "conf.py").is_file() for sub in ("", "content", "docs"))
    if not (is_sphinx_lesson or is_workbench(root) or is_jekyll(root)):
        raise CommandError(
            f"{args.path}: not a lesson: no conf.py in it, nor in its content/ or docs/ folder, "
            "and no Carpentries config.yaml with episodes/ (give the lesson's own folder)"
        )
    try:
        ctx = migrate_lesson(root)
    except PermissionError as err:
        raise CommandError(str(err), status=1) from None
    except WorkbenchError as err:
        raise CommandError(f"{args.path}: {err}", status=1) from None
    changed = ctx.changed()
    print(f"{PROG}: {root}" + (" (dry run: nothing is written)" if args.dry_run else ""), file=out)
    if changed and not args.force:
        refuse_unsafe_writes(ctx, changed, args.dry_run, out)
    if args.dry_run:
        for source in changed:
            out.write(diff(ctx, source))
    else:
        written = []
        for source in changed:
            try:
                write_atomic(source.path, source.encoded())
            except OSError as err:
                done = ", ".join(ctx.rel(p) for p in written)
                raise CommandError(
                    f"could not write {ctx.rel(source.path)}: {err}"
                    + (f" (already written: {done})" if done else ""),
                    status=1,
                ) from None
            written.append(source.path)
    print_changes(ctx, changed, args.dry_run, out)
    print_notes(ctx, out)
    return 0


def refuse_unsafe_writes(
    ctx: Context, changed: list[SourceFile], dry_run: bool, out: TextIO
) -> None:
    """Stop (a dry run: only say) when files to change are read-only or hold uncommitted work."""
    from ..migrate.files import read_only
    from ..migrate.git import GitProblem, uncommitted

    try:
        # A file migrate creates holds no work of anyone's.
        dirty = uncommitted(ctx.root, [f.path for f in changed if not f.new])
    except GitProblem as err:
        if not dry_run:
            raise CommandError(
                f"refusing to change files: {err}. Use --force to go ahead.", status=1
            ) from None
        print(f"Note: {err}; a real run would refuse without --force.", file=out)
        dirty = []
    locked = [f.path for f in changed if read_only(f.path.parent if f.new else f.path)]
    for paths, refusal, note in (
        (locked, "read-only files (make them writable, or use --force)", "read-only files"),
        (
            dirty,
            "files with uncommitted changes (commit them first, or use --force)",
            "uncommitted changes in",
        ),
    ):
        if not paths:
            continue
        listing = "\n".join(f"  {ctx.rel(p)}" for p in paths)
        if not dry_run:
            raise CommandError(f"refusing to change {refusal}:\n{listing}", status=1)
        print(f"Note: a real run would refuse (without --force): {note}\n{listing}", file=out)
