"""Every consultation speaks for itself: start page counts and required/optional wording from
its real questions, its own "what happens next" and contacts, settings edited in the builder,
and times in UK time (GMT or BST), never UTC."""

from __future__ import annotations

import json
import re
import subprocess
import sys
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from sqlalchemy import event, text

from consult.definitions import export_definition, import_definition
from consult.extensions import db
from consult.models import (
    MINUTES_NOT_GIVEN,
    Consultation,
    Invitation,
    Question,
    Response,
    Section,
    as_utc,
    utcnow,
)
from consult.times import from_uk, uk_time
from consult.wording import size_summary
from tests.helpers import hidden_fields, make_consultation, make_invitation, soup
from tests.staff_helpers import post, signed_in
from tests.test_journey import BASE, answer_everything

pytestmark = pytest.mark.backends("sqlite", "postgresql")

TEMPLATES = Path(__file__).resolve().parent.parent / "templates"


def two_question_consultation(slug: str = "two-questions") -> Consultation:
    """The issue's example: one section, two questions, one of them required."""
    consultation = Consultation(
        slug=slug,
        title="Two questions",
        status="open",
        opens_at=utcnow() - timedelta(days=1),
        closes_at=utcnow() + timedelta(days=5),
        minutes_to_complete=1,
    )
    section = Section(position=1, title="Only", intro="")
    section.questions = [
        Question(position=1, kind="short_text", text="Name one thing", required=True),
        Question(position=2, kind="long_text", text="Anything else?", required=False),
    ]
    consultation.sections = [section]
    db.session.add(consultation)
    db.session.commit()
    return consultation


def _summary(required: list[bool], sections: int = 1) -> str:
    consultation = Consultation(slug="x", title="x")
    consultation.sections = [Section(position=n + 1, title="s") for n in range(sections)]
    consultation.sections[0].questions = [
        Question(position=n + 1, kind="short_text", text="q", required=r)
        for n, r in enumerate(required)
    ]
    return size_summary(consultation)


def test_size_summary_counts_and_plurals():
    assert _summary([True, False]) == (
        "It has 1 section and 2 questions. 1 is required and 1 is optional."
    )
    assert _summary([True]) == "It has 1 section and 1 question. The question is required."
    # "It is optional" read as the consultation being optional on the start page
    assert _summary([False]) == "It has 1 section and 1 question. The question is optional."
    assert _summary([False, False], sections=2) == (
        "It has 2 sections and 2 questions. Both are optional."
    )
    assert _summary([True] * 3) == "It has 1 section and 3 questions. All are required."
    assert _summary([True, True, False, False, False]) == (
        "It has 1 section and 5 questions. 2 are required and 3 are optional."
    )
    assert _summary([]) == "It has 1 section and no questions yet."


def test_start_page_describes_the_real_questions(app, client):
    two_question_consultation()
    page = client.get("/c/two-questions")
    html = soup(page)
    assert html.find(id="size-summary").get_text(strip=True) == (
        "It has 1 section and 2 questions. 1 is required and 1 is optional."
    )
    body = page.get_data(as_text=True)
    assert "Most are optional" not in body and "1 sections" not in body
    assert "It takes about 1 minute." in body
    assert "Who should answer" not in body  # no audience was given


def test_start_page_estimates_the_time_when_staff_gave_none(app, client):
    """A one-question consultation said "It takes about 15 minutes" (the old fixed default).
    Left empty, the minutes are estimated from the questions: 3 for a text answer, 1 for
    any other question, at least 2; what staff give is still said as given."""
    consultation = two_question_consultation()
    consultation.minutes_to_complete = MINUTES_NOT_GIVEN
    db.session.commit()
    assert "It takes about 6 minutes." in client.get("/c/two-questions").get_data(as_text=True)
    consultation.sections[0].questions.pop()
    db.session.commit()
    one = client.get("/c/two-questions").get_data(as_text=True)
    assert "It takes about 3 minutes." in one and "15 minutes" not in one
    consultation.sections[0].questions[0].kind = "agreement"
    db.session.commit()
    assert "It takes about 2 minutes." in client.get("/c/two-questions").get_data(as_text=True)
    # Exported as not given, and imported back so.
    definition = export_definition(consultation)
    assert definition["minutes_to_complete"] is None
    again = import_definition(json.dumps(definition), slug="two-questions-again")
    assert again.minutes_to_complete == MINUTES_NOT_GIVEN


