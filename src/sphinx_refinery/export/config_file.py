"""``config.yaml`` and the small pages every Workbench lesson has."""

from __future__ import annotations

from typing import Any

import yaml  # a dependency of myst-parser

from .plan import Plan
from .report import Report


def config_yaml(meta: Any, plan: Plan, source: str, report: Report) -> str:
    keywords = meta.keywords or []
    if not source:
        report.add("", None, "lesson source", "an empty 'source' in config.yaml",
                   "no repository address found: give --source, or set it in config.yaml")
    config = {
        "carpentry": "incubator",
        "title": meta.title or "Lesson title",
        "created": str(meta.created or ""),
        "keywords": ", ".join(str(k) for k in keywords) if isinstance(keywords, list) else str(keywords),
        "life_cycle": "pre-alpha",
        "license": meta.license or "CC-BY 4.0",
        "source": source,
        "branch": "main",
        "contact": "",
        "episodes": plan.listed("episodes"),
        "learners": plan.listed("learners"),
        "instructors": plan.listed("instructors"),
        "profiles": [],
    }
    if meta.authors:
        report.add("", None, "lesson authors", "left to CITATION.cff or AUTHORS",
                   "config.yaml has no field for authors")
    return yaml.safe_dump(config, sort_keys=False, allow_unicode=True)


def front_matter(values: dict[str, Any]) -> str:
    return "---\n" + yaml.safe_dump(values, sort_keys=False, allow_unicode=True) + "---\n\n"


def schedule_table(schedule: dict[str, Any]) -> str:
    """The schedule as built (``lesson.json``'s rows) as a pipe table."""
    rows = schedule.get("rows", [])
    if not rows:
        return ""
    several = schedule.get("days", 1) and len({r["day"] for r in rows}) > 1
    head = (["Day"] if several else []) + ["Start", "Minutes", "Episode"]
    lines = ["| " + " | ".join(head) + " |", "|" + "|".join(["---"] * len(head)) + "|"]
    for row in rows:
        title = str(row["title"]).replace("|", "\\|")
        cells = ([str(row["day"])] if several else []) + [row["start"] or "", str(row["minutes"]), title]
        lines.append("| " + " | ".join(cells) + " |")
    return "\n".join(lines)
