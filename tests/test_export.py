"""``sphinx-refinery export --to workbench``: each construct, and hostile lessons, exported and read back.

The exported pages are read with pandoc's rules for fenced divs (a bare fence closes
the innermost open div; nothing inside a code fence counts), as the Workbench reads them.
"""

from __future__ import annotations

import re
import shutil
from dataclasses import dataclass, field
from pathlib import Path

import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from sphinx_refinery.commands.cli import main
from sphinx_refinery.export.inline import escape, protect_lines

from .conftest import write_sources

# -- reading the copy back -----------------------------------------------------------------

DIV_OPEN = re.compile(r"^ {0,3}(:{3,})\s*(?:\{(?P<attrs>[^}]*)\}|(?P<name>[\w-]+))\s*$")
DIV_CLOSE = re.compile(r"^ {0,3}:{3,}\s*$")
FENCE = re.compile(r"^\s*(`{3,}|~{3,})")


@dataclass
class Div:
    kind: str
    classes: list[str]
    ident: str
    title: str | None = None
    text: list[str] = field(default_factory=list)
    children: list[Div] = field(default_factory=list)
    labels: list[str] = field(default_factory=list)  # level-3 headings: tab labels

    def find(self, kind: str) -> list[Div]:
        found = [self] if self.kind == kind else []
        for child in self.children:
            found += child.find(kind)
        return found


def read_page(text: str) -> tuple[dict, Div]:
    """(front matter, the page as a tree of divs) as pandoc reads fenced divs."""
    front: dict = {}
    lines = text.split("\n")
    if lines[0] == "---":
        end = lines.index("---", 1)
        front = yaml.safe_load("\n".join(lines[1:end]))
        lines = lines[end + 1 :]
    root = Div("page", [], "")
    stack = [root]
    fence = None
    waiting = False
    for line in lines:
        if fence:
            stack[-1].text.append(line)
            if line.strip().startswith(fence) and set(line.strip()) == {fence[0]}:
                fence = None
            continue
        if m := FENCE.match(line):
            fence = m.group(1)
            stack[-1].text.append(line)
            waiting = False
            continue
        if m := DIV_OPEN.match(line):
            attrs = m.group("attrs") or ""
            classes = re.findall(r"\.([\w-]+)", attrs) or [m.group("name")]
            ident = (re.findall(r"#([\w:.-]+)", attrs) or [""])[0]
            div = Div(classes[0], classes, ident)
            stack[-1].children.append(div)
            stack.append(div)
            waiting = True
            continue
        if DIV_CLOSE.match(line):
            assert len(stack) > 1, "a closing fence with no open div"
            stack.pop()
            waiting = False
            continue
        if not line.strip():
            continue
        if stack[-1].kind in ("tab", "group-tab") and (h := re.match(r"^### (.*)$", line)):
            stack[-1].labels.append(h.group(1))
        elif waiting and (h := re.match(r"^#{1,6} (.*)$", line)):
            stack[-1].title = h.group(1)
        waiting = False
        stack[-1].text.append(line)
    assert len(stack) == 1, f"unclosed divs: {[d.kind for d in stack[1:]]}"
    return front, root


# -- the lesson ------------------------------------------------------------------------------

CONF = """\
extensions = ["sphinx_refinery"]
project = "Export fixture"
refinery_number_exercises = "episode"
refinery_metadata = {"license": "CC-BY-4.0", "created": "2026-01-02", "keywords": ["a", "b"]}
refinery_box_kinds = {"signature": {"title": "Signature"}}
html_context = {"github_user": "someone", "github_repo": "lesson"}
"""

INDEX = """\
# Front page

Welcome.

```{toctree}
intro
extra
setup
exercises
```
"""

