"""Review a run's themes, request-free: rename, describe, merge, split, move responses,
create a theme from examples, mark reviewed; history, undo, and replay on a rerun.

Every operation is one :class:`ThemeEdit` (who, when, what) plus an audit event, committed
together. An edit's ``payload`` holds what replaying needs (labels, member references, the N
of a split) and ``before``: the state it changed, so it can be undone exactly.

Counts after a change of membership (merge, split, move, create) are recomputed from the
run's assignments: size (primary members), mentions (any membership), share of all the run's
responses with its Wilson 95% interval, stance counts and mean sentiment over mentions, and
the segment breakdowns (tests corrected for multiple comparisons over all visible themes, as
the engine does; distinctive words are kept for themes whose members did not change and left
empty for those that did).

Keys: a merge keeps the first theme's key; split parts and created themes get new keys,
numbered after the highest key any run of the question has used, so they never collide with
a rerun's keys. Merged-away and split-away themes stay, hidden, for history and undo.
"""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import Text, bindparam, cast, false, func, or_, select, type_coerce

from .. import audit
from ..extensions import db
from ..models import User, as_utc, utcnow
from ..wording import plural
from .edit_keywords import refresh_keywords
from .merging import (
    AGREEMENT_OF_STANCE,
    Member,
    describe_members,
    merged_stability,
    not_said_elsewhere,
    statements_of,
    unlisted_after,
)
from .models import AnalysisRun, RunAssignment, RunTheme, ThemeEdit
from .recount_later import counts_points
from .recount_segments import column_cells, value_of
from .runs import note_stability_measured_now, stability_measured_now, stance_measured

# Similarity floor and default size for "create a theme from examples": a response is pulled
# in when its TF-IDF cosine similarity to the examples' centroid is at least this.
PULL_IN_FLOOR = 0.15
MAX_LABEL = 300
STANCE_NAMES = ("for", "against", "mixed", "unclear")
# Theme columns an edit may change and undo restores (everything but id, run and key).
THEME_FIELDS = (
    "key",
    "position",
    "label",
    "description",
    "keywords",
    "size",
    "mentions",
    "label_point",
    "multi_point",
    "share",
    "share_low",
    "share_high",
    "stance",
    "sentiment",
    "stability",
    "quotes",
    "summary",
    "unlisted_points",
    "segments",
    "origin",
    "reviewed_at",
    "reviewed_by",
    "hidden",
    "describing",
)
MEMBERSHIP_KINDS = ("merge", "split", "move", "create")

# A summary point's counts of the answers making it, dropped when the theme's answers change
COUNTED = frozenset({"answers", "answers_as_label"})


class ReviewError(ValueError):
    """A review request that cannot be carried out; the message is plain words for the user."""


class NameTaken(ReviewError):
    """A rename or create naming another visible theme's name: the form shows it on the name
    field."""


def _same_name(a: str, b: str) -> bool:
    """Two theme names alike but for case and spacing."""
    return " ".join(a.split()).casefold() == " ".join(b.split()).casefold()


def _check_name(run: AnalysisRun, label: str, who: Context, own: str | None = None) -> None:
    """NameTaken when another visible theme of the run (not ``own``) has this name, ignoring
    case and spacing: a rename or create gave two themes one name in the report, the codebook
    made from it and the coding page (smoke12 finding 5). An edit carried over to a rerun is
    not refused for it (the rerun's themes are the engine's, not the reviewer's)."""
    if who.carried:
        return
    for theme in _themes(run):
        if not theme.hidden and theme.key != own and _same_name(theme.label or "", label):
            raise NameTaken(
                f"{theme.key} already has this name. Choose another name, or merge the themes."
            )


# --- reading the run ------------------------------------------------------------------------


@dataclass
class Row:
    """One assignment as the review operations see it."""

    id: int
    reference: str
    text: str
    theme_id: int | None
    themes: list[list[Any]]
    confidence: float | None
    moved_by_hand: bool
    stance: str | None
    sentiment: float | None
    segments: dict[str, str]
    flags: list[str]

    @property
    def keys(self) -> list[str]:
        return [str(entry[0]) for entry in self.themes or []]

    def state(self) -> list[Any]:
        """What an edit may change, for undo: [id, theme_id, themes, confidence, moved]."""
        return [
            self.id,
            self.theme_id,
            [list(e) for e in self.themes],
            self.confidence,
            self.moved_by_hand,
        ]


def _rows(
    run: AnalysisRun,
    texts: bool = False,
    keys: Iterable[str] | None = None,
    references: Iterable[str] | None = None,
) -> list[Row]:
    """The run's assignments in id order: one Core query, JSON decoded here (segment and
    flag values repeat, so each distinct text is decoded once). ``texts``: also the answer
    texts and flags (only split and create need them). With ``keys`` and/or ``references``,
    only the assignments coded to any of those themes or with those references."""
    table = RunAssignment.__table__
    c = table.c
    raw = (type_coerce(c.themes, Text), type_coerce(c.segments, Text))
    columns = [c.id, c.reference, c.theme_id, *raw, c.confidence, c.moved_by_hand]
    columns += [c.stance, c.sentiment]
    if texts:
        columns += [c.text, type_coerce(c.flags, Text)]
    query = select(*columns).where(c.run_id == run.id)
    if keys is not None or references is not None:
        keys = list(keys or [])
        conditions = [cast(c.themes, Text).like(f'%"{key}"%') for key in keys]
        if keys:
            ids = select(RunTheme.id).where(RunTheme.run_id == run.id, RunTheme.key.in_(keys))
            conditions.append(c.theme_id.in_(ids))
        if references:
            conditions.append(c.reference.in_(list(references)))
        query = query.where(or_(*conditions)) if conditions else query.where(false())
    result = db.session.connection().execute(query.order_by(c.id))
    cache: dict[str, Any] = {}

    def decoded(value: str | None, default: Any) -> Any:
        if value is None:
            return default
        if not isinstance(value, str):  # PostgreSQL's driver decodes json itself
            return value
        found = cache.get(value)
        if found is None:
            found = cache[value] = json.loads(value)
        return found

    loads = json.loads
    return [
        Row(
            id=r[0],
            reference=r[1],
            theme_id=r[2],
            themes=(loads(r[3]) if isinstance(r[3], str) else list(r[3])) if r[3] else [],
            segments=decoded(r[4], {}),
            confidence=r[5],
            moved_by_hand=bool(r[6]),
            stance=r[7],
            sentiment=r[8],
            text=(r[9] or "") if texts else "",
            flags=decoded(r[10], []) if texts else [],
        )
        for r in result
    ]


@dataclass
class Said:
    """A response's reference and text, for finding similar responses."""

    reference: str
    text: str
    non_substantive: bool


def _texts(run: AnalysisRun) -> list[Said]:
    """Every assignment's reference, text and whether it is non-substantive (id order)."""
    c = RunAssignment.__table__.c
    result = db.session.connection().execute(
        select(c.reference, c.text, cast(c.flags, Text)).where(c.run_id == run.id).order_by(c.id)
    )
    return [Said(r[0], r[1] or "", "non_substantive" in str(r[2] or "")) for r in result]


def _themes(run: AnalysisRun) -> list[RunTheme]:
    """Every theme of the run (hidden ones too), in display order, fresh from the database."""
    return list(
        db.session.scalars(
            select(RunTheme)
            .where(RunTheme.run_id == run.id)
            .order_by(RunTheme.position, RunTheme.id)
        )
    )


def visible_theme(run: AnalysisRun, key: str) -> RunTheme:
    """The run's visible theme with this key; ReviewError when there is none."""
    theme = db.session.scalar(
        select(RunTheme).where(RunTheme.run_id == run.id, RunTheme.key == key)
    )
    if theme is None:
        raise ReviewError(f"This analysis has no theme {key}.")
    if theme.hidden:
        raise ReviewError(f"Theme {key} was merged or split away; undo that edit to change it.")
    if theme.describing is not None:
        raise ReviewError(
            f"Theme {key} is still being described after its merge, split, move, rename or "
            "create; reload the page in a moment to change it (or undo that edit)."
        )
    return theme


def _check_run(run: AnalysisRun, who: Context | None = None) -> None:
    if who is not None and who.carried:
        return  # a rerun being stored: its status is set once its edits are replayed
    if run.status != "succeeded":
        raise ReviewError("Only a finished analysis can be reviewed.")


# --- snapshots (for undo) -------------------------------------------------------------------


def _dump_theme(theme: RunTheme) -> dict[str, Any]:
    data = {name: getattr(theme, name) for name in THEME_FIELDS}
    moment = as_utc(theme.reviewed_at)
    data["reviewed_at"] = moment.isoformat() if moment else None
    return data


