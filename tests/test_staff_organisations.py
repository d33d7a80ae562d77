"""Organisations and invitations pages: search, filters, 50 a page, add at the top, change,
and delete that asks first and never loses a response; statuses in one query."""

from __future__ import annotations

from contextlib import contextmanager
from datetime import timedelta

import pytest
from sqlalchemy import event, func, select

from consult import invitations, organisations
from consult.extensions import db
from consult.models import AuditEvent, Invitation, Organisation, Response, utcnow
from consult.staff.paging import misplaced, paginate, pagination
from consult.tokens import hash_token, new_token
from tests.helpers import make_consultation, soup
from tests.staff_helpers import post, signed_in

pytestmark = pytest.mark.backends("sqlite", "postgresql")


def add_organisations(count: int, **fields) -> list[Organisation]:
    made = [
        Organisation(
            name=f"Org {n:03d}",
            partner_type=fields.get("partner_type", "business"),
            area=fields.get("area", "coventry"),
            contact_email=f"team{n}@org{n}.example",
        )
        for n in range(count)
    ]
    db.session.add_all(made)
    db.session.commit()
    return made


def invite(consultation, organisation, response_status: str | None = None) -> Invitation:
    invitation = Invitation(
        consultation=consultation,
        organisation=organisation,
        token_hash=hash_token(new_token()),
        expires_at=utcnow() + timedelta(days=30),
    )
    db.session.add(invitation)
    if response_status:
        db.session.add(
            Response(
                consultation=consultation,
                invitation=invitation,
                reference=f"WM-{organisation.name[-3:]}-{response_status[:1]}",
                status=response_status,
                submitted_at=utcnow() if response_status == "submitted" else None,
            )
        )
    db.session.commit()
    return invitation


@contextmanager
def counted_queries():
    statements: list[str] = []

    def count(conn, cursor, statement, *args):
        statements.append(statement)

    event.listen(db.engine, "before_cursor_execute", count)
    try:
        yield statements
    finally:
        event.remove(db.engine, "before_cursor_execute", count)


def test_search_by_name_or_email_type_and_area(app):
    add_organisations(3)
    db.session.add_all(
        [
            Organisation(name="Walsall College", partner_type="fe_college", area="walsall"),
            Organisation(
                name="100% Digital",
                partner_type="business",
                area="walsall",
                contact_email="Hello@Walsall-Digital.example",
            ),
        ]
    )
    db.session.commit()

    def names(**search) -> list[str]:
        query = organisations.listing(organisations.Search(**search))
        return [o.name for o in db.session.scalars(query).all()]

    assert names(text="WALSALL") == ["100% Digital", "Walsall College"]  # name or email
    assert names(text="walsall", partner_type="fe_college") == ["Walsall College"]
    assert names(area="walsall", partner_type="business") == ["100% Digital"]
    assert names(text="100%") == ["100% Digital"]
    assert names(text="%") == ["100% Digital"]  # a literal percent sign, not a wildcard
    assert len(names()) == 5


def test_paging_clamps_and_builds_the_govuk_component(app):
    add_organisations(120)
    query = organisations.listing(organisations.Search())
    first = paginate(query, 1)
    assert (len(first.items), first.pages, first.first, first.last) == (50, 3, 1, 50)
    last = paginate(query, 99)  # past the end: the last page, never an error
    assert (last.number, len(last.items), last.first, last.last) == (3, 20, 101, 120)
    assert paginate(query, -4).number == 1
    params = pagination(first, lambda n: f"?page={n}")
    assert [i.get("number") for i in params["items"]] == [1, 2, 3]
    assert params["items"][0]["current"] and "previous" not in params
    assert params["next"]["href"] == "?page=2"
    many = paginate(organisations.listing(organisations.Search()), 2, per_page=10)
    items = pagination(many, str)["items"]
    assert [i.get("number", "…") for i in items] == [1, 2, 3, "…", 12]
    assert pagination(paginate(query, 1, per_page=500), str) is None


