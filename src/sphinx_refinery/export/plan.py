"""Where each page of the lesson goes in the Workbench copy, and which pages stay out.

The front page becomes ``index.md``; the episodes (the lesson's episode set, in
toctree order) go to ``episodes/``; the exercise list and the instructor guide stay
out (the Workbench gathers boxes on its own pages); every other page goes to
``learners/``, or ``instructors/`` when it is for instructors.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from ..pages import aggregates
from .report import Report


@dataclass
class Plan:
    pages: dict[str, str] = field(default_factory=dict)  # docname -> path in the copy
    episodes: list[str] = field(default_factory=list)  # docnames, in order
    learners: list[str] = field(default_factory=list)
    instructors: list[str] = field(default_factory=list)

    def listed(self, section: str) -> list[str]:
        """config.yaml's list for a section: file names in that folder."""
        names = {"episodes": self.episodes, "learners": self.learners, "instructors": self.instructors}[section]
        return [self.pages[d].split("/", 1)[1] for d in names]


def _flat(docname: str, taken: set[str], folder: str) -> str:
    base = docname.replace("/", "-").replace("\\", "-")
    name, n = f"{folder}/{base}.md", 1
    while name in taken:
        n += 1
        name = f"{folder}/{base}-{n}.md"
    taken.add(name)
    return name


def _for_instructors(docname: str) -> bool:
    return "instructor" in docname.rsplit("/", 1)[-1].lower()


def plan_pages(env: Any, episode_set: list[str], report: Report) -> Plan:
    """``episode_set``: the episodes as ``lesson.json`` lists them (pages with boxes that
    make an episode, or with minutes), in order."""
    order = aggregates.toctree_order(env)
    gathered = aggregates.pages(env)
    episodes = set(episode_set)
    root = env.config.root_doc
    plan = Plan()
    taken: set[str] = set()
    plan.pages[root] = "index.md"
    outside = sorted(d for d in env.found_docs if d not in order and d != root)
    for docname in [*order, *outside]:
        if docname == root or docname in plan.pages:
            continue
        if docname in gathered:
            report.add(docname, None, "gathered page (exercise list, instructor guide, key points)",
                       "left out", "the Workbench builds its own aggregate pages from the boxes")
            continue
        if docname in episodes:
            plan.pages[docname] = _flat(docname, taken, "episodes")
            plan.episodes.append(docname)
        elif _for_instructors(docname):
            plan.pages[docname] = _flat(docname, taken, "instructors")
            plan.instructors.append(docname)
        else:
            plan.pages[docname] = _flat(docname, taken, "learners")
            plan.learners.append(docname)
        if docname in outside:
            report.add(docname, None, "page outside the toctree", f"{plan.pages[docname]}, listed last",
                       "the Workbench builds only the pages config.yaml lists")
        elif docname not in episodes:
            report.add(docname, None, "page that is not an episode", plan.pages[docname],
                       "the Workbench keeps setup and reference pages apart from its episodes")
    return plan
