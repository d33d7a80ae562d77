"""Responses out as CSV, XLSX or JSON: one row per response, one column per question,
streamed, and safe against spreadsheet formula injection (headers included).

An export is planned while the request's database session is open (``plan``: the questions
and the filters as plain data) and written afterwards, as the server sends it, from its own
session (``stream``); so nothing touches an object of a session that has gone. Rows are read
in batches, so memory stays flat at any size.

``submitted_at`` is UK time (GMT or BST), to the second: in CSV and JSON ISO 8601 with its
offset from UTC ("2026-11-13T15:12:26+00:00"), in XLSX a real date-and-time cell under the
header ``submitted_at (UK time)`` (spreadsheets keep no time zone, so the header says it).
An imported response whose file gave a date and no time (``submitted_date_only``) has the
date alone: "2026-11-13" in CSV and JSON, a date cell ("yyyy-mm-dd") in XLSX; so importing
the export again keeps it a date, not UK midnight (``consult.imports``).

Multiple-choice answers are one column holding the chosen options' labels joined by "; "
in the order the options are shown (``consult.answers.cell_text``).

A question with a codebook gets five more columns after its own: the answer's themes, who
coded them (``human`` or ``model``), the model's confidence, the stance and where the stance
came from (people's codes where they exist, else the model's latest application; see
:mod:`consult.reports.coded`). They are looked up a batch of responses at a time."""

from __future__ import annotations

import csv
import io
import json
import os
import tempfile
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from datetime import date, datetime
from itertools import groupby
from typing import Any

from sqlalchemy import Engine, func, null, select
from sqlalchemy.orm import Session

from analysis.cells import HIDDEN, safe_cell, xlsx_cell

from . import audit
from .answers import QuestionShape, cell_text
from .filters import SUBMITTED, ResponseFilter
from .models import Answer, Consultation, Invitation, Organisation, Response
from .reference import AREA_LABELS, INDIVIDUAL, PARTNER_TYPE_LABELS, SIZE_BAND_LABELS
from .retention import ANONYMOUS
from .times import to_uk
from .wording import number_label
from .wording_history import Wording, wordings

FIXED_COLUMNS = [
    "reference",
    "status",
    "submitted_at",
    "source",
    # the other tool's response id of an imported response ("import (1001)" on its page),
    # so an analyst can join the data back to that tool (smoke10 finding 8); else empty
    "external_id",
    "organisation",
    "partner_type",
    "size_band",
    "area",
    "respondent_name",
    "respondent_email",
]
# After every question's (and coding) column, added last so that a file written before it
# reads as it did: the organisation an invitation went to, for a response that came by one
# (an individual's response stores no organisation name of its own, the staff page says
# "Invitation sent to: X"); empty for the open link and imports.
# Then (leftovers) the organisation name an individual's response carries all the same
# (stored before individuals chose "As an individual", or imported): not their organisation,
# so never in ``organisation`` (nor a size in ``size_band``), as the staff page says
# "Organisation name given (answered as an individual)"; and, for an individual, the
# questions they answered in the wording for individuals ("Q3, Q5", as worded when they
# answered: :mod:`consult.wording_history`), which the XLSX's "Questions" sheet and the
# JSON's metadata give in full.
GIVEN_AS_INDIVIDUAL = "organisation_given_as_individual"
WORDED_FOR_INDIVIDUALS = "worded_for_individuals"
LAST_COLUMNS = ["invited_organisation", GIVEN_AS_INDIVIDUAL, WORDED_FOR_INDIVIDUALS]
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
# XLSX headers that differ from the CSV and JSON ones: a spreadsheet date has no time zone.
XLSX_HEADERS = {"submitted_at": "submitted_at (UK time)"}
XLSX_DATE_FORMAT = "yyyy-mm-dd hh:mm:ss"
XLSX_DAY_FORMAT = "yyyy-mm-dd"  # a date with no time of day (an import that gave none)


def uk_moment(moment: datetime | None) -> datetime | None:
    """A stored (UTC) time as UK time, to the second, with its offset."""
    local = to_uk(moment)
    return local.replace(microsecond=0) if local is not None else None


def submitted_cell(moment: datetime | None, date_only: bool | None) -> datetime | date | None:
    """A response's ``submitted_at`` cell: UK time to the second, or the UK date alone for
    an import that gave no time of day (:attr:`consult.models.Response.submitted_date_only`)."""
    local = uk_moment(moment)
    return local.date() if local is not None and date_only else local


