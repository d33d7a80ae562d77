"""Shares of two bases where many answers say nothing substantive (analysis.bases)."""

from analysis.bases import SECOND_BASE_SHARE, bases_sentence, both_bases, second_base
from analysis.report import counts_sentence


def test_many_empty_answers_give_both_bases() -> None:
    # The demo's Q13: 77 of 187 answered "No further comments", "n/a" and the like.
    assert both_bases(29, 187, 77) == "29 (16% of answered; 26% of the 110 with something to say)"
    assert second_base(187, 77) == 110


def test_few_empty_answers_keep_one_base() -> None:
    assert second_base(187, 10) is None
    assert both_bases(29, 187, 10) == "29 (16% of answered)"
    assert bases_sentence(187, 10) == ""
    assert second_base(0, 0) is None
    # At the rule's edge a second base is given.
    assert second_base(100, int(SECOND_BASE_SHARE * 100)) == 80


def test_counts_sentence_says_the_second_base() -> None:
    summary = {"rows": 200, "answered": 187, "not_answered": 13, "substantive": 110}
    sentence = counts_sentence({**summary, "non_substantive": 77})
    assert sentence.endswith(
        "77 of the 187 answered said nothing substantive (41%), so shares are also given of "
        "the 110 with something to say."
    )
    assert "something to say" not in counts_sentence({**summary, "non_substantive": 5})
