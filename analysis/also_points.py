"""Big asks with no theme of their own, named beside the theme holding them (issue 12,
smoke18r finding 3).

A theme's summary lists the other points its answers make. Some of them are large: in the
demo's Q8, 56 of 184 answers ask for help with exporting, and no theme says so; 23 of them sit
in "Use public procurement to buy from local small businesses ...", whose summary gives the
export point as its first other point. An officer reading the table of themes never sees it.
So a theme's table row also names each other point made by about as many of its answers as
its label (at least :data:`LABEL_SHARE` of the label's count, where the label was counted) or
by :data:`MIN_ANSWERS` answers or more (and at least :data:`MIN_SHARE` of the answered):
"Also in this group: “Support exporters to find new markets ...” (about 23)." The grouping is
not changed, so every theme's counts and the benchmarks' NMI stay as they were.

A point is counted as the report counts it (``answers``, semantic engine); where it was not
counted (fast engine), the answers the summary lists for it (``ids``) decide, and no count is
printed, as the fast report prints none for its other points.

A point named beside a theme whose answers lean to one side (stance measured from a paired
agreement question), but taken from an answer on the other side, reads as the theme saying
both; it is named with where it comes from: "... (about 12; from answers against, where this
group leans for)" (:func:`also_sides`; grab26). On the demo none of the 43 points named
(seven questions, both engines) is on the other side, so nothing there changes.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

# A point made by this many answers or more is named (the smoke walk's "15+ answers") ...
MIN_ANSWERS = 15
# ... when that is also at least this share of the answered (so 15 of 5,000 is not named).
MIN_SHARE = 0.05
# A point made by at least this share of the answers making the label's point (where they
# were counted) is "about as many as its label" ...
LABEL_SHARE = 0.8
# ... when at least this many answers make it.
LABEL_FLOOR = 5
# At most this many points are named in one row.
LISTED = 3
ALSO_OPENING = "Also in this group: "
# A theme leans to a side (for or against) when it holds at least this many times the other
# side's answers, as the reports' "leaning for" (:data:`analysis.report.LEANING`).
LEANING = 3


def said_by(point: Mapping[str, Any]) -> tuple[int, bool]:
    """How many answers make a summary point, and whether that was counted (``answers``) or
    is the answers the summary lists for it (``ids``)."""
    count = point.get("answers")
    if isinstance(count, int) and not isinstance(count, bool):
        return count, True
    return len(point.get("ids") or ()), False


def _is_point(point: Mapping[str, Any]) -> bool:
    """A respondent's point, not a note from the analysis."""
    return bool(point.get("text")) and not point.get("only_point") and not point.get("note")


def theme_side(theme: Mapping[str, Any]) -> str:
    """The side ("for" or "against") ``theme``'s answers lean to: at least :data:`LEANING`
    times the other side's answers; '' when stance was not measured or there is no lean."""
    counts = theme.get("stance") or {}
    pro, con = int(counts.get("for") or 0), int(counts.get("against") or 0)
    if pro and pro >= LEANING * con:
        return "for"
    if con and con >= LEANING * pro:
        return "against"
    return ""


def also_sides(theme: Mapping[str, Any], answered: int) -> list[tuple[str, int | None, str]]:
    """:func:`also_points` with each point's side where it is the other side from the one
    ``theme`` leans to (:func:`theme_side`; the side of the answer the point is taken from,
    its ``stance``), else ''."""
    lean = theme_side(theme)
    sides = {
        str(point.get("text")): str(point.get("stance") or "")
        for point in theme.get("summary") or ()
        if _is_point(point)
    }
    found = []
    for text, count in also_points(theme, answered):
        side = sides.get(text, "")
        other = bool(lean) and side in ("for", "against") and side != lean
        found.append((text, count, side if other else ""))
    return found


def also_points(theme: Mapping[str, Any], answered: int) -> list[tuple[str, int | None]]:
    """The other points of ``theme`` to name beside it, most answers first, at most
    :data:`LISTED`: (text, count) with count None where it was not counted."""
    label = theme.get("label_point")
    label = label if isinstance(label, int) and not isinstance(label, bool) else None
    bar = max(MIN_ANSWERS, MIN_SHARE * max(answered, 0))
    found: list[tuple[int, int, str, int | None]] = []
    for place, point in enumerate(theme.get("summary") or ()):
        if not _is_point(point):
            continue
        count, counted = said_by(point)
        near_label = label is not None and count >= max(LABEL_FLOOR, LABEL_SHARE * label)
        if count >= bar or near_label:
            found.append((-count, place, str(point["text"]), count if counted else None))
    found.sort()
    return [(text, count) for _, _, text, count in found[:LISTED]]


# A point is cut only where the cut leaves out at least this many words: cutting one to six
# saved little and lost the point's end ("… how the growth money …" for "... money is
# invested"; smoke27), so a point of up to 14 + 6 words is quoted whole.
LEAST_CUT = 7


def _quoted(text: str, words: int = 14) -> str:
    """A point in quotation marks, cut to its first ``words`` words ("…" after a cut) when
    that leaves out at least :data:`LEAST_CUT` words; else whole."""
    parts = text.rstrip(".").split()
    if len(parts) < words + LEAST_CUT:
        return f"“{' '.join(parts)}”"
    return f"“{' '.join(parts[:words])} …”"


def _other_side(side: str) -> str:
    """The words after a point from answers on ``side``, the other side from its group's."""
    lean = "for" if side == "against" else "against"
    return f"from answers {side}, where this group leans {lean}"


def also_sentence(points: Sequence[tuple[str, int | None] | tuple[str, int | None, str]]) -> str:
    """ "Also in this group: “…” (about 23); “…” (about 16)." ('' for no points); a point
    with a side (:func:`also_sides`) says it comes from answers on the other side."""
    if not points:
        return ""
    named = []
    for text, count, *rest in points:
        notes = [f"about {count:,}"] if count is not None else []
        if rest and rest[0]:
            notes.append(_other_side(rest[0]))
        named.append(_quoted(text) + (f" ({'; '.join(notes)})" if notes else ""))
    return ALSO_OPENING + "; ".join(named) + "."


def also_in_group(theme: Mapping[str, Any], answered: int) -> str:
    """The sentence naming ``theme``'s big other points (:func:`also_sides`), or ''."""
    return also_sentence(also_sides(theme, answered))
