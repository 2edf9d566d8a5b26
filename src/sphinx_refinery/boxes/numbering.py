"""Exercise numbers in exercise and solution titles, put in at write time (the
domain works them out after reading, by lesson_rules.number_exercises)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from docutils import nodes
from sphinx.application import Sphinx
from sphinx.transforms.post_transforms import SphinxPostTransform

from ..model.lesson_rules import EXERCISE, SOLUTION
from ..model.records import DOMAIN
from ..pages.scope import one_page, writes_html
from .directives import box_is_open
from .references import xref
from .titles import exercise_label, is_duration, solution_label, titled_nodes

if TYPE_CHECKING:
    from .domain import RefineryDomain


class NumberBoxes(SphinxPostTransform):
    """Put numbers in exercise titles, and name each solution's exercise."""

    default_priority = 5

    def run(self, **kwargs: Any) -> None:
        domain: RefineryDomain = self.env.domains[DOMAIN]
        if not domain.numbers:
            return
        if one_page(self) and not any(r.kind in (EXERCISE, SOLUTION) for r in domain.records(self.env.docname)):
            return
        html = writes_html(self)
        solutions = self.config.refinery_solutions
        for node in self.document.findall(nodes.Admonition):
            key = node.get("refinery_key")
            if not key or not isinstance(node.children[0], nodes.title):
                continue
            title: nodes.title = node.children[0]
            kind = node.get("refinery_kind")
            if kind == EXERCISE:
                number = domain.number_of(key)
                if number is None:
                    continue
                lead: nodes.Node = nodes.Text(exercise_label(number))
            elif kind == SOLUTION:
                target = domain.exercise_of(key)
                number = domain.number_of(target) if target else None
                if number is None:
                    continue
                text = solution_label(number)
                if html and box_is_open(node, solutions) is not None:
                    # HTML shows a collapsible box's title in <summary>, which holds no link.
                    lead = nodes.Text(text)
                else:
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
            while words and isinstance(words[-1], nodes.Text) and not words[-1].strip():
                words.pop()  # the space before the duration, put back below
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
