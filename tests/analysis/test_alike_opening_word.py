"""Two labels that share only the word they both open with do not look alike by their words
(smoke26r finding 10: the demo's Q3 on the fast engine hinted "T01 and T07 ‘Agree data-sharing
rules once so every project does not have to negotiate its own’ read alike", T01 being "Agree
one plan for transport and housing growth rather than separate plans per council": the
suggestions' verb was their one shared word)."""

from __future__ import annotations

from analysis.alike import alike_themes, content_words
from analysis.tokens import Tokenizer
from tests.analysis.test_alike import IDS, twins

LABELS = [
    "Agree one plan for transport and housing growth rather than separate plans per council",
    "Agree data-sharing rules once so every project does not have to negotiate its own",
    "One shared data platform would let partners spot families who need help early",
    "Invest in advanced manufacturing and electric vehicle supply chains around Coventry",
    "Help engineering firms switch from petrol engine parts to electric vehicle components",
    "Please keep partners informed about how responses are used",
    "Publish a summary of what partners said and what changed as a result",
    "Staff cannot rely on buses that often do not turn up",
]


def test_a_shared_opening_word_alone_makes_no_two_labels_alike():
    words = content_words(
        LABELS, "How should the combined authority work with councils?", Tokenizer()
    )
    assert not words[0] & words[1]  # only "Agree", the word both open with
    assert words[1] & words[2] >= {"data"}  # the point itself: still alike by words
    assert words[3] & words[4] >= {"electr", "vehicl"}
    assert words[5] & words[6] >= {"partner"}
    vectors = twins()  # labels 2 and 5 (T03, T06) stand out as alike by their vectors
    paired = [set(), set(), words[0], set(), set(), words[1], set(), set()]
    assert alike_themes(vectors, IDS, words=paired)[2] == []


def test_a_label_keeps_its_opening_word_when_no_other_label_opens_with_it():
    labels = ["Agree one plan for transport", "Councils should agree together where growth goes"]
    words = content_words(labels, "", Tokenizer())
    assert words[0] & words[1]  # "agree" opens one label only: a word they share
