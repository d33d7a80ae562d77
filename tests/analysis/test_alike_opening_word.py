"""Two labels that share only the word they both open with do not look alike by their words
(smoke26r finding 10: the demo's Q3 on the fast engine hinted "T01 and T07 ‘Agree data-sharing
rules once so every project does not have to negotiate its own’ read alike", T01 being "Agree
one plan for transport and housing growth rather than separate plans per council": the
suggestions' verb was their one shared word). The word still counts between a label opening
with it and one using it elsewhere."""

from __future__ import annotations

from analysis.alike import _shared, alike_themes, content_words, opening_words
from analysis.tokens import Tokenizer
from tests.analysis.test_alike import IDS, twins

LABELS = [
    "Agree one plan for transport and housing growth rather than separate plans per council",
    "Agree data-sharing rules once so every project does not have to negotiate its own",
    "One shared data platform would let partners spot families who need help early",
    "Invest in advanced manufacturing and electric vehicle supply chains around Coventry",
    "Help engineering firms switch from petrol engine parts to electric vehicle components",
    "Please keep partners informed about how responses are used",
    "People should be able to work as long as they want to",
    "Mandatory retirement forces people to end careers before they are ready",
]


def test_a_shared_opening_word_alone_makes_no_two_labels_alike():
    tokenizer = Tokenizer()
    words = content_words(LABELS, "How should the combined authority work?", tokenizer)
    openers = opening_words(LABELS, tokenizer)
    assert openers[0] == openers[1] != ""
    assert words[0] & words[1] and not _shared(words, openers, 0, 1)  # only "Agree"
    assert _shared(words, openers, 1, 2) >= {"data"}  # the point itself: still alike
    assert _shared(words, openers, 3, 4) >= {"electr", "vehicl"}
    assert _shared(words, openers, 2, 5) >= {"partner"}
    # "People …" opens one of the two only: "people" is a word they share
    assert _shared(words, openers, 6, 7) == words[6] & words[7] != set()
    vectors = twins()  # labels 2 and 5 (T03, T06) stand out as alike by their vectors
    paired = [set(), set(), words[0], set(), set(), words[1], set(), set()]
    pair_openers = ["", "", openers[0], "", "", openers[1], "", ""]
    assert [h["id"] for h in alike_themes(vectors, IDS, words=paired)[2]] == ["T06"]
    assert alike_themes(vectors, IDS, words=paired, openers=pair_openers)[2] == []


def test_a_label_opening_with_a_word_another_uses_later_still_shares_it():
    tokenizer = Tokenizer()
    labels = [
        "Religion is the moral center of many cultures",
        "Religion causes nothing but disagreement and war",
        "We shouldn't adopt atheism for the free religion of the people",
    ]
    words = content_words(labels, "", tokenizer)
    openers = opening_words(labels, tokenizer)
    assert not _shared(words, openers, 0, 1)  # both open with "Religion": about, not what
    assert _shared(words, openers, 0, 2) and _shared(words, openers, 1, 2)
