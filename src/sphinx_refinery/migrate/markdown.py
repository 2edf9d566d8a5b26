"""Markdown pages: Jekyll/kramdown boxes and raw ``<img>`` lines become MyST directives."""

from __future__ import annotations

import html
import re
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

from ..model.lesson_rules import LEGACY_BOX_CLASSES
from .context import Context
from .fences import COLON_FENCE, Blocks, block_lines, front_matter_end
from .files import Note, SourceFile

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

Line = tuple[int | None, str]  # (line number in the original file, text)


def _repeats_default_title(directive: str, title: str) -> bool:
    from ..boxes.directives import BOX_KINDS as KINDS

    kind = next((k for k in KINDS if directive in k.directive_names), None)
    return kind is not None and kind.is_default_title(title)


def _strip_quote(text: str) -> str:
    text = text[1:]
    return text.removeprefix(" ")


def _colon_fence_length(lines: list[Line]) -> int:
    longest = 0
    for _, text in lines:
        match = COLON_FENCE.match(text)
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
        self.blocks = Blocks()

    def note(self, line: int | None, message: str) -> None:
        self.notes.append(Note(self.path, line, message))

    def convert(self, text: str) -> str:
        lines = text.split("\n")
        start = front_matter_end(lines)
        body: list[Line] = [(index + 1, line) for index, line in enumerate(lines)][start:]
        # What each line of the page belongs to, read once with markdown-it: lines
        # keep their number through the rewrites below.
        self.blocks = block_lines("\n".join(line for _, line in body), start + 1)
        body = self.convert_boxes(body)
        body = self.convert_images(body)
        return "\n".join(lines[:start] + [line for _, line in body])

    # -- boxes ---------------------------------------------------------------

    def convert_boxes(self, lines: list[Line]) -> list[Line]:
        out: list[Line] = []
        index = 0
        while index < len(lines):
            lineno, text = lines[index]
            block = self.blocks.kinds.get(lineno) if lineno else None
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
                    kind = LEGACY_BOX_CLASSES.get(cls)
                    if kind and lines[end][0] in self.blocks.in_colon:
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
        previous_ok = True  # the start of the file
        for lineno, text in lines:
            block = self.blocks.kinds.get(lineno) if lineno else None
            has_img = re.search(r"<img\b", text, re.IGNORECASE) is not None
            if block:
                if has_img:
                    where = "a code block" if block == "code" else "a MyST directive"
                    self.note(lineno, f"a raw <img> tag in {where}: left alone")
                out.append((lineno, text))
                previous_ok = not text.strip() or lineno in self.blocks.ends
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
                or COLON_FENCE.match(text) is not None
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


def rewrite_markdown(source: SourceFile, ctx: Context) -> None:
    """Convert one page's Jekyll boxes and ``<img>`` lines; count them in its changes."""
    if not re.search(r"^>|<img|\{:", source.text, re.MULTILINE | re.IGNORECASE):
        return
    converter = MarkdownConverter(source.path, ctx.notes)
    source.text = converter.convert(source.text)
    counts = Counter(conversion.box for conversion in converter.conversions)
    images = counts.pop("", 0)
    for kind, count in sorted(counts.items()):
        source.changes.append(f"{count} kramdown {kind} box(es) -> {{{kind}}} directive(s)")
    if images:
        source.changes.append(f"{images} raw <img> tag(s) -> {{image}} directive(s)")
