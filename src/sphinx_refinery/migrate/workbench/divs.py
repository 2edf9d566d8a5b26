"""pandoc's fenced divs (``::: challenge`` ... ``:::``), found as pandoc finds them.

A fence of three or more colons followed by a class name or ``{attributes}`` opens
a div; a bare fence closes the innermost open one, whatever its length (MyST's
colon fences close the one with as many colons, hence this module). Nothing
inside fenced code blocks or HTML comments counts. A div's title is a heading
that is its first block; a tab div's labels are its own level-3 headings.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

CODE_FENCE = re.compile(r"^(?P<indent>[ \t]*)(?P<fence>`{3,}|~{3,})[ \t]*(?P<info>.*)$")
DIV_OPEN = re.compile(
    r"^[ ]{0,3}(?P<colons>:{3,})[ \t]*"
    r"(?:\{(?P<attrs>[^}]*)\}|(?P<name>[^\s{}:][^\s{}]*))[ \t]*:*[ \t]*$"
)
DIV_CLOSE = re.compile(r"^[ ]{0,3}:{3,}[ \t]*$")
#: Three colons or more that neither open nor close a div for pandoc (``:::: end challenge``,
#: ``::: {.callout} text``): text there, a fence MyST would open a div with.
FENCE_LIKE = re.compile(r"^[ ]{0,3}:{3,}")
#: A MyST directive fence (``:::{exercise}``): a page migrate already rewrote.
MYST_DIRECTIVE = re.compile(r"^[ \t]*:{3,}\{[^}]*\}")
HEADING = re.compile(r"^[ ]{0,3}(?P<hashes>#{1,6})(?:[ \t]+(?P<text>.*?))?(?:[ \t]+#+)?[ \t]*$")
#: pandoc's attributes at a heading's end: ``## Title {#id .class}``.
HEADING_ATTRS = re.compile(r"[ \t]*\{(?P<attrs>[^{}]*)\}[ \t]*$")
TAB_KINDS = ("tab", "group-tab")


@dataclass
class Div:
    kind: str  # the name, else the first class; "" for neither
    attrs: str  # what the braces hold ("" for ``::: name``)
    start: int  # line index of the opening fence
    parent: int  # index of the enclosing div, -1 at the top
    end: int | None = None  # line index of the closing fence
    children: list[int] = field(default_factory=list)
    title: int | None = None  # line index of the heading that titles it
    labels: list[int] = field(default_factory=list)  # tab divs: their level-3 headings

    @property
    def ident(self) -> str | None:
        match = re.search(r"(?:^|\s)#([^\s}]+)", self.attrs)
        return match.group(1) if match else None

    @property
    def classes(self) -> list[str]:
        return re.findall(r"(?:^|\s)\.([^\s}]+)", self.attrs)


@dataclass
class DivScan:
    divs: list[Div]
    #: Line indexes pandoc reads as text although they look like fences: closes
    #: with no open div, opening fences never closed, colons followed by more than
    #: a class or attributes.
    stray: list[int]
    #: Line indexes inside code blocks or HTML comments.
    literal: set[int]
    #: A MyST directive fence was seen: the page was migrated already.
    migrated: bool
    #: Line indexes of code blocks' opening fences.
    code_opens: list[int] = field(default_factory=list)
    #: Line indexes in HTML comments that MyST would read as a colon fence closing the
    #: box around the comment (it reads comments after fences).
    comment_fences: list[int] = field(default_factory=list)


def parse_heading(line: str) -> tuple[int, str, str] | None:
    """(level, text, attributes) of an ATX heading line, else None."""
    match = HEADING.match(line)
    if match is None or not match.group("text"):
        return None
    text = match.group("text")
    attrs = ""
    found = HEADING_ATTRS.search(text)
    if found:
        attrs = found.group("attrs")
        text = text[: found.start()]
    return len(match.group("hashes")), text.strip(), attrs


def scan_divs(lines: list[str], start: int = 0) -> DivScan:
    """Every fenced div of ``lines`` (from index ``start``, after the front matter)."""
    divs: list[Div] = []
    stack: list[int] = []
    stray: list[int] = []
    literal: set[int] = set()
    migrated = False
    fence: str | None = None
    in_comment = False
    waiting: int | None = None  # the div whose first block is still to come
    code_opens: list[int] = []
    comment_fences: list[int] = []
    for index in range(start, len(lines)):
        line = lines[index]
        if fence is not None:
            literal.add(index)
            body = line.strip()
            if body and set(body) == {fence[0]} and len(body) >= len(fence):
                fence = None
            continue
        if in_comment:
            literal.add(index)
            if FENCE_LIKE.match(line):
                comment_fences.append(index)
            if "-->" in line:
                in_comment = False
            continue
        code = CODE_FENCE.match(line)
        if code and not (code.group("fence")[0] == "`" and "`" in code.group("info")):
            fence = code.group("fence")
            literal.add(index)
            code_opens.append(index)
            waiting = None
            continue
        if line.lstrip().startswith("<!--"):
            rest = line.split("<!--", 1)[1]
            if "-->" not in rest:
                in_comment = True
            literal.add(index)
            continue
        if MYST_DIRECTIVE.match(line):
            migrated = True
            continue
        opening = DIV_OPEN.match(line)
        if opening:
            attrs = opening.group("attrs")
            if attrs is not None:
                classes = re.findall(r"(?:^|\s)\.([^\s}]+)", attrs)
                kind = classes[0] if classes else ""
            else:
                kind, attrs = opening.group("name"), ""
            div = Div(kind, attrs.strip(), index, stack[-1] if stack else -1)
            if stack:
                divs[stack[-1]].children.append(len(divs))
            stack.append(len(divs))
            divs.append(div)
            waiting = len(divs) - 1
            continue
        if DIV_CLOSE.match(line):
            if stack:
                divs[stack.pop()].end = index
            else:
                stray.append(index)
            waiting = None
            continue
        if FENCE_LIKE.match(line):
            stray.append(index)
            waiting = None
            continue
        if not line.strip():
            continue
        heading = parse_heading(line)
        top = divs[stack[-1]] if stack else None
        if heading and top is not None and top.kind in TAB_KINDS:
            if heading[0] == 3:
                top.labels.append(index)
        elif heading and waiting is not None:
            divs[waiting].title = index
        waiting = None
    # pandoc reads an opening fence that is never closed as text; the divs
    # inside it keep their own fences.
    for open_index in stack:
        stray.append(divs[open_index].start)
    kept = _without_unclosed(divs)
    return DivScan(kept, sorted(stray), literal, migrated, code_opens, comment_fences)


def _without_unclosed(divs: list[Div]) -> list[Div]:
    """The closed divs, their parents and children re-indexed past the unclosed ones."""
    keep = [i for i, div in enumerate(divs) if div.end is not None]
    new_index = {old: new for new, old in enumerate(keep)}

    def closed_parent(i: int) -> int:
        while i >= 0 and divs[i].end is None:
            i = divs[i].parent
        return new_index.get(i, -1)

    result = []
    for old in keep:
        div = divs[old]
        result.append(
            Div(div.kind, div.attrs, div.start, closed_parent(div.parent), div.end,
                [], div.title, list(div.labels))
        )
    for new, div in enumerate(result):
        if div.parent >= 0:
            result[div.parent].children.append(new)
    return result
