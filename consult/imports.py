"""Responses from another tool's CSV or XLSX export (Citizen Space, SmartSurvey, Microsoft
Forms and the like): staff map columns to questions, every row is checked, then all rows are
imported in one transaction or none are."""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path

from sqlalchemy import select

from analysis.errors import InputError
from analysis.io import Table, read_table

from .answers import encode_choices, short_question, split_cell
from .extensions import db
from .models import Answer, Consultation, Question, Response, text_limit, utcnow
from .reference import AGREEMENT_SCALE, AREA_LOOKUP, PARTNER_LOOKUP, choice_lookup
from .tokens import new_reference

SOURCE = "import"
ORGANISATION_FIELDS = {
    "external_id": "Response id in the other tool",
    "organisation_name": "Organisation name",
    "partner_type": "Partner type",
    "area": "Area",
}


CHECKED_SUFFIX = ".checked.json"


def _checked_copy(path: str) -> Path:
    return Path(path + CHECKED_SUFFIX)


def read_upload(path: str) -> Table:
    """Read the uploaded export; raises InputError with a plain reason.

    The file itself is read once, within analysis.limits (a spreadsheet can take seconds);
    what was read is kept beside it as JSON, which the mapping step reads back instead."""
    checked = _checked_copy(path)
    if checked.exists():
        try:
            saved = json.loads(checked.read_text(encoding="utf-8"))
            return Table(saved["columns"], saved["rows"], saved["encoding"], saved["sha256"])
        except (OSError, ValueError, KeyError, TypeError):
            checked.unlink(missing_ok=True)
    table = read_table(path)
    saved = {
        "columns": table.columns,
        "rows": table.rows,
        "encoding": table.encoding,
        "sha256": table.sha256,
    }
    checked.write_text(json.dumps(saved, ensure_ascii=False), encoding="utf-8")
    return table


def discard_upload(path: str | Path) -> None:
    """Delete an uploaded export and the copy of what was read from it."""
    Path(path).unlink(missing_ok=True)
    _checked_copy(str(path)).unlink(missing_ok=True)


@dataclass
class ImportPlan:
    """Checked rows ready to insert, or every problem found."""

    responses: list[Response] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)


def _choice_value(question: Question, raw: str) -> str | None:
    pairs = (
        AGREEMENT_SCALE
        if question.kind == "agreement"
        else [(o.value, o.label) for o in question.options]
    )
    return choice_lookup(pairs).get(raw.strip().lower())


def plan_import(consultation: Consultation, table: Table, mapping: dict[str, str]) -> ImportPlan:
    """Check every row against the questions; build responses only if all rows are valid.

    ``mapping`` maps a question's field name (``q12``) or an organisation field to a column.
    Multiple-choice cells hold options separated by ";" (labels or values).
    """
    plan = ImportPlan()
    for key, column in mapping.items():
        if column and column not in table.columns:
            plan.problems.append(f"There is no column named '{column}' (for {key}).")
    if not any(mapping.get(q.field_name) for q in consultation.questions):
        plan.problems.append("Choose a column for at least one question.")
    if plan.problems:
        return plan
    id_column = mapping.get("external_id")
    existing = set(
        db.session.scalars(
            select(Response.external_id).where(
                Response.consultation_id == consultation.id, Response.source == SOURCE
            )
        ).all()
    )
    seen: set[str] = set()
    now = utcnow()
    for number, row in enumerate(table.rows, start=2):
        problems: list[str] = []
        external = (row.get(id_column, "") or "").strip() if id_column else ""
        if id_column:
            if not external:
                problems.append("no response id")
            elif external in seen:
                problems.append(f"response id '{external}' appears twice in the file")
            elif external in existing:
                problems.append(f"response id '{external}' was imported before")
            seen.add(external)
        response = Response(
            consultation_id=consultation.id,
            reference=new_reference(),
            status="submitted",
            submitted_at=now,
            source=SOURCE,
            external_id=external or None,
            last_page="check",
        )
        for key in ("organisation_name", "partner_type", "area"):
            column = mapping.get(key)
            raw = (row.get(column, "") or "").strip() if column else ""
            if not raw:
                continue
            if key == "partner_type":
                value = PARTNER_LOOKUP.get(raw.lower())
                if value is None:
                    problems.append(f"unknown partner type '{raw}'")
                response.partner_type = value
            elif key == "area":
                value = AREA_LOOKUP.get(raw.lower())
                if value is None:
                    problems.append(f"unknown area '{raw}'")
                response.area = value
            else:
                response.organisation_name = raw[:200]
        for question in consultation.questions:
            column = mapping.get(question.field_name)
            quoted = short_question(question.text)
            raw = (row.get(column, "") or "").strip() if column else ""
            if not raw:
                continue
            if question.is_text:
                limit = text_limit(question)
                if limit and len(raw) > limit:
                    problems.append(f"the answer to '{quoted}' is longer than {limit:,} characters")
                value = raw
            elif question.kind == "multiple_choice":
                values = []
                for part in split_cell(raw):
                    chosen = _choice_value(question, part)
                    if chosen is None:
                        problems.append(f"'{part}' is not an option of '{quoted}'")
                    else:
                        values.append(chosen)
                value = encode_choices(values, question)
            else:
                value = _choice_value(question, raw)
                if value is None:
                    problems.append(f"'{raw}' is not an option of '{quoted}'")
            if value is not None:
                response.answers.append(Answer(question_id=question.id, value=value))
        if problems:
            plan.problems.append(f"Row {number}: " + "; ".join(problems) + ".")
        else:
            plan.responses.append(response)
    if not table.rows:
        plan.problems.append("The file has no rows.")
    if plan.problems:
        plan.responses = []
    return plan


def commit_import(plan: ImportPlan) -> int:
    """Insert every planned response in one transaction (nothing when any row failed)."""
    if plan.problems or not plan.responses:
        return 0
    db.session.add_all(plan.responses)
    db.session.commit()
    return len(plan.responses)


__all__ = [
    "InputError",
    "ImportPlan",
    "ORGANISATION_FIELDS",
    "commit_import",
    "discard_upload",
    "plan_import",
    "read_upload",
]
