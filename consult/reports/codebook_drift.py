"""Whether the run a codebook was made from has been edited since (smoke11 #4).

A codebook made from a run keeps the run's theme keys as they were (T01, T05, T11); a
reviewer's later merge, split or new theme gives the run new keys (T13, T14, T12), so the
coding pages and the report would show one label under two keys with no word. Where the
codebook is shown beside a run, :func:`drift_words` says so and pairs the keys by label; and
where it is shown beside another run of its question (a rerun, whose keys and themes are its
own), it says how that run's themes differ from the codebook's, paired by label the same way.
Request-free; reads the run and its edits only.
"""

from __future__ import annotations

import re

from sqlalchemy import or_, select

from ..extensions import db
from ..times import uk_time
from .coding_models import Codebook
from .models import AnalysisRun, ThemeEdit

# Edits that leave keys, labels and answers as they were (a theme marked reviewed).
_QUIET_KINDS = ("reviewed",)
_RUN_SOURCE = re.compile(r"^run (\d+)$")
LABEL_CHARS = 40  # a label is quoted to about this many characters


def source_run_id(codebook: Codebook) -> int | None:
    """The id of the run the codebook was made from ("run 2" -> 2), or None (imported)."""
    found = _RUN_SOURCE.match((codebook.source or "").strip())
    return int(found.group(1)) if found else None


def _short(label: str) -> str:
    """A label cut at a word to about :data:`LABEL_CHARS` characters, with "…" when cut."""
    text = " ".join(str(label).split())
    if len(text) <= LABEL_CHARS:
        return text
    cut = text[:LABEL_CHARS]
    if " " in cut:
        cut = cut[: cut.rindex(" ")]
    return cut.rstrip(" ,;:-–(") + "…"


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


def key_pairs(run: AnalysisRun, codebook: Codebook) -> tuple[list[str], list[str]]:
    """(pairs, gone): "T11 here is run 2's T04 “Leaders who live here…”" for each codebook
    theme whose label the run now shows under another key, and "T05 “…”" for each whose label
    the run no longer shows."""
    by_label: dict[str, list[str]] = {}
    for theme in run.visible_themes:
        by_label.setdefault(_norm(theme.label or theme.key), []).append(theme.key)
    pairs, gone = [], []
    for theme in codebook.themes:
        keys = by_label.get(_norm(theme.name), [])
        quoted = f"“{_short(theme.name)}”"
        if not keys:
            gone.append(f"{theme.key} {quoted}")
        elif theme.key not in keys:
            now = " or ".join(keys)  # a split's parts may share the label
            pairs.append(f"{theme.key} here is run {run.id}'s {now} {quoted}")
    return pairs, gone


def _paired(run: AnalysisRun, pairs: list[str], gone: list[str]) -> str:
    """ ": T11 here is run 2's T04 “…”. Run 2 has no theme labelled as T05 “…” now" (the
    pairs, then the labels gone), to end a sentence that says the keys may differ."""
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
    pairs, gone = key_pairs(shown, codebook)
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
    return text + f", so its theme keys may differ{_paired(run, pairs, gone)}."
