"""The builder's rules, without a request: what cannot change once responses exist, keeping
positions 1, 2, 3… when pages and questions move or go, making options, the wording history
of a question, and opening and closing.

Builder views parse the form, call one of these functions, commit and render; every change is
recorded in the audit log here, in the same transaction.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime

from sqlalchemy import func, select

from .. import audit
from ..extensions import db
from ..models import (
    Consultation,
    Option,
    Question,
    QuestionRevision,
    Response,
    Section,
    as_utc,
    utcnow,
    without_optional_mark,
)
from ..times import uk_time

CHOICE_KINDS = ("single_choice", "multiple_choice")
STATUS_ACTIONS = ("open", "schedule", "close", "draft")


def has_responses(consultation: Consultation) -> bool:
    """True once any partner has started a response: questions are then locked."""
    return bool(
        db.session.scalar(
            select(func.count(Response.id)).where(Response.consultation_id == consultation.id)
        )
    )


# Opening and closing -------------------------------------------------------------------------


@dataclass
class StatusChange:
    """What one of "open", "schedule", "close" or "draft" would do, in words for the
    confirmation page (``refused_title`` heads the page when it is refused)."""

    action: str
    status: str
    question: str
    consequences: list[str]
    button: str
    warning: bool
    refusal: str | None = None
    refused_title: str = ""


DRAFT_REFUSAL = (
    "Responses have arrived, so it cannot go back to draft: partners would lose their way "
    "back to their answers. Close it instead."
)


OPEN_REFUSAL = (
    "It has no questions yet, so partners would have nothing to answer: add a section and "
    "its questions before opening it."
)

# A public body must tell people who holds their answers, why, on what lawful basis and for
# how long when it collects them (UK GDPR article 13): a warning clicked through would
# still collect answers without it, so opening or scheduling is refused until it is written.
NO_PRIVACY_NOTICE = (
    "It has no privacy notice, so partners would not be told who holds their answers, why, "
    "on what lawful basis or for how long, which the law requires when their answers are "
    "collected. Write its privacy notice in Edit details, then {verb} it."
)

SCHEDULE_NO_QUESTIONS = (
    "It has no questions yet, so partners would have nothing to answer: add a section and "
    "its questions before scheduling it."
)

SCHEDULE_NOT_DRAFT = "Only a draft can be scheduled to open later."


def no_questions_refusal(consultation: Consultation, verb: str) -> str:
    """Why a consultation without questions cannot open or be scheduled (``verb`` "opening"
    or "scheduling"): with no section, add one and its questions; once it has a section,
    add questions to it (smoke32: "add a section and its questions" beside the section just
    added)."""
    count = len(consultation.sections)
    if not count:
        return OPEN_REFUSAL if verb == "opening" else SCHEDULE_NO_QUESTIONS
    where = "its section" if count == 1 else "its sections"
    return (
        "It has no questions yet, so partners would have nothing to answer: add questions to "
        f"{where} before {verb} it."
    )


SCHEDULE_NO_DATE = (
    "Its opening date is not in the future: enter a later opening date in its details "
    "first, or open it now."
)

SCHEDULE_CLOSES_FIRST = (
    "Its closing date is not after its opening date: change the dates in its details first."
)

CLOSE_SCHEDULED_REFUSAL = (
    "It has not opened yet, so there is nothing to close: return it to draft to stop it opening."
)


def has_privacy_notice(consultation: Consultation) -> bool:
    """Whether the consultation's privacy notice has any words (blank lines are none)."""
    return bool((consultation.privacy_notice or "").strip())


def opens_later(consultation: Consultation, now: datetime | None = None) -> bool:
    """True when the consultation's opening date is still to come."""
    opens = as_utc(consultation.opens_at)
    return opens is not None and opens > (now or utcnow())


def can_schedule(consultation: Consultation, now: datetime | None = None) -> bool:
    """True for a draft whose opening date is in the future: the builder then offers
    "Schedule to open on …" beside "Open now"."""
    return consultation.status == "draft" and opens_later(consultation, now)


