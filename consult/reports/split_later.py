"""The worker's half of a large split (:func:`consult.reports.review.split_theme` with
``describe_at_most``): the request only partitioned the theme's answers
(:meth:`analysis.ThemeModel.fit_partition`) and left its parts waiting ("Describing …",
``describing`` set to the split's edit id); here the split's fit is made again on the same
answers, engine and seed, and each part still waiting gets the label, keywords, quotes and
summary that fit gives it, counted as a split in the request counts its parts
(:func:`analysis.group.count_points`, then
:func:`consult.reports.merging.not_said_elsewhere`): what the split in the request would
have stored.

The job is the large merge's (:func:`consult.reports.merging.describe_later`, queued by
:func:`consult.reports.queue.enqueue_describe` with one part's id): one fit describes every
part, so one job does for all; a job queued again for another part (an undo restoring one,
:func:`consult.reports.merging.still_describing`) finds the others done. Each write is a
compare-and-set on ``describing``, as a merge's: an undo committed meanwhile (it deletes
the parts) wins. The split edit's recorded labels (what a rerun replays) are updated with
what the worker found.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from sqlalchemy import select, update

from ..extensions import db
from .edit_keywords import contrasted_keywords
from .merging import describe_members, not_said_elsewhere, statements_of, unlisted_after
from .models import AnalysisRun, RunTheme, ThemeEdit
from .runs import stance_measured


def describe_split(run: AnalysisRun, edit: ThemeEdit) -> bool:
    """Describe the parts of split ``edit`` still waiting for it and store them; True when
    every waiting part's description was stored (False: none waited, or an undo won)."""
    from . import review

    keys = list((edit.payload or {}).get("created") or [])
    parts = list(
        db.session.scalars(
            select(RunTheme)
            .where(RunTheme.run_id == run.id, RunTheme.key.in_(keys))
            .order_by(RunTheme.id)
        )
    )
    parts.sort(key=lambda t: keys.index(t.key))
    waiting = [t for t in parts if t.describing == edit.id]
    if not waiting or len(parts) != len(keys):
        db.session.rollback()
        return False
    rows = review._rows(run, texts=True, keys=keys)
    part_ids = {t.id: i for i, t in enumerate(parts)}
    own = [r for r in rows if r.theme_id in part_ids]
    secondary = [r for r in rows if r.theme_id not in part_ids]
    found = _described(run, parts, own)
    others = [
        t for t in run.themes if not t.hidden and t.id not in part_ids and t.describing is None
    ]
    labels = dict((edit.payload or {}).get("labels") or {})
    # contrasted with the other themes as they are now, as a fit's keywords are
    keywords = contrasted_keywords(run, run.themes, [t.key for t in waiting])
    stored = 0
    for part in waiting:
        # the other parts as they are described now are headings too, as in the request
        siblings = [
            str(point.get("text") or "")
            for index, info in enumerate(found)
            if index != part_ids[part.id]
            for point in [{"text": info.get("label")}, *(info.get("summary") or [])]
            if point.get("text") and not point.get("only_point")
        ]
        named = [
            str(info.get("label") or "") for i, info in enumerate(found) if i != part_ids[part.id]
        ]
        values = _counted(
            run, part, found[part_ids[part.id]], own + secondary, others, siblings, named
        )
        values["keywords"] = keywords.get(part.key, [])
        done = db.session.execute(
            update(RunTheme)
            .where(RunTheme.id == part.id, RunTheme.describing == edit.id)
            .values(**values, describing=None)
        )
        stored += done.rowcount
        labels[part.key] = {
            "label": values["label"],
            "keywords": values["keywords"],
            "quotes": values["quotes"],
            "summary": values["summary"],
        }
    if stored == len(waiting):
        db.session.execute(
            update(ThemeEdit)
            .where(ThemeEdit.id == edit.id)
            .values(payload={**(edit.payload or {}), "labels": labels})
        )
    db.session.commit()
    return stored == len(waiting)


def _described(run: AnalysisRun, parts: list[RunTheme], own: list) -> list[dict[str, Any]]:
    """Each part's description from the split's fit made again (its own answers in the
    order the request fitted them). Should the fit group them otherwise than the parts
    stand (their answers changed meanwhile), each part is described from its own answers
    alone (:func:`consult.reports.merging.describe_members`) under its stand-in label."""
    from .merging import Member
    from .review import ReviewError, _fit_split, _named_parts

    index = {t.id: i for i, t in enumerate(parts)}
    try:
        _, described, part_of, _ = _fit_split(run, own, [], len(parts))
    except ReviewError:
        described, part_of = [], {}
    if len(described) == len(parts) and all(part_of.get(r.id) == index[r.theme_id] for r in own):
        keys = [part.key for part in parts]
        return [
            dict(info, summary=_named_parts(list(info.get("summary") or []), described, keys))
            for info in described
        ]
    out = []
    for i, part in enumerate(parts):
        members = [Member(r.reference, r.text, r.stance) for r in own if index[r.theme_id] == i]
        found = describe_members(run, members, part.label)
        out.append(
            {
                "label": part.label,
                "keywords": found.keywords if found else [],
                "summary": found.summary if found else [],
                "quotes": [],
            }
        )
    return out


def _counted(
    run: AnalysisRun,
    part: RunTheme,
    info: dict[str, Any],
    rows: list,
    others: list[RunTheme],
    siblings: Sequence[str] = (),
    sibling_labels: Sequence[str] = (),
) -> dict[str, Any]:
    """The columns a described part stores: as :func:`consult.reports.review.split_theme`
    makes a part and :func:`consult.reports.review._count_parts` counts it over the answers
    mentioning it now (each under its nearest heading of ``others``' and the other parts'
    ``siblings`` statements, as the run counts), less the points another visible theme
    already gives. The other themes' and parts' labels (``sibling_labels``) are read as
    labels, as the run reads them (store33)."""
    from analysis.group import count_points

    from .review import MAX_LABEL, own_side

    label = str(info.get("label") or part.label)[:MAX_LABEL]
    engine = run.engine_used or (run.settings or {}).get("engine") or ""
    mentioning = [row for row in rows if part.key in row.keys]
    left: list[str] = []
    label_point, summary = count_points(
        label,
        list(info.get("summary") or []),
        [row.text or "" for row in mentioning],
        [row.reference for row in mentioning],
        engine,
        [*statements_of(others), *siblings],  # each answer under its nearest heading
        stances=[row.stance or "" for row in mentioning] if stance_measured(run) else None,
        label_side=own_side(part, rows) if stance_measured(run) else None,
        left_out=left,
        rival_labels=[*(t.label for t in others if t.label), *(n for n in sibling_labels if n)],
    )
    listed = not_said_elsewhere(list(summary or []), others)
    return {
        "label": label,
        "keywords": list(info.get("keywords") or []),
        "quotes": list(info.get("quotes") or []),
        "summary": listed,
        "label_point": label_point,
        "unlisted_points": unlisted_after(left, list(summary or []), listed),
    }
