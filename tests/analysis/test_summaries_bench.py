"""bench/summaries.py counts what a reader of theme summaries meets; its figures are only as
good as these sums."""

from __future__ import annotations

from bench.summaries import _totals, report


def _theme(sentences: int, only: bool, doubtful: bool, coverage: float) -> dict:
    return {
        "label": "A label",
        "size": 10,
        "mentions": 12,
        "label_point": 3 if doubtful else 9,
        "sentences": sentences,
        "only_point": only,
        "doubtful": doubtful,
        "coverage": coverage,
        "repeats": 0,
        "summary": ["One point.", "Another point."][:sentences] or ["This theme makes one"],
    }


def test_totals_and_report_say_what_the_themes_hold():
    result = {
        "questions": [
            {
                "question": "Trust A - Q1",
                "themes": [
                    _theme(2, False, False, 0.3),
                    _theme(0, True, True, 0.1),
                    _theme(4, False, False, 0.5),
                ],
            }
        ]
    }
    totals = _totals(result)
    assert totals["themes"] == 3
    assert totals["sentences_per_theme"] == 2.0
    assert totals["with_two_to_four"] == 2
    assert (totals["only_point"], totals["doubtful"]) == (1, 1)
    assert totals["coverage"] == 0.3  # the median
    text = report(result, result, "python -m bench.summaries --write", 1000)
    assert "| themes summarised as 'makes one point only' | 1 | 1 |" in text
    assert '- Trust A - Q1, "A label" (10): "One point." / "Another point."' in text
