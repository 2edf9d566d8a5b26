"""A lesson exported to the Workbench and imported back builds as it did: the same boxes
(kind, title, nesting depth), tab sets, episodes, order and minutes.

Each lesson is built, exported (``sphinx-refinery export``), imported (``migrate``, as
the command does it, in memory) and built again; the two builds' pages are held against
each other. The rule both directions follow is the model's (``model/workbench_forms``),
tested here directly too.
"""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
from bs4 import BeautifulSoup
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from sphinx_refinery.commands.cli import main
from sphinx_refinery.migrate.rewrite import migrate_lesson
from sphinx_refinery.model import workbench_forms as forms

from .conftest import EXAMPLE_LESSON, build_once, write_sources

SECTIONS = ("episodes", "learners", "instructors")


def inventory(outdir: Path) -> dict[str, list[tuple]]:
    """Flat page name -> its boxes (kind, title, depth) and tab sets (labels), in order."""
    pages = {}
    for path in sorted(outdir.rglob("*.html")):
        rel = path.relative_to(outdir)
        if rel.parts[0].startswith("_"):
            continue
        soup = BeautifulSoup(path.read_text(encoding="utf-8"), "html.parser")
        items = []
        for element in soup.select(".refinery-box, .sd-tab-set"):
            classes = element.get("class", [])
            if "sd-tab-set" in classes:
                items.append(("tabs", tuple(label.get_text(" ", strip=True)
                                            for label in element.select(":scope > label.sd-tab-label"))))
                continue
            kind = next(c[len("admonition-"):] for c in classes
                        if c.startswith("admonition-") and c[len("admonition-"):] in classes)
            title = element.find(class_="admonition-title") or element.find("summary")
            depth = len(element.find_parents(class_="refinery-box"))
            items.append((kind, " ".join(title.get_text(" ", strip=True).split()) if title else "", depth))
        pages[_flat(rel.with_suffix("").as_posix())] = items
    return pages


def _flat(page: str) -> str:
    """A page as the export names it: "episodes/a-b" and "a/b" are both "a-b"."""
    head, _sep, rest = page.partition("/")
    return (rest if head in SECTIONS and rest else page).replace("/", "-")


def episodes(outdir: Path) -> list[tuple]:
    data = json.loads((outdir / "lesson.json").read_text(encoding="utf-8"))
    return [(_flat(e["page"]), e["title"], e["teaching"] or 0, e["exercises"] or 0, e["minutes"], e["break"])
            for e in data["episodes"]]


def round_trip(root: Path, lesson: Path, *, strict: bool = True) -> tuple[Path, Path, str]:
    """(the original build, the round-tripped build, the export's report). ``strict``: neither
    build may warn (else: the round-tripped build warns no more than the original)."""
    first = build_once(lesson, None)
    assert not strict or not first.warning_lines(), first.warnings
    out = root / "workbench"
    report = root / "report.txt"
    assert main(["export", "--to", "workbench", str(lesson), str(out), "--report", str(report)]) == 0
    imported = root / "imported"
    shutil.copytree(out, imported)
    ctx = migrate_lesson(imported)
    for changed in ctx.changed():
        changed.path.write_text(changed.text, encoding="utf-8")
    again = build_once(imported, None)
    assert len(again.warning_lines()) <= (0 if strict else len(first.warning_lines())), again.warnings
    return first.outdir, again.outdir, report.read_text(encoding="utf-8")


def assert_same(original: Path, back: Path, report: str) -> None:
    before, after = inventory(original), inventory(back)
    gathered = {_flat(line.split(":", 1)[0]) for line in report.splitlines() if ": gathered page" in line}
    compared = 0
    for page, items in before.items():
        if page in gathered or not items:
            continue
        assert after.get(page) == items, page
        compared += len(items)
    assert compared
    assert episodes(back) == episodes(original)


# -- a small lesson with the hard cases ------------------------------------------------------

CONF = """\
extensions = ["sphinx_refinery"]
project = "Round trip"
refinery_number_exercises = "episode"
refinery_box_kinds = {"signature": {"title": "Signature", "timed": True, "icon": "law"}}

from sphinx_refinery.compat import BoxDirective


class ParametersDirective(BoxDirective):
    \"""A kind declared the sphinx-lesson way: its title is known only from a box that shows it.\"""


def setup(app):
    app.add_directive(ParametersDirective.get_cssname(), ParametersDirective)
"""

INDEX = """\
# Front page

```{toctree}
first
second
setup
reference
more
```
"""

