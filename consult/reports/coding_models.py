"""Stored coding: a question's codebook, the codes staff give responses, and the machine's
coding of the rest.

One codebook per free-text question. Every coder's codes are kept (so two colleagues coding
the same responses can measure their agreement); the machine learns from each response's
agreed human code: the code the team settled on where coders disagreed, else the one every
coder gave alike (a disagreement nobody has settled is not learned from). A
machine coding is a background job's result: the model's themes and stance for every
response no person has coded, its agreement figures and the next responses to code.
Machine codings are never overwritten: each application of the model is a new one.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import (
    JSON,
    CheckConstraint,
    DateTime,
    Float,
    ForeignKey,
    Index,
    Integer,
    String,
    Text,
    UniqueConstraint,
    text,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..extensions import db
from ..models import Consultation, Question, utcnow

CODING_STATUSES = ("queued", "running", "succeeded", "failed")
# The statuses of an application of the model not finished yet, as SQL (a partial index's).
PENDING_SQL = "status IN ('queued', 'running')"
STANCES = ("for", "against", "mixed")


class Codebook(db.Model):
    """The agreed themes of one question."""

    __tablename__ = "codebook"

    id: Mapped[int] = mapped_column(primary_key=True)
    consultation_id: Mapped[int] = mapped_column(
        ForeignKey("consultation.id", ondelete="CASCADE"), index=True
    )
    question_id: Mapped[int] = mapped_column(
        ForeignKey("question.id", ondelete="CASCADE"), unique=True
    )
    source: Mapped[str] = mapped_column(String(200), default="", server_default="")
    created_by_email: Mapped[str] = mapped_column(String(320), default="", server_default="")
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)

    consultation: Mapped[Consultation] = relationship()
    question: Mapped[Question] = relationship()
    themes: Mapped[list[CodebookTheme]] = relationship(
        back_populates="codebook",
        order_by="CodebookTheme.position",
        cascade="all, delete-orphan",
        passive_deletes=True,
    )


class CodebookTheme(db.Model):
    """One theme of a codebook: ``key`` is its id in codes and files."""

    __tablename__ = "codebook_theme"
    __table_args__ = (UniqueConstraint("codebook_id", "key"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    codebook_id: Mapped[int] = mapped_column(ForeignKey("codebook.id", ondelete="CASCADE"))
    key: Mapped[str] = mapped_column(String(64))
    position: Mapped[int] = mapped_column(Integer, default=0)
    name: Mapped[str] = mapped_column(String(300))
    description: Mapped[str] = mapped_column(Text, default="", server_default="")
    keywords: Mapped[list[str]] = mapped_column(JSON, default=list)
    examples: Mapped[list[str]] = mapped_column(JSON, default=list)
    # The reference of the response each example was quoted from ("" when typed or imported),
    # in step with ``examples``, so removing a response's data removes its quotes here too.
    example_references: Mapped[list[str] | None] = mapped_column(JSON)

    codebook: Mapped[Codebook] = relationship(back_populates="themes")


class HumanCode(db.Model):
    """The themes (keys; empty: none applies) and stance one coder gave one response."""

    __tablename__ = "human_code"
    __table_args__ = (
        UniqueConstraint("codebook_id", "response_id", "coder_email"),
        CheckConstraint(
            "stance IS NULL OR stance IN ('for', 'against', 'mixed')", name="stance_valid"
        ),
        Index("ix_human_code_codebook_coded", "codebook_id", "coded_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    codebook_id: Mapped[int] = mapped_column(ForeignKey("codebook.id", ondelete="CASCADE"))
    response_id: Mapped[int] = mapped_column(
        ForeignKey("response.id", ondelete="CASCADE"), index=True
    )
    coder_email: Mapped[str] = mapped_column(String(320))
    themes: Mapped[list[str]] = mapped_column(JSON, default=list)
    stance: Mapped[str | None] = mapped_column(String(10))
    # "agreement": the coder kept the stance the respondent's own answer to the paired
    # agreement question gives (the form fills it in); "human": the coder gave another; None
    # with no stance, or saved before this was recorded (read as "human")
    stance_source: Mapped[str | None] = mapped_column(String(10))
    coded_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)


class SettledCode(db.Model):
    """The code a team agreed for a response its coders coded differently: it counts as the
    response's human code (the model learns from it, reports count it), while each coder's
    own :class:`HumanCode` stays as it was for the agreement between coders."""

    __tablename__ = "settled_code"
    __table_args__ = (
        UniqueConstraint("codebook_id", "response_id"),
        CheckConstraint(
            "stance IS NULL OR stance IN ('for', 'against', 'mixed')", name="stance_valid"
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    codebook_id: Mapped[int] = mapped_column(ForeignKey("codebook.id", ondelete="CASCADE"))
    response_id: Mapped[int] = mapped_column(
        ForeignKey("response.id", ondelete="CASCADE"), index=True
    )
    themes: Mapped[list[str]] = mapped_column(JSON, default=list)
    stance: Mapped[str | None] = mapped_column(String(10))
    settled_by_email: Mapped[str] = mapped_column(String(320))
    settled_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)

    # Read like a :class:`HumanCode` where the response's human code is wanted.
    @property
    def coder_email(self) -> str:
        return self.settled_by_email

    @property
    def coded_at(self) -> datetime:
        return self.settled_at


class MachineCoding(db.Model):
    """One application of the coding model to a question (a background job)."""

    __tablename__ = "machine_coding"
    __table_args__ = (
        CheckConstraint(
            "status IN (" + ", ".join(f"'{s}'" for s in CODING_STATUSES) + ")",
            name="status_valid",
        ),
        # At most one application of the model waiting or running per codebook, whatever
        # the web process: of two presses of "Apply the model" at once, the second's insert
        # fails and it shows the first's progress (coding.start_coding).
        Index(
            "ix_machine_coding_one_pending",
            "codebook_id",
            unique=True,
            sqlite_where=text(PENDING_SQL),
            postgresql_where=text(PENDING_SQL),
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    codebook_id: Mapped[int] = mapped_column(
        ForeignKey("codebook.id", ondelete="CASCADE"), index=True
    )
    status: Mapped[str] = mapped_column(String(10), default="queued")
    error: Mapped[str | None] = mapped_column(Text)
    started_by_email: Mapped[str] = mapped_column(String(320), default="", server_default="")
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    finished_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    # Refreshed by the worker while the coding runs; a stale one means the worker died.
    heartbeat_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    engine: Mapped[str | None] = mapped_column(String(40))
    human_count: Mapped[int] = mapped_column(Integer, default=0)
    machine_count: Mapped[int] = mapped_column(Integer, default=0)
    metrics: Mapped[dict[str, Any] | None] = mapped_column(JSON)
    # [{"response_id": int, "reason": str}], most useful first
    suggestions: Mapped[list[dict[str, Any]]] = mapped_column(JSON, default=list)

    codebook: Mapped[Codebook] = relationship()


class MachineCode(db.Model):
    """The model's coding of one response that no person had coded."""

    __tablename__ = "machine_code"
    __table_args__ = (UniqueConstraint("coding_id", "response_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    coding_id: Mapped[int] = mapped_column(ForeignKey("machine_coding.id", ondelete="CASCADE"))
    response_id: Mapped[int] = mapped_column(
        ForeignKey("response.id", ondelete="CASCADE"), index=True
    )
    themes: Mapped[list[str]] = mapped_column(JSON, default=list)
    confidence: Mapped[float] = mapped_column(Float, default=0.0)
    stance: Mapped[str | None] = mapped_column(String(10))
    # "agreement" (the response's own answer to the paired agreement question) or "model"
    stance_source: Mapped[str | None] = mapped_column(String(10))
    stance_confidence: Mapped[float | None] = mapped_column(Float)
