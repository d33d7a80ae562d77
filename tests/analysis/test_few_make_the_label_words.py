"""A label fewer than half of its theme's answers are counted as making is not said to be
only "not what most of its answers say" (smoke26r finding 1): the count takes each answer
under the statement nearest its words, so an answer making the label's point in other words
is counted under another of the theme's points. On the demo, whose answers are built from
known points, 10 of the 18 themes flagged so had their label's point made by more than half
of their answers ("Another set of regional funding rules means more audits and paperwork for
colleges": about 15 of 45 counted, 38 make it, 20 of them as "Colleges need stable national
funding rules; devolution adds another layer of bureaucracy", listed as another point)."""

from __future__ import annotations

import re

from analysis.report import FEW_MAKE_THE_LABEL, label_point_sentences

OTHER_WORDS = (
    "Either the label names one of its points, not what most of its answers say, or many make "
    "its point in other words, counted under its other points."
)


def test_the_size_line_says_the_point_may_be_made_in_other_words():
    said = label_point_sentences(45, 15, [], " (see “Other points its answers make”)")
    assert said[0] == (
        "Of the 45 answers mentioning it, about 15 make the label's own point, fewer than half."
    )
    text = " ".join(said)
    assert OTHER_WORDS in text
    assert text.endswith(
        "Read them before quoting the label as the theme's view (see “Other points its answers "
        "make”)."
    )
    assert all(len(s.split()) <= 30 for s in re.split(r"(?<=\.) ", text))
    assert FEW_MAKE_THE_LABEL.count("; ") == 1  # split once into the view and the advice
