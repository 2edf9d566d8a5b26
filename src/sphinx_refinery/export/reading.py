"""The lesson read with Sphinx, as a build reads it: its environment and doctrees, kept for
as long as the export needs them."""

from __future__ import annotations

import io
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from ..util.errors import short_error
from ..workshops.reader import LessonError, find_conf_dir


@contextmanager
def read_lesson(path: Path) -> Iterator[object]:
    """The Sphinx application that has read every page (dummy builder, notebooks not run)."""
    from sphinx.application import Sphinx
    from sphinx.errors import SphinxError
    from sphinx.util.docutils import docutils_namespace, patch_docutils

    srcdir = find_conf_dir(path)
    warnings = io.StringIO()
    with (
        tempfile.TemporaryDirectory(prefix="refinery-export-") as scratch,
        patch_docutils(srcdir),
        docutils_namespace(),
    ):
        try:
            app = Sphinx(
                str(srcdir), str(srcdir), scratch, str(Path(scratch) / "doctrees"), "dummy",
                status=None, warning=warnings, freshenv=True,
                # The HTML builder's tags: the website is what the Workbench copy replaces.
                tags=["html", "format_html", "builder_html"],
                confoverrides={"nb_execution_mode": "off"},
            )
            if "sphinx_refinery" not in app.extensions:
                raise LessonError(f"{srcdir / 'conf.py'} does not load sphinx_refinery")
            app.build()
        except SphinxError as err:
            raise LessonError(f"Sphinx could not read the lesson: {short_error(str(err))}") from err
        yield app
