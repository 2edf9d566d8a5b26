"""Plans that say something other than the organiser meant: a warning with the plan's line
(and exit status 1 under --strict), and the schedule the plan can only have meant."""

from __future__ import annotations

import itertools
import json
import tempfile
import textwrap
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from sphinx_refinery.commands.cli import main
from sphinx_refinery.workshops import report
from sphinx_refinery.workshops.plan import compute, read_plan


def manifest(title: str, pages: list[tuple[str, int]], breaks: str = "") -> dict:
    return {
        "format": "sphinx-refinery-lesson", "version": 1, "lesson": {"title": title, "url": ""},
        "episodes": [{"page": p, "title": p.title(), "teaching": m} for p, m in pages],
        "schedule": {"options": {"breaks": breaks} if breaks else {}},
    }


LESSONS = {
    "git": manifest("Git", [("introduction", 20), ("basics", 30), ("branches", 30)], "basics 10"),
    "python": manifest("Python", [("introduction", 15), ("loops", 40)]),
}


def workshop(folder: Path, days: str):
    for name, data in LESSONS.items():
        (folder / name).mkdir(exist_ok=True)
        (folder / name / "lesson.json").write_text(json.dumps(data), encoding="utf-8")
    plan = folder / "workshop.yml"
    plan.write_text("timezone: Europe/Helsinki\ndays:\n" + textwrap.indent(textwrap.dedent(days), "  "), encoding="utf-8")
    read = read_plan(plan)
    found = {e.location: LESSONS[Path(e.same_as).name] for d in read.days for e in d.lessons}
    return plan, compute(read, found)


def messages(result) -> list[str]:
    return [str(w) for w in result.warnings]


def rows(result, day: int = 0) -> list[tuple[str, str, int]]:
    return [(i.lesson, i.title, i.minutes) for i in result.days[day].items]


def test_the_same_lesson_twice_in_a_day_however_written(tmp_path):
    _plan, result = workshop(tmp_path, """
        - date: 2027-03-16
          start: "09:00"
          lessons:
            - {lesson: git, episodes: [introduction]}
            - {lesson: git/, episodes: [basics]}
            - {lesson: git/lesson.json, episodes: [branches]}
        """)
    twice = [m for m in messages(result) if "planned twice on 2027-03-16" in m]
    assert len(twice) == 2 and ":8: git/ is planned twice" in twice[0] and "(also on line 7)" in twice[1]


def test_days_out_of_order_or_overlapping(tmp_path):
    _plan, result = workshop(tmp_path, """
        - date: 2027-03-17
          start: "23:00"
          lessons: [{lesson: git}]
        - date: 2027-03-18
          start: "00:15"
          lessons: [{lesson: python}]
        - date: 2027-03-16
          start: "09:00"
          lessons: [{lesson: python}]
        """)
    found = messages(result)
    assert any("2027-03-18 starts before 2027-03-17 ends" in m for m in found), found
    assert any(":10: 2027-03-16 comes after 2027-03-18 in the plan: out of order" in m for m in found), found


def test_a_lesson_starting_before_its_day(tmp_path):
    _plan, result = workshop(tmp_path, """
        - date: 2027-03-16
          start: "09:00"
          lessons: [{lesson: python, start: "08:00"}]
        """)
    assert any("python starts at 08:00, before its day starts (09:00)" in m for m in messages(result))


def test_an_ambiguous_plan_break_and_a_lessons_own_breaks(tmp_path):
    _plan, result = workshop(tmp_path, """
        - date: 2027-03-16
          start: "09:00"
          breaks: introduction 5
          lessons:
            - {lesson: python}
            - {lesson: git, breaks: basics 15}
        """)
    found = messages(result)
    assert any("'introduction' is a page of several lessons that day (python, git)" in m for m in found)
    assert any("git has its own 10-minute break after 'basics'; the plan's replaces it" in m for m in found)
    assert rows(result) == [
        ("Python", "Introduction", 15), ("Python", "Break", 5), ("Python", "Loops", 40),
        ("Git", "Introduction", 20), ("Git", "Basics", 30), ("Git", "Break", 15), ("Git", "Branches", 30),
    ]


def test_a_lesson_break_says_which_lesson_without_a_warning(tmp_path):
    _plan, result = workshop(tmp_path, """
        - date: 2027-03-16
          start: "09:00"
          lessons:
            - {lesson: python}
            - {lesson: git, episodes: [introduction, branches], breaks: introduction 5}
        """)
    assert messages(result) == []
    assert ("Git", "Break", 5) in rows(result) and [r[1] for r in rows(result)].count("Break") == 1


def test_a_lessons_own_break_after_its_last_page_that_day_is_left_out(tmp_path, capsys):
    plan, result = workshop(tmp_path, """
        - date: 2027-03-16
          start: "09:00"
          end: "10:00"
          lessons: [{lesson: git, episodes: [introduction, basics]}]
        """)
    assert rows(result) == [("Git", "Introduction", 20), ("Git", "Basics", 30)]
    assert any("its own break after 'basics', the last page taught that day, is left out" in m for m in messages(result))
    assert result.days[0].overrun == 0
    assert main(["workshop", str(plan)]) == 0
    assert main(["workshop", str(plan), "--strict"]) == 1
    assert "left out" in capsys.readouterr().err


refs = st.sampled_from(["git", "git/", "git/lesson.json", "python", "./python", "python/lesson.json"])


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(refs, min_size=1, max_size=5))
def test_twice_in_a_day_is_warned_of_exactly_when_it_happens(written):
    with tempfile.TemporaryDirectory() as scratch:
        day = "- date: 2027-03-16\n  start: '09:00'\n  lessons:\n" + "".join(f"    - lesson: {r}\n" for r in written)
        _plan, result = workshop(Path(scratch), day)
    names = [r.removeprefix("./").split("/")[0] for r in written]
    repeated = len(names) - len(set(names))
    assert sum("planned twice" in m for m in messages(result)) == repeated
    data = report.as_data(result)
    items = data["days"][0]["items"]
    for item, following in itertools.pairwise(items):
        assert following["start"] == item["end"]  # one after the other
