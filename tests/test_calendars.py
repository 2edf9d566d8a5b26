"""Calendars: any date and time zone a plan may hold, and days across daylight-saving changes.

Durations are elapsed time: each event ends its minutes after it starts, in UTC,
whatever the clocks do in between; ``schedule`` and ``workshop`` place the same
day at the same moments.
"""

from __future__ import annotations

import datetime as dt
import itertools
import tempfile
import textwrap
from pathlib import Path

import icalendar
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from sphinx_refinery.commands.cli import main
from sphinx_refinery.commands.output import CommandError
from sphinx_refinery.commands.schedule import as_ics as schedule_ics
from sphinx_refinery.model.schedule import EpisodeTiming, ScheduleOptions, compute_schedule
from sphinx_refinery.workshops import ics, report
from sphinx_refinery.workshops.plan import PlanError, compute, read_plan

ZONES = [
    "UTC", "Europe/Helsinki", "Europe/London", "America/New_York", "America/Santiago",
    "Australia/Sydney", "Australia/Lord_Howe", "Pacific/Chatham", "Asia/Tokyo", "Pacific/Kiritimati",
    "Pacific/Pago_Pago", "America/St_Johns", "Africa/Casablanca", "Asia/Tehran",
]
#: Days with a daylight-saving change in one of the zones above (spring and autumn).
CHANGES = [
    dt.date(2027, 3, 28), dt.date(2027, 10, 31), dt.date(2027, 3, 14), dt.date(2027, 11, 7),
    dt.date(2027, 4, 4), dt.date(2027, 10, 3), dt.date(2027, 4, 3), dt.date(2027, 9, 26),
    dt.date(2026, 3, 29), dt.date(2026, 10, 25), dt.date(2026, 3, 8), dt.date(2026, 11, 1),
]
dates = st.one_of(
    st.sampled_from(CHANGES),
    st.sampled_from(CHANGES).map(lambda d: d - dt.timedelta(days=1)),
    st.dates(),  # every year datetime knows, 1 to 9999
)
starts = st.integers(min_value=0, max_value=24 * 60 - 1)
lengths = st.lists(st.integers(min_value=0, max_value=240), min_size=1, max_size=8)


def lesson(minutes: list[int]) -> dict:
    return {
        "format": "sphinx-refinery-lesson", "version": 1, "lesson": {"title": "L", "url": ""},
        "episodes": [
            {"page": f"p{i}", "title": f"P{i}", "teaching": m, "exercises": None, "break": False}
            for i, m in enumerate(minutes)
        ],
        "schedule": {"options": {}},
    }


def workshop(folder: Path, zone: str, date: dt.date, start: int, minutes: list[int], breaks: str = ""):
    plan = folder / "workshop.yml"
    plan.write_text(textwrap.dedent(f"""\
        timezone: {zone}
        days:
          - date: "{date.isoformat()}"
            start: "{start // 60:02d}:{start % 60:02d}"
            {f'breaks: "{breaks}"' if breaks else ''}
            lessons:
              - lesson: lesson
        """), encoding="utf-8")
    read = read_plan(plan)
    return compute(read, {str((folder / "lesson").resolve()): lesson(minutes)})


def utc(moment: dt.datetime) -> dt.datetime:
    return moment.astimezone(dt.UTC)


