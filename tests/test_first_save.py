"""A draft is stored on the first save, not on "Start now"; first saves from two tabs or double
clicks land on one draft; abandoned empty drafts are purged; "Email me this link" is a POST."""

from __future__ import annotations

import threading
from datetime import timedelta

import pytest
from sqlalchemy import func, select

from consult.extensions import db
from consult.invitations import status_of
from consult.models import Answer, Invitation, Response, utcnow
from consult.retention import abandoned_drafts, purge
from consult.tokens import hash_token, new_reference
from tests.helpers import (
    ORGANISATION_ANSWERS,
    field,
    hidden_fields,
    make_consultation,
    make_invitation,
    post_form,
    redrawn,
    section_one,
    soup,
)
from tests.smtp_stub import SmtpStub
from tests.test_journey import BASE, start_open

pytestmark = pytest.mark.backends("sqlite", "postgresql")


def responses() -> int:
    db.session.expire_all()
    return db.session.scalar(select(func.count(Response.id)))


def test_start_now_stores_nothing_until_the_first_save(app, client):
    make_consultation()
    for _ in range(3):  # "Start now" again and again
        start_open(client)
    assert responses() == 0
    page = client.get(f"{BASE}/organisation")
    assert page.status_code == 200
    assert soup(page).find(string=lambda s: s and "Your link to come back" in s) is None
    saved = post_form(client, f"{BASE}/organisation", ORGANISATION_ANSWERS)
    assert saved.headers["Location"].endswith("/section/1")
    assert responses() == 1
    response = db.session.scalar(select(Response))
    assert response.organisation_name == ORGANISATION_ANSWERS["organisation_name"]
    # Now there is something to come back to, the page offers the link.
    again = soup(client.get(f"{BASE}/organisation"))
    assert again.find(string=lambda s: s and "Your link to come back" in s) is not None


def test_invitation_start_leaves_the_organisation_not_started(app, client):
    consultation = make_consultation()
    invitation, token = make_invitation(consultation)
    client.get(f"/i/{token}")
    start = client.get(BASE)
    client.post(BASE, data=hidden_fields(start))
    prefilled = soup(client.get(f"{BASE}/organisation"))
    assert prefilled.find("input", {"name": "organisation_name"})["value"] == "Acme Ltd"
    assert responses() == 0 and status_of(invitation) == "not started"
    post_form(client, f"{BASE}/organisation", {"respondent_name": "Sam"})
    assert responses() == 1 and status_of(invitation) == "in progress"


def test_two_tabs_first_saves_land_on_one_draft(app, client):
    consultation = make_consultation()
    start_open(client)
    tab_one = client.get(f"{BASE}/organisation")
    tab_two = client.get(f"{BASE}/section/1")
    why = field(consultation, "Why")
    post_form(client, f"{BASE}/organisation", ORGANISATION_ANSWERS, page=tab_one)
    post_form(
        client, f"{BASE}/section/1", section_one(consultation, **{why: "Tab two"}), page=tab_two
    )
    assert responses() == 1
    response = db.session.scalar(select(Response))
    assert response.organisation_name == ORGANISATION_ANSWERS["organisation_name"]
    assert {a.value for a in response.answers} >= {"Tab two"}