def test_the_builder_leaves_minutes_empty_unless_staff_give_them(app):
    client = signed_in(app, "editor")
    blank = soup(client.get("/staff/consultations/new")).find(
        "input", {"name": "minutes_to_complete"}
    )
    assert not blank.get("value")  # no 15 filled in for staff to leave by accident
    consultation = make_consultation(status="draft")
    url = f"/staff/consultations/{consultation.id}/edit"
    data = {"title": consultation.title, "slug": consultation.slug, "minutes_to_complete": ""}
    assert post(client, url, data).status_code == 302
    db.session.expire_all()
    assert db.session.get(Consultation, consultation.id).minutes_to_complete == MINUTES_NOT_GIVEN
    field = soup(client.get(url)).find("input", {"name": "minutes_to_complete"})
    assert not field.get("value")  # shown empty again, not as 0
    assert post(client, url, {**data, "minutes_to_complete": "25"}).status_code == 302
    db.session.expire_all()
    assert db.session.get(Consultation, consultation.id).minutes_to_complete == 25


def test_no_demo_wording_is_hard_coded_in_survey_templates():
    for template in (TEMPLATES / "survey").glob("*.html"):
        words = template.read_text(encoding="utf-8").lower()
        for demo_word in (" deal", "trailblazer", "devolution", "west midlands"):
            assert demo_word not in words, f"{template.name} says '{demo_word.strip()}'"


def test_confirmation_uses_the_consultations_own_next_steps_and_contact(app, client):
    consultation = make_consultation()
    consultation.what_happens_next = "We will write to you in May.\n\nThen we decide."
    consultation.contact_email = "buses@wmca.example"
    db.session.commit()
    answer_everything(client, consultation)
    client.post(f"{BASE}/check", data=hidden_fields(client.get(f"{BASE}/check")))
    page = client.get(f"{BASE}/confirmation")
    html = soup(page)
    paragraphs = [p.get_text() for p in html.find(id="what-happens-next").find_all("p")]
    assert paragraphs == ["We will write to you in May.", "Then we decide."]
    assert html.find("a", href="mailto:buses@wmca.example") is not None
    body = page.get_data(as_text=True)
    assert "(UTC)" not in body and "the deal" not in body


def test_default_next_steps_name_no_other_consultation(app, client):
    consultation = make_consultation()
    consultation.closes_at = datetime(2031, 3, 1, 12, 0, tzinfo=UTC)
    db.session.commit()
    answer_everything(client, consultation)
    client.post(f"{BASE}/check", data=hidden_fields(client.get(f"{BASE}/check")))
    next_steps = soup(client.get(f"{BASE}/confirmation")).find(id="what-happens-next")
    assert next_steps.get_text(" ", strip=True) == (
        "The consultation team will read every response after the consultation closes on "
        "1 March 2031. We will publish a summary of what we heard."
    )


def test_default_next_steps_give_the_date_it_really_closed(app, client):
    """Review: after Close now (before the planned date) the confirmation page still said
    the team would read every response "after the consultation closes on" the planned
    date, weeks away. Once closed it gives the date it really closed, or no date where none
    is known; while open, the planned date."""
    from consult.staff.building import set_status
    from consult.wording import what_happens_next

    consultation = make_consultation()
    consultation.closes_at = datetime(2031, 3, 1, 12, 0, tzinfo=UTC)
    db.session.commit()
    answer_everything(client, consultation)
    client.post(f"{BASE}/check", data=hidden_fields(client.get(f"{BASE}/check")))
    set_status(consultation, "close", now=datetime(2030, 11, 20, 9, 0, tzinfo=UTC))
    db.session.commit()
    next_steps = soup(client.get(f"{BASE}/confirmation")).find(id="what-happens-next")
    assert next_steps.get_text(" ", strip=True) == (
        "The consultation team will read every response now that the consultation has closed "
        "(on 20 November 2030). We will publish a summary of what we heard."
    )
    consultation.closed_at = None  # closed by hand before closing times were stored
    assert what_happens_next(consultation) == [
        "The consultation team will read every response now that the consultation has "
        "closed. We will publish a summary of what we heard."
    ]
    consultation.status, consultation.closes_at = "open", None
    assert what_happens_next(consultation)[0].startswith(
        "The consultation team will read every response after the consultation closes. "
    )


