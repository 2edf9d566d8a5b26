"""Schedules in the lesson model (``model/schedule.py``), without Sphinx.

Fast on purpose: ``nox -s mutants`` runs them against every mutant of the module. The
rules come from docs/timing.md; the properties check each computed schedule against
them, the tables check cases worked out by hand.
"""

from __future__ import annotations

import datetime as dt
import re

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from sphinx_refinery.model.lesson_rules import MAX_MINUTES
from sphinx_refinery.model.schedule import (
    EpisodeTiming,
    Row,
    Schedule,
    ScheduleOptions,
    compute_schedule,
    format_clock,
    format_duration,
    format_elapsed,
    page_problems,
    parse_schedule_options,
    timed_pages,
    untranslated,
)

DAY = 24 * 60


def episode(teaching=None, exercises=None, brk=None, day=None, start=None, exercise_minutes=0):
    return EpisodeTiming(teaching, exercises, brk, day, start, exercise_minutes)


def schedule_of(pages: dict[str, EpisodeTiming], **options):
    parsed, problems = parse_schedule_options(options)
    assert problems == []
    titles = {name: name.title() for name in pages}
    schedule = compute_schedule(["index", *pages], pages, titles, parsed)
    return [(r.day, schedule.start_text(r), r.duration, r.title) for r in schedule.rows], schedule


# -- one page's timing ---------------------------------------------------------------------


@pytest.mark.parametrize(
    ("timing", "has_timing", "is_break", "duration"),
    [
        (episode(), False, False, 0),
        (episode(teaching=20), True, False, 20),
        (episode(exercises=15), True, False, 15),
        (episode(brk=10), True, True, 10),
        (episode(brk=0), True, True, 0),
        (episode(20, 10), True, False, 30),
        # exercises: given wins over the exercises' :time: (also when it says 0)
        (episode(20, 10, exercise_minutes=25), True, False, 30),
        (episode(20, 0, exercise_minutes=25), True, False, 20),
        # without exercises:, the :time: of the page's exercises count
        (episode(20, exercise_minutes=25), True, False, 45),
        (episode(exercise_minutes=25), False, False, 25),
        # break: beside teaching or exercises is no break page: the page's own minutes count
        (episode(teaching=20, brk=10), True, False, 20),
        (episode(exercises=5, brk=10), True, False, 5),
    ],
)
def test_a_pages_timing(timing, has_timing, is_break, duration):
    assert timing.has_timing is has_timing
    assert timing.is_break is is_break
    assert timing.duration == duration


def test_timed_pages_are_those_with_timing_or_exercise_minutes():
    known = {
        "plain": episode(),
        "taught": episode(teaching=5),
        "practised": episode(exercises=0),
        "pause": episode(brk=5),
        "timed-boxes": episode(exercise_minutes=1),
    }
    assert timed_pages(known) == {"taught", "practised", "pause", "timed-boxes"}


# -- formatting ------------------------------------------------------------------------------


@settings(max_examples=100, deadline=None, derandomize=True)
@given(st.integers(min_value=0, max_value=400 * DAY))
def test_format_clock_is_the_wall_clock_and_counts_days(minutes):
    moment = dt.datetime(2001, 1, 1) + dt.timedelta(minutes=minutes)
    text = format_clock(minutes)
    days = (moment.date() - dt.date(2001, 1, 1)).days
    expected = moment.strftime("%H:%M")
    assert text == (expected if days == 0 else f"{expected} (+{days}d)")


@settings(max_examples=100, deadline=None, derandomize=True)
@given(st.integers(min_value=0, max_value=400 * DAY))
def test_format_elapsed_reads_back_as_the_minutes(minutes):
    hours, _colon, mins = format_elapsed(minutes).partition(":")
    assert hours.isdigit() and not (len(hours) > 1 and hours.startswith("0"))
    assert len(mins) == 2 and int(mins) < 60
    assert int(hours) * 60 + int(mins) == minutes


@settings(max_examples=100, deadline=None, derandomize=True)
@given(st.integers(min_value=0, max_value=100 * DAY))
def test_format_duration_reads_back_as_the_minutes(minutes):
    text = format_duration(minutes)
    match = re.fullmatch(r"(?:([1-9][0-9]*) h)?(?: ?([0-9]+) min)?", text)
    assert match and text.strip() == text, text
    hours, mins = int(match[1] or 0), int(match[2] or 0)
    assert hours * 60 + mins == minutes
    assert mins < 60
    # Both parts only when both are there; "0 min" only for nothing at all.
    assert (match[2] is None) == (minutes > 0 and mins == 0)


