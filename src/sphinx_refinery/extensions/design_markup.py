"""sphinx-design's own markup: its directive and role names, and whether a text uses them.

The one home of that knowledge: the source scan asks it of every file, the build of
conf.py, and the checker takes the names it may see in a lesson from it.
"""

from __future__ import annotations

import functools
import os
import re
from pathlib import Path
from typing import Any, NamedTuple

EXTENSION = "sphinx_design"
#: A page's front-matter field that sphinx-design reads (it hides the page's title).
_FIELD = re.compile(r"\bsd_hide_title\b")
#: A conf.py line that sets one of sphinx-design's options.
_OPTION = re.compile(r"^\s*sd_\w+\s*=", re.MULTILINE)


class Markup(NamedTuple):
    directives: frozenset[str]
    roles: frozenset[str]


class _Recorder:
    """Stands in for the application while sphinx-design's setup runs: keeps the names."""

    def __init__(self) -> None:
        self.directives: set[str] = set()
        self.roles: set[str] = set()

    def add_directive(self, name: str, *args: Any, **kwargs: Any) -> None:
        self.directives.add(name.lower())

    def add_role(self, name: str, *args: Any, **kwargs: Any) -> None:
        self.roles.add(name.lower())

    def __getattr__(self, name: str) -> Any:
        return lambda *args, **kwargs: None


@functools.cache
def markup() -> Markup:
    """The directive and role names sphinx-design registers, read from its own setup.

    Empty when its setup cannot be read that way (a sphinx-design that changed):
    then :func:`.design.wants_all` sets it up in full.
    """
    recorder = _Recorder()
    try:
        from sphinx_design.extension import setup_extension

        setup_extension(recorder)  # type: ignore[arg-type]
    except Exception:  # noqa: BLE001 - any failure means: do not guess, set it all up
        return Markup(frozenset(), frozenset())
    return Markup(frozenset(recorder.directives), frozenset(recorder.roles))


#: Where markup names stand (in lower-cased text: docutils' names ignore case). Generic
#: patterns, then a set look-up: far quicker than one pattern of every name.
_BRACED = re.compile(r"\{([\w-]+)\}")  # MyST: ```{grid}, :::{card}, {bdg-info}`text`
_RST_DIRECTIVE = re.compile(r"\.\.[ \t]+([\w-]+)[ \t]*::")  # .. grid::
_RST_ROLE = re.compile(r":([\w-]+):`")  # :octicon:`x` (a look-behind: 20 times slower)


def uses_markup(text: str) -> bool:
    """The text uses one of sphinx-design's directives, roles or fields."""
    if "sd_hide_title" in text and _FIELD.search(text):
        return True
    if not can_set_up_tab_sets_alone():
        return False
    names = markup()
    text = text.lower()
    braced = set(_BRACED.findall(text))
    if not (names.directives.isdisjoint(braced) and names.roles.isdisjoint(braced)):
        return True
    if "::" in text and not names.directives.isdisjoint(_RST_DIRECTIVE.findall(text)):
        return True
    return ":`" in text and not names.roles.isdisjoint(_RST_ROLE.findall(text))


def conf_asks_for_it(confdir: str | os.PathLike[str] | None) -> bool:
    """conf.py sets an ``sd_`` option or uses sphinx-design's markup (in a prolog or epilog)."""
    if confdir is None:
        return False
    try:
        text = Path(confdir, "conf.py").read_text(encoding="utf-8", errors="replace")
    except OSError:
        return False
    return bool(_OPTION.search(text)) or uses_markup(text)


@functools.cache
def can_set_up_tab_sets_alone() -> bool:
    """This sphinx-design has the pieces :func:`.design.set_up_tab_sets` takes, and its names are known."""
    try:
        from sphinx_design import extension, tabs
    except ImportError:
        return False
    pieces = {
        extension: ("STATIC_DIR", "visit_container", "depart_container"),
        tabs: ("TabSetHtmlTransform", "sd_tab_input", "sd_tab_label", "visit_tab_input",
               "depart_tab_input", "visit_tab_label", "depart_tab_label"),
    }
    names = markup()
    return bool(names.directives and names.roles) and all(
        hasattr(module, name) for module, wanted in pieces.items() for name in wanted
    )


