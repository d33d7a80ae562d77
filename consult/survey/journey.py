"""The partner's journey without requests: drafts, routing, merging saves and submitting once.

Views call these functions; nothing here reads a request or renders a page.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import bindparam, insert, or_, select, update
from sqlalchemy.exc import IntegrityError

from ..extensions import db, execute
from ..models import (
    Answer,
    Consultation,
    Invitation,
    Organisation,
    Question,
    Response,
    Section,
    organisation_key,
    utcnow,
)
from ..reference import INDIVIDUAL
from ..tokens import hash_token, new_reference

ORGANISATION_PAGE = "organisation"
CHECK_PAGE = "check"
ORGANISATION_KEYS = Response.DECLARED_FIELDS
ANSWER = Answer.__table__
RESPONSE = Response.__table__
INSERT_ANSWER = insert(ANSWER)
# Read on every page of the journey: built once, the values as parameters.
BY_RESUME_TOKEN = select(Response).where(
    Response.consultation_id == bindparam("consultation_id"),
    Response.resume_token_hash == bindparam("digest"),
)
BY_INVITATION = select(Response).where(Response.invitation_id == bindparam("invitation_id"))
# A draft's answers as plain rows (id, question id, value): one query, no ORM objects.
ANSWERS_OF = select(ANSWER.c.id, ANSWER.c.question_id, ANSWER.c.value).where(
    ANSWER.c.response_id == bindparam("response_id")
)
# A page's save: the next version, only if nobody saved (or submitted) since
# ``seen_version`` was read, and only while the response is a draft.
BUMP_VERSION = (
    update(RESPONSE)
    .where(
        RESPONSE.c.id == bindparam("response_id"),
        RESPONSE.c.version == bindparam("seen_version"),
        RESPONSE.c.status == "draft",
    )
    .values(
        version=bindparam("next_version"), updated_at=bindparam("now"), last_page=bindparam("page")
    )
)


# One answer's new value (several at once as one executemany).
UPDATE_ANSWER = (
    update(ANSWER)
    .where(ANSWER.c.id == bindparam("answer_id"))
    .values(value=bindparam("new_value"), updated_at=bindparam("now"))
)
# Submitting: from draft to submitted, with or without the checked version as a condition.
SUBMIT = (
    update(RESPONSE)
    .where(RESPONSE.c.id == bindparam("response_id"), RESPONSE.c.status == "draft")
    .values(status="submitted", submitted_at=bindparam("now"), version=RESPONSE.c.version + 1)
)
SUBMIT_CHECKED = SUBMIT.where(RESPONSE.c.version == bindparam("checked_version"))
# "About your organisation" updates, one statement for each set of fields written (at most
# 2**6), built on first use: building and keying a statement costs more than running it.
_ORGANISATION_UPDATES: dict[frozenset[str], Any] = {}


def _organisation_update(keys: frozenset[str]):
    statement = _ORGANISATION_UPDATES.get(keys)
    if statement is None:
        statement = _ORGANISATION_UPDATES[keys] = (
            update(RESPONSE)
            .where(RESPONSE.c.id == bindparam("response_id"))
            .values({key: bindparam(f"new_{key}") for key in sorted(keys)})
        )
    return statement


# Holds a draft's row until the transaction ends (a write changing nothing: on PostgreSQL
# the row lock, on SQLite the database's write lock), so it cannot change under a save.
HOLD_DRAFT = (
    update(RESPONSE)
    .where(RESPONSE.c.id == bindparam("response_id"))
    .values(version=RESPONSE.c.version)
)


def section_page(section: Section) -> str:
    """The page key of a section, as kept in ``Response.last_page``."""
    return f"section-{section.position}"


def page_sequence(consultation: Consultation) -> list[str]:
    """Every page of the journey after the start page, in order."""
    return [ORGANISATION_PAGE, *(section_page(s) for s in consultation.sections), CHECK_PAGE]


def previous_page(consultation: Consultation, page: str) -> str | None:
    """The page before ``page``; None before the first (the start page comes before it)."""
    pages = page_sequence(consultation)
    index = pages.index(page) if page in pages else 0
    return pages[index - 1] if index > 0 else None


def next_page(consultation: Consultation, page: str) -> str:
    """The page after ``page``; the check page is last."""
    pages = page_sequence(consultation)
    index = pages.index(page) if page in pages else 0
    return pages[min(index + 1, len(pages) - 1)]


def value_digest(value: str | None) -> str:
    """A short digest of a stored value, used to notice a colleague's change."""
    return hashlib.sha256((value or "").encode("utf-8")).hexdigest()[:16]


