"""Responses from another tool's CSV or XLSX export (Citizen Space, SmartSurvey, Microsoft
Forms and the like): staff map columns to questions, every row is checked, then all rows are
imported in one transaction or none are."""

from __future__ import annotations

import hashlib
import json
import os
import re
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

from sqlalchemy import select

from analysis.errors import InputError
from analysis.io import (
    PLACE_UNITS,
    JsonWords,
    Place,
    Table,
    json_lines,
    json_records,
    load_json,
    other_file_kind,
    read_table,
    record_places,
    records_as_json_lines,
)

from .answers import encode_choices, short_question, split_cell
from .extensions import db
from .import_gaps import ImportGaps, find_gaps
from .import_problems import RowProblems, choices_hint
from .import_times import gives_time, submitted_time
from .models import Answer, Consultation, Question, Response, text_limit, utcnow
from .reference import (
    AGREEMENT_SCALE,
    AREA_LOOKUP,
    AREAS,
    PARTNER_LOOKUP,
    PARTNER_TYPES,
    SIZE_BANDS,
    SIZE_LOOKUP,
    choice_lookup,
)
from .tokens import new_reference
from .wording import number_label

SOURCE = "import"
ORGANISATION_FIELDS = {
    "external_id": "Response id in the other tool",
    "organisation_name": "Organisation name",
    "partner_type": "Partner type",
    "area": "Area",
    # kept when a file has them (this service's own export does), so a round trip loses
    # nothing; without them an imported response is submitted now, with none
    "submitted_at": "Submitted at (date and time, day first: 03/12/2026 is 3 December 2026; "
    "UK time unless it gives its offset)",
    "size_band": "Business size",
    "respondent_name": "Respondent name",
    "respondent_email": "Respondent email",
}


# What each organisation field's column may be headed, compared without case, spaces or
# underscores mattering: this service's own export's heading first (consult.exports), so a
# file it wrote is matched with no column chosen by hand.
# Then the headings other tools' exports use (SmartSurvey, Citizen Space, Microsoft Forms,
# Qualtrics): "Respondent ID", "Organisation type", "Location", "Completed" (smoke10 finding 7).
FIELD_HEADINGS = {
    "external_id": (
        "reference",
        "id",
        "response id",
        "responseid",
        "external id",
        "external reference",
        "response id in the other tool",
        "respondent id",
        "respondentid",
        "response number",
        "respondent number",
    ),
    "organisation_name": ("organisation", "organisation name", "organization"),
    "partner_type": (
        "partner type",
        "organisation type",
        "organization type",
        "type of organisation",
        "type of organization",
        "type",
        "sector",
    ),
    "area": ("area", "location", "local authority", "local authority area"),
    "submitted_at": (
        "submitted at",
        "submitted at (uk time)",
        "submitted",
        "completed",
        "completed at",
        "date submitted",
        "submitted on",
        "date completed",
        "completion time",
        "end date",
        "end time",
    ),
    "size_band": ("size band", "business size"),
    "respondent_name": ("respondent name",),
    "respondent_email": ("respondent email",),
}
# This service's export's other columns, which have nothing to be imported into (an
# imported response's status is "submitted" and its source "import").
# Its ``external_id`` (another tool's id of a response imported here) is not imported
# either: ``reference`` is the response id of a round trip; nor its ``invited_organisation``
# (an imported response came by no invitation), nor the columns after it (what an
# individual's response carries: :data:`consult.exports.LAST_COLUMNS`).
OWN_OTHER_COLUMNS = (
    "status",
    "source",
    "external id",
    "invited organisation",
    "organisation given as individual",
    "worded for individuals",
)
_CODING_COLUMN = re.compile(
    r"q\d+ (?:coded themes|coding source|coding confidence|coded stance|stance source"
    r"|disagreement)"
)


def _plain(heading: str) -> str:
    """A heading as compared: case, underscores and runs of spaces do not matter."""
    return " ".join(str(heading).replace("_", " ").split()).casefold()


@dataclass
class ColumnMatch:
    """The columns a file's headings match: what the mapping page starts with."""

    mapping: dict[str, str] = field(default_factory=dict)  # field name -> column
    coding: list[str] = field(default_factory=list)  # our export's coding columns
    other: list[str] = field(default_factory=list)  # our export's columns with no field


