"""CSRF expiry keeps answers; closed consultations and bad links get plain pages, never a 500."""

from __future__ import annotations

import time
from datetime import timedelta

from itsdangerous.timed import TimestampSigner
from sqlalchemy import select

from consult.extensions import db
from consult.models import Response
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
from tests.test_journey import BASE, answer_everything, start_open


def test_expired_csrf_token_reshows_typed_answers(app, client, monkeypatch):
    consultation = make_consultation()
    start_open(client)
    why = field(consultation, "Why")
    # A controlled clock for the signed CSRF tokens: the page is drawn now and posted
    # three hours later, past the two-hour limit.
    now = [int(time.time())]
    monkeypatch.setattr(TimestampSigner, "get_timestamp", lambda self: now[0])
    page = client.get(f"{BASE}/section/1")
    now[0] += 3 * 60 * 60
    typed = section_one(consultation, **{why: "Typed before the token expired"})
    expired = redrawn(client, post_form(client, f"{BASE}/section/1", typed, page=page))
    html = soup(expired)
    assert "for your security we could not save it" in html.find(id="csrf-message").get_text()
    assert html.find(id=why).get_text() == "Typed before the token expired"
    assert html.find(
        "input", {"name": field(consultation, "Buses should"), "value": "agree"}
    ).has_attr("checked")
    # The re-shown page carries a fresh token: selecting Continue again now works.
    again = post_form(client, f"{BASE}/section/1", typed, page=expired)
    assert again.headers["Location"].endswith("/section/2")


def test_missing_csrf_token_saves_nothing(app, client):
    consultation = make_consultation()
    start_open(client)
    why = field(consultation, "Why")
    forged = client.post(f"{BASE}/section/1", data={why: "forged", "action": "continue"})
    assert forged.status_code == 400
    # Nothing was saved: not even the draft, which is only stored on a valid first save.
    assert db.session.scalars(select(Response)).all() == []


def test_closed_consultation(client, app):
    make_consultation(closes_in=timedelta(seconds=-1))
    page = client.get(BASE)
    assert page.status_code == 410
    assert "This consultation has closed" in page.get_data(as_text=True)


def test_closed_by_status(client, app):
    make_consultation(status="closed")
    assert client.get(BASE).status_code == 410


def test_not_yet_open(client, app):
    make_consultation(opens_in=timedelta(days=3))
    page = client.get(BASE)  # its start page says when, with no start button
    assert page.status_code == 200
    assert "This consultation opens on" in page.get_data(as_text=True)
    assert "Start now" not in page.get_data(as_text=True)
    inner = client.get(f"{BASE}/section/1")  # any other page is a dead end saying when
    assert inner.status_code == 403
    assert "not open yet" in inner.get_data(as_text=True)
    assert "It opens on" in inner.get_data(as_text=True)


def test_draft_consultation_is_not_found(client, app):
    make_consultation(status="draft")
    assert client.get(BASE).status_code == 404


def test_consultation_closes_mid_journey(client, app):
    consultation = make_consultation()
    start_open(client)
    open_page = client.get(f"{BASE}/section/1")
    consultation.status = "closed"
    db.session.commit()
    why = field(consultation, "Why")
    page = post_form(
        client,
        f"{BASE}/section/1",
        section_one(consultation, **{why: "My long considered answer"}),
        page=open_page,
    )
    # Post/Redirect/Get: the closed page is the page's GET (reload and Back never post the
    # form again), and the POST's reply draws nothing of what was typed.
    assert page.status_code == 303
    assert page.headers["Location"] == f"{BASE}/section/1"
    assert "My long considered answer" not in page.get_data(as_text=True)
    for _ in range(2):  # the redirected page, and a reload of it
        closed = client.get(page.headers["Location"])
        assert closed.status_code == 410
        # Nothing typed vanishes: the closed page shows it back so it can be copied.
        assert "My long considered answer" in soup(closed).find(id="typed-answers").get_text()
        assert soup(closed).find(id="typed-refill") is None  # no new draft can begin
    # It can be downloaded, to keep or send by email (a GET: nothing is posted again).
    download = client.get(soup(closed).find(id="typed-download")["href"])
    assert download.status_code == 200 and download.mimetype == "text/plain"
    assert "attachment" in download.headers["Content-Disposition"]
    assert "My long considered answer" in download.get_data(as_text=True)
    assert "Agree" in download.get_data(as_text=True)  # a choice, by its label


def test_start_now_after_closing_redirects_to_the_closed_page(client, app):
    """Every survey POST that meets a dead end is answered by a 303 to its GET, which draws
    it: "Start now" pressed after the consultation closed, a switch after an invitation
    was turned off."""
    consultation = make_consultation()
    start = client.get(BASE)
    consultation.status = "closed"
    db.session.commit()
    posted = client.post(BASE, data=hidden_fields(start))
    assert posted.status_code == 303 and posted.headers["Location"] == BASE
    assert client.get(BASE).status_code == 410


