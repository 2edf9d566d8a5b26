"""pandoc divs become MyST colon fences: the Workbench's kinds become lesson boxes and tabs.

Each div's fence gets as many colons as MyST needs to nest it (three more than
the deepest fence inside), so pandoc's rule (a bare fence closes the innermost
div) and MyST's (a fence closes the one with as many colons) agree. A heading
that is a box's first block becomes its title; a tab div's level-3 headings
become its tabs. Kinds the Workbench does not style stay plain divs.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field

from .divs import TAB_KINDS, Div, DivScan, parse_heading

#: Workbench div kind -> sphinx-refinery box kind.
BOX_OF_DIV = {
    "challenge": "exercise",
    "solution": "solution",
    "instructor": "instructor-note",
    "callout": "callout",
    "objectives": "objectives",
    "questions": "questions",
    "keypoints": "keypoints",
    "prereq": "prerequisites",
    "checklist": "checklist",
    "discussion": "discussion",
    "testimonial": "testimonial",
    "spoiler": "spoiler",
    "hint": "hint",
    "caution": "caution",
}


@dataclass
class BoxRewrite:
    """What :func:`rewrite_divs` changed, for the report."""

    replacements: dict[int, list[str]] = field(default_factory=dict)
    boxes: int = 0
    tabs: int = 0
    plain: list[str] = field(default_factory=list)
    notes: list[tuple[int, str]] = field(default_factory=list)


def _levels(div: Div) -> int:
    return 2 if div.kind in TAB_KINDS and div.labels else 1


def _heights(divs: list[Div]) -> list[int]:
    heights = [0] * len(divs)
    for index in range(len(divs) - 1, -1, -1):  # children come after their parent
        div = divs[index]
        heights[index] = max(
            (heights[c] + _levels(divs[c]) for c in div.children), default=0
        )
    return heights


def _option_lines(options: dict[str, str]) -> list[str]:
    return [f":{name}: {value}" for name, value in options.items() if value]


def rewrite_divs(
    lines: list[str],
    scan: DivScan,
    title_name: dict[int, str],
    claim: Callable[[str, int], bool] = lambda name, line: True,
) -> BoxRewrite:
    """The line replacements that turn the page's divs into MyST.

    ``title_name`` maps a title heading's line index to the box label it must
    carry (its pandoc id, when a link points at it). ``claim(name, line)`` says
    whether a box may take a label (labels are the whole lesson's).
    """
    result = BoxRewrite()
    heights = _heights(scan.divs)
    out = result.replacements
    for index, div in enumerate(scan.divs):
        # A div in a list item keeps the item's indentation.
        indent = lines[div.start][: len(lines[div.start]) - len(lines[div.start].lstrip())]
        colons = indent + ":" * (3 + heights[index])
        assert div.end is not None
        box = BOX_OF_DIV.get(div.kind)
        if div.kind in TAB_KINDS and div.labels:
            _tabs(lines, div, colons, out)
            result.tabs += 1
            continue
        if box is None:
            # sandpaper leaves other divs as they are: a plain <div class="kind">.
            name = re.sub(r"[^\w:.-]", "", div.kind) or ""
            head = [f"{indent}({div.ident})="] if div.ident else []
            out[div.start] = [*head, f"{colons} {name}".rstrip()]
            out[div.end] = [colons]
            if div.kind:
                result.plain.append(div.kind)
            continue
        title = ""
        options: dict[str, str] = {}
        if div.title is not None:
            heading = parse_heading(lines[div.title])
            assert heading is not None
            _level, title, attrs = heading
            explicit = re.search(r"(?:^|\s)#([^\s}]+)", attrs)
            if explicit:
                options["name"] = explicit.group(1)
            elif div.title in title_name:
                options["name"] = title_name[div.title]
            for index_ in range(div.start + 1, div.title + 1):
                out[index_] = []  # the heading, and the blank lines before it
        if div.ident and "name" not in options:
            options["name"] = div.ident
        if "name" in options and not claim(options["name"], div.start):
            del options["name"]
        extra = [c for c in div.classes if c != div.kind]
        if extra:
            options["class"] = " ".join(extra)
        opening = f"{colons}{{{box}}}" + (f" {title}" if title else "")
        out[div.start] = [opening, *(indent + line for line in _option_lines(options))]
        out[div.end] = [colons]
        result.boxes += 1
    for index in scan.stray:
        # pandoc reads these as text; MyST would open a div that runs to the end.
        out[index] = ["\\" + lines[index].lstrip()]
        result.notes.append(
            (index + 1, "a div fence that opens or closes nothing: kept as text, as pandoc does")
        )
    return result


def _tabs(lines: list[str], div: Div, colons: str, out: dict[int, list[str]]) -> None:
    """A tab div: a ``tabs`` set with one tab per level-3 heading."""
    assert div.end is not None
    item = "group-tab" if div.kind == "group-tab" else "tab"
    outer = colons + ":"
    out[div.start] = []
    for number, label_line in enumerate(div.labels):
        heading = parse_heading(lines[label_line])
        assert heading is not None
        label = heading[1] or f"Tab {number + 1}"
        opening = [f"{colons}{{{item}}} {label}"]
        if number == 0:
            out[label_line] = [f"{outer}{{tabs}}", *opening]
        else:
            out[label_line] = [colons, "", *opening]
    out[div.end] = [colons, outer]
