"""Complaints worded without a negative word read negative; proposals do not (sent10)."""

from __future__ import annotations

import pytest

from analysis import sentiment
from analysis.sentiment import Sentiment
from tests.analysis.test_sentiment_policy import scores

# The demo consultation's call for views (Q3), its follow-up to agreement questions, its
# closing question, a call for comments and no question at all.
CALL_FOR_VIEWS = (
    "How should the combined authority work with councils, MPs and government agencies to "
    "deliver the deal?"
)
VIEW_QUESTIONS = [
    CALL_FOR_VIEWS,
    "Why do you say that?",
    "Is there anything else you would like to tell us about the deal?",
]
QUESTIONS = [*VIEW_QUESTIONS, "Any other comments?", None]

# A service failing people, with no negative word (the first is the demo's own answer to Q3).
COMPLAINTS = [
    "Staff cannot rely on buses that often do not turn up.",
    "Our parish council has never been consulted.",
    "It takes months to get a reply from the council.",
    "Nobody answers the phone at the depot.",
    "Residents were not consulted about the route changes.",
    "It took six months to get a decision on our application.",
    "Our emails go unanswered and nobody ever calls back.",
    "We can't depend on the trains in winter.",
]
# Proposals, some naming the same things as the complaints: none may read negative.
PROPOSALS = [
    "We would like multi-year funding so councils can plan.",
    "Multi-year funding would give councils the certainty to commit to long projects.",
    "Shift workers need buses that run early in the morning and late at night.",
    "Buses should run on time and turn up when the timetable says.",
    "Give residents a say so that they are consulted before routes change.",
    "Projects that take years to plan need multi-year funding.",
    "A regional investment fund should offer the small loans that banks will not.",
    "Set up a phone line that answers within a day.",
]


@pytest.mark.parametrize("question", QUESTIONS)
def test_complaints_without_negative_words_read_negative(engine, question):
    got = scores(COMPLAINTS, question, engine)
    assert all(s < -0.05 for s in got), list(zip(COMPLAINTS, got, strict=True))


@pytest.mark.parametrize("question", VIEW_QUESTIONS)
def test_proposals_answering_a_call_for_views_stay_non_negative(engine, question):
    got = scores(PROPOSALS, question, engine)
    assert all(s >= -0.05 for s in got), list(zip(PROPOSALS, got, strict=True))


def test_each_failure_counts_as_one_criticism(monkeypatch):
    scorer = Sentiment(CALL_FOR_VIEWS)
    # two failures (reliance, no-show) in one sentence count once (sent12's STACK_RULES);
    # in two sentences each takes the score 0.4 of the way left to -1
    assert scorer.score("Staff cannot rely on buses that often do not turn up.") == -0.4
    assert scorer.score("Staff cannot rely on buses. They often do not turn up.") == -0.64
    assert scorer.score("Nobody answers the phone at the depot.") == -0.4
    # "take years" proposes; "takes months" complains
    assert scorer.score("Projects that take years to plan need multi-year funding.") == 0.0
    assert scorer.score("Planning permission takes months.") == -0.4
    # without STACK_RULES each cue is 0.4 whatever the sentence (sent10)
    monkeypatch.setattr(sentiment, "STACK_RULES", False)
    assert (
        Sentiment(CALL_FOR_VIEWS).score("Staff cannot rely on buses that often do not turn up.")
        == -0.8
    )


def test_late_at_night_is_a_time_not_lateness():
    scorer = Sentiment(CALL_FOR_VIEWS)
    assert scorer.score("Buses should run late at night.") == 0.0
    assert scorer.score("The buses are always late.") < -0.05