def test_simultaneous_first_saves_lose_no_answer(app):
    """Two requests of one browser race to make its first save (a double click, two tabs)."""
    consultation = make_consultation()
    first = app.test_client()
    start_open(first)
    second = app.test_client()
    second.set_cookie("session", first.get_cookie("session").value, domain="localhost")
    why = field(consultation, "Why")
    pages = [first.get(f"{BASE}/organisation"), second.get(f"{BASE}/section/1")]
    posts = [
        (first, f"{BASE}/organisation", ORGANISATION_ANSWERS),
        (second, f"{BASE}/section/1", section_one(consultation, **{why: "Raced"})),
    ]
    barrier = threading.Barrier(2)
    results: list = [None, None]

    def save(index: int) -> None:
        person, url, data = posts[index]
        with app.app_context():
            barrier.wait()
            results[index] = post_form(person, url, data, page=pages[index])
            db.session.remove()

    threads = [threading.Thread(target=save, args=(i,)) for i in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert [r.status_code for r in results] == [302, 302]
    assert responses() == 1
    response = db.session.scalar(select(Response))
    assert response.organisation_name == ORGANISATION_ANSWERS["organisation_name"]
    assert "Raced" in {a.value for a in response.answers}


def _draft(consultation, *, days_old: int, invitation=None, **values) -> Response:
    when = utcnow() - timedelta(days=days_old)
    response = Response(
        consultation=consultation,
        invitation=invitation,
        reference=new_reference(),
        resume_token_hash=None if invitation else hash_token(new_reference()),
        created_at=when,
        updated_at=when,
        **values,
    )
    if invitation is not None:
        for key, value in invitation.organisation.prefill().items():
            values.setdefault(key, value)
            setattr(response, key, values[key])
    db.session.add(response)
    db.session.commit()
    return response


def test_purge_deletes_only_abandoned_empty_drafts(app):
    consultation = make_consultation()
    question = consultation.questions[0]
    old_empty = _draft(consultation, days_old=10)
    recent_empty = _draft(consultation, days_old=2)
    old_answered = _draft(consultation, days_old=10)
    db.session.add(Answer(response=old_answered, question_id=question.id, value="agree"))
    old_named = _draft(consultation, days_old=10, organisation_name="Someone")
    untouched_invitation, _ = make_invitation(consultation, name="Untouched Ltd")
    old_invited = _draft(consultation, days_old=10, invitation=untouched_invitation)
    changed_invitation, _ = make_invitation(consultation, name="Changed Ltd")
    old_changed = _draft(
        consultation, days_old=10, invitation=changed_invitation, respondent_name="Sam"
    )
    submitted = _draft(consultation, days_old=10, status="submitted", submitted_at=utcnow())
    db.session.commit()
    found = {r.id for r in abandoned_drafts(7)}
    assert found == {old_empty.id, old_invited.id}

    runner = app.test_cli_runner()
    dry = runner.invoke(args=["purge", "--dry-run"])
    assert "2 empty drafts untouched for 7 days would be deleted" in dry.output
    assert responses() == 7
    done = runner.invoke(args=["purge"])
    assert done.exit_code == 0 and "2 empty drafts untouched for 7 days were deleted" in done.output
    kept = {r.id for r in db.session.scalars(select(Response)).all()}
    assert kept == {recent_empty.id, old_answered.id, old_named.id, old_changed.id, submitted.id}
    # The invitation itself is untouched: the organisation is simply "not started" again.
    assert status_of(db.session.get(Invitation, untouched_invitation.id)) == "not started"
    assert purge(empty_draft_days=7) == []


def test_purge_days_come_from_the_setting_or_the_option(app):
    consultation = make_consultation()
    _draft(consultation, days_old=10)
    runner = app.test_cli_runner()
    app.config["EMPTY_DRAFT_DAYS"] = 30
    assert "empty drafts" not in runner.invoke(args=["purge", "--dry-run"]).output
    shorter = runner.invoke(args=["purge", "--dry-run", "--empty-draft-days", "5"])
    assert "1 empty drafts untouched for 5 days would be deleted" in shorter.output
    refused = runner.invoke(args=["purge", "--empty-draft-days", "0"])
    assert refused.exit_code == 2


def test_saved_page_emails_only_when_asked(app, client):
    make_consultation()
    start_open(client)
    post_form(
        client,
        f"{BASE}/organisation",
        {**ORGANISATION_ANSWERS, "respondent_email": "me@example.org"},
        action="save",
    )
    with SmtpStub() as stub:
        stub.configure(app)
        first = client.get(f"{BASE}/saved")
        client.get(f"{BASE}/saved")
        assert first.status_code == 200 and stub.mailbox.messages == []
        assert soup(first).find(id="email-link").get_text(strip=True) == "Email me this link"
        posted = client.post(f"{BASE}/saved", data=hidden_fields(first))
        emailed = redrawn(client, posted)  # Post/Redirect/Get: a reload sends nothing again
        assert "We have emailed it to me@example.org" in emailed.get_data(as_text=True)
        reloaded = client.get(f"{BASE}/saved")
        assert "We have emailed" not in reloaded.get_data(as_text=True)
        assert len(stub.mailbox.messages) == 1
        forged = client.post(f"{BASE}/saved", data={})
        assert forged.status_code == 400
    assert stub.mailbox.recipients() == ["me@example.org"]
    resume = soup(first).find(id="resume-link")["href"]
    assert resume in stub.mailbox.messages[0].get_content()


def test_the_losing_first_save_carries_on_with_the_winners_draft(app):
    """What settles the race: the second insert of one draft fails its unique constraint and
    returns the stored row instead (open link and invitation alike)."""
    from consult.survey import journey

    consultation = make_consultation()
    token = new_reference()
    winner = journey.store_draft(journey.unsaved_open_draft(consultation, token))
    loser = journey.store_draft(journey.unsaved_open_draft(consultation, token))
    assert loser.id == winner.id
    invitation, _ = make_invitation(consultation)
    first = journey.store_draft(journey.unsaved_invitation_draft(invitation))
    second = journey.store_draft(journey.unsaved_invitation_draft(invitation))
    assert first.id == second.id and responses() == 2


def test_the_email_hint_promises_only_what_each_journey_sends(app, client):
    """Review finding: the invited partner's email hint promised 'a link to come back to your
    answers', which the invited journey never emails (its invitation link is the way back)."""
    from consult.survey.fields import EMAIL_HINT_INVITED, EMAIL_HINT_OPEN

    app.config["MAIL_SERVER"] = "127.0.0.1"  # one is set up (no page here sends mail)
    consultation = make_consultation()
    invitation, token = make_invitation(consultation)
    client.get(f"/i/{token}")
    client.post(BASE, data=hidden_fields(client.get(BASE)))

    def hint(page) -> str:
        return " ".join(page.find(id="respondent_email-hint").get_text().split())

    assert hint(soup(client.get(f"{BASE}/organisation"))) == EMAIL_HINT_INVITED
    post_form(client, f"{BASE}/organisation", {"respondent_name": "Sam"})
    assert hint(soup(client.get(f"{BASE}/organisation"))) == EMAIL_HINT_INVITED
    # No link is promised (the invitation link is the way back), in two short sentences
    # that name the invitation's address once (a review counted about 70 words).
    assert "link" not in EMAIL_HINT_INVITED and EMAIL_HINT_INVITED.count(". ") == 1
    assert len(EMAIL_HINT_INVITED.split()) <= 35
    assert EMAIL_HINT_INVITED.count("invitation") == 1
    # Smoke finding: "We will only use this to send you a link" hid the emailed copy of the
    # answers; each hint names it.
    assert "copy of your response" in EMAIL_HINT_INVITED
    assert "copy of your response" in EMAIL_HINT_OPEN and "if you ask" in EMAIL_HINT_OPEN
    other = app.test_client()
    start_open(other)
    assert hint(soup(other.get(f"{BASE}/organisation"))) == EMAIL_HINT_OPEN


def test_with_no_mail_server_the_email_hint_promises_no_email(app, client):
    """Smoke walk 13, finding 4: with no mail server set up the organisation page promised
    "We will email a copy of your response", and the confirmation then said it could not.
    Now the hint says this service sends no email, on either journey, and how to keep a copy."""
    from consult.survey.fields import EMAIL_HINT_NO_MAIL_INVITED, EMAIL_HINT_NO_MAIL_OPEN

    assert not app.config.get("MAIL_SERVER")
    consultation = make_consultation()
    _, token = make_invitation(consultation)
    client.get(f"/i/{token}")
    client.post(BASE, data=hidden_fields(client.get(BASE)))

    def hint(page) -> str:
        return " ".join(page.find(id="respondent_email-hint").get_text().split())

    invited = hint(soup(client.get(f"{BASE}/organisation")))
    other = app.test_client()
    start_open(other)
    opened = hint(soup(other.get(f"{BASE}/organisation")))
    assert (invited, opened) == (EMAIL_HINT_NO_MAIL_INVITED, EMAIL_HINT_NO_MAIL_OPEN)
    for said in (invited, opened):
        assert "This service does not send email" in said
        assert "We will email" not in said and "download a copy of your response" in said
    assert "link" not in invited and "copy the link back" in opened
    assert invited.count("invitation") == 1 and len(invited.split()) <= 42


@pytest.mark.parametrize("mail_server", ["127.0.0.1", None])
def test_an_invited_organisations_email_is_labelled_as_its_invitations(app, client, mail_server):
    """Smoke walk 16, finding 14: an invited organisation's "Your email" held its invitation's
    contact address, which the person never typed, beside a hint saying nothing is emailed.
    It is a "Contact email" now, on the page and over the answers, and its hint says where
    it came from and what it is for; the open link's own address is still "Your email"."""
    from consult.survey.fields import FROM_INVITATION, INVITED_EMAIL_LABEL

    app.config["MAIL_SERVER"] = mail_server
    consultation = make_consultation()
    invitation, token = make_invitation(consultation)
    client.get(f"/i/{token}")
    client.post(BASE, data=hidden_fields(client.get(BASE)))
    page = soup(client.get(f"{BASE}/organisation"))
    field = page.find(id="respondent_email")
    assert field["value"] == invitation.organisation.contact_email
    label = " ".join(page.find("label", attrs={"for": "respondent_email"}).get_text().split())
    assert label == INVITED_EMAIL_LABEL == "Contact email (optional)"
    hint = " ".join(page.find(id="respondent_email-hint").get_text().split())
    assert hint.startswith(FROM_INVITATION) and "contact you about this response" in hint
    kept = {"respondent_name": "Sam", "respondent_email": field["value"]}
    post_form(client, f"{BASE}/organisation", kept)
    check = soup(client.get(f"{BASE}/check"))
    keys = [" ".join(k.get_text().split()) for k in check.find_all("dt")]
    assert "Contact email" in keys and "Your email" not in keys

    other = app.test_client()
    start_open(other)
    opened = soup(other.get(f"{BASE}/organisation"))
    label = opened.find("label", attrs={"for": "respondent_email"}).get_text()
    assert " ".join(label.split()) == "Your email address (optional)"
    assert FROM_INVITATION not in opened.find(id="respondent_email-hint").get_text()


def test_with_no_mail_server_the_saved_page_offers_no_email(app, client):
    """An earlier walk: with no mail server set up the saved page offered "Email me this
    link", wrote the email to the outbox and said it could not be emailed. Now it offers
    nothing it cannot do, says to copy the link (even to an address it could not email),
    and a post sent anyway writes nothing and says nothing was emailed."""
    from pathlib import Path

    assert not app.config.get("MAIL_SERVER")
    make_consultation()
    start_open(client)
    outbox = Path(app.instance_path) / "outbox"
    for email in ("me@example.org", "not-an-email", ""):
        post_form(
            client,
            f"{BASE}/organisation",
            {**ORGANISATION_ANSWERS, "respondent_email": email},
            action="save",
        )
        page = soup(client.get(f"{BASE}/saved"))
        assert page.find(id="email-link") is None and page.find(id="email-not-sendable") is None
        said = " ".join(page.find(id="copy-link").get_text().split())
        assert said.startswith("This service does not send email, so we cannot email you")
        assert page.find(id="resume-link")["href"].startswith("http")
    # a scripted post, with a good token (from the organisation page: the saved page has no
    # form now)
    token = hidden_fields(client.get(f"{BASE}/organisation"))["csrf_token"]
    posted = client.post(f"{BASE}/saved", data={"csrf_token": token})
    assert posted.status_code == 302 and posted.headers["Location"].endswith("/saved")
    page = soup(client.get(f"{BASE}/saved"))
    assert page.find(id="emailed") is None and page.find(id="email-kept") is None
    assert page.find(id="copy-link") is not None
    assert not outbox.exists() or not list(outbox.glob("*.eml"))


@pytest.mark.parametrize("failure", ["server down", "recipient refused"])
def test_a_mail_failure_on_email_me_this_link_says_so_without_an_error(app, client, failure):
    """prodfix's loose end: "Email me this link" with a mail server that is down or refuses
    the address raised (a 500); now the page says it could not email the link, which is shown
    above to copy, and nothing is lost."""
    from tests.test_gunicorn import free_port

    make_consultation()
    start_open(client)
    post_form(
        client,
        f"{BASE}/organisation",
        {**ORGANISATION_ANSWERS, "respondent_email": "me@example.org"},
        action="save",
    )
    with SmtpStub() as stub:
        stub.configure(app)
        if failure == "recipient refused":
            stub.mailbox.refuse.add("me@example.org")
        else:
            app.config["MAIL_PORT"] = free_port()  # nothing listens there
        first = client.get(f"{BASE}/saved")
        posted = client.post(f"{BASE}/saved", data=hidden_fields(first))
        assert posted.status_code == 303 or posted.status_code == 302
        page = redrawn(client, posted)
    assert stub.mailbox.messages == []
    assert page.status_code == 200
    said = soup(page).find(id="email-kept").get_text(" ", strip=True)
    assert said == "We could not email you this link. Copy it from above to keep it."
    assert soup(page).find(id="emailed") is None
    assert soup(page).find(id="resume-link")["href"].startswith("http")
    assert responses() == 1
