"""Quotes that make the point their label states, as the label's own count reads it
(quote33, issue 12: count32's and smoke31's demo Q6 T01).

A reader checks a theme by its quotes. The fast engine's "Private investors will follow ..."
was made by 57 of its 112 answers by the demo's truth, yet its three quotes made the
"advisory role ... but", formal-role and campaign points: a right theme read as wrong. Quotes
are picked around the theme's centre before its label's point is counted
(:func:`analysis.describe.pick_quotes`; the fast engine preferring answers that share a third
of the label's words, :mod:`analysis.quote_label`, which missed answers making the point in
other words). Once the count has read which answers make the label's point
(:func:`analysis.label_points.label_point_reading`'s ``counted``, the answers behind the "about
N make the label's own point" the report shows), a theme with a quote not among them while an
answer of it that is among them goes unquoted has its quotes picked again, every slot going
first to those answers (the picker's own variety rules unchanged: no answer that is a chosen
quote in other framing, answers adding a sentence first), and the new quotes are kept only
when more of them make the point (:func:`better`). Off by default (:data:`LABEL_POINT_QUOTES`).
"""

from __future__ import annotations

from collections.abc import Collection, Sequence

from .quote_label import makes_label_point
from .signoff import said_sentences

# Off (quote33's adoption rule failed on the 7 fresh ArgKP motions: first quotes making the
# theme's majority point 72.5 -> 71.0 %, one theme of 69, against a 1.0-point allowance;
# BENCHMARKS "quote33"): the quotes as picked before. On: picked again as above.
LABEL_POINT_QUOTES = False
# The semantic engine's quotes are picked again only with this set (not measured when quote33
# chose the default: the coding encoder its count reads was not yet built).
SEMANTIC = False
# Off: the first quote need only make the label's point, not lead with it (:func:`leads`).
LEAD = True


def leads(text: str, label: str) -> bool:
    """Whether an answer says ``label``'s point first: its first sentence (sign-off and
    courtesy aside) uses a third of the label's content words
    (:func:`analysis.quote_label.makes_label_point`). The demo's Q6 "Private investors will
    follow ..." had first quote "In our experience, business should be consulted on every
    major scheme, but the vote should stay with the combined authority board. We also think
    private investors will follow ...": the point, but second. (Words, not the count's
    vectors: a one-sentence answer the fast count took through an alias, "Put simply, our
    officers spend months each year writing bids ...", would lead "Priorities set in the West
    Midlands ...".)"""
    said = said_sentences(text)
    return bool(said) and makes_label_point(said[0], label)


def buries(text: str, label: str) -> bool:
    """Whether a quote making the label's point says something else first: more than one
    sentence, the first not leading with it (:func:`leads`)."""
    return len(said_sentences(text)) > 1 and not leads(text, label)


def repick_wanted(
    quote_ids: Sequence[str], maker_ids: Collection[str], member_ids: Collection[str]
) -> bool:
    """Whether a theme's quotes (``quote_ids``) should be picked again: one of them is not
    among the answers its label's count took as making the point (``maker_ids``) while one of
    its own answers (``member_ids``: its main theme's) that is among them is not quoted."""
    if not quote_ids or all(q in maker_ids for q in quote_ids):
        return False
    spare = set(maker_ids) & set(member_ids)
    return bool(spare - set(quote_ids))


def better(
    old_ids: Sequence[str],
    new_ids: Sequence[str],
    maker_ids: Collection[str],
    old_leads: bool = False,
    new_leads: bool = False,
) -> bool:
    """Whether the quotes ``new_ids`` replace ``old_ids``: no fewer of them, and more of
    them making the label's point (``maker_ids``), or as many with the first one making it
    where it did not, or leading with it (``new_leads``, :func:`leads`) where it did not
    (``old_leads``)."""
    if len(new_ids) < len(old_ids) or not new_ids:
        return False

    def score(ids: Sequence[str], first_leads: bool) -> tuple[int, bool, bool]:
        first = bool(ids) and ids[0] in maker_ids
        return sum(q in maker_ids for q in ids), first, first and first_leads

    return score(new_ids, new_leads) > score(old_ids, old_leads)