@pytest.mark.parametrize(
    ("minutes", "text"),
    [(0, "0 min"), (5, "5 min"), (60, "1 h"), (65, "1 h 5 min"), (150, "2 h 30 min"), (24 * 60, "24 h")],
)
def test_format_duration(minutes, text):
    assert format_duration(minutes) == text


FINNISH = {
    "%(clock)s (+%(days)dd)": "%(clock)s (+%(days)d pv)",
    "%(hours)d h %(minutes)d min": "%(hours)d t %(minutes)d min",
    "%d h": "%d t",
    "%d min": "%d minuuttia",
    "Break": "Tauko",
}


def finnish(message: str) -> str:
    return FINNISH.get(message, message)


def test_texts_a_reader_sees_are_the_callers_translations():
    assert format_clock(DAY + 5, finnish) == "00:05 (+1 pv)"
    assert format_clock(5, finnish) == "00:05"
    assert format_duration(65, finnish) == "1 t 5 min"
    assert format_duration(120, finnish) == "2 t"
    assert format_duration(45, finnish) == "45 minuuttia"
    assert untranslated("%d min") == "%d min"


def test_the_model_formats_with_the_callers_gettext():
    parsed, _problems = parse_schedule_options({"start": "23:00", "breaks": "a 10"})
    schedule = compute_schedule(["a", "b"], {"a": episode(50), "b": episode(30)}, {}, parsed, finnish)
    assert [(schedule.start_text(r), r.title) for r in schedule.rows] == [
        ("23:00", "a"),
        ("23:50", "Tauko"),
        ("00:00 (+1 pv)", "b"),
    ]
    # Without a translation, the break is called what the model calls it.
    plain = compute_schedule(["a", "b"], {"a": episode(50), "b": episode(30)}, {}, parsed)
    assert plain.rows[1].title == "Break"


def test_a_thirty_hour_lesson_never_wraps():
    pages = {f"p{i}": episode(60) for i in range(30)}
    rows, schedule = schedule_of(pages)
    assert rows[-1] == (1, "29:00", 60, "P29")
    assert schedule.total == 30 * 60
    rows, _ = schedule_of(pages, start="09:00")
    assert rows[15][1] == "00:00 (+1d)"
    assert rows[-1][1] == "14:00 (+1d)"


def test_schedule_days_and_total():
    assert Schedule(rows=[], clock=False).days == 1
    assert Schedule(rows=[], clock=False).total == 0
    rows = [Row(1, 0, 10, "a", "a", False), Row(3, 0, 20, "b", "b", False), Row(2, 0, 5, "c", "c", False)]
    assert Schedule(rows=rows, clock=True).days == 3
    assert Schedule(rows=rows, clock=True).total == 35


# -- computing a schedule: cases worked out by hand ----------------------------------------


def test_cumulative_times_from_zero():
    rows, schedule = schedule_of({"a": episode(20, 10), "b": episode(15), "c": episode(exercise_minutes=25)})
    assert rows == [(1, "0:00", 30, "A"), (1, "0:30", 15, "B"), (1, "0:45", 25, "C")]
    assert schedule.total == 70
    assert schedule.clock is False


def test_wall_clock():
    rows, schedule = schedule_of({"a": episode(20, 10), "b": episode(15)}, start="09:30")
    assert rows == [(1, "09:30", 30, "A"), (1, "10:00", 15, "B")]
    assert schedule.clock is True


def test_two_days_from_front_matter_and_from_the_directive():
    pages = {"a": episode(60), "b": episode(30, day=2, start=13 * 60), "c": episode(45)}
    rows, schedule = schedule_of(pages, start="09:00")
    assert rows == [(1, "09:00", 60, "A"), (2, "13:00", 30, "B"), (2, "13:30", 45, "C")]
    assert schedule.days == 2
    rows, _ = schedule_of({"a": episode(60), "b": episode(30), "c": episode(45)}, start="09:00", days="c 10:00")
    assert rows == [(1, "09:00", 60, "A"), (1, "10:00", 30, "B"), (2, "10:00", 45, "C")]
    rows, _ = schedule_of({"a": episode(60), "b": episode(30)}, start="09:00", days="b")
    assert rows[1] == (2, "09:00", 30, "B")