INTRO = """\
---
teaching: 10
exercises: 5
---

# Ünïcødé ✓ 数据: “quotes”

```{objectives}
- One objective.
```

```{instructor-note}
Say this first.
```

Text with *stars*, a_b, [brackets] and $dollars$.

## Exercises

`````{exercise} Rename *the* variables
:label: ex-rename
:time: 5

Do it.
`````

```{solution}
Renamed.
```

```{discussion} Talk
What do you think?
```

```{solution}
Answer to the discussion.
```

```{exercise} Lonely
No solution here.
```

See {ref}`ex-rename` and {numref}`ex-rename`.

![A picture](img/pic.png)

````{tabs}
```{group-tab} Linux
On Linux.

:::{callout} Inside a tab
A box in a tab.
:::
```
```{group-tab} Windows
On Windows.
```
````

```{only} latex
Only in print.
```

```{signature} f(x)
A signature.
```

```{note}
A plain note.
```

Press {kbd}`Ctrl-C`, see {abbr}`HPC (high performance computing)`.

```{keypoints}
- A key point.
```
"""

EXTRA = """\
:teaching: 7

Extra in rST
============

.. exercise:: An rST exercise

   Some *text*.

   .. solution::

      Its answer.

.. list-table::
   :header-rows: 1

   * - Name
     - Value
   * - a
     - 1

.. list-table::

   * - code
     - .. code-block:: python

          print("| a pipe")

Link to :doc:`intro`.
"""

SETUP = "# Setup\n\nInstall things.\n"
EXERCISES = "# All exercises\n\n```{exerciselist}\n```\n"
ORPHAN = "---\norphan: true\n---\n# Orphan\n\nNot in the toctree.\n"


@pytest.fixture(scope="module")
def exported(tmp_path_factory):
    root = tmp_path_factory.mktemp("export")
    lesson = root / "lesson"
    write_sources(lesson, {
        "conf.py": CONF, "index.md": INDEX, "intro.md": INTRO, "extra.rst": EXTRA,
        "setup.md": SETUP, "exercises.md": EXERCISES, "orphan.md": ORPHAN,
    })
    (lesson / "img").mkdir()
    (lesson / "img" / "pic.png").write_bytes(b"\x89PNG fake")
    out = root / "out"
    report = root / "report.txt"
    assert main(["export", "--to", "workbench", str(lesson), str(out), "--report", str(report)]) == 0
    return out, report.read_text(encoding="utf-8")


def page(out: Path, rel: str) -> tuple[dict, Div]:
    return read_page((out / rel).read_text(encoding="utf-8"))


def test_config_lists_the_episodes_in_order_and_the_other_pages(exported):
    out, _report = exported
    config = yaml.safe_load((out / "config.yaml").read_text(encoding="utf-8"))
    assert config["title"] == "Export fixture"
    assert config["created"] == "2026-01-02"
    assert config["keywords"] == "a, b"
    assert config["license"] == "CC-BY-4.0"
    assert config["source"] == "https://github.com/someone/lesson"
    assert config["episodes"] == ["intro.md", "extra.md"]
    assert config["learners"] == ["setup.md", "orphan.md"]
    assert (out / "index.md").read_text(encoding="utf-8").startswith("---\nsite: sandpaper::sandpaper_site\n")


def test_front_matter_has_title_and_minutes(exported):
    out, _report = exported
    front, _ = page(out, "episodes/intro.md")
    assert front == {"title": "Ünïcødé ✓ 数据: “quotes”", "teaching": 10, "exercises": 5}
    front, _ = page(out, "episodes/extra.md")
    assert front == {"title": "Extra in rST", "teaching": 7, "exercises": 0}


def test_boxes_are_divs_titled_by_their_first_heading(exported):
    out, _report = exported
    _, root = page(out, "episodes/intro.md")
    kinds = [d.kind for d in root.children]
    assert kinds == ["objectives", "instructor", "challenge", "discussion", "challenge",
                     "group-tab", "callout", "callout", "keypoints"]
    rename = root.children[2]
    assert rename.ident == "ex-rename" and rename.title == "Rename *the* variables"
    # its minutes: in the episode's, and kept as an attribute the Workbench leaves alone
    text = (out / "episodes/intro.md").read_text(encoding="utf-8")
    assert '::: {.challenge #ex-rename time="5"}' in text
    assert root.children[4].title == "Lonely"
    # a kind of the lesson's own: the nearest div, its name kept as a class
    assert root.children[6].classes == ["callout", "signature"] and root.children[6].title == "f(x)"
    assert root.children[7].title == "Note"


