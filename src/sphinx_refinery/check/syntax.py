"""What both parsers need to know of directives, links and raw HTML."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

#: Handled by MyST itself rather than registered as directives.
MYST_SPECIAL_DIRECTIVES = frozenset({"eval-rst", "eval-restructuredtext", "code-cell", "raw-cell"})
RST_IN_MYST = frozenset({"eval-rst", "eval-restructuredtext"})
IMAGE_DIRECTIVES = frozenset({"image", "figure"})
#: Directives whose argument is a file, relative to the page.
FILE_DIRECTIVES = frozenset({"include", "literalinclude"})

_IMG_TAG = re.compile(r"<img\b(?P<attrs>[^<>]*)>", re.IGNORECASE)
_A_TAG = re.compile(r"<a\b(?P<attrs>[^<>]*)>", re.IGNORECASE)
_ATTR = re.compile(
    r"(?P<name>[A-Za-z_:][-A-Za-z0-9_:.]*)(?:\s*=\s*(?:\"(?P<dq>[^\"]*)\"|'(?P<sq>[^']*)'|(?P<bare>[^\s\"'=<>`]+)))?"
)
_ID_ATTR = re.compile(r"\b(?:id|name)\s*=\s*[\"']([^\"']+)[\"']", re.IGNORECASE)


def html_attributes(text: str) -> dict[str, str | None]:
    return {
        m["name"].lower(): next((v for v in (m["dq"], m["sq"], m["bare"]) if v is not None), None)
        for m in _ATTR.finditer(text)
    }


@dataclass
class HtmlFacts:
    """Images, links and ids in a piece of raw HTML, with offsets into it."""

    images: list[tuple[int, str, str | None]] = field(default_factory=list)  # (offset, src, alt)
    links: list[tuple[int, str]] = field(default_factory=list)  # (offset, href)
    ids: list[str] = field(default_factory=list)


def scan_html(text: str) -> HtmlFacts:
    facts = HtmlFacts()
    for match in _IMG_TAG.finditer(text):
        attrs = html_attributes(match["attrs"])
        facts.images.append((match.start(), attrs.get("src") or "", attrs.get("alt")))
    for match in _A_TAG.finditer(text):
        href = html_attributes(match["attrs"]).get("href")
        if href:
            facts.links.append((match.start(), href))
    facts.ids.extend(_ID_ATTR.findall(text))
    return facts


def split_title(text: str) -> tuple[str | None, str]:
    """``Title <target>`` -> ("Title", "target"); ``target`` -> (None, "target")."""
    match = re.match(r"^(?P<title>.*?)\s*<(?P<target>[^<>]*)>$", text.strip(), re.DOTALL)
    if match and match["title"]:
        return match["title"], match["target"].strip()
    return None, text.strip()


def line_col(text: str, offset: int) -> tuple[int, int]:
    """0-based (line, column) of an offset into a text."""
    line = text.count("\n", 0, offset)
    start = text.rfind("\n", 0, offset) + 1
    return line, offset - start
