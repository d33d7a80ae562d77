"""Sending invitations and reminders: Post/Redirect/Get to a batch summary (Back and reload
send nothing), a double-click sends once, the sending address opened directly leads to the
invitations page, and reminders ask first, with the email, the count and the page's filters."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

import pytest
from sqlalchemy import select

from consult.extensions import db
from consult.models import Invitation, Organisation, utcnow
from consult.times import uk_time
from tests.helpers import form_data, make_consultation, soup
from tests.staff_helpers import post, signed_in
from tests.test_staff_invitations import upload

pytestmark = pytest.mark.backends("sqlite", "postgresql")

CSV = (
    b"name,partner_type,area,contact_email,size_band\n"
    b"Tipton Trust,vcse,sandwell,hello@tipton.example,\n"
    b"Forge Engineering Ltd,business,dudley,info@forge.example,small\n"
    b"Aston Works,business,birmingham,info@aston.example,small\n"
)


def emails(app) -> int:
    return len(list((Path(app.instance_path) / "outbox").glob("*.eml")))


@pytest.fixture
def ready(app):
    consultation = make_consultation()
    client = signed_in(app, "editor")
    assert upload(client, CSV).status_code == 302
    return consultation, client, f"/staff/consultations/{consultation.id}/invitations"


def send_form(page, page_url: str) -> dict[str, str]:
    """The fields the page's sending form sends (not the header's sign-out form's), the
    search's among them (they belong to it: tidy30)."""
    html = soup(page)
    return dict(form_data(html, html.find("form", action=f"{page_url}/send")))


def invite(client, page_url: str, names: list[str]):
    ids = [
        str(o.id)
        for o in db.session.scalars(select(Organisation).where(Organisation.name.in_(names)))
    ]
    return post(client, f"{page_url}/send", {"organisation": ids}, page_url=page_url)


def test_sending_redirects_to_a_summary_that_reload_does_not_resend(app, ready):
    consultation, client, page_url = ready
    sent = invite(client, page_url, ["Tipton Trust"])
    assert sent.status_code == 302
    summary = sent.headers["Location"]
    assert f"{page_url}/sent/" in summary
    assert emails(app) == 1
    for _ in range(2):  # the redirect, then a reload
        page = client.get(summary)
        assert page.status_code == 200 and emails(app) == 1
        html = soup(page)
        assert html.h1.get_text() == "Invitation links created"
        rows = html.find(id="issued-links").find("tbody").find_all("tr")
        assert [r.find("td").get_text() for r in rows] == ["Tipton Trust"]
        delivered = rows[0].find_all("td")[2].get_text()
        assert delivered == "kept on the server, not emailed (no mail server is set up)"
        assert "does not send them again" in html.find(id="sent-count").get_text()
    other = signed_in(app, "viewer", email="viewer@example.org")
    assert other.get(summary).status_code == 403
    assert (
        client.get(
            f"/staff/consultations/{consultation.id + 1}/invitations/sent/"
            + summary.rsplit("/", 1)[1]
        ).status_code
        == 404
    )
    assert client.get(f"{page_url}/sent/not-a-batch").status_code == 404


def test_a_double_click_sends_once(app, ready):
    _, client, page_url = ready
    fields = send_form(client.get(page_url), page_url)
    assert len(fields["batch"]) == 32
    tipton = db.session.scalar(select(Organisation).where(Organisation.name == "Tipton Trust"))
    first = client.post(f"{page_url}/send", data={**fields, "organisation": str(tipton.id)})
    second = client.post(f"{page_url}/send", data={**fields, "organisation": str(tipton.id)})
    assert first.headers["Location"] == second.headers["Location"]
    assert emails(app) == 1
    invitation = db.session.scalar(select(Invitation))
    assert (
        invitation.reminders == 0 and db.session.scalar(select(db.func.count(Invitation.id))) == 1
    )


def test_the_sending_address_opened_directly_explains_and_sends_nothing(app, ready):
    _, client, page_url = ready
    page = client.get(f"{page_url}/send", follow_redirects=True)
    assert page.status_code == 200 and page.request.path == page_url
    assert "Nothing was sent. To send invitations, tick organisations" in page.get_data(
        as_text=True
    )
    assert emails(app) == 0


def test_reminders_are_not_offered_before_anyone_is_invited(app, ready):
    _, client, page_url = ready
    text = soup(client.get(page_url)).find(id="reminders").get_text(" ", strip=True)
    assert "no organisation has been invited yet" in text
    assert "Send reminders" not in text
    assert "Nobody to remind" in soup(client.get(f"{page_url}/remind")).h1.get_text()


