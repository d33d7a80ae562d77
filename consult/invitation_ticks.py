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

from .edge import bounded_ints

CHOSEN = "chosen"
# More than any batch a person ticks by hand; the address stays well under 8 KB.
MAX_CARRIED = 500


def carried(values: Iterable[str]) -> list[int]:
    """The organisation ids ticked so far, from the address's ``chosen`` values: whole
    numbers only, each once, in the order ticked, at most :data:`MAX_CARRIED`."""
    seen: dict[int, None] = {}
    for number in bounded_ints(values):
        seen.setdefault(number, None)
        if len(seen) >= MAX_CARRIED:
            break
    return list(seen)


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
