"""A conceded point is no remedy, and a "but" clause asking for something is no praise, in
answers to a call for views (rev16, issue 12): "The principle is right but the amount is
too small ..." from "Neither" respondents read +0.27 to +0.40, and a "Strongly disagree"
answer read +0.27 because VADER scored "support ... fair share"."""

from __future__ import annotations

import pytest

from analysis import sentiment
from analysis.sentiment import Sentiment, conceded, solution_turns, without_asked_praise
from tests.analysis.test_sentiment_policy import scores

WHY = "Why do you say that?"
PRINCIPLE = "The principle is right but the amount is too small and the rules too tight."
FAIR_SHARE = "We support more control, but smaller councils need a fair share of the settlement."
# the demo's answers of the brief, with the choice their respondents made
STRONGLY_DISAGREE = (
    "In our view, non-constituent authorities risk being left out of decisions about the "
    "money. Once inflation is counted, the money is less than the grants it replaces. "
    f"{FAIR_SHARE}"
)
NEITHER = [
    f"Put simply, {PRINCIPLE[0].lower()}{PRINCIPLE[1:]} {FAIR_SHARE}",
    f"In our view, {PRINCIPLE[0].lower()}{PRINCIPLE[1:]} {FAIR_SHARE} Our officers spend months "
    "each year writing bids to Whitehall; that time should go on delivery.",
    f"{FAIR_SHARE} Also, {PRINCIPLE[0].lower()}{PRINCIPLE[1:]} Our members also feel that "
    "fewer competitive bids means less money wasted on consultants writing applications.",
    f"Put simply, {FAIR_SHARE[0].lower()}{FAIR_SHARE[1:]}",
]


@pytest.mark.parametrize(
    ("text", "turns"),
    [
        (PRINCIPLE, []),
        ("We agree in principle, however the costs fall on small councils.", []),
        ("It is right in principle, though the sums are small.", []),
        ("The principle is right.", ["The principle is right"]),
        ("The principle is right. But the sums are small.", ["The principle is right"]),
        (
            "A multi-year settlement fixes that. " + PRINCIPLE,
            ["fixes that"],
        ),
    ],
)
def test_a_qualified_remedy_is_a_concession(text, turns):
    assert solution_turns(text) == turns


def test_a_concession_is_read_within_its_sentence():
    text = "The principle is right but small. A fix is near."
    end = len("The principle is right")
    assert conceded(text, end)
    assert not conceded("The principle is right. But it is small.", end)
    assert not conceded("The principle is right", end)


def test_praise_words_a_but_clause_asks_for_are_left_out():
    lexicon = Sentiment(WHY)._analyzer.lexicon
    assert without_asked_praise(FAIR_SHARE, lexicon) == (
        "We support more control, but smaller councils need a of the settlement."
    )
    # negative words stay; a clause asking nothing, and the words before "but", stay
    kept = [
        "Good idea, but it must not hurt the poorest.",
        "We welcome the direction, but the allocation will not cover existing commitments.",
        "Support is welcome. Fair shares help.",
        "",
    ]
    assert without_asked_praise(kept[0], lexicon) == "Good idea, but it must not hurt the poorest."
    for text in kept[1:]:
        assert without_asked_praise(text, lexicon) == text


def test_the_briefs_answers_no_longer_read_positive(engine, monkeypatch):
    against, *neither = scores([STRONGLY_DISAGREE, *NEITHER], WHY, engine)
    assert sentiment.tone(against) == "negative"
    assert all(sentiment.tone(value) != "positive" for value in neither), neither
    assert all(value <= 0 for value in neither), neither
    monkeypatch.setattr(sentiment, "CONCESSION_RULES", False)  # as sent12 left them
    before = scores([STRONGLY_DISAGREE, *NEITHER], WHY, engine)
    assert all(value >= 0.27 for value in before), before


@pytest.mark.parametrize("question", ["What could we do better?", "What was good?", None])
def test_other_questions_are_scored_as_before(question, monkeypatch):
    texts = [STRONGLY_DISAGREE, *NEITHER, "Lovely staff, but the ward needs more nurses."]
    now = [Sentiment(question).score(t) for t in texts]
    monkeypatch.setattr(sentiment, "CONCESSION_RULES", False)
    assert [Sentiment(question).score(t) for t in texts] == now


def test_off_with_the_stacking_rules(monkeypatch):
    """Without STACK_RULES (sent11's scoring) the concession rules change nothing either."""
    assert Sentiment(WHY).score(PRINCIPLE) < 0
    texts = [STRONGLY_DISAGREE, *NEITHER]
    monkeypatch.setattr(sentiment, "STACK_RULES", False)
    on = [Sentiment(WHY).score(t) for t in texts]
    monkeypatch.setattr(sentiment, "CONCESSION_RULES", False)
    assert [Sentiment(WHY).score(t) for t in texts] == on
