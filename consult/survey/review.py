"""Read a response back: rows for "check your answers", and what still needs answering."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass

from werkzeug.datastructures import MultiDict

from .. import answers
from ..models import Consultation, Question, Response, Section
from ..reference import AREA_LABELS, PARTNER_TYPE_LABELS, SIZE_BAND_LABELS
from . import journey
from .forms import organisation_form, section_form


@dataclass
class Row:
    """One line of a summary list."""

    key: str
    value: str
    field_id: str
    change_text: str = ""  # the "Change" link's hidden text when the key alone is not enough


def display_value(question: Question, stored: str) -> str:
    """How a stored answer reads to a person (see ``consult.answers.display``)."""
    return answers.display(question, stored)


def section_rows(section: Section, response: Response) -> list[Row]:
    """The answers on one section page."""
    stored = journey.stored_question_values(response, section.questions)
    return [
        Row(
            question.text, display_value(question, stored[question.field_name]), question.field_name
        )
        for question in section.questions
    ]


def distinguish_repeats(sections: list[tuple[Section, list[Row]]]) -> None:
    """Give every "Change" link on a page of ``sections`` (rows as ``section_rows`` made
    them) its own hidden text: a question whose wording repeats ("Why do you say that?")
    says which statement it follows, or else which question comes before it."""
    counts = Counter(row.key for _, rows in sections for row in rows)
    for section, rows in sections:
        previous: Question | None = None
        for question, row in zip(section.questions, rows, strict=True):
            if counts[row.key] > 1:
                before = question.explains or previous
                row.change_text = (
                    f"{row.key} (about ‘{before.text}’)"
                    if before is not None
                    else f"{row.key} ({section.title})"
                )
            previous = question
    said = Counter(row.change_text or row.key for _, rows in sections for row in rows)
    for section, rows in sections:  # the same wording twice in a row, or sections alike
        for position, row in enumerate(rows, start=1):
            if said[row.change_text or row.key] > 1:
                row.change_text = (
                    f"{row.change_text or row.key} ({section.title}, question {position})"
                )


def check_sections(
    consultation: Consultation, response: Response
) -> list[tuple[Section, list[Row]]]:
    """Each section with its rows for "check your answers", each change link told apart."""
    sections = [(s, section_rows(s, response)) for s in consultation.sections]
    distinguish_repeats(sections)
    return sections


def organisation_rows(response: Response) -> list[Row]:
    """The "about your organisation" answers."""
    rows = [
        Row("Organisation", response.organisation_name or "Not answered", "organisation_name"),
        Row(
            "Type of organisation",
            PARTNER_TYPE_LABELS.get(response.partner_type or "", "Not answered"),
            "partner_type",
        ),
    ]
    if response.partner_type == "business":
        rows.append(
            Row(
                "Number of employees",
                SIZE_BAND_LABELS.get(response.size_band or "", "Not answered"),
                "size_band",
            )
        )
    rows.append(Row("Based in", AREA_LABELS.get(response.area or "", "Not answered"), "area"))
    if response.respondent_name:
        rows.append(Row("Your name", response.respondent_name, "respondent_name"))
    if response.respondent_email:
        rows.append(Row("Your email", response.respondent_email, "respondent_email"))
    return rows


def stored_formdata(values: dict[str, str], multiple: set[str]) -> MultiDict:
    """Stored page values as form data, so the page's own form can check or redraw them."""
    data: MultiDict = MultiDict()
    for name, value in values.items():
        if name in multiple:
            for item in answers.decode_choices(value):
                data.add(name, item)
        elif value:
            data.add(name, value)
    return data


def section_formdata(section: Section, response: Response) -> MultiDict:
    """A section's stored answers as form data."""
    multiple = {q.field_name for q in section.questions if q.kind == "multiple_choice"}
    return stored_formdata(journey.stored_question_values(response, section.questions), multiple)


@dataclass
class Problem:
    """Something that must be fixed before the response can be submitted."""

    page: str
    field_id: str
    message: str


def problems(consultation: Consultation, response: Response) -> list[Problem]:
    """Every answer still missing or invalid, checked by each page's own form."""
    found: list[Problem] = []
    org_form = organisation_form(
        stored_formdata(journey.stored_organisation_values(response), set()), csrf=False
    )
    if not org_form.validate():
        found += [
            Problem(journey.ORGANISATION_PAGE, fid, msg) for fid, msg in org_form.field_errors()
        ]
    for section in consultation.sections:
        form = section_form(section, section_formdata(section, response), csrf=False)
        if not form.validate():
            page = journey.section_page(section)
            found += [Problem(page, fid, msg) for fid, msg in form.field_errors()]
    return found
