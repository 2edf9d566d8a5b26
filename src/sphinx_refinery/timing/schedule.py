"""The ``schedule`` directive: the toctree's timed pages as a table of start times.

``sphinx-refinery schedule`` prints the same schedule for organisers.
"""

from __future__ import annotations

from typing import Any, ClassVar

from docutils import nodes
from docutils.parsers.rst import directives
from sphinx import addnodes
from sphinx.application import Sphinx
from sphinx.transforms.post_transforms import SphinxPostTransform
from sphinx.util import logging
from sphinx.util.docutils import SphinxDirective

from ..locale import _
from ..model.schedule import (
    Schedule,
    compute_schedule,
    format_duration,
    page_problems,
    parse_schedule_options,
    timed_pages,
)
from ..pages import aggregates
from ..pages.aggregates import toctree_order
from ..pages.scope import one_page
from ..util import tables
from .reader import schedule_pages, scheduled_timings

logger = logging.getLogger(__name__)


class schedule_placeholder(nodes.General, nodes.Element):
    """Placeholder for a schedule table, built at write time."""


class ScheduleDirective(SphinxDirective):
    """``schedule``: a table of the lesson's episodes with their start times."""

    has_content = False
    option_spec: ClassVar[dict[str, Any]] = {
        "start": directives.unchanged_required,
        "days": directives.unchanged_required,
        "breaks": directives.unchanged_required,
    }

    def run(self) -> list[nodes.Node]:
        _parsed, problems = parse_schedule_options(self.options)
        if problems:
            for problem in problems:
                logger.warning(
                    problem, location=self.get_location(), type="refinery", subtype="schedule"
                )
        node = schedule_placeholder()
        node["options"] = {k: self.options[k] for k in ("start", "days", "breaks") if k in self.options}
        self.set_source_info(node)
        aggregates.note(self.env)
        schedule_pages(self.env).add(self.env.docname)
        return [node]


class FillSchedules(SphinxPostTransform):
    """Replace each schedule placeholder with a real table, in every builder."""

    default_priority = 4

    def run(self, **kwargs: Any) -> None:
        if one_page(self) and self.env.docname not in schedule_pages(self.env):
            return
        for placeholder in list(self.document.findall(schedule_placeholder)):
            options, _problems = parse_schedule_options(placeholder["options"])  # warned when read
            titles = {d: t.astext() for d, t in self.env.titles.items()}
            order = toctree_order(self.env)
            for problem in page_problems(options, order, timed_pages(scheduled_timings(self.env))):
                logger.warning(
                    problem, location=placeholder, type="refinery", subtype="schedule-page"
                )
            schedule = compute_schedule(order, scheduled_timings(self.env), titles, options, _)
            placeholder.replace_self(schedule_table(schedule, self.env.docname))


def schedule_table(schedule: Schedule, here: str) -> nodes.Node:
    if not schedule.rows:
        text = str(_("No episode says how long it takes yet."))
        return nodes.paragraph(text, text)
    multi_day = schedule.days > 1
    headings = [_("Start"), _("Episode"), _("Duration")]
    if multi_day:
        headings.insert(0, _("Day"))
    rows: list[list[nodes.Node]] = []
    for row in schedule.rows:
        title: nodes.Node = nodes.Text(row.title)
        if row.docname:
            title = addnodes.pending_xref(
                "",
                nodes.inline(row.title, row.title),
                refdomain="std",
                reftype="doc",
                reftarget="/" + row.docname,
                refexplicit=True,
                refdoc=here,
            )
        if row.is_break:
            title = nodes.emphasis("", "", title)
        cells = [nodes.Text(schedule.start_text(row)), title, nodes.Text(format_duration(row.duration, _))]
        if multi_day:
            cells.insert(0, nodes.Text(str(row.day)))
        rows.append(cells)
    total = [nodes.strong("", str(_("Total"))), nodes.strong("", format_duration(schedule.total, _))]
    rows.append([nodes.Text("")] * (len(headings) - 2) + total)
    widths = [5] * multi_day + [14, 40, 14]
    return tables.table(["refinery-schedule"], headings, widths, rows)


def setup(app: Sphinx) -> None:
    app.add_directive("schedule", ScheduleDirective)
    app.add_node(
        schedule_placeholder,
        **dict.fromkeys(("html", "latex", "text", "man", "texinfo"), (_skip, None)),
    )
    app.add_post_transform(FillSchedules)


def _skip(self: Any, node: nodes.Node) -> None:
    raise nodes.SkipNode
