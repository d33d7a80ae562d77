"""Read a response back: rows for "check your answers", and what still needs answering."""

from __future__ import annotations

from collections import Counter
from collections.abc import Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING

from werkzeug.datastructures import MultiDict

from analysis.cells import shown_hidden

from .. import answers
from ..models import Consultation, Question, Response, Section, text_limit
from ..reference import AREA_LABELS, INDIVIDUAL, PARTNER_TYPE_LABELS, SIZE_BAND_LABELS
from ..retention import ANONYMOUS
from ..wording import asked, number_label
from . import about, journey
from .forms import organisation_form, quoted_question, section_form

if TYPE_CHECKING:
    from ..wording_history import Wording


@dataclass
class Row:
    """One line of a summary list."""

    key: str
    value: str
    field_id: str
    change_text: str = ""  # the "Change" link's hidden text when the key alone is not enough
    note: str = ""  # said under the key on a staff page (a question reworded since answered)


def display_value(question: Question, stored: str) -> str:
    """How a stored answer reads to a person (see ``consult.answers.display``)."""
    return answers.display(question, stored)


def section_rows(section: Section, response: Response) -> list[Row]:
    """The answers on one section page, each under its question as the respondent was asked
    it (``consult.wording.asked``: worded for individuals to one who answered as one)."""
    stored = journey.stored_question_values(response, section.questions)
    individual = about.is_individual(response.partner_type)
    return [
        Row(
            asked(question, individual),
            display_value(question, stored[question.field_name]),
            question.field_name,
        )
        for question in section.questions
    ]


# Under a question a respondent was asked in other words than it reads now (review16 #6).
STAFF_REWORDED = "Reworded since they answered. It now reads: ‘{now}’"


def staff_section_rows(
    section: Section, response: Response, history: dict[int, Wording] | None = None
) -> list[Row]:
    """The answers on one section page for staff: each under the question as its respondent
    was asked it when they last wrote that answer (the question's wording history,
    :mod:`consult.wording_history`, for one answering as an individual or not), with a note
    of how it reads now when it has been reworded since; an unanswered question as it reads
    now. ``history``: every question's wordings, read once for a page of sections
    (:func:`staff_sections`); else this section's are read."""
    from ..wording_history import wordings

    rows = section_rows(section, response)
    if history is None:
        history = wordings(section.questions)
    written = {answer.question_id: answer.updated_at for answer in response.answers}
    individual = about.is_individual(response.partner_type)
    for row in rows:  # staff read hidden characters where they stand (left27)
        row.value = shown_hidden(row.value)
    for question, row in zip(section.questions, rows, strict=True):
        moment = written.get(question.id)
        if moment is None:
            continue
        then = history[question.id].asked(individual, moment)
        if then != row.key:
            row.key, row.note = then, STAFF_REWORDED.format(now=row.key)
    return rows


def staff_sections(response: Response) -> list[tuple[Section, list[Row]]]:
    """Every section of the response's consultation with :func:`staff_section_rows`, the
    questions' wordings read once for the page (review fixr17b #7: once per section)."""
    from ..wording_history import wordings

    sections = list(response.consultation.sections)
    history = wordings(q for section in sections for q in section.questions)
    shown = [(section, staff_section_rows(section, response, history)) for section in sections]
    number_rows(shown)
    return shown


def number_rows(sections: list[tuple[Section, list[Row]]]) -> None:
    """Name each row's question by its number as reports and exports do (smoke34: the staff
    response page showed three bare "Why do you say that?" where they say Q2, Q6 and Q10):
    'Q4: Why do you say that? (about Q3)', a question explaining another naming it by its
    number (that question's row is on the same page, just above: its words are not
    repeated, as an export's column heading must, :func:`consult.exports.question_heading`).
    Only the staff response page's rows: a partner's pages (check answers, the
    confirmation) keep their questions' own words."""
    number: dict[int, int] = {}
    for section, _ in sections:
        for question in section.questions:
            number[question.id] = len(number) + 1
    for section, rows in sections:
        for question, row in zip(section.questions, rows, strict=True):
            row.key = f"{number_label(number[question.id])}: {row.key}"
            explained = question.explains
            if explained is not None and explained.id in number:
                row.key += f" (about {number_label(number[explained.id])})"


