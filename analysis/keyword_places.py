"""Place names said only to say where the writer is (kw29, issue 12; smoke29's finding on the
demo's Q6).

Partners often open a point by saying where they are: "In Wolverhampton, manufacturers can
tell you which technician roles they cannot fill today", "Here in Dudley, ...", "As a council
in Walsall, we think ...". The place is who is writing, not what the answer says: a theme's
answers come from a handful of places, and whichever place three of them happen to share
passes the distinctiveness test (:func:`analysis.describe.distinctive_terms`) by chance. On
the demo's Q6 (fast engine, seed 0) "Wolverhampton" was a keyword of "Manufacturers can tell
you which technician roles they cannot fill today" (22 answers): 3 of them open "(Here) in
Wolverhampton,", beside 2 "Dudley", 2 "Solihull" and 1 "Sandwell" in the same place, and no
answer names Wolverhampton anywhere else.

The rule (:func:`where_from_only`): a word the answers write as a name (capitalised) is no
keyword alone when at least :data:`LEAD_SHARE` of its uses stand in such a lead at the start
of a sentence: "In <Name>," or "Here in <Name>," (up to three capitalised words), or an
opener's "As a <body> in <Name>, we ...". A name said as part of the point ("Invest in
Coventry's gigafactory", "research money goes to Oxford and Cambridge") is not in a lead and
stays; so does a common noun ("In hospital, the food was cold": "hospital" is not a name).

Pure and deterministic.
"""

from __future__ import annotations

import re

from .keyword_case import shouting
from .statements import sentences

# Up to three capitalised words ending the lead before its comma: "Wolverhampton",
# "West Bromwich", "Sutton Coldfield".
_NAME = r"(?:[A-Z][\w'’-]*)(?:\s+[A-Z][\w'’-]*){0,2}"
# A lead saying where the writer is, at a sentence's start.
_LEAD = re.compile(
    rf"^(?i:(?:(?:here|out here|over here|based)\s+)?in)\s+(?P<name>{_NAME})\s*,"
    rf"|^(?i:as\s+an?\s+[\w\s'’-]{{1,40}}?\s+(?:in|from|based in))\s+(?P<body>{_NAME})\s*,"
)
# The share of a name's uses in leads from which it is no keyword alone.
LEAD_SHARE = 0.5
# Names of times, not places: "In March, the buses stopped" says when, and a month or day
# can be what a theme is about (the lead's review of kw29).
_TIMES = frozenset(
    (
        *("january", "february", "march", "april", "may", "june", "july", "august"),
        *("september", "october", "november", "december", "monday", "tuesday"),
        *("wednesday", "thursday", "friday", "saturday", "sunday"),
    )
)


def _as_a_name(name: str) -> bool:
    """Whether a lead's name is written as a name: each word a capital then small letters
    ("Wolverhampton", "West Bromwich"), not shouted ("HOSPITAL")."""
    return all(word[:1].isupper() and any(c.islower() for c in word) for word in name.split())


def _uses(word: str, text: str) -> int:
    return len(re.findall(rf"(?<![\w'’-]){re.escape(word)}(?![\w'’-])", text, re.I))


def where_from_only(word: str, texts: list[str]) -> bool:
    """Whether ``word`` (a keyword as shown, any case) is a name the ``texts`` (the theme's
    answers as written) use mostly to say where the writer is (module docstring)."""
    if " " in word or not word or word.lower() in _TIMES:
        return False
    lower = word.lower()
    holding = [t for t in texts if lower in t.lower() and not shouting(t)]
    uses = sum(_uses(word, t) for t in holding)
    if not uses:
        return False
    in_leads = 0
    for text in holding:
        for sentence in sentences(text):
            found = _LEAD.match(sentence.strip())
            name = (found.group("name") or found.group("body") or "") if found else ""
            if name and _as_a_name(name):
                in_leads += _uses(word, name)
    return in_leads >= LEAD_SHARE * uses
