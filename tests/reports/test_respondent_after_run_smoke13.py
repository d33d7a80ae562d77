"""smoke13 finding 13: a response's themes page said "No theme in run 2: nothing
substantive to theme, or answered after the run" without saying which; the run's rows tell
them apart (every answer a run read has one, a non-substantive one included)."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from analysis.fit import FIT_FLAG
from consult.extensions import db
from consult.reports.models import RunAssignment
from tests.helpers import soup
from tests.reports.review_helpers import add_answers, make_question, stored_run
from tests.staff_helpers import signed_in

pytestmark = pytest.mark.backends("sqlite", "postgresql")


def said(client, response, question) -> str:
    page = client.get(f"/staff/reports/responses/{response.id}")
    assert page.status_code == 200
    rows = soup(page).select(".govuk-summary-list__row")
    row = next(r for r in rows if question.text in r.find("dt").get_text())
    return " ".join(row.find("dd").get_text(" ").split())


def test_an_answer_after_the_run_is_told_from_one_with_nothing_to_theme(app):
    consultation, question = make_question()
    made = add_answers(consultation, question, 40)
    blank_ish = made[0]
    blank_ish.answers[0].value = "n/a"
    db.session.commit()
    run = stored_run(consultation, question, n_themes=4)
    later = add_answers(consultation, question, 1, seed=2)[0]
    client = signed_in(app, "analyst")

    after = said(client, later, question)
    assert f"Not in run {run.id}: the answer came in after the run was made." in after
    assert "Analyse the question again to include it." in after
    assert "nothing substantive" not in after

    nothing = said(client, blank_ish, question)
    assert nothing.endswith(f"No theme in run {run.id}: nothing substantive to theme."), nothing
    assert "after the run" not in nothing

    themed = said(client, made[1], question)
    assert f"Themes (run {run.id})" in themed and "after the run" not in themed


def test_an_answer_fitting_no_theme_is_flagged_on_its_page(app):
    """smoke13 finding 17: the run page counts an answer that fits no theme well, but its
    own page showed it as a plain member of its nearest theme."""
    consultation, question = make_question("fit-test")
    made = add_answers(consultation, question, 40)
    run = stored_run(consultation, question, n_themes=4)
    odd, usual = made[2], made[3]
    row = db.session.scalar(
        select(RunAssignment).where(
            RunAssignment.run_id == run.id, RunAssignment.response_id == odd.id
        )
    )
    row.flags = [*(row.flags or []), FIT_FLAG]  # as the engine stores the flag
    db.session.commit()
    client = signed_in(app, "analyst")

    flagged = said(client, odd, question)
    assert "This answer fits no theme well" in flagged
    assert "It is still counted in its nearest theme" in flagged
    page = soup(client.get(f"/staff/reports/responses/{odd.id}"))
    link = page.find(id=f"fits-no-theme-{question.id}").find("a")["href"]
    assert link == f"/staff/reports/runs/{run.id}#fits-no-theme"
    assert "fits no theme" not in said(client, usual, question)


def test_a_draft_answer_is_not_said_to_have_come_in_after_the_run(app):
    """review20: a response not yet submitted is never analysed, however often the question
    is analysed again, so its page must not say "came in after the run … Analyse the
    question again to include it"."""
    consultation, question = make_question("draft-test")
    add_answers(consultation, question, 40)
    run = stored_run(consultation, question, n_themes=4)
    draft = add_answers(consultation, question, 1, seed=3)[0]
    draft.status, draft.submitted_at = "draft", None
    db.session.commit()
    client = signed_in(app, "analyst")

    text = said(client, draft, question)
    assert f"Not in run {run.id}: this response has not been submitted" in text
    assert "only submitted answers are analysed" in text
    assert "after the run" not in text and "Analyse the question again" not in text