def match_columns(consultation: Consultation, columns: list[str]) -> ColumnMatch:
    """Match a file's columns to the organisation fields and questions by their headings:
    this service's own export's headings (``reference``, ``Q4: Why do you say that? (about
    Q3: …)``, see :func:`consult.exports.question_headings`), a question's number and words
    without the "about" note, its words alone where no other question has the same words,
    or a field's usual name. Each column is matched once at most. The coding columns our
    export adds after a coded question (``Q4 coded themes`` …) and its other columns
    (``status``, ``submitted_at`` …) are recognised, never matched to a question: an import
    brings in answers only."""
    from .exports import question_headings

    by_heading: dict[str, str] = {}
    for column in columns:
        by_heading.setdefault(_plain(column), column)
    found = ColumnMatch()
    used: set[str] = set()

    def take(key: str, headings: list[str]) -> None:
        for heading in headings:
            column = by_heading.get(_plain(heading))
            if column is not None and column not in used:
                found.mapping[key] = column
                used.add(column)
                return

    for key, headings in FIELD_HEADINGS.items():
        take(key, list(headings))
    questions = consultation.questions
    words = [_plain(q.text) for q in questions]
    for number, (question, heading) in enumerate(
        zip(questions, question_headings(questions), strict=True), 1
    ):
        alone = [question.text] if words.count(_plain(question.text)) == 1 else []
        take(question.field_name, [heading, f"{number_label(number)}: {question.text}", *alone])
    for column in columns:
        if column in used:
            continue
        if _CODING_COLUMN.fullmatch(_plain(column)):
            found.coding.append(column)
        elif _plain(column) in OWN_OTHER_COLUMNS:
            found.other.append(column)
    return found


# The exports the import reads, by file name; other files are refused before they are saved
# (a .json file only as this service's own JSON export: :func:`own_json_rows`).
UPLOAD_SUFFIXES = (".csv", ".xlsx", ".json", ".jsonl")
CHOOSE_A_FILE = "Choose a CSV, XLSX, JSON or JSON Lines (.jsonl) file."
FILE_KINDS = "a CSV, XLSX, JSON or JSON Lines (.jsonl) file"
# Enough of a file's start to tell a PDF or an image (:func:`analysis.io.other_file_kind`).
HEAD_BYTES = 16


def upload_problem(filename: str, head: bytes) -> str | None:
    """Why an upload named ``filename`` whose first bytes are ``head`` cannot be imported, or
    None when its name says it is an export the import reads (its content is checked when it
    is read). Nothing chosen is asked for; a PDF or an image is named in the words the
    organisations upload uses (the one file sniffing, in :mod:`analysis.io`); another file
    is named and refused."""
    if not filename and not head:
        return CHOOSE_A_FILE
    if Path(filename).suffix.lower() in UPLOAD_SUFFIXES:
        return None
    kind = other_file_kind(head)
    if kind:
        return f"The file cannot be read: {kind}."
    name = "".join(c for c in Path(filename).name if c.isprintable())[:60]
    shown = f"‘{name}’" if name else "The file"
    return f"{shown} is not {FILE_KINDS}. {CHOOSE_A_FILE}"


CHECKED_SUFFIX = ".checked.json"
# This service's JSON export (:func:`consult.exports.write_json`): ``{"responses": [...],
# "metadata": {"format": "consult.responses/2", ...}}``; /1 was the bare array of records.
OWN_JSON_FORMAT = "consult.responses/"
NOT_OWN_JSON = (
    "a JSON file is read only as this service's own responses export (an object with "
    "“responses” and “metadata”); save another tool's responses as CSV, XLSX or "
    "JSON Lines (.jsonl), one response as an object per line"
)


# How the own export's reader words a file that is not JSON (:func:`analysis.io.load_json`).
OWN_JSON_WORDS = JsonWords(
    deep="{subject} nests lists or objects too deep",
    twice="{subject} has the key ‘{key}’ twice",
    invalid="the file is not valid JSON",
)


