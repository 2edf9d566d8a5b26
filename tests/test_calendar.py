"""iCalendar output: RFC 5545's line folding and the text escaping, line by line.

Folding is where calendar files break in other programs: a line over 75 octets, or
a multi-byte character cut in two, and some calendars drop the event or the file.
"""

from __future__ import annotations

import datetime as dt

import icalendar
import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st

from sphinx_refinery.workshops import ics

START = dt.datetime(2027, 3, 1, 9, 0, tzinfo=dt.UTC)
#: Text that reaches a calendar: long, with two-, three- and four-byte characters.
LONG = "Résumé of the day — 日本語のテキスト and 🎉🎉 emoji; commas, too\nand a second line. " * 3
URL = "https://example.org/lesson/" + "episode-with-a-rather-long-name/" * 4 + "index.html#sec"


def _physical_lines(raw: str) -> list[bytes]:
    assert raw.endswith("\r\n")
    return raw.encode("utf-8").split(b"\r\n")[:-1]


def _unfold(raw: str) -> list[str]:
    """RFC 5545 3.1: a line break followed by one space is removed."""
    return raw.replace("\r\n ", "").split("\r\n")[:-1]


def _one_event_calendar(**fields: str) -> str:
    event = ics.Event(start=START, minutes=45, summary=fields.pop("summary", "Title"),
                      key=("lesson", "page"), **fields)
    return ics.calendar("Workshop", "UTC", [event], "test")


def test_long_description_summary_and_url_lines_are_folded_at_75_octets():
    raw = _one_event_calendar(summary=LONG, description=LONG, url=URL)
    lines = _physical_lines(raw)
    assert max(len(line) for line in lines) == 75  # folded, and folded as late as allowed
    assert all(len(line) <= 75 for line in lines)
    # Every physical line is whole UTF-8 on its own: no character was cut in two.
    for line in lines:
        line.decode("utf-8")
    continued = [line for line in lines if line.startswith(b" ")]
    assert len(continued) >= 8
    # Unfolded, the logical lines are what was written, each once.
    logical = _unfold(raw)
    assert f"SUMMARY:{ics.text(LONG)}" in logical
    assert f"DESCRIPTION:{ics.text(LONG)}" in logical
    assert f"URL:{URL}" in logical


def test_a_calendar_program_reads_back_the_folded_values():
    raw = _one_event_calendar(summary=LONG, description=LONG, url=URL)
    event = next(iter(icalendar.Calendar.from_ical(raw).walk("VEVENT")))
    assert str(event["SUMMARY"]) == LONG
    assert str(event["DESCRIPTION"]) == LONG
    assert str(event["URL"]) == URL
    assert event["DTSTART"].dt == START
    assert event["DTEND"].dt == START + dt.timedelta(minutes=45)


def test_short_lines_are_not_folded():
    raw = _one_event_calendar(summary="Short", description="Also short", url="https://example.org/")
    assert "\r\n " not in raw
    assert "DESCRIPTION:Also short\r\n" in raw and "URL:https://example.org/\r\n" in raw


def test_a_url_cannot_add_lines_to_the_calendar():
    raw = _one_event_calendar(url="https://example.org/a b\r\nX-INJECTED:1")
    assert not [line for line in _unfold(raw) if line.startswith("X-INJECTED")]
    assert "URL:https://example.org/a%20b%0D%0AX-INJECTED:1" in _unfold(raw)


def test_folding_at_the_exact_boundary():
    # 75 octets stay on one line; the 76th moves to a continuation line.
    assert ics.fold("X" * 75) == "X" * 75
    assert ics.fold("X" * 76) == "X" * 75 + "\r\n X"
    # A two-byte character that would end at octet 76 moves whole to the next line.
    assert ics.fold("X" * 74 + "é") == "X" * 74 + "\r\n é"
    # Continuation lines hold 74 octets after their leading space.
    assert ics.fold("X" * 150) == "X" * 75 + "\r\n " + "X" * 74 + "\r\n X"


@settings(max_examples=200, derandomize=True, deadline=None)
@given(st.text(alphabet=st.characters(blacklist_categories=("Cs", "Cc")), max_size=400))
def test_fold_keeps_every_character_and_the_limit(value):
    folded = ics.fold("DESCRIPTION:" + value)
    pieces = folded.split("\r\n")
    assert all(len(piece.encode("utf-8")) <= 75 for piece in pieces)
    assert all(piece.startswith(" ") for piece in pieces[1:])
    assert "".join([pieces[0], *(piece[1:] for piece in pieces[1:])]) == "DESCRIPTION:" + value


