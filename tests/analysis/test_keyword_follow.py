"""Keywords and labels a reader recognises (issue 12, smoke9 #2 and #13): no lone adverbs or
generic nouns ("early", "term", "place"), no part of a phrasal verb ("turn" of "turn up",
"looked" of "looked after"), no word of an idiom ("springs to mind", "first class"), no
"X of dozens", never a name mask ("XXXX"); in labels a mask reads "[name]" and a common
word's stray capital ("very Good") is in lower case."""

from __future__ import annotations

from analysis.keywords import readable_keywords
from analysis.tidy import common_case, name_masks, tidy_keywords, tidy_text
from analysis.tokens import Tokenizer


def _shown(texts: list[str]) -> list[str]:
    tokenizer = Tokenizer(min_phrase_count=1)
    tokens = tokenizer.fit_transform(texts)
    vocabulary = sorted({t for doc in tokens for t in doc})
    return readable_keywords(vocabulary, tokenizer, texts, count=len(vocabulary))


def test_smoke9_demo_fragments_are_no_keywords():
    """The demo's sentences behind "term", "place", "early", "turn" and "juggling of dozens":
    the things named stay ("cross-party meeting", "data platform", "funding
    streams")."""
    texts = [
        *["Hold a cross-party meeting of the region's MPs every term."] * 3,
        *["Put careers advisers and work coaches in one place for young people."] * 3,
        *["One shared data platform would let partners spot families who need help early."] * 3,
        *["Staff cannot rely on buses that often do not turn up."] * 3,
        *["The settlement ends the juggling of dozens of funding streams."] * 3,
    ]
    shown = _shown(texts)
    for word in ("term", "place", "early", "turn", "juggling of dozens", "dozens"):
        assert word not in shown, (word, shown)
    for phrase in ("cross-party meeting", "data platform", "funding streams"):
        assert any(phrase in k for k in shown), (phrase, shown)


def test_phrasal_verb_part_and_idiom_words_are_no_keywords():
    """NHS answers: "looked" (always "looked after"), "springs" and "mind" ("nothing springs
    to mind"), "class" ("first class care") are no keywords; "care" and "ward" are."""
    texts = [
        *["I was looked after very well on the ward."] * 3,
        *["Nothing springs to mind, the care was good."] * 3,
        *["First class care from the ward staff."] * 3,
    ]
    shown = _shown(texts)
    for word in ("looked", "springs", "mind", "class"):
        assert not any(word in k.split() for k in shown), (word, shown)
    assert "ward" in " ".join(shown)


def test_a_word_used_as_often_outside_the_idiom_stays():
    """ "class" in "pilates class" as often as in "first class": a thing the answers name."""
    texts = [*["The pilates class helped my back."] * 3, *["The class was first class."] * 3]
    assert any("class" in k for k in _shown(texts))


def test_a_name_mask_is_never_a_keyword():
    """The NHS file writes a left-out name as "XXXX": no keyword, alone or in a phrase."""
    texts = ["XXXX was great, very helpful and good advice."] * 4 + ["Thanks to XXXX nurse."] * 2
    shown = _shown(texts)
    assert not any("xxxx" in k.lower() for k in shown), shown
    assert "advice" in " ".join(shown)


def test_name_masks_read_as_name_in_labels():
    assert name_masks("XXXX was great") == "[name] was great"
    assert tidy_text("Thanks to xxxx and XXX") == "Thanks to [name] and [name]"
    assert name_masks("Lots of love xxx") == "Lots of love xxx"  # kisses, not a mask
    assert name_masks("Size XXL fits") == "Size XXL fits"
    assert tidy_keywords(["XXXX", "advice"]) == ["[name]", "advice"]


def test_a_common_words_stray_capital_is_lowered_in_a_label():
    texts = ["Everything was very Good", "good care", "very good", "good staff", "Good."]
    assert common_case("Everything was very Good", texts) == "Everything was very good"


def test_names_and_sentence_starts_keep_their_capitals():
    """A word the answers write with a capital (a name: "Chris", "Trust"), a part of a longer
    name ("Work" in "Department for Work and Pensions"), a sentence's first word and "I"."""
    texts = [
        "Chris was kind",
        "thanks to Chris",
        "the Trust was good",
        "the trust",
        "work coaches help, work is key, more work",
        "the Department for Work and Pensions",
        "very good. Good work",
    ]
    assert common_case("Thanks to Chris", texts) == "Thanks to Chris"
    assert common_case("I trust the Trust", texts) == "I trust the Trust"
    label = "Work with the Department for Work and Pensions"
    assert common_case(label, texts) == label
    assert common_case("It was good. Good work", texts) == "It was good. Good work"


def test_reruns_give_the_same_keywords():
    texts = ["Staff cannot rely on buses that often do not turn up."] * 3 + [
        "Hold a cross-party meeting of the region's MPs every term."
    ] * 3
    assert _shown(texts) == _shown(list(texts))
