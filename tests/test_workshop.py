"""Workshop plans, ``sphinx-refinery workshop``, lesson.json and ``workshop-schedule``."""

from __future__ import annotations

import functools
import http.server
import json
import subprocess
import sys
import textwrap
import threading
from pathlib import Path

import icalendar
import pytest

from sphinx_refinery.commands.cli import main
from sphinx_refinery.workshops import manifest
from tests.conftest import build_once, write_sources

GIT = {
    "conf.py": 'extensions = ["sphinx_refinery"]\nproject = "Git intro"\nrefinery_number_exercises = True\n',
    "index.md": """
        # Git intro

        ```{schedule}
        :start: 09:00
        :breaks: motivation 10
        ```

        ```{toctree}
        motivation
        basics
        coffee
        branches
        setup
        ```
        """,
    "motivation.md": """
        ---
        teaching: 20
        exercises: 10
        ---

        # Motivation

        ```{exercise} First steps
        :label: first-steps
        :time: 10

        Try.
        ```
        """,
    "basics.md": "---\nteaching: 30\nexercises: 15\n---\n\n# Basics\n\n```{objectives}\n- x\n```\n",
    "coffee.md": "---\nbreak: 15\n---\n\n# Coffee\n",
    "branches.md": "---\nteaching: 25\nexercises: 20\n---\n\n# Branches\n\n```{objectives}\n- y\n```\n",
    "setup.md": "# Setup\n\nNo timing here.\n",
}

COLLAB = {
    "conf.py": 'extensions = ["sphinx_refinery"]\nproject = "Collaboration; with Git, together"\n',
    "index.md": "# Collab\n\n```{toctree}\nforking\nsame-repository\nreview\n```\n",
    "forking.md": "---\nteaching: 40\nexercises: 20\n---\n\n# Forking workflow\n",
    "same-repository.md": "---\nteaching: 30\n---\n\n# Same repository\n",
    "review.md": "---\nteaching: 15\n---\n\n# Code review\n",
}


@pytest.fixture(scope="module")
def lessons(tmp_path_factory):
    """Two lessons: sources and their built HTML (built once for the module)."""
    root = tmp_path_factory.mktemp("lessons")
    found = {}
    for name, files in (("git-intro", GIT), ("collab", COLLAB)):
        result = build_once(root / name, files, builddir=root / f"{name}-build")
        assert result.warning_lines() == [], result.warnings
        found[name] = result
    return root, found


def write_plan(folder: Path, text: str) -> Path:
    path = folder / "workshop.yml"
    path.write_text(textwrap.dedent(text).lstrip("\n"), encoding="utf-8")
    return path


def built(lessons, name: str) -> str:
    return str(lessons[1][name].outdir)


def run_json(plan: Path, capsys, *extra: str) -> tuple[int, dict, str]:
    code = main(["workshop", str(plan), "--format", "json", *extra])
    out = capsys.readouterr()
    return code, (json.loads(out.out) if out.out else {}), out.err


def items(data: dict, day: int = 0) -> list[tuple]:
    return [(i["start"], i["end"], i["page"], i["title"]) for i in data["days"][day]["items"]]


# -- the manifest ----------------------------------------------------------------------------


def test_every_html_build_writes_the_manifest(lessons):
    data = json.loads((lessons[1]["git-intro"].outdir / "lesson.json").read_text(encoding="utf-8"))
    assert data["format"] == manifest.FORMAT and data["version"] == manifest.VERSION
    assert data["lesson"]["title"] == "Git intro"
    assert [(e["page"], e["path"], e["teaching"], e["exercises"], e["minutes"], e["break"]) for e in data["episodes"]] == [
        ("motivation", "motivation.html", 20, 10, 30, False),
        ("basics", "basics.html", 30, 15, 45, False),
        ("coffee", "coffee.html", None, None, 15, True),
        ("branches", "branches.html", 25, 20, 45, False),
    ]
    assert data["exercises"] == [
        {"page": "motivation", "id": "first-steps", "label": "first-steps", "number": "1.1", "title": "First steps", "minutes": 10}
    ]
    assert data["schedule"]["options"] == {"start": "09:00", "breaks": "motivation 10"}
    assert [(r["start"], r["title"]) for r in data["schedule"]["rows"]][:3] == [
        ("09:00", "Motivation"), ("09:30", "Break"), ("09:40", "Basics")]
    assert data["schedule"]["total_minutes"] == 30 + 10 + 45 + 15 + 45


