"""The Workbench's code blocks: ``output``, ``error``, ``warning`` and ``source`` are styled
boxes, not languages; ``mermaid`` diagrams stay readable as text.

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
