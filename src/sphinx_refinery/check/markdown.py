"""MyST Markdown pages to :class:`~.model.Page` facts, with myst-parser's own tokenizer.

The page is tokenised by markdown-it-py configured as myst-parser configures
it (:func:`myst_parser.parsers.mdit.create_md_parser`). Directive bodies are
raw text in those tokens, so they are tokenised again, with their line
offset, as MyST does when it runs the directive; nothing is rendered.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from functools import lru_cache
from typing import Any

import yaml
from markdown_it import MarkdownIt
from markdown_it.token import Token

from ..model.lesson_rules import LITERAL_DIRECTIVES
from ..util import bounded
from .model import Directive, Heading, Image, Label, Link, Page, Problem, TocEntry
from .options import MystOptions
from .rst import read_rst_into
from .syntax import RST_IN_MYST, scan_html, split_title

_OPTION = re.compile(r"^:(?P<key>[^:\s][^:]*):(?:\s+(?P<value>.*?))?\s*$")
_CONTAINER_PREFIX = re.compile(r"^[ \t>]*")
#: Roles whose target is a page or a file (checked by missing-file).
_FILE_ROLES = frozenset({"doc", "download"})
#: Roles whose explicit title is link text (checked by link-text).
_TITLED_ROLES = frozenset({"doc", "ref", "numref", "download", "any", "term"})


@lru_cache(maxsize=8)
def _parser(extensions: frozenset[str]) -> MarkdownIt:
    from markdown_it.renderer import RendererHTML
    from myst_parser.config.main import MdParserConfig
    from myst_parser.parsers.mdit import create_md_parser

    usable = set()
    for name in extensions:
        try:  # a name this myst-parser does not know is dropped, as the build would fail on it
            MdParserConfig(enable_extensions={name})
        except (TypeError, ValueError):
            continue
        usable.add(name)
    md = create_md_parser(MdParserConfig(enable_extensions=usable), RendererHTML)
    md.disable("wordcount", ignoreInvalid=True)  # a sixth of the time, for a figure unused here
    return md


@lru_cache(maxsize=4)
def _slugify(name: str = "github") -> Callable[[str], str]:
    """MyST's heading slug function (``myst_heading_anchors``, ``myst_heading_slug_func``)."""
    if name == "pandoc":
        from ..model.lesson_rules import pandoc_heading_id

        return pandoc_heading_id
    try:
        from myst_parser.slugs import SLUG_PRESETS, github_slugify
    except ImportError:  # myst-parser < 5
        from myst_parser.mdit_to_docutils.base import default_slugify as github_slugify

        SLUG_PRESETS = {}
    return SLUG_PRESETS.get(name, github_slugify)


def parse_markdown(page: Page, text: str, options: MystOptions) -> None:
    """Fill ``page`` with the facts of ``text``."""
    reader = _Reader(page, text.split("\n"), options)
    reader.read(text, offset=0, parent=-1, top=True)


