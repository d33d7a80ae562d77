"""A label never ends on a verb that needs an object (smoke5 finding 24: ArgKP's "The legality
of marriage helps", cut from "... helps with health care and government benefits")."""

from __future__ import annotations

from analysis.statements import ends_badly, statements


def test_a_verb_that_needs_an_object_does_not_end_a_statement():
    found = statements("the legality of marriage helps with health care and government benefits,")
    assert "The legality of marriage helps" not in found
    assert "The legality of marriage helps with health care and government benefits" in found
    for fragment in (
        "Devolution would allow",
        "A mayor ensures",
        "The new fund provides",
        "Marriage matters because it provides",
    ):
        assert ends_badly(fragment), fragment


def test_words_that_complete_a_statement_alone_still_may():
    for whole in (
        "Any extra funding would help",  # "help" stands alone
        "More investment is required",  # a past form as an adjective
        "Councils need more support",  # a noun
        "Good causes benefit",
        # its object comes first, in a clause after a noun
        "Cloning should be banned for the ethical difficulties it creates",
    ):
        assert not ends_badly(whole), whole
    # a whole sentence is kept as written, whatever it ends on
    assert "Talking to someone helps" in statements("Talking to someone helps.")


def test_a_subject_cut_off_before_its_verb_is_no_statement():
    """Smoke14: the demo's Q3 theme was labelled "A standing partnership board for every
    council", cut from "... in the region would stop decisions being made in silos"."""
    for sentence, fragment in (
        (
            "A standing partnership board for every council in the region would stop "
            "decisions being made in silos.",
            "A standing partnership board for every council",
        ),
        (
            "The money spent on space exploration would be better spent on improving life.",
            "The money spent",
        ),
        ("Buying illegal marijuana on the street is unsafe.", "Buying illegal marijuana"),
    ):
        assert fragment not in statements(sentence, max_words=14), sentence


def test_a_statement_with_its_own_verb_is_kept_before_another_clause():
    for sentence, statement in (
        (
            "Bidding competitions reward the councils with the biggest bid teams, not the "
            "best projects.",
            "Bidding competitions reward the councils with the biggest bid teams",
        ),
        (
            "Libertarianism decreases taxes, allowing people to have more control.",
            "Libertarianism decreases taxes",
        ),
        (
            "Councils outside the seven constituent members have no vote on how it is spent.",
            "Councils outside the seven constituent members have no vote",
        ),
        (
            "Prostitution needs to remain illegal as it is not fair to women.",
            "Prostitution needs to remain illegal",
        ),
        ("Full of advice on how I can help myself.", "Full of advice"),
    ):
        found = statements(sentence, max_words=14)
        assert statement in found, (sentence, found)