FIRST = """\
---
teaching: 10
exercises: 15
---

# First episode

```{objectives}
- Learn.
```

~~~~~{exercise} Rename *the* `variables` and **more**
:label: ex-rename
:time: 10

Do it.

````{solution}
Nested in the original, and stays so.
````
~~~~~

```{exercise}
:time: 5

Untitled, with its solution beside it.
```

```{solution}
Beside.
```

```{discussion} Talk about it
What do you think?
```

```{solution}
The discussion's answer.
```

```{exercise} Lonely
No solution here.
```

```{demo}
:time: 3

Watch.
```

```{type-along} Together
Type.
```

```{signature} f(x)
:time: 2

A signature.
```

```{signature}
Untitled: the kind's own default title.
```

```{parameters}
Untitled too.
```

````{tab-set}
```{tab-item} Linux
:::{callout} In a tab
A box inside a tab set.
:::
```
```{tab-item} Windows
Nothing.
```
````

(practice)=
## Practice

```{keypoints}
- A point.
```
"""

SECOND = """\
---
teaching: 5
exercises: 5
---

# Second episode

```{exercise} Far away
:label: ex-far
:time: 5

Answer below.
```

Some text between them.

(practice-here)=
## Practice here

```{solution}
:exercise: ex-far

Apart from its exercise, naming it.
```

```{exercise} Two ways
Two answers beside it.
```

```{solution}
One way.
```

```{solution}
Another way.
```

```{homework}
Later.
```

```{output}
Out.
```
"""

REFERENCE = """\
Reference
=========

.. |term-f| raw:: html

   <a href="#defs"><code>f_x</code></a>

.. callout:: Using |term-f| &amp; more

   A title with raw HTML from a substitution, as ENCCS lessons write them.

.. _exercises:

Exercises
---------

A label named as its section: docutils makes up an id ("id1") beside it.
"""
MORE = """\
More
====

.. _drill:

Drill
-----

The same again on another page: a second "id1".
"""
SETUP = "# Setup\n\n```{prerequisites}\nA computer.\n```\n"
ORPHAN = "---\norphan: true\n---\n# Outside\n\n```{callout} Not in the toctree\nStill exported.\n```\n"


@pytest.fixture(scope="module")
def small(tmp_path_factory):
    root = tmp_path_factory.mktemp("roundtrip")
    lesson = root / "lesson"
    write_sources(lesson, {"conf.py": CONF, "index.md": INDEX, "first.md": FIRST, "second.md": SECOND,
                           "setup.md": SETUP, "outside.md": ORPHAN, "reference.rst": REFERENCE, "more.rst": MORE})
    return root, round_trip(root, lesson)


def test_a_small_lesson_comes_back_as_it_was(small):
    _root, (original, back, report) = small
    assert_same(original, back, report)


def test_the_hard_cases_are_in_the_build_compared(small):
    """The lesson holds what the issue names; the comparison above is over them."""
    _root, (original, _back, _report) = small
    first = inventory(original)["first"]
    assert ("exercise", "Exercise 1.1: Rename the variables and more (10 min)", 0) in first
    assert ("solution", "Solution to Exercise 1.1", 1) in first
    assert ("solution", "Solution to Exercise 1.2", 0) in first  # beside its exercise
    assert ("solution", "Solution", 0) in first  # after the discussion
    assert ("callout", "In a tab", 0) in first  # inside a tab set
    assert ("signature", "Signature", 0) in first  # an own kind's default title
    assert ("parameters", "Parameters", 0) in first  # one declared in Python, not in refinery_box_kinds
    assert inventory(original)["outside"] == [("callout", "Not in the toctree", 0)]
    second = inventory(original)["second"]
    assert ("solution", "Solution to Exercise 2.1", 0) in second
    assert second.count(("solution", "Solution to Exercise 2.2", 0)) == 2
    assert inventory(original)["reference"] == [("callout", "Using f_x &amp; more", 0)]


def test_raw_html_in_a_title_is_written_as_its_words_and_reported(small):
    root, (_original, _back, report) = small
    text = (root / "workbench" / "learners" / "reference.md").read_text(encoding="utf-8")
    # the words of the raw HTML, and rST's literal "&amp;" kept from reading as an entity
    assert "## Using f\\_x \\&amp; more" in text and "<code>" not in text
    assert "reference:8: raw markup in a box title -> its text" in report


def test_the_workbench_copy_nests_solutions_and_keeps_the_settings(small):
    root, _builds = small
    first = (root / "workbench" / "episodes" / "first.md").read_text(encoding="utf-8")
    # the Workbench's way: the solution inside its exercise; marked so that it comes back beside it
    assert '::: {.solution placed="after"}\n\nBeside.\n\n:::\n\n::::::' in first
    assert '{.challenge .demo time="3"}' in first and "{.callout .signature" in first
    second = (root / "workbench" / "episodes" / "second.md").read_text(encoding="utf-8")
    assert '{.solution exercise="ex-far"}' in second
    config = (root / "workbench" / "config.yaml").read_text(encoding="utf-8")
    assert forms.refinery_settings(__import__("yaml").safe_load(config)) == ({
        "number_exercises": "episode",
        "box_kinds": {"signature": {"title": "Signature", "timed": True, "icon": "law"},
                      "parameters": {"title": "Parameters"}},
    }, [])