@pytest.mark.parametrize(
    ("pages", "options", "expected"),
    [
        pytest.param(  # day: 3 after day 1 jumps to day 3; a page saying day: 1 later starts none
            {"a": episode(60), "b": episode(30, day=3), "c": episode(20, day=1), "d": episode(10, day=3)},
            {"start": "09:00"},
            [(1, "09:00"), (3, "09:00"), (3, "09:30"), (3, "09:50")],
            id="day-numbers",
        ),
        pytest.param(  # the front matter's start: without a :start: of the directive
            {"a": episode(60), "b": episode(30, day=2, start=10 * 60), "c": episode(15)},
            {},
            [(1, "0:00"), (2, "10:00"), (2, "10:30")],
            id="front-matter-start",
        ),
        pytest.param(  # a day's own start beats the front matter's; none given: :start:
            {"a": episode(60), "b": episode(30, start=10 * 60), "c": episode(15, start=11 * 60)},
            {"start": "08:00", "days": "b 14:00, c"},
            [(1, "08:00"), (2, "14:00"), (3, "08:00")],
            id="days-option-wins",
        ),
        pytest.param(  # :days: without :start: counts the other days from 0:00 ...
            {"a": episode(60), "b": episode(30)},
            {"days": "b"},
            [(1, "0:00"), (2, "0:00")],
            id="days-without-start",
        ),
        pytest.param(  # ... but a time of day on any day makes every start a time of day
            {"a": episode(60), "b": episode(30)},
            {"days": "b 13:00"},
            [(1, "00:00"), (2, "13:00")],
            id="days-with-a-time",
        ),
        pytest.param(  # the first page's front matter start: is where day 1 begins
            {"a": episode(60, start=10 * 60), "b": episode(30)},
            {"start": "09:00"},
            [(1, "10:00"), (1, "11:00")],
            id="first-page-start",
        ),
        pytest.param(  # the first page named in :days: starts day 1, at its time
            {"a": episode(60), "b": episode(30)},
            {"start": "09:00", "days": "a 10:00"},
            [(1, "10:00"), (1, "11:00")],
            id="first-page-in-days",
        ),
        pytest.param(  # a break page that starts a day
            {"a": episode(60), "lunch": episode(brk=45, day=2)},
            {"start": "11:00"},
            [(1, "11:00"), (2, "11:00")],
            id="break-page-on-day-two",
        ),
    ],
)
def test_days_and_starts(pages, options, expected):
    rows, _schedule = schedule_of(pages, **options)
    assert [(day, start) for day, start, _minutes, _title in rows] == expected


def test_breaks_from_the_directive_and_break_pages():
    pages = {"a": episode(50), "coffee": episode(brk=15), "b": episode(40)}
    rows, schedule = schedule_of(pages, start="09:00", breaks="b 10")
    assert rows == [
        (1, "09:00", 50, "A"),
        (1, "09:50", 15, "Coffee"),
        (1, "10:05", 40, "B"),
        (1, "10:45", 10, "Break"),
    ]
    assert [r.is_break for r in schedule.rows] == [False, True, False, True]
    assert [r.docname for r in schedule.rows] == ["a", "coffee", "b", None]


def test_lunch_and_two_breaks_after_one_page():
    pages = {"a": episode(90), "b": episode(60), "c": episode(30)}
    rows, schedule = schedule_of(pages, start="09:00", breaks="a 15, a 5\nb 60")
    assert rows == [
        (1, "09:00", 90, "A"),
        (1, "10:30", 15, "Break"),
        (1, "10:45", 5, "Break"),
        (1, "10:50", 60, "B"),
        (1, "11:50", 60, "Break"),
        (1, "12:50", 30, "C"),
    ]
    assert schedule.total == 90 + 15 + 5 + 60 + 60 + 30


def test_a_break_after_the_last_page_of_a_day_stays_on_that_day():
    rows, _ = schedule_of({"a": episode(60), "b": episode(30)}, start="09:00", days="b 13:00", breaks="a 15")
    assert rows == [(1, "09:00", 60, "A"), (1, "10:00", 15, "Break"), (2, "13:00", 30, "B")]


def test_pages_left_out():
    known = {"a": episode(10), "notes": episode(), "b": episode(5)}
    options = ScheduleOptions(breaks=[("notes", 10), ("gone", 5)])
    schedule = compute_schedule(["index", "a", "notes", "missing", "b"], known, {"a": "Intro"}, options)
    # Untimed and unknown pages are not listed, nor the breaks after them; a page
    # without a title shows its name.
    assert [(r.title, r.start) for r in schedule.rows] == [("Intro", 0), ("b", 10)]
    assert schedule.rows[0].docname == "a" and schedule.rows[1].docname == "b"
    # Only pages in the order count, in its order.
    assert [r.docname for r in compute_schedule(["b", "a"], known, {}, ScheduleOptions()).rows] == ["b", "a"]