# --- finding and starting responses -------------------------------------------------------


def find_invitation(token: str) -> Invitation | None:
    """The invitation whose current or previous token this is, or ``None``."""
    digest = hash_token(token)
    return db.session.scalar(
        select(Invitation).where(
            or_(Invitation.token_hash == digest, Invitation.previous_token_hash == digest)
        )
    )


def find_response_by_resume_token(consultation: Consultation, token: str) -> Response | None:
    """The open-link response this resume token belongs to, or ``None``."""
    return db.session.scalar(
        BY_RESUME_TOKEN, {"consultation_id": consultation.id, "digest": hash_token(token)}
    )


def unsaved_invitation_draft(invitation: Invitation) -> Response:
    """A draft for this invitation, prefilled from its organisation but not yet stored.

    Nothing is written until the partner first saves a page (:func:`store_draft`), so
    selecting "Start now" and leaving creates no empty response.
    """
    return Response(
        consultation_id=invitation.consultation_id,
        invitation_id=invitation.id,
        reference=new_reference(),
        status="draft",
        version=1,
        last_page=ORGANISATION_PAGE,
        **invitation.organisation.prefill(),
    )


def unsaved_open_draft(consultation: Consultation, token: str) -> Response:
    """An open-link draft reopened by this resume token, not yet stored."""
    return Response(
        consultation_id=consultation.id,
        reference=new_reference(),
        resume_token_hash=hash_token(token),
        status="draft",
        version=1,
        last_page=ORGANISATION_PAGE,
    )


def invited_namesake(response: Response) -> str | None:
    """The name of the organisation invited to this consultation that an open-link response
    answers for, or ``None``: its organisation name, compared as the organisation list
    compares names (``organisation_key``: ignoring case and spaces), is an invited one's.

    Such a response would be a second one from that organisation, beside the one its
    invitation link collects (left27): the partner is told so, and pointed to that link,
    but nothing is blocked or lost (the name may be a namesake, or they may be sure). Only
    what the partner typed is compared; whether the invited organisation has answered yet
    is never said to someone on the open link. An invitation's own draft, and a response
    answering as an individual (whose name field is no organisation's), have none."""
    if response.invitation_id is not None or response.partner_type == INDIVIDUAL:
        return None
    key = organisation_key(response.organisation_name)
    if not key:
        return None
    return db.session.scalar(
        select(Organisation.name)
        .join(Invitation, Invitation.organisation_id == Organisation.id)
        .where(
            Invitation.consultation_id == response.consultation_id,
            Organisation.name_key == key,
        )
        .limit(1)
    )


def is_stored(response: Response) -> bool:
    """Whether the draft has been written to the database yet."""
    return response.id is not None


def store_draft(response: Response, commit: bool = True) -> Response:
    """Write a new draft on its first save; the stored draft when it already exists.

    Double clicks and two tabs send two first saves at once: the unique constraints on
    ``Response.invitation_id`` and ``Response.resume_token_hash`` let exactly one insert
    win, and the loser carries on with the winner's row, so both saves land on one draft.

    With ``commit=False`` the new row is only flushed: the page's save that follows
    (:func:`save_page`) commits it with the answers, in one transaction.
    """
    if is_stored(response):
        return response
    _ = response.answers  # a new draft has none: nothing to read back after the insert
    db.session.add(response)
    try:
        if commit:
            db.session.commit()
        else:
            db.session.flush()
    except IntegrityError:
        db.session.rollback()
        existing = _existing_draft(response)
        if existing is None:
            raise
        return existing
    return response


def _existing_draft(response: Response) -> Response | None:
    if response.invitation_id is not None:
        match = Response.invitation_id == response.invitation_id
    else:
        match = Response.resume_token_hash == response.resume_token_hash
    return db.session.scalar(select(Response).where(match))


# --- reading and writing one page ----------------------------------------------------------