def test_manifest_only_in_html_builds(tmp_path):
    result = build_once(tmp_path / "src", GIT, builder="text")
    assert not (result.outdir / "lesson.json").exists()
    dirhtml = build_once(tmp_path / "src2", GIT, builder="dirhtml")
    data = json.loads((dirhtml.outdir / "lesson.json").read_text(encoding="utf-8"))
    assert data["episodes"][0]["path"] == "motivation/"


@pytest.mark.parametrize("parallel", [1, 2], ids=["serial", "parallel"])
def test_manifest_of_an_incremental_build_equals_a_clean_one(tmp_path, parallel):
    src = tmp_path / "src"
    build_once(src, GIT, builddir=tmp_path / "incremental", parallel=parallel)
    page = src / "basics.md"
    page.write_text(page.read_text().replace("teaching: 30", "teaching: 35"))
    (src / "motivation.md").write_text((src / "motivation.md").read_text().replace("First steps", "Early steps"))
    incremental = build_once(src, None, builddir=tmp_path / "incremental", parallel=parallel)
    clean = build_once(src, None, builddir=tmp_path / "clean", parallel=1)
    text = incremental.text("lesson.json")
    episodes = {e["page"]: e for e in json.loads(text)["episodes"]}
    assert episodes["basics"]["teaching"] == 35 and "Early steps" in text
    assert text == clean.text("lesson.json")


# -- plans -----------------------------------------------------------------------------------

PLAN_ERRORS = {
    "unknown key": ("title: W\ntimezone: UTC\ndays:\n  - date: 2027-03-16\n    strat: '09:00'\n", 5, "unknown key 'strat' in a day (did you mean 'start'?)"),
    "bad date": ("timezone: UTC\ndays:\n  - date: 2027-02-30\n    start: '09:00'\n    lessons: [{lesson: x}]\n", 3, "date: '2027-02-30' is not a date"),
    "bad time": ("timezone: UTC\ndays:\n  - date: 2027-03-16\n    start: '9am'\n    lessons: [{lesson: x}]\n", 4, "start: '9am' is not a time of day"),
    "end before start": ("timezone: UTC\ndays:\n  - date: 2027-03-16\n    start: '09:00'\n    end: '08:00'\n    lessons: [{lesson: x}]\n", 5, "end 08:00 is not after start"),
    "bad zone": ("timezone: Europe/Helsinky\ndays: []\n", 1, "'Europe/Helsinky' is not a time zone"),
    "no zone": ("title: W\ndays: []\n", 1, "'timezone' is missing"),
    "yaml": ("timezone: UTC\ndays:\n  - date: [2027\n", 4, "not valid YAML"),
    "bad break": ("timezone: UTC\ndays:\n  - date: 2027-03-16\n    start: '09:00'\n    breaks: intro ten\n    lessons: [{lesson: x}]\n", 5, "breaks: 'intro ten' should be a page and whole minutes"),
    "twice": ("timezone: UTC\ndays:\n  - date: 2027-03-16\n    start: '09:00'\n    lessons: [{lesson: x}]\n  - date: 2027-03-16\n    start: '09:00'\n    lessons: [{lesson: x}]\n", 6, "2027-03-16 is planned twice (also on line 3)"),
    "lesson key": ("timezone: UTC\ndays:\n  - date: 2027-03-16\n    start: '09:00'\n    lessons:\n      - lessons: x\n", 6, "unknown key 'lessons' in a lesson"),
    "no lesson": ("timezone: UTC\ndays:\n  - date: 2027-03-16\n    start: '09:00'\n    lessons:\n      - lesson: no-such-folder\n", 6, "lesson 'no-such-folder':"),
    "empty": ("", None, "the plan is empty"),
    "far ahead": ("timezone: UTC\ndays:\n  - date: 9999-12-31\n    start: '23:00'\n    lessons: [{lesson: x}]\n", 3, "is out of range: give a date in the years 2 to 9990"),
    "episodes not a list": ("timezone: UTC\ndays:\n  - date: 2027-03-16\n    start: '09:00'\n    lessons:\n      - lesson: x\n        episodes: forking\n", 7, "episodes should be a list"),
}


@pytest.mark.parametrize("case", PLAN_ERRORS)
def test_plan_errors_name_file_and_line(tmp_path, capsys, case):
    text, line, message = PLAN_ERRORS[case]
    plan = tmp_path / "workshop.yml"
    plan.write_text(text, encoding="utf-8")
    assert main(["workshop", str(plan)]) == 2
    err = capsys.readouterr().err
    where = f"{plan}:{line}: " if line else f"{plan}: "
    assert where in err and message in err, err
    assert "Traceback" not in err and len(err.strip().splitlines()) == 1


