"""The bag-of-word-pieces heads mixed into the semantic engine's sentiment (sent9)."""

from __future__ import annotations

import json

import numpy as np
import pytest

from analysis.embeddings import available
from analysis.sentiment import Sentiment
from analysis.sentiment_pieces import (
    PIECE_MODEL,
    PIECE_PROBE_FILE,
    load_piece_probe,
    piece_bag,
    piece_ids,
)

pytestmark = [
    pytest.mark.skipif(not available(), reason="MiniLM's tokenizer is missing"),
]

BETTER = "What could we do better?"


def test_a_texts_bag_depends_on_its_own_pieces_only():
    texts = ["The nurses were kind.", "", "The wait was long and nobody told us why."]
    bag = piece_bag(piece_ids(texts), 14).toarray()
    assert bag.shape == (3, 1 << 14)
    assert np.allclose(np.linalg.norm(bag, axis=1), [1.0, 0.0, 1.0])
    alone = piece_bag(piece_ids(texts[2:]), 14).toarray()
    assert np.array_equal(alone[0], bag[2])
    # pieces and their bigrams: "kind." has more buckets than its pieces alone
    ids = piece_ids(["kind nurses"])[0]
    assert np.count_nonzero(piece_bag([ids], 14).toarray()) == len(ids) + 1


def test_the_shipped_piece_probe_loads_with_its_notice_and_what_it_never_read():
    probe = load_piece_probe()
    assert probe is not None and probe.bits == 14 and 0 < probe.share < 1
    assert probe.general.coef.shape == probe.praise.coef.shape == (1 << 14,)
    data = json.loads(PIECE_PROBE_FILE.read_text(encoding="utf-8"))
    assert "MIT License" in data["NOTICE"]
    assert data["never_read"] == {"phase1": ["Trust C"]}


def test_a_missing_or_foreign_piece_probe_leaves_the_blend(tmp_path):
    texts = ["The nurses were kind.", "The wait was long."]
    vectors = np.zeros((2, 384))
    without = Sentiment(BETTER, piece_probe_file=None).score_answers(texts, vectors)
    missing = tmp_path / "none.json"
    assert Sentiment(BETTER, piece_probe_file=missing).score_answers(texts, vectors) == without
    data = json.loads(PIECE_PROBE_FILE.read_text(encoding="utf-8"))
    data["model"] = "another"
    foreign = tmp_path / "foreign.json"
    foreign.write_text(json.dumps(data), encoding="utf-8")
    assert load_piece_probe(foreign) is None
    data["model"] = PIECE_MODEL
    data["bits"] = 12  # coefficients that do not fit the bag
    broken = tmp_path / "broken.json"
    broken.write_text(json.dumps(data), encoding="utf-8")
    assert load_piece_probe(broken) is None
    assert Sentiment(BETTER).score_answers(texts, vectors) != without


def test_the_pieces_move_complaints_down_and_praise_up_but_not_bare_replies():
    texts = [
        "The staff were wonderful and kind, thank you.",
        "Rude receptionist and a two hour wait, appalling.",
        "Nothing.",
        "n/a",
    ]
    vectors = np.zeros((4, 384))
    without = Sentiment(BETTER, piece_probe_file=None).score_answers(texts, vectors)
    mixed = Sentiment(BETTER).score_answers(texts, vectors)
    assert mixed[1] < 0 < mixed[0]
    assert mixed[1] < mixed[0]
    assert mixed[2:] == without[2:] == [0.9, 0.0]
    assert all(-1 <= s <= 1 for s in mixed)
    # the same answers read alone score the same: nothing depends on the other answers
    assert Sentiment(BETTER).score_answers(texts[1:2], vectors[1:2]) == mixed[1:2]


def test_the_praise_head_grades_answers_to_what_was_good():
    probe = load_piece_probe()
    texts = ["Fine.", "Excellent care, all the staff were amazing and so kind. Thank you!"]
    cues = np.zeros((2, probe.general.cue_coef.shape[0]))
    general = probe.predict(texts, cues, np.array([False, False]))
    praise = probe.predict(texts, cues, np.array([True, True]))
    assert not np.allclose(general, praise)
    scores = Sentiment("What was good about your visit?").score_answers(texts, np.zeros((2, 384)))
    assert 0 < scores[0] < scores[1]


def test_calls_for_views_keep_the_rules():
    question = "What opportunities should the deal unlock for businesses in the region?"
    texts = ["More apprenticeships for young people.", "Better buses."]
    scorer = Sentiment(question)
    assert scorer.score_answers(texts, np.zeros((2, 384))) == scorer.score_answers(texts)


def test_the_fast_engine_mixes_the_pieces_in_at_its_own_share(tmp_path):
    from analysis import static_vectors

    if static_vectors.unavailable_reason() is not None:
        pytest.skip("no static word-piece vectors")
    texts = [
        "The staff were wonderful and kind, thank you.",
        "Rude receptionist and a two hour wait, appalling.",
        "Nothing.",
    ]
    static = static_vectors.plain_vectors(texts)
    assert load_piece_probe().fast_share is not None
    without = Sentiment(BETTER, piece_probe_file=None).score_answers(texts, static=static)
    mixed = Sentiment(BETTER).score_answers(texts, static=static)
    assert mixed[:2] != without[:2] and mixed[1] < 0 < mixed[0]
    assert mixed[2] == without[2] == 0.9
    # a piece probe without a fast engine's share leaves the fast engine's blend
    data = json.loads(PIECE_PROBE_FILE.read_text(encoding="utf-8"))
    del data["fast_share"]
    semantic_only = tmp_path / "semantic_only.json"
    semantic_only.write_text(json.dumps(data), encoding="utf-8")
    scorer = Sentiment(BETTER, piece_probe_file=semantic_only)
    assert scorer.score_answers(texts, static=static) == without
    # calls for views and questions of neither kind keep the fast engine's blend
    for question in ("Any other comments?", "Why do you say that?"):
        plain = Sentiment(question, piece_probe_file=None).score_answers(texts, static=static)
        assert Sentiment(question).score_answers(texts, static=static) == plain
