"""bench.spread_points (spread26): a true point's spread over themes, and the adoption rule
read off the listed labels."""

from __future__ import annotations

from bench.spread_points import adoption, truth_spread


def test_truth_spread_counts_themes_holding_two_or_more_of_a_point():
    labels = [0, 0, 1, 1, 2, 2, 3, -1]
    made = [{"a"}, {"a", "b"}, {"a"}, {"a"}, {"a"}, {"b"}, {"a"}, {"a"}]
    found = truth_spread(labels, made)
    assert found["a"] == {"answers": 7, "themes": 2, "top": 2}  # themes 2 and 3 hold one each
    assert found["b"] == {"answers": 2, "themes": 0, "top": 1}


def _label(listed: bool, own: int, whole: int, truth: int, spread: int) -> dict:
    return {
        "listed": listed,
        "in_theme": own,
        "answers": whole,
        "point": truth,
        "true_themes": spread,
    }


def test_adoption_passes_only_when_precise_nearer_and_near_one():
    good = [_label(True, 10, 30, 30, 4), _label(True, 5, 20, 22, 3), _label(False, 9, 9, 9, 1)]
    [line] = adoption({"ArgKP odd (semantic)": {"labels": good}})
    assert "passes" in line and "precision 1.00" in line
    loose = [_label(True, 10, 60, 30, 4), _label(True, 5, 50, 22, 3)]  # ratio above 1.5
    assert "fails" in adoption({"ArgKP odd (fast)": {"labels": loose}})[0]
    wrong = [_label(True, 10, 30, 30, 1), _label(True, 5, 20, 22, 2)]  # not truly spread
    assert "fails" in adoption({"ArgKP odd (fast)": {"labels": wrong}})[0]
    assert adoption({"demo (semantic)": {"labels": good}}) == []  # ArgKP only