def text_value(value: Any) -> Any:
    """A cell for CSV or JSON: a time as ISO 8601 with its offset, a date alone as
    "2026-11-13", anything else as it is."""
    return value.isoformat() if isinstance(value, date) else value


CODING_COLUMNS = ("coded themes", "coding source", "coding confidence", "coded stance")
STANCE_SOURCE_COLUMN = "stance source"
# "not settled" where people coded the answer differently and nobody has settled it (the
# coding columns give the model's code then, or none with the source "not settled", as the
# run's report counts it: consult.reports.coded.source_cell)
DISAGREEMENT_COLUMN = "disagreement"


@dataclass(frozen=True)
class CodedQuestion:
    """A question with a codebook: its codebook and the codebook's theme names by key."""

    question_id: int
    codebook_id: int
    names: tuple[tuple[str, str], ...]
    # responses people coded differently and nobody has settled (read in the request:
    # :func:`consult.reports.coded.waiting_by_codebook`)
    unsettled: frozenset[int] = frozenset()


@dataclass(frozen=True)
class ExportPlan:
    """What to export, as plain data: which consultation, its questions in order, the
    filters that choose the responses and the questions coded against a codebook."""

    consultation_id: int
    slug: str
    questions: tuple[QuestionShape, ...]
    selection: ResponseFilter = SUBMITTED
    coded: tuple[CodedQuestion, ...] = ()
    # Each question's column heading, in order (see :func:`question_heading`); empty: made
    # from the questions' own words.
    headings: tuple[str, ...] = ()
    title: str = ""  # the consultation's title, for the JSON export's metadata
    # (column heading, wording) of each question worded for individuals apart: its answers,
    # everyone's, are in the one column; the JSON export's metadata says how they read it.
    for_individuals: tuple[tuple[str, str], ...] = ()
    # Each question's wording now and its changes, in order (empty: none read); an
    # individual's row says which questions they answered in the wording for individuals.
    wordings: tuple[Wording, ...] = ()


def question_heading(number: int, text: str, about: tuple[int, str] | None = None) -> str:
    """A question's column heading: 'Q4: Why do you say that? (about Q3: How far do you
    agree…)', naming the agreement question a "why" question explains, so three columns of
    "Why do you say that?" can be told apart (``about``: that question's number and words)."""
    heading = f"{number_label(number)}: {text}"
    return heading + (f" (about {number_label(about[0])}: {about[1]})" if about else "")


def question_headings(questions: list[Any]) -> list[str]:
    """Each of a consultation's questions' column headings, in order, as exports write them
    (the import's column matching reads them back: :func:`consult.imports.suggest_mapping`)."""
    number = {q.id: i for i, q in enumerate(questions, 1)}
    return [
        question_heading(
            number[q.id],
            q.text,
            (number[q.explains.id], q.explains.text)
            if q.explains is not None and q.explains.id in number
            else None,
        )
        for q in questions
    ]


def coding_headings(number: int) -> list[str]:
    """The coding columns exports write after coded question ``number``'s answer."""
    columns = (*CODING_COLUMNS, STANCE_SOURCE_COLUMN, DISAGREEMENT_COLUMN)
    return [f"{number_label(number)} {column}" for column in columns]


# Where a response came from, as exports and the response page name it: the stored source
# "web" is this service, reached by an invitation's link or by the open link.
INVITATION, OPEN_LINK = "invitation", "open link"


def source_words(source: str | None, invitation_id: int | None) -> str:
    """'invitation' or 'open link' for a response made on this service (stored as "web"),
    else the stored source as it is ('import')."""
    if (source or "web") != "web":
        return source or ""
    return INVITATION if invitation_id is not None else OPEN_LINK


def plan(consultation: Consultation, selection: ResponseFilter = SUBMITTED) -> ExportPlan:
    """Read what an export needs out of the database objects (call it inside the request)."""
    from .extensions import db
    from .reports.coded import theme_names, waiting_by_codebook
    from .reports.coding_models import Codebook

    books = list(
        db.session.scalars(select(Codebook).where(Codebook.consultation_id == consultation.id))
    )
    codebooks = [(book.question_id, book.id) for book in books]
    names = theme_names([codebook_id for _, codebook_id in codebooks])
    unsettled = waiting_by_codebook(books)
    questions = consultation.questions
    history = wordings(questions)
    return ExportPlan(
        consultation_id=consultation.id,
        slug=consultation.slug,
        questions=tuple(QuestionShape.of(q) for q in questions),
        selection=selection,
        headings=tuple(question_headings(questions)),
        title=consultation.title,
        for_individuals=tuple(
            (heading, question.text_individuals.strip())
            for heading, question in zip(question_headings(questions), questions, strict=True)
            if question.text_individuals.strip()
        ),
        wordings=tuple(history[question.id] for question in questions),
        coded=tuple(
            CodedQuestion(
                question_id,
                codebook_id,
                tuple(names.get(codebook_id, {}).items()),
                unsettled.get(codebook_id, frozenset()),
            )
            for question_id, codebook_id in codebooks
        ),
    )


