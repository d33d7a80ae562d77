"""Sentiment read with the question in mind, and the MiniLM probe beside the rules."""

from __future__ import annotations

import json

import numpy as np
import pytest

from analysis import static_vectors
from analysis.praise_intensity import NAMES
from analysis.sentiment import (
    BARE_SATISFIED_BLEND,
    Sentiment,
    asks_to_improve,
    graded_as_praise,
    question_kind,
)
from analysis.sentiment_probe import PROBE_FILE, STATIC_MODEL, STATIC_PROBE_FILE, load_probe

pytestmark = pytest.mark.coding_encoder

DEMO = "Bus services are unreliable and should be brought under public control across the region."


@pytest.mark.parametrize(
    ("question", "kind"),
    [
        ("What could we do better?", "change"),
        ("Is there anything we could improve?", "change"),
        ("What should the plan change?", "change"),
        ("What was good about your visit?", "praise"),
        ("What did you like about the service?", "praise"),
        ("What went well, and what could be improved?", ""),
        ("Any other comments?", ""),
        ("What did we do well?", "praise"),
        ("What did you value most about the service?", "praise"),
        # the demo consultation's questions: a rating, then calls for proposals and reasons
        ("How well does adult learning in the region meet employers' needs?", ""),
        ("Is there anything else you would like to tell us about the deal?", "proposal"),
        ("What opportunities should the deal unlock for businesses in the region?", "proposal"),
        ("How should the combined authority work with councils?", "proposal"),
        ("Why do you say that?", "proposal"),
        # asking which change people would make is a call for proposals (smoke9 finding 18)
        ("What one change would most improve buses in your area?", "proposal"),
        ("What changes would you like to see in the town centre?", "proposal"),
        ("What would improve bus services in your area?", "proposal"),
        ("What would most improve the service?", "proposal"),
        ("What should the council do about potholes?", "proposal"),
        ("How could bus services in the region be improved?", "proposal"),
        # ... but not service feedback's "what went wrong" questions (NHS FFT's stay)
        ("What would you change about your care?", "change"),
        ("What could we do better?", "change"),
        # asking whether one agrees with or supports a change is not asking for changes
        # (textfix, issue 12)
        ("Do you agree with the proposed changes?", "agreement"),
        ("Do you support the changes to bus franchising?", "agreement"),
        ("To what extent do you agree with the proposed changes?", "agreement"),
        ("To what extent do you agree or disagree with the plan?", "agreement"),
        ("How far do you support the proposals to improve bus services?", "agreement"),
        ("Are you in favour of the changes?", "agreement"),
        ("Would you support a congestion charge?", "agreement"),
        ("Does your organisation support the proposed changes?", "agreement"),
        ("Do you agree?", "agreement"),
        ("What changes would you make?", "proposal"),
        ("How could we improve?", "change"),
        ("Do you have any concerns about the proposals?", "change"),
        ("What support would help your organisation?", ""),
        # the demo's other questions: an agreement statement (rated, not free text), choices
        (
            "The single funding settlement gives the region enough control over how money is spent",
            "",
        ),
        ("Which area should come first for joint working with government?", ""),
        ("Which economic pressures affect your organisation most?", ""),
        (
            "How can schools, colleges and universities work together to grow the next "
            "generation of innovators?",
            "proposal",
        ),
        (
            "How should the combined authority work with councils, MPs and government agencies "
            "to deliver the deal?",
            "proposal",
        ),
        (None, ""),
    ],
)
def test_question_kind(question, kind):
    assert question_kind(question) == kind


def test_bare_nothing_takes_its_meaning_from_the_question():
    answers = ["Nothing.", "No", "None"]
    better = Sentiment("What could we do better?").score_answers(answers)
    good = Sentiment("What was good about your visit?").score_answers(answers)
    plain = Sentiment("Any other comments?").score_answers(answers)
    assert all(s > 0.2 for s in better)
    assert all(s < -0.2 for s in good)
    assert plain == [0.0, 0.0, 0.0]


