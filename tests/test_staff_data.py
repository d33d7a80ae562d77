"""Imports (all or nothing), purge, removal on request, the dashboard, and the users command.
Exports are tested in test_exports.py."""

from __future__ import annotations

import io
import json
from datetime import timedelta
from pathlib import Path

import pytest
from sqlalchemy import func, select

from consult.extensions import db
from consult.models import Answer, AuditEvent, Response, User, utcnow
from consult.retention import purge
from tests.helpers import field, make_consultation, soup
from tests.staff_helpers import post, signed_in

INJECTIONS = ["=1+1", "+SUM(A1)", "-2+3", "@cmd", "\tTAB", "\rCR"]

pytestmark = pytest.mark.backends("sqlite", "postgresql")


def add_response(
    consultation,
    reference: str,
    why: str,
    modes: list[str],
    org="Acme Ltd",
    partner="business",
    area="coventry",
    status="submitted",
):
    response = Response(
        consultation=consultation,
        reference=reference,
        status=status,
        submitted_at=utcnow() if status == "submitted" else None,
        organisation_name=org,
        partner_type=partner,
        area=area,
    )
    questions = {q.text: q for q in consultation.questions}
    response.answers = [
        Answer(question=questions["Buses should be franchised"], value="agree"),
        Answer(question=questions["Why do you say that?"], value=why),
        Answer(question=questions["Which modes do you use?"], value=json.dumps(modes)),
    ]
    db.session.add(response)
    db.session.commit()
    return response


@pytest.fixture
def data(app):
    consultation = make_consultation()
    consultation.sections[0].questions[2].text = '=HYPERLINK("x") Which modes do you use?'
    db.session.commit()
    consultation.sections[0].questions[2].text = "Which modes do you use?"
    db.session.commit()
    for index, text in enumerate(INJECTIONS):
        add_response(consultation, f"WM-{index}", text, ["bus", "rail"], org=text)
    add_response(consultation, "WM-DRAFT", "draft only", [], status="draft")
    return consultation


def import_file(client, consultation, content: bytes, name="export.csv", mapping=None):
    page = post(
        client,
        f"/staff/consultations/{consultation.id}/import",
        {"file": (io.BytesIO(content), name)},
        content_type="multipart/form-data",
    )
    if page.status_code != 302:
        return page
    mapping = mapping or {
        "external_id": "ID",
        "organisation_name": "Organisation",
        "partner_type": "Type",
        "area": "Area",
        field(consultation, "Buses should"): "Franchise?",
        field(consultation, "Why"): "Why",
        field(consultation, "Which modes"): "Modes",
    }
    return post(client, page.headers["Location"], mapping)


GOOD = (
    "ID,Organisation,Type,Area,Franchise?,Why,Modes\n"
    "cs-1,Walsall Works,Business,Walsall,Strongly agree,Cheaper fares,Bus; Tram\n"
    "cs-2,Dudley Trust,vcse,dudley,Disagree,Too costly,rail\n"
)


def count_responses() -> int:
    return db.session.scalar(select(func.count(Response.id)))


def test_good_import_adds_every_row(app):
    consultation = make_consultation()
    client = signed_in(app, "analyst")
    done = import_file(client, consultation, GOOD.encode())
    assert done.status_code == 302, done.get_data(as_text=True)
    imported = db.session.scalars(select(Response).where(Response.source == "import")).all()
    assert {r.external_id for r in imported} == {"cs-1", "cs-2"}
    walsall = next(r for r in imported if r.external_id == "cs-1")
    values = {a.question.text: a.value for a in walsall.answers}
    assert values["Buses should be franchised"] == "strongly_agree"
    assert values["Which modes do you use?"] == '["bus", "tram"]'
    assert walsall.partner_type == "business" and walsall.area == "walsall"


OTHER_TOOL = (
    "id,organisation,partner_type,area,Buses should be franchised,Top priority\n"
    "EXT-1,Walsall Works,Business,Walsall,Agree,Cost\n"
    "EXT-2,Dudley Trust,vcse,dudley,,Reliability\n"
    "EXT-3,Anon,,Outside the West Midlands,,\n"
)