def headers(export: ExportPlan) -> list[str]:
    """The fixed columns, then one column per question headed ``Q<n>: <question>`` (a "why"
    question's naming the question it explains: :func:`question_heading`), each coded
    question's followed by its coding columns (``Q<n> coded themes``...), then
    :data:`LAST_COLUMNS`."""
    coded = {c.question_id for c in export.coded}
    names = list(FIXED_COLUMNS)
    for number, question in enumerate(export.questions, 1):
        names.append(
            export.headings[number - 1]
            if len(export.headings) == len(export.questions)
            else question_heading(number, question.text)
        )
        if question.id in coded:
            names.extend(coding_headings(number))
    return names + LAST_COLUMNS


def rows(export: ExportPlan, session: Session, batch: int = 1000) -> Iterator[list[Any]]:
    """The chosen responses, oldest first, with their coding where a question has a
    codebook (looked up ``batch`` responses at a time)."""
    if not export.coded:
        for _, fixed, cells, last in _responses(export, session, batch):
            yield fixed + cells + last
        return
    pending: list[tuple[int, list[Any], list[Any], list[Any]]] = []
    for item in _responses(export, session, batch):
        pending.append(item)
        if len(pending) >= batch:
            yield from _with_coding(export, session, pending)
            pending = []
    yield from _with_coding(export, session, pending)


def _with_coding(
    export: ExportPlan,
    session: Session,
    pending: list[tuple[int, list[Any], list[Any], list[Any]]],
) -> Iterator[list[Any]]:
    """Rows of a batch of responses with each coded question's coding after its answer."""
    from .reports.coded import code_cells, response_codes

    if not pending:
        return
    by_question = {c.question_id: c for c in export.coded}
    codes = response_codes(
        [c.codebook_id for c in export.coded],
        [item[0] for item in pending],
        session,
        unsettled={c.codebook_id: c.unsettled for c in export.coded},
    )
    names = {c.codebook_id: dict(c.names) for c in export.coded}
    for response_id, fixed, cells, last in pending:
        row = list(fixed)
        for question, cell in zip(export.questions, cells, strict=True):
            row.append(cell)
            coded = by_question.get(question.id)
            if coded is not None:
                code = codes.get((coded.codebook_id, response_id))
                row.extend(code_cells(code, names[coded.codebook_id]))
        yield row + last


def _responses(
    export: ExportPlan, session: Session, batch: int
) -> Iterator[tuple[int, list[Any], list[Any], list[Any]]]:
    """(response id, fixed cells, one cell per question, :data:`LAST_COLUMNS` cells) for
    the chosen responses, oldest
    first: one streamed join of responses and answers, fetched in batches so memory stays
    flat whatever the number of responses."""
    query = (
        select(
            Response.id,
            Response.reference,
            Response.status,
            Response.submitted_at,
            Response.submitted_date_only,
            Response.source,
            Response.invitation_id,
            Response.external_id,
            Response.organisation_name,
            Response.partner_type,
            Response.size_band,
            Response.area,
            Response.respondent_name,
            Response.respondent_email,
            Answer.question_id,
            Answer.value,
            # When each answer was written, read only when some question has or had a
            # wording for individuals (converting every answer's time costs a stream of
            # 100,000 responses seconds).
            (Answer.updated_at if _worded(export) else null()).label("answered_at"),
            Organisation.name.label("invited_organisation"),
        )
        .outerjoin(Answer, Answer.response_id == Response.id)
        .outerjoin(Invitation, Invitation.id == Response.invitation_id)
        .outerjoin(Organisation, Organisation.id == Invitation.organisation_id)
        .where(Response.consultation_id == export.consultation_id)
        .where(*export.selection.conditions())
        .order_by(func.coalesce(Response.submitted_at, Response.updated_at), Response.id)
        .execution_options(yield_per=batch)
    )
    result = session.execute(query)
    try:
        for _, group in groupby(result, key=lambda row: row.id):
            records = list(group)
            first = records[0]
            answers = {r.question_id: r.value for r in records if r.question_id is not None}
            individual = first.partner_type == INDIVIDUAL
            given = (first.organisation_name or "").strip() if individual else ""
            cells = [cell_text(q, answers.get(q.id)) for q in export.questions]
            yield (
                first.id,
                [
                    first.reference,
                    first.status,
                    submitted_cell(first.submitted_at, first.submitted_date_only) or "",
                    source_words(first.source, first.invitation_id),
                    first.external_id or "",
                    "" if individual else first.organisation_name or "",
                    PARTNER_TYPE_LABELS.get(first.partner_type or "", first.partner_type or ""),
                    "" if individual else SIZE_BAND_LABELS.get(first.size_band or "", ""),
                    AREA_LABELS.get(first.area or "", first.area or ""),
                    first.respondent_name or "",
                    first.respondent_email or "",
                ],
                cells,
                [
                    first.invited_organisation or "",
                    "" if given == ANONYMOUS else given,
                    _worded_for_individuals(export, records, cells) if individual else "",
                ],
            )
    finally:
        result.close()


