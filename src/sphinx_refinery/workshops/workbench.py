"""A Carpentries Workbench lesson's manifest, read as it is (no conf.py, no build).

A workshop plan may name a Workbench lesson's folder: its episodes are config.yaml's
(alphabetical when the list is empty), their titles and minutes the ``title``,
``teaching`` and ``exercises`` of their front matter, so a Software Carpentry day
and CodeRefinery days make one plan.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from ..model import lesson_rules
from ..model.schedule import EpisodeTiming, ScheduleOptions, compute_schedule
from ..model.workbench import WorkbenchError, front_matter, is_workbench, read_lesson
from . import manifest

__all__ = ["WorkbenchError", "from_workbench", "is_workbench"]


def _minutes(value: Any) -> int | None:
    if value is None or isinstance(value, bool):
        return None
    return lesson_rules.parse_minutes(str(value))


def from_workbench(folder: Path) -> dict[str, Any]:
    """The manifest of the Workbench lesson in ``folder`` (:class:`WorkbenchError`: unreadable)."""
    from .. import __version__

    lesson = read_lesson(folder)
    episodes, known, titles, order = [], {}, {}, []
    for path in lesson.episodes:
        docname = lesson.docname(path)
        meta = front_matter(path)
        title = str(meta.get("title") or path.stem)
        teaching, exercises = _minutes(meta.get("teaching")), _minutes(meta.get("exercises"))
        minutes = (teaching or 0) + (exercises or 0)
        episodes.append({
            "page": docname, "title": title, "path": f"{docname}.html",
            "teaching": teaching, "exercises": exercises, "minutes": minutes,
            "day": None, "start": None, "break": False,
        })
        order.append(docname)
        titles[docname] = title
        if teaching is not None or exercises is not None:
            known[docname] = EpisodeTiming(teaching, exercises, None, None, None, 0)
    schedule = compute_schedule(order, known, titles, ScheduleOptions())
    keywords = [k.strip() for k in lesson.text("keywords").split(",") if k.strip()]
    return {
        "format": manifest.FORMAT,
        "version": manifest.VERSION,
        "generator": f"sphinx-refinery {__version__} (Carpentries Workbench lesson)",
        "lesson": {
            "title": lesson.text("title") or folder.name,
            "authors": [],
            "license": lesson.text("license"),
            "doi": "",
            "created": lesson.text("created"),
            "keywords": keywords,
            "audience": "",
            "prerequisites": [],
            "description": "",
            "language": lesson.text("lang"),
            "url": lesson.text("url"),
        },
        "root": "index",
        "episodes": episodes,
        "exercises": [],
        "schedule": {
            "options": {},
            "days": schedule.days,
            "total_minutes": schedule.total,
            "rows": [
                {"day": row.day, "start": schedule.start_text(row), "minutes": row.duration,
                 "title": row.title, "page": row.docname, "break": row.is_break}
                for row in schedule.rows
            ],
        },
    }
