"""A lesson's manifest, wherever the lesson is.

A plan names a lesson by its source folder (read with Sphinx, notebooks not
run), a built HTML folder (its ``lesson.json``), or a published URL (the
``lesson.json`` at that address). All three give the same manifest.
"""

from __future__ import annotations

import io
import json
import re
import subprocess
import sys
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any
from urllib.error import URLError
from urllib.request import Request, urlopen

from ..util import bounded
from ..util.errors import short_error
from . import manifest
from .plan import Plan, PlanError

#: A manifest larger than this is not one.
MAX_BYTES = bounded.MAX_BYTES
TIMEOUT = 30
#: Seconds a lesson's sources may take to read.
TIMEOUT_SOURCES = 1800


class LessonError(Exception):
    """A lesson that cannot be read; the message says why."""


def find_conf_dir(path: Path) -> Path:
    """The folder holding conf.py: PATH itself, or its content/ or docs/ folder."""
    if not path.is_dir():
        raise LessonError(f"{path}: no such folder")
    for candidate in (path, path / "content", path / "docs"):
        if (candidate / "conf.py").is_file():
            return candidate
    raise LessonError(f"no conf.py in {path}, {path / 'content'} or {path / 'docs'}")


@contextmanager
def sphinx_reading(path: Path) -> Iterator[tuple[Any, io.StringIO]]:
    """The Sphinx application that has read every page of the lesson (the dummy
    builder, notebooks not run), and its warnings; kept open for the caller's use."""
    from sphinx.application import Sphinx
    from sphinx.errors import SphinxError
    from sphinx.util.docutils import docutils_namespace, patch_docutils

    srcdir = find_conf_dir(path)
    warnings = io.StringIO()
    # As sphinx-build does: docutils' global registries are restored afterwards,
    # so a later Sphinx application in the same process starts clean.
    with (
        tempfile.TemporaryDirectory(prefix="refinery-") as scratch,
        patch_docutils(srcdir),
        docutils_namespace(),
    ):
        try:
            app = Sphinx(
                str(srcdir), str(srcdir), scratch, str(Path(scratch) / "doctrees"), "dummy",
                status=None, warning=warnings, freshenv=True,
                # As the HTML builder's tags: "only" keeps what the website shows.
                tags=["html", "format_html", "builder_html"],
                # Timing is in front matter and notebook metadata: never run notebooks.
                confoverrides={"nb_execution_mode": "off"},
            )
            if "sphinx_refinery" not in app.extensions:
                raise LessonError(f"{srcdir / 'conf.py'} does not load sphinx_refinery")
            app.build()
        except SphinxError as err:
            # conf.py's own traceback is in the message: its first and last lines say it.
            raise LessonError(f"Sphinx could not read the lesson: {short_error(str(err))}") from err
        yield app, warnings


def read_lesson(path: Path):
    """Read every page of the lesson with Sphinx's dummy builder.

    Returns the environment, the options of the lesson's schedule directive, and
    the build's warnings about timing and settings (the schedule may lack what
    they are about).
    """
    with sphinx_reading(path) as (app, warnings):
        options = _directive_options(app.env)
    return app.env, options, _timing_warnings(warnings.getvalue())


_ANSI = re.compile(r"\x1b\[[0-9;]*[A-Za-z]")


def _timing_warnings(text: str) -> list[str]:
    # Timing and settings (a bad refinery_timezone); not the schedule directive's
    # own: the command line's options may replace its.
    # Without Sphinx's colours (it colours for a terminal, whatever the command writes
    # to) and its "WARNING:" label: the command labels the line itself.
    kept = ("[refinery.timing", "[refinery.config]")
    lines = (_ANSI.sub("", line).strip() for line in text.splitlines())
    return [line.replace(": WARNING: ", ": ", 1) for line in lines if any(k in line for k in kept)]


def _directive_options(env) -> dict[str, str]:
    """The options of the lesson's first ``schedule`` directive, if it has one."""
    from ..pages import aggregates
    from ..timing.schedule import schedule_placeholder

    for docname in aggregates.toctree_order(env) + sorted(aggregates.pages(env)):
        if docname not in aggregates.pages(env):
            continue
        for node in env.get_doctree(docname).findall(schedule_placeholder):
            return dict(node["options"])
    return {}


