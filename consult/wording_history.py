"""The wording a respondent was asked, from a question's wording history.

Once any response has started, every change to a question's wording (its text, hint or
wording for individuals) is kept as a :class:`consult.models.QuestionRevision` holding what
it said before (:func:`consult.staff.building.edit_question`). A question's wording at a
moment is then its wording now, with each change made after that moment undone: the
earliest such change of a field holds the field's value at that moment.

Staff pages read an answer under the question as its respondent was asked it when they
last wrote that answer (``Answer.updated_at``), not as it reads now (review16 #6: an
individual's answer given before a wording for individuals was added, or reworded, showed
under words they never read); the exports say which questions an individual's row was
asked in the wording for individuals.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select

from .models import Question, QuestionRevision, as_utc

# The fields whose earlier values decide the wording asked.
WORDING_FIELDS = ("text", "text_individuals")


@dataclass(frozen=True)
class Wording:
    """A question's wording now and the changes to it, as plain data (an export reads it
    after the request's session has gone): ``changes`` are (when, field, value before)
    for :data:`WORDING_FIELDS`, oldest first."""

    text: str
    text_individuals: str = ""
    changes: tuple[tuple[datetime, str, str], ...] = ()

    def field_at(self, field: str, moment: datetime | None) -> str:
        """``field``'s value at ``moment`` (its value now when ``moment`` is None or no
        change came after it)."""
        if moment is not None:
            moment = as_utc(moment)
            for changed_at, changed, before in self.changes:
                if changed == field and as_utc(changed_at) > moment:
                    return before
        return getattr(self, field)

    def asked(self, individual: bool, moment: datetime | None = None) -> str:
        """The question as a respondent read it at ``moment`` (now when None): its wording
        for individuals then to one answering as an individual, else its text then
        (:func:`consult.wording.asked` is the same rule for now)."""
        own = self.field_at("text_individuals", moment).strip() if individual else ""
        return own or self.field_at("text", moment)

    def for_individuals_at(self, moment: datetime | None = None) -> bool:
        """Whether the question had a wording for individuals at ``moment``."""
        return bool(self.field_at("text_individuals", moment).strip())


def wordings(questions: Iterable[Question]) -> dict[int, Wording]:
    """Each question's :class:`Wording`, by question id, in one query."""
    from .extensions import db

    questions = list(questions)
    changes: dict[int, list[tuple[datetime, str, str]]] = {q.id: [] for q in questions}
    if questions:
        rows = db.session.execute(
            select(
                QuestionRevision.question_id,
                QuestionRevision.changed_at,
                QuestionRevision.field,
                QuestionRevision.old_value,
            )
            .where(
                QuestionRevision.question_id.in_(list(changes)),
                QuestionRevision.field.in_(WORDING_FIELDS),
            )
            .order_by(QuestionRevision.changed_at, QuestionRevision.id)
        ).all()
        for question_id, changed_at, field, before in rows:
            changes[question_id].append((changed_at, field, before or ""))
    return {
        q.id: Wording(q.text, q.text_individuals or "", tuple(changes[q.id])) for q in questions
    }
