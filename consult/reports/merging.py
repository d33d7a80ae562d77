"""What a theme merged by a reviewer says of itself, request-free: its stability from the
themes merged into it, and its keywords and summary found again from its own answers with
the analysis library, as the run found every theme's (smoke5 finding 2: a merged theme read
"Nothing flagged" with an unstable part, and kept one part's summary under the new label).

:func:`consult.reports.review.merge_themes` calls these; a merge of more answers than
``MERGE_DESCRIBE_AT_MOST`` (a setting) leaves its description to a worker
(:func:`describe_later`), the page saying "Describing the merged theme…" meanwhile.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from analysis.report import is_unstable

from .edit_keywords import contrasted_keywords
from .models import AnalysisRun, RunAssignment, RunTheme, ThemeEdit
from .runs import stability_measured_now, stance_measured

# A stored stance given back to the engine as the agreement answer it came from, so the
# merged theme's summary points say whose they are as the run's did ("unclear": no answer).
AGREEMENT_OF_STANCE = {
    "for": "Agree",
    "against": "Disagree",
    "mixed": "Neither agree nor disagree",
}


def merged_stability(run: AnalysisRun, sources: Sequence[RunTheme]) -> float | None:
    """The stability a merged theme keeps: the lowest of its parts' (so a theme merged from
    an unstable one stays flagged unstable). None, shown "not measured: read before quoting"
    (:func:`consult.reports.wording.stability_words`), when the parts were measured
    different ways (the earlier measure and today's cannot be compared), or when a part has
    no figure and the others' lowest is not itself unstable (it could hide a worse one)."""
    if len({stability_measured_now(run, theme) for theme in sources}) > 1:
        return None
    measured = [float(t.stability) for t in sources if t.stability is not None]
    if not measured:
        return None
    lowest = min(measured)
    if len(measured) == len(sources):
        return lowest
    current = stability_measured_now(run, sources[0])
    return lowest if is_unstable(lowest, current) else None


@dataclass
class Member:
    """One answer of the merged theme: its reference, text and stored stance."""

    reference: str
    text: str
    stance: str | None


@dataclass
class Described:
    """A merged theme's keywords and summary, found from its own answers."""

    keywords: list[str]
    summary: list[dict[str, Any]]
    label_point: int | None = None
    # the summary points its count read as the label's point and left out (store33)
    unlisted: list[str] | None = None


def describe_members(
    run: AnalysisRun,
    members: Sequence[Member],
    label: str | None = None,
    parts: Sequence[str] = (),
    also: Sequence[Member] = (),
    rivals: Sequence[str] = (),
) -> Described | None:
    """Keywords and summary of the merged theme's answers (its primary members, as the run
    describes a theme by its own answers), described as one theme by
    :func:`analysis.group.describe_group` (what ``ThemeModel(n_themes=1)`` would give, without
    its clustering, stability and sentiment) with the run's engine and seed, the question's
    wording and, when the run measured stance, each answer's stance as its agreement answer.
    Described as the run describes a theme (smoke7 finding 4): under its ``label``, which the
    summary does not say again, keeping each merged part's main point (``parts``: their
    labels), and counted over every answer mentioning it (``also``: those mentioning it
    besides its own), the label's point (``label_point``) and each summary point's (as the
    run counts them, semantic engine only, each answer under the nearest of the label, the
    summary points and ``rivals``: the other themes' statements, :func:`statements_of`).
    None when the engine refuses them (then the caller shows no summary rather than a part's
    old one)."""
    from analysis.errors import InputError
    from analysis.group import describe_group

    if not members:
        return None
    settings = run.settings or {}
    engine = run.engine_used or settings.get("engine") or "auto"
    agreement = None
    if stance_measured(run):
        agreement = [AGREEMENT_OF_STANCE.get(m.stance or "", "") for m in members]
    try:
        described = describe_group(
            [m.text for m in members],
            [m.reference for m in members],
            agreement,
            run.question.text if run.question is not None else None,
            engine=engine,
            seed=int(settings.get("seed") or 0),
            label=label,
            points=list(parts),
            also=[(m.reference, m.text) for m in also],
            rivals=list(rivals),
        )
    except InputError:
        return None
    return Described(
        described.keywords, described.summary, described.label_point, described.unlisted
    )


def statements_of(themes: Sequence[RunTheme]) -> list[str]:
    """The labels and summary points (not the "makes one point only" note) of ``themes``,
    the headings an answer is counted under when it is nearer to one of them than to an
    edited theme's own (:func:`analysis.group.count_points`), as the run counts, with the
    points their counts read but their summaries no longer list (``unlisted_points``: the
    run's count had them as headings too, store33)."""
    found = []
    for theme in themes:
        if theme.label:
            found.append(theme.label)
        found += [
            str(point.get("text") or "")
            for point in theme.summary or []
            if not point.get("only_point") and point.get("text")
        ]
        found += [str(text) for text in theme.unlisted_points or [] if text]
    return found


def merged_parts(run: AnalysisRun, payload: dict[str, Any]) -> list[str]:
    """The labels the merged themes had (a merge's ``payload``: its "parts", else its keys'
    labels now), the merged theme's first: each part's main point, kept in its summary."""
    if payload.get("parts"):
        return [str(label) for label in payload["parts"]]
    labels = {theme.key: theme.label for theme in run.themes}
    return [labels[key] for key in payload.get("keys") or [] if labels.get(key)]


def mentioning(run_id: int, theme_id: int, key: str) -> tuple[list[Member], list[Member]]:
    """The merged theme's own answers and those mentioning it as another theme, in the order
    stored, from the run's stored codings."""
    from sqlalchemy import select

    from ..extensions import db

    c = RunAssignment.__table__.c
    rows = db.session.execute(
        select(c.theme_id, c.themes, c.reference, c.text, c.stance)
        .where(c.run_id == run_id)
        .order_by(c.id)
    ).all()
    own: list[Member] = []
    also: list[Member] = []
    for owner, themes, reference, text, stance in rows:
        member = Member(reference, text or "", stance)
        if owner == theme_id:
            own.append(member)
        elif key in _keys_of(themes):
            also.append(member)
    return own, also


def _keys_of(themes: Any) -> set[str]:
    """The theme keys of a stored coding ([[key, confidence], ...], JSON text or list)."""
    import json

    if isinstance(themes, str):
        themes = json.loads(themes or "[]")
    return {str(entry[0]) for entry in themes or [] if entry}


def not_said_elsewhere(
    summary: list[dict[str, Any]], others: Sequence[RunTheme]
) -> list[dict[str, Any]]:
    """``summary`` without the points another theme of ``others`` already gives in the same
    words, openers aside (:func:`analysis.describe.said_key`): a merge's or a split's
    re-described theme repeated "Our officers spend months each year writing bids …" as a
    point of two themes (smoke9 finding 19); nor the points that say another theme's label, as
    a run leaves them out (:func:`analysis.repeats.without_other_labels`: a merged theme
    listed another's label as a point, smoke17s #13). The "makes one point only" note is
    kept."""
    from analysis.describe import said_key
    from analysis.repeats import without_other_labels

    said = {
        said_key(str(point.get("text") or ""))
        for theme in others
        for point in theme.summary or []
        if not point.get("only_point")
    }
    said.discard("")
    kept = [
        point
        for point in summary
        if point.get("only_point") or said_key(str(point.get("text") or "")) not in said
    ]
    return without_other_labels(kept, [(theme.key, theme.label or "") for theme in others])


def unlisted_after(
    unlisted: list[str] | None, counted: list[dict[str, Any]], listed: list[dict[str, Any]]
) -> list[str] | None:
    """A theme's ``unlisted_points`` once its ``counted`` summary (as its count read it) is
    ``listed`` (:func:`not_said_elsewhere`): ``unlisted`` (those the count left out) and the
    points :func:`not_said_elsewhere` took out, which the count read too, so a later recount
    reads them as this count did (rev33a; None when both are none and ``unlisted`` is)."""
    shown = {str(point.get("text") or "") for point in listed}
    dropped = [
        str(point["text"])
        for point in counted
        if not point.get("only_point") and point.get("text") and point["text"] not in shown
    ]
    if unlisted is None and not dropped:
        return None
    return list(dict.fromkeys([*(unlisted or []), *dropped]))


def describe_later(run_id: int, theme_id: int, edit_id: int) -> bool:
    """The worker's half of a large merge (:func:`consult.reports.review.merge_themes` with
    ``describe_at_most``): describe the merged theme from its answers now and store its
    keywords and summary, only if the theme still waits for this merge's description (not
    undone meanwhile). For a large split's part (``edit_id`` a split), every part still
    waiting is described at once (:func:`consult.reports.split_later.describe_split`); for
    a large move, create or rename, every theme it left waiting is counted again
    (:func:`consult.reports.recount_later.recount`). The
    write is a compare-and-set on ``describing`` (an UPDATE that re-reads the row as
    committed), so an undo committed while the engine worked wins. True when the
    description was stored."""
    from sqlalchemy import update

    from ..extensions import db

    theme = db.session.get(RunTheme, theme_id)
    if theme is None or theme.run_id != run_id or theme.describing != edit_id:
        db.session.rollback()
        return False
    run = db.session.get(AnalysisRun, run_id)
    edit = db.session.get(ThemeEdit, edit_id)
    if edit is not None and edit.kind == "split":
        from .split_later import describe_split

        return describe_split(run, edit)
    from .recount_later import RECOUNT_KINDS, recount

    if edit is not None and edit.kind in RECOUNT_KINDS:
        return recount(run, edit)
    parts = merged_parts(run, (edit.payload or {}) if edit is not None else {})
    own, also = mentioning(run_id, theme_id, theme.key)
    others = [t for t in run.themes if not t.hidden and t.id != theme_id]
    described = describe_members(run, own, theme.label, parts, also, statements_of(others))
    # contrasted with the other themes as they are now, as a fit's keywords are
    keywords = contrasted_keywords(run, run.themes, [theme.key]).get(theme.key, [])
    listed = not_said_elsewhere(described.summary, others) if described else []
    stored = db.session.execute(
        update(RunTheme)
        .where(RunTheme.id == theme_id, RunTheme.describing == edit_id)
        .values(
            keywords=keywords,
            summary=listed,
            label_point=described.label_point if described else None,
            unlisted_points=(
                unlisted_after(described.unlisted, described.summary, listed) if described else None
            ),
            describing=None,
        )
    )
    db.session.commit()
    return stored.rowcount == 1


def still_describing(run: AnalysisRun) -> list[tuple[int, int]]:
    """The run's themes waiting for a worker (a merge's or split's description, or a move's,
    create's or rename's count), as (theme id, edit id): queued again after an undo restored
    one (the restored state may predate the job's end). One pair an edit, in edit order, with
    its lowest shown theme's id (a hidden one's only when none is shown; unlike
    :func:`consult.reports.recount_later.left_to_worker`, which takes the lowest id of all): one
    job does every theme of its edit (a split's parts, a large move's themes); one pair a
    theme queued jobs that found nothing waiting (leftweb)."""
    first: dict[int, int] = {}
    for theme in sorted(run.themes, key=lambda t: (bool(t.hidden), t.id)):
        if theme.describing is not None:
            first.setdefault(theme.describing, theme.id)
    return sorted(((theme_id, edit_id) for edit_id, theme_id in first.items()), key=lambda p: p[1])
