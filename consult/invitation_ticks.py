"""Organisations ticked on the invitations page, carried across searches and pages
(collect29 #1): tick some, search for others, tick those too, and send to them all at once,
as LimeSurvey's and Citizen Space's participant lists keep a selection across searches.

The ticks travel in the page's address (``?chosen=12&chosen=40``), so the page stays a plain
GET that can be linked to and reloaded: the search form and the page links carry them (a
small script adds those ticked since the page was drawn; without JavaScript the ones carried
so far are kept). Those not among the results shown are listed above them, still ticked, to
untick or send with the rest. Request-free: the view passes the values and the page's ids.
"""

from __future__ import annotations

from collections.abc import Iterable

from .edge import MAX_ID, bounded_ints

CHOSEN = "chosen"
# gunicorn.conf.py's ``limit_request_line``: a longer address gets gunicorn's own 400 page.
REQUEST_LINE_LIMIT = 8190
# One carried tick at its longest: ``&chosen=2147483647`` (18 bytes).
TICK_BYTES = len(f"&{CHOSEN}=") + len(str(MAX_ID))
# The rest of the invitations page's request line at its longest (fixc29 #1, measured in
# tests/test_invitation_ticks.py): ``GET `` and `` HTTP/1.1``, the path with a ten-digit
# consultation id (43), the search text's 200 characters each a 4-byte character
# percent-encoded (2,403 with ``?q=``), the longest partner type, area and status, and a
# ten-digit page: 2,562 bytes; 2,700 leaves room.
REST_OF_LINE = 2700
# (8,190 - 2,700) // 18 = 305 would fit; a round number to tell officers. At 500 (collect29)
# ten-digit ids made ~9,000 bytes and a long list got gunicorn's 400 page.
MAX_CARRIED = 250


def carried(values: Iterable[str]) -> list[int]:
    """The organisation ids ticked so far, from the address's ``chosen`` values: whole
    numbers only, each once, in the order ticked, at most :data:`MAX_CARRIED`."""
    seen: dict[int, None] = {}
    for number in bounded_ints(values):
        seen.setdefault(number, None)
        if len(seen) >= MAX_CARRIED:
            break
    return list(seen)


def ticked_count(values: Iterable[str]) -> int:
    """How many organisations the address's ``chosen`` values tick (each once), the cap
    aside: more than :data:`MAX_CARRIED` means some were not carried, and the page says so."""
    return len(set(bounded_ints(values)))


def over_cap(count: int) -> str:
    """What the page says when ``count`` organisations were ticked, more than can be carried
    (never dropped silently): the first :data:`MAX_CARRIED` are still ticked."""
    return (
        f"{count:,} organisations were ticked, but at most {MAX_CARRIED} can stay ticked "
        f"across searches and pages: only the first {MAX_CARRIED} are still ticked. Send "
        "invitations to those, then tick the others again."
    )


def ticked_elsewhere(chosen: Iterable[int], shown: Iterable[int]) -> list[int]:
    """The carried ids not among the organisations ``shown`` on this page, in order: they
    are listed above the results, still ticked."""
    here = set(shown)
    return [number for number in chosen if number not in here]


def ticked_summary(count: int) -> str:
    """What the list of earlier ticks is headed with: ``1 organisation ticked in an earlier
    search or page`` / ``3 organisations ...``."""
    noun = "organisation" if count == 1 else "organisations"
    search = "an earlier search or page" if count == 1 else "earlier searches or pages"
    return f"{count:,} {noun} ticked in {search}"
