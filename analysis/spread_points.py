"""Points raised across themes: one point that answers in many themes make, counted once over
the whole question (issue 12, spread26).

An answer making two points has one main theme, so a point made by many answers is spread
over every theme its makers' other points put them in. On the demo's question on working with
councils, "Bus services are unreliable ..." is made by 52 answers whose main themes are seven
different themes; the table of themes shows a slice of it in each (9 under "Franchising the
buses ...", 9 under "Staff cannot rely on buses ...") and no reader can tell how many partners
raised it. An expert would write it once with its count.

So each theme's label (a statement in the partners' words) is also counted over the whole
question: the answers, as a whole or by one of their separate points, that make its point
under the run's nearest-heading rule (:func:`analysis.label_points.statement_makers`, as the
theme's own ``label_point`` is counted, but over every answer, not only those mentioning the
theme). A label is listed as raised across themes when its makers' main themes are
:data:`MIN_THEMES` themes or more (each holding :data:`HOLD` of them or more) and the whole
question holds clearly more of them than its own theme's count (:data:`MORE_RATIO`,
:data:`MORE_ANSWERS`). The grouping is not changed, so every theme's counts and NMI stay as
they were.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:  # the reports import this module without NumPy
    import numpy as np

# A theme holds a slice of the point when at least this many of its answers make it ...
HOLD = 2
# ... and a point is spread when this many themes hold a slice (the brief's "3+ themes").
MIN_THEMES = 3
# Listed only when the whole question has at least this many times its own theme's count ...
MORE_RATIO = 1.5
# ... and this many answers more (a few answers elsewhere are no news to a reader).
MORE_ANSWERS = 10
# At most this many points are listed, most answers first.
LISTED = 5
# Listed only for runs that count with MiniLM's sentence vectors (the semantic engine). The
# fast engine's static word-piece vectors count a label's point over the whole question too
# loosely: on ArgKP's held-out odd motions its listed labels' counts erred by 28.5 arguments
# against the key points' (the theme's own count: 25.7), failing the rule committed before
# scoring (BENCHMARKS "spread26"); it is counted only for the benches
# (analysis.stages.FAST_ENGINE_SPREAD).
SENTENCE_VECTORS_ONLY = True

# What the reports say above the list (CLI, run page, Word).
ACROSS_HEADING = "Points raised across themes"
ACROSS_INTRO = (
    "Each answer has one main theme, so a point made by answers that also make other points "
    "is split among their themes, and a theme's row shows only its slice. These points are "
    "made by clearly more answers over the whole question than in their own theme (each "
    "answer, and each of its points, counted under the theme label nearest to it):"
)


def holders(
    makes: np.ndarray,
    row_rep: Sequence[int],
    row_theme: Sequence[int],
    theme: int,
    row_stances: Sequence[str] | None = None,
    side: str = "",
) -> Counter:
    """Per main theme, how many rows make statement ``theme``'s point: ``makes`` is (distinct
    answers, statements) booleans, ``row_rep`` each row's distinct answer (-1: none) and
    ``row_theme`` its main theme (-1: none). With ``side`` ("for" or "against") and
    ``row_stances``, a row whose stance is the other side is not counted (:func:`point_side`)."""
    found: Counter = Counter()
    other = {"for": "against", "against": "for"}.get(side)
    for row, (rep, main) in enumerate(zip(row_rep, row_theme, strict=True)):
        if rep >= 0 and main >= 0 and makes[rep, theme]:
            if other is not None and row_stances is not None and row_stances[row] == other:
                continue
            found[int(main)] += 1
    return found


def point_side(
    makes: np.ndarray, row_rep: Sequence[int], row_stances: Sequence[str], theme: int
) -> str:
    """The side ("for" or "against") statement ``theme``'s point is made from over the whole
    question, else "": the side more of the rows making it took, kept as a summary point's
    side tag is (:func:`analysis.describe.counted_side`: at least 0.6 of those taking a side,
    and more than half of those with any stance, "mixed" included). A point made from one
    side is not made by answers on the other (count33: on the demo's funding question 13
    answers against the settlement, making "Too many conditions remain attached …", which no
    heading says, were counted across themes for "Multi-year funding would give councils the
    certainty …"); a qualified point both sides make ("Business should be consulted …, but
    …") has no side, and every answer making it counts. Read only where
    :data:`analysis.stages.SPREAD_SIDES` is set (on since BENCHMARKS "count34")."""
    from .describe import counted_side

    stances = Counter(
        row_stances[row] for row, rep in enumerate(row_rep) if rep >= 0 and makes[rep, theme]
    )
    leading = "for" if stances.get("for", 0) >= stances.get("against", 0) else "against"
    kept = counted_side(leading, stances)
    return kept if kept in ("for", "against") else ""


def spread(
    makes: np.ndarray,
    row_rep: Sequence[int],
    row_theme: Sequence[int],
    label_points: Sequence[int | None],
    row_stances: Sequence[str] | None = None,
) -> list[dict[str, Any]]:
    """Per theme (in order): ``answers``, the rows over the whole question making its label's
    point; ``in_theme``, its own ``label_point``; ``themes``, the main themes holding
    :data:`HOLD` or more of them (most first, then by index), with their counts. With
    ``row_stances`` (each row's stance, when measured), a point made from one side
    (:func:`point_side`) counts no row on the other side; ``side`` says which, or ""."""
    out = []
    for theme, own in enumerate(label_points):
        side = point_side(makes, row_rep, row_stances, theme) if row_stances is not None else ""
        found = holders(makes, row_rep, row_theme, theme, row_stances, side)
        held = sorted(
            ((t, n) for t, n in found.items() if n >= HOLD), key=lambda item: (-item[1], item[0])
        )
        entry = {
            "theme": theme,
            "answers": int(sum(found.values())),
            "in_theme": own,
            "themes": [t for t, _ in held],
            "held": [n for _, n in held],
        }
        out.append({**entry, "side": side} if row_stances is not None else entry)
    return out


def raised_across(entry: dict[str, Any]) -> bool:
    """Whether a label's point (an entry of :func:`spread`) is listed as raised across
    themes: held by :data:`MIN_THEMES` themes or more and made over the whole question by
    clearly more answers than its own theme's count."""
    own = entry["in_theme"] or 0
    return (
        len(entry["themes"]) >= MIN_THEMES
        and entry["answers"] >= MORE_RATIO * own
        and entry["answers"] - own >= MORE_ANSWERS
    )


def points_across_themes(
    spread_entries: Sequence[dict[str, Any]], theme_ids: Sequence[str], labels: Sequence[str]
) -> list[dict[str, Any]]:
    """The points listed as raised across themes (:func:`raised_across`), most answers first
    (then by theme), at most :data:`LISTED`: each with its theme's id and label, ``answers``
    over the whole question, ``in_theme`` (its own theme's count) and the ids of the themes
    holding it."""
    chosen = sorted(
        (e for e in spread_entries if raised_across(e)), key=lambda e: (-e["answers"], e["theme"])
    )[:LISTED]
    return [
        {
            "theme": theme_ids[e["theme"]],
            "label": labels[e["theme"]],
            "answers": e["answers"],
            "in_theme": e["in_theme"],
            "themes": [theme_ids[t] for t in e["themes"]],
        }
        for e in chosen
    ]


def across_sentence(point: Mapping[str, Any]) -> str:
    """One listed point as a reader reads it: "“Staff cannot rely on buses ...” (T09): about
    63 answers across 8 themes (T01, T09, ...); T09's own count is 24."."""
    themes = list(point["themes"])
    own = point.get("in_theme")
    mine = f"; {point['theme']}'s own count is {own}" if own is not None else ""
    return (
        f"“{point['label']}” ({point['theme']}): about {point['answers']} answers across "
        f"{len(themes)} themes ({', '.join(themes)}){mine}."
    )


def current_points(
    points: Sequence[Mapping[str, Any]] | None, labels: Mapping[str, str]
) -> list[dict[str, Any]]:
    """The run's stored points raised across themes that still read true after review edits:
    those whose theme is still shown (``labels``: theme id -> its label now) under the label
    it was counted for; each one's other themes keep only those still shown."""
    kept = []
    for point in points or []:
        if labels.get(str(point.get("theme"))) != point.get("label"):
            continue
        kept.append({**point, "themes": [t for t in point.get("themes", []) if t in labels]})
    return kept
