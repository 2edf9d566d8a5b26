"""Importing a Carpentries Workbench lesson (``config.yaml``, ``episodes/``, pandoc Markdown).

``sphinx-refinery migrate`` calls :func:`migrate_workbench` for a folder that
:func:`~sphinx_refinery.model.workbench.is_workbench` recognises (config.yaml is read
there, in the model: workshop plans read it too). Pages keep their paths; conf.py is
made at the lesson's root from config.yaml (:mod:`.conf_writer`), the root page gets
toctrees that follow it (:mod:`.index_page`), each page listed is rewritten
(:mod:`.page`): fenced divs (:mod:`.divs`, :mod:`.boxes`), code blocks
(:mod:`.code_blocks`), images, heading attributes and links (:mod:`.inline`,
:mod:`.links`), and the pages the Workbench gathers get their directives
(:mod:`.gathered_pages`).
"""

from __future__ import annotations

import re
from functools import partial
from pathlib import Path
from urllib.parse import unquote

from ...model.workbench import (
    WorkbenchError,
    WorkbenchLesson,
    is_overview,
    is_workbench,
    read_lesson,
)
from ...model.workbench_forms import refinery_settings
from ..context import Context
from ..files import SourceFile
from .conf_writer import CONF_HEAD, conf_text, page_patterns, repository_files_url
from .gathered_pages import instructor_notes, key_points
from .index_page import index_text, readme_home
from .links import LinkResolver
from .page import REF_DEF, PageJob, rewrite_page

__all__ = ["WorkbenchError", "finish_lesson", "is_workbench", "migrate_workbench"]

REQUIREMENT = "sphinx-refinery"
RMD_NOTE = (
    "R Markdown: its chunks are shown as code blocks, but their output is not computed "
    "(knit the page to Markdown to show it)"
)
#: A link's target, inline (``](target``) or in a reference definition.
TARGET = re.compile(r"\]\(\s*<?([^)\s>\"]+)|^[ ]{0,3}\[[^\]]+\]:[ \t]*<?([^\s>]+)", re.MULTILINE)


def migrate_workbench(ctx: Context) -> WorkbenchLesson:
    """Rewrite the Workbench lesson at ``ctx.root`` in memory (:class:`WorkbenchError`: cannot)."""
    lesson = read_lesson(ctx.root)
    root = ctx.root
    if is_overview(lesson.config):
        ctx.note(root / "config.yaml", None, "overview: true, a lesson without episodes (as "
                 "the Workbench builds it): episodes listed or in episodes/ are left out")
    for section, name in lesson.missing:
        ctx.note(root / "config.yaml", None,
                 f"{section}: {name!r} is listed but {section}/{name} does not exist: left out")
    index = root / "index.md"
    pages = lesson.all_pages()
    for page in pages:
        if page.suffix == ".Rmd":
            ctx.note(page, None, RMD_NOTE)
    built = {index, *pages}
    job = PageJob(LinkResolver(root, built, repository_files_url(lesson)), root_page=index)
    settings, problems = refinery_settings(lesson.config)
    job.own_kinds = settings.get("box_kinds", {})
    for problem in problems:
        ctx.note(root / "config.yaml", None, problem)
    job.anchors = _anchors(ctx, [index, *pages], job.links)
    links_md = root / "links.md"
    if links_md.is_file():
        job.shared_refs = _reference_definitions(ctx, links_md)
    for page in [index, *pages]:
        if page.is_file():
            ctx.rewrite(page, partial(rewrite_page, job=job))
    for child in sorted(job.children - {index, *pages}):
        ctx.rewrite(child, partial(rewrite_page, job=job))  # knitr's child documents
    finish_lesson(ctx, lesson, index)
    return lesson


def finish_lesson(ctx: Context, lesson: WorkbenchLesson, index: Path) -> None:
    """What a lesson gets once its pages are rewritten: the gathered pages, the root
    page's toctrees, conf.py and a requirement (a Jekyll lesson's import shares it)."""
    instructor_notes(ctx, lesson)
    extra = key_points(ctx, lesson)
    _index(ctx, lesson, index, extra)
    _conf(ctx, lesson, index, extra)
    _requirements(ctx)


def _anchors(ctx: Context, pages: list[Path], links: LinkResolver) -> dict[Path, set[str]]:
    """page (resolved) -> the fragments links of the lesson point at in it."""
    anchors: dict[Path, set[str]] = {}
    for page in pages:
        source = ctx.load(page) if page.is_file() else None
        if source is None:
            continue
        for match in TARGET.finditer(source.text):
            target = match.group(1) or match.group(2)
            path, _sep, fragment = target.partition("#")
            if not fragment:
                continue
            found = page.resolve() if not path else links.find(page, unquote(path))
            if found is not None:
                anchors.setdefault(found, set()).add(unquote(fragment))
    return anchors


def _reference_definitions(ctx: Context, path) -> dict[str, str]:
    source = ctx.load(path)
    refs: dict[str, str] = {}
    if source is None:
        return refs
    for line in source.text.split("\n"):
        match = REF_DEF.match(line)
        if match:
            refs.setdefault(" ".join(match.group("label").lower().split()), line.strip())
    return refs


def _index(ctx: Context, lesson: WorkbenchLesson, index: Path, extra: Path | None) -> None:
    had_index = index.exists()
    source = ctx.create(index)
    if source is None:
        return
    readme = lesson.root / "README.md"
    if not had_index and not source.text and readme.is_file():
        # sandpaper's home page is README.md when there is no index.md.
        source.text = readme_home(readme)
        source.changes.append("the home page shows README.md, as the Workbench's does")
    text, changes = index_text(source.text, lesson, [extra] if extra else [])
    if changes:
        source.text = text
        source.changes.append("root page: " + ", ".join(changes))


def _conf(ctx: Context, lesson: WorkbenchLesson, index: Path, extra: Path | None) -> None:
    path = ctx.root / "conf.py"
    if path.exists():
        source = ctx.load(path)
        if source is not None and not source.text.startswith(CONF_HEAD):
            ctx.note(path, None, "conf.py exists already: left as it is")
        return
    source = ctx.create(path)
    assert source is not None
    episodes = [lesson.docname(p) for p in lesson.episodes]
    patterns = page_patterns(lesson, index)
    if extra is not None:
        patterns.append(extra.relative_to(lesson.root).as_posix())
    source.text = conf_text(lesson, patterns, episodes)
    source.changes.append("made from config.yaml")


def _requirements(ctx: Context) -> None:
    path = ctx.root / "requirements.txt"
    source: SourceFile | None = ctx.create(path)
    if source is None:
        return
    if re.search(r"^\s*sphinx[-_]refinery\b", source.text, re.MULTILINE | re.IGNORECASE):
        return
    text = source.text
    if text and not text.endswith("\n"):
        text += "\n"
    source.text = text + f"{REQUIREMENT}\n"
    source.changes.append("names sphinx-refinery, which builds the lesson")
