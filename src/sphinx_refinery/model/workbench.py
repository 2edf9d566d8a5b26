"""A Carpentries Workbench lesson's ``config.yaml``: its facts and the pages of each section,
in order (``migrate`` imports the lesson from it, a workshop plan reads its episodes).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

#: The Workbench's page folders, in the order its navigation shows them.
SECTIONS = ("episodes", "learners", "instructors", "profiles")
#: Pages the Workbench builds whether ``config.yaml`` lists them or not.
IMPLICIT_PAGES = {"learners": ("setup.md",), "instructors": ("instructor-notes.md",)}
#: Page sources the Workbench reads.
PAGE_SUFFIXES = (".md", ".Rmd")
#: ``config.yaml`` keys carried into conf.py, with the note each value must be text.
TEXT_KEYS = ("title", "created", "keywords", "license", "lang", "url", "source", "branch",
             "contact", "carpentry", "life_cycle")


class WorkbenchError(Exception):
    """``config.yaml`` cannot be read; the message says why, in one line."""


#: ``overview: true`` in config.yaml: a workshop's overview, a lesson without episodes.
_OVERVIEW = re.compile(r"^overview:[ \t]*(?:true|yes|on)\b", re.IGNORECASE | re.MULTILINE)


def is_workbench(root: Path) -> bool:
    """A Workbench lesson: ``config.yaml`` and an ``episodes/`` folder at its root, or
    ``overview: true`` in config.yaml (an overview has no episodes)."""
    config = root / "config.yaml"
    if not config.is_file():
        return False
    if (root / "episodes").is_dir():
        return True
    try:
        return bool(_OVERVIEW.search(config.read_text(encoding="utf-8-sig")))
    except (OSError, UnicodeDecodeError):
        return False


def is_overview(config: dict[str, Any]) -> bool:
    """sandpaper builds no episodes for ``overview: true``, whatever config.yaml lists."""
    return config.get("overview") is True


@dataclass
class WorkbenchLesson:
    root: Path
    config: dict[str, Any]
    #: section -> page paths, in the Workbench's order (existing pages only).
    pages: dict[str, list[Path]] = field(default_factory=dict)
    #: (section, name) of pages config.yaml lists that do not exist.
    missing: list[tuple[str, str]] = field(default_factory=list)
    #: Sections whose config.yaml list is empty: alphabetical order, as the Workbench does.
    alphabetical: list[str] = field(default_factory=list)

    def text(self, key: str) -> str:
        """A config.yaml value as text ("" when absent); dates and numbers as YAML wrote them."""
        value = self.config.get(key)
        if value is None or isinstance(value, (dict, list)):
            return ""
        return str(value).strip()

    @property
    def episodes(self) -> list[Path]:
        return self.pages.get("episodes", [])

    def all_pages(self) -> list[Path]:
        return [page for section in SECTIONS for page in self.pages.get(section, [])]

    def docname(self, path: Path) -> str:
        return path.relative_to(self.root).with_suffix("").as_posix()


def read_lesson(root: Path) -> WorkbenchLesson:
    """The lesson at ``root``; :class:`WorkbenchError` when config.yaml is not a mapping."""
    path = root / "config.yaml"
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8-sig"))
    except (OSError, UnicodeDecodeError) as err:
        raise WorkbenchError(f"config.yaml cannot be read: {err}") from None
    except yaml.YAMLError as err:
        mark = getattr(err, "problem_mark", None)
        where = f" (line {mark.line + 1})" if mark is not None else ""
        raise WorkbenchError(f"config.yaml is not valid YAML{where}") from None
    if data is None:
        data = {}
    if not isinstance(data, dict):
        raise WorkbenchError("config.yaml does not hold a mapping of settings")
    lesson = WorkbenchLesson(root, data)
    for section in SECTIONS:
        if section == "episodes" and is_overview(data):
            lesson.pages[section] = []
            continue
        lesson.pages[section] = _section_pages(lesson, section)
    return lesson


def _section_pages(lesson: WorkbenchLesson, section: str) -> list[Path]:
    folder = lesson.root / section
    listed = lesson.config.get(section)
    if section == "episodes" and listed is None:
        listed = lesson.config.get("schedule")  # sandpaper's older name for the list
    if isinstance(listed, str):
        listed = [listed]
    if not listed or not isinstance(listed, list):
        if not folder.is_dir():
            return []
        lesson.alphabetical.append(section)
        return sorted(
            p for p in folder.iterdir()
            if p.suffix in PAGE_SUFFIXES and p.is_file() and not p.name.startswith(".")
        )
    pages: list[Path] = []
    for name in listed:
        name = str(name).strip()
        page = folder / name
        if not name or "/" in name or "\\" in name or name in (".", ".."):
            lesson.missing.append((section, name))
        elif page.is_file() and page.suffix in PAGE_SUFFIXES:
            if page not in pages:
                pages.append(page)
        else:
            lesson.missing.append((section, name))
    for name in IMPLICIT_PAGES.get(section, ()):
        page = folder / name
        if page.is_file() and page not in pages:
            pages.append(page)
    return pages


def front_matter(path: Path) -> dict[str, Any]:
    """A page's YAML front matter ({} when it has none, or none that reads)."""
    try:
        lines = path.read_text(encoding="utf-8-sig").split("\n")
    except (OSError, UnicodeDecodeError):
        return {}
    if not lines or lines[0].rstrip() != "---":
        return {}
    for end in range(1, len(lines)):
        if lines[end].rstrip() in ("---", "..."):
            try:
                data = yaml.safe_load("\n".join(lines[1:end]))
            except yaml.YAMLError:
                return {}
            return data if isinstance(data, dict) else {}
    return {}