def test_solutions_nest_in_what_they_answer(exported):
    out, _report = exported
    _, root = page(out, "episodes/intro.md")
    rename, discussion, lonely = root.children[2], root.children[3], root.children[4]
    assert [c.kind for c in rename.children] == ["solution"]
    assert "Renamed." in rename.children[0].text
    # a solution after a discussion answers the discussion, not the exercise above it
    assert [c.kind for c in discussion.children] == ["solution"]
    assert "Answer to the discussion." in discussion.children[0].text
    assert lonely.children == []


def test_tabs_are_group_tabs_with_a_heading_per_tab_and_boxes_inside(exported):
    out, _report = exported
    _, root = page(out, "episodes/intro.md")
    tabs = root.children[5]
    assert tabs.labels == ["Linux", "Windows"]
    assert [(c.kind, c.title) for c in tabs.children] == [("callout", "Inside a tab")]


def test_images_are_copied_to_fig_and_links_rewritten(exported):
    out, _report = exported
    text = (out / "episodes/intro.md").read_text(encoding="utf-8")
    assert "![A picture](fig/pic.png){alt='A picture'}" in text
    assert (out / "episodes/fig/pic.png").read_bytes() == b"\x89PNG fake"


def test_references_to_exercises_keep_their_number_in_the_text(exported):
    out, report = exported
    text = (out / "episodes/intro.md").read_text(encoding="utf-8")
    assert "[Exercise 1.1: Rename the variables](#ex-rename)" in text
    assert "reference to exercise 1.1 (ex-rename)" in report
    assert "intro:" in report and "exercise number 1.1 -> an unnumbered challenge" in report


def test_markdown_specials_in_text_are_escaped(exported):
    out, _report = exported
    text = (out / "episodes/intro.md").read_text(encoding="utf-8")
    assert r"Text with *stars*, a\_b, \[brackets\] and \$dollars\$." in text
    assert "`Ctrl`-`C`" in text  # as Sphinx splits keys and "HPC (high performance computing)" in text


def test_only_blocks_and_plain_admonitions_are_reported(exported):
    out, report = exported
    text = (out / "episodes/intro.md").read_text(encoding="utf-8")
    assert "<!-- only latex:\n\nOnly in print.\n-->" in text
    assert "only block (latex) -> an HTML comment holding its content" in report
    assert "note admonition -> a callout div" in report
    assert "signature box -> a callout div" in report


def test_rst_pages_are_converted(exported):
    out, _report = exported
    _, root = page(out, "episodes/extra.md")
    assert [(d.kind, d.title) for d in root.children] == [("challenge", "An rST exercise")]
    assert [c.kind for c in root.children[0].children] == ["solution"]
    text = (out / "episodes/extra.md").read_text(encoding="utf-8")
    assert "| Name | Value |\n|---|---|\n| a | 1 |" in text
    # a cell holding code: a grid table, the code block whole in its cell
    assert "| code | ```python         |\n|      | print(\"| a pipe\") |\n|      | ```               |" in text
    assert "Some *text*." in text
    assert "[Ünïcødé ✓ 数据: “quotes”](intro.md)" in text
    assert ":teaching:" not in text


def test_gathered_pages_are_left_to_the_workbench_and_orphans_listed(exported):
    out, report = exported
    assert not list(out.rglob("exercises.md"))
    assert "exercises: gathered page" in report
    assert (out / "learners/orphan.md").is_file()
    assert "orphan: page outside the toctree -> learners/orphan.md, listed last" in report


