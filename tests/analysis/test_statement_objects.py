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
