"""Times are stored in UTC and shown in UK time (GMT in winter, BST in summer).

``uk_time`` is the one formatter: templates use it as the ``uk_time`` filter and emails call it
directly, so partners and staff never see UTC.
"""

from __future__ import annotations

import calendar
import re
from datetime import date, datetime
from zoneinfo import ZoneInfo

from .models import as_utc

UK = ZoneInfo("Europe/London")

STYLES = ("datetime", "date", "short", "short_date", "seconds", "time")


def to_uk(moment: datetime | None) -> datetime | None:
    """The same instant on a UK clock (a naive value is taken as UTC, as SQLite returns it)."""
    moment = as_utc(moment)
    return moment.astimezone(UK) if moment is not None else None


def from_uk(local: datetime | None) -> datetime | None:
    """A wall-clock time typed in the UK (naive) as an aware UTC datetime.

    In the hour the clocks go back the first of the two readings (BST) is taken.
    """
    if local is None:
        return None
    if local.tzinfo is not None:
        return as_utc(local)
    return as_utc(local.replace(tzinfo=UK))


def clock(moment: datetime) -> str:
    """GOV.UK style times: 9am, 5:30pm, midday, midnight."""
    if moment.hour == 0 and moment.minute == 0:
        return "midnight"
    if moment.hour == 12 and moment.minute == 0:
        return "midday"
    hour = moment.hour % 12 or 12
    suffix = "am" if moment.hour < 12 else "pm"
    return f"{hour}{suffix}" if moment.minute == 0 else f"{hour}:{moment.minute:02d}{suffix}"


def short_date(day: date) -> str:
    """A day as reports show it: 4 Dec 2026 (the ``short_date`` style of :func:`uk_time`)."""
    return f"{day.day} {day:%b %Y}"


def uk_time(moment: datetime | None, style: str = "datetime", empty: str = "") -> str:
    """Format a stored (UTC) time in UK time.

    ``datetime``: 1 March 2027 at 5:30pm; ``date``: 1 March 2027; ``short``: 1 Mar 2027 17:30;
    ``short_date``: 1 Mar 2027; ``seconds``: 2027-03-01 17:30:05; ``time``: 5:30pm.
    ``empty`` is returned for a missing time.
    """
    local = to_uk(moment)
    if local is None:
        return empty
    if style == "datetime":
        return f"{local.day} {local:%B %Y} at {clock(local)}"
    if style == "date":
        return f"{local.day} {local:%B %Y}"
    if style == "short":
        return f"{local.day} {local:%b %Y %H:%M}"
    if style == "short_date":
        return short_date(local)
    if style == "seconds":
        return f"{local:%Y-%m-%d %H:%M:%S}"
    if style == "time":
        return clock(local)
    raise ValueError(f"unknown time style {style!r}; use one of {', '.join(STYLES)}")


# What staff may type for a date and time: the way pages show one ("31 March 2027 at 5pm"),
# a short month ("31 Mar 2027 17:00"), numbers ("31/03/2027 17:00") or ISO 8601
# ("2027-03-31T17:00", which the builder's fields used to require).
MONTHS = {
    name: number
    for number, names in enumerate(
        (
            ("january", "jan"),
            ("february", "feb"),
            ("march", "mar"),
            ("april", "apr"),
            ("may",),
            ("june", "jun"),
            ("july", "jul"),
            ("august", "aug"),
            ("september", "sep", "sept"),
            ("october", "oct"),
            ("november", "nov"),
            ("december", "dec"),
        ),
        start=1,
    )
    for name in names
}
_DAY_MONTH_YEAR = re.compile(r"(\d{1,2})(?:st|nd|rd|th)?\s+([a-z]+)\.?,?\s+(\d{4})")
_NUMERIC = re.compile(r"(\d{1,2})[/.-](\d{1,2})[/.-](\d{4})")
_ISO = re.compile(r"(\d{4})-(\d{1,2})-(\d{1,2})")
_CLOCK = re.compile(r"(\d{1,2})(?:[:.](\d{2}))?(?::\d{2})?\s*(am|pm|a\.m\.|p\.m\.)?")


def _clock_time(text: str) -> tuple[int, int] | None:
    """``5pm``, ``5:30pm``, ``17:00``, ``9.15am``, ``midday``, ``noon``, ``midnight``."""
    if text in ("midday", "noon", "12 noon"):
        return 12, 0
    if text == "midnight":
        return 0, 0
    match = _CLOCK.fullmatch(text)
    if not match:
        return None
    hour, minute = int(match.group(1)), int(match.group(2) or 0)
    half = (match.group(3) or "").replace(".", "")
    if half:
        if not 1 <= hour <= 12:
            return None
        hour = hour % 12 + (12 if half == "pm" else 0)
    elif match.group(2) is None:
        return None  # a bare "17" is not a time
    if hour > 23 or minute > 59:
        return None
    return hour, minute


def _date_parts(text: str) -> tuple[int, int, int, str] | None:
    """The day, month and year a typed date starts with (not checked against the calendar)
    and the text after it; None when it starts with no date."""
    text = " ".join(text.strip().lower().split())
    for pattern, order in ((_ISO, "ymd"), (_NUMERIC, "dmy"), (_DAY_MONTH_YEAR, "dMy")):
        match = pattern.match(text)
        if not match:
            continue
        parts = dict(zip(order, match.groups(), strict=True))
        month = MONTHS.get(parts["M"]) if "M" in parts else int(parts["m"])
        if month is None:
            return None
        return int(parts["d"]), month, int(parts["y"]), text[match.end() :].strip()
    return None


def missing_day(text: str) -> str | None:
    """For a date whose month has no such day ("31 February 2027", "31/04/2027"): "February
    2027 has only 28 days", so the form can say why it is refused (smoke13 finding 14);
    None for anything else."""
    found = _date_parts(text)
    if found is None:
        return None
    day, month, year, _ = found
    if not (1 <= month <= 12 and 1 <= year <= 9999):
        return None
    days = calendar.monthrange(year, month)[1]
    if day <= days:
        return None
    return f"{calendar.month_name[month]} {year} has only {days} days"


def parse_uk_datetime(text: str) -> tuple[datetime, bool] | None:
    """A date and time as staff type it, on a UK clock: the naive datetime and whether a time
    was given (``False``: the date alone, at midnight). None when it cannot be read.

    ``31 March 2027 at 5pm``, ``31 Mar 2027 17:00``, ``31/03/2027 5:30pm``,
    ``2027-03-31T17:00``, ``2027-03-31`` all read; the day comes before the month, as in the UK.
    """
    found = _date_parts(text)
    if found is None:
        return None
    day, month, year, rest = found
    rest = rest.removeprefix("t").removeprefix("at ").removeprefix(",").strip()
    hour = minute = 0
    if rest:
        found = _clock_time(rest)
        if found is None:
            return None
        hour, minute = found
    try:
        return datetime(year, month, day, hour, minute), bool(rest)
    except ValueError:
        return None