def broken_links(outdir: Path) -> list[str]:
    """Links between the lesson's pages whose page or #fragment the build does not have."""
    ids: dict[Path, set[str]] = {}

    def ids_of(page: Path) -> set[str]:
        if page not in ids:
            soup = BeautifulSoup(page.read_text(encoding="utf-8"), "html.parser")
            ids[page] = {element["id"] for element in soup.select("[id]")}
        return ids[page]

    broken = []
    for page in sorted(outdir.rglob("*.html")):
        if page.relative_to(outdir).parts[0].startswith("_"):
            continue
        for link in BeautifulSoup(page.read_text(encoding="utf-8"), "html.parser").select("a[href]"):
            href = link["href"]
            if "://" in href or href.startswith("mailto:"):
                continue
            path, _sep, fragment = href.partition("#")
            target = (page.parent / path).resolve() if path else page
            if not target.is_file() or (fragment and fragment not in ids_of(target)):
                broken.append(f"{page.relative_to(outdir)}: {href}")
    return broken


def test_the_example_lesson_comes_back_as_it_was(tmp_path):
    lesson = tmp_path / "example"
    shutil.copytree(EXAMPLE_LESSON, lesson, ignore=shutil.ignore_patterns("_build"))
    original, back, report = round_trip(tmp_path, lesson)
    assert_same(original, back, report)
    # its references to boxes lead to them: the boxes' labels came back from the divs' ids
    text = (tmp_path / "workbench" / "episodes" / "testing.md").read_text(encoding="utf-8")
    assert "(naming.md#ex-rename)" in text
    assert broken_links(back) == []
    assert 'id="ex-rename"' in (back / "episodes" / "naming.html").read_text(encoding="utf-8")


# -- generated boxes -------------------------------------------------------------------------

GENERATED_KINDS = ["exercise", "solution", "discussion", "callout", "demo", "type-along", "output",
                   "toggle", "homework", "instructor-note"]
TITLES = st.text(alphabet=st.sampled_from(list("abcXYZ ñé✓数*_&;")), min_size=1, max_size=12)
TITLES = TITLES.map(str.strip).filter(lambda t: t and not t.startswith(("*", "_")))
BOX = st.recursive(
    st.tuples(st.sampled_from(GENERATED_KINDS), st.one_of(st.none(), TITLES), st.just(())),
    lambda children: st.tuples(st.sampled_from(GENERATED_KINDS), st.one_of(st.none(), TITLES),
                               st.lists(children, max_size=2).map(tuple)),
    max_leaves=6,
)


def _myst(box) -> tuple[str, int]:
    kind, title, children = box
    inner = [_myst(child) for child in children]
    height = max((h for _text, h in inner), default=0) + 1
    fence = ":" * (2 + height)
    body = "\n\n".join(text for text, _h in inner) or "Body."
    return f"{fence}{{{kind}}} {title or ''}\n{body}\n{fence}", height


@settings(max_examples=4, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.lists(BOX, min_size=1, max_size=4))
def test_generated_boxes_come_back_as_they_were(tmp_path_factory, boxes):
    """Any nesting of kinds, titles and solutions (beside or inside what they answer, or
    answering nothing): the round trip shows the same boxes, at the same depths."""
    root = tmp_path_factory.mktemp("generated")
    page = "# Page\n\n```{objectives}\n- x\n```\n\n" + "\n\n".join(_myst(b)[0] for b in boxes) + "\n"
    lesson = root / "lesson"
    write_sources(lesson, {"conf.py": 'extensions = ["sphinx_refinery"]\nrefinery_number_exercises = True\n',
                           "index.md": "# Home\n\n```{toctree}\npage\n```\n", "page.md": page})
    original, back, _report = round_trip(root, lesson, strict=False)
    assert inventory(back)["page"] == inventory(original)["page"]


# -- the model's rule ------------------------------------------------------------------------


@pytest.mark.parametrize(("classes", "own", "kind"), [
    (["challenge"], (), "exercise"),
    (["challenge", "demo"], (), "demo"),
    (["challenge", "type-along"], (), "type-along"),
    (["callout", "output"], (), "output"),
    (["spoiler", "toggle"], (), "toggle"),
    (["callout", "demo"], (), "callout"),  # the export never writes a demo so
    (["challenge", "output"], (), "exercise"),
    (["callout", "signature"], ("signature",), "signature"),
    (["callout", "signature"], (), "callout"),  # not one of the lesson's own kinds
    (["challenge", "signature"], ("signature",), "exercise"),
    (["callout", "solution"], ("solution",), "callout"),  # a built-in kind is never an own one
    (["unknown", "demo"], (), None),
    ([], (), None),
])
def test_a_div_s_classes_name_its_kind(classes, own, kind):
    assert forms.kind_of_div(classes, own) == kind