@pytest.mark.parametrize("heading", ["id", "ID", "response id", "Response ID", "response_id"])
def test_an_id_column_is_matched_to_the_other_tools_response_id(app, heading):
    """smoke9 #5: a heading `id` (the usual name) was left "Not imported", so a second
    upload of the same file would not be refused; it is matched like `reference`."""
    consultation = make_consultation()
    client = signed_in(app, "analyst")
    content = OTHER_TOOL.replace("id,", f"{heading},", 1).encode()
    sent = post(
        client,
        f"/staff/consultations/{consultation.id}/import",
        {"file": (io.BytesIO(content), "other.csv")},
        content_type="multipart/form-data",
    )
    page = soup(client.get(sent.headers["Location"]))
    chosen = page.find("select", id="external_id").find("option", selected=True)
    assert chosen is not None and chosen["value"] == heading


def test_blank_required_answers_and_partner_types_are_imported_and_said(app):
    """smoke9 #7: other tools' rows with a required question blank and no partner type are
    still imported, but the mapping page and the one-line summary say how many."""
    consultation = make_consultation()
    client = signed_in(app, "analyst")
    sent = post(
        client,
        f"/staff/consultations/{consultation.id}/import",
        {"file": (io.BytesIO(OTHER_TOOL.encode()), "other.csv")},
        content_type="multipart/form-data",
    )
    page = soup(client.get(sent.headers["Location"]))
    said = " ".join(page.find(id="import-blanks").get_text().split())
    assert "is imported as it is" in said
    assert (
        "2 rows have no answer to the required question 'Buses should be franchised'; "
        "1 row has no answer to the required question 'Top priority'; 1 has no partner type."
    ) in said
    form = {
        select["name"]: (select.find("option", selected=True) or {"value": ""})["value"]
        for select in page.find_all("select")
    }
    done = post(client, sent.headers["Location"], form)
    assert done.status_code == 302
    assert db.session.scalar(select(func.count(Response.id))) == 3  # all imported
    summary = " ".join(soup(client.get(done.headers["Location"])).get_text().split())
    assert (
        "Imported 3 responses. 2 rows have no answer to the required question 'Buses should be "
        "franchised'; 1 row has no answer to the required question 'Top priority'; "
        "1 has no partner type."
    ) in summary


@pytest.mark.parametrize(
    ("content", "mapping_override", "reason"),
    [
        (GOOD.replace("Bus; Tram", "Bus; Hovercraft").encode(), None, "not an option"),
        (GOOD.replace("Disagree", "Maybe").encode(), None, "'Maybe' is not an option"),
        (
            (GOOD + "cs-1,Again,vcse,dudley,Agree,x,bus\n").encode(),
            None,
            "'cs-1' repeated in row 4",
        ),
        (GOOD.replace("vcse", "spaceship").encode(), None, "Unknown partner type 'spaceship'"),
        (GOOD.encode(), {"Why": "No such column"}, "no column named"),
    ],
)
def test_bad_import_changes_nothing(app, content, mapping_override, reason):
    consultation = make_consultation()
    client = signed_in(app, "analyst")
    mapping = None
    if mapping_override:
        mapping = {"external_id": "ID", field(consultation, "Why"): "No such column"}
    before = count_responses()
    page = import_file(client, consultation, content, mapping=mapping)
    assert page.status_code == 400
    assert reason in soup(page).get_text()
    assert count_responses() == before


def test_bad_encoding_and_repeat_import_change_nothing(app):
    consultation = make_consultation()
    client = signed_in(app, "analyst")
    page = import_file(client, consultation, b"ID,Why\n1,\x81\x8d\x90\n")
    assert page.status_code == 400 and "cannot be read" in page.get_data(as_text=True)
    assert import_file(client, consultation, GOOD.encode()).status_code == 302
    again = import_file(client, consultation, GOOD.encode())
    assert again.status_code == 400
    assert [li.get_text(strip=True) for li in soup(again).find(id="import-problems")("li")] == [
        "Response id 'cs-1' from an earlier import in row 2 (line 2 of the file). Those "
        "responses are already imported: leave them out of the file.",
        "Response id 'cs-2' from an earlier import in row 3 (line 3 of the file).",
    ]
    assert count_responses() == 2