def ics_events(text: str) -> list[tuple[dt.datetime, dt.datetime, str]]:
    found = icalendar.Calendar.from_ical(text)
    return [(e.decoded("dtstart"), e.decoded("dtend"), str(e["summary"])) for e in found.walk("VEVENT")]


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(zone=st.sampled_from(ZONES), date=dates, start=starts, minutes=lengths)
def test_every_event_ends_after_it_starts_and_lasts_its_minutes(zone, date, start, minutes):
    with tempfile.TemporaryDirectory() as scratch:
        try:
            result = workshop(Path(scratch), zone, date, start, minutes)
        except PlanError as err:  # an error, never a crash
            assert not ics.FIRST_YEAR <= date.year <= ics.LAST_YEAR, err
            assert "out of range" in str(err)
            return
    assert ics.FIRST_YEAR <= date.year <= ics.LAST_YEAR
    items = result.days[0].items
    assert [i.minutes for i in items] == minutes
    # In UTC: aware times of one zone compare by their wall clocks, not their moments.
    moments = [(utc(i.start), utc(i.end)) for i in items]
    for (_, end), (following, _) in itertools.pairwise(moments):
        assert following == end  # one after the other, no gap, no overlap
    for (begin, end), item in zip(moments, items, strict=True):
        assert end - begin == dt.timedelta(minutes=item.minutes)
    events = ics_events(report.as_ics(result))
    assert [(end - begin) for begin, end, _ in events] == [dt.timedelta(minutes=m) for m in minutes]
    for (begin, end, _), item in zip(events, items, strict=True):
        assert utc(begin) == utc(item.start) and end >= begin


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(zone=st.sampled_from(ZONES), date=st.sampled_from(CHANGES), start=starts, minutes=lengths)
def test_schedule_and_workshop_place_a_day_alike(zone, date, start, minutes):
    known = {f"p{i}": EpisodeTiming(m, None, None, None, None, 0) for i, m in enumerate(minutes)}
    pages = list(known)
    schedule = compute_schedule(pages, known, {p: p.upper() for p in pages}, ScheduleOptions(start=start))
    from_schedule = ics_events(schedule_ics(schedule, [date], "L", zone))
    with tempfile.TemporaryDirectory() as scratch:
        result = workshop(Path(scratch), zone, date, start, minutes)
    from_workshop = ics_events(report.as_ics(result))
    assert [(b, e) for b, e, _ in from_schedule] == [(b, e) for b, e, _ in from_workshop]


def test_a_break_across_the_autumn_change_lasts_its_minutes(tmp_path):
    # Helsinki, 2027-10-31: 04:00 summer time is 03:00 again. From 03:30, a 60-minute
    # episode ends at 03:30 winter time, and the 10-minute break after it lasts 10 minutes.
    result = workshop(tmp_path, "Europe/Helsinki", dt.date(2027, 10, 31), 3 * 60 + 30, [60], "p0 10")
    events = ics_events(report.as_ics(result))
    assert [(e - b) for b, e, _ in events] == [dt.timedelta(minutes=60), dt.timedelta(minutes=10)]
    assert all(e > b for b, e, _ in events)
    assert [report.as_data(result)["days"][0]["items"][i]["start"] for i in (0, 1)] == ["03:30", "03:30"]


def test_a_start_the_clocks_skip_is_warned_of(tmp_path):
    result = workshop(tmp_path, "Europe/Helsinki", dt.date(2027, 3, 28), 3 * 60 + 30, [30])
    assert any("03:30 does not exist on 2027-03-28" in str(w) and "04:30" in str(w) for w in result.warnings)
    assert report.as_data(result)["days"][0]["items"][0]["start"] == "04:30"
    warnings: list[str] = []
    known = {"p": EpisodeTiming(30, None, None, None, None, 0)}
    schedule = compute_schedule(["p"], known, {"p": "P"}, ScheduleOptions(start=210))
    schedule_ics(schedule, [dt.date(2027, 3, 28)], "L", "Europe/Helsinki", warnings)
    assert any("03:30 does not exist" in w for w in warnings)


@pytest.mark.parametrize("date", ["0001-01-01", "9999-12-31"])
def test_dates_at_the_edge_of_the_calendar_are_one_line(tmp_path, capsys, date):
    (tmp_path / "lesson").mkdir()
    plan = tmp_path / "workshop.yml"
    plan.write_text(
        f"timezone: Asia/Tokyo\ndays:\n  - date: {date}\n    start: '01:00'\n    lessons:\n      - lesson: lesson\n",
        encoding="utf-8",
    )
    assert main(["workshop", str(plan), "--format", "ics"]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "workshop.yml:3: date: " in err and "out of range" in err
    known = {"p": EpisodeTiming(30, None, None, None, None, 0)}
    schedule = compute_schedule(["p"], known, {"p": "P"}, ScheduleOptions(start=60))
    with pytest.raises(CommandError, match="out of range"):
        schedule_ics(schedule, [dt.date.fromisoformat(date)], "L", "Asia/Tokyo")
