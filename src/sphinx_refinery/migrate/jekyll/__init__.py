"""Importing a lesson in the Carpentries' older format (Jekyll: ``_config.yml``, ``_episodes/``).

Pages keep their paths. Each page's Liquid is rendered (:mod:`.liquid`), kramdown's
code classes move onto the fences (:mod:`.code_classes`), the front matter's
``questions``, ``objectives`` and ``keypoints`` lists become boxes, and the kramdown
boxes (``> ## Title`` ... ``{: .challenge}``) become MyST directives by migrate's own
converter. conf.py and the root page's toctrees are made as for a Workbench lesson,
from ``_config.yml`` and the ``_episodes`` and ``_extras`` folders.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

import yaml

from ...model.workbench import WorkbenchError, WorkbenchLesson
from ..context import Context
from ..fences import front_matter_end
from ..files import SourceFile
from ..markdown import MarkdownConverter
from ..workbench import RMD_NOTE, finish_lesson
from ..workbench.divs import scan_divs
from ..workbench.inline import rewrite_targets
from ..workbench.links import LinkResolver
from .code_classes import code_classes
from .liquid import LiquidUnavailable, render

__all__ = ["is_jekyll", "migrate_jekyll"]

#: The folders the Jekyll site serves from its root.
JEKYLL_FOLDERS = ("_episodes", "_extras", "")
#: Front-matter lists the Carpentries' styles show as boxes, and where.
FRONT_BOXES = (("questions", "top"), ("objectives", "top"), ("keypoints", "bottom"))


def is_jekyll(root: Path) -> bool:
    """``_config.yml`` and episodes: ``_episodes/``, or R Markdown ones in ``_episodes_rmd/``."""
    return (root / "_config.yml").is_file() and (
        (root / "_episodes").is_dir() or (root / "_episodes_rmd").is_dir()
    )


def read_jekyll(root: Path) -> WorkbenchLesson:
    try:
        data = yaml.safe_load((root / "_config.yml").read_text(encoding="utf-8-sig"))
    except (OSError, UnicodeDecodeError, yaml.YAMLError) as err:
        raise WorkbenchError(f"_config.yml cannot be read: {' '.join(str(err).split())}") from None
    config = data if isinstance(data, dict) else {}
    lesson = WorkbenchLesson(root, config)
    lesson.pages["episodes"] = sorted(
        [*(root / "_episodes").glob("*.md"), *_unknitted(root)], key=lambda p: p.stem
    )
    learners = [root / name for name in ("setup.md", "reference.md") if (root / name).is_file()]
    extras = root / "_extras"
    if extras.is_dir():
        learners += sorted(extras.glob("*.md"))
    lesson.pages["learners"] = learners
    return lesson


def _unknitted(root: Path) -> list[Path]:
    """The R Markdown episodes (``_episodes_rmd/``) that have no knitted page in ``_episodes/``."""
    return [
        page for page in sorted((root / "_episodes_rmd").glob("*.Rmd"))
        if not (root / "_episodes" / f"{page.stem}.md").is_file()
    ]


def migrate_jekyll(ctx: Context) -> WorkbenchLesson:
    lesson = read_jekyll(ctx.root)
    for page in sorted((ctx.root / "_episodes_rmd").glob("*.Rmd")):
        if page in lesson.episodes:
            ctx.note(page, None, RMD_NOTE)
        else:
            ctx.note(page, None, f"R Markdown source of _episodes/{page.stem}.md, the knitted "
                     "page, which is imported (with its output): left out of the build")
    site = dict(lesson.config)
    index = ctx.root / "index.md"
    links = LinkResolver(ctx.root, {index, *lesson.all_pages()}, folders=JEKYLL_FOLDERS)
    for page in [index, *lesson.all_pages()]:
        if page.is_file():
            ctx.rewrite(page, lambda source, ctx: rewrite_page(source, ctx, site, links))
    finish_lesson(ctx, lesson, ctx.root / "index.md")
    return lesson


def rewrite_page(
    source: SourceFile, ctx: Context, site: dict[str, Any], links: LinkResolver
) -> None:
    lines = source.text.split("\n")
    start = front_matter_end(lines)
    front: dict[str, Any] = {}
    if start:
        try:
            loaded = yaml.safe_load("\n".join(lines[1 : start - 1]))
            front = loaded if isinstance(loaded, dict) else {}
        except yaml.YAMLError:
            ctx.note(source.path, 1, "front matter that is not YAML: left as it is")
    root = os.path.relpath(ctx.root, source.path.parent).replace(os.sep, "/")
    body = "\n".join(lines[start:])
    try:
        body, problem = render(body, ctx.root, site, {**front, "root": root})
    except LiquidUnavailable as err:
        body, problem = body, str(err)
    if problem:
        ctx.note(source.path, None, problem)
    body_lines, classes = code_classes(body.split("\n"))
    body = "\n".join(body_lines)
    top, bottom = _front_boxes(front, body)
    text = "\n".join(lines[:start]) + ("\n" if start else "") + top + body + bottom
    converter = MarkdownConverter(source.path, ctx.notes)
    text = converter.convert(text)
    lines = text.split("\n")
    literal = scan_divs(lines, front_matter_end(lines)).literal
    text = "\n".join(
        line if i in literal else rewrite_targets(line, source.path, links)
        for i, line in enumerate(lines)
    )
    if text != source.text:
        source.text = text
        said = [f"{len(converter.conversions)} kramdown box(es) and images"]
        if classes:
            said.append(f"{classes} code block class(es)")
        if top or bottom:
            said.append("front matter's questions, objectives and key points as boxes")
        if not problem and ("{{" in source.original or "{%" in source.original):
            said.append("Liquid rendered")
        source.changes.append("Jekyll page: " + "; ".join(said))


def _front_boxes(front: dict[str, Any], body: str) -> tuple[str, str]:
    top, bottom = "", ""
    for key, where in FRONT_BOXES:
        items = front.get(key)
        if not isinstance(items, list) or not items or f"{{{key}}}" in body:
            continue
        box = f":::{{{key}}}\n" + "".join(f"- {' '.join(str(i).split())}\n" for i in items) + ":::\n"
        if where == "top":
            top += box + "\n"
        else:
            bottom += "\n" + box
    return top, bottom