def _load_theme(theme: RunTheme, data: dict[str, Any]) -> None:
    for name in THEME_FIELDS:
        if name in data:
            value = data[name]
            if name == "reviewed_at" and value:
                value = datetime.fromisoformat(value)
            setattr(theme, name, value)


def _snapshot(themes: list[RunTheme], rows: Iterable[Row]) -> dict[str, Any]:
    """Every theme's columns and the given assignments' codings: the state before an edit."""
    return {
        "themes": [_dump_theme(t) for t in themes],
        "assignments": [row.state() for row in rows],
    }


# --- recomputing counts ---------------------------------------------------------------------


def _segment_names(run: AnalysisRun, themes: list[RunTheme]) -> list[str]:
    names: list[str] = []
    for theme in themes:
        for name in theme.segments or {}:
            if name not in names:
                names.append(name)
    return names or list((run.settings or {}).get("segments") or [])


def _totals(run: AnalysisRun) -> tuple[int, list[dict[str, str]], list[int]]:
    """The run's response count and its distinct segment values with their counts (SQL)."""
    c = RunAssignment.__table__.c
    text = cast(c.segments, Text)
    found = db.session.connection().execute(
        select(text, func.count()).where(c.run_id == run.id).group_by(text)
    )
    values, counts = [], []
    for raw, count in found:
        values.append(json.loads(raw) if isinstance(raw, str) and raw else (raw or {}))
        counts.append(int(count))
    return sum(counts), values, counts


def campaign_copies(run: AnalysisRun) -> dict[int, dict[str, str]]:
    """The run's campaign copies after each campaign's first (by assignment id, the input's
    order), with their segment values: the segment tests count each campaign once, as the
    engine does (:func:`analysis.stages.campaign_counted_once`; smoke18r #5)."""
    c = RunAssignment.__table__.c
    found = db.session.connection().execute(
        select(c.id, c.duplicate_group, type_coerce(c.segments, Text))
        .where(c.run_id == run.id, cast(c.flags, Text).like('%"campaign"%'))
        .order_by(c.id)
    )
    seen: set[str] = set()
    copies: dict[int, dict[str, str]] = {}
    for row_id, group, segments in found:
        if group in seen:
            # PostgreSQL's driver decodes json itself: the copy's segments, not {} (left26)
            copies[int(row_id)] = (
                json.loads(segments) if isinstance(segments, str) else dict(segments or {})
            )
        seen.add(group)
    return copies


def recompute(
    run: AnalysisRun,
    themes: list[RunTheme],
    rows: list[Row],
    changed: set[str] | None = None,
    totals: tuple[int, list[dict[str, str]], list[int]] | None = None,
) -> None:
    """Recompute the counts and segment breakdowns of the visible themes in ``changed`` (all
    visible themes when None) from ``rows`` (every assignment of the run).

    Size counts primary members; mentions, stance counts and mean sentiment count every
    response coded to the theme; shares are of all the run's responses, with Wilson 95 %
    intervals. Segment cells follow :func:`analysis.segments.segment_breakdown` (the theme
    against the rest, chi-square or Fisher); the correction for multiple comparisons
    (:func:`analysis.segments.correct`) is then redone over every visible theme's cells of
    the column, as the engine does. Stance counts stay empty when the run did not measure
    stance. Changed themes' distinctive
    words are left empty (they need the engine's tokens); other themes keep theirs.
    ``totals`` (from :func:`_totals`): then ``rows`` need only hold the assignments coded to
    the changed themes.
    """
    from analysis.segments import wilson

    visible = [t for t in themes if not t.hidden]
    targets = [t for t in visible if changed is None or t.key in changed]
    if totals is None:
        totals = (len(rows), [row.segments for row in rows], [1] * len(rows))
    total, segment_rows, segment_counts = totals
    index = {t.key: i for i, t in enumerate(targets)}
    ids = {t.id: i for i, t in enumerate(targets)}
    sizes = [0] * len(targets)
    mentions: list[list[Row]] = [[] for _ in targets]
    for row in rows:
        if row.theme_id in ids:
            sizes[ids[row.theme_id]] += 1
        for key in row.keys:
            i = index.get(key)
            if i is not None:
                mentions[i].append(row)
    for i, theme in enumerate(targets):
        low, high = wilson(sizes[i], total)
        theme.size = sizes[i]
        theme.mentions = len(mentions[i])
        theme.label_point = None  # its answers changed: who makes the label's point is unknown
        theme.multi_point = None  # nor how many of them make several points (analysis.mixed)
        # and how many make each summary point: those counts are left out, not shown stale
        if any(set(point) & COUNTED for point in theme.summary or []):
            theme.summary = [
                {key: value for key, value in point.items() if key not in COUNTED}
                for point in theme.summary
            ]
        theme.share = round(sizes[i] / total, 4) if total else 0.0
        theme.share_low, theme.share_high = round(low, 4), round(high, 4)
        counts = Counter(row.stance for row in mentions[i])
        theme.stance = (
            {name: counts.get(name, 0) for name in STANCE_NAMES} if stance_measured(run) else {}
        )
        scores = [row.sentiment for row in mentions[i] if row.sentiment is not None]
        theme.sentiment = round(sum(scores) / len(scores), 4) if scores else None
    copies = campaign_copies(run)
    for name in _segment_names(run, visible):
        of: Counter[str] = Counter()
        for segments, count in zip(segment_rows, segment_counts, strict=True):
            of[value_of(segments, name)] += count
        cells_by_theme = column_cells(
            name,
            of,
            copies,
            {theme.key: mentions[i] for i, theme in enumerate(targets)},
            {
                theme.key: (theme.segments or {}).get(name) or {}
                for theme in visible
                if theme.key not in index
            },
        )
        for theme in visible:
            new = cells_by_theme[theme.key]
            if (theme.segments or {}).get(name) != new:
                theme.segments = {**(theme.segments or {}), name: new}


def _save_rows(rows: Iterable[Row]) -> None:
    """Write changed codings back: one Core executemany (no ORM bookkeeping)."""
    _write_states([row.state() for row in rows])


def _write_states(states: list[list[Any]]) -> None:
    """Write [id, theme_id, themes, confidence, moved_by_hand] codings back."""
    if not states:
        return
    c = RunAssignment.__table__.c
    statement = (
        RunAssignment.__table__.update()
        .where(c.id == bindparam("row_id"))
        .values(
            theme_id=bindparam("theme_id"),
            themes=bindparam("themes"),
            confidence=bindparam("confidence"),
            moved_by_hand=bindparam("moved_by_hand"),
        )
    )
    db.session.connection().execute(
        statement,
        [
            {
                "row_id": s[0],
                "theme_id": s[1],
                "themes": s[2],
                "confidence": s[3],
                "moved_by_hand": bool(s[4]),
            }
            for s in states
        ],
    )


# --- keys and positions ---------------------------------------------------------------------


def _key_number(key: str) -> int:
    return int(key[1:]) if key.startswith("T") and key[1:].isdigit() else 0


def _next_keys(run: AnalysisRun, count: int) -> list[str]:
    """``count`` fresh keys after the highest any run of this question has used."""
    from .models import AnalysisRun as Run

    keys = db.session.scalars(
        select(RunTheme.key)
        .join(Run, Run.id == RunTheme.run_id)
        .where(Run.question_id == run.question_id)
        .distinct()
    )
    start = max((_key_number(k) for k in [*keys, *_edited_keys(run)]), default=0)
    return [f"T{start + i:02d}" for i in range(1, count + 1)]


def _edited_keys(run: AnalysisRun) -> list[str]:
    """Every key an edit of any run of this question has named, those of themes an undo
    removed included: a key is never given to a second theme (smoke10 finding 10: T10 named
    a split part, undone, then a created theme, while the codebook kept the first T10)."""
    from .models import AnalysisRun as Run

    named = db.session.scalars(
        select(ThemeEdit.theme_keys)
        .join(Run, Run.id == ThemeEdit.run_id)
        .where(Run.question_id == run.question_id)
    )
    out: list[str] = []
    for keys in named:
        if isinstance(keys, str):
            keys = json.loads(keys or "[]")
        out.extend(str(key) for key in keys or [])
    return out


def _renumber(themes: list[RunTheme]) -> None:
    for position, theme in enumerate(themes):
        theme.position = position


# --- logging --------------------------------------------------------------------------------


@dataclass
class Context:
    """Who is editing; ``carried`` marks an edit replayed from an earlier run's log."""

    user_id: int | None
    email: str
    carried: dict[str, Any] | None = None
    made: list[ThemeEdit] | None = None

    def finish(self) -> None:
        """Commit a reviewer's edit; a replayed one is left to the caller (a savepoint)."""
        if not self.carried:
            db.session.commit()


