"""Which run of each question the consultation-wide reports use (smoke walk 8, finding 8).

The reports overview and the consultation Word report show one run per question: the newest
successful run that people have reviewed (a review edit still in force, or a theme marked
reviewed), else the newest successful run. A rerun made to check stability (a new seed) is
newer but unreviewed, so it no longer pushes aside the run whose themes were merged, split
or marked reviewed; the run used is named, with the newer run when there is one.
"""

from __future__ import annotations

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


def report_runs(consultation: Consultation) -> dict[int, AnalysisRun]:
    """Each question's run for the consultation-wide reports: its newest successful reviewed
    run (:func:`reviewed_run_ids`), else its newest successful run."""
    chosen = newest_runs(consultation)
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


def run_note(run: AnalysisRun, newest: AnalysisRun | None) -> str:
    """Why this run is the one shown, when it is not the newest: "the newest reviewed run;
    run 4 is newer and not reviewed"; "" when it is the newest."""
    if newest is None or newest.id == run.id:
        return ""
    return f"the newest reviewed run; run {newest.id} is newer and not reviewed"
