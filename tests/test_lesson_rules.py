"""Rules the build and the checker share: they give the same answer on the same pages."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from sphinx_refinery.check import rules
from sphinx_refinery.check.lesson import load, settings_from_conf
from sphinx_refinery.model import lesson_rules
from sphinx_refinery.pages import aggregates

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
    # held by the page's first box, after a discussion inside it: the box that holds it
    assert lesson_rules.solution_owner(["exercise", "discussion", "solution"], [-1, 0, 0], 2) == 0
    assert lesson_rules.solution_owner(["solution", "exercise"], [-1, -1], 0) == -1


@pytest.mark.parametrize(
    ("kinds", "parents", "misplaced"),
    [
        (["exercise", "solution"], [-1, -1], False),  # the first box's solution
        (["exercise", "solution"], [-1, 0], False),
        (["solution"], [-1], False),  # a page of solutions alone: folded sections
        (["note", "solution", "solution"], [-1, -1, 1], False),
        (["solution", "exercise"], [-1, -1], True),  # before any question, on a page with one
        (["note", "solution", "discussion"], [-1, 0, -1], True),
    ],
)
def test_misplaced_solution(kinds, parents, misplaced):
    assert lesson_rules.misplaced_solution(kinds, parents, kinds.index("solution")) is misplaced


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


# -- minutes and times of day ----------------------------------------------------------------

@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("15", 15),
        (" 15 ", 15),
        ("0", 0),
        ("15min", 15),
        ("15 min", 15),
        ("\t15\tmin\n", 15),
        ("007", 7),
        # the documented rule: "min" or no unit; migrate's old tables' units are not taken
        ("15 mins", None),
        ("15 minutes", None),
        ("15 Min", None),
        ("15 min.", None),
        ("15m", None),
        ("", None),
        ("min", None),
        ("ten", None),
        ("1.5", None),
        ("15.", None),
        ("-5", None),
        ("5²", None),
        ("①", None),
        ("٣", None),  # an Arabic-Indic digit, which int() and \d would take
        ("15 hours", None),
        ("15 min 3", None),
        ("9" * 5000, None),  # more digits than int() converts: no error
    ],
)
def test_parse_minutes(text, expected):
    assert lesson_rules.parse_minutes(text) == expected


@given(st.integers(min_value=0, max_value=10**9), st.sampled_from(["", "min", " min", "  min "]))
def test_parse_minutes_round_trip(number, unit):
    # Up to a day: past it the number is no box's or episode's time, and said so.
    expected = number if number <= lesson_rules.MAX_MINUTES else None
    assert lesson_rules.parse_minutes(f"{number}{unit}") == expected
    if expected is None:
        assert "more than 1440 minutes" in lesson_rules.minutes_problem(f"{number}{unit}")


#: Text near the grammar: digits, units, separators, and look-alikes of each (a superscript
#: two, Arabic-Indic and circled digits), so that valid and invalid input both come often.
#: Plain ``st.text()`` almost never gives a valid value, and tests only the refusals.
NEAR = st.one_of(
    st.text(alphabet="0123456789 \t:.-minuteshMINUTS²٣①x", max_size=12),
    st.builds("".join, st.lists(st.sampled_from(
        [" ", "0", "1", "9", "15", "23", "59", "60", ":", "min", "mins", "minutes", "minute", "m",
         ".", "M", "Min", "x", "²", "٣"]), max_size=5)),
    st.text(max_size=12),
)


def _digits(text: str) -> int | None:
    """ASCII digits only, as the documented rule says (never "²", "①" or "٣")."""
    return int(text) if text and all(c in "0123456789" for c in text) else None


def _minutes_oracle(text: str) -> int | None:
    text = text.strip()
    text = text.removesuffix("min").rstrip()
    minutes = _digits(text)
    return minutes if minutes is None or minutes <= lesson_rules.MAX_MINUTES else None


def _table_minutes_oracle(text: str) -> int | None:
    text = text.strip().removesuffix(".").lower()
    for unit in ("minutes", "minute", "mins", "min", "m"):
        if text.endswith(unit):
            text = text.removesuffix(unit)
            break
    return _digits(text.rstrip())


def _clock_oracle(text: str) -> int | None:
    hours, colon, minutes = text.strip().partition(":")
    if not colon or not 1 <= len(hours) <= 2 or len(minutes) != 2:
        return None
    h, m = _digits(hours), _digits(minutes)
    return h * 60 + m if h is not None and m is not None and h < 24 and m < 60 else None


@settings(max_examples=300)
@given(NEAR)
def test_parse_minutes_is_the_documented_rule(text):
    assert lesson_rules.parse_minutes(text) == _minutes_oracle(text)


@pytest.mark.parametrize(
    ("text", "in_table", "in_metadata"),
    [("40 min", 40, 40), ("40", 40, 40), ("40 mins", 40, None), ("40 Minutes.", 40, None),
     ("40m", 40, None), (" 5 minute ", 5, None), ("40 hours", None, None),
     ("forty", None, None), ("٤٠ min", None, None), ("", None, None)],
)
def test_parse_table_minutes(text, in_table, in_metadata):
    """Old timing tables say minutes in more ways than lesson metadata may."""
    assert lesson_rules.parse_table_minutes(text) == in_table
    assert lesson_rules.parse_minutes(text) == in_metadata


@settings(max_examples=300)
@given(NEAR)
def test_parse_table_minutes_is_the_documented_rule(text):
    assert lesson_rules.parse_table_minutes(text) == _table_minutes_oracle(text)


@pytest.mark.parametrize(
    ("text", "expected"),
    [("09:30", 570), ("9:30", 570), (" 23:59 ", 1439), ("0:00", 0), ("24:00", None),
     ("12:60", None), ("noon", None), ("780", None), ("09:30:00", None), ("٠٩:٣٠", None),
     ("", None)],
)
def test_parse_clock(text, expected):
    assert lesson_rules.parse_clock(text) == expected


@given(st.integers(min_value=0, max_value=23), st.integers(min_value=0, max_value=59))
def test_parse_clock_round_trip(hours, minutes):
    assert lesson_rules.parse_clock(f"{hours:02d}:{minutes:02d}") == hours * 60 + minutes


@settings(max_examples=300)
@given(NEAR)
def test_parse_clock_is_the_documented_rule(text):
    assert lesson_rules.parse_clock(text) == _clock_oracle(text)


def test_the_build_and_check_read_minutes_alike():
    """boxes' :time: converter, timing's reader and the checker use the one parser."""
    from sphinx_refinery.boxes import directives as boxes
    from sphinx_refinery.check.rules import timing as check_rules
    from sphinx_refinery.timing import reader as timing

    for text in ("15", "15 min", "15 minutes", "ten", "5²"):
        expected = lesson_rules.parse_minutes(text)
        assert check_rules._minutes(text) == expected
        if expected is None:
            with pytest.raises(ValueError):
                boxes.minutes(text)
        else:
            assert boxes.minutes(text) == expected
    assert timing.parse_clock is lesson_rules.parse_clock


# -- labels, kinds, timing rules -------------------------------------------------------------


@pytest.mark.parametrize(
    ("label", "expected"),
    [("Ex-Rename", "ex-rename"), ("  Two   Words ", "two words"), ("TAB\tand\nline", "tab and line")],
)
def test_normalize_label_is_docutils(label, expected):
    from docutils.nodes import fully_normalize_name

    assert lesson_rules.normalize_label(label) == expected == fully_normalize_name(label)


def test_box_kinds_table():
    from sphinx_refinery.boxes import directives as boxes

    assert [k.name for k in boxes.BOX_KINDS] == [k.name for k in lesson_rules.KINDS]
    for model, built in zip(lesson_rules.KINDS, boxes.BOX_KINDS, strict=True):
        assert (model.aliases, model.collapsible, model.timed) == (
            built.aliases,
            built.collapsible,
            built.timed,
        )
    assert lesson_rules.KIND_OF_DIRECTIVE["challenge"] == "exercise"
    assert {"objectives", "exercise", "keypoints"} == lesson_rules.EPISODE_KINDS
    assert {"exercise", "discussion", "homework", "demo", "type-along"} == lesson_rules.QUESTION_KINDS
    # What migrate converts: sphinx-lesson's names as they are, its underscore spelling
    # renamed, and no sphinx-togglebutton toggle (not a kramdown box class).
    assert lesson_rules.LEGACY_BOX_CLASSES["instructor_note"] == "instructor-note"
    assert lesson_rules.LEGACY_BOX_CLASSES["prereq"] == "prereq"
    assert "toggle" not in lesson_rules.LEGACY_BOX_CLASSES


def test_untimed_episodes():
    metadata = {"a": {"teaching": "10"}, "b": {}, "c": {"break": "x"}, "d": {"teaching": ""}}
    get = lambda page: metadata.get(page, {})  # noqa: E731
    # Without a schedule nothing is asked, even when some episodes are timed.
    assert lesson_rules.untimed_episodes("abcd", get, shows_schedule=False) == []
    # With one: the episodes without timing (a value that is not a number is timing).
    assert lesson_rules.untimed_episodes("abcd", get, shows_schedule=True) == ["b", "d"]


def test_budget():
    boxes = [("exercise", 10), ("discussion", 30), ("exercise", None), ("exercise", 5)]
    assert lesson_rules.exercise_minutes(boxes) == 15
    assert lesson_rules.budget_problem(15, 15) is None
    assert lesson_rules.budget_problem(15, None) is None
    assert lesson_rules.budget_problem(16, 15) == (
        "the exercises' times add up to 16 min, more than the 15 min this episode gives to "
        "exercises: raise exercises: or shorten the :time: values"
    )


@pytest.mark.parametrize(
    ("mode", "expected"),
    [
        ("episode", {"a": {"x": "1.1", "y": "1.2"}, "c": {"z": "3.1"}}),
        (True, {"a": {"x": "1.1", "y": "1.2"}, "c": {"z": "3.1"}}),
        ("lesson", {"a": {"x": "1", "y": "2"}, "c": {"z": "3"}}),
        (False, {}),
    ],
)
def test_number_exercises(mode, expected):
    """An episode without numbered boxes still takes its place in "episode" numbers."""
    boxes = {"a": ["x", "y"], "b": [], "c": ["z"]}
    assert lesson_rules.number_exercises(mode, ["a", "b", "c"], boxes.__getitem__) == expected


# -- refinery_episodes -------------------------------------------------------------------------

LISTED = {
    "index.md": "# Lesson\n\n```{toctree}\nintro\nextra\nloops\n```\n",
    "intro.md": "---\nteaching: 10\n---\n# Intro\n\nText.\n",
    "extra.md": "---\nteaching: 30\n---\n# Extra\n\n```{exercise}\nMore.\n```\n",
    "loops.md": "---\nteaching: 20\n---\n# Loops\n\n```{exercise}\nLoop.\n```\n",
}


def test_episodes_listed_or_by_their_boxes():
    order = ["index", "intro", "extra", "loops"]
    kinds = {"extra": ["exercise"], "loops": ["exercise"]}
    get = lambda page: kinds.get(page, [])  # noqa: E731
    assert lesson_rules.episodes(order, get) == ["extra", "loops"]
    # Listed: those pages, in reading order, whatever their boxes; suffixes are allowed.
    assert lesson_rules.episodes(order, get, ["loops.md", "intro", "gone"]) == ["intro", "loops"]
    assert lesson_rules.on_lesson_schedule("extra", []) is True
    assert lesson_rules.on_lesson_schedule("extra", ["intro", "loops"]) is False
    assert lesson_rules.missing_episodes(["intro.md", "gone"], set(order)) == ["gone"]


def test_build_and_check_agree_on_listed_episodes(build):
    import json

    from sphinx_refinery.check.rules.timing import episodes

    conf = 'extensions = ["sphinx_refinery"]\nrefinery_episodes = ["intro", "loops.md"]\n'
    result = build({**LISTED, "conf.py": conf})
    assert result.warning_lines() == []
    manifest = json.loads((result.outdir / "lesson.json").read_text())
    assert [(e["page"], e["minutes"]) for e in manifest["episodes"]] == [
        ("intro", 10),
        ("loops", 20),
    ]
    lesson = load(settings_from_conf(result.srcdir))
    assert [page.docname for page in episodes(lesson)] == ["intro", "loops"]
    assert result.app.env.domains["refinery"].episodes(result.app.env) == ["intro", "loops"]


def test_without_the_setting_the_boxes_decide(build):
    import json

    result = build(LISTED)
    manifest = json.loads((result.outdir / "lesson.json").read_text())
    assert [e["page"] for e in manifest["episodes"]] == ["intro", "extra", "loops"]


@pytest.mark.parametrize(
    ("value", "warned"),
    [(["intro", "gone"], "refinery_episodes names 'gone'"), ("intro", "must be a list of pages")],
)
def test_a_bad_episode_list_is_a_located_warning(build, value, warned):
    conf = f'extensions = ["sphinx_refinery"]\nrefinery_episodes = {value!r}\n'
    result = build({**LISTED, "conf.py": conf})
    lines = [line for line in result.warning_lines() if warned in line]
    assert lines and "conf.py:2" in lines[0] and "[refinery.config]" in lines[0]


# -- heading ids as pandoc makes them --------------------------------------------------------


@pytest.mark.parametrize(
    ("heading", "expected"),
    [
        ("Heading identifiers in HTML", "heading-identifiers-in-html"),
        ("Maître d'hôtel", "maître-dhôtel"),
        ("*Dogs*?--in *my* house?", "dogs--in-my-house"),
        ("[HTML], [S5], or [RTF]?", "html-s5-or-rtf"),
        ("3. Applications", "applications"),
        ("33", "section"),
        ("Using v1.2_beta", "using-v1.2_beta"),
    ],
)
def test_pandoc_heading_id(heading, expected):
    # The examples of pandoc's manual (auto_identifiers).
    assert lesson_rules.pandoc_heading_id(heading) == expected


@given(st.text())
def test_pandoc_heading_id_is_an_id(text):
    slug = lesson_rules.pandoc_heading_id(text)
    assert slug and not any(c.isspace() for c in slug)
    assert slug == "section" or slug[0].isalpha()


@pytest.mark.parametrize(
    ("text", "day"),
    [("2", 2), (" 3 ", 3), ("1", 1), ("two", None), ("", None), ("-1", None), ("2.5", None), ("٣", None)],
)
def test_parse_day(text, day):
    assert lesson_rules.parse_day(text) == day


@pytest.mark.parametrize("clock", ["13:05", "9:30", "23:59", "10:00"])
def test_start_problem_explains_yamls_number(clock):
    import yaml

    # YAML 1.1 (PyYAML) reads an unquoted time as a base-60 number; MyST hands it on as text.
    number = yaml.safe_load(f"start: {clock}")["start"]
    assert isinstance(number, int)
    hours, _colon, mins = clock.partition(":")
    assert lesson_rules.start_problem(str(number)) == (
        f"start: {number} is not a time of day: YAML reads an unquoted {int(hours)}:{mins} "
        f'as the number {number}; quote the time, like start: "{int(hours):02d}:{mins}"'
    )
    assert lesson_rules.start_problem(number) == lesson_rules.start_problem(str(number))


@pytest.mark.parametrize("value", ["noon", "9am", "٣٠", "²", "", "13:00:00", None])
def test_start_problem_of_what_is_no_number(value):
    assert lesson_rules.start_problem(value) == f"start: {value!r} is not a time of day like 09:00"


@pytest.mark.parametrize(
    ("text", "problem"),
    [
        ("ten", "is not a whole number of minutes"),
        ("1.5", "is not a whole number of minutes"),
        ("1441", "is more than 1440 minutes (a day), which no box or episode takes"),
        (" 99999 min ", "is more than 1440 minutes (a day), which no box or episode takes"),
    ],
)
def test_minutes_problem(text, problem):
    assert lesson_rules.parse_minutes(text) is None
    assert lesson_rules.minutes_problem(text) == problem


@pytest.mark.parametrize(
    ("entry", "docname"),
    [
        ("episodes/intro.md", "episodes/intro"), ("./episodes/intro.rst", "episodes/intro"),
        ("episodes\\intro.ipynb", "episodes/intro"), (" .\\intro.Rmd ", "intro"), ("notes.txt", "notes"),
        ("episodes/intro", "episodes/intro"), ("a/./b.md", "a/./b"), ("intro.MD", "intro.MD"),
        ("intro.rmd", "intro.rmd"), ("intro.md.txt", "intro.md"), ("../x.md", "../x"),
    ],
)
def test_episode_docname(entry, docname):
    assert lesson_rules.episode_docname(entry) == docname
