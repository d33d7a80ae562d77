"""Why a run's theme numbers skip or come out of order, and which run it was compared with.

A run of a question analysed before is stored against the question's latest successful run
(``previous_run_id``: :func:`consult.reports.runs.start_run`): its themes take the earlier
run's keys where they match one (:func:`consult.reports.runs.stable_keys`) and the review
edits carry over. The page listed "T05, T02, T01, T03, T10" with nothing to say why, and
"Reran: run 1" for a run started fresh with another engine (smoke16 finding 5). A run is a
"rerun" here only when it used the same engine and the settings that shape its themes as
the run it follows; otherwise it was "compared with" that run. The engine is the one a run
uses, known before it finishes when it asks for one by name (leftovers, fixr2).
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import func, select

from ..extensions import db
from .models import AnalysisRun, RunAssignment, RunTheme, ThemeEdit

# The settings that shape a run's themes (segments only break them down).
SHAPING = ("n_themes", "seed", "side_margin")


def compared_run(run: AnalysisRun) -> AnalysisRun | None:
    """The run whose theme keys this run follows, or None (a first run, or that run deleted)."""
    if not run.previous_run_id:
        return None
    return db.session.get(AnalysisRun, run.previous_run_id)


def _engine(run: AnalysisRun, asked: str) -> str | None:
    """The engine a run used, or will use: the one it used once it has one; while it is
    queued or running, the engine it asked for by name (a run asking for "semantic" uses
    it or fails), else None ("auto" chooses when it starts)."""
    if run.engine_used:
        return run.engine_used
    return asked if asked != "auto" else None


def _shaping(run: AnalysisRun) -> tuple[Any, ...] | None:
    """The engine asked for, the engine used (or to be used, None when not known yet) and
    the shaping settings, normalised; None when they cannot be read."""
    from .runs import RunError, normalise_settings

    try:
        settings = normalise_settings(run.settings)
    except RunError:
        return None
    asked = settings["engine"]
    return (asked, _engine(run, asked), *(settings[name] for name in SHAPING))


def is_rerun(run: AnalysisRun, earlier: AnalysisRun) -> bool | None:
    """Whether ``run`` repeated ``earlier``: the same engine, themes asked for, seed and side
    margin (the answers may have changed since); None when that waits on the engine an
    "auto" run not started yet will choose.

    The engines compared are the ones the runs use, known before a run finishes when it asks
    for one by name, so the answer does not change when it finishes: a queued "semantic" run
    after an "auto" run that used semantic said "Compared with" while it ran and "Reran"
    once done (fixr2), as a queued "auto" run beside a finished semantic one had (review
    fixr2 #2). A run asking for "auto" after one that asked for "auto" is taken to choose
    as that one did (the same rule on the same installation)."""
    mine, theirs = _shaping(run), _shaping(earlier)
    if mine is None or theirs is None:
        return False
    if mine[2:] != theirs[2:]:
        return False
    engine, earlier_engine = mine[1], theirs[1]
    if engine is None and mine[0] == theirs[0] == "auto":
        engine = earlier_engine
    if engine is None or earlier_engine is None:
        return None
    return engine == earlier_engine


# Answers compared per read when checking two runs' themes answer by answer.
SAME_THEMES_CHUNK = 1000


def _labels(run: AnalysisRun) -> dict[str, str]:
    """Each shown theme's label."""
    return dict(
        db.session.execute(
            select(RunTheme.key, RunTheme.label).where(
                RunTheme.run_id == run.id, RunTheme.hidden.is_(False)
            )
        ).all()
    )


def _answer_count(run: AnalysisRun) -> int:
    return int(
        db.session.scalar(
            select(func.count(RunAssignment.id)).where(RunAssignment.run_id == run.id)
        )
        or 0
    )


def _chunk(run: AnalysisRun, after: int | None) -> list[tuple[int, str, tuple[str, ...]]]:
    """The next answers of ``run`` by response, after response ``after``: (response id,
    reference, its themes with the main theme first)."""
    query = select(RunAssignment.response_id, RunAssignment.reference, RunAssignment.themes).where(
        RunAssignment.run_id == run.id
    )
    if after is not None:
        query = query.where(RunAssignment.response_id > after)
    query = query.order_by(RunAssignment.response_id).limit(SAME_THEMES_CHUNK)
    return [
        (response_id, reference, tuple(str(entry[0]) for entry in themes or []))
        for response_id, reference, themes in db.session.execute(query)
    ]


def _same_answers(run: AnalysisRun, earlier: AnalysisRun) -> bool:
    """Whether every answer has the same themes in both runs, read a chunk at a time from
    both in response order and stopping at the first difference (review fixr17b #3: both
    runs were read whole on every view)."""
    after = None
    while True:
        mine, theirs = _chunk(run, after), _chunk(earlier, after)
        if mine != theirs:
            return False
        if len(mine) < SAME_THEMES_CHUNK:
            return True
        after = mine[-1][0]


def _edits_mark(run: AnalysisRun, earlier: AnalysisRun) -> list[list[int | None]]:
    """What the review edits of both runs are now, in one aggregate: [run id, edits, last
    edit id, undone] each. Every review edit (an undo too) changes it."""
    rows = db.session.execute(
        select(
            ThemeEdit.run_id,
            func.count(ThemeEdit.id),
            func.max(ThemeEdit.id),
            func.count(ThemeEdit.undone_at),
        )
        .where(ThemeEdit.run_id.in_([run.id, earlier.id]))
        .group_by(ThemeEdit.run_id)
    )
    return sorted([int(a), int(b), None if c is None else int(c), int(d)] for a, b, c, d in rows)


def _compared(run: AnalysisRun, earlier: AnalysisRun) -> bool:
    return (
        _labels(run) == _labels(earlier)
        and _answer_count(run) == _answer_count(earlier)
        and _same_answers(run, earlier)
    )


def note_same_themes(run: AnalysisRun) -> None:
    """When a run finishes (its results and carried-over edits stored): whether it has the
    same themes as the run it follows, kept in its summary with the edits of both runs as
    they are, so the report need not compare the answers on each view while neither run
    has been edited since (review fixr17b #3)."""
    earlier = compared_run(run)
    if earlier is None or earlier.status != "succeeded":
        return
    run.summary = {
        **(run.summary or {}),
        "same_themes": {
            "as_run": earlier.id,
            "same": _compared(run, earlier),
            "edits": _edits_mark(run, earlier),
        },
    }


def same_themes(run: AnalysisRun, earlier: AnalysisRun) -> bool:
    """Whether both runs finished with the same themes: every answer has the same themes
    under the same numbers, and each theme the same label. A rerun with another seed can give
    exactly the earlier grouping (smoke17 #2); the page then says so. As found when the run
    finished (:func:`note_same_themes`) while neither run has been edited since; else the
    cheap things are compared first (labels, how many answers), then the answers a chunk at
    a time, stopping at the first difference."""
    if run.status != "succeeded" or earlier.status != "succeeded":
        return False
    mark = _edits_mark(run, earlier)
    stored = (run.summary or {}).get("same_themes") or {}
    if stored.get("as_run") == earlier.id and stored.get("edits") == mark:
        return bool(stored.get("same"))
    # Edited since it finished: compared once per edit (in each web process), not on each
    # view (left18; BENCHMARKS.md "left18").
    labels = _labels(run)
    if labels != _labels(earlier):  # cheap, and a worker may relabel after the edit
        return False
    key = _cache_key(run, earlier, mark)
    if key in _SAME_CACHE:
        return _SAME_CACHE[key]
    same = _compared(run, earlier)
    if len(_SAME_CACHE) >= SAME_CACHE_SIZE:
        _SAME_CACHE.pop(next(iter(_SAME_CACHE)))  # the oldest
    _SAME_CACHE[key] = same
    return same


# Comparisons of edited runs, by what decides them: the database, both runs (and when each
# finished: a retried run finishes again with new results) and their edits as they are now.
SAME_CACHE_SIZE = 256
_SAME_CACHE: dict[tuple, bool] = {}


def _cache_key(run: AnalysisRun, earlier: AnalysisRun, mark: list[list[int | None]]) -> tuple:
    return (
        db.engine.url.render_as_string(hide_password=True),
        run.id,
        str(run.finished_at),
        earlier.id,
        str(earlier.finished_at),
        repr(mark),
    )


def _same_note(run: AnalysisRun, earlier: AnalysisRun) -> str:
    if not same_themes(run, earlier):
        return ""
    return (
        f"Same themes as run {earlier.id}: every answer has the same themes, with the same labels."
    )


def lineage_row(run: AnalysisRun) -> tuple[str, str] | None:
    """The run details' row naming the earlier run: ("Reran", "run 1 (same engine and
    settings)") or ("Compared with", "run 1: ..."), the same while the run is queued or
    running as once it has finished, each ending "Same themes as run 1: ..." when nothing
    changed; ("Follows", "run 1 ...") while an "auto" run has not chosen an engine to
    compare; None for a first run."""
    earlier = compared_run(run)
    if earlier is None:
        return None
    rerun = is_rerun(run, earlier)
    carried = (
        f"A theme that is mostly the same answers as one in run {earlier.id} keeps its "
        f"number, and run {earlier.id}'s review edits carry over."
    )
    if rerun is None:
        return (
            "Follows",
            f"run {earlier.id}. {carried} Whether it is a rerun is known once this run has "
            "chosen its engine.",
        )
    same = _same_note(run, earlier)
    if rerun:
        return (
            "Reran",
            f"run {earlier.id} (same engine and settings)" + (f". {same}" if same else ""),
        )
    return (
        "Compared with",
        f"run {earlier.id}: a new analysis with another engine or settings, not a rerun. "
        + carried
        + (f" {same}" if same else ""),
    )


def kept_numbers(run: AnalysisRun, earlier: AnalysisRun) -> tuple[int, int]:
    """(machine themes that kept one of the earlier run's numbers, machine themes): a new
    theme's number is above any the question has used, so a number the earlier run has was
    carried over."""
    keys = db.session.scalars(
        select(RunTheme.key).where(RunTheme.run_id == run.id, RunTheme.origin == "machine")
    ).all()
    before = set(db.session.scalars(select(RunTheme.key).where(RunTheme.run_id == earlier.id)))
    return sum(key in before for key in keys), len(keys)


def numbering_note(run: AnalysisRun) -> str:
    """The sentences under the themes table saying why the numbers skip or are out of order:
    the themes that are mostly the same answers as one of the earlier run's keep its number
    (:data:`consult.reports.runs.SAME_THEME_OVERLAP`), and how many did; '' for a first run."""
    earlier = compared_run(run)
    if earlier is None:
        return ""
    kept, themes = kept_numbers(run, earlier)
    rule = (
        f"A theme keeps a number from run {earlier.id} only when it is mostly the same "
        "answers: the answers they share are at least half of all the answers in either. Any "
        "other theme takes the next unused number, so numbers "
        "can skip and are not in order of size. Numbers are kept so that a reviewer can "
        "follow a theme from run to run, with its review edits."
    )
    if not kept and themes:
        return (
            f"Theme numbers do not follow run {earlier.id}: no theme here is mostly the same "
            f"answers as one of run {earlier.id}'s. {rule}"
        )
    return (
        f"Theme numbers follow run {earlier.id} where a theme is the same: {kept} of "
        f"{themes} themes keep run {earlier.id}'s numbers. {rule}"
    )


def carried_note(run: AnalysisRun | None) -> str:
    """The sentences beside a list of a run's themes outside its report (the theme reports'
    overview) saying why its numbers skip and are out of order when they carry over from an
    earlier run (smoke34: run 7 listed T09, T02, T10, T11, T03, ... and the overview said
    only that numbers "come from an earlier run"); '' for a first run."""
    earlier = compared_run(run) if run is not None else None
    if earlier is None:
        return ""
    return (
        f"Their numbers carry over from run {earlier.id}: a theme that is mostly the same "
        f"answers as one of run {earlier.id}'s keeps its number, so a reviewer can follow it "
        "from run to run, and a new theme takes the next unused number. So the numbers can "
        "skip and be out of order here."
    )
