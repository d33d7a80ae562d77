"""Keywords of the themes a review edit changed, found again as a fresh fit finds them
(issue 12, smoke11 #7): contrasted with the run's other visible themes as they stand after
the edit, with the fit's count limit and filters and its rule that a phrase of another theme's
label is that theme's (:mod:`analysis.edit_keywords`). A merge, a
move, a split and a create call :func:`refresh_keywords` once their answers are saved; a
large merge's or split's worker does when it describes the theme.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from sqlalchemy import Text, cast, select

from ..extensions import db
from .models import AnalysisRun, RunAssignment, RunTheme


def contrasted_keywords(
    run: AnalysisRun, themes: Sequence[RunTheme], keys: Iterable[str]
) -> dict[str, list[str]]:
    """The keywords of the visible themes of ``keys``, read from every stored answer of the
    run and each answer's main theme now (``themes``: the run's themes, hidden ones too),
    an answer the fit flagged as fitting no theme left out of the counts as the fit left it
    (unless moved by hand since); a theme with no answer left is not in the result."""
    from analysis.edit_keywords import keywords_after_edit
    from analysis.flags import FIT_FLAG

    visible = [t for t in themes if not t.hidden]
    index = {t.id: i for i, t in enumerate(visible)}
    wanted = {index[t.id]: t.key for t in visible if t.key in set(keys)}
    if not wanted:
        return {}
    c = RunAssignment.__table__.c
    rows = db.session.connection().execute(
        select(c.theme_id, c.text, cast(c.flags, Text), c.moved_by_hand)
        .where(c.run_id == run.id)
        .order_by(c.id)
    )
    texts: list[str] = []
    owners: list[int] = []
    outside: list[bool] = []
    for theme_id, text, flags, moved in rows:
        texts.append(text or "")
        owners.append(index.get(theme_id, -1) if theme_id is not None else -1)
        # flagged by the fit as fitting no theme, unless a reviewer placed it since
        outside.append(FIT_FLAG in str(flags or "") and not moved)
    seed = int((run.settings or {}).get("seed") or 0)
    labels = [t.label or "" for t in visible]  # a phrase of another's label is its own
    found = keywords_after_edit(texts, owners, wanted, seed=seed, outside=outside, labels=labels)
    return {wanted[i]: words for i, words in found.items()}


def refresh_keywords(
    run: AnalysisRun, themes: Sequence[RunTheme], keys: Iterable[str]
) -> dict[str, list[str]]:
    """Set the keywords of the visible themes of ``keys`` waiting for no worker to
    :func:`contrasted_keywords`' (empty for a theme no word sets apart, or with no answer
    left); returns what was set, by key."""
    waiting = {t.key for t in themes if t.describing is not None}
    keys = [k for k in dict.fromkeys(keys) if k not in waiting]
    found = contrasted_keywords(run, themes, keys)
    for theme in themes:
        if not theme.hidden and theme.key in keys:
            theme.keywords = found.get(theme.key, [])
    return {k: found.get(k, []) for k in keys}
