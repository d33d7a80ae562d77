"""Smoke walk 11, findings 2 and 7: an answer making a point several others make is not
flagged as fitting no theme (:func:`analysis.fit.shared_sentences`), and a keyword is never
a word cut off a negating prefix ("constituent" of "non-constituent")."""

from __future__ import annotations

from analysis import fit as fitmod
from analysis.keywords import _negated_form, readable_keywords
from analysis.tokens import Tokenizer

COMMON = "Overall, local control means decisions are made by people who know the region."


def test_an_answer_with_a_sentence_several_others_say_is_shared():
    texts = [
        COMMON,  # 0: said whole, and inside three other answers
        "Local control means decisions are made by people who know the region. Buses too.",
        "Fund skills. Local control means decisions are made by people who know the region!",
        "Honestly, local control means decisions are made by people who know the region.",
        "Work with the DWP on employment support for young people. " + COMMON,  # 4
        "My cat prefers tuna to chicken and sleeps on the radiator all afternoon.",  # 5
        "Buses too.",  # 6: a sentence too short to vouch, shared or not
        "Buses too.",
        "Buses too.",
        "Buses too.",
        "Rail is slow. Rail is slow.",  # 10: one answer repeating itself is not shared
    ]
    shared = fitmod.shared_sentences(texts, [0, 4, 5, 6, 10])
    assert shared.tolist() == [True, True, False, False, False]
    # fewer others than SHARED_MIN: not shared
    assert fitmod.shared_sentences(texts[:3], [0]).tolist() == [False]
    assert fitmod.sentence_keys("Thank you. Buses are late every evening.") == {
        "buses are late every evening"
    }


def _shown(texts: list[str]) -> list[str]:
    tokenizer = Tokenizer(min_phrase_count=1)
    tokens = tokenizer.fit_transform(texts)
    vocabulary = sorted({t for doc in tokens for t in doc})
    return readable_keywords(vocabulary, tokenizer, texts, count=len(vocabulary))


def test_a_word_mostly_written_after_non_is_shown_whole_or_left_out():
    """The demo's T02 ("Non-constituent authorities risk ...") showed "constituent"."""
    half = [
        *["Non-constituent authorities risk being left out of decisions."] * 3,
        *["Councils outside the seven constituent members have no vote."] * 3,
    ]
    shown = _shown(half)
    assert "constituent" not in shown, shown
    most = [*half, *["Non-constituent councils pay in and see little back."] * 3]
    shown = _shown(most)
    assert "constituent" not in shown, shown
    assert any(k.startswith("non-constituent") for k in shown), shown
    texts = [t.lower() for t in most]
    assert _negated_form("constituent", texts) == "non-constituent"
    assert _negated_form("constituent", texts[:6]) == "non-constituent"
    assert _negated_form("constituent", texts[2:6]) == ""  # 1 of 4: left out
    assert _negated_form("councils", texts) == "councils"
    few = [
        *["Constituent councils should meet the mayor monthly."] * 4,
        "Non-constituent councils should be heard.",
    ]
    assert _negated_form("constituent", [t.lower() for t in few]) == "constituent"
    assert "constituent councils" in _shown(few)
