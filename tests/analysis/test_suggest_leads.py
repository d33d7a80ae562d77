"""al31's selection leads for many coded rows (``NOVELTY``, ``MARGIN``, ``KCENTER``,
``QUOTA``, ``DIVERSITY``): each off by default, so ``suggest`` picks as before, and each does
what its setting says when on."""

from __future__ import annotations

import random

import numpy as np
import pytest

import analysis.suggest as module
from analysis.coding import CodingModel
from analysis.coverage import coded_counts
from analysis.suggest import suggest
from tests.analysis.test_coding import BOOK, coded_rows

pytestmark = pytest.mark.coding_encoder


@pytest.fixture(scope="module")
def fitted() -> tuple[CodingModel, list]:
    """The fast engine's model on 160 rows, a seeded 70 % coded (over ``SMALL``)."""
    rows = coded_rows(count=160, seed=8)
    rng = random.Random(0)
    labels = [r["truth"] if rng.random() < 0.7 else None for r in rows]
    model = CodingModel(engine="fast").fit([r["text"] for r in rows], labels, BOOK)
    assert len(model.coded_rows_) >= module.SMALL
    return model, labels


def _rows(model: CodingModel, count: int = 8) -> list[int]:
    return [p.row for p in suggest(count, model.vectors_, coding=model)]


def test_every_lead_is_off_by_default():
    assert (module.NOVELTY, module.MARGIN, module.KCENTER, module.QUOTA) == (0, 0, False, 0)
    assert module.DIVERSITY == 0.3


def test_the_default_diversity_is_the_one_passed_before(fitted):
    model, _ = fitted
    assert _rows(model) == [p.row for p in suggest(8, model.vectors_, coding=model, diversity=0.3)]


@pytest.mark.parametrize(
    "setting", [("NOVELTY", 0.5), ("MARGIN", 0.5), ("KCENTER", True), ("QUOTA", 10)]
)
def test_each_lead_picks_uncoded_rows_once(fitted, monkeypatch, setting):
    model, labels = fitted
    monkeypatch.setattr(module, *setting)
    picks = _rows(model)
    assert len(set(picks)) == 8
    assert all(labels[row] is None for row in picks)


def test_novelty_weighs_rows_unlike_any_coded_one_up(fitted):
    model, _ = fitted
    uncoded = np.array([i for i, s in enumerate(model.source_) if s == "model"])
    vectors = module.normalize(model.vectors_)
    far = module._far(vectors, uncoded, model.coded_rows_)
    assert far.max() == pytest.approx(1.0) and far.min() >= 0
    nearest = (vectors[uncoded] @ vectors[model.coded_rows_].T).toarray().max(axis=1)
    assert np.argmax(far) == np.argmin(nearest)  # the farthest row scores 1


def test_margin_reads_the_gap_between_the_two_likeliest_themes():
    proba = np.array([[0.9, 0.1, 0.0], [0.5, 0.45, 0.1]])
    assert np.allclose(module._top_two(proba), [0.2, 0.95])


def test_kcenter_spreads_the_batch_away_from_coded_rows():
    vectors = np.array([[1.0, 0.0], [0.99, 0.14], [0.0, 1.0], [0.7, 0.7], [0.98, 0.2]])
    vectors = module.normalize(vectors)
    rows, score = np.array([1, 2, 3, 4]), np.array([0.9, 0.5, 0.4, 0.8])
    picks = module._kcenter(
        np.arange(4), score, ["r"] * 4, vectors, rows, np.array([0]), 2, (None, None)
    )
    # the best-scored first (row 1), then the one farthest from row 0 (coded) and row 1
    assert [p.row for p in picks] == [1, 2]


def test_quota_gives_rare_themes_places_naming_their_count(fitted, monkeypatch):
    model, _ = fitted
    counts = coded_counts(model)
    quota = int(np.sort(counts)[1]) + 1  # at least two themes under it
    monkeypatch.setattr(module, "QUOTA", quota)
    picks = suggest(8, model.vectors_, coding=model)
    head = [p.reason for p in picks[:2]]
    rare = [model.theme_ids_[j] for j in np.argsort(counts, kind="stable")[:2]]
    assert head == [
        f"may be an example of theme {t}, which has {counts[model.theme_ids_.index(t)]} coded"
        for t in rare
    ]


def test_novelty_says_so_in_the_reason_and_the_web_page_words_it(fitted, monkeypatch):
    from types import SimpleNamespace

    from consult.reports.coding import reason_words

    model, _ = fitted
    before = suggest(8, model.vectors_, coding=model)
    assert not any(module.NOVEL_REASON in p.reason for p in before)
    monkeypatch.setattr(module, "NOVELTY", 1.0)
    picks = suggest(8, model.vectors_, coding=model)
    novel = [p.reason for p in picks if p.reason.endswith(module.NOVEL_REASON)]
    assert novel  # the most novel doubtful rows come first at full weight
    book = SimpleNamespace(themes=[SimpleNamespace(key="T1", name="Buses")])
    assert reason_words(book, "unsure whether theme T1 applies" + module.NOVEL_REASON) == (
        "the model is unsure whether theme T1 (Buses) applies, and it is unlike any response "
        "coded when the model was last applied"
    )
