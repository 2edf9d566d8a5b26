"""Lesson boxes: every kind in every syntax, the HTML contract, collapsing, custom kinds."""

from __future__ import annotations

import pytest
from bs4 import BeautifulSoup

from sphinx_refinery.boxes.directives import BOX_KINDS
from tests.conftest import boxes, build_once

#: (directive name, kind class it renders with, default title)
DIRECTIVES = [
    (name, kind.name, str(kind.title)) for kind in BOX_KINDS for name in kind.directive_names
]


def myst_backtick(name: str, title: str, body: str) -> str:
    return f"```{{{name}}} {title}\n{body}\n```\n"


def myst_colon(name: str, title: str, body: str) -> str:
    return f":::{{{name}}} {title}\n{body}\n:::\n"


def rst(name: str, title: str, body: str) -> str:
    indented = "\n".join("   " + line if line else "" for line in body.splitlines())
    return f".. {name}:: {title}\n\n{indented}\n"


SYNTAXES = {"md-backtick": (".md", myst_backtick), "md-colon": (".md", myst_colon), "rst": (".rst", rst)}


def page(syntax: str, with_title: bool) -> str:
    suffix, render = SYNTAXES[syntax]
    heading = "# Boxes\n\n" if suffix == ".md" else "Boxes\n=====\n\n"
    parts = [heading]
    for name, _kind, _title in DIRECTIVES:
        title = f"Custom {name} title" if with_title else ""
        parts.append(render(name, title, f"Body of {name}."))
        parts.append("\n")
    return "".join(parts)


@pytest.fixture(scope="module")
def every_kind(tmp_path_factory) -> dict[tuple[str, bool], BeautifulSoup]:
    pages = {}
    files = {}
    for syntax, (suffix, _render) in SYNTAXES.items():
        for with_title in (True, False):
            name = f"{syntax}-{'titled' if with_title else 'plain'}"
            files[name + suffix] = page(syntax, with_title)
            pages[(syntax, with_title)] = name
    toctree = "\n".join(pages.values())
    files["index.md"] = f"# Index\n\n```{{toctree}}\n{toctree}\n```\n"
    result = build_once(tmp_path_factory.mktemp("kinds") / "src", files)
    assert result.warning_lines() == []
    return {key: result.html(name) for key, name in pages.items()}


@pytest.mark.parametrize("syntax", SYNTAXES)
@pytest.mark.parametrize("with_title", [True, False], ids=["titled", "default-title"])
@pytest.mark.parametrize(("name", "kind", "default"), DIRECTIVES, ids=[d[0] for d in DIRECTIVES])
def test_every_kind_every_syntax(every_kind, syntax, with_title, name, kind, default):
    soup = every_kind[(syntax, with_title)]
    body = soup.find(string=f"Body of {name}.")
    assert body is not None, f"{name} body missing"
    box = body.find_parent(class_="admonition")
    assert "admonition" in box["class"] and kind in box["class"]
    title = box.find(class_="admonition-title")
    expected = f"Custom {name} title" if with_title else default
    assert title.get_text(" ", strip=True) == expected
    # One element per box: the title is a direct child of the box element.
    assert title.parent is box
    folded = next(k for k in BOX_KINDS if k.name == kind).collapsible
    assert ("summary" if folded else "p") == title.name


CASES_NESTING = {
    "md-backtick": """
        # Nesting

        ````{exercise} Outer
        Outer body.

        ```{solution}
        Inner body.
        ```
        ````
        """,
    "md-colon": """
        # Nesting

        ::::{exercise} Outer
        Outer body.

        :::{solution}
        Inner body.
        :::
        ::::
        """,
    "rst": """
        Nesting
        =======

        .. exercise:: Outer

           Outer body.

           .. solution::

              Inner body.
        """,
}


@pytest.mark.parametrize("syntax", CASES_NESTING)
def test_solution_nested_in_exercise(build, syntax):
    suffix = ".rst" if syntax == "rst" else ".md"
    result = build({"index" + suffix: CASES_NESTING[syntax]})
    assert result.warning_lines() == []
    soup = result.html()
    exercise = soup.select_one(".admonition.exercise")
    solution = exercise.select_one(".admonition.solution")
    assert solution is not None and solution.name == "details"
    assert "Inner body." in solution.get_text()
    assert not solution.has_attr("open")


def test_deep_nesting(build):
    depth = 6
    lines = ["# Deep", ""]
    for level in range(depth):
        fence = ":" * (3 + depth - level)
        lines += [f"{fence}{{discussion}} Level {level}", f"Text {level}.", ""]
    for level in reversed(range(depth)):
        lines += [":" * (3 + depth - level), ""]
    result = build({"index.md": "\n".join(lines)})
    assert result.warning_lines() == []
    soup = result.html()
    for level in range(depth):
        box = soup.find(string=f"Text {level}.").find_parent(class_="admonition")
        assert box.find(class_="admonition-title").get_text() == f"Level {level}"
        assert len(box.find_parents(class_="admonition")) == level


