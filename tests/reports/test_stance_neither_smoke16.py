"""smoke16 finding 7: a conditional, middle-ground theme (For 15, Against 5, Neither 20; all
20 of its main-theme answers "Neither agree nor disagree") read "Leaning for" on the run's
page, the consultation overview and Word, overstating support. When "neither" holds at least
half of a theme's counted stances it is "Mostly neither" ("Half neither" at exactly half:
review fixr2 #3), the counts of those taking a side beside it, and when it holds more than
any other stance, "Largest group: neither" (not "Neither the largest group", which read as
"neither side is"); for and against still need two in three to be "mostly"."""

from __future__ import annotations

from analysis.report import MOSTLY_NEITHER, stance_lean, stance_words
from consult.reports.wording import stance_glance

SMOKE16_T04 = {"for": 15, "against": 5, "mixed": 20, "unclear": 0}


def test_half_neither_is_mostly_neither_not_a_lean_to_a_side():
    assert MOSTLY_NEITHER == 1 / 2
    assert stance_lean(SMOKE16_T04) == "half neither"
    assert stance_words(SMOKE16_T04) == "half neither"
    assert stance_glance(SMOKE16_T04, True) == (
        "Half neither: for 15, against 5, neither 20, unclear 0"
    )
    assert stance_glance({"for": 15, "against": 5, "mixed": 21}, True) == (
        "Mostly neither: for 15, against 5, neither 21"
    )
    # short of half but more than any other stance: said, not a lean to a side (the demo
    # after the settlement themes were joined: For 17, Against 5, Neither 20)
    assert stance_lean({"for": 17, "against": 5, "mixed": 20}) == "largest group: neither"
    assert stance_glance({"for": 17, "against": 5, "mixed": 20}, True) == (
        "Largest group: neither (for 17, against 5, neither 20)"
    )
    assert stance_lean({"for": 15, "against": 5, "mixed": 20, "unclear": 2}) == (
        "largest group: neither"
    )
    # level with for, it is not the largest: the lean between for and against is said
    assert stance_lean({"for": 20, "against": 5, "mixed": 20, "unclear": 2}) == "leaning for"


def test_for_and_against_still_need_two_in_three():
    # "mostly" is more than half, as at two in three: level with for, neither is not mostly
    assert stance_lean({"for": 20, "against": 0, "mixed": 20}) == "half neither"
    assert stance_lean({"for": 19, "against": 0, "mixed": 21}) == "mostly neither"
    assert stance_lean({"for": 20, "against": 0, "mixed": 10}) == "mostly for"
    assert stance_lean({"for": 27, "against": 0, "mixed": 13}) == "mostly for"
    assert stance_lean({"for": 10, "against": 10, "mixed": 9}) == "divided"
