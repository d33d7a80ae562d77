"""Summary sentences that say again what the report already says (issue 12).

A theme's summary lists "other points its answers make". Two of its sentences may give one
point in nearly the same words ("Film and television production is growing here and needs
studio space and skills." and the same "... as a priority."), and a sentence may make the
label's own point in other words ("She listened to how I felt & understood me." under "I was
listened to, and talking helped me feel better"). :func:`same_words` tells the first.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence

from .label_points import content_words
from .other_themes import OTHER_THEMES_NOTE, named_in, named_themes, other_themes_note
from .remembered import LABEL_CHARS, remember_texts

# Two sentences whose content words (Snowball stems, stop words left out) overlap by this
# Jaccard share or more say one point. Over every pair of phrasings of two different points in
# the demo's phrase banks (consult/demo_text.py; 9,055 pairs of sentences over four words, none
# inside the other) the share is at most 0.27, and two phrasings of one point share at most
# 0.33; one sentence with a qualifier added ("... as a priority") shares 0.89. 0.5 sits well
# above the first and well below the last.
REPEAT_SHARE = 0.5

_WORDS = re.compile(r"[\w'’]+")
_NEGATIONS = frozenset(["not", "no", "never", "nor", "cannot", "without", "none", "nothing"])


@remember_texts(LABEL_CHARS)
def _plain(text: str) -> str:
    """The text's words, lower case, single-spaced (remembered: the safety net compares each
    candidate label with every other theme's; BENCHMARKS "splitjob")."""
    return " ".join(_WORDS.findall(text.lower().replace("’", "'")))


def negated(text: str) -> bool:
    """Whether the sentence says "not" (or no, never, cannot, a "-n't" verb)."""
    words = _plain(text).split()
    return any(w in _NEGATIONS or w.endswith("n't") for w in words)


def same_words(text: str, other: str, share: float = REPEAT_SHARE) -> bool:
    """Whether two summary sentences give one point in nearly the same words: one's words are
    found whole in the other's (ignoring case and punctuation), or their content words
    (:func:`analysis.label_points.content_words`) overlap by ``share`` or more (Jaccard), and
    both or neither say "not" ("The food is good" and "The food is not good" are two
    points)."""
    a, b = _plain(text), _plain(other)
    if not a or not b:
        return False
    if a == b or f" {a} " in f" {b} " or f" {b} " in f" {a} ":
        return True
    if negated(text) != negated(other):
        return False
    x, y = content_words(text), content_words(other)
    return bool(x and y) and len(x & y) / len(x | y) >= share


# Sharing half their content words, a sentence says a label's point only when it shares this
# many: on an NHS sample "I don't think there is aa" shares half of "Can't think of anything
# that could have been done better"'s two content words (think, better), one word.
LABEL_SHARED_MIN = 2


def says_label(text: str, label: str) -> bool:
    """Whether a sentence says a theme's ``label`` in nearly its words: the label's words
    found whole in it, or :func:`same_words` with at least :data:`LABEL_SHARED_MIN` content
    words in common ("In Solihull, residents will not know whether to blame their council
    or the mayor when things go wrong." says "Residents will not know whether to blame
    their council or the mayor")."""
    if not same_words(text, label):
        return False
    a, b = _plain(text), _plain(label)
    if a == b or f" {b} " in f" {a} " or f" {a} " in f" {b} ":
        return True
    return len(content_words(text) & content_words(label)) >= LABEL_SHARED_MIN


# Another theme's label shorter than this (in words) is too common to take a sentence from a
# summary ("Buses" is inside many sentences about something else); as for fit
# (:data:`analysis.fit.SAID_MIN_WORDS`).
LABEL_MIN_WORDS = 4


def other_labels_left_out(
    themes: list[dict], mentioned: Sequence[Mapping[str, int]] | None = None
) -> list[tuple[str, str]]:
    """Leaves out, in place, each summary sentence that is (nearly) another theme's label
    (:func:`says_label`; labels of :data:`LABEL_MIN_WORDS` words or more): that point is
    the other theme's, and a reader meets it there (smoke walk 9, finding 3: "Staff cannot
    rely on buses that often do not turn up" listed under a data-sharing theme, word for
    word the bus theme's label). A summary left with no sentence gets the note that its
    other points belong to other themes (:data:`analysis.other_themes.OTHER_THEMES_NOTE`,
    cited with its first quote). The note, new or already there, names every theme those
    points belong to, most answers first (:func:`analysis.other_themes.named_themes`): the
    themes whose labels were left out, and, given ``mentioned`` (per theme, in order: how
    many of its answers also mention each other theme, by id), the other themes enough of
    its answers mention ("... for the other points its answers make, see T03 and T07.";
    issue 12, where it named one). Returns (theme id, sentence) for each sentence left out."""
    left_out: list[tuple[str, str]] = []
    order = [str(theme.get("id") or "") for theme in themes]
    for index, theme in enumerate(themes):
        others = [
            (str(other.get("id") or ""), str(other.get("label") or ""))
            for other in themes
            if other is not theme
            and len(_plain(str(other.get("label") or "")).split()) >= LABEL_MIN_WORDS
        ]
        summary = theme.get("summary") or []
        said: dict[str, int] = {}  # the themes whose labels were left out: answers saying it
        kept = []
        for sentence in summary:
            owners = [
                other_id
                for other_id, label in others
                if not sentence.get("only_point") and says_label(sentence["text"], label)
            ]
            count = _said_by(sentence)
            for owner in owners:
                said[owner] = max(said.get(owner, 0), count)
            if not owners:
                kept.append(sentence)
        left_out += [
            (theme.get("id", ""), s["text"]) for s in summary if not any(s is k for k in kept)
        ]
        if not kept and summary:
            first = (theme.get("quotes") or summary)[0]["id"]
            note = {"id": first, "text": OTHER_THEMES_NOTE, "ids": [first]}
            if any("stance" in s for s in summary):  # stance measured: the note takes no side
                note["stance"] = ""
            kept = [note | {"only_point": True}]
        if len(kept) == 1 and kept[0].get("only_point"):
            named = named_in(str(kept[0].get("text") or ""))
            if named is not None:  # the note: name where its answers' other points are
                said |= {key: max(said.get(key, 0), 1) for key in named if key not in said}
                ids = named_themes(
                    said,
                    mentioned[index] if mentioned is not None else {},
                    int(theme.get("size") or 0),
                    order,
                )
                kept = [kept[0] | {"text": other_themes_note(ids)}]
        if kept != summary:
            theme["summary"] = kept
    return left_out


def _said_by(sentence: dict) -> int:
    """How many answers a summary sentence is said by: its counted ``answers`` where counted,
    else the answers it lists."""
    count = sentence.get("answers")
    if isinstance(count, int) and not isinstance(count, bool):
        return count
    return len(sentence.get("ids") or [])


def without_other_labels(summary: list[dict], others: Sequence[tuple[str, str]]) -> list[dict]:
    """A re-described theme's ``summary`` (a reviewer's merge or split) without the points
    that say another theme's label, as a run leaves them out (:func:`other_labels_left_out`;
    ``others``: each other theme's id and label): a merged theme listed another theme's label
    as one of its points (smoke17s #13). A summary left with no point gets the note naming
    the themes its points belong to. A new list (``summary``'s points, unchanged, when none
    says another label); ``summary`` is not changed."""
    theme = {"id": "", "summary": [dict(point) for point in summary]}
    other = [{"id": key, "label": label, "summary": []} for key, label in others]
    if not other_labels_left_out([theme, *other]):
        return list(summary)
    return theme["summary"]