class _Reader:
    def __init__(self, page: Page, lines: list[str], options: MystOptions) -> None:
        self.page = page
        self.lines = lines
        self.options = options
        self.md = _parser(options.extensions)
        self.cursor: dict[int, int] = {}  # line -> where the next column search starts

    # -- helpers ---------------------------------------------------------------------------

    def source_line(self, index: int) -> str:
        return self.lines[index] if 0 <= index < len(self.lines) else ""

    def col_of(self, index: int, needle: str) -> int:
        """1-based column of ``needle`` on line ``index`` (0-based), else of the text.

        The search goes on from the last match on the line, so that two links to
        the same place on one line get their own columns.
        """
        line = self.source_line(index)
        found = line.find(needle, self.cursor.get(index, 0)) if needle else -1
        if found < 0 and needle:
            found = line.find(needle)
        if found < 0:
            return len(line) - len(line.lstrip(" \t>")) + 1
        self.cursor[index] = found + len(needle)
        return found + 1

    # -- blocks ----------------------------------------------------------------------------

    def read(self, text: str, offset: int, parent: int, top: bool) -> None:
        tokens = self.md.parse(text)
        for index, token in enumerate(tokens):
            start = offset + token.map[0] if token.map else offset
            if token.type == "front_matter" and top:
                self.front_matter(token)
            elif token.type == "myst_target":
                name = token.content.strip()
                self.page.labels.append(Label(name, start + 1, self.col_of(start, "("), "target"))
                self.page.add_anchor(name)
            elif token.type == "heading_open":
                self.heading(token, tokens[index + 1], start, top and token.level == 0)
            elif token.type in ("fence", "colon_fence"):
                self.fence(token, offset, parent, top)
            elif token.type == "html_block":
                self.html(token.content, start)
            elif token.type == "inline":
                self.inline(token, start)

    def front_matter(self, token: Token) -> None:
        try:
            data = bounded.load_yaml(token.content, "the front matter")
        except bounded.InputError as err:
            self.page.problems.append(Problem("front-matter", 1, 1, f"the YAML front matter does not parse: {err}"))
            return
        except yaml.YAMLError as err:
            mark = getattr(err, "problem_mark", None)
            line = mark.line + 2 if mark is not None else 1  # +1 for the opening ---
            col = mark.column + 1 if mark is not None else 1
            reason = getattr(err, "problem", None) or str(err).splitlines()[0]
            self.page.problems.append(
                Problem(
                    "front-matter", line, col, f"the YAML front matter does not parse: {reason}"
                )
            )
            return
        if data is None:
            return
        if not isinstance(data, dict):
            self.page.problems.append(
                Problem("front-matter", 1, 1, "the front matter is not a mapping of keys to values")
            )
            return
        self.page.metadata.update(data)
        title = data.get("title")
        if self.options.title_to_header and isinstance(title, str) and title.strip():
            # MyST makes the title the page's level-1 heading (myst_title_to_header).
            self.page.headings.append(Heading(1, title.strip(), 1, 1))
            self.page.add_anchor(title.strip())
            if self.options.heading_anchors:
                self.page.add_anchor(_slugify(self.options.slug)(title.strip()))
        for key in data:
            for number, line in enumerate(token.content.split("\n")):
                if re.match(rf"^{re.escape(str(key))}\s*:", line):
                    self.page.metadata_lines[str(key)] = number + 2
                    break

    def heading(self, token: Token, inline: Token, start: int, top: bool) -> None:
        text = inline.content.strip()
        level = int(token.tag[1])
        if level <= self.options.heading_anchors:
            self.page.add_anchor(_slugify(self.options.slug)(text))
        self.page.add_anchor(text)  # docutils gives every section an id from its title
        self.inline(inline, start)
        if top:  # headings inside directives, lists and quotes are not sections
            self.page.headings.append(Heading(level, text, start + 1, self.col_of(start, "#")))

    def fence(self, token: Token, offset: int, parent: int, top: bool) -> None:
        start = offset + token.map[0]
        end = offset + token.map[1]  # one past the last line of the block
        col = self.col_of(start, token.markup)
        self.check_closed(token, start, end, col, top)
        self.check_nesting(token, start, col)
        info = token.info.strip()
        match = re.match(r"^\{(?P<name>[^}\s]+)\}\s*(?P<arg>.*)$", info)
        if not match:
            return  # a code block
        name = match["name"].strip().lower()
        options, option_lines, body, body_line = _split_options(token.content)
        directive = Directive(name, match["arg"].strip(), options, start + 1, col, parent)
        directive.option_lines = {key: start + 2 + number for key, number in option_lines.items()}
        self.page.directives.append(directive)
        here = len(self.page.directives) - 1
        self.directive_facts(directive)
        if name == "toctree":
            self.toctree(body, start + 1 + body_line, options)
            return
        if name in RST_IN_MYST:
            read_rst_into(self.page, body, start + 1 + body_line, here, self.options)
            return
        known = self.options.known_directives
        if name in LITERAL_DIRECTIVES or (known is not None and name not in known):
            return
        self.read(body, start + 1 + body_line, here, top=False)

    def check_closed(self, token: Token, start: int, end: int, col: int, top: bool) -> None:
        """A fence that runs to the end of the page, or a stray closing fence.

        A fence left open inside a directive, list or quote ends where its container
        ends, as the author most likely meant: that is not reported.
        """
        if _closed(token, self.source_line(end - 1), end - 1 > start):
            return
        what = f"{token.markup}{token.info.strip()}"
        if not token.info.strip():
            message = (
                f"this {token.markup} fence is never closed, so it runs to the end of its "
                "container (a stray closing fence?): close it, or remove it"
            )
        elif top and token.level == 0:
            message = (
                f"the fence {what!r} is never closed, so the rest of the page is inside it: "
                f"add a closing {token.markup} line"
            )
        else:
            return
        self.page.problems.append(Problem("unclosed-fence", start + 1, col, message))

    def check_nesting(self, token: Token, start: int, col: int) -> None:
        """A fence inside as long as this one: its closing line closed this one early.

        Then the inner fence, read on its own, has no closing line left.
        """
        char, length = token.markup[0], len(token.markup)
        if not re.search(rf"^[ \t>]*{re.escape(char)}{{{length},}}", token.content, re.MULTILINE):
            return  # the usual case, without tokenising the content again
        lines = token.content.split("\n")
        for inner in self.md.parse(token.content):
            if (
                inner.type in ("fence", "colon_fence")
                and inner.markup[0] == char
                and len(inner.markup) >= length
                and inner.info.strip()
                and inner.map
                and not _closed(inner, lines[inner.map[1] - 1], inner.map[1] - 1 > inner.map[0])
            ):
                outer = f"{token.markup}{token.info.strip()}"
                longer = char * (len(inner.markup) + 1)
                kind = "backticks" if char == "`" else "colons" if char == ":" else "tildes"
                self.page.problems.append(
                    Problem(
                        "fence-nesting",
                        start + 1,
                        col,
                        f"the fence {outer!r} holds a fence of {len(inner.markup)} {kind} "
                        f"(line {start + 2 + inner.map[0]}), whose closing line closes "
                        f"{outer!r} too early: make the outer fence longer than the inner one "
                        f"({longer} ... {longer})",
                    )
                )
                return

    def directive_facts(self, directive: Directive) -> None:
        self.page.note_directive(directive)

    def toctree(self, body: str, first_line: int, options: dict[str, str]) -> None:
        glob = "glob" in options
        for number, entry in enumerate(body.split("\n")):
            entry = entry.strip()
            if not entry or entry.startswith(":"):
                continue
            _title, target = split_title(entry)
            line = first_line + number
            self.page.toctree.append(TocEntry(target, line + 1, self.col_of(line, target), glob))

    # -- inline ----------------------------------------------------------------------------

    def html(self, content: str, start: int) -> None:
        facts = scan_html(content)
        for offset, src, alt in facts.images:
            line = start + content.count("\n", 0, offset)
            col = self.col_of(line, "<img")
            self.page.images.append(Image(src, alt, line + 1, col, "html"))
            if src:
                self.page.links.append(Link(src, "html", line + 1, col))
        for offset, href in facts.links:
            line = start + content.count("\n", 0, offset)
            self.page.links.append(Link(href, "html", line + 1, self.col_of(line, href)))
        for ident in facts.ids:
            self.page.add_anchor(ident)

    def inline(self, token: Token, start: int) -> None:
        line = start
        children = token.children or []
        index = 0
        while index < len(children):
            child = children[index]
            if child.type in ("softbreak", "hardbreak"):
                line += 1
            elif child.type == "link_open":
                href = str(child.attrs.get("href", ""))
                depth, text_parts = 1, []
                while index + 1 < len(children) and depth:
                    index += 1
                    inner = children[index]
                    depth += {"link_open": 1, "link_close": -1}.get(inner.type, 0)
                    if inner.type in ("text", "code_inline"):
                        text_parts.append(inner.content)
                    elif inner.type in ("softbreak", "hardbreak"):
                        text_parts.append(" ")
                        line += 1
                    elif inner.type == "image":
                        self.image(inner, line)
                        text_parts.append(inner.content)
                kind = "autolink" if child.markup in ("autolink", "linkify") else "link"
                text = "".join(text_parts)
                # Point at the link's start when its text is plain enough to find.
                needle = "<" + href if kind == "autolink" else "[" + text
                if needle not in self.source_line(line):
                    needle = href
                self.page.links.append(Link(href, kind, line + 1, self.col_of(line, needle), text))
            elif child.type == "image":
                self.image(child, line)
            elif child.type == "html_inline":
                self.html(child.content, line)
            elif child.type == "myst_role":
                self.role(child, line)
            elif child.attrs.get("id"):  # attrs_inline: [term]{#id}, `code`{#id}
                self.page.add_anchor(str(child.attrs["id"]))
            index += 1

    def image(self, token: Token, line: int) -> None:
        src = str(token.attrs.get("src", ""))
        col = self.col_of(line, "![")
        self.page.images.append(Image(src, token.content or None, line + 1, col, "markdown"))
        self.page.links.append(Link(src, "image", line + 1, col))

    def role(self, token: Token, line: int) -> None:
        name = str(token.meta.get("name", "")).lower().split(":")[-1]
        if name not in _TITLED_ROLES:
            return
        title, target = split_title(token.content)
        col = self.col_of(line, "{" + str(token.meta.get("name", "")))
        if name in _FILE_ROLES or title is not None:
            self.page.links.append(Link(target, name, line + 1, col, title))


