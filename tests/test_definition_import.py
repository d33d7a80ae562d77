"""Importing a consultation definition checks the whole file (types, ranges, lengths, the web
address name) and lists every problem; a bad value already stored cannot break a page
(issue 11, section 2 item 6)."""

from __future__ import annotations

import copy
import io
import json
import re

import pytest
from sqlalchemy import func, select, text

from consult.definitions import FORMAT, DefinitionError, import_definition
from consult.extensions import db
from consult.models import Consultation
from consult.retention import due_for_purge
from tests.helpers import hidden_fields, soup
from tests.staff_helpers import post, signed_in

pytestmark = pytest.mark.backends("sqlite", "postgresql")

GOOD = {
    "format": FORMAT,
    "slug": "bus-strategy-2027",
    "title": "Bus strategy 2027",
    "minutes_to_complete": 10,
    "retention_days": 365,
    "sections": [
        {
            "title": "Services",
            "questions": [
                {"kind": "long_text", "text": "What would help?", "max_length": 800},
                {
                    "kind": "single_choice",
                    "text": "Which mode?",
                    "options": [
                        {"value": "bus", "label": "Bus"},
                        {"value": "rail", "label": "Rail"},
                    ],
                },
            ],
        }
    ],
}


def changed(path: str, value) -> dict:
    """GOOD with the value at a dotted path (list indexes as numbers) replaced."""
    definition = copy.deepcopy(GOOD)
    *parents, last = path.split(".")
    target = definition
    for key in parents:
        target = target[int(key)] if key.isdigit() else target[key]
    target[int(last) if last.isdigit() else last] = value
    return definition


def upload(client, definition: dict | bytes, slug: str = ""):
    body = definition if isinstance(definition, bytes) else json.dumps(definition).encode()
    return post(
        client,
        "/staff/definitions/import",
        {"file": (io.BytesIO(body), "definition.json"), "slug": slug},
        content_type="multipart/form-data",
    )


def page_text(page) -> str:
    return soup(page).get_text()


def stored() -> int:
    return db.session.scalar(select(func.count(Consultation.id)))


MAX_LENGTH = "section 1 question 1 'max_length' must be a whole number from 1 to 100,000"
MINUTES = "'minutes_to_complete' must be a whole number from 1 to 600"


@pytest.mark.parametrize(
    ("path", "value", "reason"),
    [
        ("sections.0.questions.0.max_length", "abc", MAX_LENGTH),
        ("sections.0.questions.0.max_length", 0, MAX_LENGTH),
        ("sections.0.questions.0.max_length", 10**30, MAX_LENGTH),
        ("sections.0.questions.0.max_length", 12.5, MAX_LENGTH),
        ("sections.0.questions.0.max_length", True, MAX_LENGTH),
        ("minutes_to_complete", "abc", MINUTES),
        ("minutes_to_complete", [1], MINUTES),
        ("minutes_to_complete", 10**30, MINUTES),
        ("retention_days", {}, "'retention_days' must be a whole number from 1 to 3,650"),
        ("sections.0.questions.1.options", ["a", "b"], "option 1 must be an object like"),
        ("sections.0.questions.1.options", "bus", "'options' must be a list"),
        ("sections.0.questions.0.required", "yes", "'required' must be true or false"),
        ("sections.0.questions.0.explains", True, "'explains' must be the number of an earlier"),
        ("sections.0.questions.0.kind", ["long_text"], "question 1 has no valid kind"),
        ("sections.0.questions", {"a": 1}, "section 1 'questions' must be a list"),
        ("sections.0", "Services", "section 1 is not an object"),
        ("slug", "a b/c", "lower-case letters, numbers and hyphens"),
        ("slug", "a" * 500, "'slug' is longer than 80 characters"),
        ("slug", 7, "'slug' must be text"),
        ("title", "", "'title' is missing"),
        ("closes_at", "9999-12-31T23:59:59", "'closes_at' must be in the years 2000 to 2100"),
        ("closes_at", 20270131, "'closes_at' is not a date and time"),
        ("contact_email", "not an address", "'contact_email' is not an email address"),
        ("allow_open_link", "no", "'allow_open_link' must be true or false"),
    ],
)
def test_bad_definitions_are_refused_with_the_reason(app, path, value, reason):
    client = signed_in(app, "editor")
    page = upload(client, changed(path, value))
    assert page.status_code == 400
    assert reason in page_text(page)
    assert stored() == 0