def _worded(export: ExportPlan) -> bool:
    """Whether any question has, or had, a wording for individuals."""
    return any(
        wording.text_individuals.strip()
        or any(field == "text_individuals" for _, field, _ in wording.changes)
        for wording in export.wordings
    )


def _worded_for_individuals(export: ExportPlan, records: list[Any], cells: list[Any]) -> str:
    """ "Q3, Q5": the questions an individual answered (``cells``, their answers in order)
    that had a wording for individuals when they last wrote the answer ('' when none, or
    the plan read no wordings)."""
    if len(export.wordings) != len(export.questions):
        return ""
    answered = {r.question_id: r.answered_at for r in records if r.question_id is not None}
    return ", ".join(
        number_label(number)
        for number, (question, wording, cell) in enumerate(
            zip(export.questions, export.wordings, cells, strict=True), 1
        )
        if cell not in ("", None)
        and question.id in answered
        and wording.for_individuals_at(answered[question.id])
    )


def write_csv(names: list[str], records: Iterable[list[Any]]) -> Iterator[str]:
    """CSV text, a line at a time, starting with a byte-order mark (so Excel reads UTF-8)."""
    buffer = io.StringIO()
    writer = csv.writer(buffer)

    def line(values: list[Any]) -> str:
        writer.writerow([safe_cell(text_value(v)) for v in values])
        text = buffer.getvalue()
        buffer.seek(0)
        buffer.truncate()
        return text

    yield "\ufeff" + line(names)
    for record in records:
        yield line(record)


JSON_FORMAT = "consult.responses/2"  # /1 was a bare array of the records


def write_json(
    names: list[str],
    records: Iterable[list[Any]],
    metadata: Callable[[], dict[str, Any]] | None = None,
) -> Iterator[str]:
    """The records as JSON objects keyed by the column headers, a record at a time: with
    ``metadata``, ``{"responses": [...], "metadata": {...}}`` (the metadata last, so its
    counts are of the records written); without, a bare array of them."""
    yield '{\n"responses": [\n' if metadata else "[\n"
    first = True
    for record in records:
        yield ("" if first else ",\n") + json_text(
            dict(zip(names, (text_value(v) for v in record), strict=True))
        )
        first = False
    if metadata is None:
        yield "\n]\n"
        return
    yield '\n],\n"metadata": ' + json_text(metadata(), indent=1) + "\n}\n"


def json_text(value: Any, indent: int | None = None) -> str:
    """``value`` as JSON, UTF-8 text as it is but for the hidden characters a reader of the
    file would not see (``analysis.cells.HIDDEN``: direction controls, zero width spaces),
    each written as its ``\\u`` escape: a program reading the file gets the text exactly as
    typed, and a person opening it sees where they are."""
    text = json.dumps(value, ensure_ascii=False, indent=indent)
    if text.isascii():  # every hidden character is non-ASCII
        return text
    return HIDDEN.sub(lambda m: f"\\u{ord(m.group()):04x}", text)


def json_metadata(export: ExportPlan, names: list[str], written: int) -> dict[str, Any]:
    """What a JSON export says about itself: its format version, the consultation, when it
    was exported (UK time, ISO 8601 with its offset from UTC, as ``submitted_at``), the
    filters that chose the responses and how many there are."""
    from .models import utcnow

    metadata: dict[str, Any] = {
        "format": JSON_FORMAT,
        "consultation": {"title": export.title, "slug": export.slug},
        "exported_at": uk_moment(utcnow()).isoformat(),
        "filters": export.selection.query_args(),
        "counts": {
            "responses": written,
            "questions": len(export.questions),
            "columns": len(names),
        },
    }
    if export.for_individuals:  # a response whose partner_type is "individual" read these
        metadata["worded_for_individuals"] = dict(export.for_individuals)
    return metadata


