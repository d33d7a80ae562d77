"""A question worded for organisations reads as staff worded it for individuals to a partner
answering as one (smoke16, finding 13: "Which economic pressures affect your organisation
most?" under "Answering as Individual", and a confirmation promising "Partners who
responded" a briefing). One question, one answer: the wording for individuals is how the
same question reads, never a question of its own, so nothing an individual or an
organisation stored is lost or hidden; the section page, its errors, check your answers,
the confirmation, the copies and staff's response page all say it as it was asked."""

from __future__ import annotations

import json

import pytest
from sqlalchemy import select

from consult.definitions import export_definition, import_definition
from consult.extensions import db
from consult.models import Consultation, Question, QuestionRevision, Response
from tests.helpers import (
    ORGANISATION_ANSWERS,
    make_consultation,
    post_form,
    redrawn,
    section_one,
    section_two,
    soup,
)
from tests.smtp_stub import SmtpStub
from tests.staff_helpers import post, signed_in
from tests.test_journey import BASE, start_open

pytestmark = pytest.mark.backends("sqlite", "postgresql")

INDIVIDUAL = {
    **ORGANISATION_ANSWERS,
    "organisation_name": "",
    "partner_type": "individual",
    "answering_as": "individual",
}
MODES = ("Which modes does your organisation use?", "Which modes do you use?")
PRIORITY = ("Top priority for your organisation", "Top priority for you")
NEXT = (
    "We will read every response.\n\nPartners who responded will be invited to a briefing.",
    "We will read every response and publish a summary.",
)


def _words(node) -> str:
    return " ".join(node.get_text(" ").split())


def worded_consultation() -> Consultation:
    """The test consultation with two questions worded for organisations, each with its
    wording for individuals, and "What happens next" for each."""
    consultation = make_consultation()
    questions = {q.text: q for q in consultation.questions}
    for old, (text, for_individuals) in (
        ("Which modes do you use?", MODES),
        ("Top priority", PRIORITY),
    ):
        questions[old].text = text
        questions[old].text_individuals = for_individuals
    consultation.what_happens_next, consultation.what_happens_next_individuals = NEXT
    db.session.commit()
    return consultation


def _keys(page) -> list[str]:
    return [_words(k) for k in soup(page).find_all(class_="govuk-summary-list__key")]


def _send(client, consultation, about: dict) -> None:
    assert post_form(client, f"{BASE}/organisation", about).status_code == 302
    assert post_form(client, f"{BASE}/section/1", section_one(consultation)).status_code == 302
    assert post_form(client, f"{BASE}/section/2", section_two(consultation)).status_code == 302
    sent = post_form(client, f"{BASE}/check", {}, action=None, page=client.get(f"{BASE}/check"))
    assert sent.status_code == 302 and "/confirmation" in sent.headers["Location"]