def _context(user: User | None) -> Context:
    return Context(user.id if user is not None else None, user.email if user is not None else "")


def _log(
    run: AnalysisRun, kind: str, keys: list[str], payload: dict[str, Any], who: Context
) -> ThemeEdit:
    if who.carried:
        payload = {**payload, "carried_over": True, **who.carried}
    edit = ThemeEdit(
        run_id=run.id,
        kind=kind,
        theme_keys=list(dict.fromkeys(keys)),
        payload=payload,
        user_id=who.user_id,
        user_email=who.email,
        at=utcnow(),
    )
    db.session.add(edit)
    if who.made is not None:
        who.made.append(edit)
    if not who.carried:
        audit.record(
            f"theme_{kind}",
            f"run {run.id}",
            actor=who.email or None,
            themes=edit.theme_keys,
            **_audit_detail(kind, payload),
        )
    db.session.flush()
    return edit


def _audit_detail(kind: str, payload: dict[str, Any]) -> dict[str, Any]:
    """The short, readable part of a payload for the audit log."""
    detail = {}
    for name in ("label", "description", "n", "to", "into", "reviewed", "undoes"):
        if name in payload:
            detail[name] = payload[name]
    if "references" in payload:
        detail["responses"] = len(payload["references"])
    return detail


# --- operations -----------------------------------------------------------------------------


def rename_theme(
    run: AnalysisRun,
    key: str,
    label: str,
    user: User | None,
    description: str | None = None,
    *,
    recount_at_most: int | None = None,
    _who: Context | None = None,
) -> ThemeEdit:
    """Rename theme ``key`` and/or write its description (None: leave it). Recorded as a
    'rename' edit (or 'describe' when only the description changed). A renamed theme's
    points are counted again against its new label; with ``recount_at_most``, a theme
    mentioned by more answers than that is left for a worker to count (:func:`_later`)."""
    who = _who or _context(user)
    _check_run(run, who)
    theme = visible_theme(run, key)
    label = (label or "").strip()
    if not label:
        raise ReviewError("Enter a name for the theme.")
    if len(label) > MAX_LABEL:
        raise ReviewError(f"The theme's name must be {MAX_LABEL} characters or fewer.")
    _check_name(run, label, who, own=key)
    description = description.strip() if description is not None else None
    before = {"label": theme.label, "description": theme.description}
    after = {
        "label": label,
        "description": theme.description if description is None else description,
    }
    # what the recount against a new label changes, so an undo gives back the old label's
    # count and summary points (review30: it kept the new label's; since count30 a recount
    # can leave summary points out)
    counted = {
        "label_point": theme.label_point,
        "summary": list(theme.summary or []),
        "unlisted_points": theme.unlisted_points,
    }
    if after == before:
        raise ReviewError("The name and description are unchanged.")
    kind = "rename" if label != theme.label else "describe"
    renamed = after["label"] != theme.label
    if renamed:
        theme.label_point = None  # counted against the machine's label, not this one
    theme.label, theme.description = after["label"], after["description"]
    # a run whose engine counts no points (the fast one's) has nothing to wait for (smoke13)
    later = (
        renamed and counts_points(run) and _later(recount_at_most, who, int(theme.mentions or 0))
    )
    if renamed and not later:  # counted again against the new one, as after a move
        _count_changed(run, _themes(run), {key})  # (smoke11 finding 1)
    payload = {
        "key": key,
        "label": after["label"],
        "description": after["description"],
        "before": {"themes": [{"key": key, **before, **(counted if renamed else {})}]},
    }
    edit = _log(run, kind, [key], payload, who)
    if later:
        _leave_to_worker([theme], {key}, edit)
    who.finish()
    return edit


def mark_reviewed(
    run: AnalysisRun,
    key: str,
    user: User | None,
    reviewed: bool = True,
    *,
    _who: Context | None = None,
) -> ThemeEdit:
    """Mark theme ``key`` reviewed (or not reviewed), naming who and when."""
    who = _who or _context(user)
    _check_run(run, who)
    theme = visible_theme(run, key)
    if bool(theme.reviewed_at) == bool(reviewed):
        raise ReviewError(
            f"Theme {key} is already {'marked reviewed' if reviewed else 'not reviewed'}."
        )
    before = {
        "key": key,
        "reviewed_at": _dump_theme(theme)["reviewed_at"],
        "reviewed_by": theme.reviewed_by,
    }
    theme.reviewed_at = utcnow() if reviewed else None
    theme.reviewed_by = (who.email or "unknown") if reviewed else None
    payload = {"key": key, "reviewed": bool(reviewed), "before": {"themes": [before]}}
    edit = _log(run, "reviewed", [key], payload, who)
    who.finish()
    return edit


def merge_themes(
    run: AnalysisRun,
    keys: list[str],
    user: User | None,
    label: str | None = None,
    *,
    describe_at_most: int | None = None,
    _who: Context | None = None,
) -> RunTheme:
    """Merge two or more themes into the first: it keeps its key and position, takes the
    union of their members and ``label`` (default its own); the others become hidden. Its
    keywords and summary are found again from its answers (its keywords against the other
    themes as they are now, :mod:`consult.reports.edit_keywords`), and its stability is the
    lowest of the parts' (:mod:`consult.reports.merging`); quotes are the parts', interleaved.

    With ``describe_at_most``, a merged theme of more answers than that is not described
    here: its keywords and summary are left empty and ``describing`` is set to the merge's
    edit id, for a worker to describe (the caller queues
    :func:`consult.reports.merging.describe_later` once this has committed)."""
    who = _who or _context(user)
    _check_run(run, who)
    keys = list(dict.fromkeys(k for k in keys if k))
    if len(keys) < 2:
        raise ReviewError("Choose at least two themes to merge.")
    sources = [visible_theme(run, key) for key in keys]
    label = (label or "").strip() or sources[0].label
    if len(label) > MAX_LABEL:
        raise ReviewError(f"The theme's name must be {MAX_LABEL} characters or fewer.")
    themes = _themes(run)
    rows = _rows(run, texts=True, keys=keys)
    target, others = sources[0], sources[1:]
    other_ids = {t.id for t in others}
    other_keys = {t.key for t in others}
    touched = [r for r in rows if r.theme_id in other_ids or other_keys & set(r.keys)]
    members = {t.key: sorted(r.reference for r in rows if r.theme_id == t.id) for t in sources}
    before = _snapshot(themes, touched)
    for row in touched:
        if row.theme_id in other_ids:
            row.theme_id = target.id
        merged: list[list[Any]] = []
        seen: set[str] = set()
        for entry in row.themes:
            key = target.key if entry[0] in other_keys else entry[0]
            if key not in seen:
                seen.add(key)
                merged.append([key, entry[1]])
        row.themes = merged
    parts = [t.label for t in sources]  # each part's main point, kept in the summary
    for theme in others:
        theme.hidden = True
    target.label = label
    target.origin = "merge"
    target.quotes = _merged_list([t.quotes for t in sources], 5)
    # the parts' quotes, each "say the same" counted again over the merged answers
    target.quotes = _quotes_of(target.quotes, rows, target.id)
    # An unstable part keeps the merged theme flagged: the lowest of the parts' figures.
    target.stability = merged_stability(run, sources)
    _save_rows(touched)
    recompute(run, themes, rows, changed=set(keys), totals=_totals(run))
    # The parts' keywords and summaries describe the parts: found again from the merged
    # answers (none when the engine refuses them, rather than one part's under the new label),
    # here or, for a large merge, by a worker; after recompute, which drops the counts of a
    # theme whose answers changed, since these are counted over its answers now.
    own = [Member(r.reference, r.text, r.stance) for r in rows if r.theme_id == target.id]
    also = [
        Member(r.reference, r.text, r.stance)
        for r in rows
        if r.theme_id != target.id and target.key in r.keys
    ]
    later = describe_at_most is not None and not who.carried and len(own) > describe_at_most
    others = [t for t in themes if not t.hidden and t is not target]
    described = (
        None if later else describe_members(run, own, label, parts, also, statements_of(others))
    )
    target.keywords = described.keywords if described else []
    if described is not None:  # contrasted with the other themes as they are now, as a fit's
        refresh_keywords(run, themes, [target.key])
    target.summary = not_said_elsewhere(described.summary, others) if described else []
    _notes_name_visible(themes, {t.key: [target.key] for t in sources[1:]})
    target.label_point = described.label_point if described else None
    target.unlisted_points = (
        unlisted_after(described.unlisted, described.summary, target.summary) if described else None
    )
    target.multi_point = None  # a merge's answers were not measured (analysis.mixed)
    payload = {
        "keys": keys,
        "into": target.key,
        "label": label,
        "parts": parts,
        "members": members,
        "before": before,
    }
    edit = _log(run, "merge", keys, payload, who)
    if later:
        target.describing = edit.id
    who.finish()
    return target


