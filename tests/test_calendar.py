"""iCalendar output: RFC 5545's line folding and the text escaping, line by line.

Folding is where calendar files break in other programs: a line over 75 octets, or
a multi-byte character cut in two, and some calendars drop the event or the file.
"""

from __future__ import annotations

import datetime as dt

import icalendar
from hypothesis import given, settings
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