def test_unknown_pages_are_errors_with_their_line(lessons, tmp_path, capsys):
    plan = write_plan(tmp_path, f"""
        timezone: UTC
        days:
          - date: 2027-03-16
            start: "09:00"
            lessons:
              - lesson: {built(lessons, "collab")}
                episodes:
                  - forking
                  - same-repo
        """)
    assert main(["workshop", str(plan)]) == 2
    err = capsys.readouterr().err
    assert f"{plan}:9: " in err and "has no episode 'same-repo' (did you mean 'same-repository'?)" in err
    plan.write_text(plan.read_text().replace("same-repo\n", "same-repository\n").replace("    start", "    breaks: forkin 10\n    start"))
    assert main(["workshop", str(plan)]) == 2
    err = capsys.readouterr().err
    assert f"{plan}:4: " in err and "timed page 'forkin' (did you mean 'forking'?)" in err


def test_computed_times_subsets_and_breaks(lessons, tmp_path, capsys):
    plan = write_plan(tmp_path, f"""
        title: Spring workshop
        timezone: Europe/Helsinki
        days:
          - date: 2027-03-16
            start: "09:00"
            end: "12:00"
            breaks: basics 10
            lessons:
              - lesson: {lessons[0] / "git-intro"}
          - date: 2027-03-17
            start: 09:00
            lessons:
              - lesson: {built(lessons, "collab")}
                episodes: [same-repository, forking]
              - lesson: {built(lessons, "git-intro")}
                start: "13:00"
                episodes: [branches]
        """)
    code, data, err = run_json(plan, capsys)
    assert code == 0 and err == ""
    assert data["title"] == "Spring workshop" and data["timezone"] == "Europe/Helsinki"
    # The lesson's own break (after motivation), its break page, and the plan's break.
    assert items(data, 0) == [
        ("09:00", "09:30", "motivation", "Motivation"),
        ("09:30", "09:40", None, "Break"),
        ("09:40", "10:25", "basics", "Basics"),
        ("10:25", "10:35", None, "Break"),
        ("10:35", "10:50", "coffee", "Coffee"),
        ("10:50", "11:35", "branches", "Branches"),
    ]
    # A subset in the plan's order; a lesson with its own start.
    assert items(data, 1) == [
        ("09:00", "09:30", "same-repository", "Same repository"),
        ("09:30", "10:30", "forking", "Forking workflow"),
        ("13:00", "13:45", "branches", "Branches"),
    ]
    assert data["days"][1]["items"][0]["lesson"] == "Collaboration; with Git, together"


def test_warnings_for_overlaps_and_untimed_episodes(lessons, tmp_path, capsys):
    folder = tmp_path / "untimed"
    folder.mkdir()
    untimed = manifest_with(lessons, lambda d: d["episodes"][2].update(teaching=None, exercises=None, minutes=0))
    (folder / "lesson.json").write_text(untimed, encoding="utf-8")
    plan = write_plan(tmp_path, f"""
        timezone: UTC
        days:
          - date: 2027-03-16
            start: "09:00"
            lessons:
              - lesson: {built(lessons, "collab")}
              - lesson: untimed
                start: "10:00"
                episodes: [same-repository, review]
        """)
    code, data, err = run_json(plan, capsys)
    assert code == 0
    assert err.splitlines() == [
        f"sphinx-refinery workshop: warning: {plan}:7: untimed starts at 10:00, before the lesson before it ends (10:45)",
        f"sphinx-refinery workshop: warning: {plan}:9: untimed: 'review' says nothing of its time; left out",
    ]
    assert items(data)[-1] == ("10:00", "10:30", "same-repository", "Same repository")


def test_overrun_warns_and_strict_fails(lessons, tmp_path, capsys):
    plan = write_plan(tmp_path, f"""
        timezone: UTC
        days:
          - date: 2027-03-16
            start: "09:00"
            end: "10:00"
            lessons:
              - lesson: {built(lessons, "collab")}
        """)
    code, data, err = run_json(plan, capsys)
    assert code == 0
    assert err.strip() == "sphinx-refinery workshop: warning: 2027-03-16 runs 45 min past its end 10:00"
    assert data["days"][0]["overrun_minutes"] == 45
    code, _data, err = run_json(plan, capsys, "--strict")
    assert code == 1 and "45 min past" in err
    plan.write_text(plan.read_text().replace("10:00", "10:45"))
    code, _data, err = run_json(plan, capsys, "--strict")
    assert code == 0 and err == ""


