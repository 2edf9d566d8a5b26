"""Lesson boxes as the Carpentries Workbench's fenced divs, and back: the one rule the
export writes by and the import reads by, so that a lesson exported and imported again
has the boxes it had.

A box kind the Workbench styles is its div (exercise: ``challenge``). A kind it lacks is
the nearest div with the kind's own name as a second class (``::: {.challenge .demo}``);
the import reads that class back as the kind. What the Workbench has no place for rides
on the div as attributes, which pandoc keeps and sandpaper ignores: a box's minutes
(``time="10"``), the exercise a solution names (``exercise="ex-rename"``), and
``placed="after"`` on a solution that stood after the box it answers, which the
Workbench nests in that box (the import puts it back after it).
"""

from __future__ import annotations

import re
from collections.abc import Container, Mapping, Sequence
from typing import Any

from .lesson_rules import KIND_OF_DIRECTIVE, KINDS, QUESTION_KINDS, SOLUTION

#: sphinx-refinery box kind -> the Workbench div it is written as (and read from).
DIV_OF_KIND = {
    "exercise": "challenge",
    "solution": "solution",
    "instructor-note": "instructor",
    "callout": "callout",
    "objectives": "objectives",
    "questions": "questions",
    "keypoints": "keypoints",
    "prerequisites": "prereq",
    "checklist": "checklist",
    "discussion": "discussion",
    "testimonial": "testimonial",
    # The Workbench's own kinds, which sphinx-refinery has too.
    "spoiler": "spoiler",
    "hint": "hint",
    "caution": "caution",
}
#: Workbench div -> sphinx-refinery box kind.
KIND_OF_DIV = {div: kind for kind, div in DIV_OF_KIND.items()}

#: Built-in kinds with no Workbench div: the nearest one, and why.
NEAREST = {
    "demo": ("challenge", "the Workbench has no demo box; a challenge is a task done in class"),
    "type-along": ("challenge", "the Workbench has no type-along box; a challenge is a task done in class"),
    "homework": ("challenge", "the Workbench has no homework box"),
    "output": ("callout", "the Workbench has no output box"),
    "toggle": ("spoiler", "the Workbench's folded box is a spoiler"),
}
#: The div a kind of the lesson's own (``refinery_box_kinds``) is written as.
OWN_KIND_DIV = "callout"

#: docutils' own admonitions (``note``, ``warning``, ...) -> the Workbench's nearest div.
#: They are written with a second class naming them (``{.callout .docutils-note}``: a
#: name no Workbench lesson uses), which the import reads back as that admonition.
#: The Workbench's hint is folded, docutils' is not: a callout.
DIV_OF_ADMONITION = {
    "admonition": "callout",
    "note": "callout",
    "tip": "callout",
    "important": "callout",
    "seealso": "callout",
    "hint": "callout",
    "attention": "caution",
    "caution": "caution",
    "warning": "caution",
    "danger": "caution",
    "error": "caution",
}
ADMONITION_CLASS_PREFIX = "docutils-"
#: Their titles as the HTML build shows them (a generic ``admonition`` has its own).
ADMONITION_TITLES = {
    "note": "Note",
    "tip": "Tip",
    "important": "Important",
    "seealso": "See also",
    "attention": "Attention",
    "caution": "Caution",
    "warning": "Warning",
    "danger": "Danger",
    "error": "Error",
    "hint": "Hint",
}

#: Div attributes the export writes and the import reads.
TIME = "time"
EXERCISE = "exercise"
PLACED = "placed"
AFTER = "after"

#: config.yaml's key for the settings a round trip needs (sandpaper ignores it):
#: ``number_exercises`` and ``box_kinds``, as conf.py's ``refinery_`` settings.
CONFIG_KEY = "sphinx-refinery"
CONFIG_SETTINGS = ("number_exercises", "box_kinds")

_ATTRIBUTE = re.compile(r"""(?:^|\s)([A-Za-z_][\w.:-]*)=(?:"([^"]*)"|'([^']*)'|([^\s"']+))""")


def div_of(kind: str) -> tuple[str, str | None]:
    """(the div a box kind is written as, why it is not the kind's own or None)."""
    if kind in DIV_OF_KIND:
        return DIV_OF_KIND[kind], None
    if kind in NEAREST:
        return NEAREST[kind]
    return OWN_KIND_DIV, f"the Workbench has no {kind!r} box (a kind of this lesson's own)"


