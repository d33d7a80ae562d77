"""The builder: a consultation made through the forms, reordered, previewed, opened,
exported and imported again; questions locked once responses arrive."""

from __future__ import annotations

import io
import json

import pytest
from sqlalchemy import select

from consult.definitions import export_definition
from consult.extensions import db
from consult.models import Consultation, QuestionRevision, Response
from tests.helpers import soup
from tests.staff_helpers import post, signed_in

pytestmark = pytest.mark.backends("sqlite", "postgresql")


def build_small_consultation(client) -> Consultation:
    created = post(
        client,
        "/staff/consultations/new",
        {
            "title": "Bus strategy 2027",
            "slug": "bus-strategy-2027",
            "summary": "Tell us about buses.",
            "audience": "Everyone.",
            "privacy_notice": "Safe.",
            "minutes_to_complete": "10",
            "allow_open_link": "y",
            "allow_invitations": "y",
        },
    )
    assert created.status_code == 302, created.get_data(as_text=True)
    consultation = db.session.scalar(
        select(Consultation).where(Consultation.slug == "bus-strategy-2027")
    )
    base = f"/staff/consultations/{consultation.id}"
    for title in ("Services", "Fares"):
        assert post(client, f"{base}/sections/new", {"title": title}).status_code == 302
    db.session.refresh(consultation)
    services, fares = consultation.sections
    assert (
        post(
            client,
            f"/staff/sections/{services.id}/questions/new",
            {
                "kind": "agreement",
                "text": "Buses should be franchised",
                "required": "y",
                "with_why": "y",
            },
        ).status_code
        == 302
    )
    assert (
        post(
            client,
            f"/staff/sections/{services.id}/questions/new",
            {"kind": "multiple_choice", "text": "Which do you use?", "options": "Bus\nTram\nTrain"},
        ).status_code
        == 302
    )
    assert (
        post(
            client,
            f"/staff/sections/{fares.id}/questions/new",
            {"kind": "long_text", "text": "What would you change about fares?"},
        ).status_code
        == 302
    )
    db.session.refresh(consultation)
    return consultation


def test_builder_round_trip(app):
    client = signed_in(app, "editor")
    consultation = build_small_consultation(client)
    services, fares = consultation.sections
    assert [q.kind for q in services.questions] == ["agreement", "long_text", "multiple_choice"]
    assert services.questions[1].explains_id == services.questions[0].id
    assert [o.label for o in services.questions[2].options] == ["Bus", "Tram", "Train"]

    # Reorder: fares first, then the multiple-choice question up one place.
    base = f"/staff/consultations/{consultation.id}"
    post(client, f"/staff/sections/{fares.id}/move", {"direction": "up"}, page_url=base)
    post(
        client,
        f"/staff/questions/{services.questions[2].id}/move",
        {"direction": "up"},
        page_url=base,
    )
    db.session.expire_all()
    consultation = db.session.get(Consultation, consultation.id)
    assert [s.title for s in consultation.sections] == ["Fares", "Services"]
    # Past the agreement question and its "Why do you say that?" together.
    assert [q.kind for q in consultation.sections[1].questions] == [
        "multiple_choice",
        "agreement",
        "long_text",
    ]

    preview = client.get(f"{base}/preview/2")
    assert preview.status_code == 200
    assert "Buses should be franchised" in preview.get_data(as_text=True)
    assert soup(preview).find("input", {"type": "checkbox", "value": "bus_1"}) is not None

    opened = post(
        client,
        f"{base}/status",
        {"action": "open", "confirmed": "yes"},
        page_url=f"{base}/status/open",
    )
    assert opened.status_code == 302
    assert client.get("/c/bus-strategy-2027").status_code == 200

    exported = client.get(f"{base}/definition.json")
    definition = json.loads(exported.get_data(as_text=True))
    imported = post(
        client,
        "/staff/definitions/import",
        {
            "file": (io.BytesIO(json.dumps(definition).encode()), "definition.json"),
            "slug": "bus-strategy-copy",
        },
        content_type="multipart/form-data",
    )
    assert imported.status_code == 302
    copy = db.session.scalar(select(Consultation).where(Consultation.slug == "bus-strategy-copy"))
    again = export_definition(copy)
    # The same definition, but for its web address and its title, which says it is a copy
    # (the original is still there).
    assert again["title"] == definition["title"] + " (copy)"
    assert {**again, "slug": definition["slug"], "title": definition["title"]} == definition
    assert copy.status == "draft"


def test_import_rejects_bad_definitions(app):
    client = signed_in(app, "editor")
    for content, reason in (
        (b"not json", "not valid JSON"),
        (b'{"format": "other"}', "not a consultation definition"),
    ):
        page = post(
            client,
            "/staff/definitions/import",
            {"file": (io.BytesIO(content), "x.json")},
            content_type="multipart/form-data",
        )
        assert page.status_code == 400 and reason in page.get_data(as_text=True)
    assert db.session.scalar(select(Consultation)) is None


