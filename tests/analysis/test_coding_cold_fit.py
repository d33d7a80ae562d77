"""Cold start abstains where the codebook plainly does not fit (smoke18w #4): such an answer is
coded "no theme" with a confidence under the floor, so it counts as "the model is unsure"; the
command line's ``unsure`` column follows. The rule reads MiniLM features (the semantic
engine's), where it was measured; the fast engine's word features are left to the model."""

from __future__ import annotations

import csv
import json

import numpy as np
import pytest

from analysis.cli import main
from analysis.codebook import Code, Codebook
from analysis.coding import COLD_FIT_RATIO, CodingModel
from analysis.coding_floor import CONFIDENCE_FLOOR, floor_for

pytestmark = pytest.mark.coding_encoder

BOOK = Codebook(
    (
        Code(id="BUS", name="Buses", description="bus services, bus routes and bus fares"),
        Code(id="HOME", name="Housing", description="affordable homes and housing supply"),
    )
)
FITS = [
    "the bus services are late and bus fares too high",
    "more bus routes to the villages please",
    "we need affordable homes and more housing supply",
    "affordable housing supply for young families",
]
MISFITS = ["the choir rehearsal clashes with cricket practice", "poetry readings on wednesday"]


def test_answers_the_codebook_does_not_fit_are_coded_no_theme_and_unsure():
    texts = FITS * 3 + MISFITS
    model = CodingModel(engine="semantic").fit(texts, [None] * len(texts), BOOK)
    assert model.cold_start_
    misfit = [i for i, t in enumerate(texts) if t in MISFITS]
    fitting = [i for i, t in enumerate(texts) if t in FITS]
    assert model.misfit_[misfit].all() and not model.misfit_[fitting].any()
    assert all(model.coded_[i] == frozenset() for i in misfit)
    assert all(len(model.coded_[i]) == 1 for i in fitting)
    floor = floor_for(0, len(BOOK.ids))
    assert (model.confidence_[misfit] < CONFIDENCE_FLOOR).all()
    assert (model.confidence_[fitting] >= floor).all()
    assert (model.fit_ratio_[misfit] < COLD_FIT_RATIO).all()
    # new texts are judged the same way
    new = ["choir and poetry readings on wednesday", "bus fares and bus routes"]
    assert model.predict(new) == [
        frozenset(),
        frozenset({"BUS"}),
    ]


def test_after_people_code_the_rule_is_off():
    texts = FITS * 3 + MISFITS
    labels = [frozenset({"BUS"}), None, frozenset({"HOME"})] + [None] * (len(texts) - 3)
    model = CodingModel(engine="semantic").fit(texts, labels, BOOK)
    assert not model.cold_start_ and len(model.misfit_) == 0


def test_the_code_command_marks_misfits_unsure(tmp_path):
    rows = [{"id": str(i), "text": t, "labels": ""} for i, t in enumerate(FITS * 3 + MISFITS)]
    data = tmp_path / "answers.csv"
    with data.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.DictWriter(handle, fieldnames=["id", "text", "labels"])
        writer.writeheader()
        writer.writerows(rows)
    book = tmp_path / "book.json"
    book.write_text(
        json.dumps([{"id": c.id, "name": c.name, "description": c.description} for c in BOOK.codes])
    )
    out = tmp_path / "out"
    main(
        [
            "code",
            str(data),
            "--text-column",
            "text",
            "--labels-column",
            "labels",
            "--id-column",
            "id",
            "--codebook",
            str(book),
            "--out",
            str(out),
            "--engine",
            "semantic",
            "--quiet",
        ]
    )
    with (out / "coded.csv").open(encoding="utf-8") as handle:
        coded = list(csv.DictReader(handle))
    by_text = {rows[int(r["id"])]["text"]: r for r in coded}
    for text in MISFITS:
        assert by_text[text]["unsure"] == "yes" and by_text[text]["themes"] == "-"
    metrics = json.loads((out / "metrics.json").read_text(encoding="utf-8"))
    assert metrics["misfits"] == len(MISFITS)
    assert np.mean([by_text[t]["unsure"] == "" for t in FITS]) == 1.0
