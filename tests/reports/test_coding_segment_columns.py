"""rev32a: the per-response coding (CSV, and the workbook's Coding sheet) puts each segment's
value under that segment's header. The headers list the segments stored on the visible
themes in the page's order; the rows took them from the themes in another order, so where
segments were stored on some themes only (and not chosen in the run's settings) a value
could sit under another segment's header."""

from __future__ import annotations

import csv
import io

import pytest
from openpyxl import load_workbook

from consult.extensions import db
from consult.reports import documents
from consult.reports.models import AnalysisRun
from tests.helpers import make_consultation
from tests.reports.stored_runs import AREAS, PARTNERS, store_synthetic_run

pytestmark = pytest.mark.backends("sqlite", "postgresql")


def test_each_segment_value_is_under_its_own_header(app):
    consultation = make_consultation()
    question = next(q for q in consultation.questions if q.is_text)
    run = store_synthetic_run(consultation, question, responses=60, themes=5)
    run.settings = {**run.settings, "segments": []}  # none chosen: the stored ones, in order
    by_id = sorted(run.themes, key=lambda theme: theme.id)
    by_id[0].size = 0  # the first stored theme is listed last
    largest = run.visible_themes[0]
    assert largest is not by_id[0]
    for theme in by_id:  # the largest has the area only; the others both, partner type first
        stored = theme.segments
        theme.segments = {"partner_type": stored["partner_type"], "area": stored["area"]}
    largest.segments = {"area": largest.segments["area"]}
    db.session.commit()
    db.session.expire_all()
    run = db.session.get(AnalysisRun, run.id)
    label = documents.segment_value_label
    expected = {
        "area": {label("area", value) for value in AREAS},
        "partner_type": {label("partner_type", value) for value in PARTNERS},
    }
    assert expected["area"].isdisjoint(expected["partner_type"])
    rows = list(csv.reader(io.StringIO(documents.run_coding_csv(run).decode("utf-8-sig"))))
    book = load_workbook(io.BytesIO(documents.run_xlsx(run)), read_only=True)
    sheet = list(book["Coding"].iter_rows(values_only=True))
    for header, body in ((rows[0], rows[1:]), (list(sheet[0]), sheet[1:])):
        assert header.index("area") < header.index("partner_type")  # the page's order
        for name, values in expected.items():
            assert {row[header.index(name)] for row in body} <= values, name