def status_refusal(
    consultation: Consultation, action: str, now: datetime | None = None
) -> str | None:
    """Why this status change is not allowed, or None: a consultation with responses never
    returns to draft, one without questions or without a privacy notice does not open or
    get scheduled, only a draft with a future opening date (and a later closing date) is
    scheduled, and a scheduled one that has not opened yet is returned to draft rather than
    closed."""
    now = now or utcnow()
    if action == "draft" and has_responses(consultation):
        return DRAFT_REFUSAL
    if action == "open" and not consultation.questions:
        return no_questions_refusal(consultation, "opening")
    if action == "open" and not has_privacy_notice(consultation):
        return NO_PRIVACY_NOTICE.format(verb="open")
    if action == "schedule":
        if consultation.status != "draft":
            return SCHEDULE_NOT_DRAFT
        if not consultation.questions:
            return no_questions_refusal(consultation, "scheduling")
        if not has_privacy_notice(consultation):
            return NO_PRIVACY_NOTICE.format(verb="schedule")
        if not opens_later(consultation, now):
            return SCHEDULE_NO_DATE
        closes = as_utc(consultation.closes_at)
        if closes is not None and closes <= as_utc(consultation.opens_at):
            return SCHEDULE_CLOSES_FIRST
    if action == "close" and consultation.stage(now) == "scheduled":
        return CLOSE_SCHEDULED_REFUSAL
    return None


def _ways_in(consultation: Consultation) -> str:
    if consultation.allow_open_link and consultation.allow_invitations:
        return ", through the open link and their invitations."
    if consultation.allow_open_link:
        return " through the open link."
    return " through their invitations."


def _drafts(consultation: Consultation) -> int:
    """How many of the consultation's responses are started (saved) but not sent."""
    return (
        db.session.scalar(
            select(func.count(Response.id)).where(
                Response.consultation_id == consultation.id, Response.status == "draft"
            )
        )
        or 0
    )


def _started_but_not_sent(count: int) -> str:
    if count == 1:
        return (
            "1 response has been started but not sent. It cannot be sent once the "
            "consultation closes: its writer is offered a copy of the answers to email to "
            "the team instead."
        )
    return (
        f"{count:,} responses have been started but not sent. They cannot be sent once the "
        "consultation closes: their writers are offered a copy of the answers to email to "
        "the team instead."
    )


def describe_status_change(
    consultation: Consultation, action: str, now: datetime | None = None
) -> StatusChange:
    """The confirmation wording for opening, scheduling, closing or returning a consultation
    to draft. Raises ValueError for any other action."""
    now = now or utcnow()
    title = consultation.title
    refusal = status_refusal(consultation, action, now)
    if action == "open":
        consequences = [
            "Partners will be able to see the consultation and send responses"
            + _ways_in(consultation)
        ]
        if opens_later(consultation, now):
            consequences.append("Its opening date will change to now.")
        if consultation.closes_at and as_utc(consultation.closes_at) <= now:
            consequences.append("Its closing date has passed, so it will be removed.")
        return StatusChange(
            action,
            "open",
            f"Are you sure you want to open {title}?",
            consequences,
            "Yes, open it now",
            warning=False,
            refusal=refusal,
            refused_title=f"{title} cannot open yet",
        )
    if action == "schedule":
        when = uk_time(consultation.opens_at)
        consequences = [
            f"Partners will not be able to respond until {when} (UK time). Until then it is "
            "listed under 'Opening soon', and its links say when it opens.",
            "It will open by itself at that time: you do not need to do anything else. "
            "Partners will then be able to respond" + _ways_in(consultation),
        ]
        if consultation.allow_invitations:
            consequences.append(
                "You can send invitations before then: they will say when it opens."
            )
        consequences.append(
            "Until it opens you can still change it, open it now, or return it to draft."
        )
        return StatusChange(
            action,
            "open",
            f"Are you sure you want to schedule {title} to open on {when}?"
            if when
            else f"Are you sure you want to schedule {title}?",
            consequences,
            "Yes, schedule it",
            warning=False,
            refusal=refusal,
            refused_title=f"{title} cannot be scheduled",
        )
    if action == "close":
        consequences = [
            "Partners will no longer be able to start, change or send responses.",
            "Responses already sent are kept. Unfinished drafts are kept but cannot be sent "
            "unless you open the consultation again.",
        ]
        if started := _drafts(consultation):
            # How many, not only that drafts "are kept" (smoke28: an officer closing early
            # could not tell that anyone was part-way through).
            consequences.insert(1, _started_but_not_sent(started))
        return StatusChange(
            action,
            "closed",
            f"Are you sure you want to close {title}?",
            consequences,
            "Yes, close it now",
            warning=True,
            refusal=refusal,
            refused_title=f"{title} cannot be closed",
        )
    if action == "draft":
        consequences = [
            "Partners will no longer be able to see it: invitation links will say it is not "
            "open, and its open link that no such consultation is found.",
            "You can change anything in it until the first response arrives.",
        ]
        if consultation.stage(now) == "scheduled":
            consequences.insert(
                0,
                f"It will not open on {uk_time(consultation.opens_at)}. Its opening date is "
                "kept, so you can schedule it again.",
            )
        return StatusChange(
            action,
            "draft",
            f"Are you sure you want to return {title} to draft?",
            consequences,
            "Yes, return it to draft",
            warning=True,
            refusal=refusal,
            refused_title=f"{title} cannot go back to draft",
        )
    raise ValueError(f"unknown status action {action!r}")


