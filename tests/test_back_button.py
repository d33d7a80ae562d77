"""What the browser's Back and reload meet: no page of the journey is a POST's answer (Post/
Redirect/Get), and after sending, every page of the draft leads to the confirmation.
Forms posted after their CSRF token expired: tests/test_csrf_expiry.py.

The real browser's side (Chromium's Back button and reload) is in tests/test_browser_back.py.
"""

from __future__ import annotations

import pytest
from sqlalchemy import func, select

from consult.extensions import db
from consult.models import Answer, Response
from tests.helpers import (
    ORGANISATION_ANSWERS,
    error_summary,
    field,
    hidden_fields,
    make_consultation,
    make_invitation,
    post_form,
    redrawn,
    section_one,
    section_two,
    soup,
)
from tests.test_journey import BASE, answer_everything, start_open

pytestmark = pytest.mark.backends("sqlite", "postgresql")


def kept_pages(client) -> dict:
    with client.session_transaction() as session:
        return dict(session.get("kept_pages", {}))


def submitted() -> int:
    return db.session.scalar(select(func.count(Response.id)).where(Response.status == "submitted"))


def title(page) -> str:
    return soup(page).title.get_text()


def test_a_page_with_errors_is_drawn_by_its_get_until_something_is_saved(client, app):
    consultation = make_consultation()
    start_open(client)
    why, agree = field(consultation, "Why"), field(consultation, "Buses should")
    too_long = "Typed before the error " + "x" * 200
    posted = post_form(client, f"{BASE}/section/1", {why: too_long})
    assert posted.status_code == 302  # no page drawn as the POST's answer: a redirect
    page = redrawn(client, posted)
    assert title(page).startswith("Error: Buses")
    assert dict(error_summary(page)) == {
        f"#{agree}": "Select how much you agree or disagree with ‘Buses should be franchised’",
        f"#{why}": "Your answer to ‘Why do you say that?’ must be 200 characters or fewer",
    }
    assert soup(page).find(id=why).get_text() == too_long
    # Reload (or Back to the page's entry before the POST): the same page, asking nothing.
    again = client.get(f"{BASE}/section/1")
    assert title(again) == title(page) and error_summary(again) == error_summary(page)
    assert soup(again).find(id=why).get_text() == too_long
    # Another page of the journey shows no errors of this one.
    other = client.get(f"{BASE}/organisation")
    assert not title(other).startswith("Error:") and error_summary(other) == []

    # Once anything is saved, the page shows the draft: what was typed, no errors.
    assert post_form(client, f"{BASE}/organisation", ORGANISATION_ANSWERS).status_code == 302
    fresh = client.get(f"{BASE}/section/1")
    assert not title(fresh).startswith("Error:") and error_summary(fresh) == []
    assert soup(fresh).find(id=why).get_text() == too_long
    assert kept_pages(client) == {}


def test_fixing_the_page_moves_on_and_forgets_the_errors(client, app):
    consultation = make_consultation()
    start_open(client)
    why = field(consultation, "Why")
    redrawn(client, post_form(client, f"{BASE}/section/1", {why: "No choice made"}))
    assert list(kept_pages(client)) == ["transport-test"]
    fixed = post_form(
        client, f"{BASE}/section/1", section_one(consultation, **{why: "No choice made"})
    )
    assert fixed.headers["Location"].endswith("/section/2")
    assert kept_pages(client) == {}
    back = client.get(f"{BASE}/section/1")
    assert error_summary(back) == [] and soup(back).find(id=why).get_text() == "No choice made"


def test_coming_from_check_answers_the_redirect_keeps_the_way_back(client, app):
    consultation = make_consultation()
    answer_everything(client, consultation)
    url = f"{BASE}/section/2?return=check"
    top = field(consultation, "Top priority")
    page = redrawn(client, post_form(client, url, section_two(consultation, **{top: ""})))
    assert f"#{top}" in dict(error_summary(page))
    fixed = post_form(client, url, section_two(consultation), page=page)
    assert fixed.headers["Location"].endswith("/check")


def test_organisation_errors_keep_exactly_what_was_typed(client, app):
    make_consultation()
    start_open(client)
    typed = {**ORGANISATION_ANSWERS, "partner_type": "business", "respondent_email": "nope"}
    page = redrawn(client, post_form(client, f"{BASE}/organisation", typed))
    assert set(dict(error_summary(page))) == {"#size_band", "#respondent_email"}
    html = soup(page)
    assert html.find(id="respondent_email")["value"] == "nope"
    assert html.find("input", attrs={"name": "partner_type", "value": "business"}).has_attr(
        "checked"
    )
    # The page drawn again posts like the first one: its token and seen answers work.
    fixed = post_form(
        client,
        f"{BASE}/organisation",
        {**typed, "size_band": "small", "respondent_email": "jo@example.org"},
        page=page,
    )
    assert fixed.headers["Location"].endswith("/section/1")


def test_check_answers_problems_are_drawn_by_its_get(client, app):
    consultation = make_consultation()
    start_open(client)
    post_form(client, f"{BASE}/organisation", ORGANISATION_ANSWERS)
    check = client.get(f"{BASE}/check")
    page = redrawn(client, post_form(client, f"{BASE}/check", {}, action=None, page=check))
    assert title(page).startswith("Error: Check your answers")
    assert title(client.get(f"{BASE}/check")).startswith("Error: ")  # reload: the same
    # Answering the missing questions (a save) clears them.
    post_form(client, f"{BASE}/section/1", section_one(consultation))
    post_form(client, f"{BASE}/section/2", section_two(consultation))
    ready = client.get(f"{BASE}/check")
    assert not title(ready).startswith("Error:") and error_summary(ready) == []
    assert submitted() == 0


