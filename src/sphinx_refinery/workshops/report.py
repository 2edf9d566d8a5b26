"""A workshop's days as text, CSV, JSON, iCalendar or Markdown (``sphinx-refinery workshop``)."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path
from typing import Any

from ..model.schedule import format_duration
from . import ics, reader
from .plan import Item, Workshop, compute, read_plan


def load(path: Path) -> Workshop:
    """Read the plan and its lessons and compute the days; PlanError or LessonError."""
    plan = read_plan(path)
    return compute(plan, reader.read_lessons(plan))


def overruns(workshop: Workshop) -> list[str]:
    return [
        f"{day.date} runs {format_duration(day.overrun)} past its end {day.clock(day.end)}"
        for day in workshop.days
        if day.overrun and day.end is not None
    ]


def _rows(workshop: Workshop):
    for day in workshop.days:
        for item in day.items:
            yield day, item


def as_text(workshop: Workshop) -> str:
    out = [f"{workshop.title} ({workshop.timezone})"]
    for day in workshop.days:
        out += ["", day.date.strftime("%A %Y-%m-%d")]
        if not day.items:
            out.append("  (no timed episode)")
        for item in day.items:
            title = f"({item.title})" if item.is_break else item.title
            times = f"{day.clock(item.start)}-{day.clock(item.end)}"
            out.append(f"  {times:<13}  {item.lesson}: {title}  [{format_duration(item.minutes)}]")
    return "\n".join(out) + "\n"


def as_csv(workshop: Workshop) -> str:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(["date", "start", "end", "minutes", "lesson", "page", "title", "break", "url"])
    for day, item in _rows(workshop):
        writer.writerow(
            [
                day.date.isoformat(), day.clock(item.start), day.clock(item.end), item.minutes,
                item.lesson, item.page or "", item.title, item.is_break, item.url,
            ]
        )
    return out.getvalue()


def as_data(workshop: Workshop) -> dict[str, Any]:
    return {
        "title": workshop.title,
        "timezone": workshop.timezone,
        "days": [
            {
                "date": day.date.isoformat(),
                "end": day.clock(day.end) if day.end is not None else None,
                "overrun_minutes": day.overrun,
                "items": [
                    {
                        "lesson": item.lesson,
                        "page": item.page,
                        "title": item.title,
                        "start": day.clock(item.start),
                        "end": day.clock(item.end),
                        "minutes": item.minutes,
                        "break": item.is_break,
                        "url": item.url or None,
                    }
                    for item in day.items
                ],
            }
            for day in workshop.days
        ],
    }


def as_json(workshop: Workshop) -> str:
    return json.dumps(as_data(workshop), indent=2, ensure_ascii=False) + "\n"


def _md(text: str) -> str:
    """Text for a Markdown table cell: no markup, no cell breaks."""
    text = " ".join(text.split())
    for char in "\\`*_[]<>|":
        text = text.replace(char, "\\" + char)
    return text


def as_md(workshop: Workshop) -> str:
    out = [f"# {_md(workshop.title)}", "", f"Times are in {_md(workshop.timezone)}."]
    for day in workshop.days:
        out += ["", f"## {day.date.strftime('%A')} {day.date.isoformat()}", ""]
        out += ["| Time | Lesson | Episode | Minutes |", "| --- | --- | --- | ---: |"]
        for item in day.items:
            title = _md(item.title)
            if item.url:
                title = f"[{title}](<{item.url.replace('>', '%3E')}>)"
            if item.is_break:
                title = f"*{title}*"
            times = f"{day.clock(item.start)}–{day.clock(item.end)}"
            out.append(f"| {times} | {_md(item.lesson)} | {title} | {item.minutes} |")
    return "\n".join(out) + "\n"


def _key(item: Item, seen: dict[tuple[str, ...], int]) -> tuple[str, ...]:
    base = (item.lesson_ref, item.page or "break")
    seen[base] = seen.get(base, 0) + 1
    return (*base, str(seen[base])) if seen[base] > 1 or not item.page else base


def as_ics(workshop: Workshop) -> str:
    seen: dict[tuple[str, ...], int] = {}
    events = [
        ics.Event(
            start=item.start,
            minutes=item.minutes,
            summary=item.title if item.is_break else f"{item.lesson}: {item.title}",
            key=_key(item, seen),
            url=item.url,
        )
        for _day, item in _rows(workshop)
    ]
    return ics.calendar(workshop.title, workshop.timezone, events, "workshop")