def test_remove_on_request_records_reason(app, data):
    client = signed_in(app, "admin")
    target = db.session.scalar(select(Response).where(Response.reference == "WM-0"))
    detail = f"/staff/responses/{target.id}"
    asked = {"mode": "anonymise", "reason": "Asked by email on 3 May"}
    done = post(client, f"{detail}/remove", {**asked, "confirmed": "yes"}, page_url=detail)
    assert done.status_code == 302
    db.session.expire_all()
    target = db.session.get(Response, target.id)
    assert target.organisation_name == "[removed]" and target.anonymised_at is not None
    assert all(not a.question.is_text for a in target.answers)
    event = AuditEvent.query.filter_by(action="response_anonymised").one()
    assert "Asked by email" in event.detail
    again = {"mode": "delete", "reason": "Asked again", "confirmed": "yes"}
    post(client, f"{detail}/remove", again, page_url=detail)
    assert db.session.get(Response, target.id) is None


def test_removal_asks_first_saying_exactly_what_goes(app, data):
    """smoke17 finding (WCAG 3.3.4): nothing is chosen for the member of staff, and a reason
    and a choice lead to a page saying what will be removed and what kept; only its "Yes"
    removes anything."""
    client = signed_in(app, "admin")
    target = db.session.scalar(select(Response).where(Response.reference == "WM-1"))
    target.respondent_email = "someone@acme.example"
    db.session.commit()
    detail = f"/staff/responses/{target.id}"
    page = soup(client.get(detail))
    assert not page.select("input[name=mode][checked]"), "nothing is chosen beforehand"
    asked = post(
        client,
        f"{detail}/remove",
        {"mode": "anonymise", "reason": "Asked by phone"},
        page_url=detail,
    )
    assert asked.status_code == 200
    confirm = soup(asked)
    assert confirm.title.get_text().startswith("Are you sure you want to anonymise response WM-1?")
    removed = [" ".join(li.get_text().split()) for li in confirm.find(id="removed")("li")]
    assert "their email address (someone@acme.example)" in removed
    assert any("written answer" in part for part in removed)
    assert "closed answer" in confirm.find(id="kept").get_text()
    assert "This cannot be undone." in confirm.get_text()
    assert confirm.find("input", attrs={"name": "reason"})["value"] == "Asked by phone"
    db.session.expire_all()
    target = db.session.get(Response, target.id)
    assert (
        target.anonymised_at is None
        and not AuditEvent.query.filter_by(action="response_anonymised").all()
    ), "nothing is removed before the confirmation"
    fields = {i["name"]: i.get("value", "") for i in confirm.select("#removal form input")}
    done = client.post(f"{detail}/remove", data=fields)
    assert done.status_code == 302
    db.session.expire_all()
    assert db.session.get(Response, target.id).anonymised_at is not None
    # Deleting says it all goes, and keeps nothing.
    other = db.session.scalar(select(Response).where(Response.reference == "WM-2"))
    other_detail = f"/staff/responses/{other.id}"
    asked = soup(
        post(
            client,
            f"{other_detail}/remove",
            {"mode": "delete", "reason": "Asked"},
            page_url=other_detail,
        )
    )
    assert "the whole response" in asked.find(id="removed").get_text()
    assert asked.find(id="kept") is None
    assert db.session.get(Response, other.id) is not None


def test_removal_without_a_reason_or_a_choice_is_a_form_error(app, data):
    """smoke17 finding (WCAG 3.3.1): the missing reason and choice are GOV.UK form errors on
    the response page, not a grey banner."""
    client = signed_in(app, "admin")
    target = db.session.scalar(select(Response).where(Response.reference == "WM-3"))
    detail = f"/staff/responses/{target.id}"
    page = post(client, f"{detail}/remove", {"reason": "  "}, page_url=detail)
    assert page.status_code == 400
    found = soup(page)
    assert found.title.get_text().startswith("Error: Response WM-3")
    summary = [(a["href"], a.get_text(strip=True)) for a in found.select(".govuk-error-summary a")]
    assert summary == [
        ("#reason", "Enter the reason for removing this response's data"),
        ("#mode-anonymise", "Choose whether to anonymise the response or delete it"),
    ]
    assert "Enter the reason" in found.find(id="reason-error").get_text()
    assert "Choose whether" in found.find(id="mode-error").get_text()
    assert found.find(id="flash") is None
    # A reason typed and no choice: the reason is kept, the choice asked for.
    page = soup(post(client, f"{detail}/remove", {"reason": "Asked"}, page_url=detail))
    assert page.find(id="reason").get_text() == "Asked"
    assert page.find(id="reason-error") is None and page.find(id="mode-error")
    db.session.expire_all()
    assert db.session.get(Response, target.id).anonymised_at is None