def test_empty_boxes(build):
    result = build({"index.md": "# Empty\n\n```{keypoints}\n```\n\n:::{exercise} Only a title\n:::\n"})
    assert result.warning_lines() == []
    assert [title for _t, _c, title in boxes(result.html())] == ["Keypoints", "Only a title"]


@pytest.mark.parametrize(
    ("source", "tag", "is_open"),
    [
        ("```{solution}\nS\n```", "details", False),
        ("```{callout}\n:class: dropdown\n\nS\n```", "details", False),
        ("```{callout}\n:class: dropdown toggle-shown\n\nS\n```", "details", True),
        ("```{solution}\n:class: toggle-shown\n\nS\n```", "details", True),
        ("```{callout}\nS\n```", "div", False),
    ],
)
def test_collapsible(build, source, tag, is_open):
    result = build({"index.md": f"# Page\n\n{source}\n"})
    # A solution alone belongs to no exercise, which the build says as check does.
    assert [w for w in result.warning_lines() if "solution-without-exercise" not in w] == []
    box = result.html().select_one(".admonition")
    assert box.name == tag
    assert box.has_attr("open") is is_open
    if tag == "details":
        summary = box.find("summary", recursive=False)
        assert summary is not None and "admonition-title" in summary["class"]


def test_solutions_open_setting(build):
    result = build(
        {"index.md": "# P\n\n```{solution}\nS\n```\n"}, confoverrides={"refinery_solutions": "open"}
    )
    box = result.html().select_one(".admonition.solution")
    assert box.name == "details" and box.has_attr("open")


def test_no_details_outside_html(build):
    result = build({"index.md": "# P\n\n```{solution} Answer\nS\n```\n"}, builder="latex")
    tex = next(result.outdir.glob("*.tex")).read_text()
    assert "\\begin{sphinxadmonition}{note}{Answer}" in tex
    assert "details" not in tex


def test_custom_kinds_from_config(build):
    conf = (
        'extensions = ["sphinx_refinery"]\n'
        'refinery_box_kinds = {"signature": {"collapsible": "open"}, "parameters": {"title": "Params"}}\n'
    )
    source = "# P\n\n```{signature} MPI_Send\nint MPI_Send(...)\n```\n\n```{parameters}\nBuffer.\n```\n"
    result = build({"conf.py": conf, "index.md": source})
    assert result.warning_lines() == []
    found = boxes(result.html())
    assert found[0][0] == "details" and {"admonition", "signature"} <= set(found[0][1])
    assert found[0][2] == "MPI_Send"
    assert found[1][0] == "div" and found[1][2] == "Params"


def test_custom_kind_by_subclassing(build):
    """The sphinx-lesson way, after migrate changed the import."""
    conf = """
        from sphinx_refinery.compat import BoxDirective as _BaseCRDirective

        extensions = ["sphinx_refinery"]

        class TypealongDirective(_BaseCRDirective):
            extra_classes = ["toggle-shown", "dropdown"]

        class ParametersDirective(_BaseCRDirective):
            extra_classes = ["dropdown"]

        def setup(app):
            for cls in (TypealongDirective, ParametersDirective):
                app.add_directive(cls.get_cssname(), cls)
        """
    source = ".. typealong::\n\n   Along.\n\n.. parameters:: Args\n\n   P.\n"
    result = build({"conf.py": conf, "index.rst": "Page\n====\n\n" + source})
    assert result.warning_lines() == []
    (tag1, classes1, title1), (tag2, classes2, title2) = boxes(result.html())
    assert (tag1, title1) == ("details", "Typealong") and "typealong" in classes1
    assert result.html().select_one(".typealong").has_attr("open")
    assert (tag2, title2) == ("details", "Args") and "parameters" in classes2
    assert not result.html().select_one(".parameters").has_attr("open")