@pytest.mark.parametrize(
    ("question", "improve"),
    [
        ("What could we do better?", True),
        ("How could we improve?", True),
        ("Is there anything we could improve?", True),
        ("What could have been done differently?", True),
        ("Do you agree with the proposed changes?", False),
        ("Do you support the proposals to improve bus services?", False),
        ("Do you have any concerns about the proposals?", False),
        ("What should the plan change?", False),
        ("Do you agree?", False),
        ("What was good about your visit?", False),
        (None, False),
    ],
)
def test_asks_to_improve(question, improve):
    assert asks_to_improve(question) is improve


def test_a_bare_no_keeps_its_score_beside_the_probe_unless_asked_what_could_be_better():
    """Only after "What could be better?" does the probe's engine raise a bare "No"; after
    "Do you agree?" or a question of any other kind it scores as the rules do, and a
    no-opinion reply stays 0 everywhere."""
    texts = ["No", "Nothing.", "None", "n/a", "Not sure", ""]
    vectors = np.ones((len(texts), 384))
    better = Sentiment("What could we do better?")
    assert better.score_answers(texts, vectors) == [0.9, 0.9, 0.9, 0.0, 0.0, 0.0]
    for question in (
        "Do you agree with the proposed changes?",
        "Do you agree?",
        "Do you have any concerns about the proposals?",
        "What was good about your visit?",
        "Any other comments?",
        None,
    ):
        scorer = Sentiment(question)
        assert scorer.score_answers(texts, vectors) == scorer.score_answers(texts), question


@pytest.mark.parametrize(
    "question",
    [
        "Do you agree with the proposed changes?",
        "Do you support the changes to bus franchising?",
        "To what extent do you agree with the proposed changes?",
        "Do you agree?",
    ],
)
def test_an_agreement_question_is_no_call_for_changes(question):
    """A bare "No" answering "Do you agree with the proposed changes?" disagrees; it is not
    content with how things are (it scored +0.5 as after "What could we do better?"), and a
    request there proposes, as answering a call for proposals; it is no complaint (it scored
    -0.6). Criticism still counts against an answer."""
    scorer = Sentiment(question)
    bare = ["No", "Nothing.", "None", "n/a"]
    assert scorer.score_answers(bare) == [0.0] * 4
    requests = ["More evening buses please.", "We need more buses on the 51 route."]
    assert all(score > -0.05 for score in scorer.score_answers(requests))
    assert scorer.score("The buses are always late and dirty.") < -0.2
    assert scorer.score(DEMO) < -0.2
    # the probe, which learnt that a suggestion is a complaint, reads no answer there
    texts = bare + requests
    vectors = np.ones((len(texts), 384))
    assert scorer.score_answers(texts, vectors) == scorer.score_answers(texts)


def test_no_opinion_is_neutral_whatever_the_question():
    for question in ("What could we do better?", "What was good about your visit?", None):
        answers = ["Not sure", "n/a", "Don't know", "No further comments."]
        assert Sentiment(question).score_answers(answers) == [0.0] * 4


def test_praise_that_mentions_getting_better_stays_praise_when_asked_what_was_good():
    text = "Michelle did a wonderful job listening and helping me get better."
    praise = Sentiment("What was good about your visit?").score(text)
    assert praise > 0.5
    # read as an answer to "what should change", "better" is a request and counts against it
    assert Sentiment("What could we do better?").score(text) < praise


def test_a_proposal_is_not_a_complaint_when_proposals_are_asked_for():
    question = "How can schools, colleges and universities work together?"
    proposals = [
        "Create more degree apprenticeships with local employers in engineering and digital.",
        "Universities should open their labs to schools so pupils see science as a career.",
        "Please keep partners informed about how responses are used.",
    ]
    scorer = Sentiment(question)
    assert all(score > -0.2 for score in scorer.score_answers(proposals))
    # read as service feedback, the same words ask for change and count against it
    feedback = Sentiment("What could we do better?")
    assert all(feedback.score(p) < scorer.score(p) for p in proposals)
    # an opener says nothing: the score is the same with or without one
    plain = proposals[0]
    assert scorer.score(f"Put simply, {plain[0].lower()}{plain[1:]}") == scorer.score(plain)
    assert scorer.score(f"Honestly, {plain[0].lower()}{plain[1:]}") == scorer.score(plain)


