"""Stored theme analyses: a run of the engine on one question, its themes, per-response
assignments and the review edits made to it.

JSON columns use :class:`sqlalchemy.JSON` (text on SQLite, ``json`` on PostgreSQL); they hold
plain lists and dicts. Assign a new value to change one (in-place mutation is not tracked).
Runs are never overwritten: a rerun is a new run pointing at ``previous_run_id``.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import (
    JSON,
    Boolean,
    CheckConstraint,
    DateTime,
    Float,
    ForeignKey,
    Index,
    Integer,
    String,
    Text,
    UniqueConstraint,
    false,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..extensions import db
from ..models import Consultation, Question, utcnow

RUN_STATUSES = ("queued", "running", "succeeded", "failed")
THEME_ORIGINS = ("machine", "merge", "split", "created")
EDIT_KINDS = ("rename", "describe", "merge", "split", "move", "create", "reviewed", "undo")


def _in(column: str, values: tuple[str, ...]) -> str:
    return f"{column} IN (" + ", ".join(f"'{value}'" for value in values) + ")"


class AnalysisRun(db.Model):
    """One analysis of one free-text question: its settings, progress, provenance and outputs.

    ``question_id`` is the free-text question analysed; for the "why" text of an agreement
    question it is the why question and ``stance_question_id`` the agreement question.
    ``settings``: {"engine", "n_themes", "seed", "segments", "side_margin"} (runs stored
    before the side margin was recorded lack it); ``timings``: stage -> seconds;
    ``summary``: the engine's ``summary_`` plus "non_substantive" (the bucket).
    """

    __tablename__ = "analysis_run"
    __table_args__ = (
        CheckConstraint(_in("status", RUN_STATUSES), name="status_valid"),
        Index("ix_analysis_run_question_created", "question_id", "created_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    consultation_id: Mapped[int] = mapped_column(
        ForeignKey("consultation.id", ondelete="CASCADE"), index=True
    )
    question_id: Mapped[int] = mapped_column(ForeignKey("question.id", ondelete="CASCADE"))
    stance_question_id: Mapped[int | None] = mapped_column(
        ForeignKey("question.id", ondelete="SET NULL"), nullable=True
    )
    status: Mapped[str] = mapped_column(String(10), default="queued", index=True)
    stage: Mapped[str] = mapped_column(String(60), default="", server_default="")
    stage_done: Mapped[int] = mapped_column(Integer, default=0, server_default="0")
    stage_total: Mapped[int] = mapped_column(Integer, default=0, server_default="0")
    settings: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    engine_used: Mapped[str | None] = mapped_column(String(40))
    versions: Mapped[dict[str, Any] | None] = mapped_column(JSON)
    input_count: Mapped[int | None] = mapped_column(Integer)
    input_sha256: Mapped[str | None] = mapped_column(String(64))
    started_by: Mapped[int | None] = mapped_column(
        ForeignKey("user_account.id", ondelete="SET NULL"), nullable=True
    )
    started_by_email: Mapped[str] = mapped_column(String(320), default="", server_default="")
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    started_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    finished_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    heartbeat_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    timings: Mapped[dict[str, Any] | None] = mapped_column(JSON)
    error: Mapped[str | None] = mapped_column(Text)
    attempts: Mapped[int] = mapped_column(Integer, default=0, server_default="0")
    job_id: Mapped[str | None] = mapped_column(String(64))
    previous_run_id: Mapped[int | None] = mapped_column(
        ForeignKey("analysis_run.id", ondelete="SET NULL"), nullable=True
    )
    summary: Mapped[dict[str, Any] | None] = mapped_column(JSON)

    consultation: Mapped[Consultation] = relationship()
    question: Mapped[Question] = relationship(foreign_keys=[question_id])
    stance_question: Mapped[Question | None] = relationship(foreign_keys=[stance_question_id])
    previous_run: Mapped[AnalysisRun | None] = relationship(remote_side=[id])
    themes: Mapped[list[RunTheme]] = relationship(
        back_populates="run",
        order_by="RunTheme.position",
        cascade="all, delete-orphan",
        passive_deletes=True,
    )
    assignments: Mapped[list[RunAssignment]] = relationship(
        back_populates="run",
        order_by="RunAssignment.id",
        cascade="all, delete-orphan",
        passive_deletes=True,
    )
    edits: Mapped[list[ThemeEdit]] = relationship(
        back_populates="run",
        order_by="ThemeEdit.id",
        cascade="all, delete-orphan",
        passive_deletes=True,
    )

    @property
    def finished(self) -> bool:
        """Whether the run has stopped, well or badly."""
        return self.status in ("succeeded", "failed")

    @property
    def visible_themes(self) -> list[RunTheme]:
        """Themes not merged or split away, largest first (by size now, after any review
        edit), then in the engine's order, those flagged mixed last
        (:func:`consult.reports.runs.catch_alls_last`), as the report lists them."""
        from .runs import catch_alls_last

        shown = [theme for theme in self.themes if not theme.hidden]
        return catch_alls_last(
            sorted(shown, key=lambda theme: (-(theme.size or 0), theme.position, theme.id))
        )


class RunTheme(db.Model):
    """A theme of a run. ``key`` ("T01"...) is stable across reruns and review edits.

    ``stance``: stance -> count; ``quotes``/``summary``: [{"id": reference, "text"}];
    ``segments``: segment name -> value -> cells, as :mod:`analysis.segments` returns them.
    ``hidden`` themes were merged or split away and are kept for history and undo.
    ``describing``: a large merge's keywords and summary are being found by a worker.
    """

    __tablename__ = "run_theme"
    __table_args__ = (
        UniqueConstraint("run_id", "key", name="uq_run_theme_run_id_key"),
        CheckConstraint(_in("origin", THEME_ORIGINS), name="origin_valid"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    run_id: Mapped[int] = mapped_column(ForeignKey("analysis_run.id", ondelete="CASCADE"))
    key: Mapped[str] = mapped_column(String(10))
    position: Mapped[int] = mapped_column(Integer, default=0)
    label: Mapped[str] = mapped_column(String(300), default="")
    description: Mapped[str] = mapped_column(Text, default="", server_default="")
    keywords: Mapped[list[str]] = mapped_column(JSON, default=list)
    size: Mapped[int] = mapped_column(Integer, default=0)
    mentions: Mapped[int] = mapped_column(Integer, default=0)
    # of the mentions, how many make the label's own point (None: not measured, or the theme
    # was changed by a reviewer since)
    label_point: Mapped[int | None] = mapped_column(Integer)
    # the share of its answers making more than one point (analysis.mixed; None: not
    # measured, a run stored before, or a theme made by a reviewer's merge or split)
    multi_point: Mapped[float | None] = mapped_column(Float)
    share: Mapped[float] = mapped_column(Float, default=0.0)
    share_low: Mapped[float] = mapped_column(Float, default=0.0)
    share_high: Mapped[float] = mapped_column(Float, default=0.0)
    stance: Mapped[dict[str, int]] = mapped_column(JSON, default=dict)
    sentiment: Mapped[float | None] = mapped_column(Float)
    stability: Mapped[float | None] = mapped_column(Float)
    quotes: Mapped[list[dict[str, str]]] = mapped_column(JSON, default=list)
    summary: Mapped[list[dict[str, str]]] = mapped_column(JSON, default=list)
    # The summary sentences the label's count read that ``summary`` no longer lists (its
    # label's point in other words, another theme's label: analysis.stages.unlisted_points),
    # which a reviewer's recount reads as the run's count did (store33); None: a run stored
    # before, recounted from ``summary`` alone as then.
    unlisted_points: Mapped[list[str] | None] = mapped_column(JSON)
    segments: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    origin: Mapped[str] = mapped_column(String(10), default="machine", server_default="machine")
    reviewed_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    reviewed_by: Mapped[str | None] = mapped_column(String(320))
    hidden: Mapped[bool] = mapped_column(Boolean, default=False, server_default=false())
    # The merge (its ThemeEdit id) whose keywords and summary a worker is still finding for
    # this theme (:func:`consult.reports.merging.describe_later`); None once they are found.
    describing: Mapped[int | None] = mapped_column(Integer)

    run: Mapped[AnalysisRun] = relationship(back_populates="themes")


class RunAssignment(db.Model):
    """One response's coding in a run.

    ``theme_id`` is the primary theme (NULL: the non-substantive bucket); ``themes`` is
    [[theme key, confidence or null], ...] with the primary first; ``segments`` holds the
    response's {"partner_type", "area", "size_band"} codes at the time of the run.
    """

    __tablename__ = "run_assignment"
    __table_args__ = (
        UniqueConstraint("run_id", "response_id", name="uq_run_assignment_run_id_response_id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    run_id: Mapped[int] = mapped_column(ForeignKey("analysis_run.id", ondelete="CASCADE"))
    response_id: Mapped[int] = mapped_column(
        ForeignKey("response.id", ondelete="CASCADE"), index=True
    )
    reference: Mapped[str] = mapped_column(String(20))
    text: Mapped[str] = mapped_column(Text, default="")
    theme_id: Mapped[int | None] = mapped_column(
        ForeignKey("run_theme.id", ondelete="SET NULL"), nullable=True, index=True
    )
    themes: Mapped[list[list[Any]]] = mapped_column(JSON, default=list)
    confidence: Mapped[float | None] = mapped_column(Float)
    stance: Mapped[str | None] = mapped_column(String(20))
    sentiment: Mapped[float | None] = mapped_column(Float)
    duplicate_group: Mapped[str | None] = mapped_column(String(20))
    flags: Mapped[list[str]] = mapped_column(JSON, default=list)
    moved_by_hand: Mapped[bool] = mapped_column(Boolean, default=False, server_default=false())
    segments: Mapped[dict[str, str]] = mapped_column(JSON, default=dict)

    run: Mapped[AnalysisRun] = relationship(back_populates="assignments")
    theme: Mapped[RunTheme | None] = relationship()

    @property
    def theme_keys(self) -> list[str]:
        """Keys of every theme this response is coded to, primary first."""
        return [str(entry[0]) for entry in self.themes or []]


class ThemeEdit(db.Model):
    """A review operation on a run, keyed by theme keys and response references so it can be
    undone and replayed on a rerun. ``payload`` holds before/after (enough to undo)."""

    __tablename__ = "theme_edit"
    __table_args__ = (CheckConstraint(_in("kind", EDIT_KINDS), name="kind_valid"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    run_id: Mapped[int] = mapped_column(
        ForeignKey("analysis_run.id", ondelete="CASCADE"), index=True
    )
    kind: Mapped[str] = mapped_column(String(10))
    theme_keys: Mapped[list[str]] = mapped_column(JSON, default=list)
    payload: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    user_id: Mapped[int | None] = mapped_column(
        ForeignKey("user_account.id", ondelete="SET NULL"), nullable=True
    )
    user_email: Mapped[str] = mapped_column(String(320), default="", server_default="")
    at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    undone_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    undone_by_edit_id: Mapped[int | None] = mapped_column(
        ForeignKey("theme_edit.id", ondelete="SET NULL"), nullable=True
    )

    run: Mapped[AnalysisRun] = relationship(back_populates="edits")


class WorkerHeartbeat(db.Model):
    """A background worker's last sign of life (one row per consumer process)."""

    __tablename__ = "worker_heartbeat"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(200), unique=True)
    started_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    seen_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow, index=True)
    busy_run_id: Mapped[int | None] = mapped_column(Integer)


# Removing a respondent's data removes the copies runs hold (mapper events).
from . import privacy  # noqa: E402, F401