def test_builder_edits_settings_and_takes_uk_times(app):
    # A draft: an open consultation's opening date may no longer move into the future.
    consultation = make_consultation(status="draft")
    client = signed_in(app, "editor")
    url = f"/staff/consultations/{consultation.id}/edit"
    form = soup(client.get(url))
    for name in (
        "team_name",
        "contact_email",
        "what_happens_next",
        "email_sender_name",
        "email_sender_address",
        "invitation_message",
        "email_signature",
    ):
        assert form.find(attrs={"name": name}) is not None, name
    assert "(UTC)" not in str(form) and "Closes (UK time)" in str(form)
    data = {
        "title": consultation.title,
        "slug": consultation.slug,
        "opens_at": "2030-01-10T09:00",  # GMT: 09:00 UTC
        "closes_at": "2030-07-12T17:00",  # BST: 16:00 UTC
        "minutes_to_complete": "20",
        "allow_open_link": "y",
        "allow_invitations": "y",
        "team_name": "The Buses team",
        "contact_email": "buses@wmca.example",
        "what_happens_next": "We report in the autumn.",
        "email_sender_name": "WMCA Buses",
        "email_sender_address": "buses@wmca.example",
        "invitation_message": "Please tell us about buses.",
        "email_signature": "The Buses team",
    }
    assert post(client, url, data).status_code == 302
    db.session.expire_all()
    saved = db.session.get(Consultation, consultation.id)
    assert as_utc(saved.opens_at) == datetime(2030, 1, 10, 9, 0, tzinfo=UTC)
    assert as_utc(saved.closes_at) == datetime(2030, 7, 12, 16, 0, tzinfo=UTC)
    assert (saved.team_name, saved.what_happens_next) == (
        "The Buses team",
        "We report in the autumn.",
    )
    again = soup(client.get(url))
    # Shown again as every page writes a time, which the field reads back unchanged.
    assert again.find("input", {"name": "closes_at"})["value"] == "12 July 2030 at 5pm"
    assert again.find("input", {"name": "opens_at"})["value"] == "10 January 2030 at 9am"
    overview = client.get(f"/staff/consultations/{consultation.id}").get_data(as_text=True)
    assert "12 July 2030 at 5pm" in overview  # as every page writes a time
    bad = post(client, url, {**data, "contact_email": "not an address"})
    assert "Enter an email address in the correct format" in bad.get_data(as_text=True)
    # The settings travel with the definition.
    copied = import_definition(json.dumps(export_definition(saved)), slug="copied-settings")
    assert copied.invitation_message == "Please tell us about buses."


def test_uk_time_is_gmt_in_winter_and_bst_in_summer():
    assert uk_time(datetime(2030, 1, 10, 17, 30, tzinfo=UTC)) == "10 January 2030 at 5:30pm"
    assert uk_time(datetime(2030, 7, 12, 16, 0, tzinfo=UTC)) == "12 July 2030 at 5pm"
    assert uk_time(datetime(2030, 7, 12, 11, 0)) == "12 July 2030 at midday"  # naive = UTC
    assert uk_time(datetime(2030, 3, 31, 0, 30, tzinfo=UTC), "short") == "31 Mar 2030 00:30"
    assert uk_time(datetime(2030, 3, 31, 1, 30, tzinfo=UTC), "short") == "31 Mar 2030 02:30"
    assert uk_time(datetime(2030, 10, 26, 23, 0, tzinfo=UTC), "datetime") == (
        "27 October 2030 at midnight"
    )
    assert uk_time(None, empty="never") == "never"
    assert from_uk(datetime(2030, 7, 12, 17, 0)) == datetime(2030, 7, 12, 16, 0, tzinfo=UTC)


def test_no_template_formats_times_itself_or_says_utc():
    for template in TEMPLATES.rglob("*.html"):
        source = template.read_text(encoding="utf-8")
        assert "strftime" not in source, template.name
        assert not re.search(r"\bUTC\b", source), template.name


