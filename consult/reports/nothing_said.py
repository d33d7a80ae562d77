"""How many of a run's answers said nothing substantive (in no theme), and the words the
question-by-question summaries use for it: the overview and the consultation Word report's
"What partners said" (smoke31), beside the run page and its Word report, which give each
share of two bases where many said nothing (:mod:`analysis.bases`, smoke18r #7)."""

from __future__ import annotations

from collections.abc import Iterable

from sqlalchemy import func, select

from analysis.bases import SOMETHING_TO_SAY, bases_sentence, second_base, whole_percent

from ..extensions import db
from .models import AnalysisRun, RunAssignment


def nothing_said(run: AnalysisRun) -> int:
    """The run's answers that said nothing substantive: those in no theme."""
    return nothing_said_by_run([run.id])[run.id]


def nothing_said_by_run(run_ids: Iterable[int]) -> dict[int, int]:
    """Each run's answers that said nothing substantive (those in no theme), by run id, in
    one query (0 for a run with none): the overview and the consultation Word report ask for
    every question's at once (rev31)."""
    ids = sorted(set(run_ids))
    counts = dict.fromkeys(ids, 0)
    if ids:
        counts.update(
            db.session.execute(
                select(RunAssignment.run_id, func.count(RunAssignment.id))
                .where(RunAssignment.run_id.in_(ids), RunAssignment.theme_id.is_(None))
                .group_by(RunAssignment.run_id)
            ).all()
        )
    return {run_id: int(count) for run_id, count in counts.items()}


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


def theme_bases(size: int, mentions: int, answered: int, empty: int) -> str:
    """On a theme's page, after its shares of the ``answered``: the same shares of those with
    something to say, where many said nothing substantive (:func:`analysis.bases.
    second_base`): "Of the 110 with something to say (77 of the 187 answered said nothing
    substantive): main theme of 24%, mentioned by 33%."; '' where one base is enough."""
    base = second_base(answered, empty)
    if not base:
        return ""
    return (
        f"Of the {base:,} {SOMETHING_TO_SAY} ({empty:,} of the {answered:,} answered said "
        f"nothing substantive): main theme of {whole_percent(size / base)}, mentioned by "
        f"{whole_percent(mentions / base)}."
    )
