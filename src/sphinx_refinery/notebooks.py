"""Whether a lesson needs myst-nb: it has notebooks, or conf.py lists it.

myst-nb costs a third more time and memory than myst-parser on a lesson without
notebooks, so it is loaded only for lessons that have some: ``.ipynb`` files, or
MyST text notebooks (Markdown whose front matter has ``jupytext`` or
``kernelspec``). The decision is a scan of the source folder made before any
extension's options exist, so ``nb_*`` settings of a lesson without notebooks are
simply not read.
"""

from __future__ import annotations

import itertools
import os
import re
from collections.abc import Iterable
from pathlib import Path

from sphinx.util.matching import Matcher

#: A line of front matter that makes a Markdown page a text notebook.
_NOTEBOOK_KEY = re.compile(r"(jupytext|kernelspec)\s*:")
#: Lines of front matter read at most: a text notebook's keys come first.
_FRONT_MATTER_LINES = 200


def is_text_notebook(path: Path) -> bool:
    """A Markdown file whose front matter has a ``jupytext`` or ``kernelspec`` key."""
    try:
        with path.open(encoding="utf-8", errors="replace") as handle:
            if handle.readline().rstrip() != "---":
                return False
            for line in itertools.islice(handle, _FRONT_MATTER_LINES):
                if line.rstrip() == "---":
                    return False
                if _NOTEBOOK_KEY.match(line):
                    return True
    except OSError:
        return False
    return False


def find_notebook(srcdir: str | os.PathLike[str], exclude_patterns: Iterable[str] = (),
                  skip: Iterable[str | os.PathLike[str]] = ()) -> str | None:
    """The first notebook page below ``srcdir`` (its relative path), or None.

    Folders and files that ``exclude_patterns`` matches are left out, as are
    dot-folders (``.git``, ``.ipynb_checkpoints``, a virtual environment) and the
    folders in ``skip`` (the build's output; None entries are ignored).
    """
    root = Path(srcdir)
    excluded = Matcher(exclude_patterns)
    skipped = {os.path.realpath(p) for p in skip if p}
    for folder, dirs, files in os.walk(root):
        relative = Path(folder).relative_to(root).as_posix()
        prefix = "" if relative == "." else relative + "/"
        dirs[:] = sorted(
            d
            for d in dirs
            if not d.startswith(".")
            and not excluded(prefix + d)
            and os.path.realpath(os.path.join(folder, d)) not in skipped
        )
        for name in sorted(files):
            if excluded(prefix + name):
                continue
            if name.endswith(".ipynb") or (
                name.endswith(".md") and is_text_notebook(Path(folder, name))
            ):
                return prefix + name
    return None
