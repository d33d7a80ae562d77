"""Importing this service's own responses export (issue 13): the mapping page matches its
headings, the coding columns included, so a round trip needs no column chosen by hand."""

from __future__ import annotations

import io
import json
from datetime import UTC, datetime

import pytest
from sqlalchemy import func, select

from analysis.errors import InputError
from consult.extensions import db
from consult.imports import NOT_OWN_JSON, match_columns, own_json_rows
from consult.models import Response
from consult.reports import coding
from consult.reports.coding_models import Codebook, CodebookTheme
from tests.helpers import field, make_consultation, soup
from tests.staff_helpers import post, signed_in
from tests.test_staff_data import add_response

pytestmark = pytest.mark.backends("sqlite", "postgresql")

ANSWERS = {
    "WM-1": ("Cheaper fares, please", ["bus", "tram"]),
    "WM-2": ("=1+1 looks like a formula; and a comma, too", ["rail"]),
}


def _exported(client, source, fmt: str) -> bytes:
    page = client.get(f"/staff/consultations/{source.id}/export.{fmt}")
    assert page.status_code == 200
    return page.get_data()


def _coded_source():
    """A consultation with two responses, its "why" question coded against a codebook (so
    the export carries the coding columns)."""
    source = make_consultation()
    for reference, (why, modes) in ANSWERS.items():
        add_response(source, reference, why, modes, org=f"Org {reference}", area="walsall")
    why = next(q for q in source.questions if q.text == "Why do you say that?")
    codebook = Codebook(consultation_id=source.id, question_id=why.id, source="file test.csv")
    codebook.themes = [CodebookTheme(key="T1", position=0, name="Fares")]
    db.session.add(codebook)
    db.session.commit()
    first = db.session.scalar(select(Response).where(Response.reference == "WM-1"))
    # what a round trip used to lose (smoke walk 7, finding 29)
    first.submitted_at = datetime(2026, 7, 1, 11, 30, 5, tzinfo=UTC)  # 12:30:05 BST
    first.size_band = "small"
    first.respondent_name = "Ann Other"
    first.respondent_email = "ann.other@example.org"
    db.session.commit()
    coding.save_code(codebook, first.id, "analyst@example.gov.uk", ["T1"], "for")
    return source


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_the_own_export_is_matched_and_imports_with_no_column_chosen(app, fmt):
    source = _coded_source()
    target = make_consultation("transport-again")
    client = signed_in(app, "admin")
    upload = post(
        client,
        f"/staff/consultations/{target.id}/import",
        {"file": (io.BytesIO(_exported(client, source, fmt)), f"export.{fmt}")},
        content_type="multipart/form-data",
    )
    assert upload.status_code == 302
    page = soup(client.get(upload.headers["Location"]))
    chosen = {
        select_["name"]: (select_.find("option", selected=True) or {}).get("value", "")
        for select_ in page.find_all("select")
    }
    assert chosen == {
        "external_id": "reference",
        "organisation_name": "organisation",
        "partner_type": "partner_type",
        "area": "area",
        "submitted_at": "submitted_at" if fmt == "csv" else "submitted_at (UK time)",
        "size_band": "size_band",
        "respondent_name": "respondent_name",
        "respondent_email": "respondent_email",
        field(target, "Buses should"): "Q1: Buses should be franchised",
        field(target, "Why"): "Q2: Why do you say that? (about Q1: Buses should be franchised)",
        field(target, "Which modes"): "Q3: Which modes do you use?",
        field(target, "Top priority"): "Q4: Top priority",
        field(target, "One idea"): "Q5: One idea",
    }
    said = page.find(id="columns-not-imported").get_text(" ", strip=True)
    assert "Q2 coded themes, Q2 coding source, Q2 coding confidence, Q2 coded stance" in said
    assert "Q2 stance source, Q2 disagreement" in said and "status" in said
    assert "external_id" in said  # the export's other-tool id: `reference` is the id here
    assert page.find(id="columns-matched").get_text(" ", strip=True).startswith("13 columns")
    # Sent as the page offers it: every row imported, answers as they were.
    done = post(client, upload.headers["Location"], chosen)
    assert done.status_code == 302, soup(done).find(id="import-problems")
    imported = db.session.scalars(
        select(Response).where(Response.consultation_id == target.id)
    ).all()
    assert {r.external_id for r in imported} == set(ANSWERS)
    for response in imported:
        why, modes = ANSWERS[response.external_id]
        answers = {a.question.text: a.value for a in response.answers}
        assert answers["Why do you say that?"] == why
        assert answers["Buses should be franchised"] == "agree"
        assert sorted(json.loads(answers["Which modes do you use?"])) == sorted(modes)
        assert response.organisation_name == f"Org {response.external_id}"
        assert (response.partner_type, response.area) == ("business", "walsall")
    # submitted_at, size band and respondent name and email kept (smoke walk 7, finding 29)
    kept = {r.external_id: r for r in imported}["WM-1"]
    assert kept.submitted_at.astimezone(UTC) == datetime(2026, 7, 1, 11, 30, 5, tzinfo=UTC)
    assert (kept.size_band, kept.respondent_name, kept.respondent_email) == (
        "small",
        "Ann Other",
        "ann.other@example.org",
    )
    other = {r.external_id: r for r in imported}["WM-2"]
    assert other.submitted_at is not None and other.size_band is None


