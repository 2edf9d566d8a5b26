"""Timing tables: a ``csv-table`` of ``N min`` and ``{doc}`page``` rows (in the index or the
instructor guide) becomes ``teaching: N`` metadata on each page it names.
"""

from __future__ import annotations

import csv
import re
from collections.abc import Iterator
from dataclasses import dataclass
from functools import partial
from pathlib import Path

from ..model.lesson_rules import LITERAL_DIRECTIVES, parse_table_minutes
from .context import Context
from .fences import block_lines, front_matter_end
from .files import SourceFile

#: Pages where timing tables live.
TIMING_PAGES = re.compile(r"^(index|.*guide.*|schedule|timing|instructors?)$", re.IGNORECASE)
PAGE_SUFFIXES = (".md", ".rst")

_DOC_REF = re.compile(r"(?::doc:|\{doc\})`(?P<target>[^`]+)`")
_RST_FIELD = re.compile(r"^:(?![: ])(?P<name>[^:]+):(?:\s.*)?$")



@dataclass
class CsvTable:
    path: Path
    options: dict[str, str]
    rows: list[tuple[int, str]]  # (line number, text), indentation removed


def _dedent(rows: list[tuple[int, str]]) -> list[tuple[int, str]]:
    widths = [len(text) - len(text.lstrip()) for _, text in rows if text.strip()]
    cut = min(widths) if widths else 0
    return [(lineno, text[cut:]) for lineno, text in rows]


def myst_csv_tables(path: Path, text: str) -> Iterator[CsvTable]:
    lines = text.split("\n")
    index = front_matter_end(lines)
    # Code blocks as MyST finds them: a table inside one is an example, not the lesson's.
    blocks = block_lines("\n".join(lines[index:]), index + 1)
    while index < len(lines):
        line = lines[index]
        opening = re.match(r"^[ \t]*(?P<fence>`{3,}|~{3,}|:{3,})\{csv-table\}", line)
        inside = index + 1 in blocks.kinds and index + 1 not in blocks.starts
        if opening and not inside:
            fence = opening.group("fence")
            body: list[tuple[int, str]] = []
            index += 1
            while index < len(lines):
                stripped = lines[index].strip()
                if stripped and set(stripped) == {fence[0]} and len(stripped) >= len(fence):
                    break
                body.append((index + 1, lines[index]))
                index += 1
            index += 1
            options: dict[str, str] = {}
            if body and body[0][1].strip() == "---":
                body.pop(0)
                while body and body[0][1].strip() != "---":
                    key, _, value = body.pop(0)[1].strip().partition(":")
                    options[key.strip()] = value.strip().strip("'\"")
                body = body[1:]
            while body and re.match(r"^[ \t]*:[\w-]+:", body[0][1]):
                key, _, value = body.pop(0)[1].strip()[1:].partition(":")
                options[key.strip()] = value.strip()
            yield CsvTable(path, options, _dedent(body))
            continue
        index += 1


def _indent(text: str) -> int:
    return len(text.expandtabs(8)) - len(text.expandtabs(8).lstrip())


def _in_rst_literal(lines: list[str], index: int) -> bool:
    """Whether the (indented) line ``index`` is inside a literal block or a code directive."""
    width = _indent(lines[index])
    for back in range(index - 1, -1, -1):
        text = lines[back]
        if not text.strip() or _indent(text) >= width:
            continue
        stripped = text.strip()
        directive = re.match(r"^\.\.\s+([\w-]+)::", stripped)
        if directive:
            return directive.group(1) in LITERAL_DIRECTIVES
        if stripped.endswith("::"):
            return True
        width = _indent(text)
        if width == 0:
            return False
    return False


def rst_csv_tables(path: Path, text: str) -> Iterator[CsvTable]:
    lines = text.split("\n")
    for index, line in enumerate(lines):
        if not re.match(r"^[ \t]*\.\.\s+csv-table::", line):
            continue
        if _indent(line) and _in_rst_literal(lines, index):
            continue
        base = _indent(line)
        cursor = index + 1
        options: dict[str, str] = {}
        while cursor < len(lines) and lines[cursor].strip() and _indent(lines[cursor]) > base:
            option = re.match(r"^\s*:([\w-]+):(.*)$", lines[cursor])
            if option:
                options[option.group(1)] = option.group(2).strip()
            cursor += 1
        body: list[tuple[int, str]] = []
        while cursor < len(lines):
            if lines[cursor].strip() and _indent(lines[cursor]) <= base:
                break
            body.append((cursor + 1, lines[cursor]))
            cursor += 1
        yield CsvTable(path, options, _dedent(body))


def table_rows(table: CsvTable) -> list[tuple[int, list[str]]]:
    """(line number, cells) of every row of a csv-table, header rows left out."""
    delim = table.options.get("delim", ",")
    delim = {"tab": "\t", "space": " "}.get(delim, delim)
    if len(delim) != 1:
        return []
    lines = table.rows
    while lines and not lines[-1][1].strip():
        lines = lines[:-1]
    try:
        reader = csv.reader([text for _, text in lines], delimiter=delim, skipinitialspace=True)
        parsed = []
        for row in reader:
            line_index = reader.line_num - 1
            parsed.append((lines[line_index][0], row))
    except csv.Error:
        return []
    try:
        header_rows = int(table.options.get("header-rows", "0") or 0)
    except ValueError:
        header_rows = 0
    rows = [(lineno, row) for lineno, row in parsed if any(cell.strip() for cell in row)]
    return rows[header_rows:]


