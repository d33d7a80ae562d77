"""Organisations from a CSV, invitation links by outbox, answering, status, reminders."""

from __future__ import annotations

import io
from pathlib import Path

import pytest
from sqlalchemy import func, select

from consult.extensions import db
from consult.models import Invitation, Organisation
from tests.helpers import hidden_fields, make_consultation, soup, submitted_invitation
from tests.staff_helpers import post, signed_in

GOOD_CSV = (
    b"name,partner_type,area,contact_email,size_band\n"
    b"Tipton Trust,vcse,sandwell,hello@tipton.example,\n"
    b"Forge Engineering Ltd,Business,Dudley,info@forge.example,small\n"
)
BAD_CSV = GOOD_CSV + b"Mystery Org,spaceship,Mars,not-an-email,\n"

pytestmark = pytest.mark.backends("sqlite", "postgresql")


def upload(client, content: bytes):
    return post(
        client,
        "/staff/organisations/upload",
        {"file": (io.BytesIO(content), "orgs.csv")},
        page_url="/staff/organisations/upload",
        content_type="multipart/form-data",
    )


def test_csv_with_a_bad_row_adds_nothing(app):
    client = signed_in(app, "editor")
    page = upload(client, BAD_CSV)
    assert page.status_code == 400
    problems = soup(page).find(id="upload-problems").get_text()
    assert "Row 4" in problems and "unknown partner type 'spaceship'" in problems
    assert db.session.scalar(select(func.count(Organisation.id))) == 0


def test_invitation_lifecycle(app):
    consultation = make_consultation()
    client = signed_in(app, "editor")
    assert upload(client, GOOD_CSV).status_code == 302
    organisations = db.session.scalars(select(Organisation).order_by(Organisation.name)).all()
    assert [o.partner_type for o in organisations] == ["business", "vcse"]

    page_url = f"/staff/consultations/{consultation.id}/invitations"
    sent = post(
        client,
        f"{page_url}/send",
        {"mode": "invite", "organisation": [str(o.id) for o in organisations]},
        page_url=page_url,
        follow_redirects=True,
    )
    assert sent.status_code == 200
    table_rows = soup(sent).find(id="issued-links").find("tbody").find_all("tr")
    link_of = {row.find("td").get_text(strip=True): row.find("a")["href"] for row in table_rows}
    links = list(link_of.values())
    assert len(links) == 2 and all("/i/" in link for link in links)
    outbox = Path(app.instance_path) / "outbox"
    assert len(list(outbox.glob("*.eml"))) == 2
    merge_link = soup(sent).find("a", string=lambda s: s and "mail merge" in s)["href"]
    merge = client.get(merge_link)
    assert merge.status_code == 200 and b"Tipton Trust" in merge.data

    # Tipton answers through its link and submits.
    tipton_link = link_of["Tipton Trust"]
    partner = app.test_client()
    partner.get(tipton_link.replace("http://localhost", ""))
    start = partner.get(f"/c/{consultation.slug}")
    partner.post(f"/c/{consultation.slug}", data=hidden_fields(start))
    from tests.helpers import ORGANISATION_ANSWERS, post_form, section_one, section_two

    base = f"/c/{consultation.slug}"
    post_form(partner, f"{base}/organisation", ORGANISATION_ANSWERS)
    post_form(partner, f"{base}/section/1", section_one(consultation))
    post_form(partner, f"{base}/section/2", section_two(consultation))
    post_form(partner, f"{base}/check", {}, action=None)

    status = client.get(page_url)
    counts = soup(status).find(id="status-counts").get_text(" ", strip=True)
    assert "Submitted: 1" in counts and "Not started: 1" in counts

    # Reminders go only to those who have not submitted; the first link still works.
    forge = next(o for o in organisations if o.name.startswith("Forge"))
    forge_invitation = db.session.scalar(
        select(Invitation).where(Invitation.organisation_id == forge.id)
    )
    first_link = link_of["Forge Engineering Ltd"]
    reminded = post(
        client,
        f"{page_url}/send",
        {"mode": "remind", "confirmed": "yes"},
        page_url=page_url,
        follow_redirects=True,
    )
    reminder_links = soup(reminded).find(id="issued-links").find_all("a")
    assert len(reminder_links) == 1
    db.session.refresh(forge_invitation)
    assert forge_invitation.reminders == 1
    old = app.test_client().get(first_link.replace("http://localhost", ""))
    new = app.test_client().get(reminder_links[0]["href"].replace("http://localhost", ""))
    assert old.status_code == 302 and new.status_code == 302

    # A bounced address is marked and left out of reminders.
    post(
        client,
        f"/staff/organisations/{forge.id}/bounced",
        {"bounced": "yes"},
        page_url="/staff/organisations",
    )
    nobody = post(
        client, f"{page_url}/send", {"mode": "remind"}, page_url=page_url, follow_redirects=True
    )
    assert "Nobody to remind" in nobody.get_data(as_text=True)


