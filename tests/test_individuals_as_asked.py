"""leftovers: what staff pages and exports say about an individual's response.

- An individual's response stored before "As an individual" was a choice (or imported) may
  hold an organisation's name and size: the exports (CSV, XLSX, JSON) never put them in
  ``organisation`` or ``size_band``, the name going to ``organisation_given_as_individual``
  (the staff page's "Organisation name given (answered as an individual)"), and a new run's
  breakdowns (the report pages and the Word report) do not count the size as theirs.
- The CSV and XLSX say which questions an individual was asked in the wording for
  individuals (``worded_for_individuals``: "Q3, Q4"), the XLSX's "Questions" sheet gives the
  wordings, as the JSON's metadata does.
- Staff's response page shows each answer under the question as its respondent was asked it
  when they wrote it, from the question's wording history (review16 #6), saying how it reads
  now when it has been reworded since.
"""

from __future__ import annotations

import csv
import io

import pytest
from openpyxl import load_workbook

from consult import exports
from consult.extensions import db
from consult.models import utcnow
from consult.reports.runs import NOT_GIVEN, answers_for
from consult.staff.building import QuestionChange, edit_question
from consult.survey import journey, review
from tests.helpers import make_consultation, soup
from tests.staff_helpers import signed_in

pytestmark = pytest.mark.backends("sqlite", "postgresql")


def _words(node) -> str:
    return " ".join(node.get_text(" ").split())


def _stored(consultation, token: str, **details):
    """A submitted response with these details and every question answered."""
    response = journey.unsaved_open_draft(consultation, token)
    for name, value in details.items():
        setattr(response, name, value)
    response = journey.store_draft(response)
    values = {
        "Buses should be franchised": "agree",
        "Why do you say that?": "Reliable buses matter.",
        "Which modes do you use?": '["bus"]',
        "Top priority": "cost",
        "One idea": "More night buses",
    }
    questions = consultation.questions
    journey.write_question_values(
        response, questions, {q.field_name: values[q.text] for q in questions}
    )
    db.session.commit()
    return response


def _submit(*responses) -> None:
    for response in responses:
        db.session.refresh(response)
        response.status, response.submitted_at = "submitted", utcnow()
    db.session.commit()


def _csv(client, consultation) -> tuple[list[str], list[list[str]]]:
    text = client.get(f"/staff/consultations/{consultation.id}/export.csv")
    header, *rows = list(csv.reader(io.StringIO(text.get_data(as_text=True).lstrip("\ufeff"))))
    return header, rows


def test_an_individuals_stored_organisation_is_never_exported_as_theirs(app):
    consultation = make_consultation()
    individual = _stored(
        consultation,
        "token-individual",
        partner_type="individual",
        organisation_name="Me",
        size_band="small",
        area="sandwell",
    )
    business = _stored(
        consultation,
        "token-business",
        partner_type="business",
        organisation_name="Acme Ltd",
        size_band="small",
        area="sandwell",
    )
    _submit(individual, business)
    staff = signed_in(app, "admin")
    header, rows = _csv(staff, consultation)
    # The CSV's columns keep their order; the new ones come after invited_organisation.
    assert header[: len(exports.FIXED_COLUMNS)] == exports.FIXED_COLUMNS
    assert header[-3:] == exports.LAST_COLUMNS
    by_reference = {row[0]: dict(zip(header, row, strict=True)) for row in rows}
    mine, theirs = by_reference[individual.reference], by_reference[business.reference]
    assert (mine["partner_type"], mine["organisation"], mine["size_band"]) == ("Individual", "", "")
    assert mine["organisation_given_as_individual"] == "Me"
    assert (theirs["organisation"], theirs["organisation_given_as_individual"]) == ("Acme Ltd", "")
    assert theirs["size_band"] != ""
    records = staff.get(f"/staff/consultations/{consultation.id}/export.json").get_json()
    by_reference = {r["reference"]: r for r in records["responses"]}
    assert by_reference[individual.reference]["organisation"] == ""
    assert by_reference[individual.reference]["size_band"] == ""
    assert by_reference[individual.reference]["organisation_given_as_individual"] == "Me"
    book = load_workbook(
        io.BytesIO(staff.get(f"/staff/consultations/{consultation.id}/export.xlsx").data)
    )
    values = list(book["Responses"].iter_rows(values_only=True))
    named = [dict(zip(values[0], row, strict=True)) for row in values[1:]]
    mine = next(row for row in named if row["reference"] == individual.reference)
    assert not mine["organisation"] and not mine["size_band"]
    assert mine["organisation_given_as_individual"] == "Me"
    # Stored as it was: nothing deleted.
    db.session.refresh(individual)
    assert (individual.organisation_name, individual.size_band) == ("Me", "small")
    # The staff page names it for what it is, and gives no size.
    page = soup(staff.get(f"/staff/responses/{individual.id}"))
    rows = [_words(row) for row in page.find_all(class_="govuk-summary-list__row")]
    assert f"{review.STAFF_INDIVIDUALS_NAME} Me" in rows
    assert not any("employees" in row.lower() or "size" in row.lower() for row in rows[:5])
    # A run's breakdown by size (report pages, the Word report) counts no size for them.
    why = next(q for q in consultation.questions if q.explains is not None)
    answers = answers_for(why, ["size_band"])
    sizes = dict(zip(answers.references, answers.segments["size_band"], strict=True))
    assert sizes == {individual.reference: NOT_GIVEN, business.reference: "small"}