# -- computing a schedule: the rules, on generated lessons ---------------------------------

minutes = st.integers(min_value=0, max_value=300)
optional = st.none() | minutes


@st.composite
def lessons(draw):
    names = draw(st.lists(st.sampled_from("abcdefgh"), unique=True, max_size=8))
    known = {
        name: EpisodeTiming(
            draw(optional), draw(optional), draw(optional),
            draw(st.none() | st.integers(min_value=1, max_value=4)),
            draw(st.none() | st.integers(min_value=0, max_value=DAY - 1)),
            draw(st.sampled_from([0, 0, 5, 20])),
        )
        for name in names
        if draw(st.integers(0, 5))  # some pages in the order have no record
    }
    clock = st.none() | st.integers(min_value=0, max_value=DAY - 1)
    options = ScheduleOptions(
        start=draw(clock),
        day_starts=draw(st.dictionaries(st.sampled_from(names or ["x"]), clock, max_size=3)),
        breaks=draw(st.lists(st.tuples(st.sampled_from([*names, "y"]), st.integers(1, 90)), max_size=4)),
    )
    return names, known, options


def _page_minutes(record: EpisodeTiming) -> int:
    """docs/timing.md: teaching plus exercises (or their :time: sum); a break page its break."""
    if record.teaching is None and record.exercises is None and record.break_minutes is not None:
        return record.break_minutes
    exercises = record.exercises if record.exercises is not None else record.exercise_minutes
    return (record.teaching or 0) + exercises


@settings(max_examples=60, deadline=None, derandomize=True, suppress_health_check=[HealthCheck.too_slow])
@given(lessons())
def test_a_schedule_follows_the_rules(lesson):
    order, known, options = lesson
    schedule = compute_schedule(order, known, {}, options, lambda m: f"<{m}>")
    def timed(record: EpisodeTiming) -> bool:
        given_minutes = (record.teaching, record.exercises, record.break_minutes)
        return given_minutes != (None, None, None) or record.exercise_minutes > 0

    def is_break_page(record: EpisodeTiming) -> bool:
        return record.break_minutes is not None and record.teaching is None and record.exercises is None

    # Every timed page in order, each followed by its breaks; nothing else.
    expected = []
    for d in order:
        if d in known and timed(known[d]):
            expected.append((d, _page_minutes(known[d]), d, is_break_page(known[d])))
            expected += [(None, m, "<Break>", True) for after, m in options.breaks if after == d]
    assert [(r.docname, r.duration, r.title, r.is_break) for r in schedule.rows] == expected
    assert schedule.total == sum(m for _d, m, _t, _b in expected)
    assert schedule.clock == (options.start is not None or any(v is not None for v in options.day_starts.values()))
    # Days: day 1 first; a page named in :days: starts the next day, a front-matter day:
    # past the current one jumps to it; any other row stays on its day.
    origin = options.start or 0
    day, previous = 1, None
    for row in schedule.rows:
        record = known.get(row.docname) if row.docname else None
        if previous is None:
            assert row.day == 1
        elif record and record.day is not None and record.day > day:
            assert row.day == record.day
        elif record and row.docname in options.day_starts:
            assert row.day == day + 1
        else:
            assert row.day == day
        if previous is None or row.day != day:  # a day's first row: its start time
            own = options.day_starts.get(row.docname, record.start if record else None)
            assert row.start == (own if own is not None else origin)
        else:  # then one after the other
            assert row.start == previous.start + previous.duration
        day, previous = row.day, row
    assert schedule.days == max([r.day for r in schedule.rows], default=1)


# -- options ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("options", "start", "day_starts", "breaks"),
    [
        ({}, None, {}, []),
        ({"start": ""}, None, {}, []),
        ({"start": " 09:30 "}, 9 * 60 + 30, {}, []),
        ({"start": "0:05"}, 5, {}, []),
        ({"days": "b 13:00, c"}, None, {"b": 13 * 60, "c": None}, []),
        ({"days": "  b   13:00 \n\n c ,"}, None, {"b": 13 * 60, "c": None}, []),
        ({"breaks": "a 10, b 15 min\nc 0"}, None, {}, [("a", 10), ("b", 15), ("c", 0)]),
        ({"breaks": f"a {MAX_MINUTES}"}, None, {}, [("a", MAX_MINUTES)]),
        ({"breaks": "a 10,a 10"}, None, {}, [("a", 10), ("a", 10)]),
    ],
)
def test_options_read(options, start, day_starts, breaks):
    parsed, problems = parse_schedule_options(options)
    assert problems == []
    assert (parsed.start, parsed.day_starts, parsed.breaks) == (start, day_starts, breaks)