def test_headings_are_matched_loosely_but_never_twice_or_ambiguously(app):
    consultation = make_consultation()
    consultation.questions[4].text = "Why do you say that?"  # now two questions share words
    db.session.commit()
    matched = match_columns(
        consultation,
        [
            "Response_ID",
            "Organisation  Name",
            "PARTNER TYPE",
            "Why do you say that?",
            "Buses should be franchised",
            "Q3: Which modes do you use?",
            "Q3 coded themes",
            "Submitted_at (UK time)",
            "Something else",
        ],
    )
    assert matched.mapping == {
        "external_id": "Response_ID",
        "organisation_name": "Organisation  Name",
        "partner_type": "PARTNER TYPE",
        "submitted_at": "Submitted_at (UK time)",
        field(consultation, "Buses should"): "Buses should be franchised",
        field(consultation, "Which modes"): "Q3: Which modes do you use?",
    }  # "Why do you say that?" names two questions: left for a person to choose
    assert matched.coding == ["Q3 coded themes"]
    assert matched.other == []  # submitted_at is imported now
    assert match_columns(consultation, ["Submitted_at (UK time)", "Status"]).mapping == {
        "submitted_at": "Submitted_at (UK time)"
    }


def test_the_own_export_read_back_into_its_own_consultation_adds_nothing_twice(app):
    """Its rows are this consultation's responses already: each would have been added again."""
    source = _coded_source()
    client = signed_in(app, "admin")
    upload = post(
        client,
        f"/staff/consultations/{source.id}/import",
        {"file": (io.BytesIO(_exported(client, source, "csv")), "export.csv")},
        content_type="multipart/form-data",
    )
    page = soup(client.get(upload.headers["Location"]))
    chosen = {
        select_["name"]: (select_.find("option", selected=True) or {}).get("value", "")
        for select_ in page.find_all("select")
    }
    refused = post(client, upload.headers["Location"], chosen)
    assert refused.status_code == 400
    problems = [li.get_text(strip=True) for li in soup(refused).find(id="import-problems")("li")]
    assert problems[0].startswith(
        "Response 'WM-1' already in this consultation in row 2 (line 2 of the file)."
    )  # where the command line would say it is (analysis.io csv_place; leftweb 5)
    assert "The file is this consultation's own export" in problems[0]
    # One whole-file cause: the error summary says it once (smoke walk 7, finding 28: it
    # listed one error per row); each row's problem is listed below it, not in it.
    summary = soup(refused).find(class_="govuk-error-summary")
    assert summary.get_text(" ", strip=True) == (
        f"Nothing was imported All {len(ANSWERS)} rows are refused for one reason. The file is "
        "this consultation's own export: its responses are here already, so leave them out "
        "of the file."
    )
    assert summary.find(id="import-problems") is None and not summary.find_all("li")
    assert db.session.scalar(
        select(func.count()).select_from(Response).where(Response.consultation_id == source.id)
    ) == len(ANSWERS)