def from_url(url: str) -> dict[str, Any]:
    address = url if url.endswith(".json") else url.rstrip("/") + "/" + manifest.FILENAME
    try:
        with urlopen(Request(address, headers={"Accept": "application/json"}), timeout=TIMEOUT) as response:
            body = response.read(MAX_BYTES + 1)
    except (URLError, OSError, ValueError) as err:
        raise LessonError(f"{address} could not be fetched: {getattr(err, 'reason', err)}") from err
    if len(body) > MAX_BYTES:
        raise LessonError(f"{address} is larger than {MAX_BYTES} bytes")
    try:
        text = body.decode("utf-8")
    except UnicodeDecodeError as err:
        raise LessonError(f"{address} is not UTF-8 text") from err
    return _checked(text, address)


def from_build(folder: Path) -> dict[str, Any]:
    path = folder / manifest.FILENAME if folder.is_dir() else folder
    try:
        text = bounded.read_text(path)
    except OSError as err:
        raise LessonError(f"{path} cannot be read: {err.strerror or err}") from err
    except bounded.InputError as err:
        raise LessonError(str(err)) from err
    return _checked(text, str(path))


def from_sources(folder: Path) -> dict[str, Any]:
    """Read the sources with Sphinx in this process (see :func:`from_sources_apart`)."""
    env, options, _warnings = read_lesson(folder)  # the lesson's own build reports those
    return manifest.manifest(env, options, lambda docname: f"{docname}.html")


def from_sources_apart(folder: Path) -> dict[str, Any]:
    """Read the sources in another process.

    Each lesson gets a fresh interpreter: Sphinx and its extensions (myst-nb
    among them) keep some state per process, and a caller may itself be a
    Sphinx build.
    """
    try:
        done = subprocess.run(
            [sys.executable, "-m", "sphinx_refinery.workshops.reader", str(folder)],
            capture_output=True,
            check=False,
            text=True,
            encoding="utf-8",
            timeout=TIMEOUT_SOURCES,
        )
    except (OSError, subprocess.TimeoutExpired) as err:
        raise LessonError(f"reading {folder} failed: {err}") from err
    if done.returncode:
        lines = done.stderr.strip().splitlines()
        message = lines[-1].removeprefix("error: ") if lines else f"reading {folder} failed"
        raise LessonError(message)
    return _checked(done.stdout, str(folder))


def _checked(text: str, where: str) -> dict[str, Any]:
    try:
        return manifest.loads(text, where)
    except manifest.ManifestError as err:
        raise LessonError(str(err)) from err


def read(location: str) -> dict[str, Any]:
    """The manifest of the lesson at a URL or an absolute path."""
    if location.startswith(("http://", "https://")):
        return from_url(location)
    path = Path(location)
    if (path.is_file() and path.suffix == ".json") or (path / manifest.FILENAME).is_file():
        return from_build(path)
    if not path.exists():
        raise LessonError(f"{path} does not exist")
    try:
        find_conf_dir(path)
    except LessonError:
        from .workbench import WorkbenchError, from_workbench, is_workbench

        if is_workbench(path):
            # A Carpentries Workbench lesson, as it is: config.yaml and front matter.
            try:
                return from_workbench(path)
            except WorkbenchError as err:
                raise LessonError(f"{path}: {err}") from None
        raise LessonError(
            f"{path} is neither a built lesson (no {manifest.FILENAME}) nor a lesson's sources (no conf.py)"
        ) from None
    return from_sources_apart(path)


def read_lessons(plan: Plan) -> dict[str, dict[str, Any]]:
    """Each lesson of the plan, by location; a lesson that cannot be read names the plan's line."""
    found: dict[str, dict[str, Any]] = {}
    for day in plan.days:
        for entry in day.lessons:
            if entry.location in found:
                continue
            try:
                found[entry.location] = read(entry.location)
            except LessonError as err:
                raise PlanError(f"lesson {entry.ref!r}: {err}", plan.path, entry.line) from err
    return found


def main(argv: list[str]) -> int:
    try:
        data = from_sources(Path(argv[0]))
    except LessonError as err:
        print(f"error: {err}", file=sys.stderr)
        return 2
    sys.stdout.write(json.dumps(data, ensure_ascii=False))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