# -- values: what a calendar program reads back ------------------------------------------------

#: Text with everything TEXT escapes, line breaks of each kind, and wide characters.
tricky_text = st.text(alphabet=st.sampled_from(list("ab ,;:\\\n\r\"é日🎉")) | st.characters(
    blacklist_categories=("Cs", "Cc")), max_size=60)


@settings(max_examples=60, derandomize=True, deadline=None)
@given(tricky_text, tricky_text)
@example("one\r\ntwo", "three\rfour\n\nfive\r\n")
def test_text_values_read_back_as_written(summary, description):
    raw = _one_event_calendar(summary=summary or "x", description=description)
    event = next(iter(icalendar.Calendar.from_ical(raw).walk("VEVENT")))

    def lines_as_read(value: str) -> str:  # RFC 5545 has one line break: \n
        return value.replace("\r\n", "\n").replace("\r", "\n")

    assert str(event["SUMMARY"]) == lines_as_read(summary or "x")
    if description:
        assert str(event["DESCRIPTION"]) == lines_as_read(description)
    else:
        assert "DESCRIPTION" not in event


@settings(max_examples=60, derandomize=True, deadline=None)
@given(st.text(alphabet=st.characters(max_codepoint=0x7f, blacklist_characters="%"), min_size=1))
def test_a_url_is_percent_encoded_only_where_it_must(url):
    from urllib.parse import unquote

    encoded = ics.uri(url)
    assert not any(ord(char) <= 0x20 or ord(char) == 0x7f for char in encoded)
    assert unquote(encoded) == url
    # Printable characters stay as they are: only the others grow, to %XX.
    escaped = sum(1 for char in url if ord(char) <= 0x20 or ord(char) == 0x7f)
    assert len(encoded) == len(url) + 2 * escaped


def test_calendar_properties_and_events_as_a_calendar_program_reads_them():
    events = [
        ics.Event(START, 45, "One", ("lesson", "a")),
        ics.Event(START.astimezone(dt.timezone(dt.timedelta(hours=2))) + dt.timedelta(hours=1), 30, "Two",
                  ("lesson", "b"), description="More", url="https://example.org/b"),
    ]
    raw = ics.calendar("Python, day one; \\ the workshop", "Europe/Helsinki", events, "workshop")
    assert raw.startswith("BEGIN:VCALENDAR\r\n") and raw.endswith("END:VCALENDAR\r\n")
    assert "\n" not in raw.replace("\r\n", "")  # every line ends in CRLF
    parsed = icalendar.Calendar.from_ical(raw)
    assert str(parsed["VERSION"]) == "2.0"
    assert str(parsed["PRODID"]) == "-//sphinx-refinery//workshop//EN"
    assert str(parsed["CALSCALE"]) == "GREGORIAN" and str(parsed["METHOD"]) == "PUBLISH"
    # calendar programs leave X- properties as written: RFC 5545's TEXT escapes, by hand
    assert str(parsed["X-WR-CALNAME"]) == r"Python\, day one\; \\ the workshop"
    assert str(parsed["X-WR-TIMEZONE"]) == "Europe/Helsinki"
    read = list(parsed.walk("VEVENT"))
    assert [str(e["SUMMARY"]) for e in read] == ["One", "Two"]
    assert [e["DTSTART"].dt for e in read] == [START, START + dt.timedelta(hours=1)]
    assert [e["DTEND"].dt for e in read] == [START + dt.timedelta(minutes=45), START + dt.timedelta(minutes=90)]
    assert all(e["DTSTART"].dt.utcoffset() == dt.timedelta(0) for e in read)  # written in UTC
    assert [str(e["UID"]) for e in read] == [
        ics.uid("Python, day one; \\ the workshop", ("lesson", "a")),
        ics.uid("Python, day one; \\ the workshop", ("lesson", "b")),
    ]
    now = dt.datetime.now(dt.UTC)
    assert all(abs(e["DTSTAMP"].dt - now) < dt.timedelta(minutes=5) for e in read)
    assert "DESCRIPTION" not in read[0] and "URL" not in read[0]
    assert str(read[1]["DESCRIPTION"]) == "More" and str(read[1]["URL"]) == "https://example.org/b"


