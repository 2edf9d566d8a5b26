"""Markdown's fenced blocks and front matter.

:func:`block_lines` reads a page with markdown-it (MyST's own parser, with colon
fences) and says, by line, what each line belongs to, from the tokens' line maps:
a fence after a list marker or inside a quote is a fence, and backticks indented
by four spaces are code, not a fence.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import lru_cache

from ..model.lesson_rules import LITERAL_DIRECTIVES

COLON_FENCE = re.compile(r"^[ \t]*(?P<fence>:{3,})(?P<info>.*)$")
#: Colon-fence directives whose content is not Markdown (``eval-rst`` holds rST).
LITERAL_FENCES = LITERAL_DIRECTIVES | {"eval-rst"}


@dataclass
class Blocks:
    """What the lines of a page belong to (1-based line numbers)."""

    #: Line -> "code" (a code block, or a directive whose content is literal) or
    #: "directive" (a backtick-fenced MyST directive: Markdown, but left alone).
    kinds: dict[int, str] = field(default_factory=dict)
    #: The first and the last line of each of those blocks (fences, if it has them).
    starts: set[int] = field(default_factory=set)
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
        blocks.starts.add(start)
        blocks.ends.add(end)
    return blocks


def front_matter_end(lines: list[str]) -> int:
    """Index of the line after a YAML front matter block, else 0."""
    if lines and lines[0].rstrip() == "---":
        for index in range(1, len(lines)):
            if lines[index].rstrip() in ("---", "..."):
                return index + 1
    return 0
