"""Write-time transforms skip, in HTML builders, the pages whose records show nothing
for them; where one doctree gathers every page they walk it all. Both must give
the same titles, references, badges and schedules."""

from __future__ import annotations

import pytest

from tests.conftest import build_once

CONF = 'extensions = ["sphinx_refinery"]\nrefinery_number_exercises = "episode"\n'

LESSON = {
    "conf.py": CONF,
    "index.md": "# Lesson\n\n```{schedule}\n:start: 09:00\n```\n\n```{toctree}\nfirst\nsecond\nplain\nlast\n```\n",
    "first.md": "---\nteaching: 10\n---\n# First\n\n```{exercise} Warm up\n:label: ex-warm\n:time: 5\nDo it.\n```\n",
    # A page with a reference to a box and a solution to an exercise elsewhere.
    "second.md": (
        "---\nteaching: 5\n---\n# Second\n\nSee {ref}`ex-warm` and {numref}`ex-warm`.\n\n"
        "```{exercise}\n:time: 3\nMore.\n```\n\n"
        "```{solution}\n:exercise: ex-warm\nDone.\n```\n"
    ),
    # No box, no timing, no reference to a box: every transform may skip it.
    "plain.md": "# Plain\n\nJust text, and a [link](first).\n",
    "last.md": "# Last\n\nBack to {ref}`the warm-up <ex-warm>`.\n",
}


def _texts(soup, selector: str) -> list[str]:
    return [" ".join(n.get_text(" ", strip=True).split()) for n in soup.select(selector)]


def _seen(pages) -> dict[str, list[str]]:
    return {
        "exercise titles": [t for soup in pages for t in _texts(soup, ".admonition.exercise > .admonition-title")],
        "solution titles": [t for soup in pages for t in _texts(soup, ".admonition.solution > summary")],
        "references": [t for soup in pages for t in _texts(soup, "a.reference.internal span.std")],
        "badges": [t for soup in pages for t in _texts(soup, ".refinery-timing")],
        "schedule rows": [t for soup in pages for t in _texts(soup, "table.refinery-schedule tbody tr")],
    }


@pytest.mark.parametrize("builder", ["html", "dirhtml"])
def test_page_by_page_equals_one_gathered_doctree(tmp_path, builder):
    pages = build_once(tmp_path / "pages", LESSON, builder=builder)
    gathered = build_once(tmp_path / "gathered", LESSON, builder="singlehtml")
    assert pages.warning_lines() == [] and gathered.warning_lines() == []
    names = ["index", "first", "second", "plain", "last"]
    if builder == "dirhtml":
        soups = [pages.html("index")] + [pages.html(f"{n}/index") for n in names[1:]]
    else:
        soups = [pages.html(n) for n in names]
    seen = _seen(soups)
    assert seen == _seen([gathered.html("index")])
    assert seen["exercise titles"] == ["Exercise 1.1: Warm up (5 min)", "Exercise 2.1 (3 min)"]
    assert seen["solution titles"] == ["Solution to Exercise 1.1"]
    assert seen["references"] == ["Exercise 1.1: Warm up", "Exercise 1.1", "link", "the warm-up"]
    assert seen["badges"] == ["Teaching 10 min · Exercises 5 min", "Teaching 5 min · Exercises 3 min"]
    assert seen["schedule rows"] == ["09:00 First 15 min", "09:15 Second 8 min", "Total 23 min"]
