"""Markdown's fenced blocks and front matter.

:func:`block_lines` reads a page with markdown-it (MyST's own parser, with colon
fences) and says, by line, what each line belongs to, from the tokens' line maps:
a fence after a list marker or inside a quote is a fence, and backticks indented
by four spaces are code, not a fence. :class:`FenceTracker` follows fences line
by line where a whole page is not at hand (the timing tables' reader).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import lru_cache

from ..model.lesson_rules import LITERAL_DIRECTIVES

_FENCE_OPEN = re.compile(r"^(?P<indent>[ \t]*)(?P<fence>`{3,}|~{3,})(?P<info>.*)$")
COLON_FENCE = re.compile(r"^[ \t]*(?P<fence>:{3,})(?P<info>.*)$")
#: Colon-fence directives whose content is not Markdown (``eval-rst`` holds rST).
LITERAL_FENCES = LITERAL_DIRECTIVES | {"eval-rst"}


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
            literal = name is None or name.group(1).strip() in LITERAL_FENCES
            self.kind = "code" if literal else "directive"
            return self.kind
        match = COLON_FENCE.match(line)
        if match:
            fence = match.group("fence")
            info = match.group("info").strip()
            name = re.match(r"\{([^}]*)\}", info)
            if name and name.group(1).strip() in LITERAL_FENCES:
                self.fence, self.kind = fence, "code"
                return "code"
            if name:
                self.colon_stack.append(len(fence))
            elif not info and self.colon_stack and len(fence) >= self.colon_stack[-1]:
                self.colon_stack.pop()
        return None


@dataclass
class Blocks:
    """What the lines of a page belong to (1-based line numbers)."""

    #: Line -> "code" (a code block, or a directive whose content is literal) or
    #: "directive" (a backtick-fenced MyST directive: Markdown, but left alone).
    kinds: dict[int, str] = field(default_factory=dict)
    #: The last line of each of those blocks (its closing fence, if it has one).
    ends: set[int] = field(default_factory=set)
    #: Lines inside a colon-fence directive that holds Markdown (``:::{note}``).
    in_colon: set[int] = field(default_factory=set)


@lru_cache(maxsize=1)
def _parser():  # imported late: migrate's other rewriters need no Markdown parser
    from markdown_it.renderer import RendererHTML
    from myst_parser.config.main import MdParserConfig
    from myst_parser.parsers.mdit import create_md_parser

    return create_md_parser(MdParserConfig(enable_extensions={"colon_fence"}), RendererHTML)


def _directive_name(info: str) -> str | None:
    name = re.match(r"\{([^}]*)\}", info.strip())
    return name.group(1).strip() if name else None


def block_lines(text: str, first_line: int = 1, blocks: Blocks | None = None) -> Blocks:
    """The code blocks, directives and colon fences of ``text`` (whose first line is
    ``first_line`` of the page), from markdown-it's tokens and their line maps."""
    blocks = blocks if blocks is not None else Blocks()
    for token in _parser().parse(text):
        if token.map is None or token.type not in ("fence", "code_block", "colon_fence"):
            continue
        start, end = token.map[0] + first_line, token.map[1] + first_line - 1
        name = _directive_name(token.info) if token.type != "code_block" else None
        if token.type == "colon_fence" and not (name and name in LITERAL_FENCES):
            if name is None:
                continue  # ":::" with no directive: MyST reads it as text
            # Markdown inside: its own fences are read, as MyST reads them.
            blocks.in_colon.update(range(start, end + 1))
            block_lines(token.content, start + 1, blocks)
            continue
        literal = name is None or name in LITERAL_FENCES
        for line in range(start, end + 1):
            blocks.kinds[line] = "code" if literal else "directive"
        blocks.ends.add(end)
    return blocks


def front_matter_end(lines: list[str]) -> int:
    """Index of the line after a YAML front matter block, else 0."""
    if lines and lines[0].rstrip() == "---":
        for index in range(1, len(lines)):
            if lines[index].rstrip() in ("---", "..."):
                return index + 1
    return 0
