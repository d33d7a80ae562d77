"""A consultation's definition as JSON: export, validate and import (round trip)."""

from __future__ import annotations

import json
import re
from datetime import datetime
from typing import Any

from sqlalchemy import select

from analysis.cells import storable_text

from . import retention_notice
from .edge import clean_text
from .extensions import db
from .models import MINUTES_NOT_GIVEN, Consultation, Option, Question, Section, as_utc
from .reference import QUESTION_KINDS
from .times import to_uk

FORMAT = "consult.definition/1"
KINDS = {kind for kind, _ in QUESTION_KINDS}
# The wording and contact settings (optional in a file; empty means the defaults) and limits.
SETTINGS = {
    "team_name": 200,
    "contact_email": 320,
    "what_happens_next": 5000,
    "what_happens_next_individuals": 5000,
    "email_sender_name": 200,
    "email_sender_address": 320,
    "invitation_message": 5000,
    "email_signature": 2000,
}


def _when(moment: datetime | None) -> str | None:
    """A stored time as the file says it: UK time, ISO 8601 with its offset from UTC
    ("2026-12-05T03:08:00+00:00"; "+01:00" in summer), as the response exports say theirs."""
    local = to_uk(moment)
    return local.isoformat() if local is not None else None


def export_definition(consultation: Consultation) -> dict[str, Any]:
    """Everything needed to recreate the consultation (not its responses)."""
    sections = []
    for section in consultation.sections:
        questions = []
        for question in section.questions:
            entry: dict[str, Any] = {
                "kind": question.kind,
                "text": question.text,
                "hint": question.hint,
                "text_individuals": question.text_individuals,
                "required": question.required,
                "max_length": question.max_length,
                "options": [{"value": o.value, "label": o.label} for o in question.options],
            }
            if question.explains_id is not None:
                entry["explains"] = next(
                    i for i, q in enumerate(section.questions) if q.id == question.explains_id
                )
            questions.append(entry)
        sections.append({"title": section.title, "intro": section.intro, "questions": questions})
    return {
        "format": FORMAT,
        "slug": consultation.slug,
        "title": consultation.title,
        "summary": consultation.summary,
        "audience": consultation.audience,
        "privacy_notice": consultation.privacy_notice,
        "minutes_to_complete": consultation.minutes_to_complete or None,
        "opens_at": _when(consultation.opens_at),
        "closes_at": _when(consultation.closes_at),
        "allow_open_link": consultation.allow_open_link,
        "allow_invitations": consultation.allow_invitations,
        "retention_days": consultation.retention_days,
        **{name: getattr(consultation, name) for name in SETTINGS},
        "sections": sections,
    }


# The same rules as the staff forms (consult/staff/forms.py), so an imported definition can
# hold nothing the builder could not have made.
SLUG = re.compile(r"[a-z0-9]+(?:-[a-z0-9]+)*")
SLUG_LIMIT = 80
MINUTES = (1, 600)
RETENTION_DAYS = (1, 3650)
MAX_LENGTH = (1, 100_000)
YEARS = (2000, 2100)
MAX_FILE_BYTES = 2 * 1024 * 1024
MAX_SECTIONS = 100
MAX_QUESTIONS = 200
MAX_OPTIONS = 200
SHOWN_PROBLEMS = 10
EMAILS = ("contact_email", "email_sender_address")


class DefinitionError(ValueError):
    """A definition file that cannot be imported, with the reason (every problem found)."""

    def __init__(self, message: str, problems: list[str] | None = None) -> None:
        super().__init__(message)
        self.problems = problems or [message]