def test_add_one_organisation_and_duplicate_name(app):
    client = signed_in(app, "editor")
    data = {
        "name": "Walsall College",
        "partner_type": "fe_college",
        "area": "walsall",
        "size_band": "",
        "contact_email": "hi@walsall.example",
    }
    assert post(client, "/staff/organisations/new", data).status_code == 302
    again = post(client, "/staff/organisations/new", data)
    assert "already listed" in again.get_data(as_text=True)


@pytest.mark.parametrize(
    ("left_out", "changed", "message"),
    [
        ("size_band", {}, "Select the organisation&#39;s business size, or Not a business"),
        (
            "",
            {"size_band": "huge"},
            "Select the organisation&#39;s business size, or Not a business",
        ),
        ("partner_type", {}, "Select the organisation&#39;s partner type"),
        ("", {"area": "mars"}, "Select the organisation&#39;s area"),
    ],
)
def test_a_hand_made_add_without_a_choice_says_which_to_select(app, left_out, changed, message):
    """tidy30: an add-organisation post without its size field (or with a value no option
    has) said "Not a valid choice."; it names the field, as GOV.UK's error messages do."""
    client = signed_in(app, "editor")
    data = {"name": "Walsall College", "partner_type": "fe_college", "area": "walsall"}
    data |= {"size_band": "", "contact_email": "hi@walsall.example", **changed}
    data.pop(left_out, None)
    refused = post(client, "/staff/organisations/new", data)
    page = refused.get_data(as_text=True)
    assert refused.status_code == 200 and "Not a valid choice" not in page
    assert page.count(message) == 2  # in the error summary and by the field
    assert db.session.scalar(select(func.count()).select_from(Organisation)) == 0


def _latest_email(app) -> str:
    from email import message_from_bytes, policy

    outbox = Path(app.instance_path) / "outbox"
    newest = max(outbox.glob("*.eml"), key=lambda p: p.stat().st_mtime_ns)
    message = message_from_bytes(newest.read_bytes(), policy=policy.default)
    return " ".join(message.get_body(("plain",)).get_content().split())


def test_inviting_again_mentions_the_draft_in_progress(app):
    """Review finding: re-inviting an organisation that had started a response sent the
    first-time wording, with no word of its draft."""
    from consult.invitations import DRAFT_IN_PROGRESS, issue
    from consult.models import Response
    from tests.helpers import make_invitation

    consultation = make_consultation()
    invitation, _ = make_invitation(consultation)
    organisation = invitation.organisation
    fresh = Organisation(
        name="Beta Ltd", partner_type="business", area="coventry", contact_email="b@beta.example"
    )
    db.session.add(fresh)
    db.session.commit()
    issue(consultation, [fresh])
    first_time = _latest_email(app)
    assert "already started" not in first_time and "the one we sent before" not in first_time
    db.session.add(
        Response(
            consultation=consultation,
            invitation=invitation,
            reference="WM-DRAFT-1",
            status="draft",
            organisation_name=organisation.name,
        )
    )
    db.session.commit()
    issue(consultation, [organisation])
    again = _latest_email(app)
    assert " ".join(DRAFT_IN_PROGRESS.split()) in again
    assert "You can use this link or the one we sent before." in again
    assert "replaces" not in again and "still works too" not in again  # smoke9 #20
    issue(consultation, [organisation], reminder=True)
    reminder = _latest_email(app)
    assert reminder.index("This is a reminder") < reminder.index("already started a response")


def test_the_email_for_ticked_organisations_can_be_read_before_sending(app):
    """'Invite all' and reminders show the email before sending; ticking organisations and
    pressing 'Send invitations' did not: the page now holds the email, ready to open."""
    consultation = make_consultation()
    client = signed_in(app, "editor")
    assert upload(client, GOOD_CSV).status_code == 302
    page = soup(client.get(f"/staff/consultations/{consultation.id}/invitations"))
    details = page.find(id="invitation-email")
    assert "See the email the organisations ticked will get" in details.get_text()
    preview = details.find(id="invitation-preview").get_text(" ", strip=True)
    assert consultation.title in preview and "[their own link to respond]" in preview
    assert "the one we sent before" not in preview  # a first invitation
    form = details.find_parent("form")
    assert form is not None and form.find("button", string=lambda s: s and "ticked" in s)