def _merged_list(lists: list[list[Any]], limit: int) -> list[Any]:
    """Items of several lists interleaved (first of each, then second of each ...), unique."""
    out: list[Any] = []
    for depth in range(max((len(x or []) for x in lists), default=0)):
        for items in lists:
            if items and depth < len(items) and items[depth] not in out:
                out.append(items[depth])
    return out[:limit]


def split_theme(
    run: AnalysisRun,
    key: str,
    n: int,
    user: User | None,
    *,
    describe_at_most: int | None = None,
    _who: Context | None = None,
    _parts: dict[str, list[str]] | None = None,
    _labels: dict[str, dict[str, Any]] | None = None,
) -> list[RunTheme]:
    """Split theme ``key`` into ``n`` by re-clustering only its own (primary) responses with
    :class:`analysis.ThemeModel` (the run's engine and seed); the parts get new keys, labels,
    keywords, quotes and summaries from that fit, and ``key`` becomes hidden. Responses that
    mention the theme as a secondary theme are given the part they are most like.

    With ``describe_at_most``, a theme of more answers than that is only partitioned here
    (:meth:`analysis.ThemeModel.fit_partition`): its parts get their members and counts, a
    stand-in label ("<label> (1)") and no keywords, quotes or summary, and ``describing``
    set to the split's edit id, for a worker to describe as a large merge's theme is (the
    caller queues :func:`consult.reports.merging.describe_later` once this has committed;
    :mod:`consult.reports.split_later`)."""
    who = _who or _context(user)
    _check_run(run, who)
    theme = visible_theme(run, key)
    try:
        n = int(n)
    except (TypeError, ValueError):
        raise ReviewError("Enter the number of themes to split into, like 2.") from None
    if n < 2:
        raise ReviewError("A theme can only be split into 2 or more themes.")
    themes = _themes(run)
    rows = _rows(run, texts=True, keys=[key])
    own = [r for r in rows if r.theme_id == theme.id]
    secondary = [r for r in rows if r.theme_id != theme.id and key in r.keys]
    later = (
        describe_at_most is not None
        and not who.carried
        and _parts is None
        and len(own) > describe_at_most
    )
    if _parts is None:
        parts, described, part_of, secondary_part = _fit_split(run, own, secondary, n, later)
    else:
        parts, described, part_of, secondary_part = _replay_split(own, secondary, _parts, _labels)
    new_keys = _next_keys(run, len(parts))
    if _parts is not None:
        new_keys = _reuse_keys(themes, list(_parts), new_keys)
    made = []
    for i, new_key in enumerate(new_keys):
        info = described[i]
        made.append(
            RunTheme(
                run_id=run.id,
                key=new_key,
                position=theme.position,
                label=str(info.get("label") or f"{theme.label} ({i + 1})")[:MAX_LABEL],
                description="",
                keywords=list(info.get("keywords") or []),
                quotes=list(info.get("quotes") or []),
                summary=_named_parts(list(info.get("summary") or []), described, new_keys),
                # the figure of the theme it was cut from (smoke9 finding 8: "1.00 (stable)"
                # for parts of a 0.65 theme): re-fitting the part's own answers measures only
                # how the cut repeats, not whether the part survives a refit of every answer
                stability=theme.stability,
                stance={},
                segments={},
                origin="split",
            )
        )
    before = _snapshot(themes, own + secondary)
    db.session.add_all(made)
    db.session.flush()
    if stability_measured_now(run, theme):
        note_stability_measured_now(run, [t.key for t in made if t.stability is not None])
    for row in own:
        part = made[part_of[row.id]]
        row.theme_id = part.id
        row.themes = [[part.key, row.themes[0][1] if row.themes else None]] + [
            e for e in row.themes[1:] if e[0] != key
        ]
    for row in secondary:
        part = made[secondary_part[row.id]]
        row.themes = [[part.key, e[1]] if e[0] == key else e for e in row.themes]
    theme.hidden = True
    at = themes.index(theme)
    themes[at + 1 : at + 1] = made
    _renumber(themes)
    _save_rows(own + secondary)
    recompute(run, themes, rows, changed={key, *new_keys}, totals=_totals(run))
    if not later:
        refresh_keywords(run, themes, new_keys)
        _count_parts(run, made, own + secondary)
        others = [t for t in themes if not t.hidden and t not in made]
        for part in made:
            counted = list(part.summary or [])
            part.summary = not_said_elsewhere(counted, others)
            part.unlisted_points = unlisted_after(part.unlisted_points, counted, part.summary)
    _notes_name_visible(themes, {key: list(new_keys)})
    payload = {
        "key": key,
        "n": len(made),
        "parts": {t.key: sorted(r.reference for r in own if r.theme_id == t.id) for t in made},
        "labels": {
            t.key: {
                "label": t.label,
                "keywords": t.keywords,
                "quotes": t.quotes,
                "summary": t.summary,
            }
            for t in made
        },
        "before": before,
        "created": [t.key for t in made],
    }
    edit = _log(run, "split", [key, *new_keys], payload, who)
    if later:
        for part in made:
            part.describing = edit.id
    who.finish()
    return made


def _notes_name_visible(themes: list[RunTheme], renames: dict[str, list[str]]) -> None:
    """Every visible theme's note "… for the other points its answers make, see T03 and
    T07." names only visible themes after an edit hid some (tidy29 #5): a theme merged into
    another is named by the theme it went into, a split theme by its parts
    (``renames``), a name no longer visible otherwise dropped
    (:func:`analysis.other_themes.renamed_note`). A note left naming none (each theme it named
    merged into this one, or hidden) is dropped: "the other points its answers make are other
    themes'" would no longer be true."""
    from analysis.other_themes import renamed_note

    visible = {t.key for t in themes if not t.hidden}
    for theme in themes:
        if theme.hidden or not theme.summary:
            continue
        summary, changed = [], False
        for point in theme.summary:
            text = (
                renamed_note(str(point.get("text") or ""), renames, visible, theme.key)
                if point.get("only_point")
                else None
            )
            if text == "":
                changed = True
                continue
            if text is not None:
                point, changed = {**point, "text": text}, True
            summary.append(point)
        if changed:
            theme.summary = summary


def _named_parts(
    summary: list[dict[str, Any]], described: list[dict[str, Any]], keys: list[str]
) -> list[dict[str, Any]]:
    """``summary`` with its note "… for the other points its answers make, see T01 and T02."
    naming the split's parts by their keys in the run (``keys``, in the order of the fit's
    themes ``described``): the fit of the theme's own answers names its themes T01, T02 …, so
    a part said "belong to other themes: T01" of a theme no longer in the run (smoke11
    finding 3b). The note is read and written by one rule (:func:`analysis.other_themes.named_in`,
    :func:`analysis.other_themes.other_themes_note`), every name kept in its order. A name not
    found there is dropped with the list (the note then names none)."""
    from analysis.other_themes import named_in, other_themes_note

    key_of = {str(info.get("id") or ""): key for info, key in zip(described, keys, strict=False)}
    key_of.pop("", None)
    out = []
    for point in summary:
        named = named_in(str(point.get("text") or "")) if point.get("only_point") else None
        if named:
            known = all(name in key_of for name in named)
            renamed = [key_of[name] for name in named] if known else []
            point = {**point, "text": other_themes_note(renamed)}
        out.append(point)
    return out


def _count_parts(run: AnalysisRun, made: list[RunTheme], rows: list[Row]) -> None:
    """Each split part's label-point count and its summary points' counts, over the answers
    mentioning it now, as a run counts its themes' (:func:`analysis.group.count_points`,
    semantic engine only): :func:`recompute` drops the counts of a theme whose answers
    changed, and the split's fit counted only the part's own answers. Also a move's and a
    create's changed themes (:func:`_count_changed`); ``rows`` need their texts."""
    from analysis.group import count_points

    engine = run.engine_used or (run.settings or {}).get("engine") or ""
    visible = [t for t in run.themes if not t.hidden]
    visible += [t for t in made if not any(t is v for v in visible)]
    for part in made:
        mentioning = [row for row in rows if part.key in row.keys]
        left: list[str] = []
        part.label_point, part.summary = count_points(
            part.label,
            list(part.summary or []),
            [row.text or "" for row in mentioning],
            [row.reference for row in mentioning],
            engine,
            # each answer under its nearest heading of the run's, as the run counts
            statements_of([t for t in visible if t is not part]),
            # an answer on the other side from the label's never counts for it (count31)
            stances=[row.stance or "" for row in mentioning] if stance_measured(run) else None,
            label_side=own_side(part, rows) if stance_measured(run) else None,
            # the points the run's count read that the summary no longer lists (store33)
            unlisted=part.unlisted_points,
            left_out=left,
            # the other themes' labels read as labels, as the run reads them (store33)
            rival_labels=[t.label for t in visible if t is not part and t.label],
        )
        if left or part.unlisted_points is not None:
            part.unlisted_points = [*(part.unlisted_points or []), *left]


