"""A timed box's duration, "(10 min)", after its title.

Put in by a transform after Sphinx's translation of the page (which replaces a
translated title's children), so a translated title keeps it.
"""

from __future__ import annotations

from typing import Any

from docutils import nodes
from sphinx.application import Sphinx
from sphinx.transforms import SphinxTransform

from ..locale import _
from .titles import DURATION_CLASS


class BoxDurations(SphinxTransform):
    """Add "(N min)" to the title of each box with a ``:time:``."""

    # After sphinx.transforms.i18n.Locale (20), which translates titles.
    default_priority = 25

    def apply(self, **kwargs: Any) -> None:
        for node in self.document.findall(nodes.admonition):
            minutes = node.get("refinery_time")
            if minutes is None or not node.children or not isinstance(node[0], nodes.title):
                continue
            title = node[0]
            if title.children and isinstance(title[-1], nodes.Text):
                last = title[-1]
                title.replace(last, nodes.Text(last.rstrip()))  # one space before the duration
            title += nodes.Text(" ")
            title += nodes.inline("", _("(%d min)") % minutes, classes=[DURATION_CLASS])


def setup(app: Sphinx) -> None:
    app.add_transform(BoxDurations)
