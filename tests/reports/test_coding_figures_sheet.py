"""The coding page's Excel download has a "Figures" sheet with what the Word summary and the
page give about the model: its agreement with people (F1 and its interval), each theme's
precision and recall, its stance accuracy (or why there is none) and the learning curve,
one figure a row, so they can be sorted and charted (left27 #4)."""

from __future__ import annotations

import io

import pytest
from openpyxl import load_workbook

from consult.reports import coding_documents
from consult.reports.coding_documents import FIGURES_HEADERS, FIGURES_SHEET
from tests.reports.test_coding_over_given import _coded

pytestmark = pytest.mark.backends("sqlite", "postgresql")


def _figures(codebook, latest) -> list[dict]:
    workbook = load_workbook(io.BytesIO(coding_documents.coding_xlsx(codebook, latest)))
    assert workbook.sheetnames[:4] == ["Themes", "Coding", "Codebook", FIGURES_SHEET]
    rows = list(workbook[FIGURES_SHEET].iter_rows(values_only=True))
    assert rows[0] == FIGURES_HEADERS
    return [dict(zip(rows[0], row, strict=True)) for row in rows[1:]]


def test_the_figures_sheet_holds_the_models_figures(app):
    question, codebook, latest, keys = _coded({0: 6, 1: 6, 2: 6, 3: 6})
    themes = latest.metrics["themes"]
    figures = _figures(codebook, latest)
    by_figure: dict[str, list[dict]] = {}
    for row in figures:
        by_figure.setdefault(row["Figure"], []).append(row)
    (f1,) = by_figure["Agreement with people (F1)"]
    assert f1["Value"] == themes["sample_f1"]
    assert [f1["95% interval from"], f1["95% interval to"]] == themes["sample_f1_interval"]
    assert f1["Responses"] == themes["coded"]
    measured = {row["theme"]: row for row in themes["per_theme"]}
    precision = {row["Theme key"]: row["Value"] for row in by_figure["Precision"]}
    recall = {row["Theme key"]: row["Value"] for row in by_figure["Recall"]}
    assert precision == {key: row["precision"] for key, row in measured.items()}
    assert recall == {key: row["recall"] for key, row in measured.items()}
    names = {t.key: t.name for t in codebook.themes}
    assert all(row["Theme"] == names.get(row["Theme key"]) for row in by_figure["Precision"])
    curve = by_figure["Learning curve (F1)"]
    assert [(row["Responses"], row["Value"]) for row in curve] == [
        (point["coded"], point["sample_f1"]) for point in themes["learning_curve"]
    ]
    (stance,) = by_figure["Stance accuracy"]
    # Nobody coded stance here: no figure, and the note says why, as the page does.
    assert stance["Value"] is None and stance["Note"]


def test_before_the_model_is_applied_the_sheet_says_so(app):
    question, codebook, latest, _ = _coded({0: 6, 1: 6, 2: 6, 3: 6})
    figures = _figures(codebook, None)
    assert figures == [
        {
            **dict.fromkeys(FIGURES_HEADERS),
            "Figure": "Agreement with people (F1)",
            "Note": "The model has not been applied yet.",
        }
    ]