def test_purge_after_retention(app, data):
    data.closes_at = utcnow() - timedelta(days=400)
    data.retention_days = 365
    db.session.commit()
    assert purge(dry_run=True)[0].responses == len(INJECTIONS) + 1
    assert (
        db.session.scalar(
            select(func.count(Response.id)).where(Response.anonymised_at.is_not(None))
        )
        == 0
    )
    purge(mode="anonymise")
    assert (
        db.session.scalar(select(func.count(Response.id)).where(Response.anonymised_at.is_(None)))
        == 0
    )
    assert purge() == []  # nothing left to do
    data.retention_days = 500
    db.session.commit()


def test_purge_command_deletes(app, data):
    data.closes_at = utcnow() - timedelta(days=40)
    data.retention_days = 30
    db.session.commit()
    result = app.test_cli_runner().invoke(args=["purge", "--mode", "delete"])
    assert result.exit_code == 0 and "responses were deleted" in result.output
    assert count_responses() == 0


def test_dashboard(app, data):
    client = signed_in(app, "viewer")
    page = client.get(f"/staff/consultations/{data.id}/dashboard")
    assert page.status_code == 200
    html = soup(page)
    assert len(html.find_all("svg")) == len(html.find_all("table"))
    captions = [c.get_text() for c in html.find_all("caption")]
    assert any("partner type" in c for c in captions)
    assert any("Which modes do you use?" in c for c in captions)


def test_users_command_and_role_change(app):
    runner = app.test_cli_runner()
    created = runner.invoke(
        args=[
            "users",
            "create",
            "--email",
            "Ana@Example.org",
            "--role",
            "analyst",
            "--password",
            "a long enough password",
        ]
    )
    assert created.exit_code == 0, created.output
    user = db.session.scalar(select(User).where(User.email == "ana@example.org"))
    assert user.role == "analyst" and user.password_hash.startswith("scrypt:")
    bad = runner.invoke(
        args=[
            "users",
            "create",
            "--email",
            "b@example.org",
            "--role",
            "admin",
            "--password",
            "short",
        ]
    )
    assert bad.exit_code != 0 and "12 characters" in bad.output
    admin = runner.invoke(args=["demo", "admin"])
    assert "admin@example.org" in admin.output and "password" in admin.output
    client = signed_in(app, "admin", email="boss@example.org")
    done = post(client, f"/staff/users/{user.id}/role", {"role": "viewer"}, page_url="/staff/users")
    assert done.status_code == 302
    db.session.refresh(user)
    assert user.role == "viewer"
    assert AuditEvent.query.filter_by(action="role_changed").count() == 1


def test_a_problem_every_row_shares_is_said_once_with_its_rows_and_the_fix(app):
    """smoke3 finding 19: an 800-row export with the wrong column as partner type listed 800
    identical lines, "Row 2: unknown partner type 'Trust A'." to "Row 801: ..."."""
    consultation = make_consultation()
    client = signed_in(app, "analyst")
    rows = [f"cs-{n},Trust A,Trust A,Dudley,Agree,Fine,bus" for n in range(800)]
    rows[5] = "cs-5,Trust B,Trust B,Nowhere,Maybe,Fine,bus"
    content = ("ID,Organisation,Type,Area,Franchise?,Why,Modes\n" + "\n".join(rows)).encode()
    page = import_file(client, consultation, content)
    assert page.status_code == 400
    summary = soup(page).find(class_="govuk-error-summary")
    assert summary.find("h2").get_text(strip=True) == (
        "Nothing was imported: 4 problems in 800 rows"
    )
    lines = [li.get_text(strip=True) for li in summary.find(id="import-problems").find_all("li")]
    assert lines[0] == (
        "Unknown partner type 'Trust A' in 799 rows (rows 2 to 6 and 8 to 801). Partner types "
        "are: Business; Business representative body (chamber of commerce, trade or membership "
        "body); Further education college; School or sixth form; University; Local authority "
        "(constituent); Local authority (non-constituent); Other public body or agency; "
        "Voluntary, community or social enterprise; Individual; Other."
    )
    # The hint is given once; another row's problems each have a line of their own.
    assert lines[1] == "Unknown partner type 'Trust B' in row 7 (line 7 of the file)."
    assert lines[2].startswith(
        "Unknown area 'Nowhere' in row 7 (line 7 of the file). Areas are: Birmingham;"
    )
    assert lines[3].startswith("'Maybe' is not an option of ")
    assert (
        "in row 7 (line 7 of the file). The options of " in lines[3]
        and "Strongly agree; Agree;" in lines[3]
    )
    assert count_responses() == 0


