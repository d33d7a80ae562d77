"""Cold start (nothing coded) with the semantic engine (BENCHMARKS.md "cold30"): descriptions
read sentence by sentence and every theme within ``COLD_MARGIN`` of the closest coded too; the
misfit rule reading each codebook row is an option (``cold_fit="row"``); once anything is
coded, the model is as before. The fast engine has a margin of its own (``COLD_MARGIN_FAST``,
"cold30b") that leaves a row as close to every theme with its one theme."""

from __future__ import annotations

import numpy as np
import pytest
from sklearn.preprocessing import normalize

from analysis.codebook import Code, Codebook
from analysis.coding import COLD_FIT_RATIO, COLD_MARGIN, COLD_MARGIN_FAST, CodingModel
from analysis.errors import InputError
from analysis.features import dense

pytestmark = pytest.mark.coding_encoder

BOOK = Codebook(
    (
        Code(
            id="BUS",
            name="Buses",
            description="Bus services and bus routes. Bus fares and tickets. Late buses.",
        ),
        Code(id="HOME", name="Housing", description="Affordable homes. Housing supply and rent."),
    )
)
NAMES = Codebook(tuple(Code(id=c.id, name=c.name) for c in BOOK.codes))
TEXTS = [
    "the bus services are late and bus fares too high",
    "more bus routes to the villages please",
    "we need affordable homes and more housing supply",
    "rent is too high for young families",
    "bus fares and rents both went up",
    "the choir rehearsal clashes with cricket practice",
] * 2
OLD = {"cold_describe": "whole", "cold_fit": "theme", "cold_margin": 0.0}


def test_descriptions_are_read_by_sentences_only_while_nothing_is_coded():
    cold = CodingModel(engine="semantic").fit(TEXTS, [None] * len(TEXTS), BOOK)
    assert list(cold.codebook_owner_) == [0] * 4 + [1] * 3  # name, then each sentence
    labels = [frozenset({"BUS"}), frozenset({"HOME"})] + [None] * (len(TEXTS) - 2)
    coded = CodingModel(engine="semantic").fit(TEXTS, labels, BOOK)
    assert list(coded.codebook_owner_) == [0, 1]  # as ``describe`` says: whole
    fast = CodingModel(engine="fast").fit(TEXTS, [None] * len(TEXTS), BOOK)
    assert list(fast.codebook_owner_) == [0, 1]  # "auto": the fast engine as before


def test_themes_within_the_margin_are_coded_too_with_the_closest_ones_confidence():
    nothing = [None] * len(TEXTS)
    default = CodingModel(engine="semantic").fit(TEXTS, nothing, BOOK)
    assert default._cold_margin() == COLD_MARGIN
    alone = CodingModel(engine="semantic", cold_margin=0).fit(TEXTS, nothing, BOOK)
    wide = CodingModel(engine="semantic", cold_margin=1.0).fit(TEXTS, nothing, BOOK)
    fits = ~wide.misfit_
    assert all(len(alone.coded_[i]) == 1 for i in np.flatnonzero(fits))
    assert all(wide.coded_[i] == {"BUS", "HOME"} for i in np.flatnonzero(fits))
    # the confidence stays the closest theme's share, so the unsure rows are the same
    assert np.array_equal(wide.confidence_, alone.confidence_)
    assert wide.predict(["bus routes"]) == [frozenset({"BUS", "HOME"})]
    similarity = default._codebook_similarity(default.vectors_)
    gap = similarity.max(axis=1, keepdims=True) - similarity
    expected = (gap <= COLD_MARGIN + 1e-9) & fits[:, None]
    coded = np.array([[t in row for t in BOOK.ids] for row in default.coded_])
    assert np.array_equal(coded, expected)


def test_the_fast_engine_has_its_own_margin_and_leaves_a_flat_row_alone():
    nothing = [None] * len(TEXTS)
    fast = CodingModel(engine="fast").fit(TEXTS, nothing, BOOK)
    assert fast._cold_margin() == COLD_MARGIN_FAST
    alone = CodingModel(engine="fast", cold_margin=0).fit(TEXTS, nothing, BOOK)
    wide = CodingModel(engine="fast", cold_margin=1.0).fit(TEXTS, nothing, BOOK)
    proba = wide.predict_proba(TEXTS)
    flat = np.isclose(proba.max(axis=1), proba.min(axis=1))  # no word shared with the codebook
    assert list(np.flatnonzero(flat)) == [5, 11]  # the choir rehearsal
    assert all(len(c) == 1 for c in alone.coded_)
    assert all(wide.coded_[i] == alone.coded_[i] for i in np.flatnonzero(flat))
    assert all(wide.coded_[i] == {"BUS", "HOME"} for i in np.flatnonzero(~flat))
    assert np.array_equal(wide.confidence_, alone.confidence_)
    assert wide.predict(["the choir rehearsal"]) == alone.predict(["the choir rehearsal"])


def test_the_misfit_rule_can_read_each_codebook_row():
    nothing = [None] * len(TEXTS)
    model = CodingModel(engine="semantic", cold_fit="row").fit(TEXTS, nothing, BOOK)
    plain = model.features_.transform_plain
    rows = normalize(plain([t for c in BOOK.codes for t in c.rows("sentences")]))
    answers = plain(TEXTS)
    centroid = normalize(np.asarray(answers.mean(axis=0)).reshape(1, -1))
    best = dense(answers @ rows.T).max(axis=1)
    reference = best / np.asarray(answers @ centroid.T).ravel()
    assert np.allclose(model.fit_ratio_, reference)
    misfit = TEXTS.index("the choir rehearsal clashes with cricket practice")
    assert model.fit_ratio_[misfit] < COLD_FIT_RATIO and model.coded_[misfit] == frozenset()
    # with names alone, each theme is one row: the same ratio as the theme's prototype
    row = CodingModel(engine="semantic", cold_fit="row").fit(TEXTS, nothing, NAMES)
    theme = CodingModel(engine="semantic").fit(TEXTS, nothing, NAMES)
    assert np.allclose(row.fit_ratio_, theme.fit_ratio_)


@pytest.mark.parametrize("engine", ["fast", "semantic"])
def test_with_rows_coded_nothing_changes(engine):
    labels = [frozenset({"BUS"}), frozenset({"BUS"}), frozenset({"HOME"}), frozenset({"HOME"})]
    labels += [None] * (len(TEXTS) - len(labels))
    new = CodingModel(engine=engine).fit(TEXTS, labels, BOOK)
    old = CodingModel(engine=engine, **OLD).fit(TEXTS, labels, BOOK)
    assert np.array_equal(new.proba_, old.proba_) and new.coded_ == old.coded_
    assert np.array_equal(new.confidence_, old.confidence_)


def test_unknown_cold_settings_are_refused():
    for setting in ({"cold_describe": "parts"}, {"cold_fit": "best"}):
        with pytest.raises(InputError, match="unknown cold_"):
            CodingModel(engine="fast", **setting).fit(TEXTS, [None] * len(TEXTS), BOOK)
