"""Whether the run a codebook was made from has been edited since (smoke11 #4).

A codebook made from a run keeps the run's theme keys as they were (T01, T05, T11); a
reviewer's later merge, split or new theme gives the run new keys (T13, T14, T12), so the
coding pages and the report would show one label under two keys with no word. Where the
codebook is shown beside a run, :func:`drift_words` says so and follows each codebook key
through the merges and splits reviewers made since (:func:`key_trail`): "T05 … was merged into
T02 …", "was split into T13 … and T14 …", "is now named …". A key the run's history does not
know (an imported codebook's, say) is paired by label. Where the codebook is shown beside
another run of its question (a rerun, whose keys and themes are its own and share no history
with the codebook), it says how that run's themes differ from the codebook's, paired by label.
Request-free; reads the run and its edits only.
"""

from __future__ import annotations

import re
from datetime import datetime

from sqlalchemy import or_, select

from ..extensions import db
from ..templating import cut_at_word
from ..times import uk_time
from .coding_models import Codebook
from .models import AnalysisRun, RunTheme, ThemeEdit

# Edits that leave keys, labels and answers as they were (a theme marked reviewed).
_QUIET_KINDS = ("reviewed",)
_RUN_SOURCE = re.compile(r"^run (\d+)$")
LABEL_CHARS = 40  # a label is quoted to about this many characters


def source_run_id(codebook: Codebook) -> int | None:
    """The id of the run the codebook was made from ("run 2" -> 2), or None (imported)."""
    found = _RUN_SOURCE.match((codebook.source or "").strip())
    return int(found.group(1)) if found else None


def source_words(codebook: Codebook) -> str:
    """Where the codebook came from, as stored ("run 2"), with ", deleted" when that run has
    since been deleted ("run 2, deleted"): the pages said "Codebook (run 2)" after run 2
    was gone (smoke17 #7)."""
    source = (codebook.source or "").strip()
    run_id = source_run_id(codebook)
    if run_id is not None and db.session.get(AnalysisRun, run_id) is None:
        return f"{source}, deleted"
    return source


def short_label(label: str) -> str:
    """A label cut at a word to about :data:`LABEL_CHARS` characters, with "…" when cut
    (:func:`consult.templating.cut_at_word`)."""
    return cut_at_word(label, LABEL_CHARS)


def _norm(label: str) -> str:
    return " ".join(str(label or "").split()).casefold()


def edited_since(run: AnalysisRun, codebook: Codebook) -> bool:
    """Whether a reviewer changed the run (any edit but marking a theme reviewed, or an
    undo) after the codebook was made from it."""
    if codebook.created_at is None:
        return False
    made = codebook.created_at
    found = db.session.scalar(
        select(ThemeEdit.id)
        .where(
            ThemeEdit.run_id == run.id,
            ThemeEdit.kind.not_in(_QUIET_KINDS),
            or_(ThemeEdit.at > made, ThemeEdit.undone_at > made),
        )
        .limit(1)
    )
    return found is not None


def key_trail(
    run: AnalysisRun, since: datetime, steps: dict[str, int] | None = None
) -> dict[str, list[str]]:
    """Where each theme key of ``run`` as it was at ``since`` went: for every key a merge or
    split made after ``since`` (and not undone) moved, the keys its answers are under now, in
    the order the edits gave them ({"T05": ["T02"]} after T05 was merged into T02,
    {"T04": ["T13", "T14"]} after T04 was split). Keys no such edit touched are absent.
    ``steps``, when given, is filled with how many of those edits each key went through."""
    steps = {} if steps is None else steps
    edits = db.session.scalars(
        select(ThemeEdit)
        .where(
            ThemeEdit.run_id == run.id,
            ThemeEdit.kind.in_(("merge", "split")),
            ThemeEdit.at > since,
            ThemeEdit.undone_at.is_(None),
        )
        .order_by(ThemeEdit.at, ThemeEdit.id)
    ).all()
    trail: dict[str, list[str]] = {}

    def moved(old: str, new: list[str]) -> None:
        for key, now in trail.items():  # keys already moved follow the new edit too
            if old in now:
                trail[key] = list(dict.fromkeys(k for n in now for k in (new if n == old else [n])))
                steps[key] = steps.get(key, 1) + 1
        if old not in trail:
            trail[old] = list(new)
            steps[old] = 1

    for edit in edits:
        payload = edit.payload or {}
        if edit.kind == "merge":
            into = str(payload.get("into") or "")
            for key in payload.get("keys") or []:
                if into and key != into:
                    moved(str(key), [into])
        else:
            created = [str(k) for k in payload.get("created") or []]
            if payload.get("key") and created:
                moved(str(payload["key"]), created)
    return trail


def _joined(items: list[str]) -> str:
    """ "a", "a and b", "a, b and c"."""
    return items[0] if len(items) == 1 else ", ".join(items[:-1]) + " and " + items[-1]


