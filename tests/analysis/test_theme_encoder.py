"""The semantic engine's grouping vectors (``ThemeModel(encoder=...)``, BENCHMARKS "thenc27"):
plain MiniLM by default; the coding encoder where one is installed and ``encoder="auto"`` asks
for it, while labels, quotes, counts and sentiment keep plain MiniLM; named in run.json.

The stand-in encoder folder holds MiniLM's own int8 file (tests/analysis/test_coding_encoder.py's
``make_encoder``), so its vectors are MiniLM's: the themes must come out the same, and what
shows the encoder was read is its own vector cache file and the name recorded."""

from __future__ import annotations

import json
import pickle
import sqlite3
from pathlib import Path

import pytest

from analysis.api import ThemeModel
from analysis.cli import main
from analysis.coding_encoder import ENVIRONMENT, find
from analysis.embeddings import MODEL_ID, EmbeddingCache
from analysis.embeddings import available as semantic_available
from analysis.errors import InputError
from tests.analysis.fixtures import responses, write_csv
from tests.analysis.test_coding_encoder import make_encoder

needs_semantic = pytest.mark.skipif(
    not semantic_available(), reason="the semantic extra is not installed"
)


@pytest.fixture
def texts() -> list[str]:
    return [row["answer"] for row in responses(60)]


@pytest.fixture
def cache(tmp_path, monkeypatch) -> Path:
    folder = tmp_path / "cache"
    monkeypatch.setenv("CONSULT_ANALYSIS_CACHE", str(folder))
    return folder


@pytest.fixture
def encoder(tmp_path, monkeypatch) -> Path:
    folder = make_encoder(tmp_path / "encoder")
    monkeypatch.setenv(ENVIRONMENT, str(folder))
    return folder


def _cached_keys(path: Path) -> set[str]:
    with sqlite3.connect(path) as connection:
        return {key for (key,) in connection.execute("SELECT key FROM vectors")}


def _outputs(model: ThemeModel) -> tuple:
    return (
        model.labels_.tolist(),
        model.memberships_,
        json.dumps(model.themes_, sort_keys=True, default=str),
        model.sentiment_.tolist(),
    )


@needs_semantic
def test_auto_groups_with_the_encoder_and_describes_with_minilm(texts, cache, encoder):
    found = find()
    plain = ThemeModel(n_themes=3, engine="semantic", seed=0).fit(texts, question="Why?")
    assert plain.encoder == "minilm" and plain.grouping_vectors_ == MODEL_ID
    # the default groups with MiniLM; where an encoder is installed it is read only to count
    # the answers making each label's point (count27), never to group
    assert plain.representation_._group_embedder() is plain.representation_._embedder()

    tuned = ThemeModel(n_themes=3, engine="semantic", seed=0, encoder="auto")
    tuned.fit(texts, question="Why?")
    assert tuned.grouping_vectors_ == found.model_id
    # the answers were embedded by the encoder for grouping (each distinct substantive one,
    # as cleaned: most of them) ...
    encoded = _cached_keys(cache / f"{found.model_id}-128.sqlite")
    answers = {EmbeddingCache.key(t) for t in tuned.texts_}
    assert len(answers & encoded) >= len(answers) // 2
    # ... while the labels', quotes' and sentiment's embedder is still plain MiniLM's
    assert tuned.representation_._embedder().cache.connection is not None
    assert tuned.representation_._group_embedder() is not tuned.representation_._embedder()
    # the stand-in is MiniLM's own file: the same vectors, so the same themes to the byte
    assert _outputs(tuned) == _outputs(plain)


@needs_semantic
def test_minilm_asked_for_by_name_wins_over_auto(texts, cache, encoder, monkeypatch):
    monkeypatch.setenv(ENVIRONMENT, "minilm")
    model = ThemeModel(n_themes=3, engine="semantic", seed=0, encoder="auto").fit(texts)
    assert model.grouping_vectors_ == MODEL_ID
    assert not [p for p in cache.iterdir() if p.name.startswith("minilm-argkp")]


@needs_semantic
def test_auto_without_an_installed_encoder_is_plain_minilm(texts, cache, tmp_path, monkeypatch):
    monkeypatch.setenv(ENVIRONMENT, str(tmp_path / "missing"))
    model = ThemeModel(n_themes=3, engine="semantic", seed=0, encoder="auto").fit(texts)
    assert model.grouping_vectors_ == MODEL_ID
    assert model.representation_._group_embedder() is model.representation_._embedder()


