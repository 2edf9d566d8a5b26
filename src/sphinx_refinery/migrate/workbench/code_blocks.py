"""The Workbench's code blocks: ``output``, ``error``, ``warning`` and ``source`` are styled
boxes, not languages; ``mermaid`` diagrams stay readable as text; pandoc's raw blocks
(```` ```{=html} ````) become ``raw`` directives.

Each becomes a ``code-block`` of plain text carrying its class, so Pygments is never
asked for a language it does not know (Sphinx would warn), and the stylesheet
styles it as the Workbench does. Languages Pygments knows stay as they are.
"""

from __future__ import annotations

import functools
import re

from .divs import CODE_FENCE

#: Info strings the Workbench styles (its code block classes) rather than highlights.
STYLED = ("output", "error", "warning", "source")
#: R Markdown chunk engines (``{r}``, ``{python}``): code, not MyST directives.
CHUNK_ENGINES = frozenset({"r", "R", "python", "bash", "sh", "sql", "julia", "Rcpp", "js"})
#: Chunk options with which knitr shows no code (``include=FALSE``, ``echo=FALSE``).
HIDDEN_CODE = re.compile(r"[\s,](?:include|echo)\s*=\s*(?:FALSE|F)\b")
#: knitr's child documents: ``{r child="files/part.Rmd"}``, its output the child's text.
CHILD = re.compile(r"""[\s,]child\s*=\s*(["'])(?P<path>[^"'\n]+)\1""")
#: A code span; one of single backticks holding ``r expr`` is inline R, which knitr
#: replaces with its value.
CODE_SPAN = re.compile(r"(`+)(.+?)\1")


@functools.cache
def known_language(name: str) -> bool:
    from pygments.lexers import get_lexer_by_name
    from pygments.util import ClassNotFound

    try:
        get_lexer_by_name(name)
    except ClassNotFound:
        return False
    return True


def language_of(info: str) -> str:
    """The language an info string names: ``python``, ``{.python}``, ``{r, echo=FALSE}``."""
    info = info.strip()
    if info.startswith("{"):
        inner = info[1:].split("}", 1)[0].strip()
        classes = re.findall(r"(?:^|\s)\.([\w+-]+)", inner)
        if classes:
            # pandoc's reader keeps "language-r" whole; its highlighter, as GitHub's,
            # reads the language after the prefix (the Jekyll lessons' kramdown form).
            name = classes[0]
            bare = name.removeprefix("language-")
            return bare if bare != name and bare and known_language(bare) else name
        return re.split(r"[\s,]", inner, maxsplit=1)[0] if inner else ""
    return info.split()[0] if info else ""


def rewrite_code_fence(line: str) -> list[str] | None:
    """The lines an opening code fence becomes, or None to leave it."""
    match = CODE_FENCE.match(line)
    if match is None:
        return None
    info = match.group("info").strip()
    raw = re.fullmatch(r"\{=([\w-]+)\}", info)
    if raw:
        # pandoc's raw block: HTML is written as it is, other formats only to theirs.
        return [f"{match.group('indent')}{match.group('fence')}{{raw}} {raw.group(1)}"]
    chunk = re.match(r"\{([\w-]+)", info)
    if chunk and chunk.group(1) not in CHUNK_ENGINES:
        return None  # a MyST directive: migrated already
    language = language_of(info)
    indent, fence = match.group("indent"), match.group("fence")
    if not language:
        return None
    if language in STYLED or not known_language(language):
        return [f"{indent}{fence}{{code-block}} text", f"{indent}:class: {_css_class(language)}"]
    if info != language:
        return [f"{indent}{fence}{language}"]
    return None


def _css_class(language: str) -> str:
    cls = re.sub(r"[^\w-]+", "-", language.lower()).strip("-")
    return cls or "text"


def rmd_notes(lines: list[str], code_opens: list[int], literal: set[int]) -> list[tuple[int, str]]:
    """(line number, note) for what knitr would show otherwise in an R Markdown page:
    chunks whose code it hides, inline R it computes (one note of each, at the first)."""
    notes = []
    hidden = []
    for index in code_opens:
        match = CODE_FENCE.match(lines[index])
        info = match.group("info").strip() if match else ""
        if info.startswith("{") and HIDDEN_CODE.search(info.split("}", 1)[0]):
            hidden.append(index)
    if hidden:
        notes.append((hidden[0] + 1, f"{len(hidden)} R chunk(s) whose code knitr hides "
                      "(include=FALSE or echo=FALSE): shown as code, from here on"))
    inline = {i: n for i, line in enumerate(lines) if i not in literal and (n := _inline_r(line))}
    if inline:
        count = sum(inline.values())
        notes.append((min(inline) + 1, f"{count} inline R expression(s) (`r ...`): shown as "
                      "code, not computed, from here on"))
    return notes


def _inline_r(line: str) -> int:
    return sum(
        1 for m in CODE_SPAN.finditer(line)
        if len(m.group(1)) == 1 and re.match(r"r[ \t]", m.group(2))
    )


def child_chunk(lines: list[str], index: int) -> tuple[str, int] | None:
    """(path, closing line index) of an empty chunk that knits a child document, else None."""
    match = CODE_FENCE.match(lines[index])
    if match is None:
        return None
    info = match.group("info").strip()
    child = CHILD.search(info.split("}", 1)[0]) if info.startswith("{r") else None
    if child is None:
        return None
    fence = match.group("fence")
    for end in range(index + 1, len(lines)):
        body = lines[end].strip()
        if body and set(body) == {fence[0]} and len(body) >= len(fence):
            return child.group("path").strip(), end
        if body:
            return None  # a chunk with code of its own: knitr ignores it, so do we
    return None