def test_reminders_ask_first_with_the_email_and_respect_the_filters(app, ready):
    consultation, client, page_url = ready
    invite(client, page_url, ["Tipton Trust", "Forge Engineering Ltd", "Aston Works"])
    before = emails(app)
    listing = soup(client.get(page_url + "?partner_type=business"))
    button = listing.find(id="reminders").find("a", string=lambda s: s and "Send reminders" in s)
    assert button["href"] == f"{page_url}/remind?partner_type=business"
    assert "2 invited organisations have not submitted" in listing.find(id="reminders").get_text()

    confirm = client.get(button["href"])
    html = soup(confirm)
    assert html.h1.get_text() == "Send a reminder to 2 organisations?"
    assert "matching your filters" in html.find(id="who").get_text()
    names = [r.find("td").get_text() for r in html.find(id="recipients").tbody.find_all("tr")]
    assert names == ["Aston Works", "Forge Engineering Ltd"]
    preview = html.find(id="preview").get_text(" ", strip=True)
    assert f"Subject: Reminder: Your views: {consultation.title}" in preview
    assert "This is a reminder" in preview and "[their own link to respond]" in preview
    assert emails(app) == before  # nothing sent by looking

    unconfirmed = client.post(
        f"{page_url}/send", data={**send_form(confirm, page_url), "confirmed": ""}
    )
    assert unconfirmed.headers["Location"].endswith("/remind?partner_type=business")
    assert emails(app) == before

    done = client.post(f"{page_url}/send", data=send_form(confirm, page_url), follow_redirects=True)
    assert soup(done).h1.get_text() == "Reminder links created"
    assert emails(app) == before + 2
    back = soup(done).find("a", string="Back to invitations")["href"]
    assert back == f"{page_url}?partner_type=business"
    reminded = {i.organisation.name: i.reminders for i in db.session.scalars(select(Invitation))}
    assert reminded == {"Tipton Trust": 0, "Forge Engineering Ltd": 1, "Aston Works": 1}


def test_the_not_submitted_filter_and_back_to_invitations_keep_the_filters(app, ready):
    _, client, page_url = ready
    invite(client, page_url, ["Tipton Trust"])
    listing = soup(client.get(page_url + "?status=not+submitted"))
    rows = listing.find("table").tbody.find_all("tr")
    assert [r.find_all("td")[1].contents[0].strip() for r in rows] == ["Tipton Trust"]
    assert listing.find("option", value="not submitted").has_attr("selected")

    filtered = page_url + "?area=dudley"
    forge = db.session.scalar(select(Organisation).where(Organisation.name.startswith("Forge")))
    fields = send_form(client.get(filtered), page_url)
    assert fields["area"] == "dudley"
    sent = client.post(f"{page_url}/send", data={**fields, "organisation": str(forge.id)})
    summary = soup(client.get(sent.headers["Location"]))
    assert summary.find("a", string="Back to invitations")["href"] == filtered


def test_a_button_address_opened_directly_says_so_and_leads_back_to_staff_pages(app, ready):
    consultation, client, _ = ready
    page = client.get(f"/staff/consultations/{consultation.id}/status")
    assert page.status_code == 405
    html = soup(page)
    assert html.h1.get_text() == "This page cannot be opened directly"
    assert "nothing was done" in html.main.get_text()
    assert html.main.find("a", string="Go to your consultations")["href"] == "/staff/"
    partner = app.test_client().get("/no-such-page")
    assert partner.status_code == 404
    assert soup(partner).main.find("a", string="Go to the start")["href"] == "/"


def test_invite_all_matching_asks_first_and_invites_every_page_once(app, ready):
    """375 organisations need not be ticked page by page: "Invite all" takes every
    organisation matching the filters that has not been invited, after a page that shows the
    count, the list and the email; a double-click or a reload sends nothing more."""
    consultation, client, page_url = ready
    invite(client, page_url, ["Forge Engineering Ltd"])
    before = emails(app)
    listing = soup(client.get(page_url + "?partner_type=business"))
    offer = listing.find(id="invite-all")
    assert "1 organisation matching your filters has not been invited yet" in offer.get_text(
        " ", strip=True
    )
    button = offer.find(
        "a", string=lambda s: s and "Invite the 1 organisation not yet invited" in s
    )
    assert button["href"] == f"{page_url}/invite-all?partner_type=business"

    confirm = client.get(button["href"])
    html = soup(confirm)
    assert html.h1.get_text() == "Invite 1 organisation?"
    assert "matching your filters" in html.find(id="who").get_text()
    names = [r.find("td").get_text() for r in html.find(id="recipients").tbody.find_all("tr")]
    assert names == ["Aston Works"]  # Forge is invited already; Tipton is not a business
    preview = html.find(id="preview").get_text(" ", strip=True)
    assert f"Your views: {consultation.title}" in preview and "reminder" not in preview.lower()
    assert emails(app) == before  # nothing sent by looking

    form = send_form(confirm, page_url)
    assert form["mode"] == "invite_all"
    unconfirmed = client.post(f"{page_url}/send", data={**form, "confirmed": ""})
    assert unconfirmed.headers["Location"].endswith("/invite-all?partner_type=business")
    assert emails(app) == before

    done = client.post(f"{page_url}/send", data=form, follow_redirects=True)
    assert soup(done).h1.get_text() == "Invitation links created"
    assert emails(app) == before + 1
    again = client.post(f"{page_url}/send", data=form)  # a double-click: the same batch
    assert "/sent/" in again.headers["Location"] and emails(app) == before + 1
    invited = db.session.scalars(
        select(Organisation.name)
        .join(Invitation)
        .where(Invitation.consultation_id == consultation.id)
    ).all()
    assert sorted(invited) == ["Aston Works", "Forge Engineering Ltd"]

    # Nobody left among the businesses: no offer, and the page says so if opened.
    assert soup(client.get(page_url + "?partner_type=business")).find(id="invite-all") is None
    nobody = soup(client.get(f"{page_url}/invite-all?partner_type=business"))
    assert nobody.h1.get_text() == "Nobody left to invite"
    # Without filters, the rest (Tipton) is still offered.
    assert "Invite the 1 organisation not yet invited" in soup(client.get(page_url)).find(
        id="invite-all"
    ).get_text(" ", strip=True)