def test_the_benchmarks_nhs_questions_keep_their_kinds():
    """bench/sentiment.py's NHS questions read as before the "which change" rule."""
    from bench.sentiment import QUESTIONS

    kinds = {wording: question_kind(wording) for wording in QUESTIONS.values()}
    assert kinds == {
        "What could we do better?": "change",
        "What was good about your visit?": "praise",
        "Is there anything we could improve?": "change",
    }


def test_suggestions_for_one_change_are_not_complaints():
    """smoke9 finding 18: answers to "What one change would most improve buses in your
    area?" scored negative (-0.37, -0.13), and so did their theme."""
    scorer = Sentiment("What one change would most improve buses in your area?")
    suggestions = [
        "More evening buses from Aldridge to Walsall College so students can get home after "
        "late classes.",
        "Late-night buses from Walsall to Birmingham, please.",
    ]
    assert all(score > -0.05 for score in scorer.score_answers(suggestions))
    # a bare "Nothing" there says nothing needs to change, as answering "what could be better"
    assert scorer.score_answers(["Nothing"]) == [0.5]
    # a complaint is still one, and lateness still counts against an answer
    assert scorer.score("The buses are always late and dirty.") < -0.2
    assert scorer.score("The 51 is late every morning.") < -0.2
    # "late" naming a time of day is not lateness, whatever the question
    for question in (None, "What could we do better?"):
        plain = Sentiment(question)
        assert plain.score("Buses after late classes.") == plain.score("Buses after classes.")


def test_complaints_stay_negative_in_every_context():
    for question in (
        "What could we do better?",
        "What was good about your visit?",
        None,
        "How should the combined authority work with councils?",
        "What one change would most improve buses in your area?",
    ):
        scorer = Sentiment(question)
        assert scorer.score(DEMO) < -0.2
        assert scorer.score("Waited three hours and nobody explained the delay.") < -0.2


def test_the_probe_ships_with_both_heads_and_its_licence_notice():
    probe = load_probe()
    assert probe is not None and probe.model.startswith("all-MiniLM-L6-v2")
    assert set(probe.heads) == {"general", "praise"}
    for head in probe.heads.values():
        assert head.coef.shape == (384,) and 0 < head.weight < 1
    # Only the praise head weighs the praise cues, for what the rules read as positive.
    assert probe.heads["general"].feature_coef is None
    assert probe.heads["praise"].feature_coef.shape == (len(NAMES),)
    assert probe.graded_above == 0.0
    notice = json.loads(PROBE_FILE.read_text(encoding="utf-8"))["NOTICE"]
    assert "Copyright (c) 2021 NHS England" in notice and "MIT License" in notice


def test_the_probe_records_what_it_learnt_from_and_what_it_never_read():
    data = json.loads(PROBE_FILE.read_text(encoding="utf-8"))
    sources = {source["name"]: source["answers"] for source in data["trained_on"]}
    assert set(sources) == {"phase 1", "v6"}
    assert set(sources["phase 1"]) == {"Trust A", "Trust B"}
    assert set(sources["v6"]) == {"NEAS", "NHFT"}
    assert data["heads"]["general"]["trained_on"] == sum(
        n for answers in sources.values() for n in answers.values()
    )
    # The part the benchmarks hold out was never part of its training.
    assert data["never_read"] == ["phase 1 Trust C"]
    assert PROBE_FILE.stat().st_size < 20_000


def test_another_probe_file_is_read_and_a_missing_one_leaves_the_rules(tmp_path):
    texts = ["The nurses were kind.", "The wait was long."]
    vectors = np.zeros((2, 384))
    question = "What could we do better?"
    rules = Sentiment(question).score_answers(texts)
    assert (
        Sentiment(question, probe_file=tmp_path / "none.json").score_answers(texts, vectors)
        == rules
    )
    # A probe whose general head reads every answer as very positive, at full weight.
    data = json.loads(PROBE_FILE.read_text(encoding="utf-8"))
    data["heads"] = {"general": {"coef": [0.0] * 384, "intercept": 1.0, "weight": 1.0}}
    other = tmp_path / "probe.json"
    other.write_text(json.dumps(data), encoding="utf-8")
    # (the bag-of-word-pieces heads, mixed in after the probe, left out: sent9)
    only = Sentiment(question, probe_file=other, piece_probe_file=None)
    assert only.score_answers(texts, vectors) == [1.0, 1.0]
    assert Sentiment(question).score_answers(texts, vectors) != [1.0, 1.0]