def _own_metadata(document: dict) -> bool:
    """Whether a JSON object's ``metadata`` names this service's export format."""
    metadata = document.get("metadata")
    return isinstance(metadata, dict) and str(metadata.get("format", "")).startswith(
        OWN_JSON_FORMAT
    )


def own_json_rows(data: bytes) -> list[dict]:
    """The records of this service's own JSON export (the wrapper object its responses
    download writes, or the bare array of records the first version wrote), to be read as
    JSON Lines are; raises InputError with a plain reason for a file of another shape."""
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise InputError("the JSON file is not UTF-8 text") from None
    document = load_json(text, "the JSON file", OWN_JSON_WORDS)
    if isinstance(document, dict) and not _own_metadata(document):
        raise InputError(NOT_OWN_JSON)
    try:
        records = json_records(document)
    except InputError:
        raise InputError(NOT_OWN_JSON) from None
    if not records:
        raise InputError("the export has no responses")
    return records


def _read_own_json(path: str) -> Table:
    """This service's own JSON export, read as JSON Lines of the same records (so every
    limit and check of :func:`analysis.io.read_bytes` applies, and its columns are the CSV
    export's headings, matched by :func:`match_columns`)."""
    from analysis import limits
    from analysis.io import read_bytes

    source = Path(path)
    if source.stat().st_size > limits.MAX_FILE_BYTES:
        return read_table(path)  # refused for its size before it is read, in its words
    data = source.read_bytes()
    kind = other_file_kind(data)
    if kind:
        raise InputError(kind)
    if not data.strip():
        raise InputError("the file is empty")
    if json_lines(data.decode("utf-8-sig", "replace")):  # JSON Lines saved as .json
        return read_bytes(data, "export.jsonl")
    table = read_bytes(records_as_json_lines(own_json_rows(data)), "export.jsonl")
    table.sha256 = hashlib.sha256(data).hexdigest()
    # where each row is in the file sent, as analysis.io says of a JSON array's records
    table.places = record_places(len(table.rows))
    return table


def _checked_copy(path: str) -> Path:
    return Path(path + CHECKED_SUFFIX)


def _saved_places(saved: object, rows: int) -> list[Place]:
    """The places of a checked copy (``[words, unit, number]`` each, as :func:`read_upload`
    writes them); ValueError for a copy saved before the places held their row numbers (a
    string each, or none at all), which is then read again from the upload itself."""
    if not isinstance(saved, list) or len(saved) != rows:
        raise ValueError("the checked copy has no place for each row")
    places = []
    for item in saved:
        words, unit, number = item if isinstance(item, list) and len(item) == 3 else (0, 0, 0)
        # type(), not isinstance(): a JSON true is not a row number
        if not isinstance(words, str) or unit not in PLACE_UNITS or type(number) is not int:
            raise ValueError("the checked copy's places have no row numbers")
        places.append(Place(words, unit, number))
    return places


def read_upload(path: str) -> Table:
    """Read the uploaded export; raises InputError with a plain reason.

    The file itself is read once, within analysis.limits (a spreadsheet can take seconds);
    what was read is kept beside it as JSON, which the mapping step reads back instead. A
    copy that cannot be read back, or was saved in an earlier form (its places without row
    numbers), is replaced by reading the upload again."""
    checked = _checked_copy(path)
    if checked.exists():
        try:
            saved = json.loads(checked.read_text(encoding="utf-8"))
            return Table(
                saved["columns"],
                saved["rows"],
                saved["encoding"],
                saved["sha256"],
                places=_saved_places(saved.get("places"), len(saved["rows"])),
            )
        except (OSError, ValueError, KeyError, TypeError):
            checked.unlink(missing_ok=True)
    table = _read_own_json(path) if Path(path).suffix.lower() == ".json" else read_table(path)
    saved = {
        "columns": table.columns,
        "rows": table.rows,
        "encoding": table.encoding,
        "sha256": table.sha256,
        # where each row is (analysis.io Place: words, unit, number), for a problem
        "places": [list(place) for place in table.places],
    }
    checked.write_text(json.dumps(saved, ensure_ascii=False), encoding="utf-8")
    return table


