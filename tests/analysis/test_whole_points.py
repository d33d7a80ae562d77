"""label27 (issue 12): labels keep the whole point of a sentence.

A label cut to one clause can drop the contrast or condition that is the answer's point: on
the demo, "The vote should stay with the combined authority board" from answers saying
"Business should be consulted on every major scheme, but the vote should stay with the
combined authority board". A condition is never cut off what it limits nor stands alone,
the clause before a "but" that carries an obligation (or before a remedy after a semicolon)
never stands alone, and a sentence whose verdict follows a "but" is a candidate whole up to
:data:`analysis.statements.CONTRAST_WORDS` words. A cut before "rather than"/"instead of"
keeps its meaning and stays (tests/analysis/test_describe.py)."""

from __future__ import annotations

import pytest

from analysis import statements as rules
from analysis.describe import label_candidates
from analysis.statements import condition_at, statements

VOTE = (
    "Business should be consulted on every major scheme, but the vote should stay with the "
    "combined authority board."
)


def test_a_concession_before_an_obliging_but_never_stands_alone():
    said = statements(VOTE, max_words=14)
    assert "Business should be consulted on every major scheme" not in said
    said = statements(
        "An advisory role is sensible, but final decisions should rest with elected leaders."
    )
    assert "An advisory role is sensible" not in said
    # a "but" joining a point of its own still leaves both points
    assert "Staff were lovely" in statements("Staff were lovely but the food was cold.")


def test_a_contrast_sentence_is_given_whole_up_to_contrast_words():
    assert len(VOTE.split()) == 18
    whole = VOTE.rstrip(".")
    assert statements(VOTE, max_words=14, contrast_words=18) == [whole]
    # without room for it whole, its verdict clause alone is the statement, as before
    assert statements(VOTE, max_words=14) == [
        "The vote should stay with the combined authority board"
    ]
    assert statements(VOTE, max_words=14, contrast_words=17) == [
        "The vote should stay with the combined authority board"
    ]
    texts = [VOTE, f"In Walsall, we think {VOTE[:1].lower()}{VOTE[1:]}", VOTE]
    candidates = dict(label_candidates(texts))
    assert candidates == {whole: 3}


def test_a_condition_is_never_cut_off_nor_alone():
    said = statements("Vaccination should be mandatory, unless a child has a medical exemption.")
    assert said == ["Vaccination should be mandatory, unless a child has a medical exemption"]
    said = statements("Devolution is welcome, as long as the money comes with it.")
    assert said == ["Devolution is welcome, as long as the money comes with it"]
    said = statements("Schools should teach coding, but only if teachers get training.")
    assert said == ["Schools should teach coding, but only if teachers get training"]
    said = statements("If business helps choose the projects, private investors will follow.")
    assert said == ["If business helps choose the projects, private investors will follow"]
    assert condition_at(["fine", ",", "unless"], 2)
    assert condition_at(["fine", "as", "long", "as"], 1)
    assert not condition_at(["money", "if"], 1)  # "if" with no comma before it
    assert not condition_at(["funding", "provided", "by", "government"], 1)


@pytest.fixture
def before():
    """The statements as before label27, restored after the test."""
    rules.WHOLE_POINTS = False
    yield
    rules.WHOLE_POINTS = True


def test_off_gives_the_statements_as_before(before):
    assert statements(VOTE, max_words=14, contrast_words=18) == [
        "Business should be consulted on every major scheme",
        "The vote should stay with the combined authority board",
    ]
    said = statements("Vaccination should be mandatory, unless a child has a medical exemption.")
    assert "Vaccination should be mandatory" in said
    assert "Unless a child has a medical exemption" in said


def test_only_a_verdict_clause_gives_way_to_its_whole_contrast():
    texts = ["Staff were lovely, but the food was cold.", "The food was cold."]
    assert "The food was cold" in dict(label_candidates(texts))
    texts = [
        "An advisory role is sensible, but final decisions should rest with elected leaders.",
        "Final decisions should rest with elected leaders.",
    ]
    assert "Final decisions should rest with elected leaders" not in dict(label_candidates(texts))


def test_a_complaint_before_its_remedy_after_a_semicolon_never_stands_alone():
    said = statements(
        "Advisory panels are too often ignored; a formal role would make employers' advice count."
    )
    assert said == ["A formal role would make employers' advice count"]
    said = statements(
        "Annual funding rounds stop us signing long contracts; devolution adds another layer."
    )
    assert said == [
        "Annual funding rounds stop us signing long contracts",
        "Devolution adds another layer",
    ]


def test_a_whole_conditional_sentence_without_a_comma_stays():
    text = "If women can pass all the tests required then they are fit for combat."
    assert statements(text, max_words=14) == [text.rstrip(".")]
    text = "If business helps choose the projects, private investors will follow."
    assert "If business helps choose the projects" not in statements(text)
