"""``sphinx-refinery migrate PATH``: move a sphinx-lesson lesson to sphinx-refinery.

It rewrites the lesson below PATH in place, with small textual edits that keep
every comment and the formatting of all the rest:

* ``conf.py``: ``sphinx_lesson`` (and its submodules) becomes one
  ``sphinx_refinery`` entry; extensions that sphinx-refinery sets up or replaces
  (``sphinx_tabs.tabs``, ``sphinx_togglebutton``, ``sphinx_copybutton``,
  ``sphinx_design``, ``myst_parser``) are dropped; ``sphinx_lesson_*`` settings
  are commented out.
* Python files that subclass sphinx-lesson's private ``_BaseCRDirective``
  import :class:`sphinx_refinery.compat.BoxDirective` instead.
* Requirement files (``requirements*.txt``, ``environment*.yml``,
  ``pyproject.toml``): ``sphinx-lesson`` becomes ``sphinx-refinery`` (with the
  ``notebooks`` extra when the lesson uses notebooks); ``sphinx-tabs`` and
  ``sphinx-togglebutton`` go.
* Markdown: Jekyll/kramdown boxes (``> ## Title`` ... ``{: .challenge}``) become
  MyST colon-fence directives; a line that is one raw ``<img>`` tag becomes an
  ``{image}`` directive. Nothing inside fenced code blocks changes.
* Timing tables (a ``csv-table`` of ``N min ; {doc}`page``` rows in the index or
  the instructor guide): each page gets ``teaching: N`` metadata.

Whatever it cannot rewrite safely it leaves alone and lists in its report, with
the file and line. ``--dry-run`` prints the changes as a diff and writes
nothing. In a git work tree it refuses (exit status 1) to touch files with
uncommitted changes, unless ``--force`` is given.
"""

from __future__ import annotations

import argparse
import ast
import copy
import csv
import difflib
import html
import os
import re
import stat
import subprocess
import sys
import tempfile
import tomllib
from collections import Counter
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

from .other_extensions import (
    DROPPED_EXTENSIONS,
    DROPPED_REQUIREMENTS,
    sphinx9_problem,
    still_needed,
)

PROG = "sphinx-refinery migrate"

#: Folders never searched: builds, version control, environments, caches.
SKIP_DIRS = frozenset(
    {
        "_build",
        ".git",
        ".hg",
        ".svn",
        "node_modules",
        "__pycache__",
        ".tox",
        ".nox",
        ".venv",
        "venv",
        "site-packages",
        "jupyter_execute",
        ".ipynb_checkpoints",
        ".mypy_cache",
        ".pytest_cache",
        ".ruff_cache",
        ".jupyter_cache",
    }
)

#: sphinx-lesson's extension name; its submodules (``sphinx_lesson.*``) count too.
LESSON_EXTENSION = "sphinx_lesson"
REFINERY_EXTENSION = "sphinx_refinery"
OPTION_NOTE = "# sphinx-refinery migrate: no equivalent, kept for reference: "

#: Kramdown box classes (``{: .challenge}``) and the directive each becomes.
BOX_KINDS = {
    name: name
    for name in (
        "challenge",
        "solution",
        "callout",
        "checklist",
        "discussion",
        "keypoints",
        "objectives",
        "prereq",
        "prerequisites",
        "questions",
        "testimonial",
        "instructor-note",
        "output",
        "homework",
        "exercise",
        "demo",
        "type-along",
    )
}
BOX_KINDS["instructor_note"] = "instructor-note"

#: Pages where timing tables live.
TIMING_PAGES = re.compile(r"^(index|.*guide.*|schedule|timing|instructors?)$", re.IGNORECASE)
PAGE_SUFFIXES = (".md", ".rst")

# --------------------------------------------------------------------------- #
# Small helpers


@dataclass(frozen=True)
class Note:
    """Something left alone, for the report."""

    path: Path
    line: int | None
    message: str


def normalise_name(name: str) -> str:
    """A distribution name as pip compares them (PEP 503)."""
    return re.sub(r"[-_.]+", "-", name).lower()


def is_lesson_extension(name: str) -> bool:
    return name == LESSON_EXTENSION or name.startswith(LESSON_EXTENSION + ".")


def iter_files(root: Path, notes: list[Note]) -> Iterator[Path]:
    """Every regular file below ``root``, less builds, environments and nested repositories."""
    for folder, dirs, files in os.walk(root):
        here = Path(folder)
        kept = []
        for name in sorted(dirs):
            sub = here / name
            if name in SKIP_DIRS or "venv" in name.lower():
                continue
            if (sub / "pyvenv.cfg").exists() or (sub / "conda-meta").is_dir():
                continue
            if (sub / ".git").exists():
                notes.append(Note(sub, None, "a nested git repository (submodule?): not searched"))
                continue
            kept.append(name)
        dirs[:] = kept
        for name in sorted(files):
            path = here / name
            if path.is_symlink():
                if name == "conf.py" or name.endswith((".md", ".py", ".txt", ".yml", ".toml")):
                    notes.append(Note(path, None, SYMLINK_NOTE))
                continue
            yield path


#: Links are left alone (their targets may be shared), and said so once.
SYMLINK_NOTE = "a symbolic link: left alone"


def read_only(path: Path) -> bool:
    """A file this user may not write (``chmod a-w`` does that for anyone but root).

    Permission bits alone are not asked: root may write any file, and copies of
    lessons kept read-only (as a shared corpus is) are migrated as usual there.
    """
    return not os.access(path, os.W_OK)


class SourceFile:
    """A text file being rewritten: its text with ``\\n`` line ends, and how to write it back."""

    def __init__(self, path: Path, raw: bytes) -> None:
        self.path = path
        self.raw = raw
        text = raw.decode("utf-8")  # UnicodeDecodeError: the caller reports it
        self.bom = text.startswith("\ufeff")
        if self.bom:
            text = text[1:]
        crlf = text.count("\r\n")
        lf = text.count("\n") - crlf
        self.newline: str | None = "\r\n" if crlf and not lf else "\n" if not crlf else None
        self._original_lines = text.split("\n")
        self.original = text.replace("\r\n", "\n")
        self.text = self.original
        self.changes: list[str] = []

    @property
    def changed(self) -> bool:
        return self.text != self.original

    def encoded(self) -> bytes:
        """The new text with the file's own line ends (and byte order mark)."""
        if self.newline is not None:
            text = self.text.replace("\n", self.newline)
        else:
            text = self._mixed_line_ends()
        return (("\ufeff" if self.bom else "") + text).encode("utf-8")

    def _mixed_line_ends(self) -> str:
        # Lines left as they were keep their own line end; new lines get \n.
        old = self._original_lines
        old_bare = [line.removesuffix("\r") for line in old]
        new = self.text.split("\n")
        ends = ["\n"] * len(new)
        matcher = difflib.SequenceMatcher(None, old_bare, new, autojunk=False)
        for tag, i1, i2, j1, _j2 in matcher.get_opcodes():
            if tag == "equal":
                for k in range(i2 - i1):
                    ends[j1 + k] = "\r\n" if old[i1 + k].endswith("\r") else "\n"
        return "".join(line + end for line, end in zip(new[:-1], ends, strict=False)) + new[-1]


def write_atomic(path: Path, data: bytes) -> None:
    """Replace ``path`` with ``data``: a temporary file in the same folder, then a rename."""
    mode = stat.S_IMODE(path.stat().st_mode)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".migrate-tmp")
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        os.chmod(tmp, mode)
        os.replace(tmp, path)
    except BaseException:
        if os.path.exists(tmp):
            os.unlink(tmp)
        raise


@dataclass
class Edit:
    """Replace ``text[start:end]`` by ``new``."""

    start: int
    end: int
    new: str


def apply_edits(text: str, edits: Iterable[Edit]) -> str:
    """Apply non-overlapping edits; overlapping deletions are merged."""
    merged: list[Edit] = []
    for edit in sorted(edits, key=lambda e: (e.start, e.end)):
        if merged and edit.start < merged[-1].end:
            last = merged[-1]
            if edit.new or last.new:
                raise ValueError("overlapping edits")
            last.end = max(last.end, edit.end)
            continue
        merged.append(Edit(edit.start, edit.end, edit.new))
    for edit in reversed(merged):
        text = text[: edit.start] + edit.new + text[edit.end :]
    return text


