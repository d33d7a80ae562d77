"""``CodingModel(centre=...)``: the codebook similarity of vectors less the survey's mean
answer vector (:func:`analysis.coding.centred_similarity`), and the model as before without it."""

from __future__ import annotations

import numpy as np
import scipy.sparse as sp
from sklearn.preprocessing import normalize

from analysis.coding import CodingModel, centred_similarity
from tests.analysis.test_coding import BOOK, _labels, coded_rows


def _dense_centred_cosine(x: np.ndarray, points: np.ndarray, centre: np.ndarray) -> np.ndarray:
    rows, moved = x - centre, points - centre
    return normalize(rows) @ normalize(moved).T


def test_centred_similarity_is_the_cosine_of_the_moved_vectors():
    rng = np.random.default_rng(0)
    x = sp.random(25, 40, density=0.2, random_state=1, format="csr")
    points, centre = rng.normal(size=(4, 40)), np.asarray(x.mean(axis=0)).ravel()
    got = centred_similarity(x, points, centre)
    assert got.shape == (25, 4)
    np.testing.assert_allclose(got, _dense_centred_cosine(x.toarray(), points, centre), atol=1e-9)
    # a zero centre is the plain cosine
    plain = centred_similarity(x, points, np.zeros(40))
    np.testing.assert_allclose(plain, normalize(x.toarray()) @ normalize(points).T, atol=1e-9)
    # a row equal to the centre has no direction: 0, not a division by zero
    same = sp.csr_matrix(centre.reshape(1, -1))
    assert np.all(centred_similarity(same, points, centre) == 0.0)


def test_off_by_default_and_exactly_as_before():
    rows = coded_rows(count=120, seed=5)
    texts = [r["text"] for r in rows]
    labels, _ = _labels(rows, 0.3)
    assert CodingModel().centre == 0.0
    plain = CodingModel(engine="fast").fit(texts, labels, BOOK)
    assert plain.centre_vector_ is None
    similarity, _ = plain._similarity_columns(plain.vectors_)
    np.testing.assert_array_equal(similarity, np.asarray(plain.vectors_ @ plain.prototypes_.T))


def test_centred_model_reads_the_centred_similarity_everywhere():
    rows = coded_rows(count=120, seed=5)
    texts = [r["text"] for r in rows]
    labels, picked = _labels(rows, 0.3)
    plain = CodingModel(engine="fast").fit(texts, labels, BOOK)
    model = CodingModel(engine="fast", centre=1.0).fit(texts, labels, BOOK)
    centre = np.asarray(model.vectors_.mean(axis=0)).ravel()  # every row, coded or not
    np.testing.assert_allclose(model.centre_vector_, centre)
    similarity, margin = model._similarity_columns(model.vectors_)
    expected = _dense_centred_cosine(model.vectors_.toarray(), model.prototypes_, centre)
    np.testing.assert_allclose(similarity, expected, atol=1e-6)  # float32 features
    assert margin.shape == similarity.shape
    assert not np.allclose(model.proba_, plain.proba_)
    for i in picked:  # human codes are kept
        assert model.coded_[i] == rows[i]["truth"]
    again = CodingModel(engine="fast", centre=1.0).fit(texts, labels, BOOK)
    np.testing.assert_array_equal(again.proba_, model.proba_)
    # new texts are compared with the survey's centre, not their own mean
    assert model.predict_proba(["the buses are late"]).shape == (1, len(BOOK.ids))


def test_cold_start_codes_by_the_centred_similarity():
    rows = coded_rows(count=120, seed=5)
    texts = [r["text"] for r in rows]
    cold = CodingModel(engine="fast", centre=1.0).fit(texts, [None] * len(texts), BOOK)
    similarity = centred_similarity(cold.vectors_, cold.prototypes_, cold.centre_vector_)
    best = np.argmax(cold.proba_, axis=1)
    np.testing.assert_array_equal(best, np.argmax(similarity, axis=1))
    assert all(BOOK.ids[b] in cold.coded_[i] for i, b in enumerate(best))


def test_centre_two_centres_the_combiners_columns_only():
    rows = coded_rows(count=120, seed=5)
    texts = [r["text"] for r in rows]
    labels, _ = _labels(rows, 0.3)
    model = CodingModel(engine="fast", centre=2.0).fit(texts, labels, BOOK)
    x = model.vectors_
    plain = np.asarray(x @ model.prototypes_.T)
    centred = centred_similarity(x, model.prototypes_, model.centre_vector_)
    np.testing.assert_array_equal(model._similarity_columns(x)[0], plain)
    np.testing.assert_allclose(model._similarity_columns(x, combiner=True)[0], centred)
    whole = CodingModel(engine="fast", centre=1.0).fit(texts, labels, BOOK)
    np.testing.assert_allclose(whole._similarity_columns(x)[0], centred, atol=1e-6)
