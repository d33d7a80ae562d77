"""The demo report benchmark's reading of summaries and quotes, and its count scan table."""

from __future__ import annotations

import pytest

from bench.demo_report import count_table, in_quotes, main, summary_figures


def test_a_summary_sentence_found_whole_in_a_quote_is_counted():
    quotes = [{"id": "R1", "text": "We agree. The sums on offer will not even repair the roads!"}]
    assert in_quotes("The sums on offer will not even repair the roads.", quotes)
    assert not in_quotes("The sums on offer will not repair the roads.", quotes)
    theme = {
        "label": "Funding is too small",
        "quotes": quotes,
        "summary": [
            {"text": "The sums on offer will not even repair the roads.", "ids": ["R1"]},
            {"text": "Scrutiny needs more power.", "ids": ["R2", "R3"]},
            {"text": "This theme makes one point only.", "ids": ["R4"], "only_point": True},
        ],
    }
    figures = summary_figures([theme])
    assert figures["in_quotes"] == 1
    assert figures["quotes"] == 1
    assert figures["only_point"] == 1


def test_count_table_gives_split_mixed_and_nmi_per_count():
    found = [
        {
            "question": "Why?",
            "points": 6,
            "by": {
                5: {"split": 1, "mixed": 2, "point_nmi": 64.56},
                6: {"split": 2, "mixed": 1, "point_nmi": 70.0},
            },
        }
    ]
    table = count_table(found, [5, 6]).splitlines()
    assert table[0] == "| question | points | 5 themes | 6 themes |"
    assert table[2] == "| 1 | 6 | 1 / 2 / 64.6 | 2 / 1 / 70.0 |"


@pytest.mark.parametrize("counts", ["5,x", "0,3"])
def test_bad_counts_exit_2(counts):
    with pytest.raises(SystemExit) as stopped:
        main(["--counts", counts])
    assert stopped.value.code == 2
