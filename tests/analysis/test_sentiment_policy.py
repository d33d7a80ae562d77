"""Policy criticism reads negative and policy support positive, with both engines."""

from __future__ import annotations

import pytest

from analysis.sentiment import Sentiment

# The reviewer's two sentences (the demo's "against" reasons), then criticism in other words.
CRITICISM = [
    "Funding could be spread too thinly across the region.",
    "The sums on offer will not even repair the roads.",
    "The budget is far too small for a region of three million people.",
    "Smaller councils have been left out of the decisions again.",
    "Residents have no say in how the money is spent.",
    "Many families simply cannot afford the new fares.",
    "Scrapping the local panels would be a step backwards.",
    "Youth services are at risk if this funding is cut.",
]
SUPPORT = [
    "We welcome the commitment to affordable homes on brownfield land.",
    "We strongly support the focus on retrofitting older homes.",
    "Cheaper fares will help families get to work and college.",
    "Multi-year funding would give councils the certainty to commit to long projects.",
]


def scores(texts: list[str], question: str | None, engine: str) -> list[float]:
    """Scores as an analysis run gives them: the semantic engine passes MiniLM vectors, the
    fast engine static word-piece vectors."""
    vectors = static = None
    if engine == "semantic":
        from analysis.embeddings import MiniLMEmbedder

        vectors = MiniLMEmbedder().embed(texts)
    else:
        from analysis import static_vectors

        if static_vectors.unavailable_reason() is None:
            static = static_vectors.plain_vectors(texts)
    return Sentiment(question).score_answers(texts, vectors, static=static)


@pytest.mark.parametrize("question", ["Why do you say that?", "Any other comments?", None])
def test_policy_criticism_reads_negative_and_support_positive(engine, question):
    got = scores(CRITICISM + SUPPORT, question, engine)
    against, support = got[: len(CRITICISM)], got[len(CRITICISM) :]
    assert all(s < -0.05 for s in against), list(zip(CRITICISM, against, strict=True))
    assert all(s > 0.05 for s in support), list(zip(SUPPORT, support, strict=True))


def test_criticism_counts_once_and_a_proposal_stays_a_proposal():
    why = Sentiment("Why do you say that?")
    # "not enough" is a request cue and a criticism: one cue, not two
    assert Sentiment("What could we do better?").score("There are not enough buses.") == -0.3
    # proposing ("should", "more") still moves nothing; criticising does
    proposal = "The combined authority should run more buses in the evening."
    assert why.score(proposal) > -0.05
    assert why.score("Evening buses are too few and too late.") < -0.5


def test_nothing_left_out_is_not_criticism():
    scorer = Sentiment("Is there anything we could improve?")
    assert scorer.score("Everything was explained well and nothing was left out.") > 0.2
    assert scorer.score("Smaller councils have been left out again.") < -0.2