def test_unknown_consultation_and_page(client, app):
    make_consultation()
    assert client.get("/c/no-such-thing").status_code == 404
    start_open(client)
    assert client.get(f"{BASE}/section/99").status_code == 404
    assert client.get("/nowhere").status_code == 404


def test_pages_without_a_draft_send_partner_to_the_start(client, app):
    make_consultation()
    page = client.get(f"{BASE}/section/1")
    assert page.status_code == 403
    assert "Start from the beginning" in page.get_data(as_text=True)


def test_wrong_invitation_token(client, app):
    make_consultation()
    page = client.get("/i/this-is-not-a-token")
    assert page.status_code == 404
    assert "not recognised" in page.get_data(as_text=True)


def test_expired_invitation_token(client, app):
    consultation = make_consultation()
    _, token = make_invitation(consultation, expires_in=timedelta(seconds=-5))
    page = client.get(f"/i/{token}")
    assert page.status_code == 410
    assert "This invitation link has expired" in page.get_data(as_text=True)


def test_invitation_used_after_submit_shows_the_confirmation(app):
    consultation = make_consultation()
    _, token = make_invitation(consultation)
    first = app.test_client()
    first.get(f"/i/{token}")
    first_start = first.get(BASE)
    answer_everything(first, consultation)
    post_form(
        first,
        f"{BASE}/organisation",
        {
            "organisation_name": "Acme Ltd",
            "partner_type": "business",
            "size_band": "small",
            "area": "coventry",
        },
    )
    post_form(first, f"{BASE}/check", {}, action=None)
    reference = db.session.scalar(select(Response.reference))

    colleague = app.test_client()
    landed = colleague.get(f"/i/{token}")
    assert landed.headers["Location"].endswith("/confirmation?already=sent")
    page = colleague.get(landed.headers["Location"])
    assert soup(page).find(id="reference").get_text(strip=True) == reference
    assert soup(page).find(id="already-sent") is not None
    # The start page offers no way to begin again by the same invitation...
    start = soup(colleague.get(BASE))
    assert start.find("form", method="post") is None
    assert reference in start.get_text()
    # ...and a replayed start request (another browser's token) is refused, adding nothing.
    replay = colleague.post(BASE, data=hidden_fields(first_start))
    assert db.session.query(Response).count() == 1
    assert replay.status_code == 400


def test_security_headers(client, app):
    make_consultation()
    page = client.get(BASE)
    policy = page.headers["Content-Security-Policy"]
    assert "default-src 'self'" in policy and "frame-ancestors 'none'" in policy
    assert page.headers["X-Content-Type-Options"] == "nosniff"


def test_invitations_can_be_turned_off(client, app):
    consultation = make_consultation()
    _, token = make_invitation(consultation)
    consultation.allow_invitations = False
    db.session.commit()
    page = client.get(f"/i/{token}")
    assert page.status_code == 403
    assert "not taking responses by invitation" in page.get_data(as_text=True)


def test_saved_answers_stay_readable_after_closing(client, app):
    """A draft the consultation closed on was never sent: its browser still reads and
    downloads the answers it saved, on the closed page; nobody else does, and while the
    consultation is open there is nothing to download (the draft is there to carry on)."""
    consultation = make_consultation()
    start_open(client)
    assert post_form(client, f"{BASE}/organisation", ORGANISATION_ANSWERS).status_code == 302
    why = field(consultation, "Why")
    saved = section_one(consultation, **{why: "Saved on Monday, never sent"})
    assert post_form(client, f"{BASE}/section/1", saved).status_code == 302
    assert client.get(f"{BASE}/your-saved-answers.txt").status_code == 404  # still open
    consultation.status = "closed"
    db.session.commit()
    for address in (BASE, f"{BASE}/section/2", f"{BASE}/check"):
        closed = client.get(address)
        assert closed.status_code == 410
        block = soup(closed).find(id="saved-answers")
        assert block is not None, address
        text = block.get_text(" ", strip=True)
        assert "Saved on Monday, never sent" in text
        assert "has not received them" in text
        assert ORGANISATION_ANSWERS["organisation_name"] in text
    download = client.get(soup(closed).find(id="saved-download")["href"])
    assert download.status_code == 200 and download.mimetype == "text/plain"
    assert "attachment" in download.headers["Content-Disposition"]
    body = download.get_data(as_text=True)
    assert body.startswith(f"Your saved answers for: {consultation.title}")
    assert "Saved on Monday, never sent" in body and "Agree" in body
    # Another browser sees the closed page without anyone's answers.
    other = app.test_client()
    elsewhere = other.get(BASE)
    assert elsewhere.status_code == 410 and soup(elsewhere).find(id="saved-answers") is None
    assert other.get(f"{BASE}/your-saved-answers.txt").status_code == 404


def test_a_sent_response_is_not_offered_as_saved_answers(client, app):
    consultation = make_consultation()
    answer_everything(client, consultation)
    check = client.get(f"{BASE}/check")
    assert post_form(client, f"{BASE}/check", {}, page=check).status_code in (302, 303)
    consultation.status = "closed"
    db.session.commit()
    assert client.get(f"{BASE}/your-saved-answers.txt").status_code == 404
