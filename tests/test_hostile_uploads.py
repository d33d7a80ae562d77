"""Hostile and careless files through the staff upload pages, and a consultation title that
would break a mail header: a clear message (or correct handling), never a 500, nothing half
stored (issue 11, section 2 item 8 and section 3)."""

from __future__ import annotations

import io
import json
from email import message_from_bytes, policy
from pathlib import Path

import pytest
from sqlalchemy import func, select

from analysis import limits
from consult.extensions import db
from consult.models import Organisation, Response
from tests import hostile_files as hostile
from tests.helpers import make_consultation, soup
from tests.staff_helpers import post, signed_in
from tests.test_staff_data import GOOD, import_file

pytestmark = pytest.mark.backends("sqlite", "postgresql")

HEADER = b"name,partner_type,area,contact_email\n"


def upload_organisations(client, content: bytes, name: str = "orgs.csv"):
    return post(
        client,
        "/staff/organisations/upload",
        {"file": (io.BytesIO(content), name)},
        page_url="/staff/organisations/upload",
        content_type="multipart/form-data",
    )


def organisations() -> int:
    return db.session.scalar(select(func.count(Organisation.id)))


def responses() -> int:
    return db.session.scalar(select(func.count(Response.id)))


@pytest.mark.parametrize(
    ("content", "reason"),
    [
        (HEADER + b"Acme,business,dudley,a@b.example,EXTRA\n", "row 2 (line 2 of the file) has 5"),
        (HEADER + b"A" * 140_000 + b",business,dudley,a@b.example\n", "longer than 100,000"),
        (HEADER + b"Ac\rme,business,dudley,a@b.example\n", "a line break inside a cell"),
        (HEADER + b"A" * 201 + b",business,dudley,a@b.example\n", "longer than 200 characters"),
        (HEADER + b"Acme,business,dudley," + b"a" * 320 + b"@b.example\n", "longer than 320"),
        (b"name,Name,partner_type,area,contact_email\nA,B,business,dudley,\n", "more than one"),
        (HEADER + b'Acme,business,dudley,"a@b.example\r\nBcc: x@y.example"\n', "not an email"),
    ],
)
def test_careless_organisations_files_are_refused(app, content, reason):
    client = signed_in(app, "editor")
    page = upload_organisations(client, content)
    assert page.status_code == 400
    problems = soup(page).find(id="upload-problems").get_text()
    assert reason in problems and len(problems) < 2000
    assert organisations() == 0


@pytest.mark.parametrize(
    ("make", "reason"),
    [
        (lambda: hostile.far_cell("XFD2"), "a value in column 16,384"),
        (lambda: hostile.huge_cell(10**9, 1 << 20), "unpacks to 953 MB"),
        (lambda: hostile.huge_cell(200_704), "200,704 characters"),
        (hostile.lying_bomb, "cannot be"),
    ],
)
def test_hostile_spreadsheets_of_organisations_are_refused(app, make, reason):
    client = signed_in(app, "editor")
    page = upload_organisations(client, make(), "orgs.xlsx")
    assert page.status_code == 400
    assert reason in soup(page).find(id="upload-problems").get_text()
    assert organisations() == 0


def test_a_title_with_a_line_break_still_sends_invitations(app):
    consultation = make_consultation()
    consultation.title = "Bus plan\r\nBcc: everyone@example.org"
    db.session.add(
        Organisation(
            name="Tipton Trust",
            partner_type="vcse",
            area="sandwell",
            contact_email="hello@tipton.example",
        )
    )
    db.session.commit()
    client = signed_in(app, "editor")
    page_url = f"/staff/consultations/{consultation.id}/invitations"
    organisation = db.session.scalar(select(Organisation))
    sent = post(
        client,
        f"{page_url}/send",
        {"mode": "invite", "organisation": [str(organisation.id)]},
        page_url=page_url,
    )
    assert sent.status_code == 302 and "/sent/" in sent.headers["Location"]  # Post/Redirect/Get
    [path] = (Path(app.instance_path) / "outbox").glob("*.eml")
    message = message_from_bytes(path.read_bytes(), policy=policy.default)
    assert message["Subject"] == "Your views: Bus plan Bcc: everyone@example.org"
    assert message["Bcc"] is None and message["To"] == "hello@tipton.example"