def test_an_organisation_that_has_submitted_is_not_offered_or_invited_again(app):
    """Smoke finding: the invitations page offered an "Invite" box for an organisation that
    had submitted, and sending would have mailed it a new link."""
    consultation = make_consultation()
    invitation = submitted_invitation(consultation)
    answered = invitation.organisation
    waiting = Organisation(
        name="Beta Ltd", partner_type="business", area="coventry", contact_email="b@beta.example"
    )
    db.session.add(waiting)
    db.session.commit()
    client = signed_in(app, "editor")
    page_url = f"/staff/consultations/{consultation.id}/invitations"
    page = soup(client.get(page_url))
    assert page.find(id=f"org-{answered.id}") is None  # no box, ticked or not
    assert page.find(id=f"org-{answered.id}-submitted").get_text() == "Submitted"
    assert page.find(id=f"org-{waiting.id}")["type"] == "checkbox"
    outbox = Path(app.instance_path) / "outbox"
    before = len(list(outbox.glob("*.eml")))
    token_before = invitation.token_hash

    # Sent anyway (a page from before it submitted, or a hand-made form): nothing is sent.
    refused = post(
        client,
        f"{page_url}/send",
        {"mode": "invite", "organisation": [str(answered.id), str(waiting.id)]},
        page_url=page_url,
    )
    # Back with the other still ticked (review29: the ticks were all dropped).
    back = f"{page_url}?chosen={waiting.id}"
    assert refused.status_code == 302 and refused.headers["Location"].endswith(back)
    again = soup(client.get(back))
    said = " ".join(again.find("main").get_text().split())
    assert (
        "Nothing was sent. Aldridge College has already submitted its response, so it cannot "
        "be invited again. It is unticked: send the invitations again."
    ) in said
    assert again.find(id=f"org-{waiting.id}").has_attr("checked")
    assert len(list(outbox.glob("*.eml"))) == before
    db.session.expire_all()
    assert db.session.get(Invitation, invitation.id).token_hash == token_before
    assert db.session.scalar(select(func.count()).select_from(Invitation)) == 1

    # The others alone go as before.
    sent = post(
        client,
        f"{page_url}/send",
        {"mode": "invite", "organisation": [str(waiting.id)]},
        page_url=page_url,
        follow_redirects=True,
    )
    assert (
        soup(sent)
        .find(id="sent-count")
        .get_text()
        .startswith("1 invitation link created; not emailed")
    )
    assert soup(sent).h1.get_text() == "Invitation links created"  # smoke walk 8, finding 12
    said = " ".join(soup(sent).find("main").get_text().split())
    assert "1 invitation link created; not emailed: no mail server is set up." in said


def test_the_banner_after_sending_says_only_what_happened():
    """Finding 11: "2 invitations sent." while the table beside it said each was kept on the
    server, not emailed (no mail server is set up)."""
    from consult.invitations import delivered_summary

    def links(*ways: str) -> list[str]:
        return list(ways)  # each link's IssuedLink.delivered

    assert delivered_summary(links("outbox", "outbox")) == (
        "2 invitation links created; not emailed: no mail server is set up."
    )
    assert delivered_summary(links("sent", "sent")) == "2 invitations emailed."
    assert delivered_summary(links("sent"), reminder=True) == "1 reminder emailed."
    assert delivered_summary(links("sent", "no email", "not sent")) == (
        "3 invitation links created; 1 emailed; not emailed (1): no email address; "
        "not emailed (1): the email could not be sent (see below)."
    )
    assert delivered_summary(links("outbox"), reminder=True) == (
        "1 reminder link created; not emailed: no mail server is set up."
    )


def test_the_page_after_sending_is_headed_with_what_happened():
    """Smoke walk 8, finding 12: the page after Send was headed "Invitations sent" and said
    "2 invitations issued" when no mail server was set up; "emailed" only when they were."""
    from consult.invitations import delivered_summary, issued_heading

    assert issued_heading(["outbox", "outbox"]) == "Invitation links created"
    assert issued_heading(["sent", "not sent"]) == "Invitation links created"
    assert issued_heading(["sent", "sent"]) == "Invitations emailed"
    assert issued_heading(["sent"], reminder=True) == "Reminders emailed"
    assert issued_heading(["no email"], reminder=True) == "Reminder links created"
    assert delivered_summary(["outbox", "outbox"]) == (
        "2 invitation links created; not emailed: no mail server is set up."
    )


def test_the_refusal_names_a_few_submitted_organisations():
    from consult.invitations import submitted_refusal

    def named(*names: str) -> list[Organisation]:
        return [Organisation(name=name) for name in names]

    two = submitted_refusal(named("A", "B"))
    assert two.startswith("A and B have already submitted their responses")
    many = submitted_refusal(named(*"ABCDEFG"))
    assert many.startswith("A, B, C, D, E and 2 more have already submitted")