def set_status(consultation: Consultation, action: str, now: datetime | None = None) -> None:
    """Open now (moving a future opening date to now and dropping a past closing date),
    schedule to open on the opening date, close now, or return to draft. Raises ValueError
    for any other action, and for any change :func:`status_refusal` refuses.

    Scheduling stores an open consultation whose opening date is still to come: nothing
    has to run at that time, because availability is worked out from the time
    (:meth:`Consultation.availability`)."""
    if action not in STATUS_ACTIONS:
        raise ValueError(f"unknown status action {action!r}")
    now = now or utcnow()
    refusal = status_refusal(consultation, action, now)
    if refusal:
        raise ValueError(refusal)
    if action == "schedule":
        consultation.status = "open"
        audit.record(
            "consultation_status",
            consultation.slug,
            status="scheduled",
            opens=uk_time(consultation.opens_at),
        )
        return
    if action == "open":
        was_draft = consultation.status == "draft"
        consultation.status = "open"
        consultation.closed_at = None
        if opens_later(consultation, now):
            consultation.opens_at = now
        elif was_draft and (not consultation.opens_at or as_utc(consultation.opens_at) < now):
            # A draft with no opening date, or one that has passed (an imported definition's,
            # say), opens now: the pages and exports say when it really opened.
            consultation.opens_at = now
        if consultation.closes_at and as_utc(consultation.closes_at) <= now:
            consultation.closes_at = None
    elif action == "close":
        consultation.status = "closed"
        # The real closing time: retention counts from here, not from the planned date.
        consultation.closed_at = consultation.closed_on(now) or now
    else:
        consultation.status = "draft"
        consultation.closed_at = None
    audit.record("consultation_status", consultation.slug, status=consultation.status)


def status_message(consultation: Consultation, now: datetime | None = None) -> str:
    """What the builder says once a status change is made."""
    if consultation.stage(now) == "scheduled":
        return (
            f"The consultation is scheduled to open on {uk_time(consultation.opens_at)}. "
            "It will open by itself then."
        )
    return f"The consultation is now {consultation.status}."


def opening_date_problem(
    consultation: Consultation, opens_at: datetime | None, now: datetime | None = None
) -> str | None:
    """Why the details form cannot give the consultation this opening date, or None.

    A scheduled consultation keeps a future opening date (an empty or past one would open
    it at once, without the confirmation Open now asks for), and one that is open now
    cannot move its opening date into the future (partners would lose it until then
    without being asked: return it to draft and schedule it instead)."""
    now = now or utcnow()
    later = opens_at is not None and as_utc(opens_at) > now
    stage = consultation.stage(now)
    if stage == "scheduled" and not later:
        return (
            "Enter an opening date in the future: it is scheduled to open on "
            f"{uk_time(consultation.opens_at)}. To open it now, use Open now"
        )
    if stage == "open" and later:
        return (
            "The opening date cannot be in the future while it is open: partners would "
            "lose it until then. To open it later, return it to draft and schedule it"
        )
    return None


# Positions ------------------------------------------------------------------------------------


def _swap(items: list, index: int, step: int) -> bool:
    """Swap the positions of two neighbours (via a temporary position, for the unique key)."""
    other = index + step
    if not 0 <= index < len(items) or not 0 <= other < len(items):
        return False
    first, second = items[index], items[other]
    a, b = first.position, second.position
    first.position = -1
    db.session.flush()
    second.position = a
    db.session.flush()
    first.position = b
    return True


