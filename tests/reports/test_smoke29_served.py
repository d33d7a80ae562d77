"""smoke29's findings on a theme report whose question has no agreement answer, served by
gunicorn and read in Chromium and in the Word download:

- the page said "Stance: Not measured (no agreement answer goes with this question)" under
  every theme, and Word "Stance not measured: this question is not a follow-up to an
  agreement question, ..." in every theme's paragraph (nine times on the demo's Q3), beside
  the page's one note and Word's figures table: now said once, as the command line's report
  already did;
- a campaign's note said one count twice when the theme's main-theme and mention counts are
  the same ("4 of the 16 answers with this as main theme (4 of the 16 that mention it)"):
  now "4 of the 16 answers in this theme".
"""

from __future__ import annotations

import io

import pytest
from docx import Document

from analysis.report import campaign_counts, campaign_sentence
from consult.extensions import db
from consult.reports import documents
from tests.reports.test_honest_reports import idea_run  # noqa: F401 - fixture
from tests.reports_helpers import worker_environment
from tests.staff_helpers import PASSWORD, make_user
from tests.test_browser import axe_violations, make_driver, sign_in_staff
from tests.test_gunicorn import Browser, gunicorn_process

webdriver = pytest.importorskip("selenium.webdriver")
from selenium.webdriver.common.by import By  # noqa: E402

pytestmark = [pytest.mark.backends("sqlite", "postgresql"), pytest.mark.coding_encoder]

NOTE = "Stance not measured"


def test_stance_not_measured_is_said_once_on_the_served_page_and_in_word(
    idea_run,  # noqa: F811
    database_url,
    tmp_path,
):
    run_id, keys = idea_run.id, [t.key for t in idea_run.visible_themes]
    assert len(keys) >= 2
    email = make_user("analyst").email
    db.session.remove()
    env = worker_environment(database_url, tmp_path / "served", LOG_LEVEL="WARNING")
    with gunicorn_process(env, tmp_path / "gunicorn.log") as (base, _):
        driver = make_driver(tmp_path / "profile")
        try:
            sign_in_staff(driver, base, email, PASSWORD)
            driver.get(f"{base}/staff/reports/runs/{run_id}")
            main = driver.find_element(By.TAG_NAME, "main")
            # once, in "How to read these figures" (closed until opened: textContent)
            body = driver.execute_script("return arguments[0].textContent", main)
            assert body.count(NOTE) == 1, body
            note = driver.find_element(By.ID, "stance-not-measured")
            assert driver.execute_script("return arguments[0].textContent", note).startswith(NOTE)
            for key in keys:
                section = driver.find_element(By.ID, f"theme-{key}")
                rows = [
                    row.text
                    for row in section.find_elements(By.CSS_SELECTOR, "dt.govuk-summary-list__key")
                ]
                assert "Size" in rows and "Sentiment" in rows and "Stance" not in rows, rows
            assert "no agreement answer goes with this question" not in body
            assert axe_violations(driver) == []
        finally:
            driver.quit()
        staff = Browser(base)
        assert staff.form("/staff/sign-in", {"email": email, "password": PASSWORD}).status == 302
        reply = staff.request(f"/staff/reports/runs/{run_id}/report.docx")
        assert reply.status == 200
    document = Document(io.BytesIO(reply.body))
    paragraphs = [p.text for p in document.paragraphs]
    cells = [[c.text for c in row.cells] for t in document.tables for row in t.rows]
    said = [text for text in paragraphs if "not a follow-up to an agreement question" in text]
    assert said == []  # no theme's paragraph says it
    stance_rows = [row for row in cells if row[0] == "Stance"]
    assert stance_rows == [["Stance", "Not" + documents.STANCE_NOT_MEASURED[3:]]]
    # each theme's paragraph still gives its counts and sentiment
    for key in keys:
        heading = paragraphs.index(next(p for p in paragraphs if p.startswith(f"{key}: ")))
        size = paragraphs[heading + 1]
        if not size.startswith("Main theme of") and "Main theme of" not in size:
            size = paragraphs[heading + 2]
        assert "Main theme of" in size and "Sentiment:" in size and "Stance" not in size


def test_a_campaign_note_says_one_count_once():
    # the demo's Q3 (fast): T04 is main theme of 16 answers and mentioned by 16
    assert campaign_counts(4, 16, 4, 16) == "4 of the 16 answers in this theme"
    assert campaign_sentence(campaign_counts(4, 16, 4, 16), 1, 4).startswith(
        "4 of the 16 answers in this theme come from campaign 1. It is one text sent by 4"
    )
    # counts that differ are both said, as before
    assert campaign_counts(4, 18, 4, 20) == (
        "4 of the 18 answers with this as main theme (4 of the 20 that mention it)"
    )
    assert campaign_counts(14, 78, 14, 112).endswith("(14 of the 112 that mention it)")
    assert campaign_counts(3, 16, 4, 16) == (
        "3 of the 16 answers with this as main theme (4 of the 16 that mention it)"
    )
    assert campaign_counts(0, 16, 3, 20) == "3 of the 20 answers that mention it"


def test_the_coding_pages_warning_says_how_many_to_code_once(app, database_url, tmp_path):
    """The coding overview after the model was applied on 12 coded responses said "Code 8
    more (20 in all) before you rely on it. Its agreement can be told reliably from 20."
    (the demo's Q8, run 10): the 20 once now, read in Chromium from gunicorn."""
    from consult.reports import coding
    from tests.reports.review_helpers import add_answers, answers_of, make_question, stored_run
    from tests.reports.test_coding_pages import _measured, applied_coding

    consultation, question = make_question()
    add_answers(consultation, question, 40)
    run = stored_run(consultation, question, n_themes=4)
    email = make_user("analyst").email
    codebook = coding.codebook_from_run(run, email)
    keys = [t.key for t in codebook.themes]
    for number, response_id in enumerate(answers_of(question)["ids"][:12]):
        coding.save_code(codebook, response_id, email, [keys[number % 3]], None)
    metrics = _measured(12, 0, 0, False)  # stored as the worker leaves them
    metrics["themes"]["sample_f1"] = 0.72
    applied_coding(codebook, [], metrics=metrics, human_count=12)
    question_id, most = question.id, coding.F1_MIN_CODED
    db.session.remove()
    env = worker_environment(database_url, tmp_path / "served", LOG_LEVEL="WARNING")
    with gunicorn_process(env, tmp_path / "gunicorn.log") as (base, _):
        driver = make_driver(tmp_path / "profile")
        try:
            sign_in_staff(driver, base, email, PASSWORD)
            driver.get(f"{base}/staff/reports/questions/{question_id}/coding")
            found = driver.find_elements(By.ID, "apply-too-soon")
            assert found, driver.find_element(By.TAG_NAME, "main").text
            warning = " ".join(found[0].text.split())
        finally:
            driver.quit()
    assert "People have coded 12 responses" in warning
    assert "agreed with people at F1 0.72, tested on only 12 coded responses" in warning
    assert f"Code {most - 12} more ({most} in all) before you rely on it." in warning
    assert warning.count(str(most)) == 1, warning
    assert "told reliably" not in warning
