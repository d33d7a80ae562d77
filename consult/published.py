"""Published consultations kept in memory by each web process, read again when they change.

Every partner page needs the consultation with all its pages, questions and options: read
from the database that is about ten queries a request. Each app instead keeps one copy of
each consultation it has served, detached from any database session (so no request can
change or expire it), and checks one small column on every request: ``definition_key``.

The key is set to a new random value in the same transaction as any change to the
consultation, its sections, questions or options (a ``before_flush`` hook on every ORM
session), so a change made by any process (a staff page, an import, the CLI) is seen by
every web process on its next request. Changes are never bulk SQL (see consult/staff).
"""

from __future__ import annotations

import secrets
import threading
from itertools import chain

from flask import current_app
from sqlalchemy import bindparam, event, select
from sqlalchemy.orm import Session, selectinload

from .extensions import db, execute
from .models import Consultation, Option, Question, Section

EXTENSION = "consult.published"
MAX_KEPT = 64  # consultations kept per process; more are read again as needed
# Read on every partner page: built once, the slug a parameter.
READ_KEY = select(Consultation.id, Consultation.definition_key).where(
    Consultation.slug == bindparam("slug")
)


def new_key() -> str:
    """A fresh random definition key."""
    return secrets.token_hex(16)


def _owner(session: Session, item: object) -> Consultation | None:
    """The consultation a changed consultation, section, question or option belongs to."""
    steps = (
        (Option, "question", "question_id", Question),
        (Question, "section", "section_id", Section),
        (Section, "consultation", "consultation_id", Consultation),
    )
    for model, relation, column, parent_model in steps:
        if isinstance(item, model):
            parent = getattr(item, relation)
            if parent is None and getattr(item, column) is not None:
                parent = session.get(parent_model, getattr(item, column))
            item = parent
    return item if isinstance(item, Consultation) else None


@event.listens_for(Session, "before_flush")
def _renew_definition_keys(session: Session, _context, _instances) -> None:
    """Give every consultation whose definition is about to change a new key."""
    touched = {
        id(owner): owner
        for item in chain(session.new, session.dirty, session.deleted)
        if isinstance(item, Consultation | Section | Question | Option)
        and (owner := _owner(session, item)) is not None
    }
    for consultation in touched.values():
        if consultation not in session.deleted:
            consultation.definition_key = new_key()


def _load(consultation_id: int) -> Consultation | None:
    """The consultation with every page, question and option, detached from any session."""
    with Session(db.engine, expire_on_commit=False) as session:
        consultation = session.scalar(
            select(Consultation)
            .where(Consultation.id == consultation_id)
            .options(
                selectinload(Consultation.sections)
                .selectinload(Section.questions)
                .selectinload(Question.options)
            )
        )
        if consultation is None:
            return None
        # Read the links back up too, so nothing is left to load once detached.
        for section in consultation.sections:
            _ = section.consultation
            for question in section.questions:
                _ = question.section, question.explains
                for option in question.options:
                    _ = option.question
        session.expunge_all()
    return consultation


class Published:
    """One app's copies of the consultations it serves, keyed by slug."""

    def __init__(self) -> None:
        self._kept: dict[str, Consultation] = {}
        self._lock = threading.Lock()

    def get(self, slug: str) -> Consultation | None:
        """The consultation with this slug as it is now in the database (``None`` if none).

        The copy is read-only and shared by every request in this process: never change
        it, or add it or anything linked to it to a session.
        """
        row = execute(READ_KEY, {"slug": slug}).first()
        if row is None:
            return None
        kept = self._kept.get(slug)
        if kept is not None and kept.id == row.id and kept.definition_key == row.definition_key:
            return kept
        consultation = _load(row.id)
        if consultation is not None:
            with self._lock:
                if len(self._kept) >= MAX_KEPT:
                    self._kept.clear()
                self._kept[slug] = consultation
        return consultation


def published_consultation(slug: str) -> Consultation | None:
    """The current app's copy of the consultation with this slug (see :class:`Published`)."""
    published = current_app.extensions.get(EXTENSION)
    if published is None:
        published = current_app.extensions.setdefault(EXTENSION, Published())
    return published.get(slug)
