"""SQLAlchemy 2 typed models: consultations, their questions, organisations and responses."""

from __future__ import annotations

import json
import re
from datetime import UTC, datetime

from sqlalchemy import (
    Boolean,
    CheckConstraint,
    DateTime,
    ForeignKey,
    Index,
    Integer,
    String,
    Text,
    UniqueConstraint,
    false,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship, validates

from .extensions import db


def utcnow() -> datetime:
    """The current time, timezone-aware in UTC."""
    return datetime.now(UTC)


def as_utc(moment: datetime | None) -> datetime | None:
    """The same instant in UTC: a naive datetime read back from SQLite is taken as UTC, an
    aware one (PostgreSQL returns the session's time zone) is converted, never relabelled."""
    if moment is None:
        return None
    if moment.tzinfo is None:
        return moment.replace(tzinfo=UTC)
    return moment.astimezone(UTC)


# A text question's character limit when the question sets none.
DEFAULT_TEXT_LIMITS = {"long_text": 5000, "short_text": 500}


def stored_number(value: object, low: int, high: int) -> int | None:
    """A whole number read back from the database, or None when what is stored is not one
    from ``low`` to ``high`` (SQLite keeps whatever was written, such as a value imported
    before definitions were validated), so no page fails on it."""
    if isinstance(value, bool) or not isinstance(value, int) or not low <= value <= high:
        return None
    return value


# "(optional)" (or "[Optional]") typed at the end of a question's text: the partner's page
# adds "(optional)" itself to every question that is not required.
_OPTIONAL_MARK = re.compile(r"\s*[(\[]\s*optional\s*[)\]]\s*$", re.IGNORECASE)


def without_optional_mark(text: str) -> str:
    """``text`` without any "(optional)" typed at its end ("Name of your lead (optional)"
    is "Name of your lead"), so a page adding its own never says it twice."""
    stripped = text or ""
    while _OPTIONAL_MARK.search(stripped):
        stripped = _OPTIONAL_MARK.sub("", stripped)
    return stripped


def text_limit(question: Question) -> int | None:
    """The character limit of a text question: its own, or a generous default."""
    if not question.is_text:
        return None
    return stored_number(question.max_length, 1, 100_000) or DEFAULT_TEXT_LIMITS[question.kind]


# A consultation's minutes_to_complete when staff gave none: the start page estimates it from
# the questions (consult.wording.minutes) rather than claiming a fixed figure.
MINUTES_NOT_GIVEN = 0


class Consultation(db.Model):
    """A consultation partners answer: its pages, its dates and how partners get in."""

    __tablename__ = "consultation"
    __table_args__ = (
        CheckConstraint("status IN ('draft', 'open', 'closed')", name="status_valid"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    slug: Mapped[str] = mapped_column(String(80), unique=True)
    title: Mapped[str] = mapped_column(String(200))
    summary: Mapped[str] = mapped_column(Text, default="")
    audience: Mapped[str] = mapped_column(Text, default="")
    status: Mapped[str] = mapped_column(String(10), default="draft")
    opens_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    closes_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    # When staff actually closed it with Close now (None: not closed by hand). ``closes_at``
    # stays the planned date; :meth:`closed_on` is when it really closed.
    closed_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    privacy_notice: Mapped[str] = mapped_column(Text, default="")
    # What the start page says it takes; MINUTES_NOT_GIVEN (staff left it empty): estimated.
    minutes_to_complete: Mapped[int] = mapped_column(Integer, default=15)
    allow_open_link: Mapped[bool] = mapped_column(Boolean, default=True)
    allow_invitations: Mapped[bool] = mapped_column(Boolean, default=True)
    # Responses are deleted or anonymised this many days after closing (None: kept).
    retention_days: Mapped[int | None] = mapped_column(Integer)
    # Wording and contacts partners see on the confirmation page and in emails; empty means
    # the defaults in consult/settings.py.
    what_happens_next: Mapped[str] = mapped_column(Text, default="", server_default="")
    # The same for a partner who answered as an individual (empty: ``what_happens_next``).
    what_happens_next_individuals: Mapped[str] = mapped_column(Text, default="", server_default="")
    team_name: Mapped[str] = mapped_column(String(200), default="", server_default="")
    contact_email: Mapped[str] = mapped_column(String(320), default="", server_default="")
    email_sender_name: Mapped[str] = mapped_column(String(200), default="", server_default="")
    email_sender_address: Mapped[str] = mapped_column(String(320), default="", server_default="")
    invitation_message: Mapped[str] = mapped_column(Text, default="", server_default="")
    email_signature: Mapped[str] = mapped_column(Text, default="", server_default="")
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    # A new random value whenever the consultation, its pages, questions or options change
    # (see consult/published.py), so web processes know when to read them again.
    definition_key: Mapped[str] = mapped_column(String(32), default="", server_default="")

    sections: Mapped[list[Section]] = relationship(
        back_populates="consultation", order_by="Section.position", cascade="all, delete-orphan"
    )

    def availability(self, now: datetime | None = None) -> str:
        """``open``, ``not_open`` (draft or before opening) or ``closed`` at ``now``."""
        now = now or utcnow()
        if self.status == "closed":
            return "closed"
        if self.status == "draft":
            return "not_open"
        if self.opens_at and as_utc(self.opens_at) > now:
            return "not_open"
        if self.closes_at and as_utc(self.closes_at) <= now:
            return "closed"
        return "open"

    def closed_on(self, now: datetime | None = None) -> datetime | None:
        """When the consultation actually closed (None while it is a draft or still open):
        the earlier of Close now and a closing date that has passed. Retention counts
        from here, and staff pages show it instead of the planned date."""
        if self.status == "draft":
            return None
        now = now or utcnow()
        times = [as_utc(self.closed_at)] if self.status == "closed" and self.closed_at else []
        planned = as_utc(self.closes_at)
        if planned is not None and planned <= now:
            times.append(planned)
        return min(times) if times else None

    def stage(self, now: datetime | None = None) -> str:
        """Where the consultation is as staff see it at ``now``: ``draft``, ``scheduled``
        (opened by staff, its opening date still to come: partners' links say when it
        opens, and it opens by itself then, since availability is worked out from the
        time), ``open`` or ``closed``. Nothing stores "scheduled": it is an open
        consultation whose opening date is in the future."""
        if self.status == "draft":
            return "draft"
        state = self.availability(now)
        return "scheduled" if state == "not_open" else state

    @property
    def questions(self) -> list[Question]:
        """Every question in page order."""
        return [question for section in self.sections for question in section.questions]


class Section(db.Model):
    """One page of a consultation."""

    __tablename__ = "section"
    __table_args__ = (UniqueConstraint("consultation_id", "position"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    consultation_id: Mapped[int] = mapped_column(ForeignKey("consultation.id", ondelete="CASCADE"))
    position: Mapped[int] = mapped_column(Integer)
    title: Mapped[str] = mapped_column(String(200))
    intro: Mapped[str] = mapped_column(Text, default="")

    consultation: Mapped[Consultation] = relationship(back_populates="sections")
    questions: Mapped[list[Question]] = relationship(
        back_populates="section", order_by="Question.position", cascade="all, delete-orphan"
    )


class Question(db.Model):
    """A question; an agreement scale may have a linked free-text "why" question."""

    __tablename__ = "question"
    __table_args__ = (
        UniqueConstraint("section_id", "position"),
        CheckConstraint(
            "kind IN ('long_text', 'short_text', 'single_choice', 'multiple_choice', 'agreement')",
            name="kind_valid",
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    section_id: Mapped[int] = mapped_column(ForeignKey("section.id", ondelete="CASCADE"))
    position: Mapped[int] = mapped_column(Integer)
    kind: Mapped[str] = mapped_column(String(20))
    text: Mapped[str] = mapped_column(Text)
    hint: Mapped[str] = mapped_column(Text, default="")
    # How the question reads to a partner answering as an individual, when ``text`` is
    # worded for an organisation ("... affect your organisation ...": empty, everyone reads
    # ``text``). The same question: one answer, one column, one analysis for everybody.
    text_individuals: Mapped[str] = mapped_column(Text, default="", server_default="")
    required: Mapped[bool] = mapped_column(Boolean, default=False)
    max_length: Mapped[int | None] = mapped_column(Integer)
    # For a "why" question: the agreement question it explains.
    explains_id: Mapped[int | None] = mapped_column(
        ForeignKey("question.id", ondelete="SET NULL"), nullable=True
    )

    section: Mapped[Section] = relationship(back_populates="questions")
    options: Mapped[list[Option]] = relationship(
        back_populates="question", order_by="Option.position", cascade="all, delete-orphan"
    )
    explains: Mapped[Question | None] = relationship(remote_side=[id])

    @property
    def field_name(self) -> str:
        """The form field name used for this question on its page."""
        return f"q{self.id}"

    @property
    def is_text(self) -> bool:
        return self.kind in ("long_text", "short_text")


class Option(db.Model):
    """A choice offered by a single- or multiple-choice question."""

    __tablename__ = "option"
    __table_args__ = (UniqueConstraint("question_id", "value"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    question_id: Mapped[int] = mapped_column(ForeignKey("question.id", ondelete="CASCADE"))
    position: Mapped[int] = mapped_column(Integer)
    value: Mapped[str] = mapped_column(String(80))
    label: Mapped[str] = mapped_column(String(300))

    question: Mapped[Question] = relationship(back_populates="options")


def organisation_key(name: str | None) -> str:
    """An organisation name as names are compared: case folded, with any run of spaces
    (tabs, line breaks, no-break spaces) read as one space and none at either end, so
    "Acme  Ltd" and " ACME ltd" are the same organisation."""
    return " ".join((name or "").split()).casefold()


class Organisation(db.Model):
    """A partner organisation that can be invited; no two share a name as compared by
    :func:`organisation_key` (the database's unique index on ``name_key`` sees to it, so
    two people adding one name at the same moment cannot store it twice)."""

    __tablename__ = "organisation"
    __table_args__ = (Index("uq_organisation_name_key", "name_key", unique=True),)

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(200))
    # organisation_key(name), kept by the model whenever the name is set. Case folding can
    # lengthen a name (ß is ss), hence the room.
    name_key: Mapped[str] = mapped_column(String(600), default="", server_default="")
    partner_type: Mapped[str] = mapped_column(String(40))
    size_band: Mapped[str | None] = mapped_column(String(10))
    area: Mapped[str] = mapped_column(String(40))
    contact_email: Mapped[str | None] = mapped_column(String(320))
    bounced: Mapped[bool] = mapped_column(Boolean, default=False, server_default=false())
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)

    @validates("name")
    def _keep_key(self, _field: str, name: str) -> str:
        self.name_key = organisation_key(name)
        return name

    def prefill(self) -> dict[str, str | None]:
        """What an invitation's response starts with: the details we already hold."""
        return {
            "organisation_name": self.name,
            "partner_type": self.partner_type,
            "size_band": self.size_band,
            "area": self.area,
            "respondent_name": None,
            "respondent_email": self.contact_email,
        }


class Invitation(db.Model):
    """One organisation's link into one consultation; only the token's hash is stored."""

    __tablename__ = "invitation"
    __table_args__ = (UniqueConstraint("consultation_id", "organisation_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    consultation_id: Mapped[int] = mapped_column(ForeignKey("consultation.id", ondelete="CASCADE"))
    organisation_id: Mapped[int] = mapped_column(ForeignKey("organisation.id", ondelete="CASCADE"))
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    # A reminder issues a new link; the link before it keeps working too.
    previous_token_hash: Mapped[str | None] = mapped_column(String(64), index=True)
    expires_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    sent_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    reminded_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    reminders: Mapped[int] = mapped_column(Integer, default=0, server_default="0")

    consultation: Mapped[Consultation] = relationship()
    organisation: Mapped[Organisation] = relationship()

    def is_expired(self, now: datetime | None = None) -> bool:
        return as_utc(self.expires_at) <= (now or utcnow())


class Response(db.Model):
    """One partner's response: a shared draft until it is submitted, exactly once.

    ``invitation_id`` is unique, so colleagues on one invitation share one response and an
    invitation can never have two. ``version`` grows with every save so concurrent edits
    are detected, and submission is a conditional update from draft to submitted.
    """

    __tablename__ = "response"
    __table_args__ = (
        UniqueConstraint("invitation_id"),
        UniqueConstraint("consultation_id", "source", "external_id", name="one_per_source_id"),
        CheckConstraint("status IN ('draft', 'submitted')", name="status_valid"),
        CheckConstraint(
            "(status = 'draft' AND submitted_at IS NULL)"
            " OR (status = 'submitted' AND submitted_at IS NOT NULL)",
            name="submitted_has_time",
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    consultation_id: Mapped[int] = mapped_column(ForeignKey("consultation.id", ondelete="CASCADE"))
    invitation_id: Mapped[int | None] = mapped_column(
        ForeignKey("invitation.id", ondelete="SET NULL"), nullable=True
    )
    reference: Mapped[str] = mapped_column(String(20), unique=True)
    status: Mapped[str] = mapped_column(String(10), default="draft")
    version: Mapped[int] = mapped_column(Integer, default=1)
    resume_token_hash: Mapped[str | None] = mapped_column(String(64), unique=True)
    last_page: Mapped[str] = mapped_column(String(40), default="organisation")
    # What the respondent declared (prefilled from the invitation's organisation). Free text
    # is unbounded in the database: a draft keeps over-long text (the form stops sending it).
    organisation_name: Mapped[str | None] = mapped_column(Text)
    partner_type: Mapped[str | None] = mapped_column(String(40))
    size_band: Mapped[str | None] = mapped_column(String(10))
    area: Mapped[str | None] = mapped_column(String(40))
    respondent_name: Mapped[str | None] = mapped_column(Text)
    respondent_email: Mapped[str | None] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    submitted_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    # True for an import whose submitted cell gave a date and no time ("04/12/2026"): its
    # ``submitted_at`` is that day's UK midnight, and pages say the date alone (smoke11 #10).
    # None otherwise (the time is known).
    submitted_date_only: Mapped[bool | None] = mapped_column(Boolean)
    # Where the response came from: this service, or an import from another tool.
    source: Mapped[str] = mapped_column(String(40), default="web", server_default="web")
    external_id: Mapped[str | None] = mapped_column(String(200))
    anonymised_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))

    consultation: Mapped[Consultation] = relationship()
    invitation: Mapped[Invitation | None] = relationship()
    answers: Mapped[list[Answer]] = relationship(
        back_populates="response", cascade="all, delete-orphan"
    )

    # What the respondent declares on the "About your organisation" page.
    DECLARED_FIELDS = (
        "organisation_name",
        "partner_type",
        "size_band",
        "area",
        "respondent_name",
        "respondent_email",
    )

    def answer_map(self) -> dict[int, Answer]:
        """Answers keyed by question id."""
        return {answer.question_id: answer for answer in self.answers}

    def is_empty(self) -> bool:
        """True when the partner has written nothing: no answer has a value, and the
        organisation details are blank or just as the invitation filled them in."""
        if any(answer.value for answer in self.answers):
            return False
        declared = {key: getattr(self, key) or "" for key in self.DECLARED_FIELDS}
        if self.invitation is not None:
            prefill = self.invitation.organisation.prefill()
            return declared == {key: prefill[key] or "" for key in self.DECLARED_FIELDS}
        return not any(declared.values())


class Answer(db.Model):
    """One answer to one question; a multiple-choice answer is a JSON list of values."""

    __tablename__ = "answer"
    __table_args__ = (UniqueConstraint("response_id", "question_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    response_id: Mapped[int] = mapped_column(ForeignKey("response.id", ondelete="CASCADE"))
    question_id: Mapped[int] = mapped_column(ForeignKey("question.id", ondelete="CASCADE"))
    value: Mapped[str] = mapped_column(Text, default="")
    updated_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)

    response: Mapped[Response] = relationship(back_populates="answers")
    question: Mapped[Question] = relationship()

    @property
    def values(self) -> list[str]:
        """The chosen values of a multiple-choice answer."""
        try:
            loaded = json.loads(self.value or "[]")
        except ValueError:
            return []
        return [str(item) for item in loaded] if isinstance(loaded, list) else []


ROLES = ("admin", "editor", "analyst", "viewer")


class User(db.Model):
    """A member of staff who signs in to build consultations and read responses."""

    __tablename__ = "user_account"
    __table_args__ = (
        CheckConstraint("role IN ('admin', 'editor', 'analyst', 'viewer')", name="role_valid"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    email: Mapped[str] = mapped_column(String(320), unique=True)
    name: Mapped[str] = mapped_column(String(200), default="")
    role: Mapped[str] = mapped_column(String(10))
    password_hash: Mapped[str] = mapped_column(String(255))
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    last_sign_in_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))

    # Flask-Login's user interface.
    @property
    def is_authenticated(self) -> bool:
        return True

    @property
    def is_active(self) -> bool:
        return self.active

    @property
    def is_anonymous(self) -> bool:
        return False

    def get_id(self) -> str:
        return str(self.id)


class SignInAttempt(db.Model):
    """One sign-in attempt, kept to throttle guessing per account and per address."""

    __tablename__ = "sign_in_attempt"

    id: Mapped[int] = mapped_column(primary_key=True)
    email: Mapped[str] = mapped_column(String(320), index=True)
    address: Mapped[str] = mapped_column(String(64), index=True)
    succeeded: Mapped[bool] = mapped_column(Boolean, default=False)
    at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow, index=True)


class AuditEvent(db.Model):
    """An append-only record of something staff did (or tried to do)."""

    __tablename__ = "audit_event"

    id: Mapped[int] = mapped_column(primary_key=True)
    at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow, index=True)
    user_id: Mapped[int | None] = mapped_column(
        ForeignKey("user_account.id", ondelete="SET NULL"), nullable=True
    )
    actor: Mapped[str] = mapped_column(String(320), default="")
    action: Mapped[str] = mapped_column(String(60), index=True)
    target: Mapped[str] = mapped_column(String(200), default="")
    detail: Mapped[str] = mapped_column(Text, default="")
    address: Mapped[str] = mapped_column(String(64), default="")


class QuestionRevision(db.Model):
    """A wording change to a question after responses arrived: what it said before."""

    __tablename__ = "question_revision"

    id: Mapped[int] = mapped_column(primary_key=True)
    question_id: Mapped[int] = mapped_column(ForeignKey("question.id", ondelete="CASCADE"))
    changed_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    changed_by: Mapped[str] = mapped_column(String(320), default="")
    field: Mapped[str] = mapped_column(String(40))
    old_value: Mapped[str] = mapped_column(Text, default="")
    new_value: Mapped[str] = mapped_column(Text, default="")


# Stored theme analyses (runs, themes, assignments, review edits) live in their own package.
from .reports import coding_models as _coding_models  # noqa: E402, F401
from .reports import models as _report_models  # noqa: E402, F401


class BrowserSession(db.Model):
    """A browser's session, kept on the server: the cookie holds only a random id, whose
    SHA-256 digest is this row's key, so deleting the row ends the session everywhere."""

    __tablename__ = "browser_session"

    id: Mapped[str] = mapped_column(String(64), primary_key=True)
    data: Mapped[str] = mapped_column(Text, default="{}")
    user_id: Mapped[int | None] = mapped_column(Integer, index=True)
    expires_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), index=True)