def test_every_page_writes_times_one_way():
    """A new officer read "13 Nov 2026 17:25" on the consultation page and "4 December 2026
    at 5:34pm" on reports: every page writes a time the GOV.UK way and a day as "4 December
    2026" (the short styles are left only for machine-readable ``datetime`` attributes)."""
    pattern = re.compile(r"uk_time\(\s*['\"](short|short_date|seconds)['\"]")
    for template in TEMPLATES.rglob("*.html"):
        source = template.read_text(encoding="utf-8")
        for found in pattern.finditer(source):
            before = source[: found.start()]
            assert before.endswith('datetime="{{ e.at|'), (template.name, found.group(0))
    code = Path(__file__).resolve().parents[1] / "consult"
    for module in code.rglob("*.py"):
        if module.name != "times.py":
            assert not pattern.search(module.read_text(encoding="utf-8")), module.name


def test_staff_pages_show_times_the_gov_uk_way(app):
    consultation = make_consultation()
    client = signed_in(app, "admin")  # signing in records a time on the users and audit pages
    short = re.compile(r"\b\d{1,2} [A-Z][a-z]{2} \d{4}\b|\b\d{2}:\d{2}\b")
    closes = uk_time(consultation.closes_at)
    assert re.fullmatch(r"\d{1,2} [A-Z][a-z]+ \d{4} at .+", closes)
    pages = {
        f"/staff/consultations/{consultation.id}": closes,
        "/staff/": uk_time(consultation.closes_at, "date"),
        "/staff/users": " at ",
        "/staff/audit": " at ",
    }
    for url, said in pages.items():
        page = soup(client.get(url))
        text = page.find("main").get_text(" ", strip=True)
        assert said in text, url
        assert not short.search(text), (url, short.search(text).group(0))
    cell = soup(client.get("/staff/audit")).find("tbody").find("time")
    assert re.fullmatch(r"\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}", cell["datetime"])


def test_times_read_back_in_another_time_zone_are_not_shifted(app, backend):
    """PostgreSQL returns times in the session's time zone: opening a consultation whose
    closing time is 30 minutes away must not think it has passed, and a reminder must not
    shorten an invitation (both used ``.replace(tzinfo=...)``, which relabels the time)."""
    if backend != "postgresql":
        pytest.skip("SQLite has no session time zone")

    @event.listens_for(db.engine, "connect")
    def _new_york(connection, _):
        with connection.cursor() as cursor:
            cursor.execute("SET TIME ZONE 'America/New_York'")
        connection.commit()

    db.session.remove()
    db.engine.dispose()
    try:
        assert db.session.scalar(text("SHOW TIME ZONE")) == "America/New_York"
        consultation = make_consultation(status="draft", closes_in=timedelta(minutes=30))
        closes = as_utc(consultation.closes_at)
        invitation, _ = make_invitation(consultation, expires_in=timedelta(days=60))
        expires = as_utc(invitation.expires_at)
        client = signed_in(app, "editor")
        opened = post(
            client,
            f"/staff/consultations/{consultation.id}/status",
            {"action": "open"},
            page_url=f"/staff/consultations/{consultation.id}",
        )
        assert opened.status_code == 302
        db.session.expire_all()
        assert as_utc(db.session.get(Consultation, consultation.id).closes_at) == closes

        from consult.invitations import issue

        issue(db.session.get(Consultation, consultation.id), [invitation.organisation], True)
        db.session.expire_all()
        assert as_utc(db.session.get(Invitation, invitation.id).expires_at) == expires
    finally:
        event.remove(db.engine, "connect", _new_york)
        db.session.remove()
        db.engine.dispose()


def test_imports_do_not_reach_up_into_the_survey_pages():
    """consult/imports.py is used by staff pages; it must not import consult.survey."""
    code = (
        "import sys, consult.imports; "
        "print(any(m.startswith('consult.survey') for m in sys.modules))"
    )
    result = subprocess.run(
        [sys.executable, "-c", code],
        capture_output=True,
        text=True,
        cwd=Path(__file__).resolve().parent.parent,
        check=True,
    )
    assert result.stdout.strip() == "False"


def test_dashboard_counts_responses_on_the_uk_day_they_arrived(app):
    from consult.staff.figures import dashboard_data

    consultation = make_consultation()
    late = datetime(2030, 7, 1, 23, 30, tzinfo=UTC)  # 00:30 BST on 2 July
    db.session.add(
        Response(
            consultation=consultation,
            reference="LATE-1",
            status="submitted",
            submitted_at=late,
        )
    )
    db.session.commit()
    days = [label for label, _ in dashboard_data(consultation).over_time.rows]
    assert "2 Jul 2030" in days and "1 Jul 2030" not in days