def _renumber(items: list) -> None:
    """Positions 1, 2, 3… in the current order, after one was removed. Items that move go
    through negative positions first, so no two ever share a position at a flush (positions
    are unique on a page, and the database checks each row as it is updated)."""
    ordered = sorted(items, key=lambda i: i.position)
    moving = [(n, item) for n, item in enumerate(ordered, start=1) if item.position != n]
    for n, item in moving:
        item.position = -n
    db.session.flush()
    for n, item in moving:
        item.position = n


ORDER_LOCKED = (
    "Nothing was moved. Responses have arrived, so pages and questions keep their order: "
    "reports, exports and downloads already made number the questions Q1, Q2… by it, and "
    "a follow-up such as ‘Why do you say that?’ must stay after the question it asks about."
)


def order_refusal(consultation: Consultation) -> str | None:
    """Why pages and questions cannot be moved (once any response exists), or None."""
    return ORDER_LOCKED if has_responses(consultation) else None


def move_section(section: Section, direction: str) -> bool:
    """Move a page one place "up" or down; False when it is already at that end. Callers
    check :func:`order_refusal` first."""
    sections = section.consultation.sections
    moved = _swap(sections, sections.index(section), -1 if direction == "up" else 1)
    if moved:
        audit.record("section_moved", section.consultation.slug, title=section.title)
    return moved


def question_blocks(questions: list[Question]) -> list[list[Question]]:
    """A page's questions (in order) in the blocks that move together: a question with the
    follow-ups straight after it that ask about it (an agreement statement and its "Why do
    you say that?"); every other question alone."""
    blocks: list[list[Question]] = []
    for question in questions:
        head = blocks[-1][0] if blocks else None
        if head is not None and question.explains_id is not None and _explains(question, head):
            blocks[-1].append(question)
        else:
            blocks.append([question])
    return blocks


def _explains(follow_up: Question, question: Question) -> bool:
    if follow_up.explains is not None:
        return follow_up.explains is question
    return question.id is not None and follow_up.explains_id == question.id


def follow_up_refusal(question: Question) -> str | None:
    """Why this question cannot be moved on its own (a follow-up straight after the
    question it asks about), or None."""
    for block in question_blocks(question.section.questions):
        if question in block[1:]:
            head = block[0]
            return (
                f"Nothing was moved. ‘{question.text}’ asks about ‘{head.text}’, so it stays "
                f"straight after it. Move ‘{head.text}’ instead: its follow-up moves with it."
            )
    return None


def question_moves(section: Section) -> dict[int, tuple[bool, bool, Question | None]]:
    """For each question of a page (by id): whether it can move up, whether it can move
    down, and the question it asks about when it is a follow-up that moves with it (then
    it has no buttons of its own)."""
    moves: dict[int, tuple[bool, bool, Question | None]] = {}
    blocks = question_blocks(section.questions)
    for index, block in enumerate(blocks):
        moves[block[0].id] = (index > 0, index < len(blocks) - 1, None)
        for follow_up in block[1:]:
            moves[follow_up.id] = (False, False, block[0])
    return moves


def move_question(question: Question, direction: str) -> bool:
    """Move a question one place "up" or down on its page, with its follow-ups (a "Why do
    you say that?" moves with its statement, and a question moved past a statement goes
    past its follow-up too); False when already at that end, or when ``question`` is a
    follow-up (:func:`follow_up_refusal` says why). Callers check :func:`order_refusal`
    first."""
    questions = question.section.questions
    blocks = question_blocks(questions)
    index = next((i for i, block in enumerate(blocks) if block[0] is question), None)
    other = None if index is None else index + (-1 if direction == "up" else 1)
    if index is None or other is None or not 0 <= other < len(blocks):
        return False
    blocks[index], blocks[other] = blocks[other], blocks[index]
    _reorder([q for block in blocks for q in block])
    audit.record(
        "question_moved",
        question.section.consultation.slug,
        text=question.text,
        direction=direction if direction == "up" else "down",
    )
    return True


