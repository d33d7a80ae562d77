"""The worker's half of a large move, create or rename (:func:`consult.reports.review.
move_responses`, :func:`~consult.reports.review.create_theme` and
:func:`~consult.reports.review.rename_theme` with ``recount_at_most``): the request made the
change of grouping (or of name) and counted the themes' sizes, shares and breakdowns, and
left the themes it changed waiting (``describing`` set to the edit's id); here each waiting
theme's label point and summary points are counted again over the answers mentioning it
(:func:`consult.reports.review._count_changed`), and a created theme is first described from
its answers (:func:`consult.reports.review._describe_created`): what the request would have
stored.

The job is a large merge's (:func:`consult.reports.merging.describe_later`, queued by
:func:`consult.reports.queue.enqueue_describe` with one waiting theme's id): one job does
every theme of the edit. Each write is a compare-and-set on ``describing``, as a merge's: an
undo committed while the engine worked (it restores ``describing`` as it was before the
edit) wins.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from sqlalchemy import update

from ..extensions import db
from .edit_keywords import contrasted_keywords
from .models import AnalysisRun, RunTheme, ThemeEdit

# The edits whose counting a worker may be left (RECOUNT_IN_REQUEST_AT_MOST)
RECOUNT_KINDS = ("move", "create", "rename")


@dataclass(frozen=True)
class Waiting:
    """What the report says of a theme waiting for a worker: ``short`` (in place of its
    keywords, or before ``rest`` in place of its summary); ``recount``: only its counts are
    being found (after a move, create or rename), so its keywords and summary still show;
    ``points``: how many answers make each summary point is among them (a run whose engine
    counts points, :func:`counts_points`), so each point says "counting again…"."""

    short: str
    rest: str
    recount: bool = False
    points: bool = False


RELOAD = "reload the page in a moment."
WAITING = {
    "merge": Waiting(
        "Describing the merged theme…",
        f"its summary is being found from its answers: {RELOAD}",
    ),
    "split": Waiting(
        "Describing this part of the split theme…",
        f"its name, quotes and summary are being found from its answers: {RELOAD}",
    ),
    "created": Waiting(
        "Describing the new theme…",
        f"its keywords and summary are being found from its answers: {RELOAD}",
    ),
    "move": Waiting(
        "Counting again after the move…",
        f"how many of its answers make each point below is being found: {RELOAD}",
        recount=True,
        points=True,
    ),
    "create": Waiting(
        "Counting again after a new theme took some of its answers…",
        f"how many of its answers make each point below is being found: {RELOAD}",
        recount=True,
        points=True,
    ),
    "rename": Waiting(
        "Counting again after the rename…",
        "how many of its answers make its name's point and each point below is being "
        f"found: {RELOAD}",
        recount=True,
        points=True,
    ),
}
# The same for a run whose engine never counts points (the fast engine's, smoke walk 13
# finding 3): its points never say how many answers make them, so none says "counting
# again…"; a move or create still finds the changed themes' keywords again.
NO_POINTS = {
    "move": Waiting(
        "Finding its keywords again after the move…",
        f"the words that set its answers apart are being found again: {RELOAD}",
        recount=True,
    ),
    "create": Waiting(
        "Finding its keywords again after a new theme took some of its answers…",
        f"the words that set its answers apart are being found again: {RELOAD}",
        recount=True,
    ),
    # not left to a worker any more (nothing to count); one left by older code
    "rename": Waiting("Saving the rename…", RELOAD.capitalize(), recount=True),
}


def counts_points(run: AnalysisRun) -> bool:
    """Whether ``run``'s engine counts how many answers make each summary point
    (:func:`analysis.group.counts_points`: the semantic engine, not the fast one)."""
    from analysis.group import counts_points as engine_counts

    return engine_counts(run.engine_used or (run.settings or {}).get("engine") or "")


def recount(run: AnalysisRun, edit: ThemeEdit) -> bool:
    """Count (and for a created theme, describe) the themes still waiting for ``edit`` and
    store them; True when every waiting theme's was stored (False: none waited, or an undo
    won)."""
    from . import review

    themes = review._themes(run)
    waiting = [t for t in themes if t.describing == edit.id and not t.hidden]
    if not waiting:
        db.session.rollback()
        return False
    created = set((edit.payload or {}).get("created") or [])
    with db.session.no_autoflush:
        for theme in waiting:
            if theme.key in created:
                review._describe_created(run, theme, _members(run, theme, edit), themes)
        # the keywords of the themes a move or create changed, against the other themes, as
        # the request finds them for a small edit (kwedit); a created theme's description
        # found its own from its answers alone. A rename changes no theme's answers.
        if edit.kind in ("move", "create"):
            found = contrasted_keywords(run, themes, [t.key for t in waiting])
            for theme in waiting:
                theme.keywords = found.get(theme.key, [])
        review._count_changed(run, themes, {t.key for t in waiting}, skip=created)
        found = {t.id: _shown(t) for t in waiting}
    db.session.rollback()  # nothing of the ORM's is written: only the compare-and-set below
    stored = 0
    for theme_id, values in found.items():
        done = db.session.execute(
            update(RunTheme)
            .where(RunTheme.id == theme_id, RunTheme.describing == edit.id)
            .values(**values, describing=None)
        )
        stored += done.rowcount
    db.session.commit()
    return stored == len(found)


def _members(run: AnalysisRun, theme: RunTheme, edit: ThemeEdit) -> list:
    """A created theme's own answers in the order the request took them (its payload's
    "members": examples first, then the most similar), as the request described it."""
    from . import review

    order = {ref: i for i, ref in enumerate((edit.payload or {}).get("members") or [])}
    rows = [r for r in review._rows(run, texts=True, keys=[theme.key]) if r.theme_id == theme.id]
    return sorted(rows, key=lambda r: order.get(r.reference, len(order)))


def _shown(theme: RunTheme) -> dict[str, Any]:
    """The columns the worker found for ``theme``."""
    return {
        "keywords": list(theme.keywords or []),
        "summary": list(theme.summary or []),
        "label_point": theme.label_point,
        "unlisted_points": theme.unlisted_points,
    }


def left_to_worker(run: AnalysisRun) -> list[tuple[int, int]]:
    """(a theme's id, the edit's id) for each move, create or rename of the run that left
    themes waiting for a worker to count, in edit order: the caller queues one job each.
    Every such edit, not only the run's latest: another reviewer's edit committed between
    this request's edit and this call left this one's themes waiting with no job (review19).
    A job queued twice for one edit finds its themes counted and does nothing."""
    from sqlalchemy import func, select

    found = db.session.execute(
        select(func.min(RunTheme.id), RunTheme.describing)
        .join(ThemeEdit, ThemeEdit.id == RunTheme.describing)
        .where(RunTheme.run_id == run.id, ThemeEdit.kind.in_(RECOUNT_KINDS))
        .group_by(RunTheme.describing)
        .order_by(RunTheme.describing)
    ).all()
    return [(theme_id, edit_id) for theme_id, edit_id in found]


def waiting_kind(theme: RunTheme) -> str:
    """What ``theme`` waits for: "merge", "split", "move", "create" or "rename" (the kind of
    the edit its ``describing`` names), "created" for the theme a create made (it waits to be
    described, not only counted), "" when it waits for nothing."""
    if theme.describing is None:
        return ""
    edit = db.session.get(ThemeEdit, theme.describing)
    kind = edit.kind if edit is not None else ("split" if theme.origin == "split" else "merge")
    if kind == "create" and theme.key in ((edit.payload or {}).get("created") or []):
        return "created"
    return kind


def waiting_words(theme: RunTheme) -> Waiting | None:
    """What the report says of ``theme`` while it waits for a worker (None: it does not)."""
    kind = waiting_kind(theme)
    if not kind:
        return None
    if kind in NO_POINTS and not counts_points(theme.run):
        return NO_POINTS[kind]
    return WAITING.get(kind, WAITING["merge"])


def waiting_themes(run: AnalysisRun) -> list[tuple[RunTheme, Waiting]]:
    """The run's shown themes waiting for a worker, in the report's order, each with what
    the report says of it."""
    shown = sorted((t for t in run.themes if not t.hidden), key=lambda t: (t.position, t.key))
    return [(theme, words) for theme in shown if (words := waiting_words(theme)) is not None]


# A download made while themes wait: its file name ends so (before the extension), so a
# script reading the CSV sees it without a column that is there only sometimes (leftweb).
STILL_UPDATING = "still-updating"


def waiting_note(run: AnalysisRun) -> str:
    """What a download made while themes wait for a worker says at its top ("" when none
    waits): which themes, what they wait for, and to download it again."""
    waiting = waiting_themes(run)
    if not waiting:
        return ""
    named = "; ".join(
        f"{theme.key} ({words.short.rstrip('…').lower()})" for theme, words in waiting
    )
    missing = (
        "counts of how many answers make each point (or their keywords and summary)"
        if any(words.points for _, words in waiting)
        else "keywords (or summary)"
    )
    return (
        f"This file was made while a review edit was still being counted: {named}. Those "
        f"themes' {missing} are not in it yet: download it again in a moment."
    )