class Positions:
    """Character offsets in a text from ast's (line, UTF-8 byte column) positions."""

    def __init__(self, text: str) -> None:
        self.text = text
        self.lines = text.split("\n")
        self.starts = [0]
        for line in self.lines[:-1]:
            self.starts.append(self.starts[-1] + len(line) + 1)

    def offset(self, lineno: int, col: int) -> int:
        line = self.lines[lineno - 1]
        return self.starts[lineno - 1] + len(line.encode("utf-8")[:col].decode("utf-8"))

    def span(self, node: ast.AST) -> tuple[int, int]:
        return (
            self.offset(node.lineno, node.col_offset),
            self.offset(node.end_lineno, node.end_col_offset),
        )

    def segment(self, node: ast.AST) -> str:
        start, end = self.span(node)
        return self.text[start:end]

    def line_start(self, lineno: int) -> int:
        return self.starts[lineno - 1]

    def line_end(self, lineno: int) -> int:
        """Offset just past the line's ``\\n`` (or the end of the text)."""
        return min(self.starts[lineno - 1] + len(self.lines[lineno - 1]) + 1, len(self.text))

    def own_lines(self, node: ast.AST) -> re.Match[str] | None:
        """When ``node`` alone fills its lines (bar a comma and a comment): the rest of its last line."""
        start, end = self.span(node)
        before = self.text[self.line_start(node.lineno) : start]
        after = self.text[end : self.line_end(node.end_lineno)]
        if before.strip():
            return None
        return re.fullmatch(r"[ \t]*,?[ \t]*(#[^\n]*)?\n?", after)


# --------------------------------------------------------------------------- #
# Requirements


_REQUIREMENT = re.compile(
    r"(?P<name>[A-Za-z0-9](?:[A-Za-z0-9._-]*[A-Za-z0-9])?)"
    r"(?P<extras>\s*\[[^\]]*\])?"
    r"(?P<spec>[^;]*?)"
    r"(?P<marker>\s*;.*)?$"
)


def split_comment(line: str) -> tuple[str, str]:
    """``(code, comment)`` of a requirements line; the comment keeps the space before it."""
    match = re.search(r"(^|\s)#", line)
    if not match:
        return line, ""
    code = line[: match.start()].rstrip()
    return code, line[len(code) :]


def requirement_name(spec: str) -> str | None:
    """The normalised project name of a PEP 508 requirement (or a conda spec), else None."""
    spec = spec.strip()
    if not spec or spec.startswith("-") or re.match(r"^[a-z+]+://", spec):
        return None
    match = _REQUIREMENT.match(spec)
    if not match:
        return None
    rest = match.group("spec").strip()
    if rest and not re.match(r"^(@|[<>=!~ ]|\(|$)", rest):
        return None
    return normalise_name(match.group("name"))


def requirement_marker(spec: str) -> str:
    match = _REQUIREMENT.match(spec.strip())
    return match.group("marker") or "" if match else ""


def mentions_lesson(text: str) -> bool:
    return (
        re.search(r"sphinx[-_.]lesson(?![-_.]?template)(?![\w-])", text, re.IGNORECASE) is not None
    )


# --------------------------------------------------------------------------- #
# Markdown: fences, boxes, images

_FENCE_OPEN = re.compile(r"^(?P<indent>[ \t]*)(?P<fence>`{3,}|~{3,})(?P<info>.*)$")
_COLON_FENCE = re.compile(r"^[ \t]*(?P<fence>:{3,})(?P<info>.*)$")
_IAL = re.compile(r"^\{:\s*\.(?P<cls>[A-Za-z][\w-]*)\s*\}\s*$")
_ANY_IAL = re.compile(r"^[ \t]*\{:[^}]*\}\s*$")
_HEADING = re.compile(r"^#{1,6}(?:[ \t]+(?P<title>.*?))?(?:[ \t]+#+)?[ \t]*$")
_IMG_LINE = re.compile(r"^(?P<indent>[ \t]*)<img\b(?P<attrs>[^<>]*?)\s*/?>[ \t]*$", re.IGNORECASE)
_IMG_ATTR = re.compile(
    r"\s+(?P<name>[A-Za-z_:][-A-Za-z0-9_:.]*)"
    r"(?:\s*=\s*(?:\"(?P<dq>[^\"]*)\"|'(?P<sq>[^']*)'|(?P<bare>[^\s\"'=<>`]+)))?"
)
_LENGTH = re.compile(r"^\d+(\.\d+)?(px|%|em|ex|pt|pc|cm|mm|in)?$")
_IMAGE_ALIGN = {"left", "center", "right", "top", "middle", "bottom"}
#: Colon-fence directives whose content is not Markdown.
_LITERAL_DIRECTIVES = {
    "code-block",
    "code",
    "sourcecode",
    "code-cell",
    "literalinclude",
    "eval-rst",
    "raw",
    "math",
    "csv-table",
    "mermaid",
    "graphviz",
}


class FenceTracker:
    """Follows fenced blocks line by line.

    ``feed`` tells what a line belongs to: ``"code"`` (a fenced code block or a
    colon-fence directive whose content is literal, fences included),
    ``"directive"`` (a backtick/tilde-fenced MyST directive: Markdown, but left
    alone), or None. Other colon-fence directives (``:::{note}``) hold Markdown:
    their lines are None, and ``colons`` is how many of them are open.
    """

    def __init__(self) -> None:
        self.fence: str | None = None
        self.kind: str | None = None
        self.colon_stack: list[int] = []

    @property
    def colons(self) -> int:
        return len(self.colon_stack)

    def feed(self, line: str) -> str | None:
        if self.fence is not None:
            kind = self.kind
            stripped = line.strip()
            if stripped and set(stripped) == {self.fence[0]} and len(stripped) >= len(self.fence):
                self.fence = self.kind = None
            return kind
        match = _FENCE_OPEN.match(line)
        if match and not (match.group("fence")[0] == "`" and "`" in match.group("info")):
            self.fence = match.group("fence")
            name = re.match(r"\{([^}]*)\}", match.group("info").strip())
            literal = name is None or name.group(1).strip() in _LITERAL_DIRECTIVES
            self.kind = "code" if literal else "directive"
            return self.kind
        match = _COLON_FENCE.match(line)
        if match:
            fence = match.group("fence")
            info = match.group("info").strip()
            name = re.match(r"\{([^}]*)\}", info)
            if name and name.group(1).strip() in _LITERAL_DIRECTIVES:
                self.fence, self.kind = fence, "code"
                return "code"
            if name:
                self.colon_stack.append(len(fence))
            elif not info and self.colon_stack and len(fence) >= self.colon_stack[-1]:
                self.colon_stack.pop()
        return None


def front_matter_end(lines: list[str]) -> int:
    """Index of the line after a YAML front matter block, else 0."""
    if lines and lines[0].rstrip() == "---":
        for index in range(1, len(lines)):
            if lines[index].rstrip() in ("---", "..."):
                return index + 1
    return 0


Line = tuple[int | None, str]  # (line number in the original file, text)


def _repeats_default_title(directive: str, title: str) -> bool:
    from .boxes import BOX_KINDS as KINDS

    kind = next((k for k in KINDS if directive in k.directive_names), None)
    return kind is not None and kind.is_default_title(title)


def _strip_quote(text: str) -> str:
    text = text[1:]
    return text.removeprefix(" ")


def _colon_fence_length(lines: list[Line]) -> int:
    longest = 0
    for _, text in lines:
        match = _COLON_FENCE.match(text)
        if match:
            longest = max(longest, len(match.group("fence")))
    return longest


@dataclass(frozen=True)
class Conversion:
    """One construct :class:`MarkdownConverter` rewrote."""

    line: int
    box: str  # the box kind, or "" for an image
    what: str  # the construct, for a reader