def test_every_problem_is_listed_at_once(app):
    definition = changed("minutes_to_complete", "abc")
    definition["retention_days"] = {}
    definition["sections"][0]["questions"][0]["max_length"] = "abc"
    with pytest.raises(DefinitionError) as caught:
        import_definition(json.dumps(definition))
    assert len(caught.value.problems) == 3
    assert MINUTES in str(caught.value) and MAX_LENGTH in str(caught.value)


def test_a_slug_typed_on_the_form_is_checked_too(app):
    client = signed_in(app, "editor")
    for slug, reason in (("a b/c", "lower-case letters"), ("a" * 500, "longer than 80")):
        page = upload(client, GOOD, slug=slug)
        assert page.status_code == 400 and reason in page_text(page)
    assert stored() == 0
    assert upload(client, GOOD, slug="bus-copy").status_code == 302
    assert stored() == 1


def test_deeply_nested_and_huge_files_are_refused(app):
    client = signed_in(app, "editor")
    deep = b'{"format": "consult.definition/1", "sections": ' + b"[" * 100_000 + b"]" * 100_000
    page = upload(client, deep + b"}")
    assert page.status_code == 400 and "nests lists or objects too deeply" in page_text(page)
    # The web refuses bodies over 1 MB (MAX_CONTENT_LENGTH); the importer has its own limit.
    assert upload(client, changed("summary", "x" * 3_000_000)).status_code == 413
    with pytest.raises(DefinitionError, match="larger than 2 MB"):
        import_definition(json.dumps(changed("summary", "x" * 3_000_000)))
    assert stored() == 0


def test_a_good_definition_still_imports(app):
    client = signed_in(app, "editor")
    assert upload(client, GOOD).status_code == 302
    consultation = db.session.scalar(select(Consultation))
    assert consultation.minutes_to_complete == 10 and consultation.retention_days == 365
    assert consultation.sections[0].questions[0].max_length == 800


@pytest.mark.backends("sqlite")
def test_bad_values_already_stored_cannot_break_a_page(app):
    """SQLite kept what an unvalidated import wrote; every page still works."""
    client = signed_in(app, "editor")
    assert upload(client, GOOD).status_code == 302
    consultation = db.session.scalar(select(Consultation))
    db.session.execute(text("UPDATE question SET max_length = 'abc'"))
    db.session.execute(
        text("UPDATE consultation SET minutes_to_complete = 'abc', retention_days = 'x'")
    )
    db.session.commit()
    base = f"/staff/consultations/{consultation.id}"
    assert client.get(f"{base}/preview/1").status_code == 200
    assert client.get(base).status_code == 200
    consultation.status = "open"
    db.session.commit()
    partner = app.test_client()
    start = partner.get("/c/bus-strategy-2027")
    # A stored value that is no number: the time is estimated from the questions instead.
    assert start.status_code == 200
    assert re.search(r"It takes about \d+ minutes?\.", start.get_data(as_text=True))
    partner.post("/c/bus-strategy-2027", data=hidden_fields(start))
    page = partner.get("/c/bus-strategy-2027/section/1", follow_redirects=True)
    assert page.status_code == 200
    assert due_for_purge() == []


def test_nul_control_characters_and_lone_surrogates_are_stored_safely(app):
    """A JSON file can spell characters no form can send: ``\\u0000`` (a 500 on
    PostgreSQL), other control characters, and lone surrogates such as ``\\ud800`` (a 500
    on both databases, which cannot encode them). Control characters are dropped, as the
    edge drops them from typed text; a lone surrogate becomes U+FFFD."""
    definition = changed("title", "Bus\x00 strategy\x1b 2027")
    definition["summary"] = "Half a pair: \ud800."
    definition["sections"][0]["questions"][0]["text"] = "What\x00 would help?\udfff"
    definition["sections"][0]["questions"][1]["options"][0]["label"] = "Bus\x01"
    client = signed_in(app, "editor")
    page = upload(client, json.dumps(definition, ensure_ascii=True).encode())
    assert page.status_code == 302
    db.session.expire_all()
    consultation = db.session.scalar(select(Consultation))
    assert consultation.title == "Bus strategy 2027"
    assert consultation.summary == "Half a pair: \ufffd."
    first, second = consultation.sections[0].questions
    assert first.text == "What would help?\ufffd"
    assert second.options[0].label == "Bus"
    assert client.get(f"/staff/consultations/{consultation.id}/preview/1").status_code == 200
    exported = client.get(f"/staff/consultations/{consultation.id}/definition.json")
    assert exported.status_code == 200 and exported.get_json()["title"] == "Bus strategy 2027"


