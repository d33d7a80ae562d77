"""The batch's weight against repeating one doubt (``DIVERSITY``, al31): the default is the
weight passed before it was a setting, so ``suggest`` picks as before. (al31's other leads,
``NOVELTY``, ``MARGIN``, ``KCENTER`` and ``QUOTA``, were measured, not adopted, and taken out
in tidy32.)"""

from __future__ import annotations

import random

import pytest

import analysis.suggest as module
from analysis.coding import CodingModel
from analysis.suggest import suggest
from tests.analysis.test_coding import BOOK, coded_rows


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


def test_the_default_diversity_is_the_one_passed_before(fitted):
    model, labels = fitted
    assert module.DIVERSITY == 0.3
    picks = _rows(model)
    assert picks == [p.row for p in suggest(8, model.vectors_, coding=model, diversity=0.3)]
    assert len(set(picks)) == 8 and all(labels[row] is None for row in picks)