def discard_upload(path: str | Path) -> None:
    """Delete an uploaded export and the copy of what was read from it."""
    Path(path).unlink(missing_ok=True)
    _checked_copy(str(path)).unlink(missing_ok=True)


CLAIM_WAIT_SECONDS = 20.0  # how long a second "Import" waits for the first to finish
CLAIM_STALE_SECONDS = 600.0  # a claim this old was left by a process that died


@contextmanager
def claim_upload(path: str | Path, wait: float = CLAIM_WAIT_SECONDS) -> Iterator[bool]:
    """Hold the right to import this upload, so that two "Import" requests at once (a double
    click, two tabs) cannot both read it and add its rows twice: yields True once this
    request holds it (the other request having finished: check the upload is still there),
    or False after ``wait`` seconds. A claim is a file beside the upload, created
    exclusively, so it holds across gunicorn's processes and threads."""
    claim = Path(str(path) + ".claim")
    deadline = time.monotonic() + wait
    while True:
        try:
            os.close(os.open(claim, os.O_CREAT | os.O_EXCL | os.O_WRONLY))
            break
        except FileExistsError:
            try:
                if time.time() - claim.stat().st_mtime > CLAIM_STALE_SECONDS:
                    claim.unlink(missing_ok=True)
                    continue
            except FileNotFoundError:
                continue
            if time.monotonic() >= deadline:
                yield False
                return
            time.sleep(0.1)
    try:
        yield True
    finally:
        claim.unlink(missing_ok=True)


@dataclass
class ImportPlan:
    """Checked rows ready to insert, or every problem found."""

    responses: list[Response] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)  # one line per distinct problem
    problem_rows: int = 0  # how many rows have a problem
    # one summary of a cause every row shares (RowProblems.whole_file_cause), else "": the
    # page's error summary gives it alone, with ``problems`` listed below it
    cause: str = ""
    # the blanks the rows are imported with (a required question unanswered, no partner
    # type): accepted, and told in the import's summary
    gaps: ImportGaps = field(default_factory=ImportGaps)


def _pairs(question: Question) -> list[tuple[str, str]]:
    """A choice question's (value, label) options."""
    if question.kind == "agreement":
        return AGREEMENT_SCALE
    return [(o.value, o.label) for o in question.options]


def _choice_value(question: Question, raw: str) -> str | None:
    return choice_lookup(_pairs(question)).get(raw.strip().lower())


# How to put right a problem many rows may share: said once, after its first line.
NO_ID_HINT = "Each response needs its id, or choose “Not imported” for the id column."
REPEATED_HINT = "An earlier row in the file has the same id: each response needs its own."
IMPORTED_HINT = "Those responses are already imported: leave them out of the file."
OWN_HINT = (
    "The file is this consultation's own export: its responses are here already, so leave "
    "them out of the file."
)
PARTNER_HINT = choices_hint("Partner types", [label for _, label in PARTNER_TYPES])
SIZE_HINT = choices_hint("Business sizes", [label for _, label in SIZE_BANDS])
WHEN_HINT = (
    "Give a date, day first, with or without a time, such as 05/12/2026 12:58, 05/12/2026, "
    "5 December 2026 12:58 or 2026-12-05 12:58 (UK time), or 2026-12-05T12:58:00+00:00, "
    "and not in the future."
)
EMAIL_HINT = "An email address has an @ with a name before it and a domain after it."
MAX_NAME = 200
MAX_EMAIL = 320


AREA_HINT = choices_hint("Areas", [label for _, label in AREAS])
# The organisation fields whose cell must be one of a list (a label or a value, any case):
# each one's lookup, its name in a problem, and the hint listing its choices.
CHOSEN_FIELDS = {
    "size_band": (SIZE_LOOKUP, "business size", SIZE_HINT),
    "partner_type": (PARTNER_LOOKUP, "partner type", PARTNER_HINT),
    "area": (AREA_LOOKUP, "area", AREA_HINT),
}


def short(value: str, limit: int = 60) -> str:
    """A cell quoted in a problem: on one line, at most ``limit`` characters."""
    value = " ".join("".join(c if c.isprintable() else " " for c in value).split())
    return value if len(value) <= limit else value[: limit - 1] + "…"


