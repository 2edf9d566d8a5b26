"""Exercise numbers: worked out from the pages' toctree order after reading, and
put in exercise and solution titles at write time."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING, Any

from docutils import nodes
from sphinx.application import Sphinx
from sphinx.transforms.post_transforms import SphinxPostTransform

from .box_titles import exercise_label, is_duration, solution_label, titled_nodes
from .records import DOMAIN, BoxRecord
from .references import xref

if TYPE_CHECKING:
    from .domain import RefineryDomain


def number_exercises(
    mode: Any, episodes: Sequence[str], records: Callable[[str], Sequence[BoxRecord]]
) -> dict[str, dict[str, str]]:
    """docname -> {box id: number} for the exercises this build shows: "3.2" (the
    episode's place, then the exercise's) or, with mode "lesson", "7"."""
    mode = "episode" if mode is True else mode
    numbers: dict[str, dict[str, str]] = {}
    if not mode:
        return numbers
    count = 0
    for episode, docname in enumerate(episodes, start=1):
        if mode == "episode":
            count = 0
        for record in records(docname):
            if record.numbered and not record.hidden:
                count += 1
                numbers.setdefault(docname, {})[record.id] = (
                    f"{episode}.{count}" if mode == "episode" else str(count)
                )
    return numbers


class NumberBoxes(SphinxPostTransform):
    """Put numbers in exercise titles, and name each solution's exercise."""

    default_priority = 5

    def run(self, **kwargs: Any) -> None:
        domain: RefineryDomain = self.env.domains[DOMAIN]
        if not domain.numbers:
            return
        for node in self.document.findall(nodes.Admonition):
            key = node.get("refinery_key")
            if not key or not isinstance(node.children[0], nodes.title):
                continue
            title: nodes.title = node.children[0]
            kind = node.get("refinery_kind")
            if kind == "exercise":
                number = domain.number_of(key)
                if number is None:
                    continue
                lead: nodes.Node = nodes.Text(exercise_label(number))
            elif kind == "solution":
                target = domain.exercise_of(key)
                number = domain.number_of(target) if target else None
                if number is None:
                    continue
                text = solution_label(number)
                lead = xref(target, nodes.inline(text, text), self.env.docname)
                if target.partition("#")[0] != key.partition("#")[0]:
                    # On another page: say where, in the body too (HTML titles hold no links).
                    label = exercise_label(number)
                    see = xref(target, nodes.inline(label, label), self.env.docname)
                    node.insert(1, nodes.paragraph("", "", see, classes=["refinery-see-also"]))
            else:
                continue
            durations = [child for child in title.children if is_duration(child)]
            words = [child for child in title.children if not is_duration(child)]
            if node.get("refinery_default_title"):
                words = []
            title.clear()
            if words:
                title += titled_nodes(lead, words)
            else:
                title += lead
            for duration in durations:
                title += [nodes.Text(" "), duration]


def setup(app: Sphinx) -> None:
    app.add_post_transform(NumberBoxes)
