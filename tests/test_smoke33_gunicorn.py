"""Smoke walk 33's findings read through a real gunicorn process (the setup of
tests/test_gunicorn.py), as a policy officer reads a theme report and its downloads.

Found in the walk (the demo, Q10 "Why do you say that?" about the required Q9, fast engine):
every stance cell ended "unclear 0" ("Mostly for: for 98, against 20, neither 22, unclear 0"),
on the page, the theme page, the Word report and a column of zeros in the workbook, though a
required agreement answer leaves nothing unclear (the agreement scale's five points are for,
against or neither; only a missing answer lets the words decide). And the coding page's
"0.50 (1 of 2)" was worked back from the rounded precision, not from the counts."""

from __future__ import annotations

import io

import pytest
from docx import Document
from openpyxl import load_workbook
from sqlalchemy import delete, select

from analysis.agreement import per_theme
from consult.extensions import db
from consult.models import Answer, Consultation, Question
from consult.reports.coding import precision_recall_text
from consult.reports.coding_models import Codebook
from consult.reports.models import AnalysisRun, RunAssignment
from tests.reports.stored_runs import store_synthetic_run
from tests.reports.test_coding_pages import _measured, applied_coding
from tests.test_gunicorn import served, signed_in_browser  # noqa: F401 - the served fixture
from tests.test_smoke30_gunicorn import codebook_from_stored_run

pytestmark = pytest.mark.backends("sqlite", "postgresql")
SERVED_WITH_WORKER = False  # no job is queued: the run and the coding are stored

EVERY_ONE = "Every respondent had to answer it, so no stance is unclear."
BASE_OF_STANCE = "Where that answer is missing, the words decide"


def words(text: str) -> str:
    return " ".join(text.split())


def _stored_run(served, required: bool, unclear: int = 0) -> tuple[int, int]:  # noqa: F811
    """A stored run of the served "why" question whose stance counts hold ``unclear``
    unclear answers in its first theme (none in the others), its agreement question
    ``required`` or not; (run id, consultation id)."""
    _, consultation_id, question_id, _, _, app = served
    with app.app_context():
        question = db.session.get(Question, question_id)
        question.explains.required = required
        run = store_synthetic_run(db.session.get(Consultation, consultation_id), question)
        for index, theme in enumerate(run.themes):
            stance = dict(theme.stance)
            stance["for"] = stance.get("for", 0) + stance.pop("unclear", 0)
            theme.stance = {**stance, "unclear": unclear if index == 0 else 0}
        db.session.commit()
        run_id = run.id
        db.session.remove()
    return run_id, consultation_id


def _read_everywhere(served, run_id: int, consultation_id: int) -> dict[str, str]:  # noqa: F811
    """The run's stance as the page, the overview, the Word report and the workbook give it
    (the theme page gives no stance counts)."""
    base, _, _, email, _, _ = served
    staff = signed_in_browser(base, email)
    page = staff.request(f"/staff/reports/runs/{run_id}")
    assert page.status == 200
    overview = staff.request(f"/staff/reports/consultations/{consultation_id}")
    assert overview.status == 200
    word = staff.request(f"/staff/reports/runs/{run_id}/report.docx")
    assert word.status == 200
    document = Document(io.BytesIO(word.body))
    book = staff.request(f"/staff/reports/runs/{run_id}/report.xlsx")
    assert book.status == 200
    sheet = list(load_workbook(io.BytesIO(book.body), read_only=True)["Themes"].values)
    return {
        "page": words(page.soup().find("main").get_text(" ")),
        "overview": words(overview.soup().find("main").get_text(" ")),
        "word": words(
            " ".join(
                [p.text for p in document.paragraphs]
                + [c.text for t in document.tables for r in t.rows for c in r.cells]
            )
        ),
        "headers": " | ".join(str(h) for h in sheet[0]),
    }


def test_a_required_agreement_answer_leaves_out_unclear_0(served):  # noqa: F811
    run_id, consultation_id = _stored_run(served, required=True)
    read = _read_everywhere(served, run_id, consultation_id)
    for where in ("page", "overview", "word"):
        assert "unclear 0" not in read[where], where
        assert "against" in read[where], where  # the other stance counts are still there
    for where in ("page", "word"):
        assert EVERY_ONE in read[where], where
        assert BASE_OF_STANCE not in read[where], where
    assert "Stance of answers mentioning it: neither" in read["headers"]
    assert "Stance of answers mentioning it: unclear" not in read["headers"]


def test_an_optional_agreement_answer_keeps_unclear_0(served):  # noqa: F811
    """Where the agreement answer may be missing, the words decide and a stance can be
    unclear: "unclear 0" is then a count, kept, and the basis says where it comes from."""
    run_id, consultation_id = _stored_run(served, required=False)
    read = _read_everywhere(served, run_id, consultation_id)
    for where in ("page", "word"):
        assert "unclear 0" in read[where], where
    assert BASE_OF_STANCE in read["page"] and EVERY_ONE not in read["page"]
    assert "Stance of answers mentioning it: unclear" in read["headers"]


