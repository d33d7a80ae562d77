"""Why a run's theme numbers skip or come out of order, and which run it was compared with.

A run of a question analysed before is stored against the question's latest successful run
(``previous_run_id``: :func:`consult.reports.runs.start_run`): its themes take the earlier
run's keys where they match one (:func:`consult.reports.runs.stable_keys`) and the review
edits carry over. The page listed "T05, T02, T01, T03, T10" with nothing to say why, and
"Reran: run 1" for a run started fresh with another engine (smoke16 finding 5). A run is a
"rerun" here only when it used the same engine and the settings that shape its themes as
the run it follows; otherwise it was "compared with" that run.
"""

from __future__ import annotations

from typing import Any

from ..extensions import db
from .models import AnalysisRun

# The settings that shape a run's themes (segments only break them down).
SHAPING = ("n_themes", "seed", "side_margin")


def compared_run(run: AnalysisRun) -> AnalysisRun | None:
    """The run whose theme keys this run follows, or None (a first run, or that run deleted)."""
    if not run.previous_run_id:
        return None
    return db.session.get(AnalysisRun, run.previous_run_id)


def _shaping(run: AnalysisRun, used: bool) -> tuple[Any, ...] | None:
    """The engine (the one used when ``used``, else the one asked for) and the shaping
    settings, normalised; None when they cannot be read."""
    from .runs import RunError, normalise_settings

    try:
        settings = normalise_settings(run.settings)
    except RunError:
        return None
    engine = run.engine_used if used else settings["engine"]
    return (engine, *(settings[name] for name in SHAPING))


def is_rerun(run: AnalysisRun, earlier: AnalysisRun) -> bool:
    """Whether ``run`` repeated ``earlier``: the same engine, themes asked for, seed and side
    margin (the answers may have changed since). The engines compared are the ones used when
    both runs have finished, else the ones asked for: a queued or running "auto" run said
    "another engine" beside a finished semantic one until it finished, then "Reran"
    (review fixr2 #2)."""
    used = bool(run.engine_used and earlier.engine_used)
    mine = _shaping(run, used)
    return mine is not None and mine == _shaping(earlier, used)


def lineage_row(run: AnalysisRun) -> tuple[str, str] | None:
    """The run details' row naming the earlier run: ("Reran", "run 1 (same engine and
    settings)") or ("Compared with", "run 1: a new analysis ..."); None for a first run."""
    earlier = compared_run(run)
    if earlier is None:
        return None
    if is_rerun(run, earlier):
        return ("Reran", f"run {earlier.id} (same engine and settings)")
    return (
        "Compared with",
        f"run {earlier.id}: a new analysis with another engine or settings, not a rerun. "
        f"A theme that matches one in run {earlier.id} keeps its number, and run "
        f"{earlier.id}'s review edits carry over.",
    )


def numbering_note(run: AnalysisRun) -> str:
    """The sentence under the themes table saying why the numbers skip or are out of order:
    they follow the earlier run's; '' for a first run."""
    earlier = compared_run(run)
    if earlier is None:
        return ""
    return (
        f"Theme numbers follow run {earlier.id}: a theme that matches one in run {earlier.id} "
        "keeps its number. A new theme takes the next unused number, so numbers can skip and "
        "are not in order of size."
    )