def test_invite_all_is_not_offered_when_invitations_cannot_be_sent(app, ready):
    consultation, client, page_url = ready
    consultation.status = "closed"
    db.session.commit()
    assert soup(client.get(page_url)).find(id="invite-all") is None
    refused = client.get(f"{page_url}/invite-all")
    assert refused.status_code == 302 and emails(app) == 0


def test_reminders_wait_until_a_scheduled_consultation_opens(app, ready):
    """Before a scheduled consultation opens nobody can have responded, so 'we have not yet
    received your response' read oddly: invitations go, reminders are refused (on the page,
    from the confirmation address and from a posted form) with the opening date, never a
    500, and nothing is sent or counted."""
    consultation, client, page_url = ready
    consultation.opens_at = utcnow() + timedelta(days=3)
    db.session.commit()
    opens = uk_time(consultation.opens_at)
    assert invite(client, page_url, ["Tipton Trust", "Aston Works"]).status_code == 302
    before = emails(app)
    assert before == 2  # invitations still go before opening

    listing = soup(client.get(page_url))
    reminders = listing.find(id="reminders").get_text(" ", strip=True)
    assert f"Reminders can be sent once the consultation opens, on {opens}" in reminders
    assert listing.find("a", string=lambda s: s and "Send reminders" in s) is None
    assert "Invitations sent before then say when it opens" in listing.find(id="opens-later").text

    confirm = client.get(f"{page_url}/remind", follow_redirects=True)
    assert confirm.status_code == 200 and confirm.request.path == page_url
    assert "Nothing was sent. Reminders can be sent once" in confirm.get_data(as_text=True)

    fields = send_form(client.get(page_url), page_url)
    posted = client.post(
        f"{page_url}/send",
        data={**fields, "mode": "remind", "confirmed": "yes"},
        follow_redirects=True,
    )
    assert posted.status_code == 200 and posted.request.path == page_url
    assert "Nothing was sent. Reminders can be sent once" in posted.get_data(as_text=True)
    assert emails(app) == before
    assert [i.reminders for i in db.session.scalars(select(Invitation))] == [0, 0]

    consultation.opens_at = utcnow() - timedelta(minutes=1)  # it has opened
    db.session.commit()
    opened = soup(client.get(page_url)).find(id="reminders")
    assert opened.find("a", string=lambda s: s and "Send reminders" in s) is not None


def test_the_list_to_invite_opts_in_to_select_all_only_when_sending_is_allowed(app, ready):
    """The button is made by static/js/select-all.mjs from the form's data-select-all (so
    without JavaScript there is none); a page that cannot send has neither."""
    consultation, client, page_url = ready
    page = soup(client.get(page_url))
    form = page.find("form", action=f"{page_url}/send")
    assert form["data-select-all"] == "organisation"
    assert form.find_all("input", attrs={"name": "organisation"})
    assert page.find("script", src=lambda src: src and src.endswith("/js/select-all.mjs"))
    assert "Select all" not in page.get_text()  # no button in the HTML itself
    consultation.status = "closed"
    db.session.commit()
    closed = soup(client.get(page_url))
    assert not closed.find(attrs={"data-select-all": True})
    assert not closed.find("script", src=lambda src: src and "select-all" in src)


def test_the_summary_table_names_each_cell_for_a_phone(app, ready):
    """Below the tablet breakpoint the table of links reads a row at a time, each cell under
    its column's name (data-label), so it reflows at 320 px (tests/test_browser_invitations.py
    checks it in Chromium)."""
    _, client, page_url = ready
    sent = invite(client, page_url, ["Tipton Trust", "Aston Works"])
    table = soup(client.get(sent.headers["Location"])).find(id="issued-links")
    assert "consult-stack-table" in table["class"] and table["role"] == "table"
    headers = [th.get_text() for th in table.thead.find_all("th")]
    for row in table.tbody.find_all("tr"):
        assert [td["data-label"] for td in row.find_all("td")] == headers
        assert row["role"] == "row" and {td["role"] for td in row.find_all("td")} == {"cell"}
    assert headers == ["Organisation", "Email", "Delivered", "Link"]
