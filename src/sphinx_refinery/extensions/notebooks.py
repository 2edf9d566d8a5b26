"""Whether a lesson needs myst-nb: it has notebooks, or conf.py lists it.

myst-nb costs a third more time and memory than myst-parser on a lesson without
notebooks, so it is loaded only for lessons that have some: ``.ipynb`` files, or
MyST text notebooks (Markdown whose front matter has ``jupytext`` or
``kernelspec``: :func:`.source_scan.is_text_notebook`). The decision is made from
the source folder's scan (:mod:`.source_scan`), before any extension's options
exist, so ``nb_*`` settings of a lesson without notebooks are simply not read.
"""

from __future__ import annotations

import os
from collections.abc import Iterable
from pathlib import PurePosixPath

from sphinx.util.matching import Matcher

from .source_scan import Facts, scan


def find_notebook(
    srcdir: str | os.PathLike[str],
    exclude_patterns: Iterable[str] = (),
    skip: Iterable[str | os.PathLike[str] | None] = (),
    facts: Facts | None = None,
) -> str | None:
    """The first notebook page below ``srcdir`` (its relative path), or None.

    Files that ``exclude_patterns`` match, or that lie in a folder they match,
    are left out, as is whatever the scan leaves out (dot-folders such as
    ``.ipynb_checkpoints``, virtual environments, the folders in ``skip``).
    ``facts``: the scan already made for this source folder.
    """
    if facts is None:
        facts = scan(srcdir, skip)
    excluded = Matcher(exclude_patterns)
    for path in facts.notebooks:
        parts = PurePosixPath(path).parts
        if not any(excluded("/".join(parts[: i + 1])) for i in range(len(parts))):
            return path
    return None