@pytest.mark.parametrize(
    ("notice", "days", "named"),
    [
        ("We keep responses for two years after the consultation closes.", 365, "two years"),
        ("Responses are kept for 6 months.", None, "6 months"),
    ],
)
def test_a_notice_disagreeing_with_retention_days_is_refused(app, notice, days, named):
    """The builder's rule (consult.retention_notice.conflict) holds for an import too: the
    privacy notice must not promise another period than ``retention_days`` keeps."""
    client = signed_in(app, "editor")
    definition = changed("privacy_notice", notice)
    if days is None:
        del definition["retention_days"]
    else:
        definition["retention_days"] = days
    page = upload(client, definition)
    assert page.status_code == 400
    said = page_text(page)
    assert named in said and "'retention_days'" in said
    assert (f"{days} days" if days else "until deleted") in said
    assert stored() == 0
    # A notice that agrees with the setting imports.
    definition["retention_days"] = 730 if days else 183
    assert upload(client, definition).status_code == 302
    assert stored() == 1


def test_an_imported_copy_is_told_apart_from_its_original_by_its_title(app):
    """Imported again under another web address, a definition's copy is titled "(copy)",
    then "(copy 2)": two identical titles in every list could not be told apart."""
    client = signed_in(app, "editor")
    assert upload(client, GOOD).status_code == 302
    titles = []
    for slug in ("bus-strategy-copy", "bus-strategy-copy-2"):
        imported = upload(client, GOOD, slug=slug)
        assert imported.status_code == 302
        shown = client.get(imported.headers["Location"])
        titles.append(
            db.session.scalar(select(Consultation.title).where(Consultation.slug == slug))
        )
        assert f"titled ‘{titles[-1]}’" in page_text(shown)
    assert titles == ["Bus strategy 2027 (copy)", "Bus strategy 2027 (copy 2)"]
    # A title at the column's length still fits, and is still new.
    long = changed("title", "L" * 200)
    assert upload(client, long, slug="long-one").status_code == 302
    assert upload(client, long, slug="long-two").status_code == 302
    copy_title = db.session.scalar(
        select(Consultation.title).where(Consultation.slug == "long-two")
    )
    assert len(copy_title) == 200 and copy_title.endswith(" (copy)")
    # A title with a LIKE wildcard is matched as written.
    odd = changed("title", "50% of_bus")
    assert upload(client, odd, slug="odd-one").status_code == 302
    assert upload(client, changed("title", "50% ofXbus"), slug="odd-two").status_code == 302
    assert (
        db.session.scalar(select(Consultation.title).where(Consultation.slug == "odd-two"))
        == "50% ofXbus"
    )


def test_definition_times_carry_their_offset_and_round_trip(app):
    """A definition file's times are ISO 8601 with their offset from UTC, on the UK clock
    as the response exports say theirs (winter "+00:00", summer "+01:00"); importing one
    keeps the same instant, and a file written before times had an offset is read as UTC."""
    from datetime import UTC, datetime

    from consult.definitions import export_definition
    from consult.models import as_utc

    winter = datetime(2026, 12, 5, 3, 8, tzinfo=UTC)
    summer = datetime(2027, 6, 30, 16, 0, tzinfo=UTC)
    definition = changed("opens_at", winter.isoformat())
    definition["closes_at"] = "2027-06-30T17:00:00+01:00"  # the same instant as ``summer``
    consultation = import_definition(json.dumps(definition))
    db.session.commit()
    assert as_utc(consultation.opens_at) == winter and as_utc(consultation.closes_at) == summer
    written = export_definition(consultation)
    assert written["opens_at"] == "2026-12-05T03:08:00+00:00"
    assert written["closes_at"] == "2027-06-30T17:00:00+01:00"
    old = changed("opens_at", "2026-12-05T03:08:00")  # no offset: UTC, as it was stored
    old["slug"] = "bus-strategy-old"
    assert as_utc(import_definition(json.dumps(old)).opens_at) == winter