def test_subclassed_kinds_named_with_the_older_cssname(build):
    """sphinx-lesson kept ``cssname()`` beside ``get_cssname()``; real lessons call it."""
    conf = """
        from sphinx_refinery.compat import BoxDirective as _BaseCRDirective

        extensions = ["sphinx_refinery"]

        class Hands_OnDirective(_BaseCRDirective):
            pass

        class SignatureDirective(_BaseCRDirective):
            extra_classes = ["toggle-shown", "dropdown"]

        class NamedDirective(_BaseCRDirective):
            cssname = "renamed"

        def setup(app):
            for cls in (Hands_OnDirective, SignatureDirective):
                app.add_directive(cls.cssname(), cls)
            app.add_directive(NamedDirective.get_cssname(), NamedDirective)
        """
    source = (
        ".. hands-on::\n\n   Try.\n\n.. signature::\n\n   Sig.\n\n.. renamed::\n\n   R.\n"
    )
    result = build({"conf.py": conf, "index.rst": "Page\n====\n\n" + source})
    assert result.warning_lines() == []
    found = boxes(result.html())
    assert [(tag, title) for tag, _, title in found] == [
        ("div", "Hands-On"),
        ("details", "Signature"),
        ("div", "Renamed"),
    ]
    assert "hands-on" in found[0][1] and "renamed" in found[2][1]


@pytest.mark.parametrize(
    "value",
    [{"Bad Name": {}}, {"ok": {"collapsible": "sideways"}}, {"ok": {"colour": "red"}}, ["not", "a", "dict"]],
)
def test_bad_custom_kinds_warn(build, value):
    conf = f'extensions = ["sphinx_refinery"]\nrefinery_box_kinds = {value!r}\n'
    result = build({"conf.py": conf, "index.md": "# P\n"})
    assert "refinery_box_kinds" in result.warnings
    assert "[refinery.config]" in result.warnings


def test_one_bad_custom_kind_keeps_the_others(build):
    """A bad entry is reported and left out alone: the valid kinds beside it work."""
    kinds = {"signature": {"collapsible": "open"}, "broken": {"colour": "red"}, "Bad Name": {}}
    conf = f'extensions = ["sphinx_refinery"]\nrefinery_box_kinds = {kinds!r}\n'
    page = "# P\n\n```{signature} Signed\nBody.\n```\n"
    result = build({"conf.py": conf, "index.md": page})
    lines = [line for line in result.warning_lines() if "refinery_box_kinds" in line]
    assert len(lines) == 2, result.warnings
    assert "kind 'broken': unknown option(s) colour; left out" in lines[0]
    assert "kind 'Bad Name'" in lines[1] and all("[refinery.config]" in line for line in lines)
    assert "Unknown directive" not in result.warnings
    box = result.html().select_one(".admonition.signature")
    assert box is not None and "Body." in box.get_text()
    assert box.name == "details" and box.has_attr("open")


def test_sphinx_lesson_classes_and_ids(build):
    result = build({"index.md": "# P\n\n```{exercise} My task\n:name: task-one\n:class: extra\n\nDo.\n```\n"})
    box = result.html().select_one(".admonition")
    assert {"admonition", "exercise", "admonition-exercise", "admonition-my-task", "extra"} <= set(box["class"])
    assert box["id"] == "task-one"


def test_assets_only_in_html(build):
    html = build({"index.md": "# P\n"})
    assert html.html().find("link", href=lambda h: h and "sphinx-refinery.css" in h)
    assert (html.outdir / "_static" / "sphinx-refinery.css").exists()
    latex = build({"index.md": "# P\n"}, builder="latex")
    assert not list(latex.outdir.rglob("sphinx-refinery.css"))


def test_copybutton_default_and_override(build):
    result = build({"index.md": "# P\n"})
    assert result.app.config.copybutton_exclude == ".linenos, .gp"
    conf = 'extensions = ["sphinx_refinery"]\ncopybutton_exclude = ".linenos, .gp, .go"\n'
    result = build({"conf.py": conf, "index.md": "# P\n"})
    assert result.app.config.copybutton_exclude == ".linenos, .gp, .go"


@pytest.mark.parametrize(
    ("name", "source"),
    [
        ("index.md", "# P\n\n```{toggle} More\nHidden *text*.\n```\n\n```{toggle}\n:show:\nShown text.\n```\n"),
        ("index.rst", "P\n=\n\n.. toggle:: More\n\n   Hidden *text*.\n\n.. toggle::\n   :show:\n\n   Shown text.\n"),
    ],
)
def test_toggle_directive_folds_like_sphinx_togglebutton(build, name, source):
    """sphinx-lesson loaded sphinx-togglebutton; its ``toggle`` keeps working without it."""
    result = build({name: source})
    assert result.warning_lines() == []
    (tag1, classes1, title1), (tag2, _, title2) = boxes(result.html())
    assert (tag1, title1) == ("details", "More") and "toggle" in classes1
    assert (tag2, title2) == ("details", "Details")
    first, second = result.html().select("details.toggle")
    assert not first.has_attr("open") and second.has_attr("open")
    assert "Hidden text." in first.get_text(" ", strip=True).replace(" .", ".")
    # Other builders show the content as a titled box.
    text = build({name: source}, builder="text").text("index.txt")
    assert "Hidden *text*." in text or "Hidden text." in text
    assert "Shown text." in text