def test_organisations_page_is_paged_with_add_at_the_top(app):
    add_organisations(120)
    client = signed_in(app, "editor")
    page = client.get("/staff/organisations")
    html = soup(page)
    rows = html.find("tbody").find_all("tr")
    assert len(rows) == 50
    assert "Showing 1 to 50 of 120 organisations" in html.find(id="result-count").get_text()
    add = html.find("a", string=lambda s: s and "Add organisation" in s)
    assert add["href"] == "/staff/organisations/new"
    assert add.find_next("table") is not None  # the button comes before the list
    nav = html.find("nav", class_="govuk-pagination")
    assert nav.find("a", rel="next")["href"].endswith("page=2")

    third = soup(client.get("/staff/organisations?page=3"))
    assert len(third.find("tbody").find_all("tr")) == 20
    found = soup(client.get("/staff/organisations?q=org+007&partner_type=nonsense"))
    assert [r.find("td").get_text() for r in found.find("tbody").find_all("tr")] == ["Org 007"]
    assert found.find(id="q")["value"] == "org 007"


def test_misplaced_page_numbers():
    assert not misplaced(None, 1) and not misplaced("3", 3)
    assert all(misplaced(raw, 1) for raw in ("0", "-1", "abc", "", "01", " 1", "1.0"))
    assert misplaced("9", 8)


@pytest.mark.parametrize(
    ("asked", "shown"),
    [("9", 3), ("99999999999999999999", 3), ("0", 1), ("-1", 1), ("abc", 1), ("", 1)],
)
def test_a_page_that_is_not_there_redirects_to_one_that_is(app, asked, shown):
    """?page=9 of 3 pages repeated page 3 under page 9's address: each paged staff list now
    redirects past the end to the last page, and below 1 or a page that is not a number to
    the first, keeping its filters; never a 500."""
    add_organisations(120, partner_type="vcse")
    consultation = make_consultation()
    client = signed_in(app, "admin")
    lists = {
        "/staff/organisations?partner_type=vcse": 3,
        f"/staff/consultations/{consultation.id}/invitations?status=not+invited": 3,
    }
    for url, pages in lists.items():
        moved = client.get(f"{url}&page={asked}")
        assert moved.status_code == 302, url
        assert moved.headers["Location"] == f"{url}&page={min(shown, pages)}"
        page = client.get(moved.headers["Location"])
        assert page.status_code == 200
        caption = "" if min(shown, pages) == 1 else f"page {min(shown, pages)} of 3"
        assert caption in soup(page).find("title").get_text()
    audit = client.get(f"/staff/audit?page={asked}")  # a page or two of sign-ins and uploads
    assert audit.status_code == 302 and audit.headers["Location"] == "/staff/audit?page=1"
    responses = f"/staff/consultations/{consultation.id}/responses"
    moved = client.get(f"{responses}?status=any&q=x&page={asked}")
    assert moved.headers["Location"] == f"{responses}?status=any&q=x&page=1"
    assert client.get(moved.headers["Location"]).status_code == 200
    assert client.get("/staff/organisations?partner_type=vcse&page=2").status_code == 200


def test_a_new_organisation_has_no_type_or_area_chosen_for_it(app):
    """Skipping partner type and area is an error, not Business in Birmingham saved quietly;
    an organisation being changed shows its own."""
    client = signed_in(app, "editor")
    form = soup(client.get("/staff/organisations/new"))
    for name in ("partner_type", "area"):
        chosen = form.find("select", attrs={"name": name}).find("option", selected=True)
        assert chosen is None or chosen["value"] == ""
    refused = post(
        client,
        "/staff/organisations/new",
        {"name": "Tipton Men's Shed", "partner_type": "", "area": "", "size_band": ""},
    )
    page = refused.get_data(as_text=True)
    assert refused.status_code == 200
    assert "Select the organisation&#39;s partner type" in page or (
        "Select the organisation's partner type" in page
    )
    assert "area" in soup(refused).find(class_="govuk-error-summary").get_text()
    assert db.session.scalar(select(func.count(Organisation.id))) == 0
    (made,) = add_organisations(1, partner_type="vcse", area="dudley")
    shown = soup(client.get(f"/staff/organisations/{made.id}/edit"))
    assert (
        shown.find("select", attrs={"name": "area"}).find("option", selected=True)["value"]
        == "dudley"
    )


