"""One Workbench page rewritten for MyST: divs, code blocks, images, headings, links, front matter."""

from __future__ import annotations

import os
import re
from dataclasses import dataclass, field
from pathlib import Path

from ...model.lesson_rules import pandoc_heading_id
from ..context import Context
from ..fences import front_matter_end
from ..files import SourceFile
from .boxes import rewrite_divs
from .code_blocks import child_chunk, rewrite_code_fence, rmd_notes
from .divs import CODE_FENCE, DIV_CLOSE, DIV_OPEN, parse_heading, scan_divs
from .grid_tables import NOTE as GRID_NOTE
from .grid_tables import fenced, grid_tables
from .inline import (
    IMAGE,
    figure_lines,
    heading_with_attrs,
    inline_image,
    pandoc_scripts,
    raw_inline_html,
    rewrite_targets,
)
from .links import LinkResolver

#: Front-matter keys whose meaning differs in sphinx-refinery -> the name they keep theirs under.
CLASHING_KEYS = {"start": "workbench-start"}
THEMATIC_BREAK = re.compile(r"^ {0,3}([-*_])(?:[ \t]*\1){2,}[ \t]*$")
LINKS_MD_MARK = "<!-- links.md, which the Workbench adds to every page -->"
_REF_USE = re.compile(r"(?<![!\]\\])\[(?P<text>[^\]\[]+)\](?:\[(?P<label>[^\]]*)\])?(?![(:])")
REF_DEF = re.compile(r"^[ ]{0,3}\[(?P<label>[^\]^][^\]]*)\]:")


@dataclass
class PageJob:
    """What every page's rewrite shares."""

    links: LinkResolver
    #: page (resolved) -> the fragments some link of the lesson points at in it.
    anchors: dict[Path, set[str]] = field(default_factory=dict)
    #: links.md's reference definitions: label (lower case) -> its line.
    shared_refs: dict[str, str] = field(default_factory=dict)
    #: The root page (config.yaml's title titles it, not its file name).
    root_page: Path | None = None
    #: Heading ids made labels, and their page: a label is the whole lesson's, so a
    #: second page with the same id keeps the heading without it.
    labels: dict[str, Path] = field(default_factory=dict)
    #: The lesson's own box kinds (config.yaml's ``sphinx-refinery: box_kinds``, an export's).
    own_kinds: dict[str, dict] = field(default_factory=dict)
    #: knitr's child documents that pages include: rewritten too, as parts of pages.
    children: set[Path] = field(default_factory=set)


def rewrite_page(source: SourceFile, ctx: Context, job: PageJob) -> None:
    lines = source.text.split("\n")
    start = front_matter_end(lines)
    _front_matter(source, ctx, lines, start)
    scan = scan_divs(lines, start)
    if scan.migrated:
        return  # a page migrate rewrote already
    title_name = {}
    wanted = job.anchors.get(source.path.resolve(), set())
    for div in scan.divs:
        if div.title is not None:
            heading = parse_heading(lines[div.title])
            if heading and pandoc_heading_id(heading[1]) in wanted:
                title_name[div.title] = pandoc_heading_id(heading[1])
    boxes = rewrite_divs(
        lines, scan, title_name, lambda name, at: _claim(job, name, source.path, at, ctx),
        own_kinds=job.own_kinds,
    )
    out = boxes.replacements
    for line, message in boxes.notes:
        ctx.note(source.path, line, message)
    if source.path.suffix == ".Rmd":
        for line, message in rmd_notes(lines, scan.code_opens, scan.literal):
            ctx.note(source.path, line, message)
    counts = {"code": 0, "figure": 0, "image": 0, "heading": 0}
    in_div = {i for div in scan.divs if div.end is not None for i in range(div.start + 1, div.end)}
    for index in scan.comment_fences:
        if index in in_div:  # MyST would close the box around the comment there
            line = lines[index]
            out[index] = [line[: len(line) - len(line.lstrip())] + "\\" + line.lstrip()]
    in_table: set[int] = set()
    for first, last in grid_tables(lines, start, scan.literal):
        out.update(fenced(lines, first, last))
        in_table.update(range(first, last + 1))
        ctx.note(source.path, first + 1, GRID_NOTE)
    for index in scan.code_opens:
        child = child_chunk(lines, index) if source.path.suffix == ".Rmd" else None
        if child is not None:
            _include_child(lines, index, child[0], source.path, job, ctx, out)
            continue
        new = rewrite_code_fence(lines[index])
        if new is not None:
            out[index] = new
            counts["code"] += 1
    for index in range(start, len(lines)):
        if index in out or index in scan.literal or index in in_table:
            continue
        line = lines[index]
        if index in in_div and THEMATIC_BREAK.match(line) and not lines[index - 1].strip():
            # docutils allows a rule only between sections' blocks, not in a box.
            out[index] = ["<hr>"]
            continue
        new = heading_with_attrs(
            line, lambda ident, at=index: _claim(job, ident, source.path, at, ctx)
        )
        if new is not None:
            out[index] = new
            counts["heading"] += 1
            continue
        if _alone(lines, index, start):
            figure = figure_lines(line)
            if figure is not None:
                head, src = figure[0].split(" ", 1)
                better = job.links.rewrite(source.path, src)
                if better:
                    figure[0] = f"{head} {better}"
                out[index] = figure
                counts["figure"] += 1
                continue
        changed = IMAGE.sub(lambda m: inline_image(m) if m.group("attrs") else m.group(0), line)
        changed = rewrite_targets(changed, source.path, job.links)
        changed = pandoc_scripts(raw_inline_html(changed))
        if changed != line:
            out[index] = [changed]
            counts["image"] += changed.count("![")
    untitled = (source.path != job.root_page and source.path not in job.children
                and _untitled(lines, start, scan.literal))
    if untitled:
        title = source.path.stem.replace("-", " ").replace("_", " ").strip() or "Page"
        first = out.get(start, [lines[start]] if start < len(lines) else [])
        out[start] = [f"# {title[:1].upper()}{title[1:]}", "", *first]
        ctx.note(source.path, None, f"no title (front matter or heading): titled {title!r}")
    new_lines: list[str] = []
    for index, line in enumerate(lines):
        new_lines.extend(out.get(index, [line]))
    if untitled and start >= len(lines):
        new_lines.extend(out[start])
    appended = _shared_refs(new_lines, start, job, source.path)
    new_lines = _trim_end(new_lines) + appended if appended else new_lines
    text = "\n".join(new_lines)
    if text == source.text:
        return
    source.text = text
    said = []
    if boxes.boxes:
        said.append(f"{boxes.boxes} div(s) to lesson boxes")
    if boxes.tabs:
        said.append(f"{boxes.tabs} tab div(s) to tab sets")
    if boxes.plain:
        said.append("div(s) the Workbench does not style kept plain: " + ", ".join(sorted(set(boxes.plain))))
    if counts["code"]:
        said.append(f"{counts['code']} code block(s) styled as the Workbench does")
    if counts["figure"]:
        said.append(f"{counts['figure']} captioned image(s) to figures")
    if counts["heading"]:
        said.append(f"{counts['heading']} heading(s) with pandoc attributes")
    if appended:
        said.append(f"{len(appended) - 3} reference definition(s) from links.md")
    source.changes.append("Workbench page: " + ("; ".join(said) or "links and images"))


