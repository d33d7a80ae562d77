"""Invitation emails: the consultation's sender, wording, signature, privacy link and UK closing
time; tokens committed before sending over one SMTP connection; a failure part-way is reported
and loses no link. Real SMTP over a local socket (tests/smtp_stub.py)."""

from __future__ import annotations

import io
from datetime import UTC, datetime
from email import message_from_bytes, policy
from pathlib import Path

import pytest
from openpyxl import Workbook
from sqlalchemy import func, select

from consult.extensions import db
from consult.models import Invitation, Organisation
from tests.helpers import make_consultation, soup
from tests.smtp_stub import SmtpStub
from tests.staff_helpers import post, signed_in

pytestmark = pytest.mark.backends("sqlite", "postgresql")


def organisations(count: int) -> list[Organisation]:
    made = [
        Organisation(
            name=f"Partner {n}",
            partner_type="vcse",
            area="sandwell",
            contact_email=f"partner{n}@example.org",
        )
        for n in range(1, count + 1)
    ]
    db.session.add_all(made)
    db.session.commit()
    return made


def send_invitations(client, consultation, chosen):
    page_url = f"/staff/consultations/{consultation.id}/invitations"
    return post(
        client,
        f"{page_url}/send",
        {"mode": "invite", "organisation": [str(o.id) for o in chosen]},
        page_url=page_url,
        follow_redirects=True,
    )


def issued_links(page) -> dict[str, tuple[str, str]]:
    """organisation -> (delivered, link) from the page's table."""
    rows = soup(page).find(id="issued-links").find("tbody").find_all("tr")
    return {
        r.find_all("td")[0].get_text(strip=True): (
            r.find_all("td")[2].get_text(" ", strip=True),
            r.find("a")["href"].replace("http://localhost", ""),
        )
        for r in rows
    }


def test_invitation_comes_from_the_consultation_with_its_wording(app):
    consultation = make_consultation()
    consultation.closes_at = datetime(2030, 7, 12, 16, 0, tzinfo=UTC)  # 5pm BST
    consultation.email_sender_name = "Transport Team"
    consultation.email_sender_address = "transport@wmca.example"
    consultation.contact_email = "questions@wmca.example"
    consultation.invitation_message = "Tell us what buses your staff need."
    consultation.email_signature = "Jo Bloggs\nHead of Transport Policy"
    db.session.commit()
    chosen = organisations(1)
    client = signed_in(app, "editor")
    assert send_invitations(client, consultation, chosen).status_code == 200

    [path] = (Path(app.instance_path) / "outbox").glob("*.eml")
    message = message_from_bytes(path.read_bytes(), policy=policy.default)
    assert message["From"] == "Transport Team <transport@wmca.example>"
    assert message["Reply-To"] == "questions@wmca.example"
    # dated and identified, as mail systems expect (their absence is scored as spam)
    assert message["Date"].datetime.tzinfo is not None
    assert message["Message-ID"].endswith("@wmca.example>")
    body = message.get_content()
    assert "Tell us what buses your staff need." in body
    assert "closes on 12 July 2030 at 5pm (UK time)" in body
    assert body.rstrip().endswith("Jo Bloggs\nHead of Transport Policy")
    privacy = next(line for line in body.splitlines() if line.startswith("How we use your"))
    privacy_url = privacy.split(": ", 1)[1]
    assert privacy_url == f"http://localhost/c/{consultation.slug}/privacy"
    notice = app.test_client().get(privacy_url.replace("http://localhost", ""))
    assert notice.status_code == 200 and "We keep answers safe." in notice.get_data(as_text=True)


def test_invitation_defaults_are_sensible(app):
    consultation = make_consultation()
    consultation.closes_at = datetime(2030, 1, 10, 17, 30, tzinfo=UTC)  # GMT in winter
    db.session.commit()
    organisations(1)
    client = signed_in(app, "editor")
    send_invitations(client, consultation, db.session.scalars(select(Organisation)).all())
    [path] = (Path(app.instance_path) / "outbox").glob("*.eml")
    message = message_from_bytes(path.read_bytes(), policy=policy.default)
    assert message["From"] == (
        f"{app.config['ORGANISATION_NAME']} consultations <{app.config['MAIL_SENDER']}>"
    )
    body = message.get_content()
    assert "We would like your organisation's views on Test consultation on transport." in body
    assert "closes on 10 January 2030 at 5:30pm (UK time)" in body
    assert "How we use your information: http://localhost/c/transport-test/privacy" in body
    assert body.rstrip().endswith(f"The consultation team\n{app.config['ORGANISATION_NAME']}")