@pytest.mark.parametrize(
    ("content", "name", "reason"),
    [
        (
            b'{"ID": "1", "Why": ' + b"[" * 50_000 + b"]" * 50_000 + b"}\n",
            "deep.jsonl",
            "line 1 nests lists or objects more than 32 deep",
        ),
        (hostile.huge_cell(10**9, 1 << 20), "big.xlsx", "unpacks to 953 MB"),
        (hostile.far_cell("XFD2"), "far.xlsx", "a value in column 16,384"),
        (b"ID,Why,Why\n1,a,b\n", "dup.csv", "the column name 'Why' appears twice"),
        ("ID,Why\n1,バスが必要です\n".encode("shift_jis"), "sjis.csv", "save it as UTF-8"),
    ],
)
def test_hostile_response_imports_are_refused(app, content, name, reason):
    consultation = make_consultation()
    client = signed_in(app, "analyst")
    page = import_file(client, consultation, content, name=name)
    assert page.status_code == 400
    assert reason in soup(page).get_text()
    assert responses() == 0
    assert not list((Path(app.instance_path) / "uploads").iterdir())


def test_a_sheet_of_two_million_rows_stops_at_the_limit(app, monkeypatch):
    monkeypatch.setattr(limits, "MAX_ROWS", 2_000)  # the real 200,000 takes ~25 s here
    consultation = make_consultation()
    client = signed_in(app, "analyst")
    page = import_file(client, consultation, hostile.many_rows(2_000_000), name="rows.xlsx")
    assert page.status_code == 400 and "more than 2,000 rows" in soup(page).get_text()


def test_a_declared_huge_sheet_imports_its_real_rows(app):
    consultation = make_consultation()
    client = signed_in(app, "analyst")
    page = post(
        client,
        f"/staff/consultations/{consultation.id}/import",
        {"file": (io.BytesIO(hostile.declared_everything()), "declared.xlsx")},
        content_type="multipart/form-data",
    )
    assert page.status_code == 302
    mapping = soup(client.get(page.headers["Location"]))
    assert "Buses" in mapping.get_text()


def test_the_upload_is_read_once(app):
    """The mapping step reads what the upload step checked, not the file again."""
    consultation = make_consultation()
    client = signed_in(app, "analyst")
    page = post(
        client,
        f"/staff/consultations/{consultation.id}/import",
        {"file": (io.BytesIO(GOOD.encode()), "export.csv")},
        content_type="multipart/form-data",
    )
    assert page.status_code == 302
    upload = Path(app.instance_path) / "uploads" / page.headers["Location"].rsplit("/", 1)[1]
    upload.write_bytes(b"\x81\x8d garbage that would not read")
    checked = json.loads(Path(str(upload) + ".checked.json").read_text(encoding="utf-8"))
    assert checked["columns"][:2] == ["ID", "Organisation"]
    done = import_file(client, consultation, GOOD.encode())
    assert done.status_code == 302 and responses() == 2
    assert not list((Path(app.instance_path) / "uploads").glob("*.checked.json"))[1:]


# --- characters no form can send, spelt in a file (found probing gunicorn) ------------------

JSONL_ODD = (
    b'{"ID": "cs-1", "Organisation": "Walsall\\u0000 Works", "Type": "Business", '
    b'"Area": "Walsall", "Franchise?": "Agree", "Why": "Cheaper\\u0000 fares \\ud800", '
    b'"Modes": "Bus"}\n'
)