DST_PLAN = """
    title: "Night; owls, and \\\\ friends"
    timezone: Europe/Helsinki
    days:
      - date: 2027-03-28
        start: "02:00"
        lessons:
          - lesson: {collab}
      - date: 2027-03-29
        start: "02:00"
        lessons:
          - lesson: {collab}
            episodes: [forking]
          - lesson: {git}
            episodes: [basics]
    """


def test_times_across_a_daylight_saving_change(lessons, tmp_path, capsys):
    # In Helsinki the clocks go from 03:00 to 04:00 on the last Sunday of March.
    plan = write_plan(tmp_path, DST_PLAN.format(collab=built(lessons, "collab"), git=built(lessons, "git-intro")))
    code, data, _err = run_json(plan, capsys)
    assert code == 0
    assert items(data, 0) == [
        ("02:00", "04:00", "forking", "Forking workflow"),  # 60 minutes, across the change
        ("04:00", "04:30", "same-repository", "Same repository"),
        ("04:30", "04:45", "review", "Code review"),
    ]
    assert items(data, 1)[0][:2] == ("02:00", "03:00")


def test_ics_parses_with_utc_times_and_unique_uids(lessons, tmp_path, capsys):
    plan = write_plan(tmp_path, DST_PLAN.format(collab=built(lessons, "collab"), git=built(lessons, "git-intro")))
    out = tmp_path / "w.ics"
    assert main(["workshop", str(plan), "--format", "ics", "-o", str(out)]) == 0
    raw = out.read_bytes()
    assert b"\r\n" in raw and b"\n" not in raw.replace(b"\r\n", b"")
    calendar = icalendar.Calendar.from_ical(raw)
    assert b"X-WR-CALNAME:Night\\; owls\\, and \\\\ friends\r\n" in raw
    events = list(calendar.walk("VEVENT"))
    starts = [(str(e["SUMMARY"]), e.decoded("DTSTART").isoformat(), e.decoded("DTEND").isoformat()) for e in events]
    assert starts[:2] == [
        ("Collaboration; with Git, together: Forking workflow", "2027-03-28T00:00:00+00:00", "2027-03-28T01:00:00+00:00"),
        ("Collaboration; with Git, together: Same repository", "2027-03-28T01:00:00+00:00", "2027-03-28T01:30:00+00:00"),
    ]
    # Summer time from the next day: 02:00 in Helsinki is 23:00 UTC the day before.
    assert starts[3][1] == "2027-03-28T23:00:00+00:00"
    uids = [str(e["UID"]) for e in events]
    assert len(uids) == len(set(uids)) == 5
    # The same page in the same lesson on two days, and an export again: the same UIDs.
    assert main(["workshop", str(plan), "--format", "ics"]) == 0
    again = icalendar.Calendar.from_ical(capsys.readouterr().out)
    assert [str(e["UID"]) for e in again.walk("VEVENT")] == uids


def test_other_formats(lessons, tmp_path, capsys):
    """Every row of every format, whole: a row lost, doubled or out of order shows."""
    import csv

    plan = write_plan(tmp_path, f"""
        title: "A | B"
        timezone: UTC
        days:
          - date: 2027-03-16
            start: "09:00"
            lessons:
              - lesson: {built(lessons, "collab")}
                url: https://lessons.invalid/collab/
                episodes: [review, forking]
        """)
    lesson = "Collaboration; with Git, together"
    assert main(["workshop", str(plan), "--format", "md"]) == 0
    assert capsys.readouterr().out.splitlines() == [
        "# A \\| B", "", "Times are in UTC.", "", "## Tuesday 2027-03-16", "",
        "| Time | Lesson | Episode | Minutes |",
        "| --- | --- | --- | ---: |",
        f"| 09:00–09:15 | {lesson} | [Code review](<https://lessons.invalid/collab/review.html>) | 15 |",
        f"| 09:15–10:15 | {lesson} | [Forking workflow](<https://lessons.invalid/collab/forking.html>) | 60 |",
    ]
    assert main(["workshop", str(plan), "--format", "csv"]) == 0
    assert list(csv.reader(capsys.readouterr().out.splitlines())) == [
        ["date", "start", "end", "minutes", "lesson", "page", "title", "break", "url"],
        ["2027-03-16", "09:00", "09:15", "15", lesson, "review", "Code review", "False",
         "https://lessons.invalid/collab/review.html"],
        ["2027-03-16", "09:15", "10:15", "60", lesson, "forking", "Forking workflow", "False",
         "https://lessons.invalid/collab/forking.html"],
    ]
    assert main(["workshop", str(plan)]) == 0
    assert capsys.readouterr().out.splitlines() == [
        "A | B (UTC)", "", "Tuesday 2027-03-16",
        f"  09:00-09:15    {lesson}: Code review  [15 min]",
        f"  09:15-10:15    {lesson}: Forking workflow  [1 h]",
    ]
    assert main(["workshop", str(plan), "-o", str(tmp_path / "missing" / "x.md")]) == 2
    assert "cannot write" in capsys.readouterr().err