def test_a_probe_written_before_the_praise_cues_reads_as_it_did(tmp_path):
    data = json.loads(PROBE_FILE.read_text(encoding="utf-8"))
    del data["graded_above"]
    for head in data["heads"].values():
        head.pop("intensity", None)
    old = tmp_path / "old.json"
    old.write_text(json.dumps(data), encoding="utf-8")
    probe = load_probe(old)
    assert probe.graded_above == 0.0
    assert all(head.feature_coef is None for head in probe.heads.values())
    # Cues named otherwise than this version's are not silently misread.
    data = json.loads(PROBE_FILE.read_text(encoding="utf-8"))
    data["heads"]["praise"]["intensity"]["names"][0] = "characters"
    other = tmp_path / "other.json"
    other.write_text(json.dumps(data), encoding="utf-8")
    assert load_probe(other) is None


def test_warmer_praise_scores_higher_answering_what_was_good():
    # Zero vectors: only the praise cues tell these answers apart.
    texts = [
        "Fine.",
        "The staff were kind.",
        "Excellent care, all the staff were amazing and so kind. Thank you so much!",
    ]
    scores = Sentiment("What was good about your visit?").score_answers(texts, np.zeros((3, 384)))
    assert scores[0] < scores[1] < scores[2]
    assert all(score > 0 for score in scores)
    again = Sentiment("What was good about your visit?").score_answers(texts, np.zeros((3, 384)))
    assert again == scores


def test_praise_cues_never_grade_answers_to_what_could_be_better_or_complaints():
    assert not graded_as_praise([0.5, 0.9], ["change", "change"]).any()
    assert list(graded_as_praise([0.5, 0.0, -0.5], ["praise"] * 3)) == [True, False, False]
    assert list(graded_as_praise([0.5, 0.0, -0.5], ["praise"] * 3, -0.2)) == [True, True, False]
    # Answering "What could we do better?", a long emphatic complaint stays a complaint and
    # is not lifted by its length or its "very".
    scorer = Sentiment("What could we do better?")
    texts = [
        "The wait was far too long.",
        "The wait was far too long, very very long, and nobody told us anything at all "
        "about why, which is really not good enough!",
    ]
    scores = scorer.score_answers(texts, np.zeros((2, 384)))
    assert scores[1] <= scores[0] < 0


def test_vectors_blend_the_probe_in_but_bare_replies_keep_the_question_rule():
    probe = load_probe()
    texts = ["The nurses were kind.", "Nothing."]
    direction = probe.heads["general"].coef / np.linalg.norm(probe.heads["general"].coef)
    scorer = Sentiment("What could we do better?")
    rules = scorer.score_answers(texts)
    up = scorer.score_answers(texts, np.vstack([direction, direction]))
    down = scorer.score_answers(texts, np.vstack([-direction, -direction]))
    assert down[0] < up[0]
    # Beside the probe a bare "Nothing" answering "What could we do better?" ranks with the
    # warmest answers; the rules alone (the fast engine) keep +0.5.
    assert up[1] == down[1] == BARE_SATISFIED_BLEND == 0.9
    assert rules[1] == 0.5
    with pytest.raises(ValueError):
        scorer.score_answers(texts, np.zeros((2, 10)))


