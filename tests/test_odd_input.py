"""Odd input found by fuzzing never gives a 500: over-long text, control characters, deep
JSON in ``seen``, numbers too big for the database and odd path segments (issue 11,
section 2 items 1, 2, 3, 4 and 7). On SQLite and PostgreSQL, since several of these only
broke on PostgreSQL."""

from __future__ import annotations

import io
import json

import pytest
from openpyxl import load_workbook
from sqlalchemy import select

from consult.extensions import db
from consult.models import Answer, Response
from tests.helpers import (
    ORGANISATION_ANSWERS,
    error_summary,
    field,
    hidden_fields,
    make_consultation,
    post_form,
    redrawn,
    section_one,
    section_two,
    soup,
)
from tests.staff_helpers import PASSWORD, make_user, post, signed_in
from tests.test_journey import BASE, answer_everything, start_open

pytestmark = pytest.mark.backends("sqlite", "postgresql")

HUGE = "9" * 25  # far beyond a 64-bit integer


@pytest.fixture
def consultation(app):
    return make_consultation()


def the_response() -> Response:
    db.session.expire_all()
    return db.session.scalar(select(Response))


# --- item 1: over-long organisation details are kept, with a form error ----------------------


def test_long_organisation_name_and_email_are_kept_with_an_error(client, consultation):
    start_open(client)
    name = "Tipton Community Trust " + "x" * 300
    email = "a" * 330 + "@example.org"
    page = redrawn(
        client,
        post_form(
            client,
            f"{BASE}/organisation",
            {**ORGANISATION_ANSWERS, "organisation_name": name, "respondent_email": email},
        ),
    )
    assert page.status_code == 200
    summary = dict(error_summary(page))
    assert summary["#organisation_name"] == "Organisation name must be 200 characters or fewer"
    assert summary["#respondent_email"] in (
        "Email address must be 320 characters or fewer",
        "Enter an email address in the correct format, like name@example.com",
    )
    assert soup(page).find(id="organisation_name")["value"] == name
    stored = the_response()
    assert stored.organisation_name == name and stored.respondent_email == email
    again = client.get(f"{BASE}/organisation")
    assert soup(again).find(id="organisation_name")["value"] == name


def test_long_respondent_name_is_kept(client, consultation):
    start_open(client)
    name = "Jo " * 100
    page = redrawn(
        client,
        post_form(
            client, f"{BASE}/organisation", {**ORGANISATION_ANSWERS, "respondent_name": name}
        ),
    )
    assert page.status_code == 200
    assert the_response().respondent_name == name


# --- item 2: NUL and other control characters ------------------------------------------------


def test_nul_in_an_answer_is_stripped_and_saved(client, consultation):
    start_open(client)
    assert post_form(client, f"{BASE}/organisation", ORGANISATION_ANSWERS).status_code == 302
    why = field(consultation, "Why")
    typed = "Buses\x00 are\x01 late\x7f.\r\n\tOften."
    page = post_form(client, f"{BASE}/section/1", section_one(consultation, **{why: typed}))
    assert page.status_code == 302
    answers = db.session.scalars(select(Answer)).all()
    assert "Buses are late.\n\tOften." in {a.value for a in answers}


def test_nul_in_the_organisation_page_is_stripped(client, consultation):
    start_open(client)
    data = {**ORGANISATION_ANSWERS, "organisation_name": "Tipton\x00 Trust"}
    assert post_form(client, f"{BASE}/organisation", data).status_code == 302
    assert the_response().organisation_name == "Tipton Trust"


@pytest.mark.parametrize(
    "path", ["/c/%00", "/c/a%00b/organisation", "/i/%00", "/c/transport-test/resume/%00"]
)
def test_nul_in_a_path_is_not_found(client, consultation, path):
    assert client.get(path).status_code == 404


def test_nul_in_the_query_string(client, consultation):
    assert client.get(f"{BASE}?return=%00").status_code == 200


def test_nul_in_the_response_search_box(app, consultation):
    staff = signed_in(app, "admin")
    page = staff.get(f"/staff/consultations/{consultation.id}/responses?q=bus%00es&to=%00")
    assert page.status_code == 200


def test_nul_in_the_sign_in_email(app):
    user = make_user("admin")
    client = app.test_client()
    page = client.get("/staff/sign-in")
    email = user.email[:3] + "\x00" + user.email[3:]
    done = client.post(
        "/staff/sign-in", data={**hidden_fields(page), "email": email, "password": PASSWORD}
    )
    assert done.status_code in (200, 302, 400)


