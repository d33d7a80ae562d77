"""When an imported response was submitted, as another tool's export writes it: ISO 8601
(this service's own export), or a UK date, always day first (this is a UK service: 03/12/2026
is 3 December 2026), with or without a time: "03/12/2026 14:05", "03/12/2026", "3 December
2026 14:05", "3 Dec 2026", "5 December 2026 at 7:53pm" (the pages' own way of saying it)
(smoke10 finding 7)."""

from __future__ import annotations

import re
from datetime import UTC, datetime

from .times import MONTHS, UK, uk_time

# The time after a date: "14:05", "14:05:33", "14.05", "2:05pm", "2pm", optionally after
# "at" or a comma.
_TIME = (
    r"(?:\s*,?\s*(?:at\s+)?(?P<hour>\d{1,2})(?:[:.](?P<minute>\d{2})(?::(?P<second>\d{2}))?)?"
    r"\s*(?P<half>am|pm)?)?"
)
_NUMERIC = re.compile(r"(?P<day>\d{1,2})/(?P<month>\d{1,2})/(?P<year>\d{4})" + _TIME, re.I)
_WORDS = re.compile(
    r"(?:[a-z]+,?\s+)?(?P<day>\d{1,2})(?:st|nd|rd|th)?\s+(?P<month>[a-z]+)\.?,?\s+"
    r"(?P<year>\d{4})" + _TIME,
    re.I,
)


def _clock(match: re.Match[str]) -> tuple[int, int, int] | None:
    """The hour, minute and second a match gives (midnight when it gives none), or None
    when they are not a time ("25:00", "13pm", a bare hour with no am or pm)."""
    if match["hour"] is None:
        return 0, 0, 0
    hour, minute, second = int(match["hour"]), int(match["minute"] or 0), int(match["second"] or 0)
    half = (match["half"] or "").lower()
    if half:
        if not 1 <= hour <= 12:
            return None
        hour = hour % 12 + (12 if half == "pm" else 0)
    elif match["minute"] is None:
        return None  # "3 Dec 2026 14" is not a time
    if hour > 23 or minute > 59 or second > 59:
        return None
    return hour, minute, second


def uk_date_time(raw: str) -> datetime | None:
    """A UK date, day first, with an optional time, as a naive datetime (UK time); None
    when ``raw`` is not one or names no real day (31/02/2026)."""
    text = " ".join(raw.split())
    for pattern in (_NUMERIC, _WORDS):
        match = pattern.fullmatch(text)
        if match is None:
            continue
        month = match["month"]
        number = int(month) if month.isdigit() else MONTHS.get(month.lower())
        clock = _clock(match)
        if number is None or clock is None:
            return None
        try:
            return datetime(int(match["year"]), number, int(match["day"]), *clock)
        except ValueError:
            return None
    return None


def parse_submitted(raw: str) -> datetime | None:
    """A submitted-at cell as an aware time: ISO 8601 (with its offset, or as UK time), else a
    UK date and time read day first (as UK time); None when it is neither."""
    text = raw.strip()
    try:
        moment = datetime.fromisoformat(text)
    except ValueError:
        moment = uk_date_time(text)
    if moment is None:
        return None
    return moment if moment.tzinfo is not None else moment.replace(tzinfo=UK)


def gives_time(raw: str) -> bool:
    """Whether a submitted-at cell gives a time of day, not a date alone: "03/12/2026 14:05"
    and "2026-12-03T14:05:00+00:00" do, "03/12/2026", "3 Dec 2026" and "2026-12-03" do not.
    (Only meaningful for a cell :func:`parse_submitted` reads.)"""
    text = " ".join(raw.split())
    for pattern in (_NUMERIC, _WORDS):
        match = pattern.fullmatch(text)
        if match is not None:
            return match["hour"] is not None
    return len(text) > len("2026-12-03")  # ISO 8601: a date alone is ten characters


def submitted_words(
    moment: datetime | None, date_only: bool | None = False, empty: str = ""
) -> str:
    """When a response was submitted, as pages say it: "4 December 2026 at 2:05pm", or the
    date alone ("4 December 2026") for an import that gave no time."""
    return uk_time(moment, "date" if date_only else "datetime", empty=empty)


def submitted_time(raw: str, now: datetime) -> datetime | None:
    """A submitted-at cell as a time (UTC): see :func:`parse_submitted`; None when it is not
    one, or is after ``now``."""
    moment = parse_submitted(raw)
    if moment is None:
        return None
    moment = moment.astimezone(UTC)
    return moment if moment <= now else None
