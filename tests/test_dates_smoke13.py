"""smoke13 finding 14: a date the calendar lacks ("31 February 2027") was refused with the
general "Enter the closing time as a date and time, like 31 March 2027 at 5pm", as if it
were typed the wrong way; the message now says the month has no such day. Through a real
server, as the new officer's other date checks."""

from __future__ import annotations

import pytest

from consult.times import missing_day
from tests.test_new_officer import create, error_summary, server  # noqa: F401 (fixture)


@pytest.mark.parametrize(
    ("typed", "why"),
    [
        ("31 February 2027", "February 2027 has only 28 days"),
        ("29/02/2027 17:00", "February 2027 has only 28 days"),
        ("2027-04-31", "April 2027 has only 30 days"),
        ("29 February 2028", None),  # a leap year: a real date
        ("31 March 2027 at 5pm", None),
        ("end of March", None),
        ("31 Marsh 2027", None),
    ],
)
def test_missing_day(typed, why):
    assert missing_day(typed) == why


def test_a_day_the_month_lacks_says_so(server):  # noqa: F811 (the imported fixture)
    base, session = server
    page = create(
        base, session, title="No such day", slug="no-such-day", closes_at="31 February 2027"
    )
    assert error_summary(page.text) == [
        "Enter a real date for the closing time: February 2027 has only 28 days"
    ]
    assert 'value="31 February 2027"' in page.text  # kept to correct
