"""The root page: the Workbench's ``index.md``, with a title and toctrees that follow config.yaml."""

from __future__ import annotations

from pathlib import Path

from ...model.workbench import SECTIONS, WorkbenchLesson
from ..fences import front_matter_end

#: The mark of the toctrees migrate adds: a page that has it is left alone.
MARK = "<!-- sphinx-refinery migrate: the Workbench's navigation, from config.yaml -->"
CAPTIONS = {
    "episodes": "Episodes",
    "learners": "Learner resources",
    "instructors": "Instructor resources",
    "profiles": "Learner profiles",
}


def index_text(
    text: str, lesson: WorkbenchLesson, extra: list[Path] = ()
) -> tuple[str, list[str]]:
    """The root page's new text and what changed (nothing when it has the toctrees);
    ``extra`` pages (the key points) go last, with the learners' pages."""
    if MARK in text:
        return text, []
    changes = []
    lines = text.split("\n")
    start = front_matter_end(lines)
    if not any(line.startswith("# ") for line in lines[start:]) and not _has_title(lines[:start]):
        title = lesson.text("title") or lesson.root.name
        lines[start:start] = ["", f"# {title}", ""] if start else [f"# {title}", ""]
        changes.append("a title from config.yaml")
    while lines and not lines[-1].strip():
        lines.pop()
    lines += ["", MARK]
    for section in SECTIONS:
        pages = list(lesson.pages.get(section, []))
        if section == "learners":
            pages += extra
        if not pages:
            continue
        lines += ["", "```{toctree}", f":caption: {CAPTIONS[section]}", ":maxdepth: 1", ""]
        lines += [lesson.docname(p) for p in pages]
        lines.append("```")
        changes.append(f"toctree of {section} ({len(pages)} pages)")
    return "\n".join(lines) + "\n", changes


def _has_title(front: list[str]) -> bool:
    return any(line.startswith("title:") for line in front)


def readme_home(readme: Path) -> str:
    """A root page that shows the lesson's README, as the Workbench's home page does when
    the lesson has no index.md (its title, from config.yaml, is added as to any root page)."""
    return f"```{{include}} {readme.name}\n```\n"
