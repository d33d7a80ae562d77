"""Answers on the other side from their theme move to the nearest theme on their own side
(issue 12, offtopic; ``ThemeModel(side_margin=...)``)."""

from __future__ import annotations

import json

import numpy as np
import pytest

from analysis import ThemeModel
from analysis.errors import InputError
from analysis.flags import SIDE_MARGIN
from analysis.side_moves import (
    SIDE_GUARD,
    answer_sides,
    column_sides,
    leaning_sides,
    side_moves,
    sides_tell_themes,
)
from tests.analysis.fixtures import responses

# themes 0 and 1 lean "for", theme 2 "against"
PRIMARY = np.array([0, 0, 0, 0, 1, 1, 1, 2, 2, 2, 2])
SIDES = [
    "for",
    "for",
    "for",
    "against",
    "for",
    "for",
    "for",
    "against",
    "against",
    "against",
    "for",
]


def similarity(rows: dict[int, list[float]]) -> np.ndarray:
    """Answers x themes: 0.9 to their own theme, 0.1 elsewhere, unless given."""
    found = np.full((len(PRIMARY), 3), 0.1)
    found[np.arange(len(PRIMARY)), PRIMARY] = 0.9
    for row, values in rows.items():
        found[row] = values
    return found


def test_an_answer_on_the_other_side_takes_the_nearest_theme_on_its_side():
    # row 3 (against) sits in a "for" theme; row 10 (for) in the "against" one
    near = similarity({3: [0.8, 0.1, 0.75], 10: [0.5, 0.75, 0.8]})
    moved = side_moves(near, PRIMARY, SIDES, margin=0.1)
    assert moved[3] == 2
    assert moved[10] == 1  # the nearer of the two "for" themes
    unchanged = [r for r in range(len(PRIMARY)) if r not in (3, 10)]
    assert (moved[unchanged] == PRIMARY[unchanged]).all()
    assert PRIMARY[3] == 0  # the input is left as it was


def test_the_margin_keeps_an_answer_far_from_every_theme_on_its_side():
    near = similarity({3: [0.8, 0.1, 0.65], 10: [0.5, 0.7, 0.8]})
    assert side_moves(near, PRIMARY, SIDES, margin=0.1)[3] == 0  # 0.65 < 0.8 - 0.1
    assert side_moves(near, PRIMARY, SIDES, margin=0.2)[3] == 2
    assert side_moves(near, PRIMARY, SIDES, margin=0.0)[10] == 2  # 0.7 < 0.8


def test_themes_without_a_clear_side_neither_lose_nor_gain():
    primary = np.array([0, 0, 0, 0, 1, 1, 1, 1])
    sides = ["for", "for", "against", "against", "for", "for", "for", "against"]
    near = np.full((8, 2), 0.5)
    # theme 0 is split 2-2: leans nowhere, so its "against" rows stay; theme 1 leans "for"
    # and its "against" row has no theme leaning "against" to go to
    assert leaning_sides(primary, sides, 2) == ["", "for"]
    assert side_moves(near, primary, sides, margin=1.0).tolist() == primary.tolist()


def test_fewer_than_three_sided_members_lean_nowhere():
    assert leaning_sides(np.array([0, 0, 0]), ["for", "for", ""], 1) == [""]
    assert leaning_sides(np.array([0, 0, 0]), ["for", "for", "for"], 1) == ["for"]


def test_sides_come_from_the_stance_column_never_the_words():
    assert column_sides(["1", "-1", "Strongly agree", "Disagree", "Neither", None, ""]) == [
        "for",
        "against",
        "for",
        "against",
        "",
        "",
        "",
    ]


def test_the_option_is_on_by_default():
    assert ThemeModel().side_margin == SIDE_MARGIN == 0.2


@pytest.mark.parametrize("bad", [-0.1, "wide", float("nan")])
def test_a_bad_margin_is_refused_with_a_clear_message(bad):
    with pytest.raises(InputError, match="side_margin"):
        ThemeModel(n_themes=3, engine="fast", side_margin=bad).fit(["a b c"] * 3 + ["d e"])


