"""bench.grab_bags' truth for a grab-bag (grab26): a theme's members carry two or more expert
points and none is carried by more than half of them."""

from bench.grab_bags import is_grab_bag, precision_recall, theme_rows


def test_a_grab_bag_has_no_point_held_by_more_than_half():
    assert is_grab_bag([["a"], ["b"], ["a"], ["c"]]) == (True, 0.5)
    assert is_grab_bag([["a"], ["a"], ["a"], ["b"]]) == (False, 0.75)
    assert is_grab_bag([["a"], ["a"]]) == (False, 1.0)  # one point only
    # the demo's answers make several points: a point counts once per answer
    assert is_grab_bag([["a", "b"], ["a", "c"], ["b"], ["c"]]) == (True, 0.5)
    assert is_grab_bag([]) == (False, 0.0)


def test_rows_carry_the_truth_and_the_flag_and_are_scored():
    several = "The food was cold and tasteless. The staff were rude to my mother every night."
    record = {
        "run": "r",
        "texts": [several] * 6 + ["Fine"] * 2,
        "members": [[0, 1, 2, 3, 4, 5], [6, 7]],
        "truth": [["a"], ["b"], ["c"], ["a"], ["b"], ["c"], ["d"], ["d"]],
        "themes": [
            {"id": "T01", "label": "Cold food", "size": 6, "mentions": 6, "keywords": []},
            {"id": "T02", "label": "Fine", "size": 2, "mentions": 2, "keywords": ["fine"]},
        ],
    }
    rows = theme_rows(record)
    assert [(r["grab_bag"], r["top"], r["multi"]) for r in rows] == [
        (True, 0.333, 1.0),
        (False, 1.0, 0.0),
    ]
    figures = precision_recall(rows)
    assert (figures["grab_bags"], figures["themes"]) == (1, 2)
    assert figures["flagged"] == sum(r["flagged"] for r in rows)
