"""count34: a claim's words are matched across spellings and light nouns.

hint33 found labels saying one claim with opposite polarity that the claim reading missed:
"Sex selection should be legalised" beside "We should not legalize sex selection" (Snowball
stems "legalised" to "legalis" and "legalize" to "legal") and "The USA is no longer a good
place to live" beside "The USA is a good country to live in" ("place" against "country";
"longer" read as content). :data:`analysis.label_sides.UNIFY_WORDS` reads British "-ise" /
"-yse" / "-our" as "-ize" / "-yze" / "-or", "no longer" as the negation alone and drops light
nouns ("place", "country", "thing", "way") from the claim. Off, the words are read as before.
"""

from __future__ import annotations

import numpy as np
import pytest

from analysis import label_sides
from analysis.alike import opposite_labels
from analysis.label_points import label_point_reading
from analysis.label_sides import claim_words, negates, other_side
from tests.analysis.test_label_aliases import COACHES, RIVALS, TEXTS, embed

PAIRS = [
    ("Sex selection should be legalised", "We should not legalize sex selection"),
    ("Sex selection should be legalised", "Sex selection shouldn't be legalized"),
    (
        "The USA is a good country to live in because of its jobs",
        "The USA is no longer a good place to live",
    ),
    ("We should prioritise public transport", "We should not prioritize public transport"),
    ("Councils should favour local firms", "Councils should not favor local firms"),
]


@pytest.mark.parametrize(("label", "text"), PAIRS)
def test_one_claim_in_other_spellings_or_light_nouns_reads_as_negated(label, text):
    assert negates(label, text) and negates(text, label)


@pytest.mark.parametrize(("label", "text"), PAIRS)
def test_off_the_words_are_read_as_before(monkeypatch, label, text):
    monkeypatch.setattr(label_sides, "UNIFY_WORDS", False)
    assert not negates(label, text)


def test_the_words_of_one_claim_match_and_others_stay_apart():
    assert claim_words("Sex selection should be legalised")[0] == {"sex", "select", "legal"}
    assert (
        claim_words("Organisations analysed the colour")[0]
        == (claim_words("Organizations analyzed the color")[0])
    )
    # words that only look like a spelling stay themselves, and apart
    assert claim_words("Raise the noise on the tour")[0] == {"rais", "nois", "tour"}
    # the same polarity in other spellings is one claim said, not negated
    assert not negates("Sex selection should be legalised", "Sex selection should be legalized")
    # a light noun's claim still needs its content: another country's claim is another claim
    assert not negates("The USA is a good country to live in", "France is not a good place")
    # rev31b's guard stands: a claim on the label's subject only is no negation of it
    assert not negates(
        "Vocational education should be subsidised", "Vocational education is not a waste of money"
    )


def test_the_hints_reading_sees_opposite_labels_in_other_spellings():
    labels = [
        "Sex selection should be legalised",
        "We should not legalize sex selection",
        "Parents should choose freely",
    ]
    found = opposite_labels(labels)
    assert found[0, 1] and found[1, 0] and found.sum() == 2


def test_an_alias_answer_negating_the_label_in_another_spelling_does_not_count(monkeypatch):
    label = "Prioritise more buses at night"
    negated = "We should not prioritize more buses at night."
    texts = [text.replace(COACHES, negated) for text in TEXTS]
    mentions = [list(range(len(texts)))]

    def as_coaches(batch: list[str]) -> np.ndarray:
        return embed([text.replace(negated, COACHES) for text in batch])

    counts, wordings = label_point_reading([label], mentions, texts, as_coaches, rivals=RIVALS)
    assert wordings == [["Put on extra coaches."]]  # the negated answers came by an alias
    assert counts == [6]  # and are left out
    assert other_side([label], texts)[:, 0].sum() == 6
    monkeypatch.setattr(label_sides, "UNIFY_WORDS", False)
    counts, _ = label_point_reading([label], mentions, texts, as_coaches, rivals=RIVALS)
    assert counts == [12]  # before count34 the other spelling was another claim