@needs_semantic
def test_a_pickled_model_predicts_with_the_vectors_it_grouped_by(texts, cache, encoder):
    model = ThemeModel(n_themes=3, engine="semantic", seed=0, encoder="auto").fit(texts)
    before = model.predict(texts[:10]).tolist()
    again = pickle.loads(pickle.dumps(model))
    assert again.grouping_vectors_ == model.grouping_vectors_
    assert again.predict(texts[:10]).tolist() == before
    assert again.representation_._group_embedder().cache.connection is not None


def test_the_fast_engine_has_no_grouping_vectors_to_choose(texts, encoder):
    model = ThemeModel(n_themes=3, engine="fast", seed=0, encoder="auto").fit(texts)
    assert model.grouping_vectors_ is None


def test_an_unknown_encoder_is_refused(texts):
    with pytest.raises(InputError, match="unknown encoder 'e5'"):
        ThemeModel(n_themes=3, engine="fast", encoder="e5").fit(texts)


@needs_semantic
def test_the_command_line_records_the_encoder_and_the_vectors(tmp_path, cache, encoder):
    survey = write_csv(tmp_path / "s.csv", responses(60))
    records = {}
    for choice in ("minilm", "auto"):
        out = tmp_path / choice
        code = main(
            ["themes", str(survey), "--text-column", "answer", "--themes", "3"]
            + ["--engine", "semantic", "--encoder", choice, "--quiet", "--out", str(out)]
        )
        assert code == 0
        records[choice] = json.loads((out / "run.json").read_text(encoding="utf-8"))
        assert records[choice]["settings"]["encoder"] == choice
    assert records["minilm"]["grouping_vectors"] == MODEL_ID
    assert records["auto"]["grouping_vectors"] == find().model_id
    assert (tmp_path / "minilm" / "themes.json").read_bytes() == (
        tmp_path / "auto" / "themes.json"
    ).read_bytes()


@needs_semantic
def test_joined_groups_on_minilm_and_the_encoder_side_by_side(texts, cache, encoder):
    """encoder="joined" (BENCHMARKS "nmi28"): both models' vectors, each unit length, side by
    side weighted by JOINED_WEIGHT; with the stand-in (MiniLM's own file) every cosine is
    MiniLM's, so the themes are plain MiniLM's; reruns are byte-identical."""
    from analysis.represent import JOINED_WEIGHT

    found = find()
    plain = ThemeModel(n_themes=3, engine="semantic", seed=0).fit(texts, question="Why?")
    joined = ThemeModel(n_themes=3, engine="semantic", seed=0, encoder="joined")
    joined.fit(texts, question="Why?")
    assert joined.grouping_vectors_ == f"{MODEL_ID}+{found.model_id}"
    representation = joined.representation_
    assert representation.joined_weight_ == JOINED_WEIGHT
    vectors = representation._embed(texts[:5])
    assert vectors.shape == (5, 2 * 384)
    # each half is its model's (unit) vector, weighted sqrt(1 - w) and sqrt(w)
    halves = (vectors[:, :384], vectors[:, 384:])
    assert abs(float((halves[0] ** 2).sum(axis=1).mean()) - (1 - JOINED_WEIGHT)) < 1e-4
    assert abs(float((halves[1] ** 2).sum(axis=1).mean()) - JOINED_WEIGHT) < 1e-4
    # both models embedded the answers (each its own cache file)
    answers = {EmbeddingCache.key(t) for t in joined.texts_}
    for model_id in (MODEL_ID, found.model_id):
        assert len(answers & _cached_keys(cache / f"{model_id}-128.sqlite")) >= len(answers) // 2
    assert joined.labels_.tolist() == plain.labels_.tolist()
    again = ThemeModel(n_themes=3, engine="semantic", seed=0, encoder="joined")
    assert _outputs(again.fit(texts, question="Why?")) == _outputs(joined)
    copy = pickle.loads(pickle.dumps(joined))
    assert copy.predict(texts[:10]).tolist() == joined.predict(texts[:10]).tolist()


@needs_semantic
def test_joined_without_an_installed_encoder_is_plain_minilm(texts, cache, tmp_path, monkeypatch):
    monkeypatch.setenv(ENVIRONMENT, str(tmp_path / "missing"))
    plain = ThemeModel(n_themes=3, engine="semantic", seed=0).fit(texts)
    model = ThemeModel(n_themes=3, engine="semantic", seed=0, encoder="joined").fit(texts)
    assert model.grouping_vectors_ == MODEL_ID
    assert _outputs(model) == _outputs(plain)