# The XLSX's second sheet: each question's column and how individuals read it (leftovers:
# the JSON's metadata said so, the CSV and XLSX did not).
QUESTIONS_SHEET = "Questions"
QUESTIONS_SHEET_HEADERS = ("column", "question for individuals")


def question_sheet(export: ExportPlan) -> list[tuple[str, str]]:
    """The "Questions" sheet's rows: each question's column heading and its wording for
    individuals now ('' when everyone reads the question itself)."""
    own = dict(export.for_individuals)
    headings = (
        export.headings
        if len(export.headings) == len(export.questions)
        else [question_heading(n, q.text) for n, q in enumerate(export.questions, 1)]
    )
    return [(heading, own.get(heading, "")) for heading in headings]


def write_xlsx(
    names: list[str],
    records: Iterable[list[Any]],
    chunk: int = 64 * 1024,
    questions: list[tuple[str, str]] | None = None,
) -> Iterator[bytes]:
    """An XLSX written row by row (openpyxl write-only mode) to a temporary file, then
    streamed and removed. Cells are formula-safe like the CSV's; times are date cells on
    the UK clock (see :data:`XLSX_HEADERS`); the heading row is frozen. With ``questions``
    (:func:`question_sheet`), a second sheet, "Questions", gives each question's wording for
    individuals."""
    from openpyxl import Workbook
    from openpyxl.cell import WriteOnlyCell

    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet("Responses")
    sheet.freeze_panes = "A2"  # the headings stay in view while scrolling down

    def cell(value: Any) -> Any:
        if not isinstance(value, date):
            return xlsx_cell(value)
        if not isinstance(value, datetime):  # a date alone (an import that gave no time)
            day = WriteOnlyCell(sheet, value=value)
            day.number_format = XLSX_DAY_FORMAT
            return day
        dated = WriteOnlyCell(sheet, value=value.replace(tzinfo=None))
        dated.number_format = XLSX_DATE_FORMAT
        return dated

    sheet.append([xlsx_cell(XLSX_HEADERS.get(name, name)) for name in names])
    for record in records:
        sheet.append([cell(v) for v in record])
    if questions is not None:
        about = workbook.create_sheet(QUESTIONS_SHEET)
        about.append([xlsx_cell(name) for name in QUESTIONS_SHEET_HEADERS])
        for row in questions:
            about.append([xlsx_cell(value) for value in row])
    handle, path = tempfile.mkstemp(suffix=".xlsx")
    os.close(handle)
    try:
        workbook.save(path)
        with open(path, "rb") as stream:
            while data := stream.read(chunk):
                yield data
    finally:
        os.unlink(path)


@dataclass(frozen=True)
class Format:
    """One export format: its writer and media type."""

    write: Callable[[list[str], Iterable[list[Any]]], Iterator[Any]]
    mimetype: str


FORMATS = {
    "csv": Format(write_csv, "text/csv; charset=utf-8"),
    "xlsx": Format(write_xlsx, XLSX),
    "json": Format(write_json, "application/json"),
}


def stream(
    export: ExportPlan, fmt: str, engine: Engine, who: audit.Actor | None = None
) -> Iterator[Any]:
    """The export in ``fmt``, read through a session of its own, so it can be sent after the
    request that asked for it has ended. Once the last chunk is out, the audit log records
    it for ``who`` (format, filters, number of responses); an export that fails or is
    abandoned part-way records nothing. Without ``who`` nothing is recorded (benchmarks)."""
    writer = FORMATS[fmt].write
    with Session(engine) as session:
        written = 0

        def counted() -> Iterator[list[Any]]:
            nonlocal written
            for record in rows(export, session):
                written += 1
                yield record

        names = headers(export)
        if fmt == "json":
            yield from write_json(names, counted(), lambda: json_metadata(export, names, written))
        elif fmt == "xlsx":
            yield from write_xlsx(names, counted(), questions=question_sheet(export))
        else:
            yield from writer(names, counted())
        if who is not None:
            session.add(
                audit.entry(
                    "responses_exported",
                    export.slug,
                    who,
                    format=fmt,
                    responses=written,
                    filters=export.selection.query_args(),
                )
            )
            session.commit()