def test_nul_in_staff_forms(app, consultation):
    staff = signed_in(app, "admin")
    done = post(
        staff,
        "/staff/organisations/new",
        {
            "name": "Nul\x00 Ltd",
            "partner_type": "business",
            "size_band": "small",
            "area": "coventry",
            "contact_email": "nul@example.org",
        },
    )
    assert done.status_code in (200, 302)


# --- item 3: a control character never breaks an XLSX export --------------------------------


def test_xlsx_export_survives_control_characters(app, consultation):
    client = app.test_client()
    answer_everything(client, consultation)
    page = client.get(f"{BASE}/check")
    assert client.post(f"{BASE}/check", data=hidden_fields(page)).status_code == 302
    # Stored before the edge stripped such characters, or imported: the export must cope.
    answer = db.session.scalars(select(Answer).where(Answer.value.like("Reliable%"))).one()
    answer.value = "Reliable\x01 buses\x0b matter\x1f."
    the_response().organisation_name = "Tipton\x08 Trust"
    db.session.commit()
    staff = signed_in(app, "analyst")
    export = staff.get(f"/staff/consultations/{consultation.id}/export.xlsx?status=submitted")
    assert export.status_code == 200
    sheet = load_workbook(io.BytesIO(export.get_data())).active
    values = [cell for row in sheet.iter_rows(values_only=True) for cell in row]
    assert "Reliable buses matter." in values
    assert "Tipton Trust" in values


def test_xlsx_cell_drops_only_illegal_characters():
    from analysis.cells import xlsx_cell

    assert xlsx_cell("a\x00b\x1fc\td\ne\rf") == "abc\td\ne\rf"
    assert xlsx_cell("=SUM(A1)\x01") == "'=SUM(A1)"
    assert xlsx_cell(3) == 3 and xlsx_cell(None) is None
    # Only "=" makes openpyxl write a formula: other formula-like text is a text cell as typed.
    assert [xlsx_cell(v) for v in ("+cmd", "@SUM(A1)", "-2+3", "-")] == [
        "+cmd",
        "@SUM(A1)",
        "-2+3",
        "-",
    ]


# --- item 4: a deeply nested ``seen`` keeps the page's answers ------------------------------


def test_deeply_nested_seen_keeps_the_answers(client, consultation):
    start_open(client)
    page = client.get(f"{BASE}/organisation")
    data = {**hidden_fields(page), **ORGANISATION_ANSWERS, "action": "continue"}
    data["seen"] = "[" * 3000 + "]" * 3000
    assert client.post(f"{BASE}/organisation", data=data).status_code == 302
    data["seen"] = '{"a":' * 3000 + "1" + "}" * 3000
    assert client.post(f"{BASE}/organisation", data=data).status_code == 302
    assert the_response().organisation_name == ORGANISATION_ANSWERS["organisation_name"]


def test_deeply_nested_seen_on_a_section(client, consultation):
    start_open(client)
    assert post_form(client, f"{BASE}/organisation", ORGANISATION_ANSWERS).status_code == 302
    page = client.get(f"{BASE}/section/2")
    data = {**hidden_fields(page), **section_two(consultation), "action": "continue"}
    data["seen"] = "[" * 3000
    assert client.post(f"{BASE}/section/2", data=data).status_code == 302
    values = {a.value for a in db.session.scalars(select(Answer))}
    assert "More night buses" in values


def test_seen_is_read_as_flat_digests():
    from consult.survey.views import _seen

    assert _seen('{"a": "b", "c": 1}') == {"a": "b", "c": "1"}
    assert _seen('{"a": {"b": "c"}}') == {}
    assert _seen('{"a": true, "b": null, "c": "d"}') == {"c": "d"}
    assert _seen("[" * 100_000) == {}
    assert _seen("x" * 10) == {}


# --- item 7: numbers and names too big for the database -------------------------------------


@pytest.fixture
def admin(app, consultation):
    return signed_in(app, "admin")


@pytest.mark.parametrize(
    "url",
    [
        "/staff/consultations/{id}/responses?page=100000000000000000000",
        "/staff/consultations/{id}/responses?page=-100000000000000000000",
        "/staff/audit?page=100000000000000000000",
        "/staff/organisations?page=100000000000000000000",
        "/staff/consultations/{id}/invitations?page=100000000000000000000",
    ],
)
def test_huge_page_numbers(admin, consultation, url):
    """Never a 500: a redirect to the one page there is, which then shows."""
    asked = admin.get(url.format(id=consultation.id))
    assert asked.status_code == 302 and asked.headers["Location"].endswith("page=1")
    assert admin.get(asked.headers["Location"]).status_code == 200


