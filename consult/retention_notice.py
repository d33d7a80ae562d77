"""Does a consultation's privacy notice say how long responses are kept, and does that agree
with its retention setting? A notice that promises "two years" while the setting keeps
responses until deleted (or deletes them after 90 days) misleads every respondent, so the
builder refuses to save such a pair and the consultation page warns about one already saved
(a demo loaded before, or an imported definition).

Only a plain statement is read ("We keep responses for two years", "retained for 18
months", "deleted 90 days after the consultation closes"); a notice that says nothing about
how long is left alone.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

NUMBERS = {
    "a": 1,
    "an": 1,
    "one": 1,
    "two": 2,
    "three": 3,
    "four": 4,
    "five": 5,
    "six": 6,
    "seven": 7,
    "eight": 8,
    "nine": 9,
    "ten": 10,
    "eleven": 11,
    "twelve": 12,
    "eighteen": 18,
    "twenty-four": 24,
    "thirty": 30,
    "sixty": 60,
    "ninety": 90,
}
UNIT_DAYS = {"day": 1.0, "week": 7.0, "month": 365.25 / 12, "year": 365.25}
_AMOUNT = r"(?P<amount>\d{1,4}|" + "|".join(sorted(NUMBERS, key=len, reverse=True)) + r")"
_PERIOD = _AMOUNT + r"[\s-]+(?P<unit>day|week|month|year)s?\b"
# "keep/retain/store/hold ... for <period>" or "delete(d) ... <period> after"
PATTERNS = [
    re.compile(
        r"\b(?:keep|keeps|kept|retain|retains|retained|store|stores|stored|hold|holds|held)\b"
        r"[^.]{0,80}?\bfor\s+(?:up\s+to\s+|a\s+period\s+of\s+|at\s+least\s+)?" + _PERIOD,
        re.IGNORECASE,
    ),
    re.compile(
        r"\b(?:delete|deletes|deleted|destroy|destroyed|erase|erased)\b[^.]{0,80}?"
        + _PERIOD
        + r"\s+after\b",
        re.IGNORECASE,
    ),
]


@dataclass(frozen=True)
class StatedPeriod:
    """A retention period a privacy notice states: its words and about how many days."""

    words: str
    days: int
    slack: int = 0  # days either way that still agree: months and years vary in length


def stated_period(notice: str | None) -> StatedPeriod | None:
    """The retention period the notice states ("two years" -> 730 days), or None when it
    states none."""
    for pattern in PATTERNS:
        found = pattern.search(notice or "")
        if found:
            amount = found.group("amount").lower()
            number = int(amount) if amount.isdigit() else NUMBERS[amount]
            unit = found.group("unit").lower()
            days = round(number * UNIT_DAYS[unit])
            if unit == "year":
                days = number * 365  # "two years" is the 730 days staff would type
            words = f"{amount} {unit}{'' if number == 1 else 's'}"
            slack = number if unit in ("month", "year") else 0
            return StatedPeriod(words, days, slack)
    return None


def agrees(period: StatedPeriod, retention_days: int) -> bool:
    """Whether a setting of ``retention_days`` keeps responses as long as the notice says
    (within a day a month or year either way: leap years, months of different lengths)."""
    return abs(retention_days - period.days) <= period.slack


def conflict(
    notice: str | None, retention_days: int | None, setting: str = "“Keep responses for”"
) -> str | None:
    """A sentence for staff when the privacy notice states a retention period the setting
    does not keep, else None (the builder's form and a definition's import both refuse
    such a pair; ``setting`` names the setting as the staff member sees it)."""
    period = stated_period(notice)
    if period is None:
        return None
    if retention_days is None:
        return (
            f"The privacy notice says responses are kept for {period.words}, but the "
            f"retention setting keeps them until deleted. Set {setting} to "
            f"{period.days} days, or change the notice."
        )
    if agrees(period, retention_days):
        return None
    return (
        f"The privacy notice says responses are kept for {period.words} (about "
        f"{period.days} days), but the retention setting keeps them for {retention_days} days "
        f"after closing. Set {setting} to {period.days} days, or change the notice."
    )