def test_the_fast_engines_probe_reads_static_vectors_beside_the_rules(tmp_path):
    """Without MiniLM vectors, static word-piece vectors blend in the fast engine's probe:
    the vector moves the score, bare replies keep the question's rule (0.9 after "what could
    be better?"), answers to a call for views keep the rules, and a missing or foreign probe
    file leaves the rules."""
    probe = load_probe(STATIC_PROBE_FILE)
    assert probe is not None and probe.model == STATIC_MODEL
    head = probe.heads["general"]
    assert head.coef.shape == (static_vectors.DIMENSIONS,) and 0 < head.weight < 1
    assert set(probe.heads) == {"general", "praise"}
    texts = ["The nurses were kind.", "Nothing.", "n/a"]
    direction = head.coef / np.linalg.norm(head.coef)
    scorer = Sentiment("What could we do better?")
    rules = scorer.score_answers(texts)
    up = scorer.score_answers(texts, static=np.vstack([direction] * 3))
    down = scorer.score_answers(texts, static=np.vstack([-direction] * 3))
    assert down[0] < rules[0] < up[0]
    assert up[1:] == down[1:] == [BARE_SATISFIED_BLEND, 0.0]
    assert rules[1] == 0.5
    with pytest.raises(ValueError):
        scorer.score_answers(texts, static=np.zeros((3, 10)))
    views = Sentiment("Do you agree with the proposed changes?")
    assert views.score_answers(texts, static=np.vstack([direction] * 3)) == views.score_answers(
        texts
    )
    missing = Sentiment("What could we do better?", static_probe_file=tmp_path / "none.json")
    assert missing.score_answers(texts, static=np.vstack([direction] * 3)) == rules
    # Answering "What was good?", the praise head grades the praise the rules read as
    # positive; a complaint there is read by the general head.
    good = Sentiment("What was good about your visit?")
    praise = probe.heads["praise"]
    toward = praise.coef / np.linalg.norm(praise.coef)
    warm = good.score_answers(["The nurses were kind."], static=toward[None, :])
    cold = good.score_answers(["The nurses were kind."], static=-toward[None, :])
    assert cold[0] < good.score("The nurses were kind.") < warm[0]
    # The semantic probe's file is not a static one (other vectors): the rules are kept.
    other = Sentiment("What could we do better?", static_probe_file=PROBE_FILE)
    assert other.score_answers(texts, static=np.vstack([direction] * 3)) == rules


@pytest.fixture(scope="module")
def answers():
    from tests.analysis.fixtures import responses

    texts = [r["answer"] for r in responses(60, seed=4) if r["answer"] != "Nothing."]
    return [*texts, "Nothing.", "Nothing.", DEMO, "The staff were wonderful and kind."]


def test_the_model_reads_sentiment_with_the_question(answers, engine):
    from analysis.api import ThemeModel

    def fitted(question):
        model = ThemeModel(n_themes=3, seed=0, engine=engine)
        return model.fit(answers, question=question).sentiment_

    better = fitted("What could we do better?")
    good = fitted("What was good about your visit?")
    nothing, demo, praise = len(answers) - 4, len(answers) - 2, len(answers) - 1
    # Beside either engine's probe (the fast engine's reads static word-piece vectors).
    bare = BARE_SATISFIED_BLEND if static_vectors.unavailable_reason() is None else 0.5
    assert better[nothing] == better[nothing + 1] == bare
    assert good[nothing] < -0.2
    for scores in (better, good):
        assert scores[demo] < -0.2 and scores[praise] > 0.2


@pytest.mark.parametrize(
    "text",
    [
        "Not a lot.",
        "No Nothing",
        "You don't have to change anything. 10/10.",
        "Was fine, nothing needed to be changed for us.",
        "Difficult to think of anything!",
        "I can't think of any way your service could be improved.",
    ],
)
def test_nothing_to_change_in_other_words_is_positive_after_what_could_be_better(text):
    assert Sentiment("What could we do better?").score(text) > 0.2


@pytest.mark.parametrize(
    "text",
    [
        "As a first time Mum I would have really appreciated help and guidance.",
        "Maybe ask the patient if they are happy for relatives to speak to a professional.",
        "Just wish could have gone there sooner.",
        "Suggest cooking lessons using different ingredients.",
    ],
)
def test_suggestions_and_wishes_are_not_praise(text):
    assert Sentiment("What could we do better?").score(text) < Sentiment().vader(text)


def test_each_theme_states_the_mean_sentiment_of_its_mentions(answers):
    from analysis.api import ThemeModel
    from analysis.output import themes_document
    from analysis.report import render_report

    model = ThemeModel(n_themes=3, seed=0, engine="fast").fit(
        answers, question="What could we do better?"
    )
    for index, theme in enumerate(model.themes_):
        rows = [r for r, themes in enumerate(model.memberships_) if index in themes]
        assert theme["sentiment"] == pytest.approx(np.mean(model.sentiment_[rows]), abs=1e-4)
    report = render_report(themes_document(model))
    assert report.count("Mean sentiment") == len(model.themes_)
