"""``workshop-schedule``: a workshop plan's days as tables, in every builder.

The directive reads the plan and its lessons while the page is read, and
emits generic docutils nodes (a rubric and a table per day), so a workshop's
website is a small Sphinx project. The page is read again when the plan or a
local lesson's ``lesson.json`` changes.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any, ClassVar

from docutils import nodes
from sphinx.application import Sphinx
from sphinx.util import logging
from sphinx.util.docutils import SphinxDirective

from ..locale import _
from ..model.schedule import format_duration
from ..util import tables
from . import ics, manifest, reader
from .plan import DaySchedule, PlanError, compute, is_url, read_plan
from .reader import LessonError

logger = logging.getLogger(__name__)


class WorkshopSchedule(SphinxDirective):
    required_arguments = 1
    final_argument_whitespace = True
    has_content = False
    option_spec: ClassVar[dict[str, Any]] = {}

    def warn(self, message: str) -> None:
        logger.warning(message, location=self.get_location(), type="refinery", subtype="workshop")

    def run(self) -> list[nodes.Node]:
        relative, absolute = self.env.relfn2path(self.arguments[0])
        self.env.note_dependency(relative)
        try:
            plan = read_plan(Path(absolute))
            for entry in (e for day in plan.days for e in day.lessons):
                built = Path(entry.location) / manifest.FILENAME
                if not is_url(entry.location) and built.is_file():
                    self.env.note_dependency(str(built))
            workshop = compute(plan, reader.read_lessons(plan))
        except (PlanError, LessonError, ics.CalendarError) as err:
            self.warn(f"workshop-schedule: {err}")
            return []
        for problem in workshop.warnings:
            self.warn(f"workshop-schedule: {problem}")
        result: list[nodes.Node] = []
        for day in workshop.days:
            heading = day.date.isoformat()
            result.append(nodes.rubric(heading, heading, classes=["refinery-workshop-day"]))
            result.append(_table(day))
            if day.overrun and day.end is not None:
                self.warn(
                    f"workshop-schedule: {day.date} runs {format_duration(day.overrun, _)} "
                    f"past its end {day.clock(day.end)}"
                )
        note = str(_("Times are in %(zone)s.")) % {"zone": workshop.timezone}
        result.append(nodes.paragraph(note, note, classes=["refinery-workshop-zone"]))
        return result


def _table(day: DaySchedule) -> nodes.table:
    headings = [_("Time"), _("Lesson"), _("Episode"), _("Duration")]
    rows: list[list[nodes.Node]] = []
    for item in day.items:
        title: nodes.Node = nodes.Text(item.title)
        if item.url:
            title = nodes.reference(item.title, item.title, refuri=item.url)
        if item.is_break:
            title = nodes.emphasis("", "", title)
        times = f"{day.clock(item.start, _)}–{day.clock(item.end, _)}"
        rows.append([nodes.Text(times), nodes.Text(item.lesson), title, nodes.Text(format_duration(item.minutes, _))])
    return tables.table(["refinery-workshop"], headings, (13, 24, 36, 14), rows)


def setup(app: Sphinx) -> None:
    app.add_directive("workshop-schedule", WorkshopSchedule)