def test_csv_and_excel_say_which_questions_were_worded_for_individuals(app):
    consultation = make_consultation()
    questions = {q.text: q for q in consultation.questions}
    questions["Which modes do you use?"].text_individuals = "Which modes do you use yourself?"
    questions["Top priority"].text_individuals = "Your own top priority"
    db.session.commit()
    individual = _stored(consultation, "token-i", partner_type="individual", area="sandwell")
    organisation = _stored(
        consultation, "token-o", partner_type="vcse", organisation_name="Trust", area="sandwell"
    )
    _submit(individual, organisation)
    staff = signed_in(app, "admin")
    header, rows = _csv(staff, consultation)
    column = header.index(exports.WORDED_FOR_INDIVIDUALS)
    said = {row[0]: row[column] for row in rows}
    # Q3 "Which modes do you use?" and Q4 "Top priority" (the numbers of the headings).
    assert said == {individual.reference: "Q3, Q4", organisation.reference: ""}
    assert header[2 + len(exports.FIXED_COLUMNS)].startswith("Q3: Which modes do you use?")
    book = load_workbook(
        io.BytesIO(staff.get(f"/staff/consultations/{consultation.id}/export.xlsx").data)
    )
    assert book.sheetnames == ["Responses", exports.QUESTIONS_SHEET]
    sheet = list(book[exports.QUESTIONS_SHEET].iter_rows(values_only=True))
    assert sheet[0] == exports.QUESTIONS_SHEET_HEADERS
    wordings = {heading: (own or "") for heading, own in sheet[1:]}
    assert len(wordings) == len(consultation.questions)
    assert wordings["Q3: Which modes do you use?"] == "Which modes do you use yourself?"
    assert wordings["Q4: Top priority"] == "Your own top priority"
    assert wordings["Q1: Buses should be franchised"] == ""
    responses = list(book["Responses"].iter_rows(values_only=True))
    at = responses[0].index(exports.WORDED_FOR_INDIVIDUALS)
    assert sorted(row[at] or "" for row in responses[1:]) == ["", "Q3, Q4"]
    # The JSON's metadata gives the same wordings.
    records = staff.get(f"/staff/consultations/{consultation.id}/export.json").get_json()
    assert records["metadata"]["worded_for_individuals"] == {h: w for h, w in wordings.items() if w}
    # A wording for individuals added after they answered is not the one they were asked.
    edit_question(
        questions["One idea"],
        QuestionChange(kind="short_text", text="One idea", text_individuals="Your one idea"),
        "editor@example.org",
    )
    db.session.commit()
    header, rows = _csv(staff, consultation)
    said = {row[0]: row[header.index(exports.WORDED_FOR_INDIVIDUALS)] for row in rows}
    assert said[individual.reference] == "Q3, Q4"


def _keys_and_notes(page) -> list[str]:
    return [_words(k) for k in page.find_all(class_="govuk-summary-list__key")]


def test_staff_read_each_answer_under_the_wording_its_respondent_was_asked(app):
    """review16 #6: a question given a wording for individuals, or reworded, after people
    answered showed the new words over their answers on staff's response page."""
    consultation = make_consultation()
    questions = {q.text: q for q in consultation.questions}
    modes, idea = questions["Which modes do you use?"], questions["One idea"]
    modes.text_individuals = "Which modes do you use yourself?"
    db.session.commit()
    individual = _stored(consultation, "token-i", partner_type="individual", area="sandwell")
    organisation = _stored(
        consultation, "token-o", partner_type="vcse", organisation_name="Trust", area="sandwell"
    )
    _submit(individual, organisation)
    actor = "editor@example.org"
    edit_question(
        modes,
        QuestionChange(
            kind="multiple_choice",
            text="Which modes do you use most?",
            text_individuals="Which modes do you use most yourself?",
            options=["Bus", "Tram", "Rail"],
        ),
        actor,
    )
    edit_question(
        idea,
        QuestionChange(kind="short_text", text="One idea", text_individuals="Your one idea"),
        actor,
    )
    db.session.commit()
    staff = signed_in(app, "admin")
    keys = _keys_and_notes(soup(staff.get(f"/staff/responses/{individual.id}")))
    now = review.STAFF_REWORDED.format
    assert (
        "Q3: Which modes do you use yourself? " + now(now="Which modes do you use most yourself?")
    ) in keys  # numbered as reports and exports number it (smoke34b); the note's words bare
    assert "Q5: One idea " + now(now="Your one idea") in keys  # the wording added since
    assert "Q4: Top priority" in keys  # not reworded: as it reads, no note
    keys = _keys_and_notes(soup(staff.get(f"/staff/responses/{organisation.id}")))
    assert "Q3: Which modes do you use? " + now(now="Which modes do you use most?") in keys
    assert "Q5: One idea" in keys  # an organisation reads the question itself, unchanged
    # An answer written again after the change was asked in the new words.
    db.session.refresh(individual)
    answer = individual.answer_map()[idea.id]
    answer.value, answer.updated_at = "Trams at night", utcnow()
    db.session.commit()
    keys = _keys_and_notes(soup(staff.get(f"/staff/responses/{individual.id}")))
    assert "Q5: Your one idea" in keys
    # The partner's own pages are untouched by staff's notes.
    assert not any(row.note for row in review.section_rows(consultation.sections[0], individual))
    # The wordings are read once for the page, not once per section (review fixr17b #7).
    from sqlalchemy import event

    assert len(consultation.sections) > 1
    statements: list[str] = []

    def count(conn, cursor, statement, *args):
        statements.append(statement)

    event.listen(db.engine, "before_cursor_execute", count)
    try:
        assert staff.get(f"/staff/responses/{individual.id}").status_code == 200
    finally:
        event.remove(db.engine, "before_cursor_execute", count)
    assert sum("FROM question_revision" in s for s in statements) == 1
