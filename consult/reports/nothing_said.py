"""How many of a run's answers said nothing substantive (in no theme), and the words the
question-by-question summaries use for it: the overview and the consultation Word report's
"What partners said" (smoke31), beside the run page and its Word report, which give each
share of two bases where many said nothing (:mod:`analysis.bases`, smoke18r #7)."""

from __future__ import annotations

from sqlalchemy import func, select

from analysis.bases import bases_sentence

from ..extensions import db
from .models import AnalysisRun, RunAssignment


def nothing_said(run: AnalysisRun) -> int:
    """The run's answers that said nothing substantive: those in no theme."""
    return int(
        db.session.scalar(
            select(func.count(RunAssignment.id)).where(
                RunAssignment.run_id == run.id, RunAssignment.theme_id.is_(None)
            )
        )
        or 0
    )


def overview_bases(answered: int, empty: int) -> str:
    """Under an overview table: the run page's sentence (:func:`analysis.bases.
    bases_sentence`) saying where the second share is, and that the partner types' shares
    are of all their answers; '' where one base is enough."""
    sentence = bases_sentence(answered, empty)
    if not sentence:
        return ""
    return (
        f"{sentence[:-1]}, in the “All” column. Each partner type's share is of all its "
        "answers, those saying nothing substantive included."
    )
