"""Exercises: numbering, references, the exercise list, solution visibility."""

from __future__ import annotations

import collections
import re
import textwrap

import pytest
import sphinx

from tests.conftest import boxes

CONF = (
    'extensions = ["sphinx_refinery"]\nrefinery_number_exercises = {mode!r}\n'
    'version = "1"\ncopyright = "2026, tests"\n'
)

LESSON = {
    "index.md": """
        # Lesson

        ```{toctree}
        first
        second
        list
        ```
        """,
    "first.md": """
        # First episode

        ````{exercise} Warm up
        :label: ex-warm

        Warm up.

        ```{solution}
        :label: sol-warm

        Warm.
        ```
        ````

        ```{exercise}
        :nonumber:

        Optional extra.
        ```

        ```{exercise}
        Second numbered.
        ```

        ```{solution}
        Follows its exercise.
        ```
        """,
    "second.rst": """
        Second episode
        ==============

        .. challenge:: Main task
           :label: ex-main
           :time: 15

           Main.

        .. solution:: Hint
           :exercise: ex-warm

           Back to the warm-up.

        References: :ref:`ex-warm`, :numref:`ex-warm`, :numref:`Task %s <ex-main>`,
        :ref:`the task <ex-main>`, :ref:`sol-warm`.
        """,
    "list.md": """
        # Exercises

        ```{exerciselist}
        ```

        See [](ex-main) and [that one](ex-warm) and {ref}`ex-main` and {numref}`ex-main`.
        """,
}


def lesson(mode="episode", **changes):
    files = {**LESSON, "conf.py": CONF.format(mode=mode)}
    files.update(changes)
    return files


def titles(soup, kind):
    return [title for _tag, classes, title in boxes(soup) if kind in classes]


@pytest.mark.parametrize(
    ("mode", "first", "second"),
    [
        ("episode", ["Exercise 1.1: Warm up", "Exercise", "Exercise 1.2"], ["Exercise 2.1: Main task (15 min)"]),
        ("lesson", ["Exercise 1: Warm up", "Exercise", "Exercise 2"], ["Exercise 3: Main task (15 min)"]),
        (True, ["Exercise 1.1: Warm up", "Exercise", "Exercise 1.2"], ["Exercise 2.1: Main task (15 min)"]),
        (False, ["Warm up", "Exercise", "Exercise"], ["Main task (15 min)"]),
    ],
)
def test_numbering_modes(build, mode, first, second):
    result = build(lesson(mode))
    # Unnumbered, the lesson's {numref}s warn, as Sphinx's numref does.
    numref = [line for line in result.warning_lines() if "[refinery.numref]" in line]
    assert len(numref) == (3 if mode is False else 0)
    assert [line for line in result.warning_lines() if line not in numref] == []
    assert titles(result.html("first"), "exercise") == first
    assert titles(result.html("second"), "exercise") == second


def test_solutions_name_their_exercise(build):
    result = build(lesson())
    first = result.html("first")
    solutions = first.select(".admonition.solution")
    assert [s.find("summary").get_text(" ", strip=True) for s in solutions] == [
        "Solution to Exercise 1.1",
        "Solution to Exercise 1.2",
    ]
    # No link inside <summary> (assistive technology cannot reach it); the
    # exercise sits just above, so the title names it.
    assert [s.find("summary").find("a") for s in solutions] == [None, None]
    hint = result.html("second").select_one(".admonition.solution")
    assert hint.find("summary").get_text(" ", strip=True) == "Solution to Exercise 1.1: Hint"
    # Its exercise is on another page: the body starts with a link to it.
    see_also = hint.select_one(".refinery-see-also a")
    assert (see_also.get_text(), see_also["href"]) == ("Exercise 1.1", "first.html#ex-warm")


def test_solution_title_links_outside_html(build):
    result = build(lesson(), builder="latex")
    tex = next(result.outdir.glob("*.tex")).read_text()
    assert "Solution to Exercise 1.1" in tex
    if sphinx.version_info >= (9,):  # Sphinx 8's LaTeX writer flattens admonition titles to text
        assert "\\hyperref[\\detokenize{first:ex-warm}]{\\sphinxcrossref{Solution to Exercise 1.1}}" in tex