def test_a_json_lines_file_s_shared_problem_is_said_in_lines(app):
    """review20: a JSON Lines file's problem of one row said "in line 5 of the file", but
    one shared by several said "in 2 rows (rows 3 and 4)", numbers one off from the file's
    lines (and blank lines not counted); both now count the file's lines. A JSON array's
    records likewise ("2 records (records 2 and 3)")."""
    consultation = make_consultation()
    client = signed_in(app, "analyst")
    good = {"Organisation": "A", "Type": "Business", "Area": "Dudley", "Franchise?": "Agree"}
    records = [
        {"ID": "j-1", **good, "Why": "Fine", "Modes": "bus"},
        {"ID": "j-2", **good, "Type": "Trust A", "Why": "Fine", "Modes": "bus"},
        {"ID": "j-3", **good, "Type": "Trust A", "Why": "Fine", "Modes": "bus"},
        {"ID": "j-4", **good, "Area": "Nowhere", "Why": "Fine", "Modes": "bus"},
    ]
    lines_of_file = [json.dumps(record) for record in records]
    lines_of_file.insert(1, "")  # a blank line: the records are on lines 1, 3, 4 and 5
    content = ("\n".join(lines_of_file) + "\n").encode()
    page = import_file(client, consultation, content, name="export.jsonl")
    assert page.status_code == 400
    lines = [li.get_text(strip=True) for li in soup(page).find(id="import-problems")("li")]
    assert lines[0].startswith("Unknown partner type 'Trust A' in 2 lines (lines 3 to 4).")
    assert lines[1].startswith("Unknown area 'Nowhere' in line 5 of the file.")
    assert count_responses() == 0


def test_row_ranges_and_the_cap_on_lines_shown(app):
    from consult.import_problems import LINES_SHOWN, RowProblems, row_ranges

    assert row_ranges([5]) == "5"
    assert row_ranges([2, 3, 4, 9]) == "2 to 4 and 9"
    assert row_ranges([2, 4, 6]) == "2, 4 and 6"
    assert row_ranges(list(range(2, 40, 2))) == "2, 4, 6, 8, 10 and 14 more rows"
    found = RowProblems()
    for row in range(2, 12):
        found.add(row, "no response id", "Give each an id.")
    assert found.lines() == ["No response id in 10 rows (rows 2 to 11). Give each an id."]
    assert found.rows == 10
    records = RowProblems()
    for record in range(1, 40, 2):
        records.add(record, "no response id", place=f"record {record}", unit="record")
    assert records.lines() == [
        "No response id in 20 records (records 1, 3, 5, 7, 9 and 15 more records)."
    ]
    # Many distinct problems: the page lists the first LINES_SHOWN and counts the rest.
    consultation = make_consultation()
    client = signed_in(app, "analyst")
    rows = [f"cs-{n},Org,Type {n},Dudley,Agree,Fine,bus" for n in range(LINES_SHOWN + 5)]
    content = ("ID,Organisation,Type,Area,Franchise?,Why,Modes\n" + "\n".join(rows)).encode()
    page = soup(import_file(client, consultation, content))
    assert len(page.find(id="import-problems").find_all("li")) == LINES_SHOWN
    assert page.find(id="import-problems-more").get_text(strip=True) == (
        "And 5 more problems, shown once these are put right."
    )


def test_a_cause_every_row_shares_is_one_line():
    """Smoke walk 7, finding 28: the consultation's own export read back gave 276 errors, one
    per row; a cause every row shares is now said once (the rows' problems stay listed)."""
    from consult.import_problems import RowProblems

    found = RowProblems()
    for row in range(2, 278):
        found.add(row, f"response 'WM-{row}' already in this consultation", "Leave them out.")
    assert found.whole_file_cause(276, ["Leave them out."]) == "Leave them out."
    assert found.whole_file_cause(276, ["Another cause."]) == ""
    assert len(found.lines()) == 276
    found.add(300, "unknown area 'Mars'", "Areas are: ...")
    assert found.whole_file_cause(277, ["Leave them out."]) == ""  # one row: another problem
    one = RowProblems()
    one.add(2, "no response id", "Each needs an id.")
    assert one.whole_file_cause(1, ["Each needs an id."]) == ""  # one row: its problem says it


