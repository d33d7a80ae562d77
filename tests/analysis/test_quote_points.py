"""Quotes that each say something new, and keywords that name a thing (smoke7 #13, #15)."""

from __future__ import annotations

import numpy as np

from analysis.describe import pick_quotes
from analysis.keywords import readable_keywords
from analysis.quote_points import new_sentences, quote_sentences, same_quote
from analysis.tokens import Tokenizer

LEADERS = "leaders who live here can see which neighbourhoods need investment most."


def test_an_opener_a_place_or_a_framing_phrase_does_not_make_a_new_quote():
    """smoke7 #13: four of a theme's five quotes were one sentence behind "In our area,",
    "As a charity, we think", "In Birmingham," and "In Dudley,"."""
    first = quote_sentences(f"In Birmingham, {LEADERS}")
    for other in (
        f"In Dudley, {LEADERS}",
        f"As a charity, we think {LEADERS}",
        f"{LEADERS[:1].upper()}{LEADERS[1:]}",
        "Leaders who live here can see which neighbourhoods need investment most in Walsall.",
    ):
        assert same_quote(first, quote_sentences(other)), other
    # another point, a second sentence, or "not": another quote
    assert not same_quote(first, quote_sentences("Bidding rounds waste officers' time."))
    assert not same_quote(
        first, quote_sentences(f"In Dudley, {LEADERS} Bidding rounds waste officers' time.")
    )
    assert not same_quote(
        quote_sentences("The food is good."), quote_sentences("The food is not good.")
    )
    # a quote that only says chosen sentences again adds nothing
    read = [*first, *quote_sentences("Bidding rounds waste officers' time.")]
    assert new_sentences(quote_sentences(f"In Dudley, {LEADERS}"), read) == 0
    assert new_sentences(quote_sentences(f"{LEADERS} Fund buses first."), read) == 1


def test_quote_slots_go_to_other_points_and_count_the_same_quote_in_other_framing():
    texts = [
        f"In our area, {LEADERS}",
        f"As a charity, we think {LEADERS}",
        f"In Birmingham, {LEADERS}",
        f"In Dudley, {LEADERS}",
        "Fewer competitive bids means less money wasted on consultants.",
        "Bidding for small pots wastes months of officers' time.",
        f"In Walsall, {LEADERS} Fewer competitive bids means less money wasted on consultants.",
    ]
    ids = [f"R{i}" for i in range(len(texts))]
    similarity = np.array([0.99, 0.98, 0.97, 0.96, 0.7, 0.6, 0.5])
    weights = np.array([1, 1, 2, 1, 1, 1, 1])
    quoted = pick_quotes(
        list(range(len(texts))),
        similarity,
        np.eye(len(texts)),
        texts,
        ids,
        texts,
        weights=weights,
    )
    assert [q.id for q in quoted] == ["R0", "R4", "R5"]
    # R1-R3 say R0 in other framing: counted under it, never quoted beside it; R6 says only
    # what R0 and R4 say: no slot for it
    assert quoted[0].same == 4 and quoted[1].same == 0


def test_thanks_after_a_quote_do_not_make_a_new_quote_and_the_quote_is_kept_verbatim():
    """Smoke walk 8, finding 6: "Tell us what happens next and when the final deal will be
    agreed." and the same after an opener with "Thank you for the chance to respond." added
    were two of a theme's quotes; a courtesy sentence is aside, as an opener is."""
    from analysis.describe import said_key

    point = "Tell us what happens next and when the final deal will be agreed."
    thanked = f"In Sandwell, {point[:1].lower()}{point[1:]} Thank you for the chance to respond."
    assert same_quote(quote_sentences(point), quote_sentences(thanked))
    assert said_key(point) == said_key(f"{point} Thank you for the chance to respond.")
    assert said_key(point) == said_key(f"{point} No further comments.")
    # a sentence that says something is not aside; thanks alone stays thanks
    assert not same_quote(quote_sentences(point), quote_sentences(f"{point} Buses are late."))
    assert said_key("Thank you for the chance to respond.") != ""
    texts = [point, thanked, "Buses are late every morning.", "Fares are too high."]
    ids = ["R0", "R1", "R2", "R3"]
    quoted = pick_quotes(
        [0, 1, 2, 3], np.array([0.9, 0.95, 0.7, 0.6]), np.eye(4), texts, ids, texts
    )
    assert [q.id for q in quoted] == ["R1", "R2", "R3"] and quoted[0].same == 1
    assert quoted[0].text == thanked  # shown as written


def test_a_repeat_fills_a_slot_only_up_to_three_quotes():
    texts = [
        "Buses are late every morning.",
        "Buses are late every morning. Fares are too high.",
        "Fares are too high.",
    ]
    ids = ["R0", "R1", "R2"]
    quoted = pick_quotes([0, 1, 2], np.array([0.7, 0.9, 0.8]), np.eye(3), texts, ids, texts)
    assert [q.id for q in quoted][0] == "R1" and len(quoted) == 3  # fewer than three: kept


def _shown(texts: list[str]) -> list[str]:
    tokenizer = Tokenizer(min_phrase_count=1)
    tokens = tokenizer.fit_transform(texts)
    vocabulary = sorted({t for doc in tokens for t in doc})
    return readable_keywords(vocabulary, tokenizer, texts, count=len(vocabulary))


def test_keywords_hold_no_adverb_and_verb_no_verb_with_its_object_and_no_time_word():
    """smoke7 #15: "nationally leave little room", "offering short contracts", "year",
    "ahead", "time" and "knowing" were shown as keywords."""
    texts = [
        "Reporting rules and outcome targets set nationally leave little room to decide.",
        "Targets set nationally leave little room for local priorities.",
        "Knowing our budget five years ahead means we can keep skilled staff instead of "
        "offering short contracts.",
        "Knowing our budget five years ahead would end offering short contracts each year.",
        "We spend time writing bids every year instead of offering short contracts.",
        "Waiting time at the clinic was long; the waiting time is too long.",
    ]
    shown = _shown(texts)
    for bad in ("nationally", "offering", "knowing"):
        assert not any(bad in keyword.split() for keyword in shown), (bad, shown)
    assert not {"year", "years", "ahead", "time"} & set(shown), shown
    assert "short contracts" in shown and "waiting time" in shown, shown
    assert not any("little" in keyword for keyword in shown), shown


def test_an_adjective_phrase_and_a_phrase_with_a_time_word_are_still_keywords():
    """An adverb before an adjective after "is", "a" or "and" describes a thing ("morally
    wrong"); a time word inside a phrase ("part-time") says what."""
    texts = [
        "Cloning is morally wrong and should stay banned.",
        "Cloning humans is morally wrong.",
        "It is morally wrong to copy a person.",
        "Part-time staff cannot attend the training.",
        "Our part-time workers lose out.",
    ]
    shown = _shown(texts)
    assert "morally wrong" in shown and "part-time" in " | ".join(shown), shown