def key_pairs(
    run: AnalysisRun, codebook: Codebook, by_history: bool = True
) -> tuple[list[str], list[str]]:
    """(pairs, gone). Each codebook theme whose key the run's history follows
    (:func:`key_trail`, since the codebook was made) is said as it is now: "T05 “…” was merged
    into T02 “…”", "T04 “…” was split into T13 “…” and T14 “…”", or "T03 “…” is now named
    “…”" when only its label changed. Any other codebook theme is paired by label: "T11 here
    is run 2's T04 “Leaders who live here…”" when the run shows its label under another key,
    and "T05 “…”" in ``gone`` when the run no longer shows it. ``by_history=False`` pairs
    every theme by label (a run other than the codebook's, whose history is its own)."""
    shown = {theme.key: theme for theme in run.visible_themes}
    by_label: dict[str, list[str]] = {}
    for theme in run.visible_themes:
        by_label.setdefault(_norm(theme.label or theme.key), []).append(theme.key)
    steps: dict[str, int] = {}
    history = by_history and codebook.created_at is not None
    trail = key_trail(run, codebook.created_at, steps) if history else {}
    pairs, gone = [], []
    for theme in codebook.themes:
        said = _by_history(theme.key, theme.name, trail, steps, shown) if history else None
        if said is not None:
            pairs.extend([said] if said else [])
            continue
        keys = by_label.get(_norm(theme.name), [])
        quoted = f"“{short_label(theme.name)}”"
        if not keys:
            gone.append(f"{theme.key} {quoted}")
        elif theme.key not in keys:
            now = " or ".join(keys)  # a split's parts may share the label
            pairs.append(f"{theme.key} here is run {run.id}'s {now} {quoted}")
    return pairs, gone


def _by_history(
    key: str,
    name: str,
    trail: dict[str, list[str]],
    steps: dict[str, int],
    shown: dict[str, RunTheme],
) -> str | None:
    """What became of codebook theme ``key`` by the run's history: a sentence part, "" when
    its key and label are as they were, or None when the history cannot say (the key is
    neither moved nor shown: pair it by label)."""
    quoted = f"“{short_label(name)}”"
    now = [k for k in trail.get(key, []) if k in shown]
    if now:
        parts = [f"{k} “{short_label(shown[k].label or k)}”" for k in now]
        if steps.get(key, 1) > 1:  # merged, then split, say: only where it is now
            return f"the answers of {key} {quoted} are now under {_joined(parts)}"
        verb = "merged into" if len(trail[key]) == 1 else "split into"
        return f"{key} {quoted} was {verb} {_joined(parts)}"
    if key in trail or key not in shown:
        return None
    label = shown[key].label or key
    if _norm(label) == _norm(name):
        return ""
    return f"{key} {quoted} is now named “{short_label(label)}”"


def _paired(run: AnalysisRun, pairs: list[str], gone: list[str]) -> str:
    """ ": T11 here is run 2's T04 “…”. Run 2 has no theme labelled as T05 “…” now" (the
    pairs, then the labels gone), to end a sentence that says the themes differ."""
    text = ": " + "; ".join(pairs) if pairs else ""
    if gone:
        lead = ". " if pairs else ": "
        run_word = f"{'R' if pairs else 'r'}un {run.id}"
        if len(gone) == 1:
            text += f"{lead}{run_word} has no theme labelled as {gone[0]} now"
        else:
            text += f"{lead}{run_word} has no theme labelled as these now: " + "; ".join(gone)
    return text


def _other_run_words(codebook: Codebook, source: int, shown: AnalysisRun) -> str:
    """The note for a codebook shown beside a run of its question other than the one it was
    made from (a rerun): how the shown run's themes differ from the codebook's, paired by
    label, or "" when every codebook theme's label is under the same key in it."""
    pairs, gone = key_pairs(shown, codebook, by_history=False)
    if not pairs and not gone:
        return ""
    made = uk_time(codebook.created_at, "date", empty="")
    when = f" on {made}" if made else ""
    return (
        f"This codebook was made from run {source}{when}, not from this run (run {shown.id}), "
        f"whose themes differ from it{_paired(shown, pairs, gone)}."
    )


def drift_words(codebook: Codebook | None, shown: AnalysisRun | None = None) -> str:
    """A sentence saying the run the codebook was made from has been edited since, and how
    its keys now pair with the run's, or "" (not made from a run, the run is gone, or it has
    not been edited since). With ``shown``, the run the codebook is shown beside: when that
    is another run of the question (a rerun), how its themes differ from the codebook's
    instead (:func:`_other_run_words`)."""
    if codebook is None:
        return ""
    run_id = source_run_id(codebook)
    if run_id is not None and shown is not None and shown.id != run_id:
        return _other_run_words(codebook, run_id, shown)
    run = db.session.get(AnalysisRun, run_id) if run_id is not None else None
    if run is None or not edited_since(run, codebook):
        return ""
    pairs, gone = key_pairs(run, codebook)
    made = uk_time(codebook.created_at, "date")
    text = f"This codebook was made from run {run.id} on {made}; the run has been edited since"
    if not pairs and not gone:
        return text + ", but each codebook theme's label is still under the same key there."
    return text + f", so some of its themes differ from the run's now{_paired(run, pairs, gone)}."