def test_submitted_time_size_and_respondent_are_imported_or_refused_clearly(app):
    """Smoke walk 7, finding 29: submitted_at, size band and respondent name and email are
    offered as columns to import; a bad value is a problem said plainly."""
    from datetime import UTC, datetime

    from consult.imports import submitted_time

    now = datetime(2026, 12, 5, 12, 0, tzinfo=UTC)
    assert submitted_time("2026-07-01 12:30:05", now) == datetime(2026, 7, 1, 11, 30, 5, tzinfo=UTC)
    assert submitted_time("2026-12-01T09:00:00+00:00", now) == datetime(2026, 12, 1, 9, tzinfo=UTC)
    assert submitted_time("yesterday", now) is None
    assert submitted_time("2027-01-01", now) is None  # in the future
    consultation = make_consultation()
    client = signed_in(app, "analyst")
    content = (
        b"ID,Organisation,Type,Area,Franchise?,Why,Modes,When,Size,Name,Email\n"
        b"cs-1,Walsall Works,Business,Walsall,Agree,Fine,bus,2026-07-01 12:30:05,small,"
        b"Ann Other,ann@example.org\n"
        b"cs-2,Dudley Trust,vcse,dudley,Agree,Fine,bus,soon,huge,Bo,not-an-email\n"
    )
    mapping = {
        "external_id": "ID",
        "organisation_name": "Organisation",
        "partner_type": "Type",
        "area": "Area",
        "submitted_at": "When",
        "size_band": "Size",
        "respondent_name": "Name",
        "respondent_email": "Email",
        field(consultation, "Buses should"): "Franchise?",
        field(consultation, "Why"): "Why",
        field(consultation, "Which modes"): "Modes",
    }
    refused = import_file(client, consultation, content, mapping=mapping)
    assert refused.status_code == 400
    problems = soup(refused).find(id="import-problems").get_text(" ", strip=True)
    assert "'soon' is not a submitted time in row 3 (line 3 of the file)." in problems
    assert "Unknown business size 'huge' in row 3 (line 3 of the file)." in problems
    assert "'not-an-email' is not an email address in row 3 (line 3 of the file)." in problems
    good = content.decode().splitlines()[:2]
    done = import_file(client, consultation, "\n".join(good).encode(), mapping=mapping)
    assert done.status_code == 302
    response = db.session.scalar(select(Response).where(Response.external_id == "cs-1"))
    assert response.submitted_at.astimezone(UTC) == datetime(2026, 7, 1, 11, 30, 5, tzinfo=UTC)
    assert (response.size_band, response.respondent_name, response.respondent_email) == (
        "small",
        "Ann Other",
        "ann@example.org",
    )


def test_an_import_names_a_row_as_the_command_line_does(app):
    """leftweb 5: the web import numbered rows by their place in the list (+ 2), so after a
    cell on two lines and a blank row it named row 3 where a spreadsheet shows row 4 and the
    command line says "row 4 (line 5 of the file)"; it now says the same."""
    consultation = make_consultation()
    client = signed_in(app, "analyst")
    content = (
        b"ID,Organisation,Type,Area,Franchise?,Why,Modes\n"
        b'cs-1,Walsall Works,Business,Walsall,Agree,"Cheaper fares\nand more buses",Bus\n'
        b"\n"
        b"cs-2,Dudley Trust,Spaceship,dudley,Disagree,Too costly,rail\n"
    )
    page = import_file(client, consultation, content)
    assert page.status_code == 400
    problems = [li.get_text(strip=True) for li in soup(page).find(id="import-problems")("li")]
    assert problems[0].startswith("Unknown partner type 'Spaceship' in row 4 (line 5 of the file).")
    assert count_responses() == 0