def test_an_individual_reads_the_wording_for_individuals_throughout(app, client):
    consultation = worded_consultation()
    start_open(client)
    with SmtpStub() as stub:
        stub.configure(app)
        me = {**INDIVIDUAL, "respondent_email": "sam@example.org"}
        assert post_form(client, f"{BASE}/organisation", me).status_code == 302
        page = soup(client.get(f"{BASE}/section/1"))
        legends = [_words(legend) for legend in page.find_all("legend")]
        assert f"{MODES[1]} (optional)" in legends
        assert "organisation" not in _words(page.find("form"))
        # A required question left empty: its error quotes the question as they read it.
        missing = section_two(consultation)
        missing.pop(next(name for name in missing if name.startswith("q")))
        shown = soup(redrawn(client, post_form(client, f"{BASE}/section/2", missing)))
        summary = _words(shown.find(class_="govuk-error-summary"))
        assert f"Select an answer to ‘{PRIORITY[1]}’" in summary and PRIORITY[0] not in summary
        _send(client, consultation, me)
    keys = _keys(client.get(f"{BASE}/confirmation"))
    assert MODES[1] in keys and PRIORITY[1] in keys
    assert not [key for key in keys if "organisation" in key]
    confirmation = soup(client.get(f"{BASE}/confirmation"))
    said = _words(confirmation.find(id="what-happens-next"))
    assert said == NEXT[1] and "briefing" not in said
    copy = client.get(f"{BASE}/your-response.txt").get_data(as_text=True)
    assert f"{MODES[1]}\nBus\nTram\n" in copy and f"{PRIORITY[1]}\nReliability\n" in copy
    assert "your organisation" not in copy
    (message,) = stub.mailbox.messages
    body = message.get_content()
    assert NEXT[1] in body and "briefing" not in body and MODES[1] in body

    # Staff read it as it was asked, and the JSON export says how individuals read it.
    response = db.session.scalar(select(Response).where(Response.status == "submitted"))
    staff = signed_in(app, "admin")
    detail = staff.get(f"/staff/responses/{response.id}")
    # numbered there as the exports number them (smoke34b)
    assert f"Q3: {MODES[1]}" in _keys(detail) and f"Q4: {PRIORITY[1]}" in _keys(detail)
    exported = staff.get(f"/staff/consultations/{consultation.id}/export.json?status=submitted")
    metadata = json.loads(exported.get_data(as_text=True))["metadata"]
    assert metadata["worded_for_individuals"] == {
        f"Q3: {MODES[0]}": MODES[1],
        f"Q4: {PRIORITY[0]}": PRIORITY[1],
    }


def test_an_organisation_reads_the_organisation_wording(app, client):
    consultation = worded_consultation()
    start_open(client)
    _send(client, consultation, {**ORGANISATION_ANSWERS, "answering_as": "organisation"})
    keys = _keys(client.get(f"{BASE}/confirmation"))
    assert MODES[0] in keys and PRIORITY[0] in keys and MODES[1] not in keys
    confirmation = soup(client.get(f"{BASE}/confirmation"))
    assert "briefing" in _words(confirmation.find(id="what-happens-next"))


def test_answers_given_for_an_organisation_stay_when_the_partner_answers_as_an_individual(
    app, client
):
    """Nothing is skipped or hidden: an answer stored before the partner chose "As an
    individual" is still theirs, under the question as they now read it, and staff see it."""
    consultation = worded_consultation()
    start_open(client)
    organisation = {**ORGANISATION_ANSWERS, "answering_as": "organisation"}
    assert post_form(client, f"{BASE}/organisation", organisation).status_code == 302
    assert post_form(client, f"{BASE}/section/1", section_one(consultation)).status_code == 302
    assert post_form(client, f"{BASE}/organisation", INDIVIDUAL).status_code == 302
    rows = {
        _words(row.find("dt")): _words(row.find("dd"))
        for row in soup(client.get(f"{BASE}/check")).find_all(class_="govuk-summary-list__row")
    }
    assert rows[MODES[1]] == "Bus Tram" and MODES[0] not in rows
    staff = signed_in(app, "admin")
    response = db.session.scalar(select(Response))
    detail = soup(staff.get(f"/staff/responses/{response.id}"))
    assert "Tram" in _words(detail)


