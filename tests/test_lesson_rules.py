"""Rules the build and the checker share: they give the same answer on the same pages."""

from __future__ import annotations

from sphinx_refinery import aggregates, lesson_rules
from sphinx_refinery.check import rules
from sphinx_refinery.check.lesson import load, settings_from_conf

NESTED = {
    "index.md": "# Lesson\n\n```{toctree}\na\nb\n```\n",
    "a.md": "# A\n\n```{toctree}\na1\n```\n",
    "a1.md": "# A1\n",
    "b.md": "# B\n\n```{toctree}\n:glob:\nb/*\n```\n",
    "b/two.md": "# B two\n",
    "b/one.md": "# B one\n",
    "orphan.md": "---\norphan: true\n---\n# Orphan\n",
}


def test_toctree_order_is_depth_first():
    tree = {"index": ["a", "b"], "a": ["a1", "index"], "b": ["gone", "a1"], "a1": []}
    docs = {"index", "a", "b", "a1"}
    order = lesson_rules.toctree_order("index", lambda d: tree.get(d, []), docs)
    assert order == ["index", "a", "a1", "b"]
    assert lesson_rules.toctree_order("missing", lambda d: tree.get(d, []), docs) == []


def test_build_and_check_agree_on_page_order(build):
    result = build(NESTED)
    built = aggregates.toctree_order(result.app.env)
    assert built == ["index", "a", "a1", "b", "b/one", "b/two"]
    lesson = load(settings_from_conf(result.srcdir))
    assert rules.toctree_order(lesson) == built


def test_solution_owner():
    kinds = ["exercise", "solution", "discussion", "note", "solution", "exercise", "solution"]
    parents = [-1, -1, -1, -1, -1, -1, 5]
    assert lesson_rules.solution_owner(kinds, parents, 1) == 0
    # after a discussion: the discussion's, not the exercise's further up
    assert lesson_rules.solution_owner(kinds, parents, 4) == 2
    # inside an exercise: that exercise's
    assert lesson_rules.solution_owner(kinds, parents, 6) == 5
    assert lesson_rules.solution_owner(["note", "solution"], [-1, 0], 1) == -1


def test_check_does_not_give_a_discussions_solution_to_an_exercise(tmp_path):
    from tests.conftest import write_sources

    write_sources(
        tmp_path,
        {
            "index.md": "# Lesson\n\n```{toctree}\nep\n```\n",
            "ep.md": (
                "# Episode\n\n:::{exercise}\nDo it.\n:::\n\n"
                ":::{discussion}\nWhy?\n:::\n\n:::{solution}\nBecause.\n:::\n"
            ),
        },
    )
    lesson = load(settings_from_conf(tmp_path))
    found = [(f.rule, f.line) for f in rules.run(lesson, {"exercise-without-solution"})]
    assert found == [("exercise-without-solution", 3)]


def test_build_and_check_agree_on_solution_owners(build):
    """A solution after a discussion answers the discussion in the build as in check."""
    page = (
        "# Episode\n\n:::{exercise} Task\nDo it.\n:::\n\n"
        ":::{discussion}\nWhy?\n:::\n\n:::{solution}\nBecause.\n:::\n\n"
        ":::{exercise} Second\nAgain.\n:::\n\n:::{solution}\nDone.\n:::\n"
    )
    conf = 'extensions = ["sphinx_refinery"]\nrefinery_number_exercises = "episode"\n'
    result = build(
        {"conf.py": conf, "index.md": "# Lesson\n\n```{toctree}\nep\n```\n", "ep.md": page}
    )
    assert result.warning_lines() == []
    titles = [
        summary.get_text(" ", strip=True)
        for summary in result.html("ep").select("details.solution summary")
    ]
    assert titles == ["Solution", "Solution to Exercise 1.2"]
    lesson = load(settings_from_conf(result.srcdir))
    found = [(f.rule, f.line) for f in rules.run(lesson, {"exercise-without-solution"})]
    assert found == [("exercise-without-solution", 3)]  # the first exercise, in both
