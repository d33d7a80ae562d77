"""A partner keeps a copy of what they sent: a text file from the confirmation page (for the
browser that sent it only) and a confirmation email with the answers, sent after the
submission is committed; a mail server that is down or refuses never loses or blocks the
submission. Real SMTP over a local socket (tests/smtp_stub.py)."""

from __future__ import annotations

import logging
from email import message_from_bytes, policy
from pathlib import Path

import pytest
from sqlalchemy import func, select

from consult.extensions import db
from consult.models import Response
from consult.times import uk_time
from tests.helpers import (
    ORGANISATION_ANSWERS,
    field,
    hidden_fields,
    make_consultation,
    make_invitation,
    post_form,
    section_one,
    section_two,
    soup,
)
from tests.smtp_stub import SmtpStub
from tests.test_gunicorn import free_port
from tests.test_journey import BASE, start_open

pytestmark = pytest.mark.backends("sqlite", "postgresql")

PARTNER = {
    **ORGANISATION_ANSWERS,
    "respondent_name": "Sam Jones",
    "respondent_email": "sam@tipton.example",
}
WHY = "Reliable buses matter.\r\nEvery day, not just on weekdays."
IDEA = "Café stops at every interchange"

# What the confirmation says when no mail server is set up (the copy is only in the outbox).
NOT_EMAILED = "This service does not email copies of responses. Download yours below to keep it."


def send_everything(client, consultation, organisation: dict | None = None, invited=False):
    """Answer every page (the open link unless ``invited``: the invitation is already
    granted) and select "Accept and send"; the POST's reply."""
    if not invited:
        start_open(client)
    about = organisation if organisation is not None else PARTNER
    assert post_form(client, f"{BASE}/organisation", about).status_code == 302
    answers = section_one(consultation, **{field(consultation, "Why"): WHY})
    assert post_form(client, f"{BASE}/section/1", answers).status_code == 302
    answers = section_two(consultation, **{field(consultation, "One idea"): IDEA})
    assert post_form(client, f"{BASE}/section/2", answers).status_code == 302
    sent = post_form(client, f"{BASE}/check", {}, action=None)
    assert sent.status_code == 302 and sent.headers["Location"].endswith("/confirmation")
    return sent


def the_response() -> Response:
    """The sent response (or, when none is sent, the only draft)."""
    db.session.expire_all()
    return db.session.scalar(select(Response).order_by(Response.submitted_at.is_(None)))


def outbox(app) -> list:
    folder = Path(app.instance_path) / "outbox"
    return [
        message_from_bytes(path.read_bytes(), policy=policy.default)
        for path in sorted(folder.glob("*.eml"))
    ]


def expected_copy(response: Response) -> str:
    """The sent response's text file, written out in full."""
    return f"""Your response to: Test consultation on transport
Sent on {uk_time(response.submitted_at)} (UK time).
Reference number: {response.reference}

About your organisation
=======================

Organisation
Tipton Community Trust

Type of organisation
Voluntary, community or social enterprise

Based in
Sandwell

Your name
Sam Jones

Your email
sam@tipton.example

Buses
=====

Buses should be franchised
Agree

Why do you say that?
Reliable buses matter.
Every day, not just on weekdays.

Which modes do you use?
Bus
Tram

Priorities
==========

Top priority
Reliability

One idea
{IDEA}
"""


def test_the_download_is_the_sent_response_in_full(client, app):
    consultation = make_consultation()
    send_everything(client, consultation)
    response = the_response()
    page = client.get(f"{BASE}/confirmation")
    link = soup(page).find(id="download-copy")
    assert link.get_text(strip=True) == "Download a copy of your response (text file)"
    download = client.get(link["href"])
    assert download.status_code == 200
    assert download.headers["Content-Type"] == "text/plain; charset=utf-8"
    assert download.headers["Content-Disposition"] == (
        f'attachment; filename="transport-test-response-{response.reference}.txt"'
    )
    assert download.headers["Cache-Control"] == "no-store"
    assert download.get_data().decode("utf-8") == expected_copy(response)
    assert "Transfer-Encoding" not in download.headers  # built whole, not streamed


