"""Runs hold copies of answers (each assignment's text, each theme's quotes and summary).
When a respondent's data is removed, those copies go too:

- deleting a response deletes its assignments and drops its quotes from every run;
- deleting a written answer (anonymising a response removes its free-text answers) blanks
  that answer's text in the runs of its question and drops its quotes there; the coding
  itself (themes, stance, segments) stays for the counts, like the closed answers do;
- either way, the review edits' recorded "before" states (kept for undo) lose the same quotes
  and summary sentences, so an undo cannot bring them back.

Coding against a codebook is treated the same way, except that a code without its answer
means nothing: deleting a response, or its written answer, deletes its human, settled and
machine codes, takes it out of the model's "code these next" suggestions and drops the codebook
examples quoted from it (by reference; by exact text for examples typed or imported).

These are mapper events, so they follow ``session.delete`` wherever it is called (the staff
pages, ``flask purge``, the retention module).
"""

from __future__ import annotations

from sqlalchemy import event, select, update

from ..models import Answer, Response
from .coding_models import (
    Codebook,
    CodebookTheme,
    HumanCode,
    MachineCode,
    MachineCoding,
    SettledCode,
)
from .models import AnalysisRun, RunAssignment, RunTheme, ThemeEdit

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


def _forget_unlisted(connection, run_ids) -> None:
    """Forget the runs' themes' ``unlisted_points`` (summary sentences, taken from answers,
    that the summaries no longer list, store33): they are kept without the response they
    came from, so a removed response's sentence cannot be told from the others'. A recount
    then reads each summary alone, as for a run stored before (rev33a)."""
    connection.execute(
        update(RunTheme)
        .where(RunTheme.run_id.in_(run_ids), RunTheme.unlisted_points.is_not(None))
        .values(unlisted_points=None)
    )


def _scrubbed_dump(dump: dict, reference: str, forget_unlisted: bool) -> dict:
    """A theme's recorded state (an edit's "before") without the response's quotes and
    summary sentences, and without its unlisted points when the response was in the run."""
    kept = dict(dump)
    for field in ("quotes", "summary"):
        if isinstance(kept.get(field), list):
            kept[field] = [
                item
                for item in kept[field]
                if not (isinstance(item, dict) and item.get("id") == reference)
            ]
    if forget_unlisted and kept.get("unlisted_points") is not None:
        kept["unlisted_points"] = None
    return kept


def _scrub_edits(connection, run_filter, reference: str, member_of: list[int]) -> None:
    """Remove the response's quotes and summary sentences from the themes the matching runs'
    review edits recorded for undo, and forget their unlisted points in the runs the
    response was in (as :func:`_drop_quotes` and :func:`_forget_unlisted` do for the themes
    themselves): otherwise undoing an edit made before the removal would bring its words
    back."""
    edits = connection.execute(
        select(ThemeEdit.id, ThemeEdit.run_id, ThemeEdit.payload)
        .join(AnalysisRun, AnalysisRun.id == ThemeEdit.run_id)
        .where(run_filter)
    ).all()
    members = set(member_of)
    for edit_id, run_id, payload in edits:
        before = (payload or {}).get("before")
        if not isinstance(before, dict) or not isinstance(before.get("themes"), list):
            continue
        dumps = [
            _scrubbed_dump(dump, reference, run_id in members) if isinstance(dump, dict) else dump
            for dump in before["themes"]
        ]
        if dumps != before["themes"]:
            connection.execute(
                update(ThemeEdit)
                .where(ThemeEdit.id == edit_id)
                .values(payload={**payload, "before": {**before, "themes": dumps}})
            )


def _drop_coding(
    connection, codebook_filter, response_id: int, reference: str, text: str | None = None
) -> None:
    """Remove one response's codes, suggestions and quoted examples from the matching
    codebooks (their machine codings included)."""
    codebooks = select(Codebook.id).where(codebook_filter)
    connection.execute(
        HumanCode.__table__.delete().where(
            HumanCode.response_id == response_id, HumanCode.codebook_id.in_(codebooks)
        )
    )
    connection.execute(
        SettledCode.__table__.delete().where(
            SettledCode.response_id == response_id, SettledCode.codebook_id.in_(codebooks)
        )
    )
    codings = select(MachineCoding.id).where(MachineCoding.codebook_id.in_(codebooks))
    connection.execute(
        MachineCode.__table__.delete().where(
            MachineCode.response_id == response_id, MachineCode.coding_id.in_(codings)
        )
    )
    for coding_id, suggestions in connection.execute(
        select(MachineCoding.id, MachineCoding.suggestions).where(
            MachineCoding.codebook_id.in_(codebooks)
        )
    ).all():
        kept = [s for s in suggestions or [] if s.get("response_id") != response_id]
        if kept != (suggestions or []):
            connection.execute(
                update(MachineCoding).where(MachineCoding.id == coding_id).values(suggestions=kept)
            )
    quoted = (text or "").strip()
    for theme_id, examples, references in connection.execute(
        select(CodebookTheme.id, CodebookTheme.examples, CodebookTheme.example_references).where(
            CodebookTheme.codebook_id.in_(codebooks)
        )
    ).all():
        examples = list(examples or [])
        references = list(references or []) + [""] * (len(examples) - len(references or []))
        kept = [
            (example, ref)
            for example, ref in zip(examples, references, strict=False)
            if ref != reference and not (quoted and example.strip() == quoted)
        ]
        if len(kept) != len(examples):
            connection.execute(
                update(CodebookTheme)
                .where(CodebookTheme.id == theme_id)
                .values(
                    examples=[example for example, _ in kept],
                    example_references=[ref for _, ref in kept],
                )
            )


@event.listens_for(Response, "before_delete")
def _response_deleted(mapper, connection, target: Response) -> None:
    member_of = list(
        connection.execute(
            select(RunAssignment.run_id).where(RunAssignment.response_id == target.id).distinct()
        ).scalars()
    )
    _forget_unlisted(connection, member_of)
    connection.execute(
        RunAssignment.__table__.delete().where(RunAssignment.response_id == target.id)
    )
    in_consultation = AnalysisRun.consultation_id == target.consultation_id
    _drop_quotes(connection, in_consultation, target.reference)
    _scrub_edits(connection, in_consultation, target.reference, member_of)
    _drop_coding(
        connection, Codebook.consultation_id == target.consultation_id, target.id, target.reference
    )


@event.listens_for(Answer, "before_delete")
def _answer_deleted(mapper, connection, target: Answer) -> None:
    runs = select(AnalysisRun.id).where(AnalysisRun.question_id == target.question_id)
    member_of = list(
        connection.execute(
            select(RunAssignment.run_id)
            .where(RunAssignment.response_id == target.response_id, RunAssignment.run_id.in_(runs))
            .distinct()
        ).scalars()
    )
    _forget_unlisted(connection, member_of)
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
        _scrub_edits(
            connection, AnalysisRun.question_id == target.question_id, reference, member_of
        )
    _drop_coding(
        connection,
        Codebook.question_id == target.question_id,
        target.response_id,
        reference or "",
        target.value,
    )