@pytest.mark.parametrize("saved_as", ["words", "none"])
def test_an_upload_checked_before_its_places_held_row_numbers_is_read_again(app, saved_as):
    """anlft: the checked copy of an upload now keeps each row's place as [words, unit,
    number] (analysis.io Place). A copy saved earlier (each place its words only, or no
    places at all) is not trusted for row numbers: the upload is read again, and the
    problems name the rows as the file numbers them."""
    from pathlib import Path

    consultation = make_consultation()
    client = signed_in(app, "analyst")
    content = (
        b"ID,Organisation,Type,Area,Franchise?,Why,Modes\n"
        b'cs-1,Walsall Works,Business,Walsall,Agree,"Cheaper fares\nand more buses",Bus\n'
        b"\n"
        b"cs-2,Dudley Trust,Spaceship,dudley,Disagree,Too costly,rail\n"
    )
    page = post(
        client,
        f"/staff/consultations/{consultation.id}/import",
        {"file": (io.BytesIO(content), "export.csv")},
        content_type="multipart/form-data",
    )
    assert page.status_code == 302
    upload = Path(app.instance_path) / "uploads" / page.headers["Location"].rsplit("/", 1)[1]
    checked = Path(str(upload) + ".checked.json")
    saved = json.loads(checked.read_text(encoding="utf-8"))
    assert saved["places"] == [
        ["row 2 (line 2 of the file)", "row", 2],
        ["row 4 (line 5 of the file)", "row", 4],
    ]
    if saved_as == "words":  # as saved before anlft
        saved["places"] = [words for words, _, _ in saved["places"]]
    else:  # as saved before the places were kept (leftweb)
        del saved["places"]
    checked.write_text(json.dumps(saved), encoding="utf-8")
    mapping = {
        "external_id": "ID",
        "organisation_name": "Organisation",
        "partner_type": "Type",
        "area": "Area",
        field(consultation, "Buses should"): "Franchise?",
        field(consultation, "Why"): "Why",
        field(consultation, "Which modes"): "Modes",
    }
    page = post(client, page.headers["Location"], mapping)
    assert page.status_code == 400
    problems = [li.get_text(strip=True) for li in soup(page).find(id="import-problems")("li")]
    assert problems[0].startswith("Unknown partner type 'Spaceship' in row 4 (line 5 of the file).")
    again = json.loads(checked.read_text(encoding="utf-8"))
    assert again["places"][1] == ["row 4 (line 5 of the file)", "row", 4]
    assert count_responses() == 0


def test_an_organisations_upload_names_a_row_as_the_command_line_does(app):
    """leftweb 5, the organisations upload: "Row 4 (line 5 of the file)", not "Row 3"."""
    client = signed_in(app, "editor")
    content = (
        b"name,partner_type,area,contact_email\n"
        b'"Walsall\nWorks",business,walsall,a@walsall.example\n'
        b"\n"
        b"Mystery Org,spaceship,coventry,b@mystery.example\n"
    )
    page = post(
        client,
        "/staff/organisations/upload",
        {"file": (io.BytesIO(content), "orgs.csv")},
        page_url="/staff/organisations/upload",
        content_type="multipart/form-data",
    )
    assert page.status_code == 400
    problems = " ".join(soup(page).find(id="upload-problems").get_text(" ").split())
    assert "Row 4 (line 5 of the file): unknown partner type 'spaceship'." in problems
    assert "Row 3" not in problems


