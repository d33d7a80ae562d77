"""Responses out as CSV, XLSX or JSON: one row per response, one column per question,
streamed, and safe against spreadsheet formula injection (headers included).

Multiple-choice answers are one column holding the chosen options' labels joined by "; "
in the order the options are shown."""

from __future__ import annotations

import csv
import io
import json
import os
import tempfile
from collections.abc import Iterator
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import selectinload

from .extensions import db
from .models import Consultation, Question, Response
from .reference import AREA_LABELS, PARTNER_TYPE_LABELS, SIZE_BAND_LABELS
from .survey.review import display_value

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
FIXED_COLUMNS = [
    "reference",
    "status",
    "submitted_at",
    "source",
    "organisation",
    "partner_type",
    "size_band",
    "area",
    "respondent_name",
    "respondent_email",
]


def safe_cell(value: Any) -> Any:
    """Text a spreadsheet would run as a formula gets a leading apostrophe."""
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value


def question_header(index: int, question: Question) -> str:
    return f"Q{index}: {question.text}"


def headers(consultation: Consultation) -> list[str]:
    return FIXED_COLUMNS + [
        question_header(i, q) for i, q in enumerate(consultation.questions, start=1)
    ]


def _answer_text(question: Question, stored: str) -> str:
    if not stored:
        return ""
    text = display_value(question, stored)
    return text.replace("\n", "; ") if question.kind == "multiple_choice" else text


def rows(consultation: Consultation, batch: int = 1000) -> Iterator[list[Any]]:
    """Submitted responses, oldest first, read in batches so memory stays flat."""
    questions = consultation.questions
    query = (
        select(Response)
        .where(Response.consultation_id == consultation.id, Response.status == "submitted")
        .order_by(Response.submitted_at, Response.id)
        .options(selectinload(Response.answers))
        .execution_options(yield_per=batch)
    )
    for response in db.session.scalars(query):
        answers = {a.question_id: a.value for a in response.answers}
        yield [
            response.reference,
            response.status,
            response.submitted_at.isoformat() if response.submitted_at else "",
            response.source,
            response.organisation_name or "",
            PARTNER_TYPE_LABELS.get(response.partner_type or "", response.partner_type or ""),
            SIZE_BAND_LABELS.get(response.size_band or "", ""),
            AREA_LABELS.get(response.area or "", response.area or ""),
            response.respondent_name or "",
            response.respondent_email or "",
            *(_answer_text(q, answers.get(q.id, "")) for q in questions),
        ]


def stream_csv(consultation: Consultation) -> Iterator[str]:
    buffer = io.StringIO()
    writer = csv.writer(buffer)

    def flush(values: list[Any]) -> str:
        writer.writerow([safe_cell(v) for v in values])
        line = buffer.getvalue()
        buffer.seek(0)
        buffer.truncate()
        return line

    yield "\ufeff" + flush(headers(consultation))
    for row in rows(consultation):
        yield flush(row)


def stream_json(consultation: Consultation) -> Iterator[str]:
    names = headers(consultation)
    yield "[\n"
    first = True
    for row in rows(consultation):
        yield ("" if first else ",\n") + json.dumps(
            dict(zip(names, row, strict=True)), ensure_ascii=False
        )
        first = False
    yield "\n]\n"


def stream_xlsx(consultation: Consultation, chunk: int = 64 * 1024) -> Iterator[bytes]:
    """An XLSX written row by row (openpyxl write-only mode) to a temporary file, then
    streamed and removed."""
    from openpyxl import Workbook

    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet("Responses")
    sheet.append([safe_cell(h) for h in headers(consultation)])
    for row in rows(consultation):
        sheet.append([safe_cell(v) for v in row])
    handle, path = tempfile.mkstemp(suffix=".xlsx")
    os.close(handle)
    try:
        workbook.save(path)
        with open(path, "rb") as stream:
            while True:
                data = stream.read(chunk)
                if not data:
                    break
                yield data
    finally:
        os.unlink(path)
