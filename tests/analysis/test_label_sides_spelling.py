"""rev34: count34's spellings (:data:`analysis.label_sides.UNIFY_WORDS`) read only "-ize"
verbs as "-ize", and read a word's whole family alike.

count34 read every British "-ise" as "-ize": Snowball then stemmed "improvise" as "improve",
"paradise" as "parade" and "expertise" as "expert" (different claims joined), and "precise"
apart from "precisely", "supervise" from "supervision" (one word's family read apart), and
"otherwise" escaped the stop words. Its "-our" read "colour" as "color" but left "colourful",
"favouritism", "neighbourhood" and "behaviour" British. Its "no longer" took "no longer
than" (a comparison) for a negation, and its light nouns dropped "place" from "in place".
"""

from __future__ import annotations

import pytest

from analysis.label_sides import claim_words, negates


def _stems(text: str) -> frozenset[str]:
    return claim_words(text)[0]


@pytest.mark.parametrize(
    ("first", "second"),
    [
        ("improvise", "improve"),
        ("paradise", "parade"),
        ("expertise", "experts"),
    ],
)
def test_an_ise_word_that_is_no_ize_verb_is_not_joined_to_another_word(first, second):
    assert _stems(first) != _stems(second)


@pytest.mark.parametrize(
    ("first", "second"),
    [
        ("precise", "precisely"),
        ("concise", "concisely"),
        ("supervise", "supervision"),
        ("surprising", "surprisingly"),
        ("colour", "colourful"),
        ("colour", "colorful"),
        ("favourite", "favouritism"),
        ("neighbourhood", "neighborhood"),
        ("behaviour", "behavior"),
        ("behavioural", "behavioral"),
        ("favourable", "favourably"),
    ],
)
def test_one_word_family_reads_alike(first, second):
    assert _stems(first) == _stems(second)


@pytest.mark.parametrize(
    "word", ["promise", "expertise", "precise", "exercise", "otherwise", "compromise"]
)
def test_an_ise_word_spelled_so_in_american_too_keeps_its_stem(word):
    from analysis.label_points import content_words

    assert _stems(word) == frozenset(content_words(word))


@pytest.mark.parametrize("word", ["four", "hour", "your", "our", "tour", "pour", "flour"])
def test_our_words_that_are_no_spelling_stay_themselves(word):
    from analysis.label_points import content_words

    assert _stems(word) == frozenset(content_words(word))


def test_different_claims_joined_by_a_stem_are_not_read_as_negated():
    assert not negates("Teachers should improve lessons", "Teachers should not improvise lessons")
    assert not negates("Staff need more expertise", "Staff do not need more experts")
    # the -ize verbs still match across spellings
    assert negates("Councils should prioritise buses", "Councils should not prioritize buses")
    assert negates("Poor behaviour should be punished", "Poor behavior should not be punished")


def test_no_longer_than_is_a_comparison_not_a_claim_negated():
    # "no longer than four weeks" says "shorter than four weeks": the same point
    assert not negates(
        "Waits should be shorter than four weeks", "Waits should be no longer than four weeks"
    )
    # "no longer" (any more) is still the negation, its "longer" no content
    assert negates(
        "The council is listening to residents", "The council is no longer listening to residents"
    )


def test_place_in_in_place_is_the_claims_content():
    assert negates("Safeguards should be in place", "Safeguards are not in place")
    assert negates("Checks should take place yearly", "Checks should not take place yearly")
    # a light noun elsewhere is still no content (count34)
    assert negates(
        "The USA is a good country to live in", "The USA is no longer a good place to live"
    )