class _Checker:
    """Collects every problem in a definition instead of stopping at the first."""

    def __init__(self) -> None:
        self.problems: list[str] = []

    def problem(self, message: str) -> None:
        self.problems.append(message)

    def text(self, data: dict, key: str, limit: int, where: str = "", required=False) -> str:
        """A text field; problems for anything but text, a missing required one, or text
        over the limit."""
        value = data.get(key, "")
        name = f"{where}'{key}'"
        if value is None:
            value = ""
        if not isinstance(value, str):
            self.problem(f"{name} must be text")
            return ""
        # As typed text loses them at the edge: no control characters (PostgreSQL cannot
        # store NUL), no lone surrogates (a "\ud800" escape no database can encode).
        value = storable_text(clean_text(value))
        if required and not value.strip():
            self.problem(f"{name} is missing")
        if len(value) > limit:
            self.problem(f"{name} is longer than {limit:,} characters")
            return value[:limit]
        return value

    def number(self, data: dict, key: str, bounds: tuple[int, int], where: str = ""):
        """A whole number within bounds, or None when absent; a problem for anything else
        (text, lists, true/false, fractions, numbers out of range)."""
        value = data.get(key)
        if value is None:
            return None
        low, high = bounds
        if isinstance(value, bool) or not isinstance(value, (int, float)):
            self.problem(f"{where}'{key}' must be a whole number from {low:,} to {high:,}")
            return None
        if isinstance(value, float) and not value.is_integer() or not low <= value <= high:
            self.problem(f"{where}'{key}' must be a whole number from {low:,} to {high:,}")
            return None
        return int(value)

    def flag(self, data: dict, key: str, default: bool, where: str = "") -> bool:
        value = data.get(key, default)
        if value is None:
            return default
        if not isinstance(value, bool):
            self.problem(f"{where}'{key}' must be true or false")
            return default
        return value

    def date(self, data: dict, key: str) -> datetime | None:
        value = data.get(key)
        if not value:
            return None
        try:
            if not isinstance(value, str):
                raise TypeError
            moment = datetime.fromisoformat(value)
        except (TypeError, ValueError):
            self.problem(f"'{key}' is not a date and time like 2027-01-31T17:00:00")
            return None
        if not YEARS[0] <= moment.year <= YEARS[1]:
            self.problem(f"'{key}' must be in the years {YEARS[0]} to {YEARS[1]}")
            return None
        # With an offset, the instant it names; without one (files written before times
        # carried their offset), UTC, as they were stored.
        return as_utc(moment)

    def email(self, data: dict, key: str) -> str:
        value = self.text(data, key, SETTINGS[key])
        if value.strip():
            from email_validator import EmailNotValidError, validate_email  # when used

            try:
                validate_email(value.strip(), check_deliverability=False)
            except EmailNotValidError:
                self.problem(f"'{key}' is not an email address")
        return value


def _summary(problems: list[str]) -> str:
    shown = problems[:SHOWN_PROBLEMS]
    more = len(problems) - len(shown)
    return "; ".join(shown) + (f"; and {more} more problems" if more > 0 else "")


def _question(check: _Checker, q_data: object, where: str, built: list[Question]):
    """One question from its definition, or None when it is not even an object."""
    if not isinstance(q_data, dict):
        check.problem(f"{where.strip()} is not an object")
        return None
    kind = q_data.get("kind")
    if not isinstance(kind, str) or kind not in KINDS:
        check.problem(f"{where}has no valid kind (one of {', '.join(sorted(KINDS))})")
        kind = "long_text"
    question = Question(
        kind=kind,
        text=check.text(q_data, "text", 2000, where, required=True),
        hint=check.text(q_data, "hint", 2000, where),
        text_individuals=check.text(q_data, "text_individuals", 2000, where),
        required=check.flag(q_data, "required", False, where),
        max_length=check.number(q_data, "max_length", MAX_LENGTH, where),
    )
    options = q_data.get("options") or []
    if not isinstance(options, list):
        check.problem(f"{where}'options' must be a list")
        options = []
    if kind in ("single_choice", "multiple_choice") and not options:
        check.problem(f"{where}needs options")
    if len(options) > MAX_OPTIONS:
        check.problem(f"{where}has more than {MAX_OPTIONS} options")
        options = options[:MAX_OPTIONS]
    values: set[str] = set()
    for o_index, option in enumerate(options, start=1):
        place = f"{where}option {o_index} "
        if not isinstance(option, dict):
            check.problem(f'{place}must be an object like {{"value": "bus", "label": "Bus"}}')
            continue
        value = check.text(option, "value", 80, place, required=True)
        if value and value in values:
            check.problem(f"{where}option '{value}' appears twice")
        values.add(value)
        label = check.text(option, "label", 300, place, required=True)
        question.options.append(Option(position=o_index, value=value, label=label))
    explains = q_data.get("explains")
    if explains is not None:
        if isinstance(explains, bool) or not isinstance(explains, int):
            check.problem(f"{where}'explains' must be the number of an earlier question")
        elif not 0 <= explains < len(built):
            check.problem(f"{where}explains an unknown question")
        else:
            question.explains = built[explains]
    return question


def _check_retention(check: _Checker, consultation: Consultation, data: dict) -> None:
    """The builder's rule: a privacy notice must not state another retention period than
    ``retention_days`` keeps (an invalid ``retention_days`` is reported on its own)."""
    if data.get("retention_days") is not None and consultation.retention_days is None:
        return
    problem = retention_notice.conflict(
        consultation.privacy_notice, consultation.retention_days, setting="'retention_days'"
    )
    if problem:
        check.problem(problem)