def _include_child(lines: list[str], index: int, path: str, page: Path, job: PageJob,
                   ctx: Context, out: dict[int, list[str]]) -> None:
    """A chunk that knits a child document: an ``include`` of it (the child is rewritten
    as a part of the page), or a note when the child is not there."""
    child = Path(os.path.normpath(page.parent / path))
    if not child.is_file() or not child.resolve().is_relative_to(job.links.root):
        ctx.note(page, index + 1, f"knitr child document {path!r} not found in the lesson: "
                 "the chunk is left as code")
        return
    match = CODE_FENCE.match(lines[index])
    assert match is not None
    out[index] = [f"{match.group('indent')}{match.group('fence')}{{include}} {path}"]
    job.children.add(child)
    ctx.note(page, index + 1, f"knitr child document {path}: included (its chunks are "
             "shown as code, not run)")


def _claim(job: PageJob, ident: str, page: Path, index: int, ctx: Context) -> bool:
    owner = job.labels.setdefault(ident, page)
    if owner != page:
        ctx.note(page, index + 1, f"id {ident!r} is also one on {owner.name}: "
                 "a label is the whole lesson's, so it is kept there only")
        return False
    return True


def _untitled(lines: list[str], start: int, literal: set[int]) -> bool:
    """Neither a front-matter title nor a level-1 heading: MyST would leave it untitled."""
    if any(re.match(r"title:\s*\S", line) for line in lines[1 : max(start - 1, 1)]):
        return False
    return not any(
        line.startswith("# ") and i not in literal for i, line in enumerate(lines[start:], start)
    )


def _alone(lines: list[str], index: int, start: int) -> bool:
    """The line is a paragraph of its own (pandoc's implicit figures want that)."""

    def boundary(i: int) -> bool:
        if i < start or i >= len(lines):
            return True
        text = lines[i]
        return (not text.strip() or bool(DIV_OPEN.match(text)) or bool(DIV_CLOSE.match(text))
                or parse_heading(text) is not None)

    return boundary(index - 1) and boundary(index + 1)


def _front_matter(source: SourceFile, ctx: Context, lines: list[str], start: int) -> None:
    for index in range(1, max(start - 1, 1)):
        key, sep, value = lines[index].partition(":")
        if sep and key in CLASHING_KEYS:
            lines[index] = f"{CLASHING_KEYS[key]}:{value}"
            ctx.note(
                source.path,
                index + 1,
                f"front matter '{key}:' means something else in sphinx-refinery: kept as "
                f"'{CLASHING_KEYS[key]}:'",
            )


def _shared_refs(lines: list[str], start: int, job: PageJob, page: Path) -> list[str]:
    """links.md's definitions this page uses and lacks, to append (the Workbench appends them all)."""
    if not job.shared_refs or LINKS_MD_MARK in lines:
        return []
    body = "\n".join(lines[start:])
    defined = {m.group("label").strip().lower() for line in lines if (m := REF_DEF.match(line))}
    used = []
    for match in _REF_USE.finditer(body):
        label = (match.group("label") or match.group("text")).strip().lower()
        label = " ".join(label.split())
        if label in job.shared_refs and label not in defined and label not in used:
            used.append(label)
    if not used:
        return []
    defs = [rewrite_targets(job.shared_refs[label], page, job.links) for label in used]
    return ["", LINKS_MD_MARK, *defs, ""]


def _trim_end(lines: list[str]) -> list[str]:
    while lines and not lines[-1].strip():
        lines = lines[:-1]
    return lines
