"""Answers that fit no theme well: read from a run's stored assignments.

The engine flags an answer ``fits_no_theme`` when few other answers come close to it
(:mod:`analysis.fit`); it stays counted in its nearest theme. The report page, Word and Excel
say how many there are, which theme holds each, and list them, so an off-topic answer is
not silently read as part of a theme (finding 3 of the seventh smoke walk). Counted from
the stored flags and themes, so a reviewer's merge, split or move is reflected.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import String, cast, func, select

from analysis.flags import FIT_FLAG
from analysis.report import fit_words

from ..extensions import db
from .models import AnalysisRun, RunAssignment, RunTheme

HEADING = "Answers that fit no theme"
# Listed in full up to this many; beyond, the list says how many more the coding download has.
LISTED = 50


@dataclass(frozen=True)
class PoorFit:
    """One answer few other answers come close to, and the theme it is counted in."""

    reference: str
    text: str
    theme_key: str | None
    theme_label: str | None
    response_id: int | None


def _is_poor_fit():
    return cast(RunAssignment.flags, String).like(f'%"{FIT_FLAG}"%')


def poor_fits(run: AnalysisRun, limit: int | None = LISTED) -> list[PoorFit]:
    """The run's first ``limit`` answers flagged ``fits_no_theme`` (None: all), in the order
    the engine read them: a page reads a bounded number of rows however many answers."""
    rows = db.session.execute(
        select(
            RunAssignment.reference,
            RunAssignment.text,
            RunTheme.key,
            RunTheme.label,
            RunAssignment.response_id,
        )
        .outerjoin(RunTheme, RunTheme.id == RunAssignment.theme_id)
        .where(RunAssignment.run_id == run.id, _is_poor_fit())
        .order_by(RunAssignment.id)
        .limit(limit)
    ).all()
    return [PoorFit(*row) for row in rows]


def counts_by_theme(run: AnalysisRun) -> dict[str | None, int]:
    """Theme key (None: in no theme) -> how many of its main-theme answers fit no theme
    well; one aggregate query."""
    rows = db.session.execute(
        select(RunTheme.key, func.count(RunAssignment.id))
        .outerjoin(RunTheme, RunTheme.id == RunAssignment.theme_id)
        .where(RunAssignment.run_id == run.id, _is_poor_fit())
        .group_by(RunTheme.key)
    ).all()
    return {key: int(n) for key, n in rows}


def fit_sentence(count: int, answered: int) -> str:
    """The report's one sentence on them, without its full stop ('' when there are none):
    the page ends it with a link to the list, Word with the list's heading. The CLI's report
    says the same, and where they are flagged (:func:`analysis.report.fit_words`)."""
    return fit_words(count, answered)


def theme_fit_words(count: int, size: int) -> str:
    """A theme's note ('' when none of its answers is flagged): "2 of its 38 answers fit no
    theme well: counted here, but few other answers come close to them."."""
    if not count:
        return ""
    one = count == 1
    return (
        f"{count:,} of its {size:,} answers {'fits' if one else 'fit'} no theme well: counted "
        f"here, but few other answers come close to {'it' if one else 'them'}."
    )