# --- the JSON export read back (issue 13, codenotes) -------------------------------------------


def _upload(client, consultation, data: bytes, name: str):
    return post(
        client,
        f"/staff/consultations/{consultation.id}/import",
        {"file": (io.BytesIO(data), name)},
        content_type="multipart/form-data",
    )


def _offered(client, location: str) -> dict[str, str]:
    page = soup(client.get(location))
    return {
        select_["name"]: (select_.find("option", selected=True) or {}).get("value", "")
        for select_ in page.find_all("select")
    }


def test_the_own_json_export_is_matched_and_imports_as_the_csv_does(app):
    """The JSON export (an object of "responses" and "metadata") could not be imported: the
    import read JSON Lines only. It is read as its records, every column matched as the CSV
    and Excel exports' are, and imported with no column chosen by hand."""
    source = _coded_source()
    target = make_consultation("transport-again")
    client = signed_in(app, "admin")
    exported = _exported(client, source, "json")
    assert json.loads(exported)["metadata"]["format"].startswith("consult.responses/")
    upload = _upload(client, target, exported, "transport-responses.json")
    assert upload.status_code == 302, soup(upload).find(class_="govuk-error-summary")
    json_chosen = _offered(client, upload.headers["Location"])
    csv_upload = _upload(client, target, _exported(client, source, "csv"), "export.csv")
    assert json_chosen == _offered(client, csv_upload.headers["Location"])
    assert json_chosen[field(target, "Why")] == (
        "Q2: Why do you say that? (about Q1: Buses should be franchised)"
    )
    page = soup(client.get(upload.headers["Location"]))
    said = page.find(id="columns-not-imported").get_text(" ", strip=True)
    assert "Q2 coded themes, Q2 coding source, Q2 coding confidence, Q2 coded stance" in said
    assert page.find(id="columns-matched").get_text(" ", strip=True).startswith("13 columns")
    done = post(client, upload.headers["Location"], json_chosen)
    assert done.status_code == 302, soup(done).find(id="import-problems")
    imported = db.session.scalars(
        select(Response).where(Response.consultation_id == target.id)
    ).all()
    assert {r.external_id for r in imported} == set(ANSWERS)
    for response in imported:
        why, modes = ANSWERS[response.external_id]
        answers = {a.question.text: a.value for a in response.answers}
        assert answers["Why do you say that?"] == why
        assert answers["Buses should be franchised"] == "agree"
        assert sorted(json.loads(answers["Which modes do you use?"])) == sorted(modes)
        assert response.organisation_name == f"Org {response.external_id}"
        assert (response.partner_type, response.area) == ("business", "walsall")
    # Read back again, its rows are refused: they were imported already.
    again = _upload(client, target, exported, "again.json")
    refused = post(client, again.headers["Location"], json_chosen)
    assert refused.status_code == 400
    problems = soup(refused).find(id="import-problems").get_text(" ", strip=True)
    assert "from an earlier import" in problems


def test_the_own_json_export_read_back_into_its_own_consultation_adds_nothing(app):
    source = _coded_source()
    client = signed_in(app, "admin")
    upload = _upload(client, source, _exported(client, source, "json"), "export.json")
    refused = post(client, upload.headers["Location"], _offered(client, upload.headers["Location"]))
    assert refused.status_code == 400
    problems = [li.get_text(strip=True) for li in soup(refused).find(id="import-problems")("li")]
    # a JSON array's records, as the command line names them (leftweb 5)
    assert problems[0].startswith("Response 'WM-1' already in this consultation in record 1.")
    assert db.session.scalar(
        select(func.count()).select_from(Response).where(Response.consultation_id == source.id)
    ) == len(ANSWERS)