class MarkdownConverter:
    """Jekyll boxes and raw ``<img>`` lines of one Markdown file to MyST.

    What it rewrote is in :attr:`conversions` (migrate's summary and the
    checker's legacy-syntax rule read it).
    """

    def __init__(self, path: Path, notes: list[Note]) -> None:
        self.path = path
        self.notes = notes
        self.conversions: list[Conversion] = []

    def note(self, line: int | None, message: str) -> None:
        self.notes.append(Note(self.path, line, message))

    def convert(self, text: str) -> str:
        lines = text.split("\n")
        start = front_matter_end(lines)
        body: list[Line] = [(index + 1, line) for index, line in enumerate(lines)][start:]
        body = self.convert_boxes(body)
        body = self.convert_images(body)
        return "\n".join(lines[:start] + [line for _, line in body])

    # -- boxes ---------------------------------------------------------------

    def convert_boxes(self, lines: list[Line]) -> list[Line]:
        out: list[Line] = []
        fences = FenceTracker()
        index = 0
        while index < len(lines):
            lineno, text = lines[index]
            block = fences.feed(text)
            if block:
                if block == "directive" and _ANY_IAL.match(text):
                    self.note(
                        lineno,
                        f"a kramdown attribute line {text.strip()} in a MyST directive: left alone",
                    )
                out.append(lines[index])
                index += 1
                continue
            if text.startswith(">"):
                end = index
                while end < len(lines) and lines[end][1].startswith(">"):
                    end += 1
                ial = _IAL.match(lines[end][1]) if end < len(lines) else None
                if ial:
                    cls = ial.group("cls")
                    kind = BOX_KINDS.get(cls)
                    if kind and fences.colons:
                        self.note(
                            lines[end][0],
                            f"a kramdown {{: .{cls}}} box inside a MyST directive: left alone",
                        )
                    elif kind:
                        out.extend(self.box(kind, lines[index:end], lines[end][0]))
                        index = end + 1
                        continue
                    else:
                        self.note(
                            lines[end][0],
                            f"a kramdown box of unknown kind {{: .{cls}}}: left alone",
                        )
                    out.extend(lines[index : end + 1])
                    index = end + 1
                    continue
                out.extend(lines[index:end])
                index = end
                continue
            if _ANY_IAL.match(text):
                self.note(lineno, f"a kramdown attribute line {text.strip()}: left alone")
            out.append(lines[index])
            index += 1
        return out

    def box(self, kind: str, quoted: list[Line], ial_line: int | None) -> list[Line]:
        inner = [(lineno, _strip_quote(text)) for lineno, text in quoted]
        inner = self.convert_boxes(inner)
        first = quoted[0][0]
        title = ""
        skip = 0
        while skip < len(inner) and not inner[skip][1].strip():
            skip += 1
        if skip < len(inner):
            heading = _HEADING.match(inner[skip][1])
            if heading:
                title = (heading.group("title") or "").strip()
                first = inner[skip][0]
                inner = inner[skip + 1 :]
        if inner and (
            (inner[0][1].lstrip().startswith(":") and not inner[0][1].lstrip().startswith(":::"))
            or inner[0][1].startswith("---")
        ):
            # Would be read as the directive's options.
            inner = [(None, ""), *inner]
        colons = ":" * max(3, _colon_fence_length(inner) + 1)
        if _repeats_default_title(kind, title):
            title = ""  # "> ## Solution": the box's own title says it
        opening = f"{colons}{{{kind}}} {title}".rstrip()
        line = quoted[0][0] if quoted and quoted[0][0] else ial_line or 1
        what = f"a Jekyll/kramdown box ({{: .{kind}}} below a '>' block)"
        self.conversions.append(Conversion(line, kind, what))
        return [(first, opening), *inner, (ial_line, colons)]

    # -- images --------------------------------------------------------------

    def convert_images(self, lines: list[Line]) -> list[Line]:
        out: list[Line] = []
        fences = FenceTracker()
        previous_ok = True  # the start of the file
        for lineno, text in lines:
            block = fences.feed(text)
            has_img = re.search(r"<img\b", text, re.IGNORECASE) is not None
            if block:
                if has_img:
                    where = "a code block" if block == "code" else "a MyST directive"
                    self.note(lineno, f"a raw <img> tag in {where}: left alone")
                out.append((lineno, text))
                previous_ok = not text.strip() or fences.fence is None
                continue
            if has_img:
                converted = self.image(lineno, text, previous_ok)
                if converted:
                    out.extend(converted)
                    previous_ok = True
                    continue
            out.append((lineno, text))
            stripped = text.strip()
            previous_ok = (
                not stripped
                or _HEADING.match(stripped) is not None
                or _COLON_FENCE.match(text) is not None
            )
        return out

    def image(self, lineno: int | None, text: str, previous_ok: bool) -> list[Line] | None:
        match = _IMG_LINE.match(text)
        if not match or text.lower().count("<img") != 1:
            self.note(lineno, "a raw <img> tag inside a line of text: left alone")
            return None
        if not previous_ok:
            self.note(lineno, "a raw <img> tag inside a paragraph or HTML block: left alone")
            return None
        indent = match.group("indent")
        if len(indent.expandtabs(4)) >= 4:
            self.note(lineno, "an indented raw <img> tag (code block?): left alone")
            return None
        attrs: dict[str, str | None] = {}
        rest = match.group("attrs")
        position = 0
        for attr in _IMG_ATTR.finditer(rest):
            if attr.start() != position:
                break
            value = attr.group("dq")
            if value is None:
                value = attr.group("sq")
            if value is None:
                value = attr.group("bare")
            attrs[attr.group("name").lower()] = value
            position = attr.end()
        if rest[position:].strip():
            self.note(lineno, "a raw <img> tag that could not be read: left alone")
            return None
        problem = self._image_problem(attrs)
        if problem:
            self.note(lineno, f"a raw <img> tag {problem}: left alone")
            return None
        src = html.unescape(attrs["src"] or "")
        result: list[Line] = [(lineno, f"{indent}```{{image}} {src}")]
        for name in ("alt", "width", "height", "class", "align"):
            value = attrs.get(name)
            if value is None:
                continue
            value = html.unescape(value).strip()
            if value:
                result.append((lineno, f"{indent}:{name}: {' '.join(value.split())}"))
        result.append((lineno, f"{indent}```"))
        self.conversions.append(Conversion(lineno or 1, "", "a raw <img> line"))
        return result

    @staticmethod
    def _image_problem(attrs: dict[str, str | None]) -> str | None:
        unknown = sorted(set(attrs) - {"src", "alt", "width", "height", "class", "align"})
        if unknown:
            return "with attributes {image} has no option for (" + ", ".join(unknown) + ")"
        src = attrs.get("src")
        if not src or not src.strip():
            return "without src"
        if "{{" in src or "{%" in src or re.search(r"\s", src.strip()):
            return "whose src is a template or holds spaces"
        for name in ("width", "height"):
            value = attrs.get(name)
            if value is not None and not _LENGTH.match(value.strip()):
                return f"whose {name} is not a length"
        align = attrs.get("align")
        if align is not None and align.strip().lower() not in _IMAGE_ALIGN:
            return "whose align has no equivalent"
        if align is not None:
            attrs["align"] = align.strip().lower()
        return None


# --------------------------------------------------------------------------- #
# Timing tables


_DOC_REF = re.compile(r"(?::doc:|\{doc\})`(?P<target>[^`]+)`")
_MINUTES = re.compile(r"^(?P<n>\d+)\s*(?:min|mins|minutes?|m)?\.?$", re.IGNORECASE)
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
    fences = FenceTracker()
    index = front_matter_end(lines)
    while index < len(lines):
        line = lines[index]
        opening = re.match(r"^[ \t]*(?P<fence>`{3,}|~{3,}|:{3,})\{csv-table\}", line)
        if fences.fence is None and opening:
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
        fences.feed(line)
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
            return directive.group(1) in {
                "code-block",
                "code",
                "sourcecode",
                "literalinclude",
                "parsed-literal",
                "raw",
                "highlight",
            }
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


# --------------------------------------------------------------------------- #
# The migration