def test_failure_sending_the_third_of_five_keeps_every_link_and_says_which(app):
    consultation = make_consultation()
    chosen = organisations(5)
    client = signed_in(app, "editor")
    with SmtpStub() as stub:
        stub.configure(app)
        stub.mailbox.refuse.add("partner3@example.org")
        page = send_invitations(client, consultation, chosen)
    assert page.status_code == 200
    # One connection carried every message; the refused one did not stop the rest.
    assert stub.mailbox.connections == 1
    assert sorted(stub.mailbox.recipients()) == [f"partner{n}@example.org" for n in (1, 2, 4, 5)]
    links = issued_links(page)
    assert links["Partner 3"][0].startswith(
        "not sent: the mail server refused this address (550 No such mailbox)."
    ), links["Partner 3"]
    assert all(links[f"Partner {n}"][0] == "sent" for n in (1, 2, 4, 5))
    warning = soup(page).find(id="not-sent").get_text(" ", strip=True)
    assert "1 of 5 emails could not be sent: Partner 3" in warning
    # All five tokens were committed: every link, sent or not, opens the consultation.
    db.session.expire_all()
    assert db.session.scalar(select(func.count(Invitation.id))) == 5
    for _, link in links.values():
        opened = app.test_client().get(link)
        assert opened.status_code == 302 and opened.headers["Location"].endswith(
            f"/c/{consultation.slug}"
        )
    # The mail-merge file says which were not sent too.
    merge_link = soup(page).find("a", string=lambda s: s and "mail merge" in s)["href"]
    merge = client.get(merge_link).get_data(as_text=True)
    assert "Partner 3,partner3@example.org" in merge and "not sent" in merge


def test_a_mail_server_that_is_down_still_commits_every_link(app):
    consultation = make_consultation()
    chosen = organisations(3)
    client = signed_in(app, "editor")
    with SmtpStub() as stub:
        port = stub.port
    app.config.update(MAIL_SERVER="127.0.0.1", MAIL_PORT=port)  # nothing listens there now
    page = send_invitations(client, consultation, chosen)
    assert page.status_code == 200
    links = issued_links(page)
    # Said in words, not as Python's repr of the error (smoke28); nobody is marked bounced,
    # since the addresses were never tried.
    assert all(
        delivered.startswith("not sent: the mail server could not be reached (")
        for delivered, _ in links.values()
    ), links
    db.session.expire_all()
    assert not any(o.bounced for o in db.session.scalars(select(Organisation)))
    for _, link in links.values():
        assert app.test_client().get(link).status_code == 302


def test_bounced_back_link_cannot_leave_the_site(app):
    client = signed_in(app, "editor")
    [organisation] = organisations(1)
    for target in ("https://evil.example/", "//evil.example/", "/\\evil.example/"):
        done = post(
            client,
            f"/staff/organisations/{organisation.id}/bounced",
            {"bounced": "yes", "back": target},
            page_url="/staff/organisations",
        )
        assert done.status_code == 302
        assert "evil.example" not in done.headers["Location"], target
    local = post(
        client,
        f"/staff/organisations/{organisation.id}/bounced",
        {"bounced": "no", "back": "/staff/organisations?page=2"},
        page_url="/staff/organisations",
    )
    assert local.headers["Location"].endswith("/staff/organisations?page=2")


def test_organisations_upload_reads_xlsx_like_any_other_table(app):
    workbook = Workbook()
    sheet = workbook.active
    sheet.append(["name", "partner_type", "area", "contact_email"])
    sheet.append(["Tipton Trust", "vcse", "sandwell", "hello@tipton.example"])
    buffer = io.BytesIO()
    workbook.save(buffer)
    client = signed_in(app, "editor")
    done = post(
        client,
        "/staff/organisations/upload",
        {"file": (io.BytesIO(buffer.getvalue()), "organisations.xlsx")},
        page_url="/staff/organisations",
        content_type="multipart/form-data",
    )
    assert done.status_code == 302
    assert db.session.scalar(select(Organisation.name)) == "Tipton Trust"