def test_every_reference_form(build):
    result = build(lesson())
    assert result.warning_lines() == []
    links = [(a.get_text(" ", strip=True), a["href"]) for a in result.html("second").select("p:not(.refinery-see-also) a.reference")]
    assert links == [
        ("Exercise 1.1: Warm up", "first.html#ex-warm"),
        ("Exercise 1.1", "first.html#ex-warm"),
        ("Task 2.1", "#ex-main"),
        ("the task", "#ex-main"),
        ("Solution to Exercise 1.1", "first.html#sol-warm"),
    ]
    links = [(a.get_text(" ", strip=True), a["href"]) for a in result.html("list").select("p a.reference")]
    assert ("Exercise 2.1: Main task", "second.html#ex-main") in links
    assert ("that one", "first.html#ex-warm") in links
    assert links.count(("Exercise 2.1", "second.html#ex-main")) == 1


NUMBERED_IN = {
    "html": ("second.html", "Exercise 2.1"),
    "dirhtml": ("second/index.html", "Exercise 2.1"),
    "singlehtml": ("index.html", "Exercise 2.1"),
    "latex": ("*.tex", "Exercise 2.1"),
    "epub": ("second.xhtml", "Exercise 2.1"),
    "text": ("second.txt", "Exercise 2.1"),
    "man": ("*.1", "Exercise 2.1"),
    "texinfo": ("*.texi", "Exercise 2.1"),
}


@pytest.mark.parametrize("builder", NUMBERED_IN)
def test_numbers_are_the_same_in_every_builder(build, builder):
    pattern, expected = NUMBERED_IN[builder]
    result = build(lesson(), builder=builder)
    assert result.warning_lines() == []
    text = "".join(p.read_text(encoding="utf-8") for p in result.outdir.glob(pattern))
    assert f"{expected}: Main task" in text
    assert "Solution to" in text


LIST_OUTPUT = {
    "html": "list.html",
    "dirhtml": "list/index.html",
    "singlehtml": "index.html",
    "epub": "list.xhtml",
}


@pytest.mark.parametrize("builder", [*LIST_OUTPUT, "latex"])
def test_exercise_list_in_every_builder(build, builder):
    result = build(lesson(), builder=builder)
    assert result.warning_lines() == []
    if builder == "latex":
        tex = next(result.outdir.glob("*.tex")).read_text()
        listed = tex[tex.index("Go to this exercise") - 3000 :]
        assert "Main task" in listed and "Go to this exercise in its episode" in tex
        return
    raw = (result.outdir / LIST_OUTPUT[builder]).read_text(encoding="utf-8")
    ids = collections.Counter(re.findall(r'\bid="([^"]+)"', raw))
    assert [i for i, n in ids.items() if n > 1] == []
    from bs4 import BeautifulSoup

    soup = BeautifulSoup(raw, "html.parser")
    listed = soup.select(".refinery-listed")
    kinds = [next(c for c in ("exercise", "solution") if c in el["class"]) for el in listed]
    # The warm-up's solution sits inside it, so it is not listed again; nonumber is listed.
    assert kinds == ["exercise", "exercise", "exercise", "solution", "exercise", "solution"]
    backlinks = soup.select(".refinery-backlink a")
    assert len(backlinks) == len(listed)


def test_exercise_list_include_exclude(build):
    changes = {
        "list.md": """
            # Exercises

            ```{exerciselist}
            :include: solution
            :exclude: dropdown-none
            ```
            """,
        "first.md": textwrap.dedent(LESSON["first.md"]) + "\n```{admonition} Generic one\n:class: exercise\n\nG.\n```\n",
    }
    result = build(lesson(**changes))
    assert result.warning_lines() == []
    listed = result.html("list").select(".refinery-listed")
    assert all("solution" in el["class"] for el in listed)
    assert len(listed) == 3

    changes["list.md"] = "# Exercises\n\n```{exerciselist}\n```\n"
    result = build(lesson(**changes))
    listed = result.html("list").select(".refinery-listed")
    generic = [el for el in listed if el.find(class_="admonition-title").get_text() == "Generic one"]
    assert len(generic) == 1 and "exercise" in generic[0]["class"]


def test_hidden_solutions(build):
    result = build(lesson(), confoverrides={"refinery_solutions": "hidden"})
    assert result.warning_lines() == []
    for page in ("first", "second", "list"):
        assert result.html(page).select(".admonition.solution") == []
        assert "Back to the warm-up" not in result.text(f"{page}.html")
    # The hidden solution's label now leads to its exercise.
    links = [(a.get_text(" ", strip=True), a["href"]) for a in result.html("second").select("p a.reference")]
    assert links[-1] == ("Exercise 1.1: Warm up", "first.html#ex-warm")


