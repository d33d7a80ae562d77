"""collect29 #4: a partner coming back to a draft sees how far it got (GOV.UK's task list):
"You have answered 3 of 7 questions", each page's status, and where they left off; the
answers themselves are untouched by showing it."""

from __future__ import annotations

import pytest

from consult.survey.progress import DONE, NOT_STARTED, STARTED, draft_progress
from tests.helpers import (
    ORGANISATION_ANSWERS,
    field,
    hidden_fields,
    make_consultation,
    make_invitation,
    post_form,
    soup,
)
from tests.test_journey import BASE

pytestmark = pytest.mark.backends("sqlite", "postgresql")


def test_progress_counts_answered_questions_per_section(app):
    consultation = make_consultation()
    agree, why, modes = consultation.sections[0].questions
    progress = draft_progress(
        consultation,
        {agree.id: "agree", why.id: "  ", modes.id: "bus"},
        about_title="About your organisation",
        about_done=True,
        last_page="section-2",
    )
    assert [(s.title, s.status, s.hint) for s in progress.steps] == [
        ("About your organisation", DONE, ""),
        ("Buses", STARTED, "2 of 3 questions answered"),
        ("Priorities", NOT_STARTED, "0 of 2 questions answered"),
    ]
    assert (progress.answered, progress.total) == (2, 5)
    assert progress.sentence == "You have answered 2 of 5 questions."
    assert progress.left_off_title == "Priorities"
    nothing = draft_progress(consultation, {}, "About you", False, "organisation")
    assert nothing.sentence == "You have not answered any of the 5 questions yet."
    assert nothing.left_off_title == "About you" and nothing.steps[0].status == NOT_STARTED
    at_check = draft_progress(consultation, {}, "About you", True, "check")
    assert at_check.left_off_title is None
    # A section with nothing to answer is done once the partner has gone past it.
    consultation.sections[0].questions = []
    past = draft_progress(consultation, {}, "About you", True, "section-2")
    assert past.steps[1].status == DONE and past.steps[1].hint == ""
    assert draft_progress(consultation, {}, "About you", True, "section-1").steps[1].status == (
        NOT_STARTED
    )


def test_a_returning_partner_sees_progress_and_keeps_every_answer(app):
    consultation = make_consultation()
    _, token = make_invitation(consultation)
    first = app.test_client()
    first.get(f"/i/{token}")
    fresh = soup(first.get(BASE))
    assert fresh.find(id="progress") is None  # nothing saved yet: no progress to show
    first.post(BASE, data=hidden_fields(first.get(BASE)))
    post_form(
        first,
        f"{BASE}/organisation",
        {**ORGANISATION_ANSWERS, "partner_type": "business", "size_band": "small"},
    )
    why = field(consultation, "Why")
    agree = field(consultation, "Buses should")
    post_form(first, f"{BASE}/section/1", {agree: "agree", why: "Cheaper fares"}, "save")

    later = app.test_client()
    later.get(f"/i/{token}")
    page = soup(later.get(BASE))
    summary = page.find(id="progress-summary").get_text(" ", strip=True)
    assert summary == "You have answered 2 of 5 questions. You left off at ‘Buses’."
    rows = [
        " ".join(li.get_text(" ", strip=True).split())
        for li in page.find(id="progress").find_all("li")
    ]
    assert rows == [
        "About your organisation Completed",
        "Buses 2 of 3 questions answered In progress",
        "Priorities 0 of 2 questions answered Not started",
    ]
    link = page.find(id="progress").find("a", string=lambda t: t and "Buses" in t)
    assert link["href"].endswith("/section/1")
    # Following the task list's link shows the answers as saved.
    section = soup(later.get(link["href"]))
    assert section.find(id=why).get_text() == "Cheaper fares"
    assert "Continue your response" in page.get_text()


def test_a_draft_left_on_a_deleted_section_resumes_at_the_first_page_not_completed(app):
    """fixc29 #3: a draft whose last page was a section since deleted is not told it left
    off at checking its answers; the first page not completed is named instead."""
    consultation = make_consultation()
    agree, why, modes = consultation.sections[0].questions
    full = {agree.id: "agree", why.id: "Cheaper", modes.id: "bus"}
    gone = draft_progress(consultation, full, "About you", True, "section-9")
    assert gone.left_off == "section-2" and gone.left_off_title == "Priorities"
    assert [step.left_off for step in gone.steps] == [False, False, True]
    # Nothing saved yet: About you is the first page not completed.
    fresh = draft_progress(consultation, {}, "About you", False, "section-9")
    assert fresh.left_off_title == "About you"
    # Every page completed: Check your answers is true, and said so.
    priorities = consultation.sections[1].questions
    every = {**full, **{question.id: "yes" for question in priorities}}
    done = draft_progress(consultation, every, "About you", True, "section-9")
    assert done.left_off == "check" and done.left_off_title is None


def test_a_draft_left_on_a_deleted_section_is_sent_on_to_a_page_that_exists(app):
    """fixc29 #3, served: the start page names the first page not completed, and Continue
    goes there (it went to the deleted section's address, a 404)."""
    from sqlalchemy import select

    from consult.extensions import db
    from consult.models import Response

    consultation = make_consultation()
    _, token = make_invitation(consultation)
    client = app.test_client()
    client.get(f"/i/{token}")
    client.post(BASE, data=hidden_fields(client.get(BASE)))
    post_form(
        client,
        f"{BASE}/organisation",
        {**ORGANISATION_ANSWERS, "partner_type": "business", "size_band": "small"},
    )
    post_form(client, f"{BASE}/section/1", {field(consultation, "Why"): "Cheaper"}, "save")
    draft = db.session.scalar(select(Response).where(Response.consultation_id == consultation.id))
    draft.last_page = "section-9"  # a section deleted since
    db.session.commit()
    page = client.get(BASE)
    summary = soup(page).find(id="progress-summary").get_text(" ", strip=True)
    assert summary.endswith("You left off at ‘Buses’.")
    went = client.post(BASE, data=hidden_fields(page))
    assert went.status_code == 302 and went.headers["Location"].endswith(f"{BASE}/section/1")