def test_nul_and_lone_surrogates_in_a_response_import_are_stored_safely(app):
    """``\\u0000`` in a JSONL import gave a 500 on PostgreSQL when the rows were added, and
    ``\\ud800`` a 500 on both databases as soon as the file was uploaded."""
    consultation = make_consultation()
    client = signed_in(app, "analyst")
    done = import_file(client, consultation, JSONL_ODD, name="export.jsonl")
    assert done.status_code == 302, soup(done).get_text()[:500]
    db.session.expire_all()
    imported = db.session.scalar(select(Response))
    assert imported.organisation_name == "Walsall Works"
    assert "Cheaper fares \ufffd" in {answer.value for answer in imported.answers}


def test_a_lone_surrogate_in_the_own_json_export_is_stored_safely(app):
    """The same ``\\ud800`` in this service's own JSON export (read as JSON Lines of its
    records) gave a 500: the records could not be written back as UTF-8."""
    consultation = make_consultation()
    client = signed_in(app, "analyst")
    own = (
        b'{"responses": [' + JSONL_ODD.strip() + b'], "metadata": {"format": '
        b'"consult.responses/2"}}'
    )
    done = import_file(client, consultation, own, name="export.json")
    assert done.status_code == 302, soup(done).get_text()[:500]
    db.session.expire_all()
    imported = db.session.scalar(select(Response))
    assert "Cheaper fares \ufffd" in {answer.value for answer in imported.answers}


def test_nul_in_an_organisations_file_is_dropped(app):
    content = (
        b'{"name": "Tipton\\u0000 Trust\\ud800", "partner_type": "vcse", '
        b'"area": "sandwell", "contact_email": "hello@tipton.example"}\n'
    )
    name = "orgs.jsonl"
    client = signed_in(app, "editor")
    page = upload_organisations(client, content, name=name)
    assert page.status_code in (200, 302), soup(page).get_text()[:500]
    db.session.expire_all()
    [organisation] = db.session.scalars(select(Organisation)).all()
    assert organisation.name == "Tipton Trust\ufffd"


PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64


def test_an_image_is_named_alike_by_the_responses_import_and_the_organisations_upload(app):
    """smoke3 finding 14: the responses import called a PNG "no file" ("Choose a CSV, XLSX or
    JSON Lines (.jsonl) file.", its words for uploading nothing) while the organisations
    upload named it; both now use the one file sniffing in analysis.io."""
    consultation = make_consultation()
    client = signed_in(app, "admin")
    said = (
        "The file cannot be read: the file is an image (PNG), which cannot be read: save or "
        "export the table as CSV or XLSX instead."
    )
    imported = import_file(client, consultation, PNG, name="odd.png")
    assert imported.status_code == 400
    assert soup(imported).find(class_="govuk-error-summary__list").get_text(strip=True) == said
    organisations_page = upload_organisations(client, PNG, "odd.png")
    assert said in soup(organisations_page).find(id="upload-problems").get_text()
    # Renamed .csv, the reader says the same.
    renamed = import_file(client, consultation, PNG, name="odd.csv")
    assert said in soup(renamed).get_text()
    # A file of another kind is named; nothing chosen is asked for.
    other = import_file(client, consultation, b"some notes\n", name="notes\x07.txt")
    assert soup(other).find(class_="govuk-error-summary__list").get_text(strip=True) == (
        "‘notes.txt’ is not a CSV, XLSX, JSON or JSON Lines (.jsonl) file. Choose a CSV, XLSX, "
        "JSON or JSON Lines (.jsonl) file."
    )
    nothing = import_file(client, consultation, b"", name="")
    assert nothing.status_code == 400
    assert soup(nothing).find(class_="govuk-error-summary__list").get_text(strip=True) == (
        "Choose a CSV, XLSX, JSON or JSON Lines (.jsonl) file."
    )
    assert responses() == 0 and organisations() == 0
    assert not list((Path(app.instance_path) / "uploads").glob("*"))