def rewrite_timing_tables(paths: list[Path], ctx: Context) -> None:
    """Find the timing tables among ``paths``; write each page's ``teaching`` time."""
    found: dict[Path, list[tuple[int, Path, int]]] = {}  # page -> [(minutes, table file, line)]
    for path in paths:
        if path.suffix not in PAGE_SUFFIXES or not TIMING_PAGES.match(path.stem):
            continue
        srcdir = ctx.srcdir_of(path)
        if srcdir is None:
            continue
        source = ctx.load(path)
        if source is None or "csv-table" not in source.text:
            continue
        parse = myst_csv_tables if path.suffix == ".md" else rst_csv_tables
        try:
            tables = list(parse(path, source.text))
        except Exception as err:  # noqa: BLE001  (a bug must not cost the other files)
            ctx.note(path, None, f"its tables could not be read ({err}): left alone")
            continue
        for table in tables:
            rows = table_rows(table)
            if not any(_DOC_REF.search(cell) for _, row in rows for cell in row):
                continue  # not a timing table
            delim = table.options.get("delim", ",")
            for lineno, row in rows:
                result = timing_row(path, srcdir, row)
                if isinstance(result, str):
                    shown = f" {delim} ".join(cell.strip() for cell in row)
                    ctx.note(path, lineno, f"timing table row '{shown}' {result}: left alone")
                else:
                    minutes, page = result
                    found.setdefault(page, []).append((minutes, path, lineno))
    for page, entries in sorted(found.items()):
        if len({minutes for minutes, _, _ in entries}) > 1:
            for _minutes, path, lineno in entries:
                ctx.note(path, lineno, f"{ctx.rel(page)} has timing rows that disagree: left alone")
            continue
        minutes, path, lineno = entries[0]
        ctx.rewrite(page, partial(write_teaching, minutes=minutes, table=path, lineno=lineno))


def timing_row(path: Path, srcdir: Path, row: list[str]) -> tuple[int, Path] | str:
    cells = [cell.strip() for cell in row]
    while cells and not cells[-1]:
        cells.pop()
    refs = [m for cell in cells for m in _DOC_REF.finditer(cell)]
    durations = [cell for cell in cells if parse_table_minutes(cell) is not None]
    if not refs:
        return "has no {doc} link"
    if len(refs) > 1:
        return "has several {doc} links"
    if len(durations) != 1 or len(cells) != 2:
        return "has no single time in minutes"
    target = refs[0].group("target").strip()
    explicit = re.match(r"^(.*?)\s*<([^<>]+)>$", target)
    if explicit:
        target = explicit.group(2).strip()
    base = srcdir if target.startswith("/") else path.parent
    candidates = [base / (target.lstrip("/") + suffix) for suffix in PAGE_SUFFIXES]
    page = next((c for c in candidates if c.is_file()), None)
    if page is not None and not page.resolve().is_relative_to(srcdir.resolve()):
        return f"links to {target}, a page outside the lesson"
    if page is None:
        if (base / (target.lstrip("/") + ".ipynb")).is_file():
            return f"links to the notebook {target}"
        return f"links to {target}, a page that does not exist"
    return parse_table_minutes(durations[0]), page


def write_teaching(
    source: SourceFile, ctx: Context, minutes: int, table: Path, lineno: int
) -> None:
    """Add ``teaching: minutes`` to a page's metadata, unless it has a teaching time."""
    page = source.path
    lines = source.text.split("\n")
    where = f"{ctx.rel(table)}:{lineno}"
    if page.suffix == ".md":
        end = front_matter_end(lines)
        if end:
            for line in lines[1 : end - 1]:
                existing = re.match(r"^teaching\s*:\s*(.*?)\s*$", line)
                if existing:
                    if existing.group(1) != str(minutes):
                        ctx.note(
                            page,
                            1,
                            f"already has teaching: {existing.group(1)} ({where} says {minutes}): left alone",
                        )
                    return
            lines.insert(end - 1, f"teaching: {minutes}")
        else:
            lines[0:0] = ["---", f"teaching: {minutes}", "---"]
    else:
        end = 0
        while end < len(lines) and (
            _RST_FIELD.match(lines[end])
            or (end and lines[end][:1] in (" ", "\t") and lines[end].strip())
        ):
            existing = re.match(r"^:teaching:\s*(.*?)\s*$", lines[end])
            if existing:
                if existing.group(1) != str(minutes):
                    ctx.note(
                        page,
                        end + 1,
                        f"already has :teaching: {existing.group(1)} ({where} says {minutes}): left alone",
                    )
                return
            end += 1
        if end:
            lines.insert(end, f":teaching: {minutes}")
        else:
            lines[0:0] = [f":teaching: {minutes}", ""]
    source.text = "\n".join(lines)
    source.changes.append(f"teaching: {minutes} (from the timing table at {where})")
