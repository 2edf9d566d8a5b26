"""reStructuredText pages to :class:`~.model.Page` facts, with a light line scanner.

A real docutils parse needs every directive and role of the lesson's
extensions registered, and reports everything else it does not know; what the
rules need (explicit markup, section titles, links, roles, the top field list)
follows from indentation alone, so this reads the lines the way docutils
splits them into blocks, without building a document.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

from ..model.lesson_rules import LITERAL_DIRECTIVES
from .model import Directive, Heading, Label, Link, Page, TocEntry
from .syntax import FILE_DIRECTIVES, IMAGE_DIRECTIVES, split_title

if TYPE_CHECKING:
    from .options import MystOptions

# docutils' "simplename", which directive names follow.
_SIMPLENAME = r"(?:(?!_)\w)+(?:[-._+:](?:(?!_)\w)+)*"
_EXPLICIT = re.compile(r"^\s*\.\.(?:\s|$)")
_DIRECTIVE = re.compile(rf"^(?P<name>{_SIMPLENAME})[ \t]*::(?:[ \t]+(?P<arg>.*))?$")
_SUBSTITUTION = re.compile(
    rf"^\|(?P<sub>[^|]+)\|\s+(?P<name>{_SIMPLENAME})[ \t]*::(?:[ \t]+(?P<arg>.*))?$"
)
_TARGET = re.compile(r"^_(?P<name>`[^`]+`|(?:[^:\\]|\\.)*):(?:\s+(?P<uri>.*))?$")
_FOOTNOTE = re.compile(r"^\[[^\]]+\](?:\s|$)")
_OPTION = re.compile(r"^\s*:(?P<key>[^:\s][^:]*):(?:\s+(?P<value>.*))?$")
_FIELD = re.compile(r"^:(?P<key>[^:\s][^:]*):(?:\s+(?P<value>.*))?$")
_ADORNMENT = re.compile(r"""^([!-/:-@\[-`{-~])\1{2,}\s*$""")
#: An underline may be as short as its title (one character under a one-letter title).
_UNDERLINE = re.compile(r"""^([!-/:-@\[-`{-~])\1*\s*$""")
_BULLET = re.compile(r"^(\s*)(?:[-*+\u2022]|\d+[.)]|#[.)]|\(?[a-zA-Z0-9]+[.)])\s+")
_LITERAL = re.compile(r"``.+?``", re.DOTALL)
_ROLE = re.compile(r"(?::(?P<domain>[\w-]+):)?:(?P<name>[\w-]+):`(?P<content>[^`]+)`")
_HYPERLINK = re.compile(r"`(?P<text>[^`<]*?)\s*<(?P<target>[^`<>]+)>`__?")
_URI = re.compile(r"(?<![\w/<`:@.\-])(?P<uri>(?:https?|ftp)://[^\s<>`\"']+)")
_TITLED_ROLES = frozenset({"doc", "ref", "numref", "download", "any", "term"})


def parse_rst(page: Page, text: str, options: MystOptions) -> None:
    _Scanner(page, options).scan(text.split("\n"), 0, -1, top=True)


def read_rst_into(
    page: Page, text: str, first_line: int, parent: int, options: MystOptions
) -> None:
    """The rST body of an ``{eval-rst}`` directive in a Markdown page."""
    _Scanner(page, options).scan(text.split("\n"), first_line, parent, top=False)


def _indent(line: str) -> int:
    return len(line) - len(line.lstrip())


def _text_indent(line: str) -> int:
    """Where the text of a line starts, after a list marker if there is one."""
    match = _BULLET.match(line)
    return len(match.group(0)) if match else _indent(line)


def _block_end(lines: list[str], start: int, indent: int) -> int:
    """The end of the block opened at ``start``: the next line indented no deeper."""
    end = start + 1
    while end < len(lines) and (not lines[end].strip() or _indent(lines[end]) > indent):
        end += 1
    while end > start + 1 and not lines[end - 1].strip():
        end -= 1
    return end


class _Scanner:
    def __init__(self, page: Page, options: MystOptions) -> None:
        self.page = page
        self.options = options
        self.styles: list[tuple[str, bool]] = []  # title adornments, in order of first use
        self.metadata_allowed = True

    def scan(self, lines: list[str], offset: int, parent: int, top: bool) -> None:
        index = 0
        while index < len(lines):
            line = lines[index]
            if not line.strip():
                index += 1
                continue
            indent = _indent(line)
            if _EXPLICIT.match(line):
                end = _block_end(lines, index, indent)
                self.explicit(lines[index:end], offset + index, parent)
                index = end
                continue
            if top and indent == 0:
                after = self.title(lines, index, offset)
                if after:
                    index = after
                    continue
                if self.metadata_allowed and _FIELD.match(line):
                    index = self.fields(lines, index, offset)
                    continue
            self.metadata_allowed = False
            start = end = index
            while end < len(lines) and lines[end].strip():
                end += 1
            index = end
            if line.lstrip().startswith(">>>"):
                continue  # a doctest block: code
            self.inline(lines[start:end], offset + start)
            if lines[end - 1].rstrip().endswith("::"):
                index = self.skip_literal(lines, end, _text_indent(lines[start]))

    def skip_literal(self, lines: list[str], start: int, indent: int) -> int:
        """Skip the literal block after a paragraph ending in ``::``."""
        end = start
        while end < len(lines) and (not lines[end].strip() or _indent(lines[end]) > indent):
            end += 1
        return end

    # -- sections and the top field list ---------------------------------------------------

    def title(self, lines: list[str], index: int, offset: int) -> int | None:
        """Read a section title at ``index``; return the line after it, or None."""
        line = lines[index].rstrip()
        nxt = lines[index + 1].rstrip() if index + 1 < len(lines) else ""
        if _ADORNMENT.match(line):
            third = lines[index + 2].rstrip() if index + 2 < len(lines) else ""
            if nxt.strip() and third[:1] == line[:1] and _ADORNMENT.match(third):
                self.section(nxt.strip(), (line[0], True), offset + index + 1)
                return index + 3
            if not nxt.strip():
                return index + 1  # a transition
            return None
        # docutils: an underline at least as wide as the title, or of 4 characters or more
        # (too short then, with a warning); a shorter one is ordinary text.
        underline = nxt.rstrip()
        if (
            line.strip()
            and _UNDERLINE.match(nxt)
            and (len(underline) >= _width(line.strip()) or len(underline) >= 4)
        ):
            self.section(line.strip(), (nxt[0], False), offset + index)
            return index + 2
        return None

    def section(self, text: str, style: tuple[str, bool], line: int) -> None:
        if style not in self.styles:
            self.styles.append(style)
        level = self.styles.index(style) + 1
        self.page.headings.append(Heading(level, text, line + 1, 1))
        self.page.add_anchor(text)
        # The docinfo may follow the document title.
        self.metadata_allowed = len(self.page.headings) == 1 and not self.page.metadata

    def fields(self, lines: list[str], index: int, offset: int) -> int:
        key = None
        while index < len(lines) and lines[index].strip():
            match = _FIELD.match(lines[index])
            if match:
                key = match["key"].strip()
                self.page.metadata[key] = (match["value"] or "").strip()
                self.page.metadata_lines[key] = offset + index + 1
            elif key is not None and _indent(lines[index]) > 0:
                self.page.metadata[key] = (
                    f"{self.page.metadata[key]} {lines[index].strip()}".strip()
                )
            else:
                break
            index += 1
        self.metadata_allowed = False
        return index

    # -- explicit markup -------------------------------------------------------------------

    def explicit(self, block: list[str], line: int, parent: int) -> None:
        first = block[0].strip()[2:].strip()
        col = _indent(block[0]) + 1
        target = _TARGET.match(first)
        if target:
            name = target["name"].strip("`")
            uri = " ".join([target["uri"] or "", *(b.strip() for b in block[1:])]).strip()
            if not uri:
                self.page.labels.append(Label(name, line + 1, col, "target"))
                self.page.add_anchor(name)
            elif not uri.endswith("_"):  # not an alias of another target
                self.page.links.append(Link("".join(uri.split()), "target", line + 1, col))
            return
        match = _SUBSTITUTION.match(first) or _DIRECTIVE.match(first)
        if match:
            self.metadata_allowed = False
            self.directive(match, block, line, col, parent, "sub" in match.groupdict())
            return
        if _FOOTNOTE.match(first):
            self.metadata_allowed = False
            self.inline([_FOOTNOTE.sub("", first), *block[1:]], line)
        # Anything else is a comment.

    def directive(
        self,
        match: re.Match[str],
        block: list[str],
        line: int,
        col: int,
        parent: int,
        substitution: bool,
    ) -> None:
        name = match["name"].lower()
        argument = (match["arg"] or "").strip()
        # Lines before the first blank one: the argument's continuation, then options.
        header = 1
        while header < len(block) and block[header].strip():
            header += 1
        first_option = next((i for i in range(1, header) if _OPTION.match(block[i])), None)
        wrapped = first_option if first_option is not None else 1
        if first_option is None and name in IMAGE_DIRECTIVES | FILE_DIRECTIVES:
            wrapped = header  # a long path, wrapped
        for text in block[1:wrapped]:
            argument = f"{argument} {text.strip()}".strip()
        options: dict[str, str] = {}
        option_lines: dict[str, int] = {}
        body_start = wrapped
        key = None
        option_indent = None
        while body_start < header:
            text = block[body_start]
            option = _OPTION.match(text)
            if option and (option_indent is None or _indent(text) == option_indent):
                option_indent = _indent(text)
                key = option["key"].strip().lower()
                options[key] = (option["value"] or "").strip()
                option_lines[key] = line + body_start + 1
            elif key is not None and _indent(text) > (option_indent or 0):
                options[key] = f"{options[key]} {text.strip()}".strip()
            else:
                break
            body_start += 1
        directive = Directive(
            name, argument, options, line + 1, col, parent, substitution, option_lines
        )
        self.page.directives.append(directive)
        here = len(self.page.directives) - 1
        self.facts(directive, substitution)
        body = block[body_start:]
        if name == "toctree":
            self.toctree(body, line + body_start, "glob" in options)
            return
        known = self.options.known_directives
        if name in LITERAL_DIRECTIVES or (known is not None and name not in known):
            return
        self.scan(body, line + body_start, here, top=False)

    def facts(self, directive: Directive, substitution: bool) -> None:
        # An image in a substitution definition takes the substitution's name as alt text.
        self.page.note_directive(directive, "substitution" if substitution else None)

    def toctree(self, body: list[str], offset: int, glob: bool) -> None:
        for number, text in enumerate(body):
            entry = text.strip()
            if not entry or _OPTION.match(text):
                continue
            _title, target = split_title(entry)
            self.page.toctree.append(
                TocEntry(target, offset + number + 1, text.find(target) + 1, glob)
            )

    # -- inline markup ---------------------------------------------------------------------

    def inline(self, lines: list[str], offset: int) -> None:
        text = "\n".join(lines)
        text = _LITERAL.sub(lambda m: _blank(m.group(0)), text)

        def where(position: int) -> tuple[int, int]:
            line = text.count("\n", 0, position)
            return offset + line + 1, position - (text.rfind("\n", 0, position) + 1) + 1

        for match in _ROLE.finditer(text):
            if _escaped(text, match.start()):
                continue  # \:doc:`x` is text, not a role
            name = match["name"].lower()
            if name in _TITLED_ROLES:
                title, target = split_title(match["content"])
                line, col = where(match.start())
                if name in ("doc", "download") or title is not None:
                    self.page.links.append(Link(target, name, line, col, title))
        text = _ROLE.sub(lambda m: _blank(m.group(0)), text)
        for match in _HYPERLINK.finditer(text):
            if _escaped(text, match.start()):
                continue
            target = "".join(match["target"].split())
            if target.endswith("_"):
                continue  # a reference to a named target
            line, col = where(match.start())
            self.page.links.append(Link(target, "link", line, col, match["text"] or None))
        text = _HYPERLINK.sub(lambda m: _blank(m.group(0)), text)
        for match in _URI.finditer(text):
            uri = match["uri"].rstrip(".,;:!?)'")
            line, col = where(match.start())
            self.page.links.append(Link(uri, "autolink", line, col))


def _escaped(text: str, position: int) -> bool:
    """Whether a backslash escapes the character at ``position`` (an odd run of them)."""
    run = len(text[:position]) - len(text[:position].rstrip("\\"))
    return run % 2 == 1


def _width(text: str) -> int:
    """Columns a title takes, as docutils counts them: wide characters two, combining none."""
    import unicodedata

    return sum(
        0 if unicodedata.combining(c) else 2 if unicodedata.east_asian_width(c) in "WF" else 1
        for c in text
    )


def _blank(text: str) -> str:
    """The same length of spaces, keeping line breaks (so positions stay right)."""
    return re.sub(r"[^\n]", " ", text)
