"""A codebook's descriptions read sentence by sentence (``CodingModel(describe=...)``)."""

from __future__ import annotations

import numpy as np
import pytest

from analysis.codebook import Code, Codebook, description_sentences
from analysis.coding import CodingModel
from analysis.errors import InputError
from tests.analysis.test_coding import BOOK, _labels, coded_rows

NOISE = Code(
    "sensory",
    "Sensory experience",
    "Comments on noise, temperature and smell: - In relation to noise, e.g. doors banging. "
    "- In relation to temperature, whether it was too hot.\nSmells of the ward.",
    ("noise",),
    ("Too noisy at night",),
)


def test_description_sentences_keep_abbreviations_whole():
    assert description_sentences(NOISE.description) == [
        "Comments on noise, temperature and smell:",
        "In relation to noise, e.g. doors banging.",
        "In relation to temperature, whether it was too hot.",
        "Smells of the ward.",
    ]
    assert description_sentences("") == []


def test_rows_give_each_description_sentence_its_own_row():
    assert NOISE.rows() == (NOISE.text(), "Too noisy at night")
    assert NOISE.rows("sentences") == (
        "Sensory experience. noise",
        *description_sentences(NOISE.description),
        "Too noisy at night",
    )
    bare = Code("parking", "Parking", keywords=("car park",), examples=("No spaces",))
    assert bare.rows("sentences") == bare.rows() == ("Parking. car park", "No spaces")


def test_sentences_change_nothing_where_the_codebook_has_no_descriptions():
    rows = coded_rows(120, seed=5)
    texts = [r["text"] for r in rows]
    labels, _ = _labels(rows, 0.3)
    names = Codebook(tuple(Code(c.id, c.name, keywords=c.keywords) for c in BOOK.codes))
    whole = CodingModel(engine="fast").fit(texts, labels, names)
    split = CodingModel(engine="fast", describe="sentences").fit(texts, labels, names)
    assert np.array_equal(whole.proba_, split.proba_) and whole.coded_ == split.coded_
    # with descriptions, each sentence is a training row of its theme
    described = Codebook((*BOOK.codes, NOISE))
    model = CodingModel(engine="fast", describe="sentences").fit(texts, labels, described)
    assert list(model.codebook_owner_).count(3) == 1 + 4 + 1
    with pytest.raises(InputError, match="unknown describe"):
        CodingModel(engine="fast", describe="parts").fit(texts, labels, BOOK)
