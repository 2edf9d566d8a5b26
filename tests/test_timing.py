"""Episode timing in builds, the schedule directive, and ``sphinx-refinery schedule`` (the model: test_schedule.py)."""

from __future__ import annotations

import csv
import io
import json

import pytest

from sphinx_refinery.commands.cli import main

LESSON = {
    "conf.py": 'extensions = ["sphinx_refinery"]\nproject = "Timed lesson"\n',
    "index.md": """
        # Lesson

        ```{schedule}
        :start: 09:00
        :breaks: first 10
        ```

        ```{toctree}
        first
        second
        ```
        """,
    "first.md": """
        ---
        teaching: 20
        exercises: 15
        ---

        # First

        ```{exercise}
        :time: 10

        One.
        ```
        """,
    "second.rst": """
        :teaching: 5

        Second
        ======

        .. exercise::
           :time: 7

           Two.
        """,
}


def schedule_cells(result):
    return [
        [cell.get_text(" ", strip=True) for cell in row.find_all("td")]
        for row in result.html().select("table.refinery-schedule tbody tr")
    ]


def test_schedule_directive_and_badges(build):
    result = build(LESSON)
    assert result.warning_lines() == []
    assert schedule_cells(result) == [
        ["09:00", "First", "35 min"],
        ["09:35", "Break", "10 min"],
        ["09:45", "Second", "12 min"],
        ["", "Total", "57 min"],
    ]
    links = result.html().select("table.refinery-schedule a")
    assert [a["href"] for a in links] == ["first.html", "second.html"]
    assert result.html("first").select_one(".refinery-timing").get_text() == "Teaching 20 min · Exercises 15 min"
    assert result.html("second").select_one(".refinery-timing").get_text() == "Teaching 5 min · Exercises 7 min"


@pytest.mark.parametrize("builder", ["latex", "text", "man", "texinfo", "singlehtml", "epub"])
def test_schedule_is_a_real_table_in_every_builder(build, builder):
    result = build({**LESSON, "conf.py": LESSON["conf.py"] + 'version = "1"\ncopyright = "2026"\n'}, builder=builder)
    assert result.warning_lines() == []
    text = "".join(p.read_text(encoding="utf-8") for p in result.outdir.rglob("*") if p.suffix in (".tex", ".txt", ".1", ".texi", ".html", ".xhtml"))
    assert "09:45" in text and "57 min" in text


def test_badges_are_put_in_at_write_time(build):
    """The stored doctree keeps no badge (collectors only collect); each written
    page gets its own, also where one document gathers every page."""
    result = build(LESSON, builder="singlehtml")
    assert result.warning_lines() == []
    for docname in ("first", "second"):
        assert not list(result.app.env.get_doctree(docname).findall(
            lambda n: "refinery-timing" in n.get("classes", ()) if hasattr(n, "get") else False))
    badges = [b.get_text() for b in result.html().select(".refinery-timing")]
    assert badges == ["Teaching 20 min · Exercises 15 min", "Teaching 5 min · Exercises 7 min"]


@pytest.mark.parametrize("show", ["instructor", "none"])
def test_show_timing(build, show):
    result = build(LESSON, confoverrides={"refinery_show_timing": show})
    badge = result.html("first").select_one(".refinery-timing")
    if show == "none":
        assert badge is None
    else:
        assert "refinery-instructor-only" in badge["class"]


WARNING_CASES = {
    "missing": (
        {"second.rst": "Second\n======\n\n.. objectives::\n\n   - x\n"},
        "second.rst:1: WARNING: episode has no timing",
        "refinery.timing-missing",
    ),
    "over budget": (
        {"first.md": "---\nteaching: 5\nexercises: 5\n---\n# First\n\n```{exercise}\n:time: 10\n\nX.\n```\n"},
        "first.md:1: WARNING: the exercises' times add up to 10 min, more than the 5 min",
        "refinery.timing-budget",
    ),
    "not a number": (
        {"first.md": "---\nteaching: twenty\n---\n# First\n"},
        "first.md:1: WARNING: teaching: 'twenty' is not a whole number of minutes",
        "refinery.timing-value",
    ),
    "bad start": (
        {"first.md": "---\nteaching: 5\nday: 2\nstart: noon\n---\n# First\n"},
        "first.md:1: WARNING: start: 'noon' is not a time of day",
        "refinery.timing-value",
    ),
    "bad directive option": (
        {"index.md": "# L\n\n```{schedule}\n:start: 9 o'clock\n```\n\n```{toctree}\nfirst\nsecond\n```\n"},
        "index.md:3: WARNING: :start: \"9 o'clock\" is not a time of day",
        "refinery.schedule",
    ),
}


@pytest.mark.parametrize("case", WARNING_CASES)
def test_timing_warnings(build, case):
    changes, expected, subtype = WARNING_CASES[case]
    result = build({**LESSON, **changes})
    assert expected in result.warnings
    assert f"[{subtype}]" in result.warnings
    quiet = build({**LESSON, **changes, "conf.py": LESSON["conf.py"] + f"suppress_warnings = [{subtype!r}]\n"})
    assert expected not in quiet.warnings


@pytest.mark.parametrize("timed", [False, True], ids=["no-timing", "timing-but-no-schedule"])
def test_lessons_without_a_schedule_stay_quiet(build, timed):
    front = "---\nteaching: 5\n---\n" if timed else ""
    files = {
        "index.md": "# L\n\n```{toctree}\nep\nother\n```\n",
        "ep.md": front + "# Ep\n\n```{objectives}\n- x\n```\n",
        "other.md": "# Other\n\n```{objectives}\n- y\n```\n",
    }
    assert build(files).warning_lines() == []