def test_an_import_sent_twice_at_once_is_imported_once(app, monkeypatch):
    """A double click (or two tabs) on "Import" for a file without response ids: both
        requests read the upload and planned its rows before either had deleted it, so every row
        was imported twice. The second request now waits for the first's claim on the upload, then
    finds it imported and imports nothing."""
    import contextlib
    import threading

    from consult import imports

    consultation = make_consultation()
    client = signed_in(app, "analyst")
    rows = "Organisation,Why\n" + "".join(f"Org {i},Reason {i}\n" for i in range(5))
    page = post(
        client,
        f"/staff/consultations/{consultation.id}/import",
        {"file": (io.BytesIO(rows.encode()), "other-tool.csv")},
        content_type="multipart/form-data",
    )
    assert page.status_code == 302
    where = page.headers["Location"]
    form = {
        **hidden_fields_of(client, where),
        "organisation_name": "Organisation",
        field(consultation, "Why"): "Why",
    }
    both_planning = threading.Barrier(2, timeout=3)
    real_plan = imports.plan_import

    def plan_when_both_are_here(*args, **kwargs):
        with contextlib.suppress(threading.BrokenBarrierError):
            both_planning.wait()  # without the fix both requests get here
        return real_plan(*args, **kwargs)

    monkeypatch.setattr(imports, "plan_import", plan_when_both_are_here)
    statuses: list[int] = []

    def send() -> None:
        reply = client.post(where, data=form)
        statuses.append(reply.status_code)
        assert "Traceback" not in reply.get_data(as_text=True)

    threads = [threading.Thread(target=send) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert statuses == [302, 302], statuses  # the second waits for the first, then is told
    db.session.expire_all()
    assert count_responses() == 5
    # Both requests share one session cookie, so which one's message survives depends on which
    # answered last (the test client, like a browser, keeps the last cookie set): the page
    # says either that the rows were imported or that the file had been.
    told = client.get(f"/staff/consultations/{consultation.id}/responses").get_data(as_text=True)
    assert "This file has been imported" in told or "Imported 5 responses" in told
    assert client.post(where, data=form).status_code == 404  # imported: the upload is gone


def test_an_import_is_read_only_under_its_claim_and_never_after_it_is_gone(app, monkeypatch):
    """Review fixr17b #8: the upload was read before the claim was taken, so a second click
    read it while the first imported and deleted it ("no such file"), or wrote its checked
    copy again after the deletion, leaving respondents' answers on disk. Now the file is
    read under the claim, after checking it is still there."""
    import contextlib

    from consult import imports

    consultation = make_consultation()
    client = signed_in(app, "analyst")
    rows = "Organisation,Why\n" + "".join(f"Org {i},Reason {i}\n" for i in range(3))
    page = post(
        client,
        f"/staff/consultations/{consultation.id}/import",
        {"file": (io.BytesIO(rows.encode()), "other-tool.csv")},
        content_type="multipart/form-data",
    )
    where = page.headers["Location"]
    form = {
        **hidden_fields_of(client, where),
        "organisation_name": "Organisation",
        field(consultation, "Why"): "Why",
    }
    real_claim, real_read = imports.claim_upload, imports.read_upload
    held: list[bool] = [False]
    reads: list[bool] = []

    @contextlib.contextmanager
    def claim_then_find_it_imported(path, *args, **kwargs):
        with real_claim(path, *args, **kwargs) as claimed:
            imports.discard_upload(path)  # the first click finished while this one waited
            held[0] = True
            try:
                yield claimed
            finally:
                held[0] = False

    def read(path):
        reads.append(held[0])
        return real_read(path)

    monkeypatch.setattr(imports, "claim_upload", claim_then_find_it_imported)
    monkeypatch.setattr(imports, "read_upload", read)
    reply = client.post(where, data=form)
    assert reply.status_code == 302, reply.get_data(as_text=True)
    assert reads == [], "read before the claim, or after the file had gone"
    assert not list((Path(app.instance_path) / "uploads").glob("*"))
    assert "This file has been imported" in client.get(reply.headers["Location"]).get_data(
        as_text=True
    )
    assert count_responses() == 0


def hidden_fields_of(client, url: str) -> dict:
    from tests.helpers import hidden_fields

    return hidden_fields(client.get(url))


def test_removal_after_the_password_went_stale_asks_it_then_returns_to_the_response(app, data):
    """Removing asks for the password again after 5 minutes; the confirmation then leads
    back to the page the form was on (the removal's own address only takes posts)."""
    app.config["STAFF_REAUTH_SECONDS"] = 0
    client = signed_in(app, "admin")
    target = db.session.scalar(select(Response).where(Response.reference == "WM-4"))
    detail = f"/staff/responses/{target.id}"
    asked = post(
        client,
        f"{detail}/remove",
        {"mode": "delete", "reason": "Asked"},
        page_url=detail,
        headers={"Referer": f"http://localhost{detail}"},
    )
    assert asked.status_code == 302
    assert asked.headers["Location"].startswith("/staff/confirm-password?next=")
    assert asked.headers["Location"].endswith(f"next={detail}".replace("/", "%2F")) or (
        asked.headers["Location"].endswith(f"next={detail}")
    )
    opened = client.get(f"{detail}/remove")
    assert opened.status_code == 302 and opened.headers["Location"] == detail
    assert db.session.get(Response, target.id) is not None