def test_questions_lock_after_first_response(app):
    client = signed_in(app, "editor")
    consultation = build_small_consultation(client)
    question = consultation.sections[0].questions[0]
    db.session.add(Response(consultation=consultation, reference="WM-LOCK"))
    db.session.commit()
    base = f"/staff/consultations/{consultation.id}"

    refused = post(
        client, f"/staff/questions/{question.id}/delete", page_url=base, follow_redirects=True
    )
    assert "cannot be removed" in refused.get_data(as_text=True)
    changed_kind = post(
        client,
        f"/staff/questions/{question.id}/edit",
        {"kind": "long_text", "text": question.text, "required": "y"},
    )
    assert "cannot change once responses" in changed_kind.get_data(as_text=True)

    reworded = post(
        client,
        f"/staff/questions/{question.id}/edit",
        {"kind": "agreement", "text": "Buses should be franchised soon", "required": "y"},
    )
    assert reworded.status_code == 302
    db.session.expire_all()
    revision = db.session.scalar(select(QuestionRevision))
    assert (revision.old_value, revision.new_value) == (
        "Buses should be franchised",
        "Buses should be franchised soon",
    )


def test_builder_validation_errors(app):
    client = signed_in(app, "editor")
    page = post(client, "/staff/consultations/new", {"title": "", "slug": "Not A Slug"})
    text = page.get_data(as_text=True)
    assert page.status_code == 200 and "Enter a title" in text and "lower-case letters" in text
    assert soup(page).title.get_text().startswith("Error: ")


def test_a_number_that_is_not_a_number_gets_one_message_in_our_words(app):
    """ "abc" as the days to keep responses listed WTForms' "Not a valid integer value." and
    then the range message: one field, two messages, the first not ours."""
    client = signed_in(app, "editor")
    page = post(
        client,
        "/staff/consultations/new",
        {"title": "Bus plan", "slug": "bus-plan", "retention_days": "abc"},
    )
    summary = soup(page).find(class_="govuk-error-summary")
    messages = [li.get_text(" ", strip=True) for li in summary.find_all("li")]
    assert messages == ["Enter a number of days between 1 and 3650"]
    assert "Not a valid integer" not in page.get_data(as_text=True)
    kept = post(
        client,
        "/staff/consultations/new",
        {"title": "Bus plan", "slug": "bus-plan-2", "retention_days": "1,000"},
    )
    assert kept.status_code == 302


def test_retention_hint_speaks_to_an_officer(app):
    """The retention field's hint led with a command name ("After this, flask purge deletes
    ..."); it now says what happens in words and who runs it, the command in brackets."""
    client = signed_in(app, "editor")
    page = soup(client.get("/staff/consultations/new"))
    hint = page.find(id="retention_days-hint").get_text(" ", strip=True)
    assert hint.startswith("Counted from when the consultation closes. After this many days,")
    assert "administrator" in hint and "Leave empty to keep them" in hint
    sender = page.find(id="email_sender_address-hint").get_text(" ", strip=True)
    # Setting and command names are for admins, who run the server; not for policy staff.
    assert "flask purge" not in hint and "MAIL_SENDER" not in sender
    assert sender.startswith("Leave empty to send from the service's usual address")
    admin = soup(signed_in(app, "admin", "admin@example.org").get("/staff/consultations/new"))
    assert "(the flask purge command)" in admin.find(id="retention_days-hint").get_text()
    assert "(the MAIL_SENDER setting)" in admin.find(id="email_sender_address-hint").get_text()


def test_the_web_address_name_is_made_from_the_title_when_left_empty(app):
    """Finding 26: the name is made from the title, told apart from one already used."""
    from consult.staff.building import SLUG_LENGTH, slug_from_title

    assert slug_from_title("Bus strategy 2027: have your say!") == "bus-strategy-2027-have-your-say"
    assert slug_from_title("Café & façades") == "cafe-facades"
    assert slug_from_title("  ") == "" and slug_from_title("!!!") == ""
    long = slug_from_title("word " * 40)
    assert len(long) <= SLUG_LENGTH - 4 and not long.endswith("-")
    assert slug_from_title("Buses", lambda slug: slug in {"buses", "buses-2"}) == "buses-3"
    client = signed_in(app, "editor")
    made = post(client, "/staff/consultations/new", {"title": "Tram fares", "slug": ""})
    assert made.status_code == 302, made.get_data(as_text=True)
    assert db.session.scalar(select(Consultation).where(Consultation.slug == "tram-fares"))
    again = post(client, "/staff/consultations/new", {"title": "Tram fares", "slug": "  "})
    assert again.status_code == 302
    assert db.session.scalar(select(Consultation).where(Consultation.slug == "tram-fares-2"))
    empty = post(client, "/staff/consultations/new", {"title": "", "slug": ""})
    words = empty.get_data(as_text=True)
    assert "Enter a title" in words and "Enter a web address name" not in words