def test_hidden_standalone_solution_reference_degrades_to_text(build):
    files = {
        "index.md": "# Lesson\n\n```{solution} Lonely\n:label: lonely\n\nX.\n```\n\nSee {ref}`lonely`.\n",
    }
    result = build(files, confoverrides={"refinery_solutions": "hidden"})
    # On a page with no question a solution is a folded section: nothing to say.
    assert result.warning_lines() == []
    # Shown by its kind's title: its own is left out of the edition with it.
    assert "Lonely" not in result.text("index.html")
    paragraph = result.html().find(string=re.compile("^See ")).find_parent("p")
    assert paragraph.get_text() == "See Solution." and paragraph.find("a") is None


@pytest.mark.parametrize("parallel", [1, 2], ids=["serial", "parallel"])
def test_duplicate_label_across_pages(build, parallel):
    files = {
        "index.md": "# L\n\n```{toctree}\n" + "\n".join(f"p{i}" for i in range(6)) + "\n```\n",
        **{f"p{i}.md": f"# P{i}\n\nText.\n" for i in range(6)},
    }
    files["p0.md"] = "# P0\n\n```{exercise}\n:label: twice\n\nA.\n```\n"
    files["p5.md"] = "# P5\n\n\n```{exercise}\n:label: twice\n\nB.\n```\n"
    result = build(files, parallel=parallel)
    lines = [line for line in result.warning_lines() if "duplicate label" in line]
    assert len(lines) == 1
    assert f"{result.srcdir}/p5.md:4: WARNING: duplicate label 'twice', other instance in {result.srcdir}/p0.md, line 3" in lines[0]


def test_label_clash_with_a_section_label(build):
    files = {"index.md": "(clash)=\n# L\n\n```{exercise}\n:label: clash\n\nA.\n```\n"}
    result = build(files)
    assert "label 'clash' is used by a box and also in" in result.warnings


def test_exercise_list_keeps_figures_and_footnotes_working(build):
    files = {
        "index.md": "# L\n\n```{toctree}\nep\nlist\n```\n",
        "ep.md": """
            # Episode

            ````{exercise} With a figure
            ```{figure} pic.png
            :alt: A picture

            The caption.
            ```

            A claim.[^note]

            [^note]: The footnote.
            ````
            """,
        "list.md": "# List\n\n```{exerciselist}\n```\n",
        "pic.png": "",
    }
    result = build(files, confoverrides={"numfig": True})
    assert [w for w in result.warning_lines() if "image" not in w] == []
    soup = result.html("list")
    ids = [el["id"] for el in soup.select("[id]")]
    assert len(ids) == len(set(ids))
    # The footnote stays on the episode page; the listed copy links there.
    assert soup.select_one(".refinery-listed").find("a", href="ep.html#note") is not None
    assert "The caption." in soup.select_one(".refinery-listed figure").get_text()


def test_solution_on_another_page_follows_a_renumbered_exercise(build):
    """An incremental build rewrites a page whose solution names an exercise that moved."""
    files = {
        "index.md": "# L\n\n```{toctree}\nfirst\nsecond\n```\n",
        "first.md": "# First\n\n```{exercise} Task\n:label: ex-task\n\nDo it.\n```\n",
        "second.md": "# Second\n\n```{keypoints}\nKey.\n```\n\n```{solution}\n:exercise: ex-task\n\nDone.\n```\n",
    }
    result = build(files, confoverrides={"refinery_number_exercises": "episode"})
    summary = result.html("second").select_one(".admonition.solution summary")
    assert summary.get_text(" ", strip=True) == "Solution to Exercise 1.1"
    first = result.srcdir / "first.md"
    first.write_text(first.read_text().replace("# First\n", "# First\n\n```{exercise}\nA new first.\n```\n"))
    again = build(None, confoverrides={"refinery_number_exercises": "episode"})
    summary = again.html("second").select_one(".admonition.solution summary")
    assert summary.get_text(" ", strip=True) == "Solution to Exercise 1.2"


def test_search_leads_to_the_episode_not_to_the_list(build):
    """Copies in a list are left out of the search index; the list's own text is not."""
    import json

    result = build(lesson())
    text = (result.outdir / "searchindex.js").read_text()
    index = json.loads(text[text.index("(") + 1 : text.rindex(")")])
    docnames = index["docnames"]

    def pages_with(word):  # in the text or in a title
        pages = set()
        for kind in ("terms", "titleterms"):
            found = index[kind].get(word, [])
            pages.update(docnames[i] for i in ([found] if isinstance(found, int) else found))
        return sorted(pages)

    assert pages_with("warm") == ["first", "second"]  # "Warm up." is copied into the list
    assert "list" in pages_with("exercis")  # the list page's own title


