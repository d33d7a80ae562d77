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
from itertools import groupby
from typing import Any

from sqlalchemy import select

from .extensions import db
from .models import Answer, Consultation, Question, Response
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
    """Submitted responses, oldest first: one streamed join of responses and answers,
    fetched in batches so memory stays flat whatever the number of responses."""
    questions = consultation.questions
    query = (
        select(
            Response.id,
            Response.reference,
            Response.status,
            Response.submitted_at,
            Response.source,
            Response.organisation_name,
            Response.partner_type,
            Response.size_band,
            Response.area,
            Response.respondent_name,
            Response.respondent_email,
            Answer.question_id,
            Answer.value,
        )
        .outerjoin(Answer, Answer.response_id == Response.id)
        .where(Response.consultation_id == consultation.id, Response.status == "submitted")
        .order_by(Response.submitted_at, Response.id)
        .execution_options(yield_per=batch)
    )
    result = db.session.execute(query)
    for _, group in groupby(result, key=lambda row: row.id):
        records = list(group)
        first = records[0]
        answers = {r.question_id: r.value for r in records if r.question_id is not None}
        yield [
            first.reference,
            first.status,
            first.submitted_at.isoformat() if first.submitted_at else "",
            first.source,
            first.organisation_name or "",
            PARTNER_TYPE_LABELS.get(first.partner_type or "", first.partner_type or ""),
            SIZE_BAND_LABELS.get(first.size_band or "", ""),
            AREA_LABELS.get(first.area or "", first.area or ""),
            first.respondent_name or "",
            first.respondent_email or "",
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
