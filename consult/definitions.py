"""A consultation's definition as JSON: export, validate and import (round trip)."""

from __future__ import annotations

import json
from datetime import datetime
from typing import Any

from sqlalchemy import select

from .extensions import db
from .models import Consultation, Option, Question, Section
from .reference import QUESTION_KINDS

FORMAT = "consult.definition/1"
KINDS = {kind for kind, _ in QUESTION_KINDS}
# The wording and contact settings (optional in a file; empty means the defaults) and limits.
SETTINGS = {
    "team_name": 200,
    "contact_email": 320,
    "what_happens_next": 5000,
    "email_sender_name": 200,
    "email_sender_address": 320,
    "invitation_message": 5000,
    "email_signature": 2000,
}


class DefinitionError(ValueError):
    """A definition file that cannot be imported, with the reason."""


def _when(moment: datetime | None) -> str | None:
    return moment.isoformat() if moment else None


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
        "minutes_to_complete": consultation.minutes_to_complete,
        "opens_at": _when(consultation.opens_at),
        "closes_at": _when(consultation.closes_at),
        "allow_open_link": consultation.allow_open_link,
        "allow_invitations": consultation.allow_invitations,
        "retention_days": consultation.retention_days,
        **{name: getattr(consultation, name) for name in SETTINGS},
        "sections": sections,
    }


def _text(data: dict, key: str, limit: int, required: bool = False) -> str:
    value = data.get(key, "")
    if value is None:
        value = ""
    if not isinstance(value, str):
        raise DefinitionError(f"'{key}' must be text")
    if required and not value.strip():
        raise DefinitionError(f"'{key}' is missing")
    if len(value) > limit:
        raise DefinitionError(f"'{key}' is longer than {limit} characters")
    return value


def _date(data: dict, key: str) -> datetime | None:
    value = data.get(key)
    if not value:
        return None
    try:
        return datetime.fromisoformat(value)
    except (TypeError, ValueError):
        raise DefinitionError(f"'{key}' is not a date and time like 2027-01-31T17:00:00") from None


def import_definition(raw: bytes | str, slug: str | None = None) -> Consultation:
    """A new draft consultation from a definition; raises DefinitionError with the reason."""
    try:
        data = json.loads(raw)
    except (ValueError, UnicodeDecodeError):
        raise DefinitionError("the file is not valid JSON") from None
    if not isinstance(data, dict) or data.get("format") != FORMAT:
        raise DefinitionError(f"the file is not a consultation definition ({FORMAT})")
    slug = slug or _text(data, "slug", 80, required=True)
    if db.session.scalar(select(Consultation).where(Consultation.slug == slug)):
        raise DefinitionError(f"a consultation with the web address name '{slug}' already exists")
    consultation = Consultation(
        slug=slug,
        title=_text(data, "title", 200, required=True),
        summary=_text(data, "summary", 5000),
        audience=_text(data, "audience", 2000),
        privacy_notice=_text(data, "privacy_notice", 10000),
        status="draft",
        minutes_to_complete=int(data.get("minutes_to_complete") or 15),
        opens_at=_date(data, "opens_at"),
        closes_at=_date(data, "closes_at"),
        allow_open_link=bool(data.get("allow_open_link", True)),
        allow_invitations=bool(data.get("allow_invitations", True)),
        retention_days=data.get("retention_days"),
        **{name: _text(data, name, limit) for name, limit in SETTINGS.items()},
    )
    sections = data.get("sections")
    if not isinstance(sections, list):
        raise DefinitionError("'sections' must be a list")
    for s_index, section_data in enumerate(sections, start=1):
        if not isinstance(section_data, dict):
            raise DefinitionError(f"section {s_index} is not an object")
        section = Section(
            position=s_index,
            title=_text(section_data, "title", 200, True),
            intro=_text(section_data, "intro", 5000),
        )
        built: list[Question] = []
        for q_index, q_data in enumerate(section_data.get("questions") or [], start=1):
            if not isinstance(q_data, dict) or q_data.get("kind") not in KINDS:
                raise DefinitionError(f"section {s_index} question {q_index} has no valid kind")
            question = Question(
                position=q_index,
                kind=q_data["kind"],
                text=_text(q_data, "text", 2000, required=True),
                hint=_text(q_data, "hint", 2000),
                required=bool(q_data.get("required")),
                max_length=q_data.get("max_length"),
            )
            options = q_data.get("options") or []
            if q_data["kind"] in ("single_choice", "multiple_choice") and not options:
                raise DefinitionError(f"section {s_index} question {q_index} needs options")
            values = set()
            for o_index, option in enumerate(options, start=1):
                value = _text(option, "value", 80, True)
                if value in values:
                    raise DefinitionError(f"option '{value}' appears twice")
                values.add(value)
                question.options.append(
                    Option(position=o_index, value=value, label=_text(option, "label", 300, True))
                )
            explains = q_data.get("explains")
            if explains is not None:
                if not isinstance(explains, int) or not 0 <= explains < len(built):
                    raise DefinitionError(
                        f"section {s_index} question {q_index} explains an unknown question"
                    )
                question.explains = built[explains]
            built.append(question)
            section.questions.append(question)
        consultation.sections.append(section)
    db.session.add(consultation)
    return consultation