def _reorder(items: list) -> None:
    """Positions 1, 2, 3… in the order given, going through negative positions first so no
    two items share a position at a flush (as :func:`_renumber`)."""
    moving = [(n, item) for n, item in enumerate(items, start=1) if item.position != n]
    for n, item in moving:
        item.position = -n
    db.session.flush()
    for n, item in moving:
        item.position = n


# Sections -------------------------------------------------------------------------------------


def add_section(consultation: Consultation, title: str, intro: str = "") -> Section:
    """A new page at the end of the consultation."""
    position = max((s.position for s in consultation.sections), default=0) + 1
    section = Section(position=position, title=title, intro=intro or "")
    consultation.sections.append(section)
    audit.record("section_added", consultation.slug, title=title)
    return section


def remove_section(section: Section) -> str | None:
    """Remove a page and renumber the rest; returns why not when responses exist."""
    consultation = section.consultation
    if has_responses(consultation):
        return "Sections cannot be removed once responses have arrived."
    audit.record("section_deleted", consultation.slug, title=section.title)
    consultation.sections.remove(section)  # deleted as an orphan
    db.session.flush()
    _renumber(consultation.sections)
    return None


# The web address name ------------------------------------------------------------------------

SLUG_LENGTH = 80  # as ConsultationForm.slug allows


def slug_from_title(title: str | None, taken: Callable[[str], bool] = lambda slug: False) -> str:
    """A web address name made from a title ("Bus strategy 2027: have your say" is
    "bus-strategy-2027-have-your-say"), cut at a word within :data:`SLUG_LENGTH`, with "-2",
    "-3" and so on added while ``taken(slug)`` says another consultation has it; '' when the
    title has no letters or numbers."""
    plain = unicodedata.normalize("NFKD", title or "").encode("ascii", "ignore").decode()
    words = re.findall(r"[a-z0-9]+", plain.lower())
    slug = ""
    for word in words:
        longer = f"{slug}-{word}" if slug else word
        if len(longer) > SLUG_LENGTH - 4:  # room for "-999"
            break
        slug = longer
    if not slug and words:
        slug = words[0][: SLUG_LENGTH - 4]
    if not slug:
        return ""
    found, number = slug, 1
    while taken(found):
        number += 1
        found = f"{slug}-{number}"
    return found


# Questions ------------------------------------------------------------------------------------


def options_from(text: str | None) -> list[str]:
    """Option labels from a text box: one per non-blank line."""
    return [line.strip() for line in (text or "").splitlines() if line.strip()]


def option_value(label: str, position: int) -> str:
    """The stored value of an option: its label in lower-case words, and its position."""
    slug = re.sub(r"[^a-z0-9]+", "_", label.lower()).strip("_")[:70] or "option"
    return f"{slug}_{position}"


def same_wording(text: str, for_individuals: str) -> bool:
    """Whether a question's wording for individuals says the same as its text (ignoring
    case, spacing and a typed "(optional)"): such wording changes nothing a partner reads,
    so it is not kept (collect29 #3)."""

    def plain(value: str) -> str:
        return " ".join(without_optional_mark(value or "").split()).casefold()

    return bool(plain(for_individuals)) and plain(for_individuals) == plain(text)


@dataclass
class QuestionChange:
    """A question as the builder's form describes it."""

    kind: str
    text: str
    hint: str = ""
    text_individuals: str = ""  # the question's wording for individuals; empty: ``text``
    required: bool = False
    max_length: int | None = None
    options: list[str] = field(default_factory=list)
    with_why: bool = False


def question_problems(question: Question | None, change: QuestionChange) -> dict[str, str]:
    """Why a new question (``question`` None) or an edit cannot be saved, by form field."""
    problems: dict[str, str] = {}
    if not change.text.strip():  # it said only "(optional)" (see ``without_optional_mark``)
        problems["text"] = "Enter the question, not only ‘(optional)’"
    if change.kind in CHOICE_KINDS and len(change.options) < 2:
        problems["options"] = "Enter at least two options, one per line"
    elif change.kind in CHOICE_KINDS:
        seen: set[str] = set()
        for label in change.options:
            key = " ".join(label.casefold().split())
            if key in seen:
                problems["options"] = (
                    f"Enter each option once: ‘{label.strip()}’ is listed more than once"
                )
                break
            seen.add(key)
    if question is not None and has_responses(question.section.consultation):
        if change.kind != question.kind:
            problems["kind"] = "The kind cannot change once responses have arrived"
        if question.options and len(change.options) < len(question.options):
            problems["options"] = "Options cannot be removed once responses have arrived"
    return problems