def own_side(theme: RunTheme, rows: list[Row]) -> str:
    """The side ``theme``'s label speaks for, read as a run reads it
    (:func:`analysis.stages._sides`): the side most of its own (primary) distinct answers
    took (:func:`analysis.describe.leading_side`), not every answer mentioning it (rev31b)."""
    from analysis.describe import leading_side

    stances: dict[str, str] = {}
    for row in rows:
        if row.theme_id == theme.id:
            stances.setdefault(row.text or "", row.stance or "")
    return leading_side(list(range(len(stances))), list(stances.values()))


def _count_changed(
    run: AnalysisRun, themes: list[RunTheme], changed: set[str], skip: set[str] = frozenset()
) -> None:
    """Count again the label's point and the summary points of the visible themes in
    ``changed`` but not ``skip`` over the answers mentioning each now (:func:`_count_parts`),
    as a merge and a split do: after a move or a create, the themes that gave or took answers
    lost their "label made by fewer than half" flag and their counts, and the page then said
    "Nothing flagged" (smoke11 finding 1)."""
    targets = [t for t in themes if not t.hidden and t.key in changed and t.key not in skip]
    if targets:
        _count_parts(run, targets, _rows(run, texts=True, keys=[t.key for t in targets]))


def _later(at_most: int | None, who: Context, answers: int) -> bool:
    """Whether a move's, create's or rename's counting (:func:`_count_changed`, and a
    created theme's description) is left to a worker: ``answers`` (those mentioning the
    changed themes) over ``at_most`` (``RECOUNT_IN_REQUEST_AT_MOST``; None: never), and not
    a rerun replaying the edit (then everything is done at once, as for a merge)."""
    return at_most is not None and not who.carried and answers > at_most


def _leave_to_worker(themes: list[RunTheme], changed: set[str], edit: ThemeEdit) -> None:
    """Mark the visible themes in ``changed`` waiting for ``edit``'s worker
    (:mod:`consult.reports.recount_later`): ``describing`` set to its id. A theme already
    waiting only to be counted again after an earlier move, create or rename (answers moved
    out of it meanwhile) is taken over: this edit's job counts it over its answers now, the
    earlier job, whose count may predate them, then leaves it. One waiting to be described
    (after a merge or split, or the theme a create made) is left to that edit's job, which
    counts over its answers as they are when it runs."""
    from .recount_later import RECOUNT_KINDS

    targets = [t for t in themes if t.key in changed and not t.hidden]
    earlier = {t.describing for t in targets if t.describing is not None}
    edits = {
        e.id: e for e in db.session.scalars(select(ThemeEdit).where(ThemeEdit.id.in_(earlier)))
    }
    for theme in targets:
        other = edits.get(theme.describing) if theme.describing is not None else None
        if other is not None and (
            other.kind not in RECOUNT_KINDS
            or theme.key in ((other.payload or {}).get("created") or [])
        ):
            continue
        theme.describing = edit.id


def _requote(
    run: AnalysisRun, themes: list[RunTheme], changed: set[str], count: int | None = None
) -> None:
    """Quote the visible themes in ``changed`` again from their main answers now
    (:func:`analysis.review.requote`): a theme that gave answers away to a created theme or
    by a move quoted one of them, with its old "N other answers say the same" (smoke12
    finding 1). ``count``: how many quotes (default: as many as each had)."""
    targets = [t for t in themes if not t.hidden and t.key in changed]
    if not targets:
        return
    rows = _rows(run, texts=True, keys=[t.key for t in targets])
    for theme in targets:
        quotes = _quotes_of(list(theme.quotes or []), rows, theme.id, count)
        if quotes != (theme.quotes or []):
            theme.quotes = quotes


def _quotes_of(
    quotes: list[dict[str, Any]], rows: list[Row], theme_id: int, count: int | None = None
) -> list[dict[str, Any]]:
    """:func:`analysis.review.requote` over the rows whose main theme is ``theme_id``."""
    from analysis.review import requote

    return requote(quotes, [(r.reference, r.text) for r in rows if r.theme_id == theme_id], count)


def split_model(run, n: int):
    """The :class:`analysis.ThemeModel` a split of one of ``run``'s themes into ``n`` fits:
    the run's engine, seed and side margin (each run keeps the margin it used; a run from
    before margins were recorded, the default)."""
    from analysis import ThemeModel
    from analysis.flags import SIDE_MARGIN

    settings = run.settings or {}
    engine = run.engine_used or settings.get("engine") or "auto"
    return ThemeModel(
        n_themes=n,
        engine=engine,
        seed=int(settings.get("seed") or 0),
        side_margin=settings.get("side_margin", SIDE_MARGIN),
    )


def _fit_split(run, own, secondary, n, partition_only: bool = False):
    """Re-cluster the theme's own responses into ``n`` with the engine, their stored stances
    as their agreement answers when the run measured stance. ``partition_only``: the fit's
    grouping alone (:meth:`analysis.ThemeModel.fit_partition`, the same parts), each part
    described as ``{}``, for a worker to describe."""
    from analysis.errors import InputError

    if len(own) < n:
        raise ReviewError(f"This theme has {len(own)} responses, too few to split into {n}.")
    model = split_model(run, n)
    # each answer's stored stance given back as its agreement answer, so the parts' summary
    # points say whose they are as every theme's do (smoke9 finding 8: "For: …" lost)
    agreement = None
    if stance_measured(run):
        agreement = [AGREEMENT_OF_STANCE.get(r.stance or "", "") for r in own]
    fit = model.fit_partition if partition_only else model.fit
    try:
        fit([r.text for r in own], ids=[r.reference for r in own], agreement=agreement)
    except InputError as error:
        raise ReviewError(f"This theme cannot be split into {n}: {error}.") from None
    labels = [int(x) for x in model.labels_]
    sizes = Counter(x for x in labels if x >= 0)
    largest = sizes.most_common(1)[0][0] if sizes else 0
    part_of = {r.id: (x if x >= 0 else largest) for r, x in zip(own, labels, strict=True)}
    secondary_part = {}
    if secondary:
        predicted = model.predict([r.text for r in secondary])
        secondary_part = {
            r.id: (int(x) if x >= 0 else largest) for r, x in zip(secondary, predicted, strict=True)
        }
    described = [{} for _ in range(model.n_themes_)] if partition_only else model.themes_
    return list(range(model.n_themes_)), described, part_of, secondary_part


def _replay_split(own, secondary, parts, labels):
    """Partition as an earlier split did: recorded references keep their part; responses new
    to this run join the part whose members they are most like (TF-IDF)."""
    keys = list(parts)
    where = {ref: i for i, k in enumerate(keys) for ref in parts[k]}
    part_of = {r.id: where[r.reference] for r in own if r.reference in where}
    others = [r for r in own if r.reference not in where] + list(secondary)
    secondary_part = {}
    if others:
        groups = [[r.text for r in own if part_of.get(r.id) == i] for i in range(len(keys))]
        nearest = _nearest_group(groups, [r.text for r in others])
        for row, i in zip(others, nearest, strict=True):
            if row in secondary:
                secondary_part[row.id] = i
            else:
                part_of[row.id] = i
    described = [dict((labels or {}).get(k) or {}) for k in keys]
    return list(range(len(keys))), described, part_of, secondary_part


def _reuse_keys(themes: list[RunTheme], wanted: list[str], fresh: list[str]) -> list[str]:
    """On replay, give parts their recorded keys where this run does not use them yet."""
    used = {t.key for t in themes}
    return [k if k not in used else fresh[i] for i, k in enumerate(wanted)]


def _tfidf(texts: list[str]):
    from sklearn.feature_extraction.text import TfidfVectorizer

    vectorizer = TfidfVectorizer(sublinear_tf=True, stop_words="english", min_df=1)
    try:
        return vectorizer.fit_transform(texts)
    except ValueError:  # nothing but stop words
        return None


