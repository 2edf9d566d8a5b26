"""pandoc divs become MyST colon fences: the Workbench's kinds become lesson boxes and tabs.

Each div's fence gets as many colons as MyST needs to nest it (three more than
the deepest fence inside), so pandoc's rule (a bare fence closes the innermost
div) and MyST's (a fence closes the one with as many colons) agree. A heading
that is a box's first block becomes its title; a tab div's level-3 headings
become its tabs. Kinds the Workbench does not style stay plain divs.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field

from ...model import workbench_forms as forms
from ...model.lesson_rules import SOLUTION, parse_minutes
from ...model.workbench_forms import KIND_OF_DIV
from .divs import TAB_KINDS, Div, DivScan, parse_heading

#: Workbench div kind -> sphinx-refinery box kind (the model's rule, which the export shares).
BOX_OF_DIV = KIND_OF_DIV


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
    own_kinds: Mapping[str, object] | None = None,
) -> BoxRewrite:
    """The line replacements that turn the page's divs into MyST.

    ``title_name`` maps a title heading's line index to the box label it must
    carry (its pandoc id, when a link points at it). ``claim(name, line)`` says
    whether a box may take a label (labels are the whole lesson's). ``own_kinds``: the
    lesson's own box kinds (config.yaml's, from an export), which a div's second class names.
    """
    result = BoxRewrite()
    heights = _heights(scan.divs)
    out = result.replacements
    own_kinds = own_kinds or {}
    timed = forms.timed_kinds(own_kinds)
    # A div in a list item keeps the item's indentation.
    indents = [lines[d.start][: len(lines[d.start]) - len(lines[d.start].lstrip())] for d in scan.divs]
    fences = [indents[i] + ":" * (3 + heights[i]) for i in range(len(scan.divs))]
    kinds = [forms.kind_of_div(d.classes or [d.kind], own_kinds) for d in scan.divs]
    closed: set[int] = set()  # boxes closed early: a solution goes back after them
    for index, div in enumerate(scan.divs):
        indent, colons = indents[index], fences[index]
        assert div.end is not None
        box = kinds[index]
        if div.kind in TAB_KINDS and div.labels:
            _tabs(lines, div, colons, out)
            result.tabs += 1
            continue
        admonition = forms.admonition_of_div(div.classes)
        if admonition is not None:
            _admonition(lines, div, admonition, colons, indent, out, claim)
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
        extra = [c for c in div.classes if c not in (div.kind, box)]
        if extra:
            options["class"] = " ".join(extra)
        attributes = forms.div_attributes(div.attrs)
        options.update(_attribute_options(box, attributes, timed, div.start + 1, result))
        opening = f"{colons}{{{box}}}" + (f" {title}" if title else "")
        out[div.start] = [opening, *(indent + line for line in _option_lines(options))]
        out[div.end] = [colons]
        owner = scan.divs[div.parent] if div.parent >= 0 else None
        if owner is not None and forms.returns_after(
            box, kinds[div.parent], _last_in(lines, scan.divs, index, kinds), attributes
        ):
            # the export nested a solution that stood after its box: back after it (the
            # first of several closes the box)
            if div.parent not in closed:
                closed.add(div.parent)
                out[div.start] = [fences[div.parent], "", *out[div.start]]
            out[owner.end] = []
        result.boxes += 1
    for index in scan.stray:
        # pandoc reads these as text; MyST would open a div that runs to the end.
        out[index] = ["\\" + lines[index].lstrip()]
        result.notes.append(
            (index + 1, "a div fence that opens or closes nothing: kept as text, as pandoc does")
        )
    return result


def _admonition(
    lines: list[str], div: Div, name: str, colons: str, indent: str, out: dict[int, list[str]],
    claim: Callable[[str, int], bool],
) -> None:
    """An exported docutils admonition (``{.callout .docutils-note}``) back as it was: the
    admonition, titled only where its title is not the default one (``note`` takes none)."""
    title = ""
    if div.title is not None:
        heading = parse_heading(lines[div.title])
        assert heading is not None
        title = heading[1]
        for index in range(div.start + 1, div.title + 1):
            out[index] = []
    options: dict[str, str] = {}
    classes = [c for c in div.classes[1:] if c != forms.admonition_class(name)]
    if name != "admonition" and title and title != forms.ADMONITION_TITLES[name]:
        classes.insert(0, name)  # titled otherwise: a generic admonition of that class
        name = "admonition"
    title = (title or forms.ADMONITION_TITLES["note"]) if name == "admonition" else ""
    if classes:
        options["class"] = " ".join(classes)
    if div.ident and claim(div.ident, div.start):
        options["name"] = div.ident
    opening = f"{colons}{{{name}}}" + (f" {title}" if title else "")
    out[div.start] = [opening, *(indent + line for line in _option_lines(options))]
    out[div.end] = [colons]


def _attribute_options(
    box: str, attributes: Mapping[str, str], timed: set[str], line: int, result: BoxRewrite
) -> dict[str, str]:
    """A box's options from the div's attributes an export writes: its minutes and the
    exercise a solution names."""
    options = {}
    if forms.TIME in attributes:
        minutes = parse_minutes(attributes[forms.TIME])
        if box in timed and minutes is not None:
            options["time"] = str(minutes)
        else:
            why = "is not a whole number of minutes" if minutes is None else f"a {box} box takes no minutes"
            result.notes.append((line, f"time={attributes[forms.TIME]!r}: {why}: left out"))
    named = attributes.get(forms.EXERCISE, "").strip()
    if named and box == SOLUTION:
        options["exercise"] = named
    return options


def _last_in(lines: list[str], divs: list[Div], index: int, kinds: list[str | None]) -> bool:
    """Only blank lines, and solutions the export moved in too, follow the div in its owner."""
    div, owner = divs[index], divs[divs[index].parent]
    assert div.end is not None and owner.end is not None
    end = div.end
    for sibling in owner.children[owner.children.index(index) + 1 :]:
        after = divs[sibling]
        if any(line.strip() for line in lines[end + 1 : after.start]) or not (
            kinds[sibling] == SOLUTION and forms.div_attributes(after.attrs).get(forms.PLACED) == forms.AFTER
        ):
            return False
        assert after.end is not None
        end = after.end
    return all(not line.strip() for line in lines[end + 1 : owner.end])


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
