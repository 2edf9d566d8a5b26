"""Editions: the boxes a build leaves out (hidden solutions or instructor notes, an
``only`` whose tags are not set), and keeping their source unpublished."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

from docutils import nodes
from sphinx import addnodes
from sphinx.application import Sphinx
from sphinx.environment import BuildEnvironment

from ..model.lesson_rules import SOLUTION
from ..model.records import DOMAIN


def left_out_when_written(node: nodes.Node, tags: Any, config: Any, builder: str) -> bool | None:
    """Whether a directive that drops its content at write time leaves the node out of
    this build: ``only`` (tags), ``ifconfig`` (settings) and a ``todo`` that
    ``todo_include_todos`` leaves out. None when none of them encloses it (so the
    page need not be read again when the tags, settings or builder change)."""
    found = None
    parent = node.parent
    while parent is not None:
        keep = _kept(parent, tags, config, builder)
        if keep is False:
            return True
        if keep is not None:
            found = False
        parent = parent.parent
    return found


def _kept(node: nodes.Node, tags: Any, config: Any, builder: str) -> bool | None:
    """Whether a conditional node keeps its content; None for any other node."""
    if isinstance(node, addnodes.only):
        try:
            return bool(tags.eval_condition(node["expr"]))
        except Exception:  # noqa: BLE001  Sphinx keeps it, and warns when writing
            return True
    if config is None or not isinstance(node, nodes.Element):
        return None
    if node.tagname == "ifconfig":  # sphinx.ext.ifconfig, evaluated as it does
        namespace = {value.name: value.value for value in config}
        namespace.update(vars(config))
        namespace["builder"] = builder
        try:
            return bool(eval(node["expr"], namespace))  # conf.py's own expression, as ifconfig does
        except Exception:  # noqa: BLE001  ifconfig raises it when writing
            return True
    if node.tagname == "todo_node":  # sphinx.ext.todo
        return bool(getattr(config, "todo_include_todos", True))
    return None


def edition_hides(config: Any) -> set[str]:
    """Kinds left out of this edition (a handout without solutions, a learners' edition)."""
    return {
        kind
        for kind, hide in (
            (SOLUTION, config.refinery_solutions == "hidden"),
            ("instructor-note", config.refinery_instructor_notes == "hidden"),
        )
        if hide
    }


def reread_for_new_tags(
    app: Sphinx, env: BuildEnvironment, added: set[str], changed: set[str], removed: set[str]
) -> list[str]:
    """``env-get-outdated``: pages with boxes inside an ``only`` or an ``ifconfig``, when
    the tags changed (which boxes they keep was decided when they were read; the tags
    name the builder, which ``ifconfig`` sees; a changed setting rereads every page)."""
    tags = sorted(app.builder.tags)  # they name the builder too
    previous = getattr(env, TAGS_ATTRIBUTE, tags)
    setattr(env, TAGS_ATTRIBUTE, tags)
    if previous == tags:
        return []
    guarded = env.domains[DOMAIN].data["guarded"]
    return sorted(d for d in guarded if d in env.found_docs)


TAGS_ATTRIBUTE = "refinery_tags"


def no_source_for_hidden(
    app: Sphinx, pagename: str, templatename: str, context: dict[str, Any], doctree: Any
) -> None:
    """``html-page-context``: a page with boxes this edition leaves out gets no copy of
    its source in ``_sources`` (it holds them all), nor a link to one."""
    if doctree is None or not context.get("sourcename"):
        return
    if not app.env.domains[DOMAIN].has_hidden(pagename) and not _names_hidden_kinds(app, pagename):
        return
    # A copy an earlier build of this folder made would still publish them.
    (Path(app.outdir) / "_sources" / context["sourcename"]).unlink(missing_ok=True)
    context["sourcename"] = ""


def _names_hidden_kinds(app: Sphinx, pagename: str) -> bool:
    """The page's source names a kind this edition hides: even a box that failed to
    parse (and so was never recorded) is in the source, as written."""
    kinds = edition_hides(app.config)
    if not kinds:
        return False
    try:
        text = Path(app.env.doc2path(pagename)).read_text(encoding="utf-8", errors="replace")
    except OSError:
        return False
    return hidden_directive(kinds).search(text) is not None


def hidden_directive(kinds: set[str]) -> re.Pattern[str]:
    """A directive of one of ``kinds``, in MyST or rST."""
    names = "|".join(re.escape(kind) for kind in sorted(kinds))
    return re.compile(rf"\{{({names})\}}|\.\.\s+({names})\s*::")


def setup(app: Sphinx) -> None:
    app.connect("env-get-outdated", reread_for_new_tags)
    app.connect("html-page-context", no_source_for_hidden)