def test_staff_give_a_question_wording_for_individuals_and_it_is_kept(app):
    """The builder's one optional field; its changes after responses arrive are kept in the
    question's history as the question's own are; the consultation page shows it; and
    "What happens next" has its own for individuals."""
    consultation = worded_consultation()
    client = signed_in(app, "editor")
    section = consultation.sections[1]
    added = post(
        client,
        f"/staff/sections/{section.id}/questions/new",
        {
            "kind": "long_text",
            "text": "How does your organisation travel?",
            "text_individuals": "How do you travel? (optional)",
        },
    )
    assert added.status_code == 302
    question = db.session.scalar(select(Question).where(Question.text.like("How does%")))
    assert question.text_individuals == "How do you travel?"  # "(optional)" is added for them
    page = soup(client.get(f"/staff/consultations/{consultation.id}"))
    assert _words(page.find(id=f"for-individuals-{question.id}")) == (
        "Individuals read: ‘How do you travel?’"
    )
    db.session.add(Response(consultation=consultation, reference="WM-IND"))
    db.session.commit()
    edited = post(
        client,
        f"/staff/questions/{question.id}/edit",
        {"kind": "long_text", "text": question.text, "text_individuals": "How do you get about?"},
    )
    assert edited.status_code == 302
    db.session.expire_all()
    revision = db.session.scalar(select(QuestionRevision))
    assert (revision.field, revision.old_value, revision.new_value) == (
        "text_individuals",
        "How do you travel?",
        "How do you get about?",
    )
    # The wording history says which wording changed in words, not the field's name.
    history = soup(client.get(f"/staff/questions/{question.id}/edit")).find("table")
    cells = [_words(td) for td in history.find("tbody").find_all("td")]
    assert cells[2:] == ["Question for individuals", "How do you travel?", "How do you get about?"]
    assert "text_individuals" not in history.get_text()
    form = soup(client.get(f"/staff/consultations/{consultation.id}/edit"))
    assert form.find(id="what_happens_next_individuals").get_text() == NEXT[1]


def test_a_definition_carries_the_wording_for_individuals(app):
    consultation = worded_consultation()
    definition = export_definition(consultation)
    copy = import_definition(json.dumps(definition), slug="worded-copy")
    db.session.commit()
    assert copy.what_happens_next_individuals == NEXT[1]
    assert {q.text: q.text_individuals for q in copy.questions}[MODES[0]] == MODES[1]
    # A definition written before the field existed still imports: everyone reads ``text``.
    for section in definition["sections"]:
        for entry in section["questions"]:
            entry.pop("text_individuals")
    older = import_definition(json.dumps(definition), slug="older-copy")
    assert all(q.text_individuals == "" for q in older.questions)


def test_the_demo_words_its_organisation_question_and_next_steps_for_individuals(app):
    from consult.demo import load_demo

    load_demo(responses=0)
    demo = db.session.scalar(select(Consultation))
    worded = {q.text: q.text_individuals for q in demo.questions if q.text_individuals}
    assert worded == {
        "Which economic pressures affect your organisation most?": (
            "Which economic pressures affect you most?"
        )
    }
    assert not [q.text for q in demo.questions if "organisation" in q.text and q.text not in worded]
    assert "briefing" in demo.what_happens_next
    assert "briefing" not in demo.what_happens_next_individuals


def test_wording_for_individuals_the_same_as_the_question_is_not_kept_and_said(app):
    """collect29 #3: the builder's "Question for someone answering as an individual" filled
    with the question's own words (differing only in case, spacing or "(optional)") changed
    nothing a partner reads and was kept silently: now it is left empty, and the officer is
    told why and when to word it for individuals."""
    from consult.staff.building import same_wording

    assert same_wording("Which bus do you take?", "  which BUS do you  take? (optional)")
    assert not same_wording("Which bus does your organisation take?", "Which bus do you take?")
    assert not same_wording("Anything", "")
    consultation = make_consultation()
    section = consultation.sections[1]
    client = signed_in(app, "editor")
    question_text = "Which bus does your organisation use?"
    added = post(
        client,
        f"/staff/sections/{section.id}/questions/new",
        {"kind": "short_text", "text": question_text, "text_individuals": question_text.upper()},
        follow_redirects=True,
    )
    said = " ".join(soup(added).get_text().split())
    assert "The question for individuals was the same as the question, so we left it empty" in said
    question = db.session.scalar(select(Question).where(Question.text == question_text))
    assert question.text_individuals == ""
    # Different words are kept, and nothing is said about them.
    edited = post(
        client,
        f"/staff/questions/{question.id}/edit",
        {"kind": "short_text", "text": question_text, "text_individuals": "Which bus do you use?"},
        follow_redirects=True,
    )
    assert "was the same as the question" not in soup(edited).get_text()
    db.session.expire_all()
    assert db.session.get(Question, question.id).text_individuals == "Which bus do you use?"