def test_huge_minutes_are_an_error_not_a_crash(lessons, tmp_path, capsys):
    folder = tmp_path / "huge"
    folder.mkdir()
    (folder / "lesson.json").write_text(
        manifest_with(lessons, lambda d: d["episodes"][2].update(teaching=99999999999)), encoding="utf-8"
    )
    plan = write_plan(tmp_path, "timezone: UTC\ndays:\n  - date: 9990-12-30\n    start: '09:00'\n    lessons:\n      - lesson: huge\n")
    assert main(["workshop", str(plan), "--format", "ics"]) == 2
    err = capsys.readouterr().err
    # The lesson model's bound (a day) refuses the episode before any date is worked out.
    assert f"{plan}:6: lesson 'huge': " in err and len(err.splitlines()) == 1
    assert "review: 'teaching' must be whole minutes, at most 1440" in err


# -- reading lessons -------------------------------------------------------------------------


@pytest.fixture
def served(lessons):
    """The built git-intro lesson on a local HTTP server (no network)."""

    class Handler(http.server.SimpleHTTPRequestHandler):
        def log_message(self, *args):
            pass

    handler = functools.partial(Handler, directory=built(lessons, "git-intro"))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}/"
    server.shutdown()
    server.server_close()


def test_sources_built_folder_and_url_give_the_same_days(lessons, served, tmp_path, capsys):
    results = []
    for where in (lessons[0] / "git-intro", built(lessons, "git-intro"), served):
        plan = write_plan(tmp_path, f"""
            timezone: UTC
            days:
              - date: 2027-03-16
                start: "09:00"
                lessons:
                  - lesson: {where}
            """)
        code, data, err = run_json(plan, capsys)
        assert code == 0, err
        results.append(data)
    assert results[0] == results[1]
    urls = [i.pop("url") for i in results[2]["days"][0]["items"]]
    assert urls[0] == served + "motivation.html"
    for item in results[1]["days"][0]["items"]:
        item.pop("url")
    assert results[2] == results[1]


def test_a_url_without_a_manifest(served, tmp_path, capsys):
    plan = write_plan(tmp_path, f"""
        timezone: UTC
        days:
          - date: 2027-03-16
            start: "09:00"
            lessons:
              - lesson: {served}no-such-lesson/
        """)
    assert main(["workshop", str(plan)]) == 2
    err = capsys.readouterr().err
    assert f"{plan}:6: " in err and "could not be fetched" in err and "Traceback" not in err


def manifest_with(lessons, change) -> str:
    data = json.loads((lessons[1]["collab"].outdir / "lesson.json").read_text(encoding="utf-8"))
    change(data)
    return json.dumps(data)


BAD_MANIFESTS = {
    "not json": (lambda d: None, "{", "is not JSON"),
    "another format": (lambda d: d.update(format="other"), None, "is not a sphinx-refinery lesson manifest"),
    "a later version": (lambda d: d.update(version=2), None, "has manifest version 2; this sphinx-refinery reads version 1"),
    "lesson not a mapping": (lambda d: d.update(lesson="x"), None, "'lesson' must be a mapping"),
    "minutes not a number": (lambda d: d["episodes"][0].update(teaching="40"), None, "forking: 'teaching' must be whole minutes"),
    "negative minutes": (lambda d: d["episodes"][0].update(minutes=-5), None, "'minutes' must be whole minutes"),
    "break not a flag": (lambda d: d["episodes"][0].update({"break": "no"}), None, "'break' must be true or false"),
    "options not text": (lambda d: d["schedule"].update(options={"breaks": 5}), None, "'options' are text"),
}


@pytest.mark.parametrize("case", BAD_MANIFESTS)
def test_a_broken_manifest_is_a_one_line_error(lessons, tmp_path, capsys, case):
    change, raw, message = BAD_MANIFESTS[case]
    folder = tmp_path / "built"
    folder.mkdir()
    (folder / "lesson.json").write_text(raw or manifest_with(lessons, change), encoding="utf-8")
    plan = write_plan(tmp_path, "timezone: UTC\ndays:\n  - date: 2027-03-16\n    start: '09:00'\n    lessons:\n      - lesson: built\n")
    assert main(["workshop", str(plan)]) == 2
    err = capsys.readouterr().err
    assert f"{plan}:6: lesson 'built': " in err and message in err, err
    assert len(err.splitlines()) == 1


