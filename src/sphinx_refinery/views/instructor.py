"""Instructor and learner views from one build, aggregate pages, presentation mode.

The HTML carries everything; a small script (static/sphinx-refinery.js) switches
views by putting a class on ``<html>``, so without JavaScript everything shows.
The script reads its settings and translated labels from a JSON block, never
from strings formatted into code.
"""

from __future__ import annotations

import re
from typing import Any

from sphinx.application import Sphinx
from sphinx_design.icons import get_octicon_data

from ..locale import _
from ..util.htmljson import html_json
from .lists import BoxList

CONFIG_ELEMENT_ID = "sphinx-refinery-config"
#: The tools' icons (Octicons): the script draws them from their path data.
TOOL_ICONS = {"view": "mortar-board", "solutions": "eye", "present": "screen-full"}


def octicon_paths(name: str) -> list[str]:
    """The ``d`` attributes of a 16 px Octicon's paths."""
    return re.findall(r' d="([^"]+)"', get_octicon_data()[name]["heights"]["16"]["path"])


class InstructorGuide(BoxList):
    """``instructor-guide``: every instructor note, by episode, each linking back."""

    purpose = "instructor-notes"


class KeypointsSummary(BoxList):
    """``keypoints-summary``: every episode's key points, each linking back."""

    purpose = "keypoints"


def script_config(app: Sphinx) -> dict[str, Any]:
    """What the page script needs: settings and translated labels."""
    return {
        "views": app.config.refinery_instructor_notes == "toggle",
        "defaultView": app.config.refinery_default_view,
        "icons": {tool: octicon_paths(name) for tool, name in TOOL_ICONS.items()},
        # The fold marker the script puts in a folded theme admonition's title.
        "marker": octicon_paths("chevron-right"),
        "labels": {
            "learner": str(_("Learner view")),
            "instructor": str(_("Instructor view")),
            "switchToLearner": str(_("Switch to the learner view")),
            "switchToInstructor": str(_("Switch to the instructor view")),
            "expandSolutions": str(_("Expand all solutions")),
            "collapseSolutions": str(_("Collapse all solutions")),
            "present": str(_("Presentation mode (P); arrow keys step through sections")),
            "presentShort": str(_("Present")),
            "toolbar": str(_("Lesson tools")),
        },
    }


def add_script_config(app: Sphinx) -> None:
    """``builder-inited``: the JSON block the script reads (HTML builders only)."""
    if app.builder.format != "html":
        return
    payload = html_json(script_config(app))
    app.add_js_file(None, body=payload, type="application/json", id=CONFIG_ELEMENT_ID, priority=100)


def setup(app: Sphinx) -> None:
    app.add_directive("instructor-guide", InstructorGuide)
    app.add_directive("keypoints-summary", KeypointsSummary)
    app.connect("builder-inited", add_script_config)
