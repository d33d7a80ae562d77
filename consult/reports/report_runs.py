"""Which run of each question the consultation-wide reports use (smoke walk 8, finding 8).

The reports overview, the consultation Word report and a response's page (its answers with
their themes) show one run per question: the newest successful run that people have
reviewed (a review edit still in force, or a theme marked reviewed), else the newest
successful run. A rerun made to check stability (a new seed) is newer but unreviewed, so it
no longer pushes aside the run whose themes were merged, split or marked reviewed; the run
used is named, with the newer run when there is one (:func:`shown_runs` gives both).

Request-free: views and documents call these; nothing here reads a request.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import func, select

from ..extensions import db
from ..models import Consultation
from .models import AnalysisRun, RunTheme, ThemeEdit


def reviewed_run_ids(consultation: Consultation) -> set[int]:
    """The consultation's runs with a review edit not undone (an undo is no review) or a
    theme marked reviewed."""
    mine = select(AnalysisRun.id).where(AnalysisRun.consultation_id == consultation.id)
    edited = select(ThemeEdit.run_id).where(
        ThemeEdit.run_id.in_(mine), ThemeEdit.kind != "undo", ThemeEdit.undone_at.is_(None)
    )
    marked = select(RunTheme.run_id).where(
        RunTheme.run_id.in_(mine), RunTheme.reviewed_at.is_not(None)
    )
    return set(db.session.scalars(edited.union(marked)))


def newest_runs(consultation: Consultation) -> dict[int, AnalysisRun]:
    """Each question's newest successful run: question id -> run."""
    newest = (
        select(func.max(AnalysisRun.id))
        .where(AnalysisRun.consultation_id == consultation.id, AnalysisRun.status == "succeeded")
        .group_by(AnalysisRun.question_id)
    )
    found = db.session.scalars(select(AnalysisRun).where(AnalysisRun.id.in_(newest))).all()
    return {run.question_id: run for run in found}


def report_runs(
    consultation: Consultation, newest: dict[int, AnalysisRun] | None = None
) -> dict[int, AnalysisRun]:
    """Each question's run for the consultation-wide reports: its newest successful reviewed
    run (:func:`reviewed_run_ids`), else its newest successful run (``newest``: the
    consultation's :func:`newest_runs`, when the caller has them already)."""
    chosen = dict(newest_runs(consultation) if newest is None else newest)
    reviewed = reviewed_run_ids(consultation)
    if reviewed:
        newest_reviewed = (
            select(func.max(AnalysisRun.id))
            .where(AnalysisRun.id.in_(reviewed), AnalysisRun.status == "succeeded")
            .group_by(AnalysisRun.question_id)
        )
        for run in db.session.scalars(
            select(AnalysisRun).where(AnalysisRun.id.in_(newest_reviewed))
        ):
            chosen[run.question_id] = run
    return chosen


#: What a run in :func:`reviewed_run_ids` is called where the reports name it: a review edit
#: still in force or a theme marked reviewed (a mark is in the run's edit history too). Not
#: plain "reviewed", which the codebook pages use of a theme marked reviewed (smoke walk 13).
EDITED = "edited in review"


def run_note(run: AnalysisRun, newest: AnalysisRun | None) -> str:
    """Why this run is the one shown, when it is not the newest: "the newest run edited in
    review; run 4 is newer and not edited in review"; "" when it is the newest."""
    if newest is None or newest.id == run.id:
        return ""
    return f"the newest run {EDITED}; run {newest.id} is newer and not {EDITED}"


@dataclass(frozen=True)
class ShownRun:
    """A question's run as the reports use it, and why it is the one (:func:`run_note`: ""
    when it is the question's newest run)."""

    run: AnalysisRun
    note: str = ""


def shown_runs(consultation: Consultation) -> dict[int, ShownRun]:
    """Each question's run for the reports (:func:`report_runs`) with its note: question id
    -> :class:`ShownRun`. The one choice the overview, the consultation Word report and a
    response's page all make."""
    newest = newest_runs(consultation)
    return {
        question_id: ShownRun(run, run_note(run, newest.get(question_id)))
        for question_id, run in report_runs(consultation, newest).items()
    }