def test_change_an_organisation(app):
    first, second = add_organisations(2)
    client = signed_in(app, "editor")
    url = f"/staff/organisations/{first.id}/edit"
    form = soup(client.get(url))
    assert form.find(id="name")["value"] == "Org 000"
    details = {"partner_type": "vcse", "area": "dudley", "size_band": "", "contact_email": ""}
    taken = post(client, url, {**details, "name": "org 001"})
    assert "already listed" in taken.get_data(as_text=True)
    saved = post(client, url, {**details, "name": "Dudley Community Trust"})
    assert saved.status_code == 302
    db.session.expire_all()
    changed = db.session.get(Organisation, first.id)
    assert (changed.name, changed.partner_type, changed.contact_email) == (
        "Dudley Community Trust",
        "vcse",
        None,
    )
    assert db.session.scalar(
        select(AuditEvent).where(AuditEvent.action == "organisation_changed")
    ).detail


def test_delete_asks_first_and_takes_unanswered_invitations(app):
    consultation = make_consultation()
    (organisation,) = add_organisations(1)
    invite(consultation, organisation)
    client = signed_in(app, "editor")
    confirm_url = f"/staff/organisations/{organisation.id}/delete"
    page = soup(client.get(confirm_url))
    assert page.h1.get_text() == "Are you sure you want to delete Org 000?"
    assert "1 invitation will be deleted" in page.find(id="deletion-impact").get_text(" ")
    assert "govuk-button--warning" in page.find(id="deletion-impact").find("button")["class"]

    not_confirmed = post(client, confirm_url, {})
    assert not_confirmed.headers["Location"].endswith(confirm_url)
    assert db.session.get(Organisation, organisation.id) is not None

    done = post(client, confirm_url, {"confirmed": "yes"})
    assert done.status_code == 302
    db.session.expire_all()
    assert db.session.scalar(select(func.count(Organisation.id))) == 0
    assert db.session.scalar(select(func.count(Invitation.id))) == 0


@pytest.mark.parametrize("status", ["submitted", "draft"])
def test_delete_is_refused_when_responses_came_through_it(app, status):
    consultation = make_consultation()
    (organisation,) = add_organisations(1)
    invite(consultation, organisation, response_status=status)
    client = signed_in(app, "editor")
    confirm_url = f"/staff/organisations/{organisation.id}/delete"
    page = soup(client.get(confirm_url))
    assert page.h1.get_text() == "Org 000 cannot be deleted"
    assert "never deleted" in page.find(id="deletion-impact").get_text()
    assert page.find(id="deletion-impact").find("button") is None
    refused = post(client, confirm_url, {"confirmed": "yes"}, page_url="/staff/organisations")
    assert refused.headers["Location"].endswith(confirm_url)
    db.session.expire_all()
    assert db.session.get(Organisation, organisation.id) is not None
    response = db.session.scalar(select(Response))
    assert response.invitation_id is not None and response.status == status


def test_invitations_page_filters_by_status_in_a_constant_number_of_queries(app):
    consultation = make_consultation()
    orgs = add_organisations(60)
    for organisation in orgs[:10]:
        invite(consultation, organisation, response_status="submitted")
    for organisation in orgs[10:15]:
        invite(consultation, organisation, response_status="draft")
    for organisation in orgs[15:20]:
        invite(consultation, organisation)
    client = signed_in(app, "editor")
    url = f"/staff/consultations/{consultation.id}/invitations"
    client.get(url)  # warm up: sign-in checks, caches
    db.session.expire_all()
    with counted_queries() as first:
        page = client.get(url)
    counts = soup(page).find(id="status-counts").get_text(" ", strip=True)
    assert "Not invited: 40" in counts and "Submitted: 10" in counts
    assert "In progress: 5" in counts and "Not started: 5" in counts
    assert len(soup(page).find("tbody").find_all("tr")) == 50

    for organisation in orgs[20:50]:
        invite(consultation, organisation, response_status="submitted")
    db.session.expire_all()
    with counted_queries() as second:
        client.get(url)
    assert len(second) == len(first)  # not one query per row

    submitted = soup(client.get(f"{url}?status=submitted&q=org+0"))
    rows = submitted.find("tbody").find_all("tr")
    assert rows and all("submitted" in r.find("strong").get_text() for r in rows)
    assert "Showing 1 to 40 of 40" in submitted.find(id="result-count").get_text()


def test_reminders_go_to_invited_who_have_not_submitted_and_not_bounced(app):
    consultation = make_consultation()
    orgs = add_organisations(4)
    invite(consultation, orgs[0], response_status="submitted")
    invite(consultation, orgs[1], response_status="draft")
    invite(consultation, orgs[2])
    orgs[2].bounced = True
    db.session.commit()
    assert [o.name for o in invitations.reminder_recipients(consultation)] == ["Org 001"]
