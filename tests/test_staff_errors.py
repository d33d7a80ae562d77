"""smoke17 findings (WCAG 3.3.1, 4.1.3): why a staff action did nothing is a GOV.UK error
(``consult/staff/flashes.py``): the error summary, the title starting "Error:", and the field
at fault marked where there is one; never the grey "Important" banner."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest
from sqlalchemy import select

from consult.extensions import db
from consult.models import User
from tests.helpers import make_consultation, soup
from tests.staff_helpers import post, signed_in

pytestmark = pytest.mark.backends("sqlite", "postgresql")

ROOT = Path(__file__).resolve().parent.parent
# Plain flash() calls that are notes, not errors: what to know on the page led to.
NOTES = {
    "kept_forms.SIGNED_OUT",
    "TIMED_OUT",
    "kept_forms.OPEN_TOO_LONG",
    "'Sign in to continue.'",
    "PUT_BACK + (FILE_AGAIN if record.get('files') else '')",
    "'Only the responses you skipped are left to code.'",
    "'The analysis has been queued again.'",
}


def summary_items(page) -> list[tuple[str | None, str]]:
    found = soup(page).select(".govuk-error-summary__list li")
    return [(li.a["href"] if li.a else None, " ".join(li.get_text().split())) for li in found]


def test_own_admin_role_is_an_error_on_its_field(app):
    client = signed_in(app, "admin")
    me = db.session.scalar(select(User).where(User.email == "admin@example.org"))
    page = post(
        client,
        f"/staff/users/{me.id}/role",
        {"role": "viewer"},
        page_url="/staff/users",
        follow_redirects=True,
    )
    html = soup(page)
    assert html.title.get_text().startswith("Error: Users")
    assert summary_items(page) == [(f"#role-{me.id}", "You cannot remove your own admin role.")]
    assert (
        "You cannot remove your own admin role." in html.find(id=f"role-{me.id}-error").get_text()
    )
    assert html.find(id="flash") is None
    # Shown once: the next page has no error.
    again = soup(client.get("/staff/users"))
    assert not again.title.get_text().startswith("Error")
    assert again.select(".govuk-error-summary") == []


def test_saving_an_unchanged_role_says_nothing_changed(app):
    client = signed_in(app, "admin")
    signed_in(app, "editor", "ed@example.org")
    ed = db.session.scalar(select(User).where(User.email == "ed@example.org"))
    page = post(
        client,
        f"/staff/users/{ed.id}/role",
        {"role": "editor"},
        page_url="/staff/users",
        follow_redirects=True,
    )
    assert (
        "ed@example.org is already editor: nothing changed."
        in soup(page).find(id="flash").get_text()
    )


def test_no_organisation_ticked_marks_the_list(app):
    consultation = make_consultation()
    client = signed_in(app, "editor")
    url = f"/staff/consultations/{consultation.id}/invitations"
    page = post(client, f"{url}/send", {"mode": "invite"}, page_url=url, follow_redirects=True)
    assert summary_items(page) == [
        ("#choose-organisations", "Choose at least one organisation to invite.")
    ]


def test_a_builder_refusal_is_an_error_summary(app):
    consultation = make_consultation()
    from tests.test_staff_data import add_response

    add_response(consultation, "WM-9", "why", ["bus"])
    client = signed_in(app, "editor")
    section = consultation.sections[0]
    page = post(
        client,
        f"/staff/sections/{section.id}/move",
        {"direction": "down"},
        page_url=f"/staff/consultations/{consultation.id}",
        follow_redirects=True,
    )
    html = soup(page)
    assert html.title.get_text().startswith("Error: ")
    ((href, text),) = summary_items(page)
    assert href is None and text
    assert html.find(id="flash") is None


def test_every_plain_flash_is_a_note_not_an_error():
    """A flash() with no category shows the grey "Important" banner: kept for notes; an
    action refused uses flash_error."""
    plain = []
    for path in sorted((ROOT / "consult").rglob("*.py")):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if (
                isinstance(node, ast.Call)
                and isinstance(node.func, ast.Name)
                and node.func.id == "flash"
                and len(node.args) == 1
                and not node.keywords
            ):
                plain.append(ast.unparse(node.args[0]))
    unexpected = [
        text
        for text in plain
        if text not in NOTES
        and not text.startswith("f'{user.email} is already")
        and "Nothing was sent. To send" not in text
        and "already under way" not in text
        and "have coded every response" not in text
        # a second press of Retry or "Apply the model": a note that the first's job is under
        # way (runs.AlreadyQueued, coding.AlreadyApplying; left18)
        and text != "str(note)"
    ]
    assert unexpected == []


def test_uploading_organisations_with_no_file_says_one_thing(app):
    """smoke17 finding: three different messages for one missing file."""
    client = signed_in(app, "editor")
    page = post(client, "/staff/organisations/upload", {})
    assert page.status_code == 400
    html = soup(page)
    assert html.title.get_text().startswith("Error: ")
    assert html.select_one(".govuk-error-summary__title").get_text(strip=True) == (
        "There is a problem"
    )
    assert summary_items(page) == [("#file", "Choose a CSV file to upload")]
    assert "Choose a CSV file to upload" in html.find(id="file-error").get_text()
    assert "Nothing was added" not in html.get_text()


def test_a_bad_date_survives_the_redirect_to_a_real_page(app):
    """smoke17 finding: ``from=22026-03-10`` with a page past the last was redirected
    without it, so nothing said the date was not used."""
    consultation = make_consultation()
    client = signed_in(app, "analyst")
    url = f"/staff/consultations/{consultation.id}/responses"
    moved = client.get(f"{url}?from=22026-03-10&page=9")
    assert moved.status_code == 302
    assert "from=22026-03-10" in moved.headers["Location"]
    page = soup(client.get(moved.headers["Location"]))
    assert "The From date ‘22026-03-10’ is not a date" in page.find(id="date-problem").get_text()


def test_the_organisation_filters_offer_individual_only_when_one_is_listed(app):
    """smoke17 finding: the Invitations "Partner type" filter offered "Individual" in a list
    of organisations."""
    from consult.models import Organisation

    consultation = make_consultation()
    client = signed_in(app, "editor")
    urls = ["/staff/organisations", f"/staff/consultations/{consultation.id}/invitations"]

    def offered(url: str) -> list[str]:
        return [o["value"] for o in soup(client.get(url)).select("select#partner_type option")]

    for url in urls:
        assert "individual" not in offered(url) and "vcse" in offered(url), url
    db.session.add(Organisation(name="Pat Jones", partner_type="individual", area="walsall"))
    db.session.commit()
    for url in urls:
        assert "individual" in offered(url), url
