"""What the environment keeps of each lesson box: a small, plain record per box.

The records live in the ``refinery`` domain's data (see :mod:`.domain`), pickled as
they are, as sphinx.ext.todo keeps its own; never nodes.
"""

from __future__ import annotations

import hashlib
from typing import NamedTuple

#: The domain that keeps the records, and that references to box labels go to.
DOMAIN = "refinery"


class BoxRecord(NamedTuple):
    """What the environment keeps of one box: plain, small and picklable."""

    id: str
    kind: str  # a lesson box kind, or "" for another admonition with lesson classes
    classes: tuple[str, ...]
    title: str  # kept where references show it: labelled boxes and exercises
    line: int
    label: str | None
    time: int | None
    parent: int  # index of the enclosing recorded box on the page, or -1
    numbered: bool
    exercise: str | None  # a solution's exercise, as "#id" on this page or a label
    hidden: bool
    #: The file the box was written in when it is not the page's own (an included
    #: file): ``line`` counts in it, and warnings name it.
    source: str = ""


def short_hash(text: str) -> int:
    """A hash that is the same in every process (unlike hash()), and pickles small."""
    return int.from_bytes(hashlib.blake2b(text.encode(), digest_size=4).digest(), "big")