def test_an_empty_calendar_is_a_calendar():
    raw = ics.calendar("Nothing", "UTC", [], "schedule")
    assert list(icalendar.Calendar.from_ical(raw).walk("VEVENT")) == []
    assert raw.count("\r\n") == 8


def test_uids_are_stable_and_tell_calendars_and_keys_apart():
    one = ics.uid("Workshop", ("lesson", "page"))
    assert one == ics.uid("Workshop", ("lesson", "page"))
    name, _at, domain = one.partition("@")
    assert domain == "sphinx-refinery"
    assert len(name) == 32 and int(name, 16) >= 0
    others = {
        ics.uid("Other workshop", ("lesson", "page")),
        ics.uid("Workshop", ("lesson", "other")),
        ics.uid("Workshop", ("lessonp", "age")),  # parts are kept apart, not just joined
        ics.uid("Workshop", ("lesson", "page", "2")),
    }
    assert one not in others and len(others) == 4


def test_uids_stay_the_same_from_one_release_to_the_next():
    # A calendar that imported the file before would otherwise show every event twice.
    assert ics.uid("Workshop", ("lesson", "page")) == "bbb9434b65291cd0f3b734d7debd3816@sphinx-refinery"


def test_two_events_with_one_key_are_refused():
    events = [ics.Event(START, 10, "A", ("l", "p")), ics.Event(START, 20, "B", ("l", "p"))]
    with pytest.raises(ics.CalendarError, match=r"two events share the key \('l', 'p'\)"):
        ics.calendar("W", "UTC", events, "test")


def test_an_event_past_the_year_9999_is_refused():
    late = dt.datetime(9999, 12, 31, 23, 0, tzinfo=dt.UTC)
    assert "DTEND:99991231T235900Z" in ics.calendar("W", "UTC", [ics.Event(late, 59, "Last", ("k",))], "t")
    with pytest.raises(ics.CalendarError, match="'Late' ends past the year 9999"):
        ics.calendar("W", "UTC", [ics.Event(late, 60, "Late", ("k",))], "t")


@settings(max_examples=100, derandomize=True, deadline=None)
@given(st.datetimes(min_value=dt.datetime(1, 1, 2), max_value=dt.datetime(9999, 12, 30),
                    timezones=st.sampled_from([dt.UTC, dt.timezone(dt.timedelta(hours=-11)),
                                               dt.timezone(dt.timedelta(hours=13, minutes=45))])))
def test_times_are_written_in_utc_with_four_digit_years(moment):
    written = ics.calendar("W", "UTC", [ics.Event(moment, 0, "E", ("k",))], "t")
    start = next(line for line in written.split("\r\n") if line.startswith("DTSTART:"))
    utc = moment.astimezone(dt.UTC).replace(tzinfo=None, microsecond=0)
    assert start == "DTSTART:" + utc.isoformat().replace("-", "").replace(":", "") + "Z"


# -- dates, spans, time zones ---------------------------------------------------------------


@pytest.mark.parametrize(
    ("date", "ok"),
    [(dt.date(1, 12, 31), False), (dt.date(2, 1, 1), True), (dt.date(2027, 3, 1), True),
     (dt.date(9990, 12, 31), True), (dt.date(9991, 1, 1), False)],
)
def test_dates_a_calendar_takes(date, ok):
    if ok:
        ics.check_date(date)
        # ... and its days in any time zone, over the longest schedule, stay dates.
        for hours in (-23, 23):
            tz = dt.timezone(dt.timedelta(hours=hours, minutes=59 if hours > 0 else -59))
            ics.at(date + dt.timedelta(days=ics.MAX_DAYS), ics.MAX_MINUTES % (24 * 60), tz)
            ics.at(date, 0, tz)
    else:
        with pytest.raises(ics.CalendarError, match=f"^{date.isoformat()} is out of range: give a date "
                                                    "in the years 2 to 9990$"):
            ics.check_date(date)


@pytest.mark.parametrize(
    ("days", "minutes", "problem"),
    [
        (ics.MAX_DAYS, ics.MAX_MINUTES, None),
        (1, 0, None),
        (ics.MAX_DAYS + 1, 0, f"^the schedule runs over {ics.MAX_DAYS + 1} days; a calendar takes at most 366$"),
        (1, ics.MAX_MINUTES + 1, f"^the schedule runs {ics.MAX_MINUTES + 1} minutes from its first day's "
                                 f"midnight; a calendar takes at most {366 * 24 * 60} \\(366 days\\)$"),
    ],
)
def test_spans_a_calendar_takes(days, minutes, problem):
    if problem is None:
        ics.check_span(days, minutes)
    else:
        with pytest.raises(ics.CalendarError, match=problem):
            ics.check_span(days, minutes)