def _nearest_group(groups: list[list[str]], texts: list[str]) -> list[int]:
    """For each text, the group whose TF-IDF centroid it is most similar to."""
    import numpy as np

    matrix = _tfidf([t for g in groups for t in g] + texts)
    if matrix is None:
        return [0] * len(texts)
    centroids = []
    start = 0
    for group in groups:
        block = matrix[start : start + len(group)]
        start += len(group)
        centroids.append(np.asarray(block.mean(axis=0)).ravel() if len(group) else None)
    tail = matrix[start:]
    scores = np.column_stack(
        [tail @ c if c is not None else np.full(tail.shape[0], -1.0) for c in centroids]
    )
    return [int(i) for i in scores.argmax(axis=1)]


def move_responses(
    run: AnalysisRun,
    references: list[str],
    to_key: str,
    user: User | None,
    *,
    recount_at_most: int | None = None,
    _who: Context | None = None,
) -> int:
    """Move responses (by reference) to theme ``to_key``: it becomes their primary theme and
    their old primary theme stays as a theme they mention (as :func:`create_theme` keeps it:
    :data:`consult.reports.wording.MOVED_KEEPS_MENTION`); they are marked moved by hand. The
    keywords of the themes that gained or lost answers are found again against the other themes
    (:mod:`consult.reports.edit_keywords`). Returns how many moved (responses already there
    are not counted). With ``recount_at_most``, when more answers than that mention the
    changed themes, their points are left for a worker to count (:func:`_later`): the move
    itself, the themes' sizes, breakdowns and quotes are done here, their keywords by the
    worker too."""
    who = _who or _context(user)
    _check_run(run, who)
    target = visible_theme(run, to_key)
    wanted = list(dict.fromkeys(r.strip() for r in references if r and r.strip()))
    if not wanted:
        raise ReviewError("Choose at least one response to move.")
    themes = _themes(run)
    by_ref = {r.reference: r for r in _rows(run, references=wanted)}
    unknown = [ref for ref in wanted if ref not in by_ref]
    if unknown and _who is None:
        raise ReviewError(f"This analysis has no response {unknown[0]}.")
    moving = [by_ref[ref] for ref in wanted if ref in by_ref and by_ref[ref].theme_id != target.id]
    if not moving:
        raise ReviewError(f"The chosen responses are already in theme {to_key}.")
    key_of = {t.id: t.key for t in themes}
    before = _snapshot(themes, moving)
    origins = {}
    for row in moving:
        old = key_of.get(row.theme_id) if row.theme_id is not None else None
        origins[row.reference] = old
        # The old main theme stays as a theme the answer mentions, as when a theme is made
        # from examples (MOVED_KEEPS_MENTION): the two dropped and kept it (smoke17 #5).
        row.themes = [[target.key, None]] + [
            [e[0], None] if e[0] == old else e for e in row.themes if e[0] != target.key
        ]
        row.theme_id = target.id
        row.confidence = None
        row.moved_by_hand = True
    _save_rows(moving)
    changed = {to_key, *(k for k in origins.values() if k)}
    rows = _rows(run, keys=changed)
    recompute(run, themes, rows, changed=changed, totals=_totals(run))
    later = _later(recount_at_most, who, len(rows))
    if not later:  # else the worker finds them (consult.reports.recount_later)
        refresh_keywords(run, themes, changed)
        _count_changed(run, themes, changed)
    _requote(run, themes, changed)
    payload = {
        "to": to_key,
        "references": [r.reference for r in moving],
        "from": origins,
        "before": before,
    }
    keys = [to_key, *sorted(k for k in set(origins.values()) if k)]
    edit = _log(run, "move", keys, payload, who)
    if later:
        _leave_to_worker(themes, changed, edit)
    who.finish()
    return len(moving)


def create_theme(
    run: AnalysisRun,
    label: str,
    example_references: list[str],
    user: User | None,
    pull_in: int = 10,
    *,
    recount_at_most: int | None = None,
    _who: Context | None = None,
    _members: list[str] | None = None,
    _key: str | None = None,
) -> RunTheme:
    """Create a theme from example responses and pull in the ``pull_in`` responses most like
    them: TF-IDF (scikit-learn) over the run's texts, the examples' centroid, and the other
    substantive responses with cosine similarity at least :data:`PULL_IN_FLOOR`, most similar
    first. Members take the new theme as primary (their old primary stays as a secondary
    theme); all of them, pulled in or examples, are marked moved by hand, with no confidence
    (the model's was for their old theme). The themes they left are quoted again. The new
    theme's keywords, and those of the themes that lost answers to it, are found against the
    other themes (:mod:`consult.reports.edit_keywords`). With ``recount_at_most``, when more
    answers than that mention the changed themes, the new theme's description, the changed
    themes' keywords and the others' counts are left for a worker (:func:`_later`)."""
    import numpy as np

    who = _who or _context(user)
    _check_run(run, who)
    label = (label or "").strip()
    if not label:
        raise ReviewError("Enter a name for the new theme.")
    if len(label) > MAX_LABEL:
        raise ReviewError(f"The theme's name must be {MAX_LABEL} characters or fewer.")
    _check_name(run, label, who)
    examples = list(dict.fromkeys(r.strip() for r in example_references if r and r.strip()))
    if not examples:
        raise ReviewError("Give at least one example response's reference.")
    try:
        pull_in = int(pull_in)
    except (TypeError, ValueError):
        raise ReviewError("The number of responses to pull in must be a whole number.") from None
    if pull_in < 0:
        raise ReviewError("The number of responses to pull in cannot be negative.")
    themes = _themes(run)
    rows = _texts(run)
    by_ref = {r.reference: r for r in rows}
    unknown = [ref for ref in examples if ref not in by_ref]
    if unknown and _who is None:
        raise ReviewError(f"This analysis has no response {unknown[0]}.")
    examples = [ref for ref in examples if ref in by_ref]
    if not examples:
        raise ReviewError("None of the example responses is in this analysis.")
    similarity: dict[str, float] = {}
    if _members is not None:
        chosen = [ref for ref in dict.fromkeys(examples + _members) if ref in by_ref]
    else:
        pulled: list[str] = []
        matrix = _tfidf([r.text for r in rows]) if pull_in else None
        if matrix is not None:
            position = {r.reference: i for i, r in enumerate(rows)}
            centroid = np.asarray(matrix[[position[r] for r in examples]].mean(axis=0)).ravel()
            norm = float(np.linalg.norm(centroid))
            if norm > 0:
                scores = matrix @ (centroid / norm)
                taken = set(examples)
                for i in np.argsort(-scores, kind="stable"):
                    row = rows[int(i)]
                    if len(pulled) >= pull_in or scores[i] < PULL_IN_FLOOR:
                        break
                    if row.reference in taken or row.non_substantive:
                        continue
                    pulled.append(row.reference)
                    similarity[row.reference] = round(float(scores[i]), 4)
        chosen = examples + pulled
    key = _key if _key and _key not in {t.key for t in themes} else _next_keys(run, 1)[0]
    coded = {r.reference: r for r in _rows(run, texts=True, references=chosen)}
    members = [coded[ref] for ref in chosen]
    key_of = {t.id: t.key for t in themes}
    before = _snapshot(themes, members)
    theme = RunTheme(
        run_id=run.id,
        key=key,
        position=len(themes),
        label=label,
        description="",
        keywords=[],
        quotes=[],
        summary=[],
        stance={},
        segments={},
        origin="created",
    )
    db.session.add(theme)
    db.session.flush()
    themes.append(theme)
    _renumber([t for t in themes if t is not theme] + [theme])
    changed = {key}
    for row in members:
        old = key_of.get(row.theme_id) if row.theme_id is not None else None
        if old:
            changed.add(old)
        row.themes = [[key, similarity.get(row.reference)]] + [e for e in row.themes if e[0] != key]
        row.theme_id = theme.id
        # Placed here by a reviewer, the pulled-in answers as much as the examples: the
        # model's confidence in their old theme no longer applies (smoke12 finding 13).
        row.confidence = None
        row.moved_by_hand = True
    _save_rows(members)
    mentioning = _rows(run, keys=changed)
    recompute(run, themes, mentioning, changed=changed, totals=_totals(run))
    later = _later(recount_at_most, who, len(mentioning))
    if not later:  # else the worker does it (consult.reports.recount_later)
        _describe_created(run, theme, members, themes)
        _count_changed(run, themes, changed, skip={key})
        # keywords after the description, which would otherwise set them from the theme alone
        refresh_keywords(run, themes, changed)
    _requote(run, themes, changed - {key})
    # the examples first, then what the others say, alike answers one quote (smoke12)
    theme.quotes = _quotes_of(
        [{"id": ref, "text": coded[ref].text} for ref in examples], members, theme.id, 5
    )
    payload = {
        "key": key,
        "label": label,
        "examples": examples,
        "members": [r.reference for r in members],
        "pull_in": pull_in,
        "floor": PULL_IN_FLOOR,
        "before": before,
        "created": [key],
    }
    edit = _log(run, "create", sorted(changed), payload, who)
    if later:
        _leave_to_worker(themes, changed, edit)
    who.finish()
    return theme