@pytest.mark.parametrize(
    "url",
    [
        f"/staff/responses/{HUGE}",
        f"/staff/consultations/{HUGE}",
        f"/staff/consultations/{HUGE}/responses",
        f"/staff/reports/runs/{HUGE}",
        f"/staff/questions/{HUGE}/edit",
        "/staff/responses/2147483648",
        "/c/transport-test/section/99999999999999999999",
    ],
)
def test_huge_ids_are_not_found(admin, url):
    assert admin.get(url).status_code == 404


def test_huge_id_when_marking_bounced(admin):
    page = admin.get("/staff/organisations")
    token = hidden_fields(page)["csrf_token"]
    done = admin.post(f"/staff/organisations/{HUGE}/bounced", data={"csrf_token": token})
    assert done.status_code == 404


@pytest.mark.parametrize("value", ["1e30", HUGE, "²", "-1", ""])
def test_invitations_to_impossible_organisations(admin, consultation, value):
    url = f"/staff/consultations/{consultation.id}/invitations/send"
    done = post(
        admin,
        url,
        {"organisation": value},
        page_url=f"/staff/consultations/{consultation.id}/invitations",
    )
    assert done.status_code == 302


@pytest.mark.parametrize("day", ["9999-12-31", "0001-01-01", "10000-01-01"])
def test_extreme_dates_in_the_response_filter(admin, consultation, day):
    url = f"/staff/consultations/{consultation.id}/responses?from={day}&to={day}"
    assert admin.get(url).status_code == 200
    export = admin.get(f"/staff/consultations/{consultation.id}/export.csv?to={day}")
    assert export.status_code == 200


@pytest.mark.parametrize("upload", ["%2E%2E", ".", "..%2F..", "x" * 300 + ".csv"])
def test_odd_import_upload_names(admin, consultation, upload):
    url = f"/staff/consultations/{consultation.id}/import/{upload}"
    assert admin.get(url).status_code == 404


@pytest.mark.parametrize("name", ["mail-merge-" + "x" * 300 + ".csv", "mail-merge-..csv"])
def test_odd_outbox_names(admin, name):
    assert admin.get(f"/staff/outbox/{name}").status_code == 404


def test_json_seen_round_trip_still_detects_conflicts():
    """The bound on ``seen`` keeps ordinary digests working."""
    from consult.survey.views import _digests, _seen

    digests = _digests({"organisation_name": "Acme", "area": "coventry"})
    assert _seen(digests) == json.loads(digests)


@pytest.mark.parametrize("seed", ["²", "1e30", "9" * 25, "-1"])
def test_odd_seed_for_an_analysis_is_a_form_error(app, consultation, seed):
    staff = signed_in(app, "analyst")
    url = f"/staff/reports/consultations/{consultation.id}/new"
    why = next(q for q in consultation.questions if q.text.startswith("Why"))
    data = {"question": str(why.id), "engine": "fast", "themes": "", "seed": seed}
    page = post(staff, url, {**data, "segments": "partner_type"})
    assert page.status_code in (200, 400)
    assert "Enter the seed as a whole number" in page.get_data(as_text=True)


# --- smoke18w #10 and #13: direction controls in names; staff forms' messages -------------


def test_direction_controls_are_stripped_from_one_line_fields(client, consultation):
    """U+202E in an organisation's name reversed how the text after it showed in lists, CSV
    and Excel (a spoofing trick); HTML escaping does not stop it."""
    start_open(client)
    name = "Erdington \u202eskrow\u202c Carers \u2066Network\u2069"
    data = {**ORGANISATION_ANSWERS, "organisation_name": name, "respondent_name": "A\u202db"}
    assert post_form(client, f"{BASE}/organisation", data).status_code == 302
    response = the_response()
    assert response.organisation_name == "Erdington skrow Carers Network"
    assert response.respondent_name == "Ab"


def test_staff_length_errors_name_their_field_and_addresses_are_ascii(admin):
    too_long = post(admin, "/staff/users", {"email": "new@example.org", "name": "x" * 201})
    said = too_long.get_data(as_text=True)
    assert "Name must be 200 characters or fewer" in said
    assert "Field cannot be longer" not in said
    emoji = post(admin, "/staff/users", {"email": "ana\U0001f600@example.org", "role": "analyst"})
    assert "Enter an email address in the correct format" in emoji.get_data(as_text=True)
