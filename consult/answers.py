"""What an answer is, apart from any page: the choices a question offers, how a choice answer
is stored (encode, decode) and how a stored answer reads to a person or in an export cell.

Used by the survey pages, the staff pages, exports, imports and the demo alike. Nothing here
reads a request or the database: a question may be the model or its plain ``QuestionShape``.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from dataclasses import dataclass

from .models import Question
from .reference import AGREEMENT_SCALE

NOT_ANSWERED = "Not answered"
# A multiple-choice answer in one cell (exports) and read back from one (imports).
CELL_SEPARATOR = "; "


@dataclass(frozen=True)
class QuestionShape:
    """A question as plain data: enough to read its answers once the database session that
    loaded it has gone (a streamed export runs after the request's session is closed)."""

    id: int
    field_name: str
    text: str
    kind: str
    # (value, label) pairs in the order they are shown; empty for text questions.
    choices: tuple[tuple[str, str], ...]

    @classmethod
    def of(cls, question: Question | QuestionShape) -> QuestionShape:
        """The plain shape of a question (itself when it is one already)."""
        if isinstance(question, QuestionShape):
            return question
        return cls(
            id=question.id,
            field_name=question.field_name,
            text=question.text,
            kind=question.kind,
            choices=tuple(choices(question)),
        )


def choices(question: Question | QuestionShape) -> list[tuple[str, str]]:
    """The (value, label) pairs a choice question offers, in the order they are shown."""
    if isinstance(question, QuestionShape):
        return list(question.choices)
    if question.kind == "agreement":
        return list(AGREEMENT_SCALE)
    return [(option.value, option.label) for option in question.options]


def decode_choices(stored: str | None) -> list[str]:
    """The values of a stored multiple-choice answer (nothing for an empty or broken one)."""
    try:
        values = json.loads(stored or "[]")
    except ValueError:
        return []
    return [str(value) for value in values] if isinstance(values, list) else []


def encode_choices(values: Iterable[str], question: Question | QuestionShape) -> str:
    """A multiple-choice answer as stored: JSON of the chosen values in the order the options
    are shown, each once; values the question does not offer are dropped; "" when none."""
    order = {value: index for index, (value, _) in enumerate(choices(question))}
    chosen = sorted({value for value in values if value in order}, key=order.__getitem__)
    return json.dumps(chosen) if chosen else ""


def split_cell(cell: str) -> list[str]:
    """The parts of a multiple-choice cell (labels or values separated by ";")."""
    return [part.strip() for part in cell.split(";") if part.strip()]


def chosen_labels(question: Question | QuestionShape, stored: str) -> list[str]:
    """A stored choice answer's labels: for multiple choice in the order the options are
    shown (a value no longer offered keeps its value, after the rest)."""
    pairs = choices(question)
    labels = dict(pairs)
    if question.kind == "multiple_choice":
        values = decode_choices(stored)
        known = [label for value, label in pairs if value in values]
        return known + [value for value in values if value not in labels]
    return [labels.get(stored, stored)] if stored else []


def display(question: Question | QuestionShape, stored: str | None) -> str:
    """How a stored answer reads on a page: "Not answered", the text, the chosen label, or
    the chosen labels one per line."""
    if not stored:
        return NOT_ANSWERED
    if question.kind in ("multiple_choice", "single_choice", "agreement"):
        return "\n".join(chosen_labels(question, stored)) or NOT_ANSWERED
    return stored


def cell_text(question: Question | QuestionShape, stored: str | None) -> str:
    """How a stored answer reads in an export cell: "" when not answered, the text, the
    chosen label, or the chosen labels joined by "; " in the order the options are shown."""
    if not stored:
        return ""
    if question.kind in ("multiple_choice", "single_choice", "agreement"):
        return CELL_SEPARATOR.join(chosen_labels(question, stored))
    return stored


def short_question(text: str, limit: int = 80) -> str:
    """A question as an error message quotes it: whole, or cut at a space before ``limit``
    characters with "…" after it. A word is never cut in the middle."""
    text = " ".join(text.split())
    if len(text) <= limit:
        return text
    head = text[: limit + 1]
    if " " not in head:
        return text
    return head.rsplit(" ", 1)[0].rstrip(" ,;:.?!-–") + "…"