@dataclass
class Migration:
    root: Path
    notes: list[Note] = field(default_factory=list)
    files: dict[Path, SourceFile] = field(default_factory=dict)
    #: Files that may not be rewritten (unreadable, not UTF-8).
    bad: set[Path] = field(default_factory=set)
    #: Requirements conf.py still needs that only sphinx-lesson installed.
    needed: list[str] = field(default_factory=list)

    # -- bookkeeping ---------------------------------------------------------

    def note(self, path: Path, line: int | None, message: str) -> None:
        self.notes.append(Note(path, line, message))

    def rel(self, path: Path) -> str:
        try:
            return path.relative_to(self.root).as_posix() or "."
        except ValueError:
            return str(path)

    def load(self, path: Path) -> SourceFile | None:
        if path in self.files:
            return self.files[path]
        if path in self.bad:
            return None
        if any(p.is_symlink() for p in (path, *path.parents) if p.is_relative_to(self.root)):
            # A page a timing table names may be a link: writing would replace it.
            self.note(path, None, SYMLINK_NOTE)
            self.bad.add(path)
            return None
        try:
            source = SourceFile(path, path.read_bytes())
        except OSError as err:
            self.note(path, None, f"could not be read ({err.strerror or err}): left alone")
            self.bad.add(path)
            return None
        except UnicodeDecodeError:
            self.note(path, None, "is not UTF-8 text: left alone")
            self.bad.add(path)
            return None
        self.files[path] = source
        return source

    def changed(self) -> list[SourceFile]:
        return sorted((f for f in self.files.values() if f.changed), key=lambda f: f.path)

    # -- the run -------------------------------------------------------------

    def run(self) -> None:
        paths = list(iter_files(self.root, self.notes))
        confs = [p for p in paths if p.name == "conf.py"]
        self.srcdirs = sorted({p.parent for p in confs}, key=lambda p: len(p.parts), reverse=True)
        if not confs:
            self.note(self.root, None, "no conf.py found below this folder")
        requirement_files = [p for p in paths if self.is_requirements(p)]
        self.notebooks = self.uses_notebooks(paths, confs, requirement_files)
        for path in paths:
            if path.suffix == ".py":
                self.guarded(path, self.migrate_python, path, path.name == "conf.py")
        for path in requirement_files:
            self.guarded(path, self.migrate_requirements, path)
        self.check_requirements(requirement_files, confs)
        for path in paths:
            if path.suffix == ".md" and self.srcdir_of(path):
                self.guarded(path, self.migrate_markdown, path)
        self.migrate_timing(paths)
        for path in paths:
            if path.parent.name == "workflows" and path.suffix in (".yml", ".yaml"):
                self.guarded(path, self.check_workflow, path)

    def guarded(self, path: Path, action, *args) -> None:
        """Run one file's rewrite; should it fail unexpectedly, the file stays as it was."""
        source = self.files.get(path)
        saved = (source.text, list(source.changes)) if source else None
        try:
            action(*args)
        except Exception as err:  # noqa: BLE001  (a bug must not cost the other files)
            source = self.files.get(path)
            if source is not None:
                source.text, source.changes = saved or (source.original, [])
            self.note(
                path, None, f"could not be migrated ({err.__class__.__name__}: {err}): left alone"
            )

    def srcdir_of(self, path: Path) -> Path | None:
        for srcdir in self.srcdirs:
            if path.is_relative_to(srcdir):
                return srcdir
        return None

    @staticmethod
    def is_requirements(path: Path) -> bool:
        name = path.name.lower()
        if name == "pyproject.toml":
            return True
        if re.fullmatch(r"requirements.*\.txt", name):
            return True
        return re.fullmatch(r"environment.*\.ya?ml", name) is not None

    def uses_notebooks(
        self, paths: list[Path], confs: list[Path], requirements: list[Path]
    ) -> bool:
        if any(p.suffix == ".ipynb" for p in paths):
            return True
        for path in requirements:
            source = self.load(path)
            if source is None:
                continue
            for line in source.text.split("\n"):
                code, _ = split_comment(line)
                if re.search(r"(?<![\w-])myst[-_.]nb(?![\w-])", code, re.IGNORECASE):
                    return True
        for path in confs:
            source = self.load(path)
            if source is None:
                continue
            if re.search(r"^nb_\w+\s*=", source.text, re.MULTILINE):
                return True
            if re.search(r"""^[^#\n]*["']myst_nb["']""", source.text, re.MULTILINE):
                return True
        for path in paths:
            if path.suffix == ".md" and self.srcdir_of(path):
                source = self.load(path)
                if source is None:
                    continue
                lines = source.text.split("\n")
                head = "\n".join(lines[: front_matter_end(lines)])
                if re.search(r"^(jupytext|kernelspec):", head, re.MULTILINE):
                    return True
                if re.search(r"^[ \t]*(`{3,}|:{3,})\{code-cell\}", source.text, re.MULTILINE):
                    return True
        return False

    # -- Python: conf.py and _BaseCRDirective ---------------------------------

    def migrate_python(self, path: Path, is_conf: bool) -> None:
        if not is_conf:
            try:
                if b"sphinx_lesson" not in path.read_bytes():
                    return
            except OSError:
                pass
        source = self.load(path)
        if source is None:
            return
        if "\r" in source.text:
            self.note(path, None, "Python with old Mac line ends (CR): its rewrites skipped")
            return
        try:
            tree = ast.parse(source.text)
        except (SyntaxError, ValueError) as err:
            line = getattr(err, "lineno", None)
            self.note(
                path,
                line,
                f"Python that does not parse ({err.__class__.__name__}): its rewrites skipped",
            )
            return
        pos = Positions(source.text)
        edits: list[Edit] = []
        changes: list[str] = []
        self.python_imports(path, tree, pos, edits, changes)
        expected = None
        if is_conf:
            expected = self.conf_extensions(path, tree, pos, edits, changes)
            self.conf_options(path, tree, pos, edits, changes)
        if not edits:
            return
        try:
            new_text = apply_edits(source.text, edits)
            new_tree = ast.parse(new_text)
        except (ValueError, SyntaxError):
            self.note(
                path, None, "could not be rewritten safely (" + "; ".join(changes) + "): left alone"
            )
            return
        if expected is not None and extension_strings(new_tree) != expected:
            self.note(path, None, "the extensions list could not be rewritten safely: left alone")
            return
        source.text = new_text
        source.changes.extend(changes)

    def python_imports(
        self, path: Path, tree: ast.AST, pos: Positions, edits: list[Edit], changes: list[str]
    ) -> None:
        parents = {child: node for node in ast.walk(tree) for child in ast.iter_child_nodes(node)}
        for node in ast.walk(tree):
            if isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
                if not is_lesson_extension(node.module):
                    continue
                names = [(a.name, a.asname) for a in node.names]
                if node.module == "sphinx_lesson.directives" and [n for n, _ in names] == [
                    "_BaseCRDirective"
                ]:
                    alias = names[0][1] or "_BaseCRDirective"
                    start, end = pos.span(node)
                    new = f"from sphinx_refinery.compat import BoxDirective as {alias}"
                    edits.append(Edit(start, end, new))
                    changes.append(
                        f"line {node.lineno}: _BaseCRDirective now from sphinx_refinery.compat"
                    )
                    continue
                if node.module == "sphinx_lesson" and [n for n, _ in names] == ["directives"]:
                    bound = names[0][1] or "directives"
                    new = "from sphinx_refinery import compat" + (
                        f" as {bound}" if bound != "compat" else ""
                    )
                    if self.module_uses(
                        tree,
                        parents,
                        pos,
                        bound,
                        [bound, "_BaseCRDirective"],
                        edits,
                        f"{bound}.BoxDirective",
                    ):
                        start, end = pos.span(node)
                        edits.append(Edit(start, end, new))
                        changes.append(
                            f"line {node.lineno}: sphinx_lesson.directives -> sphinx_refinery.compat"
                        )
                        continue
                self.note(
                    path,
                    node.lineno,
                    f"imports from {node.module}, which sphinx-refinery does not have: left alone",
                )
            elif isinstance(node, ast.Import):
                lesson = [a for a in node.names if is_lesson_extension(a.name)]
                if not lesson:
                    continue
                if len(node.names) == 1 and lesson[0].name == "sphinx_lesson.directives":
                    alias = lesson[0].asname
                    if alias:
                        chain, new_use, new = (
                            [alias, "_BaseCRDirective"],
                            f"{alias}.BoxDirective",
                            f"import sphinx_refinery.compat as {alias}",
                        )
                    else:
                        chain = ["sphinx_lesson", "directives", "_BaseCRDirective"]
                        new_use, new = (
                            "sphinx_refinery.compat.BoxDirective",
                            "import sphinx_refinery.compat",
                        )
                    if self.module_uses(tree, parents, pos, chain[0], chain, edits, new_use):
                        start, end = pos.span(node)
                        edits.append(Edit(start, end, new))
                        changes.append(
                            f"line {node.lineno}: sphinx_lesson.directives -> sphinx_refinery.compat"
                        )
                        continue
                names = ", ".join(a.name for a in lesson)
                self.note(
                    path,
                    node.lineno,
                    f"imports {names}, which sphinx-refinery does not replace: left alone",
                )

    @staticmethod
    def module_uses(
        tree: ast.AST,
        parents: dict[ast.AST, ast.AST],
        pos: Positions,
        bound: str,
        chain: list[str],
        edits: list[Edit],
        new_use: str,
    ) -> bool:
        """When every use of ``bound`` is the attribute chain ``chain``: edits to ``new_use``."""
        found: list[Edit] = []
        for node in ast.walk(tree):
            if not (isinstance(node, ast.Name) and node.id == bound):
                continue
            outer: ast.AST = node
            for attr in chain[1:]:
                parent = parents.get(outer)
                if not (
                    isinstance(parent, ast.Attribute)
                    and parent.value is outer
                    and parent.attr == attr
                ):
                    return False
                outer = parent
            if outer.lineno != outer.end_lineno or pos.segment(outer) != ".".join(chain):
                return False
            found.append(Edit(*pos.span(outer), new_use))
        edits.extend(found)
        return True

    def conf_extensions(
        self, path: Path, tree: ast.AST, pos: Positions, edits: list[Edit], changes: list[str]
    ) -> list[str]:
        """Edits to the extensions; returns the extension names expected afterwards."""
        entries = extension_entries(tree)
        values = [value for value, _, _ in entries]
        migrating = REFINERY_EXTENSION in values or any(is_lesson_extension(v) for v in values)
        have_refinery = REFINERY_EXTENSION in values
        final: dict[int, str | None] = {}  # id(node) -> its name afterwards, None: removed
        removals: dict[int, tuple[ast.AST, list[tuple[ast.AST, str]]]] = {}
        for value, node, container in entries:
            final[id(node)] = value
            if is_lesson_extension(value) and not have_refinery:
                segment = pos.segment(node)
                new = segment.replace(value, REFINERY_EXTENSION, 1)
                try:
                    ok = ast.literal_eval(new) == REFINERY_EXTENSION
                except (ValueError, SyntaxError):
                    ok = False
                if ok:
                    edits.append(Edit(*pos.span(node), new))
                    changes.append(f"extensions: {value} -> {REFINERY_EXTENSION}")
                    have_refinery = True
                    final[id(node)] = REFINERY_EXTENSION
                else:
                    self.note(path, node.lineno, f"the extension {value} could not be rewritten")
                continue
            problem = sphinx9_problem(value)
            if problem:
                self.note(path, node.lineno, f"the extension {value}: {problem}")
            if is_lesson_extension(value):
                reason = f"one {REFINERY_EXTENSION} is enough"
            elif migrating and value in DROPPED_EXTENSIONS:
                reason = DROPPED_EXTENSIONS[value]
            elif migrating and (own := own_lesson_metadata(path.parent, value)):
                reason = (
                    "sphinx-refinery has the lesson-metadata directive, which reads CITATION.cff;"
                    f" {self.rel(own)} is left in place"
                )
            else:
                continue
            removals.setdefault(id(container), (container, []))[1].append((node, reason))
        parents = {child: node for node in ast.walk(tree) for child in ast.iter_child_nodes(node)}
        for container, doomed in removals.values():
            failed = self.remove_entries(pos, parents, container, [n for n, _ in doomed], edits)
            for node, reason in doomed:
                value = final[id(node)]
                if id(node) in failed:
                    self.note(
                        path, node.lineno, f"the extension {value} could not be removed: left alone"
                    )
                else:
                    final[id(node)] = None
                    changes.append(f"extensions: dropped {value} ({reason})")
        names = [final[id(node)] for _, node, _ in entries if final[id(node)] is not None]
        if migrating:
            for requirement in still_needed(names, html_theme(tree)):
                if requirement not in self.needed:
                    self.needed.append(requirement)
        return names

    @staticmethod
    def remove_lines(pos: Positions, node: ast.AST, edits: list[Edit], element: bool) -> bool:
        """An edit deleting the lines of a statement or list element (a comment after it stays)."""
        rest = pos.own_lines(node)
        if rest is None or (not element and rest.group(0).lstrip(" \t").startswith(",")):
            return False
        stmt = node
        indent = re.match(r"[ \t]*", pos.lines[stmt.lineno - 1]).group(0)
        comment = rest.group(1)
        keep = f"{indent}{comment}\n" if comment else ""
        edits.append(Edit(pos.line_start(stmt.lineno), pos.line_end(stmt.end_lineno), keep))
        return True

    def remove_entries(
        self,
        pos: Positions,
        parents: dict[ast.AST, ast.AST],
        container: ast.AST,
        nodes: list[ast.AST],
        edits: list[Edit],
    ) -> set[int]:
        """Edits removing strings from an extensions list; returns the ids of those that stay."""
        if isinstance(container, ast.Expr):  # extensions.append("x")
            return set() if self.remove_lines(pos, container, edits, False) else {id(nodes[0])}
        elts = container.elts
        removed = {id(node) for node in nodes}
        if all(id(elt) in removed for elt in elts):
            # ``extensions += [...]`` or ``extensions.extend([...])`` with nothing left.
            holder = parents.get(container)
            if isinstance(holder, ast.Call):
                holder = parents.get(holder)
            if isinstance(holder, ast.AugAssign | ast.Expr) and self.remove_lines(
                pos, holder, edits, False
            ):
                return set()
        failed: set[int] = set()
        own = {id(node) for node in nodes if pos.own_lines(node) is not None}
        for node in nodes:
            if id(node) in own:
                self.remove_lines(pos, node, edits, True)
        inline = [i for i, elt in enumerate(elts) if id(elt) in removed and id(elt) not in own]
        runs: list[list[int]] = []
        for i in inline:
            if runs and runs[-1][-1] == i - 1:
                runs[-1].append(i)
            else:
                runs.append([i])
        for run in runs:
            first, last = elts[run[0]], elts[run[-1]]
            after = elts[run[-1] + 1] if run[-1] + 1 < len(elts) else None
            before = elts[run[0] - 1] if run[0] > 0 else None
            if after is not None and id(after) not in removed and after.lineno == last.end_lineno:
                edits.append(Edit(pos.span(first)[0], pos.span(after)[0], ""))
            elif (
                before is not None
                and id(before) not in removed
                and before.end_lineno == first.lineno
            ):
                edits.append(Edit(pos.span(before)[1], pos.span(last)[1], ""))
            elif len(run) == len(elts):
                end = pos.span(last)[1]
                comma = re.match(r"[ \t]*,", pos.text[end:])
                edits.append(Edit(pos.span(first)[0], end + (comma.end() if comma else 0), ""))
            else:
                failed.update(id(elts[i]) for i in run)
        return failed

    def conf_options(
        self, path: Path, tree: ast.Module, pos: Positions, edits: list[Edit], changes: list[str]
    ) -> None:
        loads = {
            n.id for n in ast.walk(tree) if isinstance(n, ast.Name) and isinstance(n.ctx, ast.Load)
        }
        body = tree.body
        for index, stmt in enumerate(body):
            names = assigned_names(stmt)
            if not names or not any(n.startswith("sphinx_lesson_") for n in names):
                continue
            label = ", ".join(names)
            if not all(n.startswith("sphinx_lesson_") for n in names):
                self.note(path, stmt.lineno, f"{label} are set together: left alone")
                continue
            if loads & set(names):
                self.note(path, stmt.lineno, f"the setting {label} is used in conf.py: left alone")
                continue
            prev_end = body[index - 1].end_lineno if index else 0
            next_start = body[index + 1].lineno if index + 1 < len(body) else None
            rest = pos.text[pos.span(stmt)[1] : pos.line_end(stmt.end_lineno)]
            if (
                stmt.col_offset != 0
                or prev_end >= stmt.lineno
                or (next_start is not None and next_start <= stmt.end_lineno)
                or not re.fullmatch(r"[ \t]*(#[^\n]*)?\n?", rest)
            ):
                self.note(
                    path, stmt.lineno, f"the setting {label} could not be commented out: left alone"
                )
                continue
            lines = pos.lines[stmt.lineno - 1 : stmt.end_lineno]
            new = [OPTION_NOTE + lines[0]] + ["# " + line for line in lines[1:]]
            start = pos.line_start(stmt.lineno)
            end = start + sum(len(line) + 1 for line in lines) - 1
            edits.append(Edit(start, end, "\n".join(new)))
            changes.append(f"commented out {label} (no equivalent in sphinx-refinery)")
        top_level = {id(stmt) for stmt in body}
        for node in ast.walk(tree):
            names = assigned_names(node)
            lesson_names = [n for n in names if n.startswith("sphinx_lesson_")]
            if lesson_names and id(node) not in top_level:
                self.note(
                    path,
                    node.lineno,
                    f"the setting {', '.join(lesson_names)} (not at the top level): left alone",
                )
            if "jupyter_execute_notebooks" in names and id(node) in top_level:
                self.note(
                    path,
                    node.lineno,
                    "jupyter_execute_notebooks is a setting of old myst-nb versions"
                    " (now nb_execution_mode): left alone",
                )

    # -- requirements ---------------------------------------------------------

    def refinery_requirement(self) -> str:
        return "sphinx-refinery[notebooks]" if self.notebooks else "sphinx-refinery"

    def migrate_requirements(self, path: Path) -> None:
        source = self.load(path)
        if source is None:
            return
        if path.name.lower() == "pyproject.toml":
            self.migrate_pyproject(path, source)
            return
        is_yaml = path.suffix.lower() in (".yml", ".yaml")
        lines = source.text.split("\n")
        entries = []  # (index, prefix, spec, suffix, name, in_pip)
        pip_indent: int | None = None
        for index, line in enumerate(lines):
            if is_yaml:
                item = re.match(r"^(?P<prefix>[ \t]*-[ \t]+)(?P<rest>.*)$", line)
                indent = len(line) - len(line.lstrip())
                if (
                    line.strip()
                    and not line.lstrip().startswith("#")
                    and pip_indent is not None
                    and indent <= pip_indent
                ):
                    pip_indent = None
                if not item:
                    continue
                if re.fullmatch(r"pip[ \t]*:[ \t]*(#.*)?", item.group("rest").strip()):
                    pip_indent = indent
                    continue
                code, comment = split_comment(item.group("rest"))
                quote = re.fullmatch(r"(['\"])(.*)\1", code.strip())
                spec = quote.group(2) if quote else code
                name = requirement_name(spec)
                entries.append(
                    (
                        index,
                        item.group("prefix"),
                        code,
                        comment,
                        name,
                        pip_indent is not None,
                        quote,
                    )
                )
            else:
                code, comment = split_comment(line)
                if not code.strip():
                    continue
                name = requirement_name(code)
                prefix = re.match(r"[ \t]*", code).group(0)
                entries.append((index, prefix, code.strip(), comment, name, True, None))
        names = {entry[4] for entry in entries}
        missing = [r for r in self.needed if normalise_name(r) not in names]
        has_refinery = "sphinx-refinery" in names
        if "sphinx-lesson" not in names and not has_refinery:
            for index, _prefix, code, _comment, name, _pip, _quote in entries:
                if name is None and mentions_lesson(code):
                    self.note(path, index + 1, "installs sphinx-lesson from a URL: left alone")
            return
        new_lines: dict[int, str | None] = {}
        for index, prefix, code, comment, name, in_pip, quote in entries:
            if name == "sphinx-lesson":
                if is_yaml and not in_pip:
                    self.note(
                        path,
                        index + 1,
                        "sphinx-lesson as a conda package (sphinx-refinery is on PyPI): left alone",
                    )
                    continue
                if has_refinery:
                    new_lines[index] = None
                    source.changes.append(
                        f"line {index + 1}: dropped {code.strip()} (sphinx-refinery is listed)"
                    )
                    continue
                spec = quote.group(2) if quote else code
                new = self.refinery_requirement() + requirement_marker(spec)
                if quote:
                    new = quote.group(1) + new + quote.group(1)
                added = [
                    prefix + (quote.group(1) + r + quote.group(1) if quote else r)
                    for r in missing
                ]
                new_lines[index] = "\n".join([prefix + new + comment, *added])
                has_refinery = True
                source.changes.append(f"line {index + 1}: {code.strip()} -> {new}")
                for requirement in missing:
                    source.changes.append(
                        f"line {index + 1}: added {requirement} (conf.py uses it;"
                        " sphinx-lesson used to install it)"
                    )
                missing = []
            elif name in DROPPED_REQUIREMENTS:
                new_lines[index] = None
                source.changes.append(
                    f"line {index + 1}: dropped {code.strip()} (no longer needed)"
                )
            elif name is None and mentions_lesson(code):
                self.note(path, index + 1, "installs sphinx-lesson from a URL: left alone")
        out = []
        for index, line in enumerate(lines):
            if index in new_lines:
                if new_lines[index] is not None:
                    out.append(new_lines[index])
            else:
                out.append(line)
        source.text = "\n".join(out)

    def migrate_pyproject(self, path: Path, source: SourceFile) -> None:
        try:
            data = tomllib.loads(source.text)
        except tomllib.TOMLDecodeError as err:
            if mentions_lesson(source.text):
                self.note(path, None, f"TOML that does not parse ({err}): left alone")
            return
        arrays: list[list] = []
        expected = copy.deepcopy(data)
        project = data.get("project", {})
        exp_project = expected.get("project", {})
        if isinstance(project.get("dependencies"), list):
            arrays.append((project["dependencies"], exp_project["dependencies"]))
        for table_name, exp_table in (
            (project.get("optional-dependencies"), exp_project.get("optional-dependencies")),
            (data.get("dependency-groups"), expected.get("dependency-groups")),
        ):
            if isinstance(table_name, dict):
                for key, value in table_name.items():
                    if isinstance(value, list):
                        arrays.append((value, exp_table[key]))
        poetry = data.get("tool", {}).get("poetry", {})
        for group in [poetry.get("dependencies", {})] + [
            g.get("dependencies", {})
            for g in poetry.get("group", {}).values()
            if isinstance(g, dict)
        ]:
            if isinstance(group, dict) and any(normalise_name(k) == "sphinx-lesson" for k in group):
                line = line_of(source.text, r"^\s*[\"']?sphinx[-_.]lesson[\"']?\s*=")
                self.note(path, line, "a Poetry dependency on sphinx-lesson: left alone")
        text = source.text
        edits: list[Edit] = []
        changes: list[str] = []
        used: set[int] = set()
        for values, exp_values in arrays:
            names = [requirement_name(v) if isinstance(v, str) else None for v in values]
            if "sphinx-lesson" not in names and "sphinx-refinery" not in names:
                continue
            has_refinery = "sphinx-refinery" in names
            for value, name in zip(values, names, strict=True):
                if name == "sphinx-lesson":
                    replacement = (
                        None
                        if has_refinery
                        else self.refinery_requirement() + requirement_marker(value)
                    )
                    has_refinery = True
                elif name in DROPPED_REQUIREMENTS:
                    replacement = None
                else:
                    continue
                found = self.toml_string(text, value, edits, replacement, used)
                if not found:
                    line = line_of(text, re.escape(value))
                    self.note(
                        path, line, f"the dependency {value!r} could not be rewritten: left alone"
                    )
                    continue
                exp_values.remove(value)
                if replacement is not None:
                    exp_values.insert(values.index(value), replacement)
                    changes.append(f"{value} -> {replacement}")
                    listed = {normalise_name(requirement_name(v) or "") for v in values}
                    for requirement in self.needed:
                        if normalise_name(requirement) not in listed:
                            self.note(
                                path,
                                line_of(text, re.escape(value)),
                                f"conf.py uses {requirement}, which sphinx-lesson used to"
                                " install: add it to these dependencies",
                            )
                else:
                    changes.append(f"dropped {value}")
        if not edits:
            return
        try:
            new_text = apply_edits(text, edits)
            ok = tomllib.loads(new_text) == expected
        except (ValueError, tomllib.TOMLDecodeError):
            ok = False
        if not ok:
            self.note(path, None, "its dependencies could not be rewritten safely: left alone")
            return
        source.text = new_text
        source.changes.extend(changes)

    @staticmethod
    def toml_string(
        text: str, value: str, edits: list[Edit], replacement: str | None, used: set[int]
    ) -> bool:
        """Edits for one quoted ``value`` in a TOML array (``replacement`` None: remove it)."""
        for quote in ('"', "'"):
            literal = quote + value + quote
            for match in re.finditer(re.escape(literal), text):
                if match.start() in used:
                    continue
                used.add(match.start())
                if replacement is not None:
                    edits.append(Edit(match.start(), match.end(), quote + replacement + quote))
                    return True
                line_start = text.rfind("\n", 0, match.start()) + 1
                line_end = text.find("\n", match.end())
                line_end = len(text) if line_end < 0 else line_end + 1
                before = text[line_start : match.start()]
                after = text[match.end() : line_end]
                if not before.strip() and re.fullmatch(r"[ \t]*,?[ \t]*(#[^\n]*)?\n?", after):
                    edits.append(Edit(line_start, line_end, ""))
                    return True
                following = re.match(r"[ \t]*,[ \t]*", after)
                if following and after[following.end() :].strip() not in ("", "]"):
                    edits.append(Edit(match.start(), match.end() + following.end(), ""))
                    return True
                preceding = re.search(r",[ \t]*$", before)
                if preceding:
                    edits.append(Edit(line_start + preceding.start(), match.end(), ""))
                    return True
                return False
        return False

    def check_requirements(self, requirement_files: list[Path], confs: list[Path]) -> None:
        migrated_conf = any(
            self.files.get(c) is not None and REFINERY_EXTENSION in self.files[c].text
            for c in confs
        )
        if not migrated_conf:
            return
        for path in requirement_files:
            source = self.files.get(path)
            if source and re.search(r"sphinx[-_.]refinery", source.text, re.IGNORECASE):
                return
        self.note(
            self.root,
            None,
            f"no requirements file lists sphinx-refinery: add {self.refinery_requirement()} to the"
            " lesson's dependencies yourself",
        )

    def check_workflow(self, path: Path) -> None:
        source = self.load(path)
        if source is None:
            return
        for index, line in enumerate(source.text.split("\n")):
            code, _ = split_comment(line)
            if re.search(r"\b(pip|conda|mamba|uv)\b.*\binstall\b", code) and mentions_lesson(code):
                self.note(path, index + 1, "a workflow installs sphinx-lesson: left alone")

    # -- Markdown ------------------------------------------------------------------

    def migrate_markdown(self, path: Path) -> None:
        source = self.load(path)
        if source is None:
            return
        if not re.search(r"^>|<img|\{:", source.text, re.MULTILINE | re.IGNORECASE):
            return
        converter = MarkdownConverter(path, self.notes)
        source.text = converter.convert(source.text)
        counts = Counter(conversion.box for conversion in converter.conversions)
        images = counts.pop("", 0)
        for kind, count in sorted(counts.items()):
            source.changes.append(f"{count} kramdown {kind} box(es) -> {{{kind}}} directive(s)")
        if images:
            source.changes.append(f"{images} raw <img> tag(s) -> {{image}} directive(s)")

    # -- timing ----------------------------------------------------------------

    def migrate_timing(self, paths: list[Path]) -> None:
        found: dict[Path, list[tuple[int, Path, int]]] = {}  # page -> [(minutes, table file, line)]
        for path in paths:
            if path.suffix not in PAGE_SUFFIXES or not TIMING_PAGES.match(path.stem):
                continue
            srcdir = self.srcdir_of(path)
            if srcdir is None:
                continue
            source = self.load(path)
            if source is None or "csv-table" not in source.text:
                continue
            parse = myst_csv_tables if path.suffix == ".md" else rst_csv_tables
            try:
                tables = list(parse(path, source.text))
            except Exception as err:  # noqa: BLE001  (a bug must not cost the other files)
                self.note(path, None, f"its tables could not be read ({err}): left alone")
                continue
            for table in tables:
                rows = table_rows(table)
                if not any(_DOC_REF.search(cell) for _, row in rows for cell in row):
                    continue  # not a timing table
                delim = table.options.get("delim", ",")
                for lineno, row in rows:
                    result = self.timing_row(path, srcdir, row)
                    if isinstance(result, str):
                        shown = f" {delim} ".join(cell.strip() for cell in row)
                        self.note(path, lineno, f"timing table row '{shown}' {result}: left alone")
                    else:
                        minutes, page = result
                        found.setdefault(page, []).append((minutes, path, lineno))
        for page, entries in sorted(found.items()):
            if len({minutes for minutes, _, _ in entries}) > 1:
                for _minutes, path, lineno in entries:
                    self.note(
                        path, lineno, f"{self.rel(page)} has timing rows that disagree: left alone"
                    )
                continue
            minutes, path, lineno = entries[0]
            self.guarded(page, self.write_teaching, page, minutes, path, lineno)

    def timing_row(self, path: Path, srcdir: Path, row: list[str]) -> tuple[int, Path] | str:
        cells = [cell.strip() for cell in row]
        while cells and not cells[-1]:
            cells.pop()
        refs = [m for cell in cells for m in _DOC_REF.finditer(cell)]
        durations = [cell for cell in cells if _MINUTES.match(cell)]
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
        return int(_MINUTES.match(durations[0]).group("n")), page

    def write_teaching(self, page: Path, minutes: int, table: Path, lineno: int) -> None:
        source = self.load(page)
        if source is None:
            return
        lines = source.text.split("\n")
        where = f"{self.rel(table)}:{lineno}"
        if page.suffix == ".md":
            end = front_matter_end(lines)
            if end:
                for line in lines[1 : end - 1]:
                    existing = re.match(r"^teaching\s*:\s*(.*?)\s*$", line)
                    if existing:
                        if existing.group(1) != str(minutes):
                            self.note(
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
                        self.note(
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


def line_of(text: str, pattern: str) -> int | None:
    """The line number of the first match of ``pattern`` in ``text``."""
    match = re.search(pattern, text, re.MULTILINE | re.IGNORECASE)
    return text.count("\n", 0, match.start()) + 1 if match else None


def extension_entries(tree: ast.AST) -> list[tuple[str, ast.Constant, ast.AST]]:
    """(name, string node, container) of every string in conf.py's extensions, in order."""
    found = []
    for node in ast.walk(tree):
        container = None
        if isinstance(node, ast.Assign | ast.AnnAssign | ast.AugAssign):
            targets = node.targets if isinstance(node, ast.Assign) else [node.target]
            if any(isinstance(t, ast.Name) and t.id == "extensions" for t in targets):
                container = node.value
        elif (
            isinstance(node, ast.Call)
            and isinstance(node.func, ast.Attribute)
            and isinstance(node.func.value, ast.Name)
            and node.func.value.id == "extensions"
        ):
            if node.func.attr == "extend" and node.args:
                container = node.args[0]
            elif node.func.attr in ("append", "insert") and node.args:
                arg = node.args[-1]
                if isinstance(arg, ast.Constant) and isinstance(arg.value, str):
                    found.append((arg.value, arg, node))
                continue
        if isinstance(container, ast.List | ast.Tuple):
            for elt in container.elts:
                if isinstance(elt, ast.Constant) and isinstance(elt.value, str):
                    found.append((elt.value, elt, container))
    # The append/insert "container" is the call; removal needs the statement.
    parents = {child: node for node in ast.walk(tree) for child in ast.iter_child_nodes(node)}
    result = []
    for value, node, container in found:
        if isinstance(container, ast.Call):
            statement = parents.get(container)
            container = statement if isinstance(statement, ast.Expr) else container
        result.append((value, node, container))
    result.sort(key=lambda entry: (entry[1].lineno, entry[1].col_offset))
    return result


def html_theme(tree: ast.Module) -> str | None:
    """conf.py's ``html_theme``, when it is a plain string at the top level."""
    for stmt in tree.body:
        if (
            "html_theme" in assigned_names(stmt)
            and isinstance(stmt, ast.Assign)
            and isinstance(stmt.value, ast.Constant)
            and isinstance(stmt.value.value, str)
        ):
            return stmt.value.value
    return None


#: A lesson's own extension that registers this directive (several CodeRefinery lessons).
_OWN_METADATA = re.compile(r"""add_directive\(\s*["']lesson-metadata["']""")


def own_lesson_metadata(confdir: Path, module: str) -> Path | None:
    """The file of a local extension ``module`` that registers ``lesson-metadata``."""
    relative = Path(*module.split("."))
    folders = [confdir, *(p for p in sorted(confdir.iterdir()) if p.is_dir())]
    for folder in folders:
        for candidate in (folder / relative.with_suffix(".py"), folder / relative / "__init__.py"):
            try:
                if candidate.is_file() and _OWN_METADATA.search(candidate.read_text("utf-8")):
                    return candidate
            except (OSError, UnicodeDecodeError):
                continue
    return None


def extension_strings(tree: ast.AST) -> list[str]:
    return [value for value, _, _ in extension_entries(tree)]


def assigned_names(stmt: ast.AST) -> list[str]:
    if isinstance(stmt, ast.Assign):
        targets = stmt.targets
    elif isinstance(stmt, ast.AnnAssign | ast.AugAssign):
        targets = [stmt.target]
    else:
        return []
    return [t.id for t in targets if isinstance(t, ast.Name)]


# --------------------------------------------------------------------------- #
# git


class GitProblem(Exception):
    """Whether files are committed cannot be told."""


def uncommitted(root: Path, paths: list[Path]) -> list[Path]:
    """The ``paths`` with changes git does not have (modified, staged, untracked, ignored)."""
    try:
        probe = subprocess.run(
            ["git", "-C", str(root), "rev-parse", "--show-toplevel"],
            capture_output=True,
            text=True,
            check=False,
        )
    except FileNotFoundError:
        if any((folder / ".git").exists() for folder in (root, *root.parents)):
            raise GitProblem(
                "git is not installed, so uncommitted changes cannot be checked"
            ) from None
        return []
    except OSError as err:
        raise GitProblem(f"git could not be run ({err})") from None
    if probe.returncode != 0:
        if "not a git repository" in probe.stderr.lower():
            return []
        raise GitProblem(
            "git failed: " + (probe.stderr.strip() or f"exit status {probe.returncode}")
        )
    top = Path(probe.stdout.strip()).resolve()
    wanted = {p.resolve(): p for p in paths}
    relative = [os.path.relpath(p, top) for p in wanted]
    status = subprocess.run(
        [
            "git",
            "--no-optional-locks",
            "-C",
            str(top),
            "status",
            "--porcelain=v1",
            "-z",
            "--untracked-files=all",
            "--",
            *relative,
        ],
        capture_output=True,
        check=False,
    )
    tracked = subprocess.run(
        ["git", "-C", str(top), "ls-files", "-z", "--full-name", "--", *relative],
        capture_output=True,
        check=False,
    )
    if status.returncode != 0 or tracked.returncode != 0:
        raise GitProblem(
            "git status failed: "
            + (status.stderr or tracked.stderr).decode(errors="replace").strip()
        )
    dirty: set[Path] = set()
    entries = status.stdout.decode("utf-8", errors="surrogateescape").split("\0")
    index = 0
    while index < len(entries):
        entry = entries[index]
        index += 1
        if len(entry) < 4:
            continue
        dirty.add((top / entry[3:]).resolve())
        if entry[0] in "RC":
            index += 1  # the original path follows
    known = {
        (top / name).resolve()
        for name in tracked.stdout.decode("utf-8", errors="surrogateescape").split("\0")
        if name
    }
    return sorted(wanted[p] for p in wanted if p in dirty or p not in known)


# --------------------------------------------------------------------------- #
# Command line


def add_parser(commands: argparse._SubParsersAction) -> None:
    parser = commands.add_parser(
        "migrate",
        help="move a sphinx-lesson lesson to sphinx-refinery",
        description="Rewrite a sphinx-lesson lesson in place so that it builds with sphinx-refinery.",
    )
    parser.add_argument("path", help="the lesson's folder (the repository root)")
    parser.add_argument(
        "-n", "--dry-run", action="store_true", help="print the changes as a diff; write nothing"
    )
    parser.add_argument(
        "--force",
        action="store_true",
        help="also rewrite files with uncommitted changes, and read-only files",
    )
    parser.set_defaults(run=run)


def _diff(migration: Migration, source: SourceFile) -> str:
    name = migration.rel(source.path)
    old = [line + "\n" for line in source.original.split("\n")]
    new = [line + "\n" for line in source.text.split("\n")]
    return "".join(difflib.unified_diff(old, new, f"a/{name}", f"b/{name}"))


def _report_notes(migration: Migration, out) -> None:
    notes = sorted(set(migration.notes), key=lambda n: (str(n.path), n.line or 0, n.message))
    if not notes:
        return
    print(f"Left alone ({len(notes)}), check by hand:", file=out)
    for note in notes:
        where = migration.rel(note.path) + (f":{note.line}" if note.line else "")
        print(f"  {where}: {note.message}", file=out)


def run(args: argparse.Namespace) -> int:
    out = sys.stdout
    if not args.path.strip():
        # Path("") is the current folder: never migrate that by accident.
        print(f"{PROG}: error: PATH is empty: give the lesson's folder", file=sys.stderr)
        return 2
    root = Path(args.path).expanduser()
    if not root.exists():
        print(f"{PROG}: error: {args.path}: no such folder", file=sys.stderr)
        return 2
    if not root.is_dir():
        print(
            f"{PROG}: error: {args.path}: not a folder (give the lesson's folder)", file=sys.stderr
        )
        return 2
    root = root.resolve()
    migration = Migration(root)
    try:
        migration.run()
    except PermissionError as err:
        print(f"{PROG}: error: {err}", file=sys.stderr)
        return 1
    changed = migration.changed()
    print(f"{PROG}: {root}" + (" (dry run: nothing is written)" if args.dry_run else ""), file=out)

    if changed and not args.force:
        try:
            dirty = uncommitted(root, [f.path for f in changed])
        except GitProblem as err:
            if args.dry_run:
                print(f"Note: {err}; a real run would refuse without --force.", file=out)
                dirty = []
            else:
                print(
                    f"{PROG}: refusing to change files: {err}. Use --force to go ahead.",
                    file=sys.stderr,
                )
                return 1
        locked = [f.path for f in changed if read_only(f.path)]
        if locked:
            listing = "\n".join(f"  {migration.rel(p)}" for p in locked)
            if args.dry_run:
                print(f"Note: a real run would refuse (without --force): read-only files\n{listing}", file=out)
            else:
                print(
                    f"{PROG}: refusing to change read-only files (make them writable, "
                    f"or use --force):\n{listing}",
                    file=sys.stderr,
                )
                return 1
        if dirty:
            listing = "\n".join(f"  {migration.rel(p)}" for p in dirty)
            if args.dry_run:
                print(
                    f"Note: a real run would refuse (without --force): uncommitted changes in\n{listing}",
                    file=out,
                )
            else:
                print(
                    f"{PROG}: refusing to change files with uncommitted changes "
                    f"(commit them first, or use --force):\n{listing}",
                    file=sys.stderr,
                )
                return 1

    if args.dry_run:
        for source in changed:
            out.write(_diff(migration, source))
    else:
        written = []
        for source in changed:
            try:
                write_atomic(source.path, source.encoded())
            except OSError as err:
                print(
                    f"{PROG}: error: could not write {migration.rel(source.path)}: {err}",
                    file=sys.stderr,
                )
                if written:
                    print(
                        "Already written: " + ", ".join(migration.rel(p) for p in written),
                        file=sys.stderr,
                    )
                return 1
            written.append(source.path)

    if changed:
        verb = "Would change" if args.dry_run else "Changed"
        print(f"{verb} {len(changed)} file(s):", file=out)
        for source in changed:
            print(f"  {migration.rel(source.path)}", file=out)
            for change in source.changes:
                print(f"    - {change}", file=out)
    else:
        print(
            "Nothing to change: the lesson is already migrated (or has nothing to migrate).",
            file=out,
        )
    _report_notes(migration, out)
    return 0