def test_only_the_browser_that_sent_it_gets_the_copy(client, app):
    consultation = make_consultation()
    other = app.test_client()
    assert other.get(f"{BASE}/your-response.txt").status_code == 403  # never started
    start_open(other)
    assert other.get(f"{BASE}/your-response.txt").status_code == 403  # not saved yet
    assert post_form(other, f"{BASE}/organisation", PARTNER).status_code == 302
    assert other.get(f"{BASE}/your-response.txt").status_code == 404  # a draft: nothing sent
    send_everything(client, consultation)
    mine = the_response()
    assert mine.status == "submitted"
    theirs = other.get(f"{BASE}/your-response.txt")
    assert theirs.status_code == 404 and mine.reference not in theirs.get_data(as_text=True)
    stranger = app.test_client().get(f"{BASE}/your-response.txt")
    assert stranger.status_code == 403 and mine.reference not in stranger.get_data(as_text=True)
    assert client.get("/c/no-such-consultation/your-response.txt").status_code == 404
    assert client.get(f"{BASE}/your-response.txt").status_code == 200
    consultation.status = "closed"  # the copy stays for the partner after closing
    db.session.commit()
    kept = client.get(f"{BASE}/your-response.txt")
    assert kept.status_code == 200 and kept.get_data(as_text=True) == expected_copy(mine)
    assert other.get(f"{BASE}/your-response.txt").status_code == 404


def test_an_invited_organisations_copy_goes_to_the_address_it_gave(client, app):
    """Smoke finding: the copy went to the invitation's contact whatever the partner typed in
    "Your email" (which starts with that contact address and is editable)."""
    consultation = make_consultation()
    _, token = make_invitation(consultation)
    client.get(f"/i/{token}")
    start = client.get(BASE)
    assert client.post(BASE, data=hidden_fields(start)).status_code == 302
    about = {**PARTNER, "partner_type": "business", "size_band": "micro"}
    send_everything(client, consultation, about, invited=True)
    [message] = outbox(app)
    assert message["To"] == "sam@tipton.example"  # the "Your email" typed, not the contact
    assert the_response().reference in message["Subject"]
    emailed = soup(client.get(f"{BASE}/confirmation")).find(id="copy-kept")
    assert emailed.get_text() == NOT_EMAILED
    # A colleague on the same invitation downloads it too, and is told of no email.
    colleague = app.test_client()
    colleague.get(f"/i/{token}")
    page = colleague.get(f"{BASE}/confirmation")
    assert page.status_code == 200 and soup(page).find(id="copy-emailed") is None
    copy = colleague.get(soup(page).find(id="download-copy")["href"])
    assert "Number of employees" in copy.get_data(as_text=True)


def test_an_invited_organisation_that_clears_its_email_gets_the_copy_at_its_invitation_address(
    client, app
):
    consultation = make_consultation()
    _, token = make_invitation(consultation)
    client.get(f"/i/{token}")
    assert client.post(BASE, data=hidden_fields(client.get(BASE))).status_code == 302
    about = {**PARTNER, "partner_type": "business", "size_band": "micro", "respondent_email": ""}
    send_everything(client, consultation, about, invited=True)
    [message] = outbox(app)
    assert message["To"] == "contact@acme.example"
    assert soup(client.get(f"{BASE}/confirmation")).find(id="copy-kept") is not None


def test_the_confirmation_email_has_the_reference_what_happens_next_and_the_answers(client, app):
    consultation = make_consultation()
    consultation.email_sender_name = "Transport Team"
    consultation.email_sender_address = "transport@wmca.example"
    consultation.contact_email = "questions@wmca.example"
    consultation.what_happens_next = "We will read every response.\n\nThen we decide."
    consultation.email_signature = "Jo Bloggs\nHead of Transport Policy"
    db.session.commit()
    sent = send_everything(client, consultation)
    response = the_response()
    assert response.status == "submitted"
    [message] = outbox(app)
    assert message["To"] == "sam@tipton.example"
    assert message["From"] == "Transport Team <transport@wmca.example>"
    assert message["Reply-To"] == "questions@wmca.example"
    # (a long header is folded onto its next line: a reader strips the space it leaves)
    assert message["Subject"].strip() == (
        f"Response sent: Test consultation on transport (reference {response.reference})"
    )
    body = message.get_content()
    assert f"Your reference number is {response.reference}." in body
    assert "contact us about your response at questions@wmca.example" in body
    assert "What happens next\n\nWe will read every response.\n\nThen we decide." in body
    assert expected_copy(response) in body  # the same text as the download
    assert body.rstrip().endswith("Jo Bloggs\nHead of Transport Policy")
    page = client.get(sent.headers["Location"])
    # No mail server is set up here: the email is only in the outbox, and the partner is
    # not told it was sent (a deployment without one would promise a copy never delivered).
    assert soup(page).find(id="copy-emailed") is None
    # Said in the partner's words, not the operator's ("no mail server set up"), and not as
    # a failure: this service sends no email (smoke walk 13, finding 4).
    said = soup(page).find(id="copy-kept").get_text(" ", strip=True)
    assert said == NOT_EMAILED and "could not" not in said
    assert "mail server" not in page.get_data(as_text=True)
    # A replayed "Accept and send", and the page seen again: no second email.
    assert client.post(f"{BASE}/check", data={}).status_code == 302
    assert soup(client.get(f"{BASE}/confirmation?already=sent")).find(id="copy-kept")
    assert len(outbox(app)) == 1


