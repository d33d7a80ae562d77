"""Runs hold copies of answers (each assignment's text, each theme's quotes and summary).
When a respondent's data is removed, those copies go too:

- deleting a response deletes its assignments and drops its quotes from every run;
- deleting a written answer (anonymising a response removes its free-text answers) blanks
  that answer's text in the runs of its question and drops its quotes there; the coding
  itself (themes, stance, segments) stays for the counts, like the closed answers do.

These are mapper events, so they follow ``session.delete`` wherever it is called (the staff
pages, ``flask purge``, the retention module).
"""

from __future__ import annotations

from sqlalchemy import event, select, update

from ..models import Answer, Response
from .models import AnalysisRun, RunAssignment, RunTheme

REMOVED = "[removed]"


def _drop_quotes(connection, run_filter, reference: str) -> None:
    """Remove the response's quotes and summary sentences from the matching runs' themes."""
    themes = connection.execute(
        select(RunTheme.id, RunTheme.quotes, RunTheme.summary)
        .join(AnalysisRun, AnalysisRun.id == RunTheme.run_id)
        .where(run_filter)
    ).all()
    for theme_id, quotes, summary in themes:
        kept_quotes = [q for q in quotes or [] if q.get("id") != reference]
        kept_summary = [s for s in summary or [] if s.get("id") != reference]
        if kept_quotes != (quotes or []) or kept_summary != (summary or []):
            connection.execute(
                update(RunTheme)
                .where(RunTheme.id == theme_id)
                .values(quotes=kept_quotes, summary=kept_summary)
            )


@event.listens_for(Response, "before_delete")
def _response_deleted(mapper, connection, target: Response) -> None:
    connection.execute(
        RunAssignment.__table__.delete().where(RunAssignment.response_id == target.id)
    )
    in_consultation = AnalysisRun.consultation_id == target.consultation_id
    _drop_quotes(connection, in_consultation, target.reference)


@event.listens_for(Answer, "before_delete")
def _answer_deleted(mapper, connection, target: Answer) -> None:
    runs = select(AnalysisRun.id).where(AnalysisRun.question_id == target.question_id)
    connection.execute(
        update(RunAssignment)
        .where(RunAssignment.response_id == target.response_id, RunAssignment.run_id.in_(runs))
        .values(text=REMOVED)
    )
    reference = connection.execute(
        select(Response.reference).where(Response.id == target.response_id)
    ).scalar()
    if reference:
        _drop_quotes(connection, AnalysisRun.question_id == target.question_id, reference)