def test_each_kind_is_written_as_the_div_it_is_read_from():
    for kind in [*forms.DIV_OF_KIND, *forms.NEAREST, "signature"]:
        div, why = forms.div_of(kind)
        classes = [div] if why is None else [div, kind]
        assert forms.kind_of_div(classes, {"signature"}) == kind
        assert (why is None) == (kind in forms.DIV_OF_KIND)


def test_div_attributes_are_read_as_pandoc_writes_them():
    attrs = '.challenge #ex-a time="10" exercise=\'ex-b\' placed=after data-x="a b"'
    assert forms.div_attributes(attrs) == {"time": "10", "exercise": "ex-b", "placed": "after", "data-x": "a b"}
    assert forms.div_attributes(".challenge") == {}


@pytest.mark.parametrize(("kind", "owner", "last", "attributes", "after"), [
    ("solution", "exercise", True, {"placed": "after"}, True),
    ("solution", "discussion", True, {"placed": "after"}, True),
    ("solution", "exercise", False, {"placed": "after"}, False),  # more follows it in the box
    ("solution", "exercise", True, {}, False),  # nested in the original
    ("solution", "callout", True, {"placed": "after"}, False),  # a callout asks nothing
    ("callout", "exercise", True, {"placed": "after"}, False),
    ("solution", "exercise", True, {"placed": "before"}, False),
])
def test_only_a_marked_solution_last_in_its_box_goes_back_after_it(kind, owner, last, attributes, after):
    assert forms.returns_after(kind, owner, last, attributes) is after


@pytest.mark.parametrize(("given", "settings", "problems"), [
    (None, {}, 0),
    ({"number_exercises": "lesson"}, {"number_exercises": "lesson"}, 0),
    ({"number_exercises": False}, {}, 0),
    ({"number_exercises": "sometimes"}, {}, 1),
    ("episode", {}, 1),
    ({"colour": "red"}, {}, 1),
    ({"box_kinds": ["signature"]}, {}, 1),
    ({"box_kinds": {"signature": None}}, {"box_kinds": {"signature": {}}}, 0),
    ({"box_kinds": {"exercise": {}, "Bad Name": {}, "challenge": {}}}, {}, 3),
    ({"box_kinds": {"sig": {"title": "S", "timed": "yes", "icon": 3, "aliases": ["a", 1]}}},
     {"box_kinds": {"sig": {"title": "S"}}}, 1),
])
def test_config_yaml_settings_are_read_plain_and_hostile_ones_reported(given, settings, problems):
    config = {} if given is None else {forms.CONFIG_KEY: given}
    got, said = forms.refinery_settings(config)
    assert got == settings
    assert len(said) == problems


def test_hostile_settings_reach_conf_py_only_as_plain_literals(tmp_path):
    from sphinx_refinery.migrate.workbench.conf_writer import conf_text
    from sphinx_refinery.model.workbench import WorkbenchLesson

    lesson = WorkbenchLesson(tmp_path, {"title": "T", forms.CONFIG_KEY: {
        "number_exercises": "__import__('os')", "box_kinds": {"sig": {"title": "x'); import os; ('"}}}})
    text = conf_text(lesson, ["index.md"], [])
    namespace: dict = {}
    exec(compile(text, "conf.py", "exec"), namespace)  # the text is what a build runs
    assert "refinery_number_exercises" not in namespace
    assert namespace["refinery_box_kinds"] == {"sig": {"title": "x'); import os; ('"}}


def test_docutils_made_up_ids_beside_a_heading_s_own_are_left_out():
    """git-intro's "(label)=", a blank line, then its heading: the section's ids are the
    label and "id1"; written out, "id1" became a label of the whole lesson on import, once
    per page, and the round-tripped build warned of duplicates."""
    from docutils import nodes

    from sphinx_refinery.export.blocks import PageWriter

    ids = PageWriter(None)._ids  # the heading's ids need nothing of the page
    assert ids(nodes.section(ids=["exercise-record-changes", "id1"])) == " {#exercise-record-changes}"
    assert ids(nodes.section(ids=["a", "id12", "b"])) == " []{#b} {#a}"
    assert ids(nodes.section(ids=["id1"])) == " {#id1}"  # a heading's own id stays
    assert ids(nodes.section(ids=["a", "idea1"])) == " []{#idea1} {#a}"