def stored_answers(response: Response) -> dict[int, Any]:
    """The draft's stored answers keyed by question id, as rows with ``id``, ``question_id``
    and ``value`` (read with one plain query, not as ORM objects).

    Kept on the response object for the version it was read at: every save bumps the
    version (see :func:`save_page`), and a refreshed response with a newer version reads
    them again. The object lives for one request, so nothing is kept across requests."""
    if response.id is None:
        return {}
    version = response.version
    kept = response.__dict__.get(_ANSWERS_KEPT)
    if kept is not None and kept[0] == (response.id, version):
        return kept[1]
    rows = execute(ANSWERS_OF, {"response_id": response.id}).all()
    answers = {row.question_id: row for row in rows}
    response.__dict__[_ANSWERS_KEPT] = ((response.id, version), answers)
    return answers


_ANSWERS_KEPT = "_consult_stored_answers"


def stored_question_values(response: Response, questions: list[Question]) -> dict[str, str]:
    """The stored answer of each question, keyed by field name ('' when unanswered)."""
    answers = stored_answers(response)
    return {q.field_name: (answers[q.id].value if q.id in answers else "") for q in questions}


def stored_organisation_values(response: Response) -> dict[str, str]:
    """The stored "about your organisation" answers."""
    return {key: getattr(response, key) or "" for key in ORGANISATION_KEYS}


def write_question_values(response: Response, questions: list[Question], values: dict[str, str]):
    """Store answers for the given field names, creating rows as needed.

    Plain SQL statements in the caller's transaction (new answers in one statement), not
    the ORM's unit of work: the caller commits straight after, which expires what the
    session holds, so nothing reads the old values back."""
    by_name = {q.field_name: q for q in questions}
    answers = stored_answers(response)
    now = utcnow()
    new_rows = []
    changed_rows = []
    for name, value in values.items():
        question = by_name[name]
        answer = answers.get(question.id)
        if answer is None:
            new_rows.append(
                {
                    "response_id": response.id,
                    "question_id": question.id,
                    "value": value,
                    "updated_at": now,
                }
            )
        elif answer.value != value:
            changed_rows.append({"answer_id": answer.id, "new_value": value, "now": now})
    if changed_rows:
        execute(UPDATE_ANSWER, changed_rows)
    if new_rows:
        execute(INSERT_ANSWER, new_rows)


def write_organisation_values(response: Response, values: dict[str, str]) -> None:
    """Store the "about your organisation" answers (one plain SQL update, committed by the
    caller)."""
    if values:
        parameters = {f"new_{key}": value or None for key, value in values.items()}
        execute(_organisation_update(frozenset(values)), {"response_id": response.id, **parameters})


class AlreadySubmitted(Exception):
    """The draft was submitted (by a colleague, or another tab) while this page was being
    saved: the submitted answers are final and the page's save is not written."""


@dataclass
class SaveResult:
    """What happened to a page save: which fields clashed with a colleague's edit."""

    conflicts: dict[str, str] = field(default_factory=dict)  # field name -> colleague's value
    # Fields left as a colleague changed them, the partner not having touched them.
    theirs: list[str] = field(default_factory=list)
    version: int | None = None  # the draft's version this save wrote
    # Reads the page's values as stored after the save; only a page drawn again needs them,
    # so they are read on first use of ``stored``, not after every save.
    read_stored: Callable[[], dict[str, str]] | None = None
    _stored: dict[str, str] | None = None

    @property
    def stored(self) -> dict[str, str]:
        """The page's values after the save (read from the database on first use)."""
        if self._stored is None:
            self._stored = self.read_stored() if self.read_stored else {}
        return self._stored

    @property
    def ok(self) -> bool:
        return not self.conflicts


# How one field of a page fares in a save (see :func:`field_outcome`).
SAME = "same"  # the draft already holds what was typed
WRITE = "write"  # written: nobody else changed it since the page was drawn
THEIRS = "theirs"  # a colleague changed it and the partner did not touch it: theirs stays
CLASH = "clash"  # both changed it, differently: theirs stays and the partner is told


def field_outcome(current: str, seen_digest: str | None, new_value: str) -> str:
    """What a save does with one field: ``current`` is the stored value, ``seen_digest``
    the digest of the value the page showed (None when the page said nothing) and
    ``new_value`` what the page sent."""
    if new_value == current:
        return SAME
    if seen_digest is None or seen_digest == value_digest(current):
        return WRITE
    if seen_digest == value_digest(new_value):
        return THEIRS
    return CLASH