@pytest.mark.parametrize(
    ("body", "said"),
    [
        (b'{"items": [{"a": 1}]}', "only as this service's own responses export"),
        (b'{"responses": [{"a": 1}], "metadata": {"format": "other/1"}}', "own responses"),
        (b'{"responses": "none", "metadata": {"format": "consult.responses/2"}}', "own"),
        (b"[1, 2, 3]", "only as this service's own responses export"),
        (b'"just a string"', "only as this service's own responses export"),
        (b'{"responses": [], "metadata": {"format": "consult.responses/2"}}', "no responses"),
        (b'{"responses": [', "the file is not valid JSON"),
        (b'{"a": 1, "a": 2}', "has the key ‘a’ twice"),
        (b"\xff\xfe{}", "not UTF-8"),
    ],
)
def test_a_json_file_of_another_shape_is_a_clear_form_error(app, body, said):
    consultation = make_consultation()
    client = signed_in(app, "admin")
    page = _upload(client, consultation, body, "other.json")
    assert page.status_code == 400
    summary = soup(page).find(class_="govuk-error-summary__list").get_text(" ", strip=True)
    assert summary.startswith("The file cannot be read: ") and said in summary, summary
    assert soup(page).find(id="file-error") is not None
    assert db.session.scalar(select(func.count()).select_from(Response)) == 0


def test_json_lines_saved_as_json_are_read_as_json_lines(app):
    consultation = make_consultation()
    client = signed_in(app, "admin")
    body = b'{"reference": "X-1", "Q2: Why do you say that?": "Fares"}\n{"reference": "X-2"}\n'
    upload = _upload(client, consultation, body, "lines.json")
    assert upload.status_code == 302


def test_an_export_over_the_page_limit_uploads_and_other_pages_keep_it(app):
    """smoke8: the demo's own JSON export (276 responses with coding columns) is over the
    1 MB every page takes, and its import said "What you sent is too large". An import
    upload may be as large as the importer reads; any other page still refuses 1 MB."""
    consultation = make_consultation()
    client = signed_in(app, "admin")
    record = {"reference": "", "Q2: Why do you say that?": "Fares are too high. " * 20}
    lines = [json.dumps({**record, "reference": f"X-{i}"}) for i in range(3000)]
    body = "\n".join(lines).encode("utf-8")
    assert len(body) > app.config["MAX_CONTENT_LENGTH"]
    upload = _upload(client, consultation, body, "big.jsonl")
    assert upload.status_code == 302, upload.get_data(as_text=True)[:300]
    assert "/import/" in upload.headers["Location"]
    other = client.post(
        f"/staff/consultations/{consultation.id}/edit",
        data={"title": "x" * (app.config["MAX_CONTENT_LENGTH"] + 10)},
    )
    assert other.status_code == 413


@pytest.mark.parametrize(
    ("body", "said"),
    [
        (b'{"responses": [', "the file is not valid JSON"),
        (b'[{"a": 1},\n', "the file is not valid JSON"),
        (b'{"a": 1, "a": 2}', "the JSON file has the key ‘a’ twice"),
        (b"[" * 5000 + b"]" * 5000, "the JSON file nests lists or objects too deep"),
        (b"\xff\xfe{}", "the JSON file is not UTF-8 text"),
        (
            b'{"responses": [], "metadata": {"format": "consult.responses/2"}}',
            "the export has no responses",
        ),
        (b"[]", "the export has no responses"),
        (b'{"responses": [{"a": 1}]}', NOT_OWN_JSON),
        (b'{"responses": [1], "metadata": {"format": "consult.responses/2"}}', NOT_OWN_JSON),
        (b'{"responses": {}, "metadata": {"format": "consult.responses/1"}}', NOT_OWN_JSON),
        (b"[{}, 2]", NOT_OWN_JSON),
        (b"null", NOT_OWN_JSON),
    ],
)
def test_own_json_rows_refuses_in_its_own_words(body, said):
    """The import's reader of its own JSON export parses with analysis.io.load_json but keeps
    its words (curly quotes, "too deep", no line number) and refuses any other shape,
    though the command line reads an array or a "responses" object of any metadata."""
    with pytest.raises(InputError) as error:
        own_json_rows(body)
    assert str(error.value) == said


def test_own_json_rows_gives_the_records_of_either_version():
    records = [{"reference": "WM-1", "answer": "Fares"}, {"reference": "WM-2"}]
    wrapped = {"responses": records, "metadata": {"format": "consult.responses/2"}}
    assert own_json_rows(b"\xef\xbb\xbf" + json.dumps(wrapped).encode()) == records
    assert own_json_rows(json.dumps(records).encode()) == records
