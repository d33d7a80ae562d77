"""smoke10 finding 18: "Name of your transport lead (optional) (optional)". The builder
takes a trailing "(optional)" off a question's text (and says so), and the partner's pages
add their own only once, whatever the stored text says."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from consult.extensions import db
from consult.models import Question, without_optional_mark
from tests.helpers import make_consultation, soup
from tests.staff_helpers import post, signed_in
from tests.test_journey import BASE, start_open

LEAD = "Name of your transport lead"


@pytest.mark.parametrize(
    ("typed", "kept"),
    [
        (f"{LEAD} (optional)", LEAD),
        (f"{LEAD}(Optional)  ", LEAD),
        (f"{LEAD} [optional]", LEAD),
        (f"{LEAD} (optional) (optional)", LEAD),
        (f"{LEAD} ( OPTIONAL )", LEAD),
        (f"{LEAD} (optional if you have none)", f"{LEAD} (optional if you have none)"),
        (f"Optional extras (optional) for {LEAD}", f"Optional extras (optional) for {LEAD}"),
        ("(optional)", ""),
        (LEAD, LEAD),
    ],
)
def test_a_trailing_optional_mark_is_taken_off(typed, kept):
    assert without_optional_mark(typed) == kept


def test_the_builder_takes_optional_off_and_says_so(app):
    consultation = make_consultation()
    section = consultation.sections[1]
    client = signed_in(app, "editor")
    base = f"/staff/consultations/{consultation.id}"
    added = post(
        client,
        f"/staff/sections/{section.id}/questions/new",
        {"kind": "short_text", "text": f"{LEAD} (optional)"},
        follow_redirects=True,
    )
    said = " ".join(soup(added).get_text().split())
    assert "Question added. We took ‘(optional)’ off the end of its text" in said
    question = db.session.scalar(select(Question).where(Question.text.startswith("Name of")))
    assert question.text == LEAD

    edited = post(
        client,
        f"/staff/questions/{question.id}/edit",
        {"kind": "short_text", "text": f"{LEAD} (Optional)"},
        follow_redirects=True,
    )
    assert "We took ‘(optional)’ off" in soup(edited).get_text()
    db.session.expire_all()
    assert db.session.get(Question, question.id).text == LEAD
    plain = post(
        client,
        f"/staff/questions/{question.id}/edit",
        {"kind": "short_text", "text": f"{LEAD}, if any"},
        follow_redirects=True,
    )
    assert "(optional)" not in soup(plain).find(class_="govuk-notification-banner").get_text()

    only = post(
        client,
        f"/staff/sections/{section.id}/questions/new",
        {"kind": "short_text", "text": "(optional)"},
    )
    assert only.status_code == 200
    assert "Enter the question, not only ‘(optional)’" in soup(only).get_text()
    preview = " ".join(soup(client.get(f"{base}/preview/2")).get_text().split())
    assert f"{LEAD}, if any (optional)" in preview


def test_partner_pages_say_optional_once_whatever_the_stored_text(client, app):
    """A definition imported, or text saved before the builder took the mark off."""
    consultation = make_consultation()
    idea = consultation.sections[1].questions[1]  # not required
    idea.text = f"{LEAD} (optional)"
    top = consultation.sections[1].questions[0]  # required: no "(optional)" at all
    top.text = "Top priority (optional)"
    db.session.commit()
    start_open(client)
    page = " ".join(soup(client.get(f"{BASE}/section/2")).get_text().split())
    assert f"{LEAD} (optional)" in page
    assert "(optional) (optional)" not in page
    assert "Top priority (optional)" not in page and "Top priority" in page
