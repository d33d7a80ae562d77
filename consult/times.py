"""Times are stored in UTC and shown in UK time (GMT in winter, BST in summer).

``uk_time`` is the one formatter: templates use it as the ``uk_time`` filter and emails call it
directly, so partners and staff never see UTC.
"""

from __future__ import annotations

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