def test_a_colleagues_clash_survives_a_reload(app):
    consultation = make_consultation()
    _, token = make_invitation(consultation)
    alice, bob = app.test_client(), app.test_client()
    for colleague in (alice, bob):
        colleague.get(f"/i/{token}")
        start = colleague.get(BASE)
        colleague.post(BASE, data=hidden_fields(start))
    why = field(consultation, "Why")
    alice_page, bob_page = alice.get(f"{BASE}/section/1"), bob.get(f"{BASE}/section/1")
    post_form(
        alice, f"{BASE}/section/1", section_one(consultation, **{why: "Alice's"}), page=alice_page
    )
    posted = post_form(
        bob, f"{BASE}/section/1", section_one(consultation, **{why: "Bob's"}), page=bob_page
    )
    for page in (redrawn(bob, posted), bob.get(f"{BASE}/section/1")):  # and a reload
        html = soup(page)
        assert html.find(id="conflict-message") is not None
        assert "Alice's" in html.find(id=f"{why}-conflict").get_text()
        assert html.find(id=why).get_text() == "Bob's"


def test_a_request_with_a_forged_token_is_refused_and_nothing_kept(client, app):
    """Nothing from a request whose CSRF token is not this browser's is saved, kept in the
    session or shown. (An expired token of this browser's is redirected, with what was
    typed kept: tests/test_csrf_expiry.py.)"""
    consultation = make_consultation()
    start_open(client)
    why = field(consultation, "Why")
    forged = client.post(
        f"{BASE}/section/1", data={**section_one(consultation, **{why: "Typed"}), "csrf_token": "x"}
    )
    assert forged.status_code == 400 and "Typed" not in forged.get_data(as_text=True)
    assert kept_pages(client) == {}


# --- after sending -------------------------------------------------------------------------


def test_after_sending_every_page_of_the_draft_leads_to_the_confirmation(client, app):
    consultation = make_consultation()
    answer_everything(client, consultation)
    section_page = client.get(f"{BASE}/section/1")  # an old page still in the history
    check = client.get(f"{BASE}/check")
    sent = post_form(client, f"{BASE}/check", {}, action=None, page=check)
    assert sent.headers["Location"].endswith("/confirmation")
    # The session cookie is sent again (same id), so Chrome drops the journey's pages from
    # its back/forward cache: Back asks the server again.
    assert "session=" in sent.headers.get("Set-Cookie", "")
    confirmation = client.get(sent.headers["Location"])
    assert soup(confirmation).find(id="already-sent") is None
    reference = soup(confirmation).find(id="reference").get_text(strip=True)

    for path in ("/organisation", "/section/1", "/section/2", "/check", "/saved"):
        back = client.get(BASE + path)
        assert back.status_code == 302, path
        assert back.headers["Location"].endswith("/confirmation?already=sent"), path
    page = soup(client.get(f"{BASE}/confirmation?already=sent"))
    banner = page.find(id="already-sent").get_text(" ", strip=True)
    assert "already been sent" in banner and "cannot be changed or sent again" in banner
    assert page.find(id="reference").get_text(strip=True) == reference
    assert page.find(id="what-happens-next") is not None
    assert page.find("form", method="post") is None  # nothing to send or change

    # Sending again (a replayed or double-clicked send): the original confirmation, once.
    again = client.post(f"{BASE}/check", data=hidden_fields(check))
    assert again.headers["Location"].endswith("/confirmation")
    # An old page posted again changes nothing and says why.
    why = field(consultation, "Why")
    late = post_form(
        client,
        f"{BASE}/section/1",
        section_one(consultation, **{why: "Too late"}),
        page=section_page,
    )
    assert late.headers["Location"].endswith("/confirmation?already=sent")
    assert db.session.scalar(select(func.count(Response.id))) == 1
    assert submitted() == 1
    assert db.session.scalar(select(func.count(Answer.id)).where(Answer.value == "Too late")) == 0


def back_href(page) -> str:
    return soup(page).find("a", class_="govuk-back-link")["href"]


def test_coming_from_check_answers_the_back_link_goes_back_there(client, app):
    """A Change link from check answers opens the page with ?return=check: its Back link
    returns to check answers (not the page before), and the Back button's save does too."""
    consultation = make_consultation()
    answer_everything(client, consultation)
    assert back_href(client.get(f"{BASE}/section/1?return=check")) == f"{BASE}/check"
    assert back_href(client.get(f"{BASE}/section/2?return=check")) == f"{BASE}/check"
    assert back_href(client.get(f"{BASE}/organisation?return=check")) == f"{BASE}/check"
    # Without it, the pages go back one step as before.
    assert back_href(client.get(f"{BASE}/section/1")) == f"{BASE}/organisation"
    assert back_href(client.get(f"{BASE}/organisation")) == BASE
    page = client.get(f"{BASE}/section/1?return=check")
    saved = post_form(
        client,
        f"{BASE}/section/1?return=check",
        section_one(consultation),
        page=page,
        action="back",
    )
    assert saved.headers["Location"].endswith("/check")