def test_an_out_folder_that_exists_is_refused(tmp_path, capsys):
    lesson = tmp_path / "lesson"
    write_sources(lesson, {"index.md": "# Home\n"})
    out = tmp_path / "out"
    out.mkdir()
    (out / "keep.txt").write_text("mine", encoding="utf-8")
    assert main(["export", "--to", "workbench", str(lesson), str(out)]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "exists and is not an empty folder" in err
    assert [p.name for p in out.iterdir()] == ["keep.txt"]
    # an empty folder is taken
    empty = tmp_path / "empty"
    empty.mkdir()
    assert main(["export", "--to", "workbench", str(lesson), str(empty)]) == 0
    assert (empty / "config.yaml").is_file()


def test_a_folder_without_a_lesson_is_a_one_line_error(tmp_path, capsys):
    assert main(["export", "--to", "workbench", str(tmp_path), str(tmp_path / "out")]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "no conf.py" in err
    assert not (tmp_path / "out").exists()


def test_a_failed_write_leaves_nothing(tmp_path, monkeypatch, capsys):
    lesson = tmp_path / "lesson"
    write_sources(lesson, {"index.md": "# Home\n\n![x](pic.png)\n"})
    (lesson / "pic.png").write_bytes(b"png")

    def broken(*_args, **_kwargs):
        raise OSError("disk full")

    monkeypatch.setattr(shutil, "copyfile", broken)
    assert main(["export", "--to", "workbench", str(lesson), str(tmp_path / "out")]) == 1
    assert "disk full" in capsys.readouterr().err
    assert sorted(p.name for p in tmp_path.iterdir()) == ["lesson"]


# -- escaping --------------------------------------------------------------------------------

@given(st.text(alphabet=st.sampled_from(list("ab #:-+*1.)>\n`[]_$\\")), max_size=40))
def test_escaped_text_never_starts_a_block(text):
    for line in protect_lines(escape(text)).split("\n"):
        stripped = line.lstrip()
        assert not re.match(r"(#|>|:::|[-+*](\s|$)|\d+[.)](\s|$))", stripped), line


def test_days_clock_times_breaks_and_editions_are_reported(tmp_path):
    lesson = tmp_path / "lesson"
    write_sources(lesson, {
        "conf.py": 'extensions = ["sphinx_refinery"]\nrefinery_solutions = "hidden"\n',
        "index.md": "# Home\n\n```{schedule}\n```\n\n```{toctree}\none\npause\ntwo\n```\n",
        "one.md": "---\nteaching: 20\nday: 1\nstart: '09:00'\n---\n# One\n\n```{exercise}\nDo.\n```\n\n```{solution}\nDone.\n```\n",
        "pause.md": "---\nbreak: 15\n---\n# Coffee\n",
        "two.md": "---\nteaching: 5\nexercises: 5\nday: 2\n---\n# Two\n\n```{objectives}\n- x\n```\n",
    })
    out = tmp_path / "out"
    report = tmp_path / "report.txt"
    assert main(["export", "--to", "workbench", str(lesson), str(out), "--report", str(report)]) == 0
    text = report.read_text(encoding="utf-8")
    config = yaml.safe_load((out / "config.yaml").read_text(encoding="utf-8"))
    assert config["episodes"] == ["one.md", "pause.md", "two.md"]
    assert config["instructors"] == ["schedule.md"]
    assert read_page((out / "episodes/pause.md").read_text(encoding="utf-8"))[0] == {
        "title": "Coffee", "teaching": 0, "exercises": 0, "break": 15}
    schedule = (out / "instructors/schedule.md").read_text(encoding="utf-8")
    row = re.compile(r"^\| 1 \| 0?9:00 \| 20 \| One \|$", re.M)  # clock times as the build writes them
    assert row.search(schedule) and "\n| 2 |" in schedule
    assert row.search((out / "index.md").read_text(encoding="utf-8"))
    assert "edition without solutions (refinery_solutions = 'hidden') -> a copy without solutions" in text
    assert "pause: break (15 min) -> teaching 0, exercises 0, 'break' kept" in text
    assert "schedule directive -> the schedule's table as built" in text
    _, root = read_page((out / "episodes/one.md").read_text(encoding="utf-8"))
    assert [(d.kind, [c.kind for c in d.children]) for d in root.children] == [("challenge", [])]


def test_links_to_sections_lead_to_ids_the_page_writes(tmp_path):
    """A section whose text a tab label also has: pandoc would number one of them, so
    the section's ids are written out, and links lead to them."""
    lesson = tmp_path / "lesson"
    write_sources(lesson, {
        "index.md": "# Home\n\n```{toctree}\none\n```\n",
        "one.md": (
            "# One\n\n```{objectives}\n- x\n```\n\nSee [below](setup-sec) and [that](#setup).\n\n"
            "````{tabs}\n```{tab} Setup\nIn a tab.\n```\n````\n\n(setup-sec)=\n## Setup\n\nText.\n"
        ),
    })
    out = tmp_path / "out"
    assert main(["export", "--to", "workbench", str(lesson), str(out)]) == 0
    text = (out / "episodes/one.md").read_text(encoding="utf-8")
    written = set(re.findall(r"\{#([\w:.-]+)\}", text))
    fragments = re.findall(r"\]\(#([\w:.-]+)\)", text)
    assert fragments and set(fragments) <= written, (fragments, written)


# -- generated lessons -----------------------------------------------------------------------

KINDS = ["exercise", "solution", "discussion", "callout", "instructor-note", "demo"]
WORDS = st.text(alphabet=st.sampled_from(list("abcXYZ ñé✓数 ")), min_size=1, max_size=12).map(str.strip).filter(bool)
BOX = st.recursive(
    st.tuples(st.sampled_from(KINDS), st.one_of(st.none(), WORDS), st.just(())),
    lambda children: st.tuples(st.sampled_from(KINDS), st.one_of(st.none(), WORDS),
                               st.lists(children, max_size=2).map(tuple)),
    max_leaves=6,
)


def _myst(box, depth: int = 0) -> tuple[str, int]:
    kind, title, children = box
    inner = [_myst(child, depth + 1) for child in children]
    height = max((h for _text, h in inner), default=0) + 1
    fence = ":" * (2 + height)
    body = "\n\n".join(text for text, _h in inner) or "Body."
    return f"{fence}{{{kind}}} {title or ''}\n{body}\n{fence}", height


def _flatten(box):
    kind, title, children = box
    yield kind, title
    for child in children:
        yield from _flatten(child)


@settings(max_examples=4, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.lists(BOX, min_size=1, max_size=4))
def test_generated_boxes_come_out_as_balanced_divs_with_their_titles(tmp_path_factory, boxes):
    from sphinx_refinery.export.kinds import div_of

    root = tmp_path_factory.mktemp("generated")
    page = "# Page\n\n```{objectives}\n- x\n```\n\n" + "\n\n".join(_myst(b)[0] for b in boxes) + "\n"
    write_sources(root / "lesson", {"index.md": "# Home\n\n```{toctree}\npage\n```\n", "page.md": page})
    out = root / "out"
    assert main(["export", "--to", "workbench", str(root / "lesson"), str(out)]) == 0
    _front, tree = read_page((out / "episodes/page.md").read_text(encoding="utf-8"))

    def walk(div):
        for child in div.children:
            yield child
            yield from walk(child)

    divs = list(walk(tree))
    expected = [(div_of(kind)[0], title) for box in boxes for kind, title in _flatten(box)]
    # Markdown reads a run of spaces in a heading as one, as HTML shows it.
    assert sorted((d.kind, d.title or "") for d in divs[1:]) == sorted(
        (k, " ".join((t or "").split())) for k, t in expected
    )


def test_glossary_terms_link_to_their_definition(tmp_path):
    lesson = tmp_path / "lesson"
    write_sources(lesson, {
        "index.md": "# Home\n\n```{toctree}\none\nglossary\n```\n",
        "one.md": "# One\n\n```{objectives}\n- x\n```\n\nA {term}`fork` and a {term}`spoon`.\n",
        "glossary.md": "# Glossary\n\n```{glossary}\nfork\n  A copy of a repository.\n```\n",
    })
    out = tmp_path / "out"
    report = tmp_path / "report.txt"
    assert main(["export", "--to", "workbench", str(lesson), str(out), "--report", str(report)]) == 0
    text = (out / "episodes/one.md").read_text(encoding="utf-8")
    link = re.search(r"\[fork\]\(\.\./learners/glossary\.md#([\w-]+)\)", text)
    assert link, text
    assert "{#" + link.group(1) + "}" in (out / "learners/glossary.md").read_text(encoding="utf-8")
    assert "glossary term 'spoon' -> its text" in report.read_text(encoding="utf-8")
