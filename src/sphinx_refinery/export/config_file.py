"""``config.yaml`` and the small pages every Workbench lesson has."""

from __future__ import annotations

from typing import Any

import yaml  # a dependency of myst-parser

from ..boxes.directives import DEFAULT_ICON
from ..boxes.directives import configured_kinds as _configured
from ..model.workbench_forms import CONFIG_KEY, CONFIG_SETTINGS
from .plan import Plan
from .report import Report


def config_yaml(meta: Any, plan: Plan, source: str, report: Report, settings: dict[str, Any] | None = None) -> str:
    """``settings``: the ``refinery_`` settings a round trip needs (:data:`CONFIG_SETTINGS`),
    kept under config.yaml's ``sphinx-refinery`` key, which sandpaper ignores."""
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
    kept = {name: value for name, value in (settings or {}).items() if name in CONFIG_SETTINGS and value}
    if kept:
        config[CONFIG_KEY] = kept
        report.add("", None, "settings " + ", ".join(f"refinery_{name}" for name in kept),
                   f"config.yaml's {CONFIG_KEY!r} key", "the Workbench has no such settings; an import reads them back")
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


def configured_kinds(config: Any) -> dict[str, dict[str, Any]]:
    """``refinery_box_kinds`` as plain data for config.yaml: name -> the options that are not defaults."""
    kinds: dict[str, dict[str, Any]] = {}
    for kind in _configured(config):
        entry: dict[str, Any] = {"title": str(kind.title)}
        if kind.timed:
            entry["timed"] = True
        if kind.collapsible:
            entry["collapsible"] = kind.collapsible
        if kind.aliases:
            entry["aliases"] = list(kind.aliases)
        if kind.icon != DEFAULT_ICON:
            entry["icon"] = kind.icon
        kinds[kind.name] = entry
    return kinds