def _output(model: ThemeModel) -> str:
    return json.dumps(
        {
            "labels": [int(t) for t in model.labels_],
            "themes": model.themes_,
            "memberships": model.memberships_,
            "flags": model.flags_,
            "stance": model.stance_,
        },
        sort_keys=True,
        default=str,
    )


def test_without_a_stance_column_the_option_changes_nothing():
    texts = [row["answer"] for row in responses(90, seed=5)]
    off = ThemeModel(n_themes=3, engine="fast", seed=0, side_margin=None).fit(texts)
    on = ThemeModel(n_themes=3, engine="fast", seed=0, side_margin=1.0).fit(texts)
    assert _output(on) == _output(off)
    assert _output(ThemeModel(n_themes=3, engine="fast", seed=0).fit(texts)) == _output(off)
    assert "moved_for_side" not in on.summary_


def test_with_a_stance_column_the_moves_rerun_identically_and_keep_the_run_whole():
    rows = responses(120, seed=3)
    texts = [row["answer"] for row in rows]
    # a side per topic, with every fifth answer on the other side
    sides = [
        ("1" if "bus" in t.lower() else "-1") if i % 5 else ("-1" if "bus" in t.lower() else "1")
        for i, t in enumerate(texts)
    ]
    off = ThemeModel(n_themes=4, engine="fast", seed=0, side_margin=None).fit(
        texts, agreement=sides
    )
    first = ThemeModel(n_themes=4, engine="fast", seed=0, side_margin=1.0).fit(
        texts, agreement=sides
    )
    again = ThemeModel(n_themes=4, engine="fast", seed=0, side_margin=1.0).fit(
        texts, agreement=sides
    )
    assert _output(first) == _output(again)
    labels = [int(t) for t in first.labels_]
    assert labels != [int(t) for t in off.labels_]  # something moved
    # with the count given, the rows moved are those outside the theme most of their old
    # theme's rows are in now (the themes are numbered again by size after the moves)
    assert "moved_for_side" not in off.summary_
    pairs = list(zip(off.labels_.tolist(), labels, strict=True))
    now = {old: max(set(labels), key=lambda t: pairs.count((old, t))) for old, _ in pairs}
    assert first.summary_["moved_for_side"] == sum(new != now[old] for old, new in pairs) > 0
    assert all(m[0] == t for m, t in zip(first.memberships_, labels, strict=True) if t >= 0)
    sizes = [theme["size"] for theme in first.themes_]
    assert sizes == sorted(sizes, reverse=True)
    assert sizes == [labels.count(t) for t in range(len(sizes))]

    def minority(model: ThemeModel) -> int:
        found = 0
        for theme in set(model.labels_.tolist()) - {-1}:
            held = [s for s, t in zip(sides, model.labels_, strict=True) if t == theme]
            found += min(held.count("1"), held.count("-1"))
        return found

    assert minority(first) < minority(off)


def test_an_answer_its_rows_give_with_different_sides_has_none():
    row_sides = ["for", "against", "for", "for", ""]
    rep_of_row = np.array([0, 0, 1, 1, -1])
    assert answer_sides(row_sides, rep_of_row, 2) == ["", "for"]


def test_nothing_moves_when_the_themes_are_no_more_one_sided_than_chance():
    # sides unrelated to the themes: each theme holds both sides as the run does
    primary = np.array([0] * 6 + [1] * 6)
    mixed = ["for", "for", "for", "for", "against", "against"] * 2
    assert not sides_tell_themes(primary, mixed, 2)
    near = np.full((12, 2), 0.5)
    assert side_moves(near, primary, mixed, margin=1.0, guard=SIDE_GUARD).tolist() == (
        primary.tolist()
    )
    # one-sided themes with one stray answer each: the column speaks of the themes
    sided = ["for"] * 5 + ["against"] + ["against"] * 5 + ["for"]
    assert sides_tell_themes(primary, sided, 2)
    moved = side_moves(near, primary, sided, margin=1.0, guard=SIDE_GUARD)
    assert moved[5] == 1 and moved[11] == 0
    assert not sides_tell_themes(primary, ["for"] * 12, 2)  # one side only
    assert not sides_tell_themes(primary, [""] * 12, 2)
