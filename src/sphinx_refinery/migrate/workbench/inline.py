"""Inline pandoc syntax MyST reads otherwise: image attributes, heading attributes, link targets.

* ``![caption](src){alt='...' width=...}`` alone in its paragraph is a figure in
  the Workbench (pandoc's implicit figures): it becomes a ``figure`` directive
  with the caption, alt text, width and classes. Elsewhere the ``alt`` moves into
  the brackets (MyST reads ``width``, ``height``, ``align``, ids and classes).
* ``## Title {#id .class}``: the id becomes a MyST label, the braces go.
* Every link and image target goes through :class:`.links.LinkResolver`.
* pandoc's superscripts and subscripts (``x^2^``, ``H~2~O``) become the ``sup`` and
  ``sub`` roles (MyST reads neither; ``~~struck~~`` stays).
Bracketed spans (``[term]{#id}``) are MyST's ``attrs_inline`` syntax already.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path

from ...model.lesson_rules import pandoc_heading_id
from .divs import parse_heading
from .links import LinkResolver

_TEXT = r"(?:\\.|\[[^\]]*\]|[^\]\\])*"
_DEST = r"(?:\\.|[^)\s\\])+"
IMAGE = re.compile(
    r"!\[(?P<alt>" + _TEXT + r")\]\(\s*(?P<src>" + _DEST + r")(?P<title>\s+\"[^\"]*\")?\s*\)"
    r"(?:\{(?P<attrs>(?:\\.|'(?:\\.|[^'\\])*'|\"(?:\\.|[^\"\\])*\"|[^{}'\"])*)\})?"
)
#: The target of an inline link or image: ``](target`` (its text may start lines above).
LINK_TARGET = re.compile(r"\]\(\s*(?P<target><[^>]*>|" + _DEST + r")")
REFDEF = re.compile(r"^(?P<head>[ ]{0,3}\[[^\]^][^\]]*\]:[ \t]*)(?P<target><[^>]*>|\S+)")
HTML_ATTR = re.compile(r"(?P<head>\b(?:src|href)=)(?P<quote>[\"'])(?P<target>[^\"']*)(?P=quote)", re.I)
_CODE_SPAN = re.compile(r"(`+)(?:.+?)\1")
_ATTR = re.compile(
    r"""#(?P<id>[^\s}]+)|\.(?P<cls>[^\s}]+)|(?P<key>[\w-]+)="""
    r"""(?:"(?P<dq>(?:\\.|[^"\\])*)"|'(?P<sq>(?:\\.|[^'\\])*)'|(?P<bare>[^\s}]+))"""
)
_MYST_IMAGE_KEYS = ("width", "height", "align")


def parse_attrs(text: str) -> tuple[str | None, list[str], dict[str, str]]:
    """pandoc attributes (``#id .class key=value``): (id, classes, key-values)."""
    ident, classes, pairs = None, [], {}
    for match in _ATTR.finditer(text or ""):
        if match.group("id"):
            ident = match.group("id")
        elif match.group("cls"):
            classes.append(match.group("cls"))
        else:
            value = next(v for v in (match.group("dq"), match.group("sq"), match.group("bare"), "")
                         if v is not None)
            pairs[match.group("key")] = re.sub(r"\\(.)", r"\1", value)
    return ident, classes, pairs


def outside_code(line: str, change: Callable[[str], str], kept: re.Pattern[str] = _CODE_SPAN) -> str:
    """``change`` applied to the parts of a line that ``kept`` (inline code) does not match."""
    parts, last = [], 0
    for match in kept.finditer(line):
        parts.append(change(line[last : match.start()]))
        parts.append(match.group(0))
        last = match.end()
    parts.append(change(line[last:]))
    return "".join(parts)


def _attr_text(ident: str | None, classes: list[str], pairs: dict[str, str]) -> str:
    items = ([f"#{ident}"] if ident else []) + [f".{c}" for c in classes]
    items += [f'{k}="{v}"' for k, v in pairs.items()]
    return "{" + " ".join(items) + "}" if items else ""


def _one_line(text: str) -> str:
    return " ".join(text.split())


def option_value(text: str) -> str:
    """A directive option's value as MyST reads it: quoted (YAML's double quotes)
    when it starts with a quote or a YAML indicator, or holds ": " or " #"."""
    text = _one_line(text)
    if text[:1] in "'\"[]{}&*!|>%@`," or ": " in text or " #" in text or text.endswith(":"):
        return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'
    return text


