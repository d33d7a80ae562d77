"""A review recount's segment cells for one column, tested as the engine tests them
(:func:`analysis.segments.segment_breakdown`): a campaign counts once in the tests *and* in
Tarone's screen of which cells could show a difference at all (left26 #1: the screen counted
every copy, so a value given only by one campaign's copies was tested as if it had many
answers), and rows that did not give the segment are counted but never compared, nor in the
rest the other values are compared with.

Counts and shares shown still count every answer; a cell whose answers in the theme include
left-out copies records how many in ``campaign_copies``.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from typing import Any, Protocol


class Mention(Protocol):
    """What a recount reads of an assignment: its id and segment values."""

    id: int
    segments: dict[str, str]


def value_of(segments: dict[str, str], name: str) -> str:
    """A row's value of the segment column ``name`` ("not_given" when it gave none)."""
    return str(segments.get(name) or "not_given")


def column_cells(
    name: str,
    of: Counter[str],
    copies: dict[int, dict[str, str]],
    mentions: dict[str, Sequence[Mention]],
    kept: dict[str, dict[str, dict[str, Any]]],
) -> dict[str, dict[str, dict[str, Any]]]:
    """Every visible theme's cells of the column ``name``, corrected together.

    ``of``: answers per value (every copy counted); ``copies``: the campaign copies after each
    campaign's first, with their segments (:func:`consult.reports.review.campaign_copies`);
    ``mentions``: per recounted theme key, the rows coded to it; ``kept``: per other visible
    theme key, its stored cells of this column (kept, their tests redone only where the
    correction needs it)."""
    from analysis.segments import (
        NOT_COMPARED_FIELDS,
        correct,
        most_extreme_p,
        not_given,
        share_cell,
        test_against_rest,
    )

    tested_of = of - Counter(value_of(s, name) for s in copies.values())
    values = sorted(of)
    given = [value for value in values if not not_given(value)]
    total = sum(of[value] for value in given)
    tested_total = sum(tested_of[value] for value in given)
    screened: list[tuple[dict[str, Any], float]] = []  # given cells, most extreme p
    by_theme: dict[str, dict[str, dict[str, Any]]] = {}
    for key, rows in mentions.items():
        hits = Counter(value_of(row.segments, name) for row in rows)
        tested_hits = Counter(value_of(row.segments, name) for row in rows if row.id not in copies)
        theme_total = sum(hits[value] for value in given)
        tested_theme_total = sum(tested_hits[value] for value in given)
        cells: dict[str, dict[str, Any]] = {}
        for value in values:
            a, n_a = hits.get(value, 0), of[value]
            cell = share_cell(a, n_a)
            cells[value] = cell
            if not_given(value):
                cell.update(NOT_COMPARED_FIELDS, distinctive_words=[])
                continue
            b, n_b = theme_total - a, total - n_a
            tested_a, tested_n_a = tested_hits.get(value, 0), tested_of[value]
            tested_n_b = tested_total - tested_n_a
            p_value, method = test_against_rest(
                tested_a, tested_n_a, tested_theme_total - tested_a, tested_n_b
            )
            cell.update(
                rest_share=round(b / n_b, 4) if n_b else 0.0,
                rest_count=b,
                test=method,
                p_value=round(p_value, 6),
                distinctive_words=[],
            )
            if tested_a < a:
                cell["campaign_copies"] = a - tested_a
            screened.append((cell, most_extreme_p(tested_n_a, tested_n_b, tested_theme_total)))
        by_theme[key] = cells
    for key, stored in kept.items():
        cells = {value: dict(cell) for value, cell in stored.items()}
        by_theme[key] = cells
        counted = {
            value: int(cell.get("count", 0)) - int(cell.get("campaign_copies", 0))
            for value, cell in cells.items()
            if not not_given(value)
        }
        raised = sum(counted.values())
        for value, cell in cells.items():
            if not_given(value):
                continue
            tested_n_a = tested_of[value]
            tested_n_b = tested_total - tested_n_a
            if cell.get("p_value") is None:  # judged "too few" before: test it again
                p_value, method = test_against_rest(
                    counted[value], tested_n_a, raised - counted[value], tested_n_b
                )
                cell.update(p_value=round(p_value, 6), test=method)
            screened.append((cell, most_extreme_p(tested_n_a, tested_n_b, raised)))
    correct(screened)
    return by_theme
