"""The note of a theme whose answers make no other point of their own (issue 12).

A theme's summary lists "other points its answers make". When every such point is another
theme's (a sentence that is another theme's label, :func:`analysis.repeats.
other_labels_left_out`; or sentences many answers share that are other themes' topics,
:func:`analysis.describe.summarise`), the summary is one note instead: "This theme makes one
point of its own, its label's; for the other points its answers make, see T03 and T07."

The note names every theme those points belong to, most answers first (:func:`named_themes`):
each theme whose label a left-out sentence said, and each other theme that one in
:data:`NAMED_SHARE` of the theme's answers (two at least) also mention, as the reports count
an answer's other themes. One rule writes the names (:func:`other_themes_note`) and one reads
them back (:func:`named_in`), so a review edit that renames themes (a split's parts,
:func:`consult.reports.review._named_parts`) keeps the note's wording, and a note names only
themes a reader can find (:func:`renamed_note`: a theme merged into another or split is named
by what took its answers).
"""

from __future__ import annotations

import re
from collections.abc import Collection, Mapping, Sequence

# The note itself, with no names (as :data:`analysis.describe.OTHER_THEMES_NOTE` says it;
# repeated here so this module needs no describe).
OTHER_THEMES_NOTE = (
    "This theme makes one point of its own, its label's; the other points its answers make "
    "are other themes'."
)
# What comes before the names: where to read the other points (wording28, smoke27's finding:
# "... the other points its answers make belong to other themes: T02" told a policy officer
# nothing to do; "see T02" does).
NOTE_OPENING = (
    "This theme makes one point of its own, its label's; for the other points its answers "
    "make, see "
)
# The note as runs stored before wording28 say it, read back (:func:`named_in`) so that a
# review edit of such a run still renames the themes it names.
OLD_NOTE = (
    "This theme makes one point of its own; the other points its answers make belong to "
    "other themes."
)
OLD_NOTE_OPENING = OLD_NOTE[:-1] + ": "
# Another theme is named when at least one in this many of the theme's answers mention it
# (two at least): a summary's later point is made by as many (analysis.describe.SHARE).
NAMED_SHARE = 20
_SEPARATOR = re.compile(r",\s*|\s+and\s+")


def listed(ids: Sequence[str]) -> str:
    """Theme ids as words: "T08", "T08 and T01", "T08, T01 and T03"."""
    ids = list(ids)
    return ids[0] if len(ids) == 1 else f"{', '.join(ids[:-1])} and {ids[-1]}"


def other_themes_note(ids: Sequence[str]) -> str:
    """The note naming ``ids`` in the order given ("... for the other points its answers
    make, see T03 and T07."), or the note with no names when there are none."""
    return f"{NOTE_OPENING}{listed(ids)}." if ids else OTHER_THEMES_NOTE


def named_in(text: str) -> list[str] | None:
    """The theme ids a note names, in order (:func:`other_themes_note` read back, or the
    note as runs stored before wording28 say it): [] for the note with no names, None for any
    other text."""
    if text in (OTHER_THEMES_NOTE, OLD_NOTE):
        return []
    opening = next((o for o in (NOTE_OPENING, OLD_NOTE_OPENING) if text.startswith(o)), None)
    if opening is None or not text.endswith("."):
        return None
    names = [name for name in _SEPARATOR.split(text[len(opening) : -1]) if name]
    return names or None


def named_themes(
    said: Mapping[str, int],
    mentioned: Mapping[str, int],
    answers: int,
    order: Sequence[str] = (),
) -> list[str]:
    """The themes a note names, most answers first: every theme in ``said`` (whose label a
    left-out summary sentence said, with how many answers said it) and every theme in
    ``mentioned`` (how many of the theme's ``answers`` also mention it) that one in
    :data:`NAMED_SHARE` of them mention, two at least. A theme's count is the larger of the
    two; ties go in ``order`` (the run's theme order), then by id."""
    bar = max(2, answers // NAMED_SHARE)
    counts = {key: count for key, count in mentioned.items() if key and count >= bar}
    for key, count in said.items():
        if key:
            counts[key] = max(count, mentioned.get(key, 0), counts.get(key, 0))
    place = {key: index for index, key in enumerate(order)}
    return sorted(counts, key=lambda key: (-counts[key], place.get(key, len(place)), key))


def renamed_note(
    text: str,
    renames: Mapping[str, Sequence[str]],
    visible: Collection[str],
    own: str = "",
) -> str | None:
    """A note (:func:`named_in`) naming only ``visible`` themes: each name in ``renames`` (a
    theme merged into another, or split: the themes its answers went to) is replaced by the
    names it maps to, then names not visible and the theme's ``own`` are dropped, each named
    once, in the note's order. None when ``text`` is no note naming themes, or its names
    stand as they are. "" when it named themes and none is left (each merged into the theme
    itself, or hidden): the caller drops the note, since "the other points its answers make
    are other themes'" would then be untrue (those points are the theme's own now, or belong
    to no theme a reader can find)."""
    named = named_in(text)
    if not named:
        return None
    names: list[str] = []
    for name in named:
        for new in renames.get(name, [name]):
            if new in visible and new != own and new not in names:
                names.append(new)
    if names == named:
        return None
    return other_themes_note(names) if names else ""
