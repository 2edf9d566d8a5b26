"""The timing badge under each episode's title, from its collected record."""

from __future__ import annotations

from typing import Any

from docutils import nodes
from sphinx.application import Sphinx
from sphinx.transforms.post_transforms import SphinxPostTransform

from ..locale import _
from ..model import lesson_rules
from ..model.schedule import EpisodeTiming, format_duration
from ..pages.scope import one_page
from .reader import scheduled_timings


class TimingBadges(SphinxPostTransform):
    """Put each episode's timing badge under its title, from its collected record.

    A document that gathers pages (singlehtml, LaTeX) names each section's page
    in its ``docname``: each page gets its own badge.
    """

    default_priority = 20

    def run(self, **kwargs: Any) -> None:
        show = self.config.refinery_show_timing
        known = scheduled_timings(self.env)
        if show == "none" or not known:
            return
        if one_page(self):
            # The page's own title is its first section.
            record = known.get(self.env.docname)
            section = next(self.document.findall(nodes.section), None) if record else None
            if section is not None:
                _add_badge(show, section, record)
            return
        seen: set[str] = set()
        for section in list(self.document.findall(nodes.section)):
            docname = section.get("docname", self.env.docname)
            if docname in seen:
                continue
            seen.add(docname)
            record = known.get(docname)
            if record is not None:
                _add_badge(show, section, record)


def _add_badge(show: str, section: nodes.section, record: EpisodeTiming) -> None:
    if not lesson_rules.on_schedule(record.has_timing, record.exercise_minutes):
        return
    if not isinstance(section[0], nodes.title):
        return
    parts = []
    if record.is_break:
        parts.append(str(_("Break %(duration)s")) % {"duration": format_duration(record.duration, _)})
    else:
        if record.teaching is not None:
            parts.append(str(_("Teaching %(duration)s")) % {"duration": format_duration(record.teaching, _)})
        if record.exercise_total:
            duration = format_duration(record.exercise_total, _)
            parts.append(str(_("Exercises %(duration)s")) % {"duration": duration})
    if not parts:
        return
    classes = ["refinery-timing"]
    if show == "instructor":
        classes.append("refinery-instructor-only")
    text = " · ".join(parts)
    section.insert(1, nodes.paragraph(text, text, classes=classes))


def setup(app: Sphinx) -> None:
    app.add_post_transform(TimingBadges)
