"""Smoke walk 30's report and coding findings read through a real gunicorn process with a job
worker (the setup of tests/test_gunicorn.py), as a policy officer and an analyst read them.

Found in the walk (the demo, fast engine): Q3's and Q8's largest themes are flagged mixed and
listed after the themes making one point, so the overview's top five left them out while its
note said they are "listed after" (Q3's T01, mentioned by 46% of the answers, was in no row);
the run page's table was still captioned "Themes, largest first" with its largest theme last;
and the coding page's stance from the respondents' own answers to Q1 (For 104, Against 79,
Neither 11) silently left out the 20 answers the model was unsure of (Q1 says 20 neither)."""

from __future__ import annotations

import re

import pytest
from sqlalchemy import select

from consult.extensions import db
from consult.models import Consultation, Question
from consult.reports.models import RunTheme
from tests.reports.review_helpers import stored_run
from tests.test_gunicorn import Browser, served, signed_in_browser  # noqa: F401 - the served fixture

pytestmark = pytest.mark.backends("sqlite", "postgresql")


def words(element) -> str:
    return " ".join(element.get_text(" ").split())


def _mixed_run(app, consultation_id: int, question_id: int) -> tuple[int, str, str]:
    """A stored fast run of the question with seven themes whose most mentioned one is flagged
    mixed (most of its answers make several points; the rest's make one): (run id, its key,
    its label)."""
    with app.app_context():
        consultation = db.session.get(Consultation, consultation_id)
        run = stored_run(consultation, db.session.get(Question, question_id), n_themes=7)
        themes = list(
            db.session.scalars(
                select(RunTheme).where(RunTheme.run_id == run.id, RunTheme.hidden.is_(False))
            )
        )
        assert len(themes) > 5, [t.key for t in themes]
        biggest = max(themes, key=lambda t: (t.mentions, t.size))
        for theme in themes:
            theme.multi_point = 0.9 if theme is biggest else 0.1
            theme.label_point = None
        db.session.commit()
        found = run.id, biggest.key, biggest.label
        db.session.remove()
        return found


def test_a_mixed_theme_left_out_of_the_overview_is_named(served):  # noqa: F811
    """smoke30 #1, #2: the overview names the mixed theme its top five leave out, with how
    many answers mention it; the run page's caption says mixed themes come last."""
    base, consultation_id, question_id, email, _, app = served
    run_id, key, label = _mixed_run(app, consultation_id, question_id)
    staff = signed_in_browser(base, email)

    overview = staff.request(f"/staff/reports/consultations/{consultation_id}")
    assert overview.status == 200
    page = overview.soup()
    section = page.find(id=f"question-{question_id}").find_parent("section")
    shown = [words(row.th).split(":")[0] for row in section.find("tbody").find_all("tr")]
    assert len(shown) == 5 and key not in shown, shown
    note = words(section.find(id=f"order-note-{question_id}"))
    assert "listed after the themes that make one point" in note
    left = re.search(
        rf"Left out of these top 5 because it is flagged mixed: {key} ‘(.+)’, mentioned by "
        r"(\d+) of the (\d+) answers \((\d+)%\)\.$",
        note,
    )
    assert left is not None, note
    assert left[1] == label
    count, of, share = int(left[2]), int(left[3]), int(left[4])
    assert share == round(100 * count / of)
    # more answers mention it than the least mentioned theme shown (the table's "All")
    alls = [words(row.find_all("td")[1]) for row in section.find("tbody").find_all("tr")]
    assert all(int(cell.rstrip("%")) <= share for cell in alls), (alls, share)

    report = staff.request(f"/staff/reports/runs/{run_id}").soup()
    table = report.find(id="themes").find_next("table")
    assert words(table.caption) == "Themes, largest first (themes flagged mixed last)"
    rows = [words(row.th).split(":")[0] for row in table.tbody.find_all("tr")]
    assert key in rows and rows.index(key) > 0  # its size would have put it first