def test_boxes_inside_a_hidden_box_are_left_out_with_it(build):
    """An exercise inside a hidden instructor note: not listed, not numbered."""
    files = {
        "index.md": "# L\n\n```{toctree}\nep\nlist\n```\n",
        "ep.md": textwrap.dedent("""
            # Episode

            ```{exercise} Open task
            Everyone does this.
            ```

            ````{instructor-note}
            ```{exercise} Secret task
            For instructors only.
            ```
            ````

            ```{exercise} Last task
            Everyone again.
            ```
            """),
        "list.md": "# List\n\n```{exerciselist}\n```\n",
    }
    result = build(files, confoverrides={"refinery_instructor_notes": "hidden",
                                         "refinery_number_exercises": "episode"})
    listed = result.html("list").get_text(" ", strip=True)
    assert "Open task" in listed and "Last task" in listed
    assert "Secret" not in listed and "For instructors only" not in listed
    assert titles(result.html("ep"), "exercise") == ["Exercise 1.1: Open task", "Exercise 1.2: Last task"]


@pytest.mark.parametrize(("mode", "text"), [("episode", "Exercise 1.1: First title"), (False, "First title")])
def test_reference_to_a_hidden_solution_names_its_exercise(build, mode, text):
    files = {
        "index.md": "# L\n\n```{toctree}\nep\nother\n```\n",
        "ep.md": "# Ep\n\n```{exercise} First title\nDo it.\n```\n\n```{solution}\n:label: sol-a\n\nDone.\n```\n",
        "other.md": "# Other\n\nSee {ref}`sol-a`.\n",
    }
    result = build(files, confoverrides={"refinery_solutions": "hidden", "refinery_number_exercises": mode})
    link = result.html("other").select_one("a.reference.internal")
    assert link.get_text(" ", strip=True) == text


def test_a_markup_edit_inside_an_exercise_reaches_the_list(build):
    """The list is written again when only the markup inside a listed box changes."""
    files = {
        "index.md": "# L\n\n```{toctree}\nep\nlist\n```\n",
        "ep.md": "# Ep\n\n```{exercise} Task\nThis is *marked*.\n```\n",
        "list.md": "# List\n\n```{exerciselist}\n```\n",
    }
    result = build(files)
    assert result.html("list").select_one(".refinery-listed em").get_text() == "marked"
    episode = result.srcdir / "ep.md"
    episode.write_text(episode.read_text().replace("*marked*", "**marked**"))
    again = build(None)
    assert again.html("list").select_one(".refinery-listed strong").get_text() == "marked"


def test_reference_to_a_solution_follows_its_renumbered_exercise(build):
    """{ref} to a solution shows its exercise's number; an incremental build updates it."""
    files = {
        "index.md": "# L\n\n```{toctree}\nep\nother\n```\n",
        "ep.md": "# Ep\n\n```{exercise} Task\n:label: ex-a\n\nDo it.\n```\n\n"
                 "```{solution}\n:label: sol-a\n\nDone.\n```\n",
        "other.md": "# Other\n\nSee {ref}`sol-a`.\n",
    }
    conf = {"refinery_number_exercises": "episode"}
    result = build(files, confoverrides=conf)
    assert result.html("other").select_one("a.reference.internal").get_text() == "Solution to Exercise 1.1"
    episode = result.srcdir / "ep.md"
    episode.write_text(episode.read_text().replace("# Ep\n", "# Ep\n\n```{exercise}\nA new first.\n```\n"))
    again = build(None, confoverrides=conf)
    assert again.html("other").select_one("a.reference.internal").get_text() == "Solution to Exercise 1.2"


SOLUTIONS_OUTSIDE_EXERCISES = {
    "md": """
        # Episode

        :::{exercise} First
        Do.
        :::

        ::::{discussion} Talk
        Discuss.
        :::{solution}
        Answer inside a discussion.
        :::
        ::::

        :::{solution}
        Answer after a discussion.
        :::

        ::::{demo} Show
        :::{solution}
        Answer inside a demo.
        :::
        ::::

        :::{admonition} Plain box
        :::{solution}
        Answer inside a plain admonition.
        :::
        :::
        """,
    "rst": """
        Episode
        =======

        .. exercise:: First

           Do.

        .. discussion:: Talk

           Discuss.

           .. solution::

              Answer inside a discussion.

        .. solution::

           Answer after a discussion.

        .. demo:: Show

           .. solution::

              Answer inside a demo.

        .. admonition:: Plain box

           .. solution::

              Answer inside a plain admonition.
        """,
}


