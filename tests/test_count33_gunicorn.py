"""count33: a label's point made from one side is counted across themes without the answers on
the other side (demo Q2's "Multi-year funding …": 13 answers against the settlement, making a
point no heading says, were counted for it), and the run page and Word report served by a real
gunicorn process say the count so read (:func:`analysis.spread_points.point_side`). The reading
is ``analysis.stages.SPREAD_SIDES`` (off in count33, whose rule failed on a fresh demo draw;
on since count34's); a run stored with it on shows its counts as here."""

from __future__ import annotations

import io

import numpy as np
import pytest
from docx import Document
from sqlalchemy import select

from analysis.spread_points import across_sentence, points_across_themes, spread
from consult.extensions import db
from consult.models import Consultation, Question
from consult.reports.models import AnalysisRun, RunTheme
from tests.reports.stored_runs import store_synthetic_run
from tests.test_gunicorn import served, signed_in_browser  # noqa: F401 - the served fixture

pytestmark = pytest.mark.backends("sqlite", "postgresql")
SERVED_WITH_WORKER = False  # a stored run: no job is queued


def words(text: str) -> str:
    return " ".join(text.split())


def _one_sided_point(keys: list[str], labels: list[str]) -> tuple[dict, dict]:
    """40 rows making the first label's point over three main themes: 28 for, 4 mixed, 8
    against. The point read with the rows' stances, and without."""
    makes = np.array([[True]] * 5)
    row_rep = [0, 0, 1, 1, 2, 2, 3, 3, 4, 4] * 4
    row_theme = [0, 1, 2, 0, 1, 2, 0, 1, 2, 0] * 4
    stances = (["for"] * 7 + ["mixed", "against", "against"]) * 4
    read = points_across_themes(spread(makes, row_rep, row_theme, [3], stances), keys, labels)
    before = points_across_themes(spread(makes, row_rep, row_theme, [3]), keys, labels)
    return read[0], before[0]


def test_the_page_and_word_give_a_one_sided_points_count_without_the_other_side(served):  # noqa: F811
    base, consultation_id, question_id, email, _, app = served
    with app.app_context():
        consultation = db.session.get(Consultation, consultation_id)
        run = store_synthetic_run(consultation, db.session.get(Question, question_id))
        themes = db.session.scalars(
            select(RunTheme).where(RunTheme.run_id == run.id).order_by(RunTheme.position)
        ).all()
        point, before = _one_sided_point([t.key for t in themes], [t.label for t in themes])
        assert (point["answers"], before["answers"]) == (32, 40)  # the 8 against left out
        run = db.session.get(AnalysisRun, run.id)
        run.summary = {**(run.summary or {}), "points_across_themes": [point]}
        db.session.commit()
        run_id = run.id
        db.session.remove()
    staff = signed_in_browser(base, email)
    page = staff.request(f"/staff/reports/runs/{run_id}")
    assert page.status == 200
    section = page.soup().find(id="points-across")
    assert section is not None
    items = [words(li.get_text()) for li in section.find_all("li")]
    assert items == [across_sentence(point)]
    assert "about 32 answers across 3 themes" in items[0]
    assert "about 40 answers" not in words(section.get_text())
    word = staff.request(f"/staff/reports/runs/{run_id}/report.docx")
    assert word.status == 200
    paragraphs = [words(p.text) for p in Document(io.BytesIO(word.body)).paragraphs]
    assert across_sentence(point) in paragraphs