def test_schedule_follows_an_edited_episode(build, tmp_path):
    """Incremental build: edit one episode's timing, the schedule page changes as a clean build."""
    build(LESSON)
    first = tmp_path / "src" / "first.md"
    first.write_text(first.read_text().replace("teaching: 20", "teaching: 50"))
    incremental = build(None)
    clean = build(None, builddir=tmp_path / "clean")
    assert ["09:00", "First", "1 h 5 min"] in schedule_cells(incremental)
    assert incremental.text("index.html") == clean.text("index.html")


@pytest.fixture
def lesson_dir(tmp_path):
    from tests.conftest import write_sources

    write_sources(tmp_path / "lesson", LESSON)
    return tmp_path / "lesson"


def test_cli_text(lesson_dir, capsys):
    assert main(["schedule", str(lesson_dir)]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert lines[0].split() == ["Day", "Start", "Episode", "Duration"]
    assert lines[2].split() == ["1", "09:00", "First", "35", "min"]
    assert lines[-1].split() == ["Total", "57", "min"]


def test_cli_csv_and_json(lesson_dir, capsys):
    assert main(["schedule", str(lesson_dir), "--format", "csv", "--start", "13:00"]) == 0
    rows = list(csv.DictReader(io.StringIO(capsys.readouterr().out)))
    assert [(r["start"], r["minutes"], r["title"]) for r in rows] == [
        ("13:00", "35", "First"), ("13:35", "10", "Break"), ("13:45", "12", "Second")]
    assert main(["schedule", str(lesson_dir), "--format", "json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert data["total_minutes"] == 57 and data["rows"][2]["page"] == "second"


def test_cli_ics_parses(lesson_dir, capsys):
    import icalendar  # a test requirement
    args = ["--format", "ics", "--date", "2026-12-01", "--days", "second 10:00", "--timezone", "Europe/Helsinki"]
    assert main(["schedule", str(lesson_dir), *args]) == 0
    calendar = icalendar.Calendar.from_ical(capsys.readouterr().out)
    events = [(str(e["SUMMARY"]), e.decoded("DTSTART").isoformat(), e.decoded("DTEND").isoformat()) for e in calendar.walk("VEVENT")]
    # In UTC: Helsinki is two hours ahead in December.
    assert events == [
        ("First", "2026-12-01T07:00:00+00:00", "2026-12-01T07:35:00+00:00"),
        ("Break", "2026-12-01T07:35:00+00:00", "2026-12-01T07:45:00+00:00"),
        ("Second", "2026-12-02T08:00:00+00:00", "2026-12-02T08:12:00+00:00"),
    ]
    assert len({str(e["UID"]) for e in calendar.walk("VEVENT")}) == 3


def _ics_starts(out: str) -> list[str]:
    import icalendar  # a test requirement

    calendar = icalendar.Calendar.from_ical(out)
    return [e.decoded("DTSTART").isoformat() for e in calendar.walk("VEVENT")]


def test_cli_ics_takes_the_lessons_timezone(lesson_dir, capsys):
    """Without --timezone, the lesson's refinery_timezone; --timezone overrides it."""
    conf = lesson_dir / "conf.py"
    conf.write_text(conf.read_text() + 'refinery_timezone = "Europe/Helsinki"\n')
    args = ["schedule", str(lesson_dir), "--format", "ics", "--date", "2026-12-01"]
    assert main(args) == 0
    assert _ics_starts(capsys.readouterr().out)[0] == "2026-12-01T07:00:00+00:00"
    assert main([*args, "--timezone", "UTC"]) == 0
    assert _ics_starts(capsys.readouterr().out)[0] == "2026-12-01T09:00:00+00:00"


@pytest.mark.parametrize(
    "value",
    ["Europe/Helsinky", "../../etc/passwd", "Europe/" + "x" * 5000, "Ω/Ω", "", 3],
)
def test_cli_ics_without_a_usable_timezone(lesson_dir, capsys, value):
    """A bad refinery_timezone is a located config warning; ics then asks for a time zone."""
    conf = lesson_dir / "conf.py"
    conf.write_text(conf.read_text() + f"refinery_timezone = {value!r}\n")
    args = ["schedule", str(lesson_dir), "--format", "ics", "--date", "2026-12-01"]
    assert main(args) == 2
    err = capsys.readouterr().err
    assert "--format ics needs a time zone" in err and "Traceback" not in err
    if value:
        assert "refinery_timezone" in err and "conf.py:3" in err


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["schedule", "/nonexistent-lesson"], "no such folder"),
        (["schedule", "{lesson}", "--format", "ics"], "--format ics needs --date"),
        (["schedule", "{lesson}", "--start", "25:00"], "is not a time of day"),
    ],
)
def test_cli_errors(lesson_dir, capsys, args, message):
    args = [a.format(lesson=lesson_dir) for a in args]
    assert main(args) == 2
    err = capsys.readouterr().err
    assert message in err and "Traceback" not in err


def test_the_schedule_directive_speaks_the_lessons_language(build):
    conf = 'extensions = ["sphinx_refinery"]\nlanguage = "fi"\n'
    index = (
        "# Oppitunti\n\n```{toctree}\na\nb\n```\n\n"
        "```{schedule}\n:start: 23:00\n:breaks: a 10\n```\n"
    )
    result = build({
        "conf.py": conf,
        "index.md": index,
        "a.md": "---\nteaching: 50\n---\n# A\n\nText.\n",
        "b.md": "---\nteaching: 70\n---\n# B\n\nText.\n",
    })
    cells = [td.get_text(" ", strip=True) for td in result.html().select("table td")]
    assert cells[:9] == ["23:00", "A", "50 min", "23:50", "Tauko", "10 min", "00:00 (+1 pv)", "B", "1 h 10 min"]
