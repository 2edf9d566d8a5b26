"""What migrate tells: the diff of a dry run, the files it changed, what it left alone."""

from __future__ import annotations

import difflib
from typing import TextIO

from .context import Context
from .files import SourceFile


def diff(ctx: Context, source: SourceFile) -> str:
    """A unified diff of one file's rewrite, with paths relative to the lesson."""
    name = ctx.rel(source.path)
    old = [] if source.new else [line + "\n" for line in source.original.split("\n")]
    new = [line + "\n" for line in source.text.split("\n")]
    before = "/dev/null" if source.new else f"a/{name}"
    return "".join(difflib.unified_diff(old, new, before, f"b/{name}"))


def print_changes(ctx: Context, changed: list[SourceFile], dry_run: bool, out: TextIO) -> None:
    if changed:
        verb = "Would change" if dry_run else "Changed"
        print(f"{verb} {len(changed)} file(s):", file=out)
        for source in changed:
            print(f"  {ctx.rel(source.path)}", file=out)
            for change in source.changes:
                print(f"    - {change}", file=out)
    else:
        print(
            "Nothing to change: the lesson is already migrated (or has nothing to migrate).",
            file=out,
        )


def print_notes(ctx: Context, out: TextIO) -> None:
    notes = sorted(set(ctx.notes), key=lambda n: (str(n.path), n.line or 0, n.message))
    if not notes:
        return
    print(f"Left alone ({len(notes)}), check by hand:", file=out)
    for note in notes:
        where = ctx.rel(note.path) + (f":{note.line}" if note.line else "")
        print(f"  {where}: {note.message}", file=out)