def add_question(section: Section, change: QuestionChange) -> Question:
    """A new question at the end of the page, with its options and, for an agreement scale
    when asked, a linked "Why do you say that?" question after it."""
    position = max((q.position for q in section.questions), default=0) + 1
    question = Question(
        position=position,
        kind=change.kind,
        text=change.text,
        hint=change.hint or "",
        text_individuals=change.text_individuals or "",
        required=change.required,
        max_length=change.max_length,
    )
    if question.kind in CHOICE_KINDS:
        question.options = [
            Option(position=index, label=label, value=option_value(label, index))
            for index, label in enumerate(change.options, start=1)
        ]
    section.questions.append(question)
    if question.kind == "agreement" and change.with_why:
        section.questions.append(
            Question(
                position=position + 1,
                kind="long_text",
                text="Why do you say that?",
                hint="",
                required=False,
                explains=question,
            )
        )
    audit.record(
        "question_added",
        section.consultation.slug,
        question_number=section.consultation.questions.index(question) + 1,
        text=question.text,
    )
    return question


def _remember(question: Question, field_name: str, old: str, new: str, actor: str) -> None:
    db.session.add(
        QuestionRevision(
            question_id=question.id,
            field=field_name,
            old_value=old,
            new_value=new,
            changed_by=actor,
        )
    )


def edit_question(question: Question, change: QuestionChange, actor: str) -> bool:
    """Apply an edit checked by :func:`question_problems`. Once responses exist every
    wording change (text, hint, wording for individuals, option labels) is kept in the
    question's history; before that, options beyond the new list are removed. Returns
    whether the question was locked."""
    locked = has_responses(question.section.consultation)
    for field_name, new in (
        ("text", change.text),
        ("hint", change.hint or ""),
        ("text_individuals", change.text_individuals or ""),
    ):
        old = getattr(question, field_name)
        if old != new:
            if locked:
                _remember(question, field_name, old, new, actor)
            setattr(question, field_name, new)
    question.kind = change.kind
    question.required = change.required
    question.max_length = change.max_length
    if question.kind in CHOICE_KINDS:
        for index, label in enumerate(change.options, start=1):
            if index <= len(question.options):
                option = question.options[index - 1]
                if option.label != label and locked:
                    _remember(question, f"option {index}", option.label, label, actor)
                option.label = label
            else:
                question.options.append(
                    Option(position=index, label=label, value=option_value(label, index))
                )
        if not locked:
            for option in question.options[len(change.options) :]:
                db.session.delete(option)
    consultation = question.section.consultation
    audit.record(
        "question_edited",
        consultation.slug,
        question_number=consultation.questions.index(question) + 1,
        text=question.text,
        locked=locked,
    )
    return locked


def remove_question(question: Question) -> str | None:
    """Remove a question and renumber the rest of its page; returns why not when responses
    exist."""
    section = question.section
    if has_responses(section.consultation):
        return "Questions cannot be removed once responses have arrived."
    audit.record(
        "question_deleted",
        section.consultation.slug,
        question_number=section.consultation.questions.index(question) + 1,
        text=question.text,
    )
    section.questions.remove(question)  # deleted as an orphan
    db.session.flush()
    _renumber(section.questions)
    return None


# What each wording change's stored field name (``QuestionRevision.field``) reads as in the
# question's wording history: words a person uses, not the internal name.
HISTORY_FIELD_WORDS = {
    "text": "Question",
    "hint": "Hint",
    "text_individuals": "Question for individuals",
}


def history_field_words(field: str) -> str:
    """A wording change's field in words: "Question for individuals" for
    ``text_individuals``, "Option 2" for ``option 2``; anything else as stored."""
    if field in HISTORY_FIELD_WORDS:
        return HISTORY_FIELD_WORDS[field]
    return field[:1].upper() + field[1:]


def question_history(question: Question) -> list[QuestionRevision]:
    """Every recorded wording change of a question, oldest first."""
    return list(
        db.session.scalars(
            select(QuestionRevision)
            .where(QuestionRevision.question_id == question.id)
            .order_by(QuestionRevision.id)
        ).all()
    )