def _describe_created(
    run: AnalysisRun, theme: RunTheme, members: list[Row], themes: list[RunTheme]
) -> None:
    """A created theme's keywords and summary points (with their counts), found from its
    answers under its label as a merged theme's are (:func:`describe_members`); it had an
    empty "Keywords" heading and no points (smoke10 finding 9). Left empty when the engine
    refuses its answers."""
    own = [Member(r.reference, r.text, r.stance) for r in members]
    others = [t for t in themes if not t.hidden and t is not theme]
    described = describe_members(run, own, theme.label, rivals=statements_of(others))
    if described is None:
        return
    theme.keywords = described.keywords
    theme.summary = not_said_elsewhere(described.summary, others)
    theme.label_point = described.label_point
    theme.unlisted_points = unlisted_after(described.unlisted, described.summary, theme.summary)


# --- history and undo -----------------------------------------------------------------------


def history(run: AnalysisRun, key: str | None = None) -> list[ThemeEdit]:
    """The run's edits, newest first; with ``key``, only those touching that theme."""
    edits = list(
        db.session.scalars(
            select(ThemeEdit).where(ThemeEdit.run_id == run.id).order_by(ThemeEdit.id.desc())
        )
    )
    if key is None:
        return edits
    return [edit for edit in edits if key in (edit.theme_keys or [])]


@dataclass
class Gone:
    """Where a hidden theme went: the edit (a merge or split still in force) and the themes
    its answers went to; ``edit`` None when no such edit is found."""

    key: str
    edit: ThemeEdit | None
    to: list[str]


def gone(run: AnalysisRun, theme: RunTheme) -> Gone | None:
    """For a merged-away or split-away theme, the merge or split that hid it; None for a
    visible theme. A link saved before the merge showed the hidden theme as live, with its
    stale counts (smoke12 finding 2)."""
    if not theme.hidden:
        return None
    for edit in history(run, theme.key):
        if not _active(edit):
            continue
        p = edit.payload or {}
        if edit.kind == "merge" and theme.key in p.get("keys", []) and p.get("into") != theme.key:
            return Gone(theme.key, edit, [str(p.get("into"))])
        if edit.kind == "split" and p.get("key") == theme.key:
            return Gone(theme.key, edit, [str(k) for k in p.get("created", [])])
    return Gone(theme.key, None, [])


def known_key(run: AnalysisRun, key: str) -> bool:
    """Whether the run has (or had, before an undo) a theme with this key: its history."""
    if db.session.scalar(select(RunTheme.id).where(RunTheme.run_id == run.id, RunTheme.key == key)):
        return True
    return bool(history(run, key))


def edit_describer(edits: Iterable[ThemeEdit]) -> Callable[[ThemeEdit], str]:
    """:func:`describe_edit` for a page of ``edits``, with the runs their carried-over edits
    came from looked up once (review fixr17b #6: a SELECT per edit, as a deleted run is never
    in the session)."""
    from_runs = {
        int(edit.payload["from_run"])
        for edit in edits
        if (edit.payload or {}).get("carried_over") and (edit.payload or {}).get("from_run")
    }
    existing = (
        set(db.session.scalars(select(AnalysisRun.id).where(AnalysisRun.id.in_(from_runs))))
        if from_runs
        else set()
    )
    return lambda edit: describe_edit(edit, existing)


def describe_edit(edit: ThemeEdit, existing_runs: set[int] | None = None) -> str:
    """One line saying what an edit did, for history lists; ``existing_runs``: the runs known
    to exist (else each carried-over edit's run is looked up)."""
    p = edit.payload or {}
    keys = ", ".join(edit.theme_keys or [])
    text = {
        "rename": f"Renamed {p.get('key')} to “{p.get('label')}”",
        "describe": f"Described {p.get('key')}",
        "merge": f"Merged {', '.join(p.get('keys', []))} into {p.get('into')}{_named(p)}",
        "split": f"Split {p.get('key')} into {', '.join(p.get('created', []))}",
        "move": f"Moved {plural(len(p.get('references', [])), 'response')}"
        f"{_moved_from(p)} to {p.get('to')}",
        "create": f"Created {p.get('key')} “{p.get('label')}” with "
        f"{plural(len(p.get('members', [])), 'response')}",
        "reviewed": f"Marked {p.get('key')} {'reviewed' if p.get('reviewed') else 'not reviewed'}",
        "undo": f"Undid edit {p.get('undoes')} ({p.get('undone_kind', '')})",
    }.get(edit.kind, f"{edit.kind} {keys}")
    if p.get("carried_over"):
        from_run = p.get("from_run")
        if not from_run:
            gone = False
        elif existing_runs is not None:
            gone = int(from_run) not in existing_runs
        else:
            gone = db.session.get(AnalysisRun, from_run) is None
        text += f" (carried over from run {p.get('from_run')}{', deleted' if gone else ''})"
    return text


def _named(payload: dict) -> str:
    """ " “New name”" after a merge's key in its history line: the name the merged theme
    took, as the rename and create lines name theirs (smallfix finding 2); "" for a merge
    stored without one."""
    label = str(payload.get("label") or "").strip()
    return f" “{label}”" if label else ""


def _moved_from(payload: dict) -> str:
    """ " from T02" (" from T02, T05") for a move's history line: the themes its responses
    left, as its banner says (smoke13 finding 2); "" for a move stored without them."""
    origins = sorted({key for key in (payload.get("from") or {}).values() if key})
    return f" from {', '.join(origins)}" if origins else ""


def blocking_edit(run: AnalysisRun, edit: ThemeEdit) -> ThemeEdit | None:
    """The newest later edit still in force that touches one of ``edit``'s themes, which
    must be undone before ``edit`` can be; None when nothing blocks it (smoke13 finding 1:
    the undo page offered its button only to refuse it)."""
    return blocking_edits(run, [edit]).get(edit.id)


def blocking_edits(run: AnalysisRun, edits: list[ThemeEdit]) -> dict[int, ThemeEdit]:
    """For each of ``edits`` still in force, the edit blocking its undo
    (:func:`blocking_edit`), by edit id; edits nothing blocks are left out."""
    later = list(
        db.session.scalars(
            select(ThemeEdit).where(ThemeEdit.run_id == run.id).order_by(ThemeEdit.id.desc())
        )
    )
    found: dict[int, ThemeEdit] = {}
    for edit in edits:
        if not _active(edit):
            continue
        keys = set(edit.theme_keys or [])
        for other in later:  # newest first
            if other.id <= edit.id:
                break
            if _active(other) and keys & set(other.theme_keys or []):
                found[edit.id] = other
                break
    return found


def _active(edit: ThemeEdit) -> bool:
    return edit.kind != "undo" and edit.undone_at is None


def undo(run: AnalysisRun, edit_id: int, user: User | None) -> ThemeEdit:
    """Undo an edit: restore what it changed, mark it undone and log an 'undo' edit.

    The latest edit (or one followed only by undone later edits) is restored exactly.
    An older edit can be undone only when no later edit still in force touches the same
    themes; otherwise ReviewError names the edit to undo first.
    """
    _check_run(run)
    who = _context(user)
    edit = db.session.get(ThemeEdit, edit_id)
    if edit is None or edit.run_id != run.id:
        raise ReviewError("That edit does not belong to this analysis.")
    if edit.kind == "undo":
        raise ReviewError("An undo cannot be undone; make the change again instead.")
    if edit.undone_at is not None:
        raise ReviewError("That edit has already been undone.")
    later = list(
        db.session.scalars(
            select(ThemeEdit)
            .where(ThemeEdit.run_id == run.id, ThemeEdit.id > edit.id)
            .order_by(ThemeEdit.id)
        )
    )
    keys = set(edit.theme_keys or [])
    blocker = blocking_edit(run, edit)
    if blocker is not None:
        raise ReviewError(
            f"Undo the later edit to the same themes first: {describe_edit(blocker)}."
        )
    # Exact restore when everything after this edit was itself undone, newest first.
    exact = all(
        (not _active(e)) and (e.kind != "undo" or int(e.payload.get("undoes", 0)) > edit.id)
        for e in later
    )
    before = (edit.payload or {}).get("before", {})
    themes = _themes(run)
    by_key = {t.key: t for t in themes}
    created = set((edit.payload or {}).get("created", []))
    # Assignments first (created themes may be their theme now), then themes.
    _write_states(before.get("assignments", []))
    dumps = before.get("themes", [])
    restore = dumps if exact else [d for d in dumps if d.get("key") in keys]
    for data in restore:
        theme = by_key.get(data.get("key"))
        if theme is not None:
            _load_theme(theme, data)
    for key in created:
        theme = by_key.get(key)
        if theme is not None:
            db.session.delete(theme)
    db.session.flush()
    if edit.kind in MEMBERSHIP_KINDS and not exact:
        remaining = [t for t in _themes(run)]
        recompute(run, remaining, _rows(run), changed=keys)
        _keep_restored_counts(remaining, restore)
    record = _log(
        run,
        "undo",
        sorted(keys),
        {"undoes": edit.id, "undone_kind": edit.kind, "exact": exact},
        who,
    )
    edit.undone_at = utcnow()
    edit.undone_by_edit_id = record.id
    db.session.commit()
    return record