def figure_lines(line: str) -> list[str] | None:
    """A paragraph that is one image: a ``figure`` directive when it has a caption,
    an ``image`` directive when it has attributes only; else None."""
    match = IMAGE.fullmatch(line.strip())
    if match is None:
        return None
    ident, classes, pairs = parse_attrs(match.group("attrs") or "")
    caption = match.group("alt").strip()
    if not caption and not match.group("attrs"):
        return None
    # No caption: an image, not a figure (in MyST, "![alt](src)" alone would read
    # as a captioned figure when migrated again).
    directive = "figure" if caption else "image"
    alt = pairs.get("alt") or re.sub(r"[*_`\\]", "", caption)
    out = ["```{" + directive + "} " + match.group("src")]
    if alt:
        out.append(f":alt: {option_value(alt)}")
    for key in _MYST_IMAGE_KEYS:
        if pairs.get(key):
            out.append(f":{key}: {pairs[key]}")
    if classes:
        out.append(":class: " + " ".join(classes))
    if ident:
        out.append(f":name: {ident}")
    return [*out, "", caption, "```"] if caption else [*out, "```"]


def inline_image(match: re.Match[str]) -> str:
    ident, classes, pairs = parse_attrs(match.group("attrs") or "")
    alt = match.group("alt")
    if pairs.get("alt"):
        alt = pairs["alt"].replace("[", "\\[").replace("]", "\\]")
    kept = {k: v for k, v in pairs.items() if k in _MYST_IMAGE_KEYS}
    title = match.group("title") or ""
    return f"![{_one_line(alt)}]({match.group('src')}{title})" + _attr_text(ident, classes, kept)


def heading_with_attrs(line: str, label: Callable[[str], bool]) -> list[str] | None:
    """``## Title {#id .class}`` -> the bare heading, after a MyST label for the id
    when the heading's own (pandoc) id is another and ``label(id)`` allows one;
    None for other lines."""
    heading = parse_heading(line)
    if heading is None or not heading[2] or not re.search(r"\{[^{}]*\}[ \t]*$", line):
        return None
    level, text, attrs = heading
    ident, _classes, _pairs = parse_attrs(attrs)
    head = "#" * level + " " + text
    if ident and ident != pandoc_heading_id(text) and label(ident):
        return [f"({ident})=", head]
    return [head]


def rewrite_targets(line: str, page: Path, links: LinkResolver) -> str:
    """Every link, image and raw HTML target of a line, as :class:`LinkResolver` says."""

    def one(match: re.Match[str], group: str = "target") -> str:
        target = match.group(group)
        bracketed = target.startswith("<") and target.endswith(">")
        new = links.rewrite(page, target[1:-1] if bracketed else target)
        if new is None:
            return match.group(0)
        new = f"<{new}>" if bracketed else new
        start, end = match.span(group)
        whole_start = match.start()
        text = match.group(0)
        return text[: start - whole_start] + new + text[end - whole_start :]

    def change(part: str) -> str:
        part = LINK_TARGET.sub(one, part)
        return HTML_ATTR.sub(one, part)

    refdef = REFDEF.match(line)
    if refdef:
        return one(refdef)
    return outside_code(line, change)


#: What scripts are never looked for in: code spans, link targets, footnote marks,
#: HTML tags and autolinks, math, bare web addresses.
_PROTECTED = re.compile(
    r"(`+).+?\1|\]\([^)]*\)|\[\^[^\]]*\]|<[^>\n]*>|\$[^$]*\$|https?://\S+"
)
#: pandoc's ``^sup^`` and ``~sub~``: no unescaped space inside, and ``~~`` is not one.
_SUP = re.compile(r"\^(?P<text>(?:\\.|[^\s^\\`])+)\^")
_SUB = re.compile(r"(?<!~)~(?P<text>(?:\\.|[^\s~\\`])+)~(?!~)")


#: pandoc's raw inline HTML: ```<br>`{=html}``.
RAW_INLINE = re.compile(r"(?<!`)(`+)(?P<html>(?:(?!\1).)+?)\1\{=html\}")


def raw_inline_html(line: str) -> str:
    """```<br>`{=html}`` as the HTML itself, which MyST writes as it is (pandoc does)."""
    if "{=html}" not in line:
        return line
    return RAW_INLINE.sub(lambda m: m["html"].strip(), line)


def pandoc_scripts(line: str) -> str:
    """``x^2^`` and ``H~2~O`` as MyST's ``{sup}`` and ``{sub}`` roles."""
    if "^" not in line and "~" not in line:
        return line

    def change(part: str) -> str:
        part = _SUP.sub(lambda m: "{sup}`" + re.sub(r"\\(.)", r"\1", m["text"]) + "`", part)
        return _SUB.sub(lambda m: "{sub}`" + re.sub(r"\\(.)", r"\1", m["text"]) + "`", part)

    return outside_code(line, change, _PROTECTED)
