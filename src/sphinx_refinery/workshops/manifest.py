"""``lesson.json``: what a built lesson tells the tools that plan workshops.

Every HTML build writes it at the root of the output, next to ``objects.inv``.
It is made from the whole environment once the build has finished, so an
incremental build and a parallel one write the same file as a clean build.
The format is documented in docs/workshops.md; ``VERSION`` changes only when a
field changes meaning or goes away (new fields may appear within a version).
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from sphinx.application import Sphinx
from sphinx.environment import BuildEnvironment

from ..model.lesson_rules import EXERCISE, MAX_MINUTES
from ..model.schedule import compute_schedule, format_clock, parse_schedule_options
from ..pages.aggregates import toctree_order
from ..pages.metadata import lesson_metadata
from ..timing.reader import schedule_pages, scheduled_timings
from ..timing.schedule import schedule_placeholder
from ..util import bounded, whole_file
from ..util.printable import printable, printable_values

FORMAT = "sphinx-refinery-lesson"
VERSION = 1
FILENAME = "lesson.json"


class ManifestError(Exception):
    """A manifest that cannot be used; the message says why."""


def manifest(env: BuildEnvironment, options: dict[str, str], uri: Any = None) -> dict[str, Any]:
    """The manifest of a read lesson.

    ``options`` are the lesson's ``schedule`` directive's; ``uri(docname)`` gives
    a page's address relative to the output's root (the HTML builder's).
    """
    from .. import __version__

    domain = env.domains["refinery"]
    known = scheduled_timings(env)
    titles = {d: t.astext() for d, t in env.titles.items()}
    order = toctree_order(env)
    meta = lesson_metadata(env.config, Path(env.srcdir))
    episodes = []
    episode_set = set(domain.episodes(env))
    for docname in order[1:]:
        record = known.get(docname)
        if record is None and docname not in episode_set:
            continue
        entry: dict[str, Any] = {"page": docname, "title": titles.get(docname, docname)}
        if uri is not None:
            entry["path"] = uri(docname)
        if record is None:
            entry.update(teaching=None, exercises=None, minutes=0, day=None, start=None)
        elif record.is_break:
            entry.update(teaching=None, exercises=None, minutes=record.duration, day=record.day)
            entry["break"] = True
            entry["start"] = format_clock(record.start) if record.start is not None else None
        else:
            entry.update(
                teaching=record.teaching,
                exercises=record.exercise_total,
                minutes=record.duration,
                day=record.day,
                start=format_clock(record.start) if record.start is not None else None,
            )
        entry.setdefault("break", False)
        episodes.append(entry)
    exercises = []
    for docname in order:
        for record in domain.records(docname):
            if record.kind != EXERCISE or record.hidden:
                continue
            exercises.append(
                {
                    "page": docname,
                    "id": record.id,
                    "label": record.label,
                    "number": domain.number_of(f"{docname}#{record.id}"),
                    "title": record.title,
                    "minutes": record.time,
                }
            )
    # A bad option was reported where the directive is; the rest still count.
    parsed, _problems = parse_schedule_options(options)
    schedule = compute_schedule(order, known, titles, parsed)
    return {
        "format": FORMAT,
        "version": VERSION,
        "generator": f"sphinx-refinery {__version__}",
        "lesson": {
            "title": meta.title,
            "authors": meta.authors,
            "license": meta.license,
            "doi": meta.doi,
            "created": meta.created,
            "keywords": meta.keywords,
            "audience": meta.audience,
            "prerequisites": meta.prerequisites,
            "description": meta.description,
            "language": meta.language,
            "url": env.config.html_baseurl or "",
        },
        "root": env.config.root_doc,
        "episodes": episodes,
        "exercises": exercises,
        "schedule": {
            "options": {key: options[key] for key in ("start", "days", "breaks") if options.get(key)},
            "days": schedule.days,
            "total_minutes": schedule.total,
            "rows": [
                {
                    "day": row.day,
                    "start": schedule.start_text(row),
                    "minutes": row.duration,
                    "title": row.title,
                    "page": row.docname,
                    "break": row.is_break,
                }
                for row in schedule.rows
            ],
        },
    }


def dumps(data: dict[str, Any]) -> str:
    # Compact: without indent, json uses its C encoder (a large lesson's manifest
    # took a noticeable share of a build with indent=2).
    return json.dumps(data, ensure_ascii=False, separators=(",", ":")) + "\n"


def loads(text: str, where: str) -> dict[str, Any]:
    """A manifest read back, checked for the fields the workshop tools use."""
    try:
        data = bounded.loads_json(text, where)
    except bounded.InputError as err:
        raise ManifestError(str(err)) from err
    if not isinstance(data, dict) or data.get("format") != FORMAT:
        raise ManifestError(f"{where} is not a sphinx-refinery lesson manifest")
    if data.get("version") != VERSION:
        raise ManifestError(
            f"{where} has manifest version {data.get('version')!r}; "
            f"this sphinx-refinery reads version {VERSION}"
        )
    problem = _problem(data)
    if problem:
        raise ManifestError(f"{where}: {printable(problem)}")
    # Shown escaped in every output (text, CSV, Markdown, calendars, the build's pages).
    return printable_values(data)


def _problem(data: dict[str, Any]) -> str | None:
    """What is wrong with a manifest's shape, or None."""
    lesson = data.get("lesson")
    if not isinstance(lesson, dict) or not all(
        isinstance(lesson.get(key, ""), str) for key in ("title", "url")
    ):
        return "'lesson' must be a mapping with a text 'title' and 'url'"
    episodes = data.get("episodes")
    if not isinstance(episodes, list):
        return "'episodes' must be a list"
    for entry in episodes:
        if not isinstance(entry, dict) or not isinstance(entry.get("page"), str):
            return "each episode must be a mapping with a text 'page'"
        for key in ("title", "path"):
            if not isinstance(entry.get(key, ""), str):
                return f"{entry['page']}: {key!r} must be text"
        if not isinstance(entry.get("break", False), bool):
            return f"{entry['page']}: 'break' must be true or false"
        for key in ("teaching", "exercises", "minutes"):
            value = entry.get(key)
            if value is not None and (
                not isinstance(value, int) or isinstance(value, bool) or not 0 <= value <= MAX_MINUTES
            ):
                return f"{entry['page']}: {key!r} must be whole minutes, at most {MAX_MINUTES}"
    schedule = data.get("schedule", {})
    options = schedule.get("options", {}) if isinstance(schedule, dict) else None
    if not isinstance(options, dict) or not all(isinstance(v, str) for v in options.values()):
        return "'schedule' must be a mapping whose 'options' are text"
    return None


def directive_options(env: BuildEnvironment) -> dict[str, str]:
    """The options of the lesson's first ``schedule`` directive, in reading order."""
    pages = schedule_pages(env)
    for docname in [d for d in toctree_order(env) if d in pages] + sorted(pages):
        for node in env.get_doctree(docname).findall(schedule_placeholder):
            return dict(node["options"])
    return {}


def write(app: Sphinx, exception: Exception | None) -> None:
    """``build-finished``: write lesson.json into an HTML build's output."""
    if exception is not None or app.builder.format != "html" or app.builder.name.startswith("epub"):
        return
    data = manifest(app.env, directive_options(app.env), app.builder.get_target_uri)
    path = Path(app.outdir) / FILENAME
    text = dumps(data)
    if not path.is_file() or path.read_text(encoding="utf-8") != text:
        whole_file.write(path, text.encode("utf-8"))


def setup(app: Sphinx) -> None:
    app.connect("build-finished", write)