def test_links_are_only_http(lessons, tmp_path, capsys):
    def change(data):
        data["episodes"][0]["path"] = "javascript:alert(1)"
        data["lesson"]["url"] = "https://lessons.invalid/collab/"

    folder = tmp_path / "built"
    folder.mkdir()
    (folder / "lesson.json").write_text(manifest_with(lessons, change), encoding="utf-8")
    plan = write_plan(tmp_path, "timezone: UTC\ndays:\n  - date: 2027-03-16\n    start: '09:00'\n    lessons:\n      - lesson: built\n")
    code, data, _err = run_json(plan, capsys)
    assert code == 0
    assert [i["url"] for i in data["days"][0]["items"]] == [
        None, "https://lessons.invalid/collab/same-repository.html", "https://lessons.invalid/collab/review.html"]


def test_sources_that_cannot_be_read(tmp_path, capsys):
    write_sources(tmp_path / "broken", {"conf.py": "raise RuntimeError('conf.py is broken')\n", "index.md": "# L\n"})
    (tmp_path / "plain").mkdir()
    (tmp_path / "plain" / "notes.txt").write_text("no lesson here\n")
    for name, message in (("broken", "conf.py is broken"), ("plain", "is neither a built lesson (no lesson.json) nor a lesson's sources")):
        plan = write_plan(tmp_path, f"timezone: UTC\ndays:\n  - date: 2027-03-16\n    start: '09:00'\n    lessons:\n      - lesson: {name}\n")
        assert main(["workshop", str(plan)]) == 2
        err = capsys.readouterr().err
        assert f"{plan}:6: lesson '{name}': " in err and message in err, err
        assert len(err.splitlines()) == 1


NOTEBOOK = {
    "cells": [
        {"cell_type": "markdown", "metadata": {}, "source": ["# Analysis\n"]},
        {"cell_type": "code", "execution_count": None, "metadata": {}, "outputs": [],
         "source": ["open('NOTEBOOK-RAN', 'w').write('yes')"]},
    ],
    "metadata": {
        "kernelspec": {"display_name": "Python 3", "language": "python", "name": "python3"},
        "teaching": 25,
        "exercises": 5,
    },
    "nbformat": 4,
    "nbformat_minor": 5,
}


def test_notebook_timing_is_read_without_running_it(tmp_path):
    lesson = tmp_path / "nb-lesson"
    write_sources(lesson, {
        "conf.py": 'extensions = ["sphinx_refinery", "myst_nb"]\nnb_execution_mode = "force"\n',
        "index.md": "# L\n\n```{toctree}\nanalysis\n```\n",
    })
    (lesson / "analysis.ipynb").write_text(json.dumps(NOTEBOOK), encoding="utf-8")
    plan = write_plan(tmp_path, "timezone: UTC\ndays:\n  - date: 2027-03-16\n    start: '09:00'\n    lessons: [{lesson: nb-lesson}]\n")
    # Another process: myst-nb changes defaults that Sphinx shares within one.
    done = subprocess.run(
        [sys.executable, "-m", "sphinx_refinery", "workshop", str(plan), "--format", "json"],
        capture_output=True, text=True, cwd=lesson, check=False,
    )
    assert done.returncode == 0, done.stderr
    assert items(json.loads(done.stdout)) == [("09:00", "09:30", "analysis", "Analysis")]
    assert not (lesson / "NOTEBOOK-RAN").exists()


# -- the directive ---------------------------------------------------------------------------


def site(lessons, plan_text: str) -> dict[str, str]:
    return {
        "conf.py": 'extensions = ["sphinx_refinery"]\nproject = "Workshop"\nversion = "1"\ncopyright = "2027"\n',
        "index.md": "# Workshop\n\n```{workshop-schedule} plan/workshop.yml\n```\n",
        "plan/workshop.yml": plan_text,
    }


def directive_plan(lessons) -> str:
    return f"""
        title: Spring
        timezone: Europe/Oslo
        days:
          - date: 2027-03-16
            start: "09:00"
            end: "09:30"
            lessons:
              - lesson: {built(lessons, "collab")}
                url: https://lessons.invalid/collab/
                episodes: [forking, review]
          - date: 2027-03-17
            start: "13:00"
            lessons:
              - lesson: ../../git-intro-src
                episodes: [motivation]
        """


@pytest.fixture
def directive_site(lessons, tmp_path):
    import shutil

    shutil.copytree(lessons[0] / "git-intro", tmp_path / "git-intro-src")
    return site(lessons, directive_plan(lessons))