def test_no_address_given_sends_nothing_but_offers_the_download(client, app):
    consultation = make_consultation()
    send_everything(client, consultation, ORGANISATION_ANSWERS)
    assert outbox(app) == []
    page = soup(client.get(f"{BASE}/confirmation"))
    assert page.find(id="copy-emailed") is None and page.find(id="copy-not-emailed") is None
    assert page.find(id="download-copy") is not None


def test_sent_over_smtp_with_a_hostile_title_in_one_subject_line(client, app):
    consultation = make_consultation()
    consultation.title = "Buses\r\nBcc: everyone@example.org"
    db.session.commit()
    with SmtpStub() as stub:
        stub.configure(app)
        send_everything(client, consultation)
    [message] = stub.mailbox.messages
    assert stub.mailbox.recipients() == ["sam@tipton.example"]
    assert message["Bcc"] is None
    assert message["Subject"].strip().startswith("Response sent: Buses Bcc: everyone@example.org")
    assert the_response().reference in message.get_content()


@pytest.fixture
def consult_log(caplog):
    """What the app's own loggers write (the ``consult`` logger does not propagate)."""
    logger = logging.getLogger("consult")
    logger.addHandler(caplog.handler)
    yield caplog
    logger.removeHandler(caplog.handler)


@pytest.mark.parametrize("failure", ["server down", "recipient refused"])
def test_a_mail_failure_still_submits_and_offers_the_download(client, app, failure, consult_log):
    consultation = make_consultation()
    with SmtpStub() as stub:
        stub.configure(app)
        if failure == "recipient refused":
            stub.mailbox.refuse.add("sam@tipton.example")
        else:
            app.config["MAIL_PORT"] = free_port()  # nothing listens there
        sent = send_everything(client, consultation)
    assert stub.mailbox.messages == []
    response = the_response()
    assert response.status == "submitted" and response.submitted_at is not None
    assert db.session.scalar(select(func.count(Response.id))) == 1
    page = client.get(sent.headers["Location"])
    assert page.status_code == 200
    warning = soup(page).find(id="copy-not-emailed").get_text(" ", strip=True)
    assert "could not send the confirmation email to sam@tipton.example" in warning
    assert soup(page).find(id="copy-emailed") is None
    download = client.get(soup(page).find(id="download-copy")["href"])
    assert download.get_data(as_text=True) == expected_copy(response)
    logged = [r.getMessage() for r in consult_log.records if r.levelno == logging.WARNING]
    assert f"Could not email the copy of response {response.reference}" in logged


def test_the_confirmation_email_says_what_the_page_says(client, app):
    """The email repeats the confirmation page's own sentences (left18): the thanks with
    when it arrived, the reference, what happens next and what to give when contacting the
    team (it said "Quote your reference number..." where the page said "give your
    reference number", and never said when the response was received)."""
    consultation = make_consultation()
    consultation.contact_email = "questions@wmca.example"
    db.session.commit()
    sent = send_everything(client, consultation)
    response = the_response()
    body = " ".join(outbox(app)[0].get_content().split())
    page = soup(client.get(sent.headers["Location"]))
    said = [
        " ".join(p.get_text().split()) for p in page.find("main").find_all("p", class_="govuk-body")
    ]
    thanks = next(s for s in said if s.startswith("Thank you for responding"))
    assert f"We received your response on {uk_time(response.submitted_at)}." in thanks
    contact = next(s for s in said if s.startswith("If you contact us"))
    assert contact.endswith("give your reference number.")
    next_steps = [
        p.get_text(" ", strip=True) for p in page.find(id="what-happens-next").find_all("p")
    ]
    for sentence in [thanks, contact, *next_steps]:
        assert sentence in body, sentence
    assert f"Your reference number is {response.reference}." in body
    assert "Quote your reference" not in body