@pytest.mark.parametrize("syntax", ["md", "rst"])
def test_every_solution_is_on_the_exercise_list(build, syntax):
    """As in sphinx-lesson: solutions under discussions and other boxes are listed too."""
    files = {
        "index.md": "# L\n\n```{toctree}\nep\nlist\n```\n",
        f"ep.{syntax}": SOLUTIONS_OUTSIDE_EXERCISES[syntax],
        "list.md": "# List\n\n```{exerciselist}\n```\n",
    }
    result = build(files)
    assert result.warning_lines() == []
    listed = result.html("list").get_text(" ")
    for where in ("inside a discussion", "after a discussion", "inside a demo", "inside a plain admonition"):
        assert f"Answer {where}." in listed
    # Each appears once (not also inside a copied parent).
    assert listed.count("Answer inside a discussion.") == 1


CAPITALISED_LABELS = {
    "index.md": "# Lesson\n\n```{toctree}\nmd\nrst\n```\n",
    "md.md": """
        # Markdown episode

        ```{exercise} Rename
        :label: Ex-Rename

        Rename it.
        ```

        ```{solution}
        :exercise: EX-RENAME

        Renamed.
        ```

        See {ref}`Ex-Rename`, {numref}`Ex-Rename`, [](Ex-Rename), [the task](Ex-Rename)
        and {ref}`Sol  Move`.
        """,
    "rst.rst": """
        RST episode
        ===========

        .. exercise:: Move
           :label: Ex-Move

           Move it.

        .. solution::
           :label: Sol  Move

           Moved.

        See :ref:`Ex-Move`, :numref:`Ex-Move`, :ref:`that one <EX-MOVE>` and :ref:`Ex-Rename`.
        """,
}


def test_labels_with_capitals_work_as_sphinx_labels_do(build):
    """Labels match whatever their case and spacing, as Sphinx's own labels do."""
    result = build({**CAPITALISED_LABELS, "conf.py": CONF.format(mode="episode")})
    assert result.warning_lines() == []

    def links(page):
        return [(a.get_text(" ", strip=True), a["href"])
                for a in result.html(page).select("p:not(.refinery-see-also) a.reference")]

    assert links("md") == [
        ("Exercise 1.1: Rename", "#ex-rename"),
        ("Exercise 1.1", "#ex-rename"),
        ("Exercise 1.1: Rename", "#ex-rename"),
        ("the task", "#ex-rename"),
        ("Solution to Exercise 2.1", "rst.html#sol-move"),
    ]
    assert links("rst") == [
        ("Exercise 2.1: Move", "#ex-move"),
        ("Exercise 2.1", "#ex-move"),
        ("that one", "#ex-move"),
        ("Exercise 1.1: Rename", "md.html#ex-rename"),
    ]
    # The solution names its exercise by the label in other capitals.
    assert [t for _tag, c, t in boxes(result.html("md")) if "solution" in c] == ["Solution to Exercise 1.1"]
    # In Sphinx's label tables, as sphinx.ext.todo's targets are.
    std = result.app.env.domains.standard_domain
    assert std.anonlabels["ex-rename"] == ("md", "ex-rename")
    assert std.anonlabels["sol move"] == ("rst", "sol-move")


def test_a_capitalised_label_used_twice_is_one_duplicate(build):
    files = {
        "index.md": "# L\n\n```{exercise}\n:label: Twice\n\nA.\n```\n\n```{exercise}\n:label: twice\n\nB.\n```\n",
    }
    result = build(files)
    assert len(result.warning_lines()) == 1
    assert "duplicate label 'twice'" in result.warning_lines()[0]


def test_a_solution_answering_nothing_is_warned_only_where_the_page_has_questions(build):
    """A page of folded sections (the Carpentries' setup pages) is fine; a solution
    before any question on a page with questions is misplaced, in the build as in check."""
    sections = "# Setup\n\n```{solution} Windows\n\nA.\n```\n\n```{solution} macOS\n\nB.\n```\n"
    misplaced = "# Ep\n\n```{solution}\n\nA.\n```\n\n```{exercise}\n\nQ.\n```\n\n```{solution}\n\nA.\n```\n"
    index = "# L\n\n```{toctree}\nsetup\nep\n```\n"
    lines = build({"index.md": index, "setup.md": sections, "ep.md": misplaced}).warning_lines()
    assert len(lines) == 1, lines
    assert "ep.md:3: " in lines[0] and "[refinery.solution-without-exercise]" in lines[0]