def distinguish_repeats(
    sections: list[tuple[Section, list[Row]]], individual: bool = False
) -> None:
    """Give every "Change" link on a page of ``sections`` (rows as ``section_rows`` made
    them, for an individual when ``individual``) its own hidden text: a question whose
    wording repeats ("Why do you say that?") says which statement it follows, or else which
    question comes before it."""
    counts = Counter(row.key for _, rows in sections for row in rows)
    for section, rows in sections:
        previous: Question | None = None
        for question, row in zip(section.questions, rows, strict=True):
            if counts[row.key] > 1:
                before = question.explains or previous
                row.change_text = (
                    f"{row.key} (about ‘{asked(before, individual)}’)"
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
    distinguish_repeats(sections, about.is_individual(response.partner_type))
    for section, rows in sections:
        for question, row in zip(section.questions, rows, strict=True):
            if question.required and row.value == answers.NOT_ANSWERED:
                # said before "Accept and send", not only after it (smoke12)
                row.value = REQUIRED_NOT_ANSWERED
    return sections


# A required question left empty, as "check your answers" shows it.
REQUIRED_NOT_ANSWERED = "Not answered (you need to answer this before you send)"


# Each "about your organisation" field: its label, and the words for its stored codes.
ORGANISATION_LABELS: dict[str, tuple[str, dict[str, str] | None]] = {
    "organisation_name": ("Organisation", None),
    "partner_type": ("Type of organisation", PARTNER_TYPE_LABELS),
    "size_band": ("Number of employees", SIZE_BAND_LABELS),
    "area": ("Based in", AREA_LABELS),
    "respondent_name": ("Your name", None),
    "respondent_email": ("Your email", None),
}


def organisation_display(name: str, stored: str) -> str:
    """How a stored "about your organisation" answer reads to a person: a code such as
    ``vcse`` in words, anything typed as it is."""
    labels = ORGANISATION_LABELS[name][1]
    return labels.get(stored, stored) if labels else stored


def organisation_typed_rows(values: Mapping[str, str]) -> list[tuple[str, str]]:
    """(label, answer as it reads) for each "about your organisation" answer ``values``
    holds (stored, or typed on the page), in the page's order; labelled for an individual
    when they answered as one (``about.answering_as``, ``about.row_label``), whose typed
    organisation name is not theirs and not shown."""
    partner_type = values.get("partner_type", "").strip()
    who = about.answering_as(
        values.get("answering_as"), partner_type, values.get("organisation_name")
    )
    if who == about.AS_INDIVIDUAL:
        values = {**values, "partner_type": INDIVIDUAL, "organisation_name": ""}
        partner_type = INDIVIDUAL
    rows = []
    for name, (label, _) in ORGANISATION_LABELS.items():
        value = values.get(name, "").strip()
        if value:
            label = about.row_label(name, label, partner_type)
            rows.append((label, organisation_display(name, value)))
    return rows


# An invited organisation's email starts as its invitation's address (``fields``): not "yours".
INVITED_EMAIL_ROW = "Contact email"

# On staff pages the respondent is not "you".
STAFF_LABELS = {"respondent_name": "Respondent's name", "respondent_email": "Respondent's email"}
# An individual's response stored before the name was theirs no more (or imported) may carry
# one: staff read it, not as the name of an organisation.
STAFF_INDIVIDUALS_NAME = "Organisation name given (answered as an individual)"


def organisation_rows(response: Response, staff: bool = False) -> list[Row]:
    """The "about your organisation" answers: size for businesses only, the organisation's
    name for an organisation only (an individual has none: not "Not answered", it was not
    asked of them), respondent's name and email when given. Labelled for who answered
    (``about.row_label``): for an individual, "Answering as" (linked to the page's first
    question, ``answering_as``); for staff (``staff``, a reader who is not the respondent),
    "Responding as", with the organisation whose invitation an individual answered."""
    individual = about.is_individual(response.partner_type)
    names = ["partner_type"] if individual else ["organisation_name", "partner_type"]
    if response.partner_type == "business":
        names.append("size_band")
    names.append("area")
    names += [name for name in ("respondent_name", "respondent_email") if getattr(response, name)]
    rows = []
    for name in names:
        label, labels = ORGANISATION_LABELS[name]
        if staff:
            label = STAFF_LABELS.get(name, label)
        elif name == "respondent_email" and response.invitation_id is not None:
            label = INVITED_EMAIL_ROW
        label = about.row_label(name, label, response.partner_type, staff=staff)
        value = getattr(response, name) or ""
        shown = labels.get(value, "Not answered") if labels else value or "Not answered"
        field_id = "answering_as" if individual and name == "partner_type" else name
        rows.append(Row(label, shown_hidden(shown) if staff else shown, field_id))
    if staff and individual:
        rows[1:1] = _individuals_organisation(response)
    return rows


def _individuals_organisation(response: Response) -> list[Row]:
    """For staff: the organisation whose invitation an individual answered, and a name an
    individual's response carries all the same (stored before, or imported)."""
    rows = []
    invitation = response.invitation
    if invitation is not None:
        rows.append(Row(about.INVITED_LABEL, invitation.organisation.name, "invitation"))
    given = (response.organisation_name or "").strip()
    if given and given != ANONYMOUS:
        rows.append(Row(STAFF_INDIVIDUALS_NAME, given, "organisation_name"))
    return rows


def saved_answer_rows(consultation: Consultation, response: Response) -> list[tuple[str, str]]:
    """(question, answer as it reads) for every answer a stored draft holds, in page order:
    what a partner can still read and copy after the consultation closed on their draft."""
    stored_org = journey.stored_organisation_values(response)
    rows = organisation_typed_rows(stored_org)
    individual = about.is_individual(response.partner_type)
    for section in consultation.sections:
        stored = journey.stored_question_values(response, section.questions)
        rows += [
            (asked(question, individual), display_value(question, stored[question.field_name]))
            for question in section.questions
            if stored[question.field_name].strip()
        ]
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
    # An invitation's draft answers for its organisation (one stored as an individual's
    # before fixc17 is asked for the organisation's details before it can be sent).
    invited = response.invitation_id is not None or response.invitation is not None
    org_form = organisation_form(
        stored_formdata(journey.stored_organisation_values(response), set()),
        csrf=False,
        invited=invited,
    )
    if not org_form.validate():
        found += [
            Problem(journey.ORGANISATION_PAGE, fid, msg) for fid, msg in org_form.field_errors()
        ]
    told_apart = {
        row.field_id: row
        for _, rows in check_sections(consultation, response)
        for row in rows
        if row.change_text
    }
    individual = about.is_individual(response.partner_type)
    for section in consultation.sections:
        formdata = section_formdata(section, response)
        form = section_form(section, formdata, csrf=False, individual=individual)
        if not form.validate():
            page = journey.section_page(section)
            found += [
                Problem(page, fid, _told_apart(msg, told_apart.get(fid)))
                for fid, msg in form.field_errors()
            ]
    return found


def too_long(consultation: Consultation, response: Response) -> list[Problem]:
    """The saved answers over their question's character limit, as "Accept and send" will word
    them: said on the "saved" page so a partner who comes back days later knows before sending
    (smoke12: a 5,001-character answer was saved with no word of the 5,000 limit)."""
    limits = {
        question.field_name: text_limit(question)
        for question in consultation.questions
        if question.is_text
    }
    stored = {}
    for section in consultation.sections:
        stored.update(journey.stored_question_values(response, section.questions))
    over = {name for name, limit in limits.items() if limit and len(stored.get(name, "")) > limit}
    if not over:
        return []
    return [problem for problem in problems(consultation, response) if problem.field_id in over]


def _told_apart(message: str, row: Row | None) -> str:
    """An error about a question whose wording repeats ("Why do you say that?"), saying which
    one as the check page's Change link does (``row``, told apart by
    :func:`distinguish_repeats`, its ``change_text`` the key and then which one): "Your answer
    to ‘Why do you say that?’ (about ‘The single funding settlement …’) must be …" (smoke12)."""
    if row is None or not row.change_text.startswith(row.key):
        return message
    quoted = quoted_question(row.key).strip()
    if not quoted or quoted not in message:
        return message
    return message.replace(quoted, quoted + row.change_text[len(row.key) :], 1)