def test_directive_renders_each_day_as_a_table(build, directive_site, tmp_path):
    result = build(directive_site)
    lines = result.warning_lines()
    assert len(lines) == 2 and "index.md:3: WARNING: workshop-schedule: 2027-03-16 runs 45 min past its end 09:30" in lines[1]
    # The lesson's own break after its last page taught that day is left out, and said so.
    assert "its own break after 'motivation', the last page taught that day, is left out" in lines[0]
    assert "[refinery.workshop]" in result.warnings
    soup = result.html()
    assert [r.get_text() for r in soup.select(".rubric")] == ["2027-03-16", "2027-03-17"]
    tables = soup.select("table.refinery-workshop")
    rows = [[td.get_text(" ", strip=True) for td in tr.find_all("td")] for tr in tables[0].select("tbody tr")]
    assert rows == [
        ["09:00–10:00", "Collaboration; with Git, together", "Forking workflow", "1 h"],
        ["10:00–10:15", "Collaboration; with Git, together", "Code review", "15 min"],
    ]
    assert [a["href"] for a in tables[0].select("a")] == [
        "https://lessons.invalid/collab/forking.html", "https://lessons.invalid/collab/review.html"]
    second = [[td.get_text(" ", strip=True) for td in tr.find_all("td")] for tr in tables[1].select("tbody tr")]
    assert second == [["13:00–13:30", "Git intro", "Motivation", "30 min"]]


def test_directive_follows_an_edited_plan_and_lesson(build, lessons, tmp_path):
    import shutil

    shutil.copytree(lessons[1]["collab"].outdir, tmp_path / "collab-built")
    plan = "timezone: UTC\ndays:\n  - date: 2027-03-16\n    start: '09:00'\n    lessons:\n      - lesson: ../../collab-built\n"
    first = build(site(lessons, plan))
    assert first.html().select("table.refinery-workshop td")[0].get_text() == "09:00–10:00"
    plan_file = tmp_path / "src" / "plan" / "workshop.yml"
    plan_file.write_text(plan_file.read_text().replace("09:00", "08:30"))
    lesson_file = tmp_path / "collab-built" / "lesson.json"
    lesson_file.write_text(lesson_file.read_text().replace('"Forking workflow"', '"Forks"'))
    again = build(None)
    cells = [td.get_text() for td in again.html().select("table.refinery-workshop td")]
    assert cells[:3] == ["08:30–09:30", "Collaboration; with Git, together", "Forks"]
    assert again.text("index.html") == build(None, builddir=tmp_path / "clean").text("index.html")


@pytest.mark.parametrize("builder", ["text", "latex"])
def test_directive_in_other_builders(build, directive_site, builder):
    result = build(directive_site, builder=builder)
    text = "".join(p.read_text(encoding="utf-8") for p in result.outdir.rglob("*") if p.suffix in (".txt", ".tex"))
    text = text.replace("\\textendash{}", "–")  # LaTeX's en dash
    # Each row's cells in order, each row once (the text builder draws a grid, LaTeX a tabular).
    rows = [("09:00–10:00", "Forking workflow", "1 h"), ("10:00–10:15", "Code review", "15 min"),
            ("13:00–13:30", "Motivation", "30 min")]
    # The lesson's own break after the last episode taught that day is dropped.
    assert "13:30–13:40" not in text, text
    places = []
    for row in rows:
        first = text.find(row[0])
        assert first >= 0 and text.count(row[0]) == 1, (row, text)
        assert text.find(row[1], first) < text.find(row[2], text.find(row[1], first)), (row, text)
        places.append(first)
    assert places == sorted(places), text


def test_directive_with_a_broken_plan_warns_where_it_is(build, lessons):
    result = build(site(lessons, "timezone: UTC\ndays:\n  - date: 2027-13-01\n"))
    lines = result.warning_lines()
    assert len(lines) == 1
    assert "index.md:3: WARNING: workshop-schedule: " in lines[0]
    assert "workshop.yml:3: date: '2027-13-01' is not a date" in lines[0]


# -- schedule --format ics -------------------------------------------------------------------


def test_schedule_ics_uids_differ_between_lessons(lessons, capsys):
    uids = []
    for name in ("git-intro", "collab"):
        args = ["schedule", str(lessons[0] / name), "--format", "ics", "--date", "2027-03-28",
                "--timezone", "Europe/Helsinki", "--start", "02:00"]
        assert main(args) == 0
        calendar = icalendar.Calendar.from_ical(capsys.readouterr().out)
        uids += [str(e["UID"]) for e in calendar.walk("VEVENT")]
        if name == "collab":
            ends = [e.decoded("DTEND").isoformat() for e in calendar.walk("VEVENT")]
            assert ends[0] == "2027-03-28T01:00:00+00:00"
    assert len(uids) == len(set(uids)) == 5 + 3