def test_an_unclear_count_on_a_required_question_is_kept(served):  # noqa: F811
    """An unclear answer counted although the question is required now (an answer stored
    before it was made required) keeps the honest counts, zeros too."""
    run_id, consultation_id = _stored_run(served, required=True, unclear=2)
    read = _read_everywhere(served, run_id, consultation_id)
    assert "unclear 2" in read["page"] and "unclear 0" in read["page"]
    assert "unclear 0" in read["word"]
    assert EVERY_ONE not in read["page"]
    assert "Stance of answers mentioning it: unclear" in read["headers"]


def test_a_question_made_required_after_some_left_it_blank_keeps_unclear_0(served):  # noqa: F811
    """rev33b: the agreement question is required now, but a response the run coded left it
    blank (made required after responses came in): its stance came from the words, so
    "unclear 0" is a count and the basis says the words decide, not "had to answer it"."""
    run_id, consultation_id = _stored_run(served, required=True)
    app = served[-1]
    with app.app_context():
        run = db.session.get(AnalysisRun, run_id)
        first = db.session.scalar(
            select(RunAssignment.response_id).where(RunAssignment.run_id == run_id).limit(1)
        )
        db.session.execute(
            delete(Answer).where(
                Answer.response_id == first, Answer.question_id == run.stance_question_id
            )
        )
        db.session.commit()
        db.session.remove()
    read = _read_everywhere(served, run_id, consultation_id)
    for where in ("page", "word"):
        assert "unclear 0" in read[where], where
        assert BASE_OF_STANCE in read[where] and EVERY_ONE not in read[where], where
    assert "Stance of answers mentioning it: unclear" in read["headers"]


def test_precision_and_recall_carry_their_counts(served):  # noqa: F811
    """The counts beside each theme's precision and recall are those the metrics counted
    (``true_positive`` of ``predicted``, of ``support``), on the page, in Word and in the
    workbook's Figures sheet; metrics stored without them work them back where that is exact
    (rev33b: a base under 10,000, the figure stored to 4 places), else the bare figure."""
    assert precision_recall_text({"precision": 0.6667, "predicted": 12_000}, "precision") == "0.67"
    assert (
        precision_recall_text({"recall": 0.3333, "support": 9_999}, "recall")
        == "0.33 (3333 of 9999)"
    )
    rows = per_theme(
        [{"A"}, {"A"}, {"B"}, set()], [{"A"}, {"A", "B"}, set(), {"A"}], ["A", "B", "C"]
    )
    assert [(r["true_positive"], r["predicted"], r["support"]) for r in rows] == [
        (2, 3, 2),
        (0, 1, 1),
        (0, 0, 0),
    ]
    app = served[-1]
    staff, coding_path, _, question_id, _ = codebook_from_stored_run(served)
    with app.app_context():
        book = db.session.scalar(select(Codebook).where(Codebook.question_id == question_id))
        first, second = book.themes[0].key, book.themes[1].key
        metrics = _measured(12, 3, 2, True)
        metrics["themes"]["per_theme"] = [
            # 2 of 3: the figure is 0.6667, stored rounded; the counts are carried
            {"theme": first, "support": 2, "predicted": 3, "true_positive": 2}
            | {"precision": 0.6667, "recall": 1.0},
            # stored before the counts were kept: worked back, exact under 10,000 (rev33b)
            {"theme": second, "support": 1, "predicted": 2, "precision": 0.5, "recall": 1.0},
        ]
        applied_coding(book, [], metrics=metrics, human_count=12)
        db.session.remove()
    page = staff.request(coding_path)
    assert page.status == 200
    cells = {
        row.find("th").get_text(" ", strip=True).split(":")[0]: [
            words(cell.get_text()) for cell in row.find_all("td")
        ]
        for row in page.soup().select("tbody tr")
        if row.find("th")
    }
    assert cells[first][-2:] == ["0.67 (2 of 3)", "1.00 (2 of 2)"], cells[first]
    assert cells[second][-2:] == ["0.50 (1 of 2)", "1.00 (1 of 1)"], cells[second]
    word = staff.request(f"{coding_path}/download.docx")
    assert word.status == 200
    table = Document(io.BytesIO(word.body)).tables[0]
    said = {row.cells[0].text: [c.text for c in row.cells] for row in table.rows[1:]}
    assert said[first][-2:] == ["0.67 (2 of 3)", "1.00 (2 of 2)"], said[first]
    workbook = staff.request(f"{coding_path}/download.xlsx")
    assert workbook.status == 200
    figures = list(load_workbook(io.BytesIO(workbook.body))["Figures"].values)  # empty cells too
    head = list(figures[0])
    precision = next(r for r in figures if r[0] == "Precision" and r[1] == first)
    assert precision[head.index("Responses")] == 3
    assert precision[head.index("Note")] == "2 of the 3 responses the model put in this theme"
    recall = next(r for r in figures if r[0] == "Recall" and r[1] == first)
    assert recall[head.index("Note")] == "2 of the 2 responses people coded with it"
    before = next(r for r in figures if r[0] == "Precision" and r[1] == second)
    assert before[head.index("Responses")] == 2
    assert before[head.index("Note")] == "1 of the 2 responses the model put in this theme"
