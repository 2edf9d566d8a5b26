"""The lesson read with Sphinx, as a build reads it: its environment and doctrees, kept for
as long as the export needs them."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from ..workshops.reader import sphinx_reading


@contextmanager
def read_lesson(path: Path) -> Iterator[object]:
    """The Sphinx application that has read every page (dummy builder, notebooks not run),
    with the HTML builder's tags: the website is what the Workbench copy replaces."""
    with sphinx_reading(path) as (app, _warnings):
        yield app