def kind_of_div(classes: Sequence[str], own_kinds: Container[str] = ()) -> str | None:
    """The box kind of a div's classes (None: not a box).

    A further class naming a kind that the export writes as this div is that kind
    (``{.challenge .demo}`` is a demo); a kind of the lesson's own counts when
    ``own_kinds`` (config.yaml's ``box_kinds``) names it. Otherwise the first class's kind.
    """
    if not classes:
        return None
    first = classes[0]
    for extra in classes[1:]:
        if extra in NEAREST and NEAREST[extra][0] == first:
            return extra
        if first == OWN_KIND_DIV and extra in own_kinds and extra not in DIV_OF_KIND:
            return extra
    return KIND_OF_DIV.get(first)


def admonition_class(name: str) -> str:
    """The second class a docutils admonition is written with (``docutils-note``)."""
    return ADMONITION_CLASS_PREFIX + name


def admonition_of_div(classes: Sequence[str]) -> str | None:
    """The docutils admonition an exported div stands for (None: not one)."""
    for extra in classes[1:]:
        name = extra.removeprefix(ADMONITION_CLASS_PREFIX)
        if extra != name and DIV_OF_ADMONITION.get(name) == classes[0]:
            return name
    return None


def div_attributes(attrs: str) -> dict[str, str]:
    """The ``key="value"`` attributes of a pandoc attribute list (``{.challenge time="5"}``)."""
    return {m[1]: next(v for v in m.groups()[1:] if v is not None) for m in _ATTRIBUTE.finditer(attrs)}


def timed_kinds(own_kinds: Mapping[str, Any]) -> set[str]:
    """Kinds whose boxes take minutes: the built-in timed ones, and own kinds declared ``timed``."""
    timed = {kind.name for kind in KINDS if kind.timed}
    timed |= {name for name, options in own_kinds.items() if isinstance(options, Mapping) and options.get("timed")}
    return timed


def returns_after(kind: str | None, owner_kind: str | None, last_in_owner: bool, attributes: Mapping[str, str]) -> bool:
    """Import: a solution div marked ``placed="after"``, the last block of the question box
    holding it, goes back after that box; any other nested solution stays nested."""
    return (
        kind == SOLUTION
        and owner_kind in QUESTION_KINDS
        and last_in_owner
        and attributes.get(PLACED) == AFTER
    )


_KIND_OPTIONS = {"title": str, "timed": bool, "collapsible": str, "icon": str, "aliases": list}
_NAME = re.compile(r"[a-z][a-z0-9]*(?:-[a-z0-9]+)*")


def refinery_settings(config: Mapping[str, Any]) -> tuple[dict[str, Any], list[str]]:
    """The ``refinery_`` settings config.yaml's :data:`CONFIG_KEY` holds (plain values only,
    for conf.py), and what was left out of them and why."""
    given = config.get(CONFIG_KEY)
    if given is None:
        return {}, []
    if not isinstance(given, Mapping):
        return {}, [f"{CONFIG_KEY}: not a mapping of settings: left out"]
    settings: dict[str, Any] = {}
    problems = [f"{CONFIG_KEY}: {key!r} is not a setting an import reads: left out"
                for key in given if key not in CONFIG_SETTINGS]
    number = given.get("number_exercises")
    if number in (True, "episode", "lesson"):
        settings["number_exercises"] = number
    elif number not in (None, False):
        problems.append(f"{CONFIG_KEY}: number_exercises {number!r} is not episode or lesson: left out")
    kinds = given.get("box_kinds")
    if isinstance(kinds, Mapping):
        kept = {}
        for name, options in kinds.items():
            if not isinstance(name, str) or not _NAME.fullmatch(name) or name in KIND_OF_DIRECTIVE:
                problems.append(f"{CONFIG_KEY}: box kind {name!r} is not a new kind's name: left out")
                continue
            options = options if isinstance(options, Mapping) else {}
            entry = {key: value for key, value in options.items()
                     if key in _KIND_OPTIONS and isinstance(value, _KIND_OPTIONS[key])
                     and (key != "aliases" or all(isinstance(a, str) for a in value))}
            if len(entry) != len(options):
                problems.append(f"{CONFIG_KEY}: box kind {name!r}: options other than plain "
                                f"{', '.join(_KIND_OPTIONS)} left out")
            kept[name] = entry
        if kept:
            settings["box_kinds"] = kept
    elif kinds is not None:
        problems.append(f"{CONFIG_KEY}: box_kinds is not a mapping of kinds: left out")
    return settings, problems
