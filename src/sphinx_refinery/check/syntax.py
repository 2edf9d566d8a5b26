"""What both parsers need to know of directives, links and raw HTML."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from html.parser import HTMLParser

#: Handled by MyST itself rather than registered as directives.
MYST_SPECIAL_DIRECTIVES = frozenset({"eval-rst", "eval-restructuredtext", "code-cell", "raw-cell"})
RST_IN_MYST = frozenset({"eval-rst", "eval-restructuredtext"})
IMAGE_DIRECTIVES = frozenset({"image", "figure"})
#: Directives whose argument is a file, relative to the page.
FILE_DIRECTIVES = frozenset({"include", "literalinclude"})

@dataclass
class HtmlFacts:
    """Images, links and ids in a piece of raw HTML, with offsets into it."""

    images: list[tuple[int, str, str | None]] = field(default_factory=list)  # (offset, src, alt)
    links: list[tuple[int, str]] = field(default_factory=list)  # (offset, href)
    ids: list[str] = field(default_factory=list)


class _Scanner(HTMLParser):
    """Reads tags as a browser does: quoted ``>`` inside values, single-quoted and
    bare values, comments (whose tags do not count), and entities in values."""

    def __init__(self, text: str) -> None:
        super().__init__(convert_charrefs=True)
        self.facts = HtmlFacts()
        self._line_starts = [0] + [m.end() for m in re.finditer("\n", text)]

    def _offset(self) -> int:
        line, col = self.getpos()
        return self._line_starts[line - 1] + col

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values: dict[str, str | None] = {}  # names arrive lower-cased
        for name, value in reversed(attrs):  # the first of a repeated attribute wins
            values[name] = value
        offset = self._offset()
        if tag == "img":
            self.facts.images.append((offset, values.get("src") or "", values.get("alt")))
        elif tag == "a" and values.get("href"):
            self.facts.links.append((offset, str(values["href"])))
        # A fragment finds an element by its id, or an <a> by its name.
        for key in ("id", "name") if tag == "a" else ("id",):
            if values.get(key):
                self.facts.ids.append(str(values[key]))

    handle_startendtag = handle_starttag


def scan_html(text: str) -> HtmlFacts:
    scanner = _Scanner(text)
    scanner.feed(text)
    scanner.close()
    return scanner.facts


def split_title(text: str) -> tuple[str | None, str]:
    """``Title <target>`` -> ("Title", "target"); ``target`` -> (None, "target")."""
    match = re.match(r"^(?P<title>.*?)\s*<(?P<target>[^<>]*)>$", text.strip(), re.DOTALL)
    if match and match["title"]:
        return match["title"], match["target"].strip()
    return None, text.strip()