@pytest.mark.parametrize(
    ("front", "message"),
    [
        ("teaching: 5\nday: 99999999", "runs over 99999999 days"),
    ],
)
def test_schedule_ics_bounds(tmp_path, capsys, front, message):
    write_sources(tmp_path / "huge", {**COLLAB, "review.md": f"---\n{front}\n---\n\n# Code review\n"})
    args = ["schedule", str(tmp_path / "huge"), "--format", "ics", "--date", "2027-03-16", "--timezone", "UTC", "--start", "09:00"]
    assert main(args) == 2
    err = capsys.readouterr().err
    assert message in err and len(err.strip().splitlines()) == 1


def test_implausible_minutes_are_left_out_with_a_warning(tmp_path, capsys):
    # One bound (lesson_rules.MAX_MINUTES) for the build, check, schedule and workshop.
    write_sources(tmp_path / "huge", {**COLLAB, "review.md": "---\nteaching: 99999999999\n---\n\n# Code review\n"})
    assert main(["schedule", str(tmp_path / "huge"), "--format", "json"]) == 0
    out = capsys.readouterr()
    assert "teaching: 99999999999 is more than 1440 minutes (a day)" in out.err.replace("'", "")
    assert "review" not in [row["page"] for row in json.loads(out.out)["rows"]]
    assert "d)" not in out.out


def test_schedule_ics_needs_a_time_zone(lessons, capsys):
    args = ["schedule", str(lessons[0] / "collab"), "--format", "ics", "--date", "2027-03-16", "--start", "09:00"]
    assert main(args) == 2
    assert "--format ics needs a time zone" in capsys.readouterr().err
    assert main([*args, "--timezone", "Mars/Olympus"]) == 2
    assert "'Mars/Olympus' is not a time zone" in capsys.readouterr().err


def test_a_plan_names_a_workbench_lesson_folder_as_it_is(lessons, tmp_path, capsys):
    shell = tmp_path / "shell-novice"
    (shell / "episodes").mkdir(parents=True)
    (shell / "config.yaml").write_text(
        "title: 'The Unix Shell'\nepisodes:\n- 01-intro.md\n- 02-filedir.md\n- gone.md\n",
        encoding="utf-8",
    )
    (shell / "episodes" / "01-intro.md").write_text(
        "---\ntitle: Introducing the Shell\nteaching: 5\nexercises: 0\n---\n\nText.\n"
    )
    (shell / "episodes" / "02-filedir.md").write_text(
        "---\ntitle: 'Files: and Directories'\nteaching: 30\nexercises: 10\n---\n\nText.\n"
    )
    # Not listed in config.yaml: not an episode, whatever its front matter says.
    (shell / "episodes" / "extra.md").write_text("---\ntitle: Extra\nteaching: 90\n---\n")
    plan = write_plan(tmp_path, f"""
        title: Carpentries, then CodeRefinery
        timezone: Europe/Helsinki
        days:
          - date: 2027-03-16
            start: "09:00"
            lessons:
              - lesson: {shell}
          - date: 2027-03-17
            start: "09:00"
            lessons:
              - lesson: {built(lessons, "collab")}
                episodes: [forking]
        """)
    code, data, err = run_json(plan, capsys)
    assert (code, err) == (0, "")
    assert items(data, 0) == [
        ("09:00", "09:05", "episodes/01-intro", "Introducing the Shell"),
        ("09:05", "09:45", "episodes/02-filedir", "Files: and Directories"),
    ]
    assert data["days"][0]["items"][0]["lesson"] == "The Unix Shell"
    assert items(data, 1) == [("09:00", "10:00", "forking", "Forking workflow")]


def test_a_broken_workbench_config_names_the_plan_line(tmp_path, capsys):
    shell = tmp_path / "lesson"
    (shell / "episodes").mkdir(parents=True)
    (shell / "config.yaml").write_text("title: [unclosed\n", encoding="utf-8")
    plan = write_plan(tmp_path, f"""
        timezone: UTC
        days:
          - date: 2027-03-16
            start: "09:00"
            lessons:
              - lesson: {shell}
        """)
    code = main(["workshop", str(plan)])
    err = capsys.readouterr().err
    assert code != 0
    assert "config.yaml is not valid YAML" in err and "workshop.yml:6" in err