@pytest.mark.parametrize(
    ("options", "problems"),
    [
        ({"start": "9am"}, [":start: '9am' is not a time of day like 09:00"]),
        ({"start": "24:00"}, [":start: '24:00' is not a time of day like 09:00"]),
        ({"days": "b noon, c 13:00"}, [":days: 'noon' is not a time of day like 13:00"]),
        ({"breaks": "a ten"}, [f":breaks: 'a ten' should be a page and whole minutes up to {MAX_MINUTES}, like 'intro 15'"]),
        ({"breaks": "a"}, [f":breaks: 'a' should be a page and whole minutes up to {MAX_MINUTES}, like 'intro 15'"]),
        ({"breaks": f"a {MAX_MINUTES + 1}, b 5"},
         [f":breaks: 'a {MAX_MINUTES + 1}' should be a page and whole minutes up to {MAX_MINUTES}, like 'intro 15'"]),
        ({"start": "x", "days": "b y", "breaks": "z"}, [":start:", ":days:", ":breaks:"]),
    ],
)
def test_bad_options_are_each_a_problem(options, problems):
    _parsed, found = parse_schedule_options(options)
    assert len(found) == len(problems)
    for problem, text in zip(problems, found, strict=True):
        assert text.startswith(problem), found


def test_what_bad_options_leave():
    parsed, _problems = parse_schedule_options({"start": "9am", "days": "b noon, c 13:00", "breaks": "a ten, b 5"})
    assert parsed.start is None
    # A page named with a bad time still starts a day (at the :start: time).
    assert parsed.day_starts == {"b": None, "c": 13 * 60}
    assert parsed.breaks == [("b", 5)]


# -- pages the options name ----------------------------------------------------------------

ORDER = ["index", "episodes/intro", "episodes/loops", "notes"]
TIMED = {"episodes/intro", "episodes/loops"}


@pytest.mark.parametrize(
    ("options", "problems"),
    [
        (ScheduleOptions(day_starts={"episodes/loops": None}, breaks=[("episodes/intro", 5)]), []),
        (
            ScheduleOptions(day_starts={"episodes/lops": 600}),
            [":days: no page 'episodes/lops' in the lesson's toctree; did you mean 'episodes/loops'?"],
        ),
        (   # named without its folder
            ScheduleOptions(breaks=[("intro", 5)]),
            [":breaks: no page 'intro' in the lesson's toctree; did you mean 'episodes/intro'?"],
        ),
        (   # in another folder
            ScheduleOptions(breaks=[("x/y/loops", 5)]),
            [":breaks: no page 'x/y/loops' in the lesson's toctree; did you mean 'episodes/loops'?"],
        ),
        (ScheduleOptions(breaks=[("zzz", 5)]), [":breaks: no page 'zzz' in the lesson's toctree"]),
        (
            ScheduleOptions(day_starts={"notes": None}),
            [":days: the day that starts at 'notes' is left out of the schedule: that page has no "
             "timing (give it teaching: or exercises: minutes)"],
        ),
        (
            ScheduleOptions(breaks=[("notes", 5)]),
            [":breaks: the break after 'notes' is left out of the schedule: that page has no "
             "timing (give it teaching: or exercises: minutes)"],
        ),
    ],
)
def test_page_problems(options, problems):
    assert page_problems(options, ORDER, TIMED) == problems


def test_each_entry_is_a_problem_of_its_own_days_first():
    options = ScheduleOptions(day_starts={"gone": None, "notes": 60}, breaks=[("index", 5), ("notes", 5)])
    found = page_problems(options, ORDER, TIMED)
    assert [problem.split(" is left out")[0].split(" in the lesson")[0] for problem in found] == [
        ":days: no page 'gone'", ":days: the day that starts at 'notes'",
        ":breaks: the break after 'index'", ":breaks: the break after 'notes'",
    ]


def test_a_page_named_without_its_folders():
    order = ["index", "lessons/episodes/intro", "lessons/episodes/loops"]
    assert page_problems(ScheduleOptions(breaks=[("intro", 5)]), order, set(order)) == [
        ":breaks: no page 'intro' in the lesson's toctree; did you mean 'lessons/episodes/intro'?"
    ]