def options(question: Question) -> str:
    """The options of a choice question, for beside an answer that is not one of them."""
    labels = [label for _, label in _pairs(question)]
    return choices_hint(f"The options of '{short_question(question.text)}'", labels)


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
    # This consultation's own responses, by reference: its own export read back would
    # otherwise add each of them again.
    own = set(
        db.session.scalars(
            select(Response.reference).where(Response.consultation_id == consultation.id)
        ).all()
    )
    seen: set[str] = set()
    now = utcnow()
    found = RowProblems()
    for index, row in enumerate(table.rows):
        # the row as the file numbers it, blank rows counted (the command line's words)
        number, place = table.row(index), table.place(index)
        problems: list[tuple[str, str]] = []  # (what, how to put it right)
        external = (row.get(id_column, "") or "").strip() if id_column else ""
        if id_column:
            if not external:
                problems.append(("no response id", NO_ID_HINT))
            elif external in seen:
                problems.append((f"response id '{short(external)}' repeated", REPEATED_HINT))
            elif external in existing:
                problems.append(
                    (f"response id '{short(external)}' from an earlier import", IMPORTED_HINT)
                )
            elif external in own:
                problems.append(
                    (f"response '{short(external)}' already in this consultation", OWN_HINT)
                )
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
        for key in (
            "organisation_name",
            "partner_type",
            "area",
            "submitted_at",
            "size_band",
            "respondent_name",
            "respondent_email",
        ):
            column = mapping.get(key)
            raw = (row.get(column, "") or "").strip() if column else ""
            if not raw:
                continue
            if key == "submitted_at":
                moment = submitted_time(raw, now)
                if moment is None:
                    problems.append((f"'{short(raw)}' is not a submitted time", WHEN_HINT))
                else:
                    response.submitted_at = moment
                    response.submitted_date_only = None if gives_time(raw) else True
            elif key in CHOSEN_FIELDS:
                lookup, what, hint = CHOSEN_FIELDS[key]
                value = lookup.get(raw.lower())
                if value is None:
                    problems.append((f"unknown {what} '{short(raw)}'", hint))
                setattr(response, key, value)
            elif key == "respondent_name":
                response.respondent_name = raw[:MAX_NAME]
            elif key == "respondent_email":
                local, at, domain = raw.partition("@")
                if not (at and local and "." in domain) or len(raw) > MAX_EMAIL:
                    problems.append((f"'{short(raw)}' is not an email address", EMAIL_HINT))
                response.respondent_email = raw
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
                    problems.append(
                        (f"the answer to '{quoted}' is longer than {limit:,} characters", "")
                    )
                value = raw
            elif question.kind == "multiple_choice":
                values = []
                for part in split_cell(raw):
                    chosen = _choice_value(question, part)
                    if chosen is None:
                        problems.append(
                            (f"'{short(part)}' is not an option of '{quoted}'", options(question))
                        )
                    else:
                        values.append(chosen)
                value = encode_choices(values, question)
            else:
                value = _choice_value(question, raw)
                if value is None:
                    problems.append(
                        (f"'{short(raw)}' is not an option of '{quoted}'", options(question))
                    )
            if value is not None:
                response.answers.append(Answer(question_id=question.id, value=value))
        for text, hint in problems:
            found.add(number, text, hint, place, table.unit(index))
        if not problems:
            plan.responses.append(response)
    plan.problems.extend(found.lines())
    plan.problem_rows = found.rows
    if cause := found.whole_file_cause(len(table.rows), (OWN_HINT, IMPORTED_HINT)):
        plan.cause = f"All {len(table.rows):,} rows are refused for one reason. {cause}"
    if not table.rows:
        plan.problems.append("The file has no rows.")
    if plan.problems:
        plan.responses = []
    else:
        plan.gaps = find_gaps(consultation, table, mapping)
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
    "ColumnMatch",
    "ImportPlan",
    "ORGANISATION_FIELDS",
    "claim_upload",
    "commit_import",
    "discard_upload",
    "match_columns",
    "own_json_rows",
    "plan_import",
    "read_upload",
]