def validate_definition(data: object, slug: str | None = None) -> Consultation:
    """A new draft consultation (not yet added to the session) from parsed JSON; raises
    DefinitionError listing every problem: types, ranges, lengths and the slug's form."""
    if not isinstance(data, dict) or data.get("format") != FORMAT:
        raise DefinitionError(f"the file is not a consultation definition ({FORMAT})")
    check = _Checker()
    if slug is None:
        slug = check.text(data, "slug", SLUG_LIMIT, required=True)
    elif len(slug) > SLUG_LIMIT:
        check.problem(f"the web address name is longer than {SLUG_LIMIT} characters")
    if slug and len(slug) <= SLUG_LIMIT and not SLUG.fullmatch(slug):
        check.problem(
            "the web address name must be lower-case letters, numbers and hyphens, "
            "like bus-strategy-2027"
        )
    consultation = Consultation(
        slug=slug[:SLUG_LIMIT],
        title=check.text(data, "title", 200, required=True),
        summary=check.text(data, "summary", 5000),
        audience=check.text(data, "audience", 2000),
        privacy_notice=check.text(data, "privacy_notice", 10000),
        status="draft",
        minutes_to_complete=check.number(data, "minutes_to_complete", MINUTES) or MINUTES_NOT_GIVEN,
        opens_at=check.date(data, "opens_at"),
        closes_at=check.date(data, "closes_at"),
        allow_open_link=check.flag(data, "allow_open_link", True),
        allow_invitations=check.flag(data, "allow_invitations", True),
        retention_days=check.number(data, "retention_days", RETENTION_DAYS),
        **{
            name: (check.email(data, name) if name in EMAILS else check.text(data, name, limit))
            for name, limit in SETTINGS.items()
        },
    )
    _check_retention(check, consultation, data)
    sections = data.get("sections")
    if not isinstance(sections, list):
        check.problem("'sections' must be a list")
        sections = []
    if len(sections) > MAX_SECTIONS:
        check.problem(f"there are more than {MAX_SECTIONS} sections")
        sections = sections[:MAX_SECTIONS]
    for s_index, section_data in enumerate(sections, start=1):
        where = f"section {s_index} "
        if not isinstance(section_data, dict):
            check.problem(f"section {s_index} is not an object")
            continue
        section = Section(
            position=s_index,
            title=check.text(section_data, "title", 200, where, required=True),
            intro=check.text(section_data, "intro", 5000, where),
        )
        questions = section_data.get("questions") or []
        if not isinstance(questions, list):
            check.problem(f"{where}'questions' must be a list")
            questions = []
        if len(questions) > MAX_QUESTIONS:
            check.problem(f"{where}has more than {MAX_QUESTIONS} questions")
            questions = questions[:MAX_QUESTIONS]
        built: list[Question] = []
        for q_index, q_data in enumerate(questions, start=1):
            question = _question(check, q_data, f"{where}question {q_index} ", built)
            if question is None:
                continue
            question.position = q_index
            built.append(question)
            section.questions.append(question)
        consultation.sections.append(section)
    if check.problems:
        raise DefinitionError(_summary(check.problems), check.problems)
    return consultation


def import_definition(raw: bytes | str, slug: str | None = None) -> Consultation:
    """A new draft consultation from a definition; raises DefinitionError with the reasons."""
    if len(raw) > MAX_FILE_BYTES:
        raise DefinitionError(f"the file is larger than {MAX_FILE_BYTES // 1024 // 1024} MB")
    try:
        data = json.loads(raw)
    except RecursionError:
        raise DefinitionError("the file nests lists or objects too deeply") from None
    except (ValueError, UnicodeDecodeError):
        raise DefinitionError("the file is not valid JSON") from None
    consultation = validate_definition(data, slug)
    if db.session.scalar(select(Consultation).where(Consultation.slug == consultation.slug)):
        raise DefinitionError(
            f"a consultation with the web address name '{consultation.slug}' already exists"
        )
    consultation.title = unique_title(consultation.title)
    db.session.add(consultation)
    return consultation


TITLE_LENGTH = 200  # Consultation.title's column


def unique_title(title: str) -> str:
    """``title``, or when a consultation already has it "<title> (copy)", "(copy 2)" and so
    on: an imported copy is told apart from its original in every list."""
    taken = set(
        db.session.scalars(
            select(Consultation.title).where(
                # A long title's copies are cut short to fit: look for its first part.
                Consultation.title.startswith(title[: TITLE_LENGTH // 2], autoescape=True)
            )
        )
    )
    if title not in taken:
        return title
    number = 1
    while True:
        suffix = " (copy)" if number == 1 else f" (copy {number})"
        candidate = title[: TITLE_LENGTH - len(suffix)] + suffix
        if candidate not in taken:
            return candidate
        number += 1
