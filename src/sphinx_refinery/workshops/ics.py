"""iCalendar (RFC 5545) output for ``schedule`` and ``workshop``.

Events are written in UTC (``DTSTART:...Z``), which every calendar reads and
which stays right across a daylight-saving change; the plan's time zone is
named in ``X-WR-TIMEZONE`` so calendars can show it. Each event's UID is a
hash of the calendar's name, the lesson and the page, so UIDs differ between
lessons and workshops and stay the same when a schedule is exported again.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import re
from dataclasses import dataclass

#: Bounds for what a calendar file may span: past them the input is a mistake.
MAX_DAYS = 366
MAX_MINUTES = MAX_DAYS * 24 * 60
#: Dates a calendar may hold: any time zone's offset (up to a day) and a schedule's
#: span (MAX_DAYS) then stay inside the years 1 to 9999 that datetime knows.
FIRST_YEAR, LAST_YEAR = 2, 9990


class CalendarError(Exception):
    """A schedule that cannot be a calendar; the message says why."""


@dataclass(frozen=True)
class Event:
    start: dt.datetime  # aware
    minutes: int
    summary: str
    key: tuple[str, ...]  # what makes the event itself: lesson, page, occurrence
    description: str = ""
    url: str = ""


def text(value: str) -> str:
    """A TEXT value: backslash, semicolon, comma and line breaks escaped."""
    value = value.replace("\r\n", "\n").replace("\r", "\n")
    return value.replace("\\", "\\\\").replace(";", "\\;").replace(",", "\\,").replace("\n", "\\n")


def uri(value: str) -> str:
    """A URI value: spaces and control characters percent-encoded, so that a URL
    from a plan can never end the line and start a property of its own."""
    return re.sub(r"[\x00-\x20\x7f]", lambda match: f"%{ord(match[0]):02X}", value)


def fold(line: str) -> str:
    """RFC 5545: lines longer than 75 octets continue on the next, after a space."""
    out, current = [], ""
    for char in line:
        if len((current + char).encode("utf-8")) > 75:
            out.append(current)
            current = " " + char
        else:
            current += char
    out.append(current)
    return "\r\n".join(out)


def check_date(date: dt.date) -> None:
    """Refuse a date so early or late that its times in UTC leave datetime's range."""
    if not FIRST_YEAR <= date.year <= LAST_YEAR:
        raise CalendarError(f"{date.isoformat()} is out of range: give a date in the years {FIRST_YEAR} to {LAST_YEAR}")


def at(date: dt.date, minutes: int, tz: dt.tzinfo) -> tuple[dt.datetime, str]:
    """The moment the wall clock in ``tz`` shows ``minutes`` after midnight of ``date``, in
    UTC; and a warning when the clock skips that time (the spring change): it is then
    read with the offset before the change (03:30 in a 03:00-04:00 gap is 04:30)."""
    days, rest = divmod(minutes, 24 * 60)
    day = date + dt.timedelta(days=days)
    wall = dt.datetime.combine(day, dt.time(rest // 60, rest % 60), tzinfo=tz)
    moment = wall.astimezone(dt.UTC)
    shown = moment.astimezone(tz)
    if shown.replace(tzinfo=None) == wall.replace(tzinfo=None):
        return moment, ""
    return moment, (
        f"{wall:%H:%M} does not exist on {day.isoformat()} in {tz} (the clocks skip it "
        f"at the daylight-saving change); read as {shown:%H:%M}"
    )


def check_span(days: int, minutes: int) -> None:
    """Refuse spans no calendar needs before any date is worked out."""
    if days > MAX_DAYS:
        raise CalendarError(f"the schedule runs over {days} days; a calendar takes at most {MAX_DAYS}")
    if minutes > MAX_MINUTES:
        raise CalendarError(
            f"the schedule runs {minutes} minutes from its first day's midnight; "
            f"a calendar takes at most {MAX_MINUTES} ({MAX_DAYS} days)"
        )


def uid(calendar: str, key: tuple[str, ...]) -> str:
    digest = hashlib.sha256("\x1f".join((calendar, *key)).encode("utf-8")).hexdigest()[:32]
    return f"{digest}@sphinx-refinery"


def _utc(moment: dt.datetime) -> str:
    # Not strftime: its %Y leaves out the leading zeros of years before 1000.
    utc = moment.astimezone(dt.UTC)
    return f"{utc.year:04d}{utc.month:02d}{utc.day:02d}T{utc.hour:02d}{utc.minute:02d}{utc.second:02d}Z"


def calendar(name: str, timezone: str, events: list[Event], product: str) -> str:
    """The calendar file, CRLF line ends, long lines folded."""
    stamp = dt.datetime.now(dt.UTC)
    lines = [
        "BEGIN:VCALENDAR",
        "VERSION:2.0",
        f"PRODID:-//sphinx-refinery//{product}//EN",
        "CALSCALE:GREGORIAN",
        "METHOD:PUBLISH",
        f"X-WR-CALNAME:{text(name)}",
        f"X-WR-TIMEZONE:{text(timezone)}",
    ]
    seen: set[str] = set()
    for event in events:
        ident = uid(name, event.key)
        if ident in seen:
            raise CalendarError(f"two events share the key {event.key!r}")
        seen.add(ident)
        # Durations are elapsed time: the end is worked out in UTC, so that an
        # event across a daylight-saving change lasts what the schedule says.
        try:
            end = event.start.astimezone(dt.UTC) + dt.timedelta(minutes=event.minutes)
        except OverflowError as err:
            raise CalendarError(f"{event.summary!r} ends past the year 9999") from err
        lines += [
            "BEGIN:VEVENT",
            f"UID:{ident}",
            f"DTSTAMP:{_utc(stamp)}",
            f"DTSTART:{_utc(event.start)}",
            f"DTEND:{_utc(end)}",
            f"SUMMARY:{text(event.summary)}",
        ]
        if event.description:
            lines.append(f"DESCRIPTION:{text(event.description)}")
        if event.url:
            lines.append(f"URL:{uri(event.url)}")
        lines.append("END:VEVENT")
    lines.append("END:VCALENDAR")
    return "".join(fold(line) + "\r\n" for line in lines)


def zone(name: str) -> dt.tzinfo:
    """The IANA time zone of that name (``Europe/Helsinki``, ``UTC``)."""
    from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

    try:
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError, OSError) as err:
        raise CalendarError(f"{name!r} is not a time zone like Europe/Helsinki or UTC") from err