def merge_page(
    stored: dict[str, str], seen: dict[str, str], typed: dict[str, str]
) -> tuple[dict[str, str], dict[str, str]]:
    """Three-way merge of one page: what to write, and which fields conflict.

    ``seen`` holds digests of the values the partner saw when the page was drawn. A field a
    colleague changed meanwhile is kept as the colleague left it when the partner did not
    touch it, and is a conflict when both changed it differently. Nothing is overwritten
    silently.
    """
    writes: dict[str, str] = {}
    conflicts: dict[str, str] = {}
    for name, new_value in typed.items():
        current = stored.get(name, "")
        outcome = field_outcome(current, seen.get(name), new_value)
        if outcome == WRITE:
            writes[name] = new_value
        elif outcome == CLASH:
            conflicts[name] = current
    return writes, conflicts


def colleagues_answers_kept(
    stored: dict[str, str], seen: dict[str, str], typed: dict[str, str]
) -> list[str]:
    """The fields a save leaves as a colleague changed them, because the partner did not
    touch them (:data:`THEIRS`), in the page's order.

    A page drawn again after that save (its answers need fixing, or another field clashed)
    must show these fields as stored, not as the partner's page had them: drawn as typed
    (often empty) with ``seen`` refreshed from storage, the colleague's answer would read as
    missing, and the partner's next save would overwrite it without a word (smoke10 #1).
    """
    return [
        name
        for name, new_value in typed.items()
        if field_outcome(stored.get(name, ""), seen.get(name), new_value) == THEIRS
    ]


def shown_again(
    posted: list[tuple[str, str]], stored: list[tuple[str, str]], theirs: list[str]
) -> list[tuple[str, str]]:
    """The form fields of a page drawn again after its save: what the partner posted, but
    for the fields in ``theirs`` (:func:`colleagues_answers_kept`) their stored values.
    ``posted`` and ``stored`` are (name, value) pairs, a choice of several given once each."""
    names = set(theirs)
    return [(n, v) for n, v in posted if n not in names] + [(n, v) for n, v in stored if n in names]


def save_page(
    response: Response,
    seen: dict[str, str],
    typed: dict[str, str],
    *,
    load: Callable[[Response], dict[str, str]],
    write: Callable[[Response, dict[str, str]], None],
    last_page: str | None = None,
    attempts: int = 5,
) -> SaveResult:
    """Merge and store one page of a draft, bumping the response's version exactly once.

    The write is guarded by a conditional update on ``version``: if another save landed
    between reading and writing, the merge is redone against the newer answers. If the
    response was submitted meanwhile, nothing is written and :class:`AlreadySubmitted` is
    raised: answers never change after their submission.
    """
    for attempt in range(attempts):
        if attempt:
            # The first try uses the draft as this request read it, optimistically. Once
            # that lost a race, wait for the draft instead: hold its row (PostgreSQL) or
            # the write lock (SQLite) before reading it again, so this try cannot lose.
            db.session.execute(HOLD_DRAFT, {"response_id": response.id})
            db.session.refresh(response)
        if response.status != "draft":
            db.session.rollback()
            raise AlreadySubmitted(response.id)
        version = response.version
        stored = load(response)
        writes, conflicts = merge_page(stored, seen, typed)
        theirs = colleagues_answers_kept(stored, seen, typed)
        bumped = execute(
            BUMP_VERSION,
            {
                "response_id": response.id,
                "seen_version": version,
                "next_version": version + 1,
                "now": utcnow(),
                "page": last_page or response.last_page,
            },
        ).rowcount
        if bumped != 1:
            db.session.rollback()
            continue
        write(response, writes)
        db.session.commit()

        def read_stored() -> dict[str, str]:
            db.session.refresh(response)
            return load(response)

        return SaveResult(
            conflicts=conflicts, theirs=theirs, version=version + 1, read_stored=read_stored
        )
    raise RuntimeError("the draft kept changing while it was being saved")


# --- submitting --------------------------------------------------------------------------


def submit(response: Response, version: int | None = None) -> bool:
    """Mark the draft submitted; ``True`` only for the one call that did it.

    A conditional update from draft to submitted is atomic in the database, so double
    clicks, two tabs and retried requests leave exactly one submission. With ``version``
    (the draft's version when its answers were checked), only if nobody saved since: what
    is submitted is what was checked.
    """
    db.session.flush()  # anything pending goes first, as an ORM update would do
    parameters = {"response_id": response.id, "now": utcnow()}
    if version is None:
        changed = execute(SUBMIT, parameters).rowcount
    else:
        changed = execute(SUBMIT_CHECKED, {**parameters, "checked_version": version}).rowcount
    db.session.commit()  # which expires ``response``: it is read again if used
    return changed == 1