def _keep_restored_counts(themes: list[RunTheme], restored: list[dict[str, Any]]) -> None:
    """Give a theme an undo restored back its label-point count and its summary points'
    counts when its answers came back as they were (same size and mentions): :func:`recompute`
    drops them for a theme whose answers changed, and an undo of an older split lost the
    restored theme's "label made by fewer than half" flag (smoke10 finding 4)."""
    by_key = {t.key: t for t in themes if not t.hidden}
    for data in restored:
        theme = by_key.get(data.get("key"))
        if theme is None or data.get("hidden"):
            continue
        if (theme.size, theme.mentions) == (data.get("size"), data.get("mentions")):
            theme.label_point = data.get("label_point")
            theme.multi_point = data.get("multi_point")
            theme.summary = data.get("summary") or []
            if "unlisted_points" in data:
                theme.unlisted_points = data["unlisted_points"]


# --- the machine's own themes ------------------------------------------------------------


def machine_members(run: AnalysisRun) -> dict[str, set[str]]:
    """Each machine theme's primary members (response references) as the engine stored them,
    before the review edits still in force: the current codings with every such edit's
    recorded "before" states put back, newest first.

    A rerun should match its new themes to these (not to the reviewed themes), so a merged,
    split or created theme does not take a machine theme's key; :func:`replay_edits` then
    redoes the edits on the matched keys."""
    keys = {t.id: t.key for t in _themes(run)}
    current = {row.id: (row.reference, row.theme_id) for row in _rows(run)}
    edits = db.session.scalars(
        select(ThemeEdit)
        .where(ThemeEdit.run_id == run.id, ThemeEdit.kind.in_(MEMBERSHIP_KINDS))
        .order_by(ThemeEdit.id.desc())
    )
    created: set[str] = set()
    for edit in edits:
        if not _active(edit):
            continue
        created.update((edit.payload or {}).get("created") or [])
        for state in ((edit.payload or {}).get("before") or {}).get("assignments", []):
            if state[0] in current:
                current[state[0]] = (current[state[0]][0], state[1])
    members: dict[str, set[str]] = {key: set() for key in keys.values() if key not in created}
    for reference, theme_id in current.values():
        key = keys.get(theme_id)
        if key in members:
            members[key].add(reference)
    return members


# --- replaying edits on a rerun -------------------------------------------------------------


def _members_by_key(run: AnalysisRun) -> dict[str, set[str]]:
    rows = db.session.execute(
        select(RunTheme.key, RunAssignment.reference)
        .join(RunTheme, RunTheme.id == RunAssignment.theme_id)
        .where(RunAssignment.run_id == run.id, RunTheme.hidden.is_(False))
    )
    members: dict[str, set[str]] = {}
    for key, reference in rows:
        members.setdefault(key, set()).add(reference)
    return members


def _resolve(
    run: AnalysisRun, key: str, recorded: Iterable[str] | None, claimed: set[str]
) -> str | None:
    """The key in ``run`` for the earlier run's theme ``key``: itself when visible; else the
    visible theme (not ``claimed``) sharing most of its recorded members (Jaccard >= 0.2),
    re-keyed to ``key`` when this run does not use that key. None when nothing matches."""
    visible = {t.key: t for t in _themes(run) if not t.hidden}
    if key in visible:
        return key
    recorded = set(recorded or [])
    if not recorded:
        return None
    best, best_score = None, 0.2
    for other, members in _members_by_key(run).items():
        if other in claimed or other not in visible:
            continue
        union = recorded | members
        score = len(recorded & members) / len(union) if union else 0.0
        if score >= best_score:
            best, best_score = other, score
    if best is None:
        return None
    used = db.session.scalar(
        select(RunTheme.id).where(RunTheme.run_id == run.id, RunTheme.key == key)
    )
    if used is None:
        visible[best].key = key
        _rekey_rows(run, best, key)
        db.session.flush()
        return key
    return best


def _rekey_rows(run: AnalysisRun, old: str, new: str) -> None:
    rows = [r for r in _rows(run, keys=[old]) if old in r.keys]
    for row in rows:
        row.themes = [[new if e[0] == old else e[0], e[1]] for e in row.themes]
    _save_rows(rows)


def replay_edits(previous_run: AnalysisRun, new_run: AnalysisRun) -> list[ThemeEdit]:
    """Carry every human edit of ``previous_run`` still in force over to ``new_run`` (a rerun
    whose machine themes are stored, flushed, with keys matched to the previous run's), in
    order, skipping undone edits.

    Names, descriptions, merges, splits, moves, reviewed marks and created themes are
    replayed by theme key and response reference; a theme whose key the rerun does not have
    is found by its recorded members where the edit recorded them (merges and splits). A
    response moved by hand stays where it was put when it is in the new run. Replayed edits
    are logged in the new run marked ``carried_over`` (with ``from_run`` and ``from_edit``);
    an edit that no longer applies (its theme is gone) is skipped, in its own savepoint.
    Nothing is committed: the caller commits (``reports``' job does, after setting the run's
    status). Returns the edits made in the new run.
    """
    made: list[ThemeEdit] = []
    edits = list(
        db.session.scalars(
            select(ThemeEdit).where(ThemeEdit.run_id == previous_run.id).order_by(ThemeEdit.id)
        )
    )
    for edit in edits:
        if not _active(edit):
            continue
        who = Context(
            edit.user_id,
            edit.user_email,
            carried={"from_run": previous_run.id, "from_edit": edit.id},
            made=[],
        )
        try:
            with db.session.begin_nested():
                _replay_one(new_run, edit, who)
        except ReviewError:
            continue
        made.extend(who.made or [])
    if made:
        audit.record(
            "theme_edits_replayed",
            f"run {new_run.id}",
            actor="",
            from_run=previous_run.id,
            edits=len(made),
        )
        db.session.flush()
    return made


def _replay_one(run: AnalysisRun, edit: ThemeEdit, who: Context) -> None:
    p = edit.payload or {}
    kind = edit.kind
    if kind in ("rename", "describe", "reviewed"):
        key = _resolve(run, p["key"], None, set())
        if key is None:
            raise ReviewError("theme gone")
        if kind == "reviewed":
            mark_reviewed(run, key, None, bool(p.get("reviewed")), _who=who)
        else:
            rename_theme(run, key, p["label"], None, p.get("description"), _who=who)
    elif kind == "merge":
        members = p.get("members", {})
        keys: list[str] = []
        for key in p.get("keys", []):
            found = _resolve(run, key, members.get(key), set(keys))
            if found is not None and found not in keys:
                keys.append(found)
        merge_themes(run, keys, None, p.get("label"), _who=who)
    elif kind == "split":
        key = p["key"]
        parts = p.get("parts", {})
        visible = {t.key for t in _themes(run) if not t.hidden}
        if key not in visible and parts and all(k in visible for k in parts):
            raise ReviewError("already separate")
        recorded = {ref for refs in parts.values() for ref in refs}
        found = _resolve(run, key, recorded, set())
        if found is None:
            raise ReviewError("theme gone")
        split_theme(run, found, len(parts), None, _who=who, _parts=parts, _labels=p.get("labels"))
    elif kind == "move":
        key = _resolve(run, p["to"], None, set())
        if key is None:
            raise ReviewError("theme gone")
        move_responses(run, p.get("references", []), key, None, _who=who)
    elif kind == "create":
        create_theme(
            run,
            p["label"],
            p.get("examples", []),
            None,
            p.get("pull_in", 0),
            _who=who,
            _members=p.get("members", []),
            _key=p.get("key"),
        )