def _closed(token: Token, last_line: str, has_lines: bool) -> bool:
    """Whether a fence's last line is its closing fence (not the end of its container)."""
    last = _CONTAINER_PREFIX.sub("", last_line).strip()
    char = token.markup[0]
    return has_lines and bool(last) and set(last) == {char} and len(last) >= len(token.markup)


def _split_options(content: str) -> tuple[dict[str, str], dict[str, int], str, int]:
    """A directive's options, their lines (0-based, in ``content``), its body, and the
    body's first line in ``content``."""
    lines = content.split("\n")
    options: dict[str, str] = {}
    where: dict[str, int] = {}
    if lines and lines[0].startswith("---"):
        for end in range(1, len(lines)):
            if lines[end].startswith("---"):
                try:
                    data: Any = bounded.load_yaml("\n".join(lines[1:end]), "the options")
                except (yaml.YAMLError, bounded.InputError):
                    data = None
                if isinstance(data, dict):
                    options = {str(k).lower(): "" if v is None else str(v) for k, v in data.items()}
                    for number, line in enumerate(lines[1:end]):
                        key = line.split(":", 1)[0].strip().lower()
                        if key in options:
                            where.setdefault(key, number + 1)
                return options, where, "\n".join(lines[end + 1 :]), end + 1
        return options, where, content, 0
    # As myst-parser reads them: leading lines that start with one colon, indented or not.
    count = 0
    while count < len(lines):
        stripped = lines[count].lstrip()
        if not stripped.startswith(":") or stripped.startswith(":::"):
            break
        match = _OPTION.match(stripped)
        if match:
            options[match["key"].lower()] = match["value"] or ""
            where[match["key"].lower()] = count
        count += 1
    return options, where, "\n".join(lines[count:]), count