@settings(max_examples=100, derandomize=True, deadline=None)
@given(st.dates(min_value=dt.date(2, 1, 1), max_value=dt.date(9990, 12, 31)),
       st.integers(min_value=0, max_value=3 * 24 * 60), st.sampled_from(["UTC", "Asia/Tokyo", "America/New_York"]))
def test_a_time_of_day_is_that_wall_clock_time(date, minutes, name):
    tz = ics.zone(name)
    moment, warning = ics.at(date, minutes, tz)
    assert moment.utcoffset() == dt.timedelta(0)
    expected = dt.datetime.combine(date, dt.time(), tzinfo=tz) + dt.timedelta(minutes=minutes)
    if not warning:
        assert moment.astimezone(tz).replace(tzinfo=None) == expected.replace(tzinfo=None)


@pytest.mark.parametrize(
    ("date", "clock", "utc", "warning"),
    [
        # Helsinki: 03:00 -> 04:00 on 2027-03-28; 03:30 is read with the winter offset, +2.
        (dt.date(2027, 3, 28), 3 * 60 + 30, dt.datetime(2027, 3, 28, 1, 30, tzinfo=dt.UTC),
         "03:30 does not exist on 2027-03-28 in Europe/Helsinki (the clocks skip it at the "
         "daylight-saving change); read as 04:30"),
        (dt.date(2027, 3, 28), 4 * 60, dt.datetime(2027, 3, 28, 1, 0, tzinfo=dt.UTC), ""),
        (dt.date(2027, 3, 28), 2 * 60 + 59, dt.datetime(2027, 3, 28, 0, 59, tzinfo=dt.UTC), ""),
        # A day later: the minutes run past midnight into the next date.
        (dt.date(2027, 3, 27), 24 * 60 + 3 * 60 + 15, dt.datetime(2027, 3, 28, 1, 15, tzinfo=dt.UTC),
         "03:15 does not exist on 2027-03-28 in Europe/Helsinki (the clocks skip it at the "
         "daylight-saving change); read as 04:15"),
        # Autumn: 03:30 happens twice; the first is taken, with no warning.
        (dt.date(2027, 10, 31), 3 * 60 + 30, dt.datetime(2027, 10, 31, 0, 30, tzinfo=dt.UTC), ""),
    ],
)
def test_times_at_the_daylight_saving_changes(date, clock, utc, warning):
    assert ics.at(date, clock, ics.zone("Europe/Helsinki")) == (utc, warning)


@pytest.mark.parametrize("name", ["", "Nowhere/Such", "Europe", "../etc", "x" * 300])
def test_a_name_that_is_no_time_zone(name):
    with pytest.raises(ics.CalendarError, match=f"^{name!r} is not a time zone like Europe/Helsinki or UTC$"):
        ics.zone(name)
    assert ics.zone("Europe/Helsinki").utcoffset(dt.datetime(2027, 1, 1)) == dt.timedelta(hours=2)


def test_moments_are_in_utc_whatever_the_machines_time_zone(monkeypatch):
    import time

    monkeypatch.setenv("TZ", "Asia/Kolkata")
    time.tzset()
    try:
        moment, _warning = ics.at(dt.date(2027, 3, 1), 9 * 60, ics.zone("Europe/Helsinki"))
        helsinki = dt.datetime(2027, 3, 1, 9, 0, tzinfo=ics.zone("Europe/Helsinki"))
        written = ics.calendar("W", "Europe/Helsinki", [ics.Event(helsinki, 30, "E", ("k",))], "t")
        monkeypatch.setenv("TZ", "Pacific/Pago_Pago")  # UTC-11: the year 9999 ends later there
        time.tzset()
        late = dt.datetime(9999, 12, 31, 23, 30, tzinfo=dt.UTC)
        with pytest.raises(ics.CalendarError, match="ends past the year 9999"):
            ics.calendar("W", "UTC", [ics.Event(late, 60, "Late", ("k",))], "t")
    finally:
        monkeypatch.undo()
        time.tzset()
    assert moment == dt.datetime(2027, 3, 1, 7, 0, tzinfo=dt.UTC)
    assert moment.utcoffset() == dt.timedelta(0)
    assert "DTSTART:20270301T070000Z\r\n" in written and "DTEND:20270301T073000Z\r\n" in written
