"""kramdown's class lines after code blocks (``{: .language-bash}``, ``{: .output}``)
become the blocks' info strings, inside boxes (``> {: .output}``) and list items too."""

from __future__ import annotations

import re

_QUOTE = re.compile(r"^(?P<quote>(?:[ ]{0,3}>[ ]?)*)(?P<rest>.*)$")
#: A fence, after a list marker too (``1. ~~~``): it opens a code block in the item.
_FENCE = re.compile(
    r"^(?P<indent>[ \t]*(?:(?:[-*+]|\d{1,9}[.)])[ \t]+)?)(?P<fence>`{3,}|~{3,})(?P<info>.*)$"
)
_CLASS = re.compile(r"^[ \t]*\{:\s*\.(?P<cls>[\w-]+)\s*\}[ \t]*$")
#: Classes of the Carpentries' styles that style a block rather than name a language.
STYLED = {"output", "error", "warning", "source"}


def code_classes(lines: list[str]) -> tuple[list[str], int]:
    """The lines with each code block's class moved onto its opening fence; how many."""
    out = list(lines)
    count = 0
    open_at: dict[str, tuple[int, str]] = {}  # quote prefix -> (line, fence)
    last_close: dict[str, int] = {}
    for index, line in enumerate(lines):
        match = _QUOTE.match(line)
        quote, rest = match.group("quote"), match.group("rest")
        key = quote.replace(" ", "")
        fence = _FENCE.match(rest)
        if key in open_at:
            start, marker = open_at[key]
            body = rest.strip()
            if body and set(body) == {marker[0]} and len(body) >= len(marker):
                del open_at[key]
                last_close[key] = index
            continue
        if fence:
            open_at[key] = (index, fence.group("fence"))
            last_close.pop(key, None)
            continue
        cls = _CLASS.match(rest)
        close = last_close.pop(key, None)
        if cls and close == index - 1:
            start = _opening(lines, close, key)
            if start is None:
                continue
            name = cls.group("cls").removeprefix("language-")
            head = _QUOTE.match(out[start])
            fence_match = _FENCE.match(head.group("rest"))
            if fence_match and not fence_match.group("info").strip():
                info = "{code-block} text\n" if name in STYLED else name
                opening = head.group("quote") + fence_match.group("indent") + fence_match.group("fence")
                if name in STYLED:
                    # the option line sits where the block's lines do (in the list item)
                    column = head.group("quote") + " " * len(fence_match.group("indent"))
                    out[start] = f"{opening}{{code-block}} text\n{column}:class: {name}"
                else:
                    out[start] = f"{opening}{info}"
                out[index] = None  # type: ignore[call-overload]
                count += 1
    return [line for line in out if line is not None], count


def _opening(lines: list[str], close: int, key: str) -> int | None:
    """The opening fence of the block that ends at ``close``."""
    for index in range(close - 1, -1, -1):
        match = _QUOTE.match(lines[index])
        if match.group("quote").replace(" ", "") == key and _FENCE.match(match.group("rest")):
            return index
    return None
