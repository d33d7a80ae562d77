"""Describing one given group of answers as the engine describes a theme, without finding
themes: a reviewer's merged theme gets its keywords and summary from its own answers.

>>> described = describe_group(texts, ids, question="What should change?", engine="fast")
>>> described.keywords[:3], [point["text"] for point in described.summary]

The answers are cleaned and turned into vectors as a fit does (the description reads the
vectors, the TF-IDF terms and the representation's projection of sentences), then clustered
into the one theme they are (k-means with one centre, as :class:`analysis.ThemeModel` with
``n_themes=1`` does), their stances read when agreement answers are given, and the theme
described (:func:`analysis.stages.description`), its summary points counted
(``answers``) and given the answers' own typography, as the run does. Left out, since one
given theme does not need them: choosing a count, the answers' separate points (they can
add no second theme when there is one), stability (1.0 for a single theme), sentiment,
sizes, shares and segments. Same answers, engine and seed: the same
label, keywords and summary as ``ThemeModel(n_themes=1)`` (tests/analysis/test_group.py).

A merged theme is described as a run's theme is (smoke7 finding 4): given its ``label`` (the
reviewer's, or its first part's), the summary adds to that label rather than saying it again;
``label_point`` counts the answers making the label's point and each summary point carries
``answers`` and ``answers_as_label``, counted over every answer mentioning it (``also``: the
answers mentioning it as another theme) as :func:`analysis.stages.summary_point_counts`
counts a run's (semantic engine only): each answer, or each of its separate points, under
the heading it is nearest to of the label, the summary sentences and the run's other themes'
labels and summary sentences when given (``rivals``), as the run counts (a merge's answers on
neighbouring points over-counted a fixed threshold: smoke8 finding 4, BENCHMARKS
"mergecount"; the run's own rule since fixa17, a review's since fixa18); and each merged part's main
point (``points``: the parts' labels) that no summary point makes is added to the summary, so
no part goes unsaid.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np

from . import stages
from .describe import counted_side, leading_side, restated
from .label_points import (
    LABEL_POINT_THRESHOLD,
    NEAREST_MARGIN,
    label_point_reading,
    statement_makers,
    without_label_wordings,
)

# A merged part's point is said already when a summary sentence restates it in words or is
# this close to it (MiniLM cosine: what the summary takes for sentences making one point).
SAID_ALREADY = 0.6
# A summary point standing for a merged part's main point carries this key (True), stored
# with the theme, so a later recount (a move, a rename: :func:`count_points`) keeps it as the
# merge did, though the label's count reads it as the label's point in other words (count31).
MERGED_PART = "merged_part"
# A summary of a merged theme keeps every part's point, up to this many sentences in all
# (a run's theme has at most 4: :func:`analysis.describe.summarise`).
MOST_POINTS = 4


@dataclass
class GroupDescription:
    """One group's label, keywords (as shown) and summary sentences (as themes.json gives
    them: id, text, ids, stance when measured, answers, only_point; a merged part's point
    also merged_part)."""

    label: str
    keywords: list[str]
    summary: list[dict[str, Any]]
    # how many answers mentioning it make the label's point (None: not counted, fast engine)
    label_point: int | None = None
    # the summary sentences the label's count read that the summary no longer lists (its
    # point in other words), for a later recount (:func:`count_points`' ``unlisted``)
    unlisted: list[str] | None = None


def describe_group(
    texts: list[str],
    ids: list[str] | None = None,
    agreement: list[str] | None = None,
    question: str | None = None,
    engine: str = "auto",
    seed: int = 0,
    threads: int = 1,
    *,
    label: str | None = None,
    points: list[str] | None = None,
    also: list[tuple[str, str]] | None = None,
    rivals: list[str] | None = None,
) -> GroupDescription:
    """Label, keywords and summary of ``texts`` taken as one theme (see the module's
    docstring). ``ids`` name the answers (default "1", "2", ...), ``agreement`` gives each
    its paired agreement answer (the only source of stance), ``question`` the question's
    wording. ``label`` is the theme's label when it has one (else found as a fit finds it),
    ``points`` the main points to keep in its summary (a merged theme's parts' labels),
    ``also`` the (id, text) of answers mentioning it besides ``texts`` (counted, not
    described), ``rivals`` the run's other themes' labels and summary points, under which an
    answer nearer to them is not counted (:func:`count_points`). Raises
    :class:`analysis.errors.InputError` when there is nothing to describe (no rows, or every
    answer blank or non-substantive) or the engine is unknown."""
    run = stages.start(texts, ids, None, agreement, 1, question)
    stages.cleaning(run, seed)
    stages.representation(run, engine, seed)
    # One theme: k-means with one centre as the fit finds it; no separate points (part
    # share None), since a point can add no theme the answer does not already have.
    stages.themes(run, seed, 1, 1, 0.8, 0.25, threads, part_share=None)
    run.stable = np.ones(run.k)  # what stability gives a single theme
    stages.stances(run)
    run.given_labels = [label.strip()] if label and label.strip() else None
    stages.description(run)
    theme = run.themes[0]
    label_point, unlisted = None, None
    if label is None and not points and not also and not rivals:
        stages.summary_point_counts(run)  # what ThemeModel(n_themes=1) gives
        stages.label_wordings_left_out(run)
    else:
        unlisted = []
        label_point = _count_points(run, theme, points or [], also or [], rivals or (), unlisted)
    stages.typographic(run)
    return GroupDescription(
        theme["label"], list(theme["keywords"]), list(theme["summary"]), label_point, unlisted
    )


def _count_points(
    run: stages.FitRun,
    theme: dict[str, Any],
    points: list[str],
    also: list[tuple[str, str]],
    rivals: Sequence[str] = (),
    left_out: list[str] | None = None,
) -> int | None:
    """Add the ``points`` no summary sentence makes to ``theme``'s summary, count who makes
    each summary point and the label's point over the answers described and ``also``, as a
    run counts its themes' (each under the nearest of its label, its summary points and
    ``rivals``: :func:`_counted`), most made first; the label-point count (None without
    sentence embeddings: then the points are added uncounted). ``left_out`` (when given)
    gets the summary points the count read as the label's point and left out."""
    embed = stages._sentence_embedder(run.representation)
    weights = stages._rows_per_rep(run)
    reps = [rep for rep, themes in enumerate(run.member.themes) if len(themes)]
    texts = [run.rep_texts[r] for r in reps] + [text for _, text in also]
    weight = np.array([int(weights[r]) for r in reps] + [1] * len(also), dtype=np.int64)
    answer_ids = [run.ids[run.rep_rows[r]] for r in reps] + [i for i, _ in also]
    stances = [run.stances[run.rep_rows[r]] for r in reps] if run.stance_measured else None
    summary = [s for s in theme["summary"] if not s.get("only_point")]
    notes = [s for s in theme["summary"] if s.get("only_point")]
    missing = unsaid(points, theme["label"], [s["text"] for s in summary], embed)
    made = [_part_point(run, text, reps, stances, embed) for text in missing]
    if made:
        summary += made
        notes = []  # "makes one point only" is no longer true
        theme["summary"] = summary
    if embed is None or not texts:
        return None
    label_point = _counted(
        theme["label"],
        summary,
        texts,
        answer_ids,
        weight,
        embed,
        rivals,
        stages._label_point_embedder(run.representation),
        keep=[s["text"] for s in made],
        sides=None if stances is None else [*stances, *([""] * len(also))],
        label_side=leading_side(list(range(len(reps))), stances),
        left_out=left_out,
    )
    kept = {id(s) for s in made}
    extra = [s for s in summary if id(s) not in kept]
    chosen = {id(s) for s in extra[: max(0, MOST_POINTS - len(kept))]}
    theme["summary"] = [s for s in summary if id(s) in chosen or id(s) in kept] + notes
    return label_point


def _counted_stance(
    sentence: dict[str, Any],
    counted: np.ndarray,
    ids: list[str],
    sides: Sequence[str],
    weight: np.ndarray,
) -> str:
    """A summary point's side as its count bears it out (:func:`analysis.describe.
    counted_side` over the ``counted`` answers' ``sides``, each ``weight`` times): its stored
    side, else (a recount after one left it untagged) the side of the answer it is quoted
    from, kept only when the answers it now counts took it (side31)."""
    side = str(sentence.get("stance") or "")
    if not side and sentence.get("id") in ids:
        side = sides[ids.index(sentence["id"])]
    tally: dict[str, float] = {}
    for index in np.flatnonzero(counted):
        tally[sides[index]] = tally.get(sides[index], 0) + int(weight[index])
    return counted_side(side, tally)


def counts_points(engine: str) -> bool:
    """Whether runs of ``engine`` count how many answers make each summary point and the
    label's point (:func:`count_points`): the semantic engine's only; the fast engine's
    vectors are not calibrated for these counts, so its reports never show them."""
    return engine == "semantic"


def count_points(
    label: str,
    summary: list[dict[str, Any]],
    texts: list[str],
    ids: list[str],
    engine: str,
    rivals: list[str] | None = None,
    stances: list[str] | None = None,
    label_side: str | None = None,
    unlisted: Sequence[str] | None = None,
    left_out: list[str] | None = None,
    rival_labels: Sequence[str] = (),
) -> tuple[int | None, list[dict[str, Any]]]:
    """How many of ``texts`` (every answer mentioning a theme, named by ``ids``) make the
    theme's ``label``'s point, and its ``summary`` with each point's ``answers`` and
    ``answers_as_label`` counted over them, most made first, as a merged theme's are
    (:func:`_counted`: each answer under the nearest of the label, the summary points and
    ``rivals``, the run's other themes' labels and summary points, as a run counts) (a
    reviewer's split parts, counted over their answers once split). ``stances`` (each
    answer's, when the run measured stance) keep the label's count to the answers on its
    side (count31: ``label_side``, the side the label speaks for, as the run read it from
    the theme's own answers (rev31b); without it, the side most of ``texts`` took,
    :func:`analysis.describe.leading_side`). A
    merged part's main point (``merged_part``, :func:`_part_point`) stays in the summary
    through every later recount, as the merge kept it (review30, count31). ``unlisted``: the
    summary sentences the theme's last count read that its summary no longer lists (the run's
    label wordings: :func:`analysis.stages.unlisted_points`), read again as that count read
    them, so a recount with nothing changed counts as the run did (store33); ``left_out``
    (when given) gets the summary points this count leaves out as the label's point;
    ``rival_labels`` (those of ``rivals`` that are the other themes' labels) are read as the
    run reads them, as labels, never as this label's point in other words (store33). (None,
    the summary as given) unless ``engine`` is "semantic" and its models are installed: the
    fast engine's vectors are not calibrated for these counts."""
    from .embeddings import MiniLMEmbedder, available

    if not counts_points(engine) or not available() or not texts:
        return None, summary
    points = [dict(s) for s in summary if not s.get("only_point")]
    notes = [dict(s) for s in summary if s.get("only_point")]
    weight = np.ones(len(texts), dtype=np.int64)
    from .coding_encoder import encoder_embed

    embed = MiniLMEmbedder(threads=1).embed
    label_point = _counted(
        label,
        points,
        list(texts),
        list(ids),
        weight,
        embed,
        rivals or [],
        encoder_embed(),
        sides=stances,
        label_side=label_side
        if label_side is not None or not stances
        else leading_side(list(range(len(texts))), stances),
        unlisted=unlisted or (),
        left_out=left_out,
        rival_labels=rival_labels,
    )
    return label_point, points + notes


def _counted(
    label: str,
    summary: list[dict[str, Any]],
    texts: list[str],
    ids: list[str],
    weight: np.ndarray,
    embed,
    rivals: Sequence[str] = (),
    label_embed=None,
    keep: Sequence[str] = (),
    sides: Sequence[str] | None = None,
    label_side: str | None = None,
    unlisted: Sequence[str] = (),
    left_out: list[str] | None = None,
    rival_labels: Sequence[str] = (),
) -> int:
    """Add ``answers`` and ``answers_as_label`` to each ``summary`` point, counted over
    ``texts`` (each standing for ``weight`` answers) as
    :func:`analysis.stages.summary_point_counts` counts a run's, and sort it most made first;
    how many make the ``label``'s point, as :func:`analysis.stages._label_point_counts` counts
    a run's. Each answer, as a whole and by each of its separate points, counts only under
    the headings it is nearest to (within :data:`analysis.label_points.NEAREST_MARGIN`): the
    label, the summary points and ``rivals`` (the run's other themes' labels and summary
    points, not counted), as the run itself counts (fixa18, smoke17s: a review edit's recount
    counted by closeness, so an edited theme's counts read higher than a run's); a summary
    point also counts the answer it is quoted from (its ``id``). The label's point is
    counted with ``label_embed`` when given (the coding encoder's vectors, as a run's:
    :func:`analysis.stages._label_point_embedder`), else ``embed``. A summary point that
    count read as the label's point in other words then leaves ``summary``, as a run's does
    (:func:`analysis.label_points.without_label_wordings`, count30), unless it is one of
    ``keep`` or marked ``merged_part`` (a merged part's main point, which a merge keeps,
    as every later recount does: review30, count31). With ``sides`` (each text's stance)
    and a ``label_side``, an answer on the other side never counts for the label
    (:func:`analysis.label_points.label_point_reading`, count31). ``unlisted`` (the
    sentences an earlier count of this theme read and left out of ``summary``) are read as
    that count read them, as the label's wordings and as headings, never listed again
    (store33); ``left_out`` (when given) gets the summary points this count leaves out.
    ``rival_labels`` (of ``rivals``, the other themes' labels) are read as labels with no
    answers of their own, as the run's count reads them: headings, never aliases."""
    statements = [s["text"] for s in summary]
    hidden = [text for text in dict.fromkeys(unlisted) if text not in set(statements)]
    others = [text for text in dict.fromkeys(rival_labels) if text != label]
    if others:
        named = set(others)
        rivals = [text for text in rivals if text not in named]
    counts, wordings = label_point_reading(
        [label, *others],
        [list(range(len(texts))), *([] for _ in others)],
        texts,
        label_embed or embed,
        weights=weight.tolist(),
        rivals=[*statements, *hidden, *rivals],
        sides=sides,
        label_sides=[label_side or None, *(None for _ in others)],
    )
    label_point = counts[0]
    if summary:
        headings = [label, *hidden, *rivals]
        makes = statement_makers(statements, texts, embed, rivals=headings, margin=NEAREST_MARGIN)
        as_label = statement_makers(
            statements,
            texts,
            embed,
            LABEL_POINT_THRESHOLD,
            rivals=headings,
            margin=NEAREST_MARGIN,
        )
        for column, sentence in enumerate(summary):
            own = sentence.get("id")  # the answer it is quoted from
            makes_it = makes[:, column] | np.array([i == own for i in ids], dtype=bool)
            sentence["answers"] = int(weight[makes_it].sum())
            sentence["answers_as_label"] = int(weight[as_label[:, column]].sum())
            if sides is not None and "stance" in sentence:
                sentence["stance"] = _counted_stance(sentence, makes_it, ids, sides, weight)
        summary.sort(key=lambda s: -s["answers"])
    # a point the label's count read as its own, in other words, is not another point (count30)
    # (a merged part's main point stays: the reviewer merged it in as a point of its own)
    parts = {*keep, *(s["text"] for s in summary if s.get(MERGED_PART))}
    listed = without_label_wordings(summary, [w for w in wordings[0] if w not in parts])
    if left_out is not None:
        kept = {id(s) for s in listed}
        left_out += [s["text"] for s in summary if id(s) not in kept]
    summary[:] = listed
    return int(label_point)


def unsaid(points: list[str], label: str, said: list[str], embed) -> list[str]:
    """The ``points`` neither the label nor a summary sentence already makes (in words, or
    within :data:`SAID_ALREADY` in sentence vectors), each once."""
    out: list[str] = []
    for point in dict.fromkeys(p.strip() for p in points if p and p.strip()):
        known = [label, *said, *out]
        if any(restated(point, other) for other in known):
            continue
        if embed is not None:
            vectors = np.asarray(embed([point, *known]), dtype=np.float64)
            if float((vectors[1:] @ vectors[0]).max()) >= SAID_ALREADY:
                continue
        out.append(point)
    return out


def _part_point(
    run: stages.FitRun, text: str, reps: list[int], stances: list[str] | None, embed
) -> dict[str, Any]:
    """A summary sentence for a merged part's main point: said by the answer nearest it (in
    sentence vectors, else the run's own), listing the answers making it (that one alone
    without sentence vectors), for the side most of them took when stance was measured."""
    rep_texts = [run.rep_texts[r] for r in reps]
    if embed is not None:
        vectors = np.asarray(embed(rep_texts), dtype=np.float64)
        target = np.asarray(embed([text]), dtype=np.float64)[0]
        makers = [reps[i] for i in np.nonzero(statement_makers([text], rep_texts, embed)[:, 0])[0]]
    else:
        vectors = np.asarray(_project(run, rep_texts))
        target = np.asarray(_project(run, [text]))[0]
        makers = []
    nearest = reps[int(np.argmax(vectors @ target))]
    makers = [nearest, *(r for r in makers if r != nearest)]
    out: dict[str, Any] = {
        "id": run.ids[run.rep_rows[nearest]],
        "text": _own_sentence(run, run.rep_texts[nearest], text, embed),
        "ids": [run.ids[run.rep_rows[r]] for r in makers],
        MERGED_PART: True,
    }
    if stances is not None:
        positions = {rep: i for i, rep in enumerate(reps)}
        side = leading_side([positions[r] for r in makers], stances)
        out["stance"] = side or stances[positions[nearest]]
    return out


def _own_sentence(run: stages.FitRun, answer: str, point: str, embed) -> str:
    """The sentence of ``answer`` nearest ``point`` (a merged part's label), openers
    stripped, as a summary quotes an answer (smoke10 finding 13: the absorbed theme's label
    was shown as the respondent's words); the whole answer when it has one sentence."""
    from .statements import sentences, strip_openers

    said = [s for s in sentences(answer) if s.strip()] or [answer.strip()]
    if len(said) > 1:
        if embed is not None:
            vectors = np.asarray(embed(said), dtype=np.float64)
            target = np.asarray(embed([point]), dtype=np.float64)[0]
        else:
            vectors = np.asarray(_project(run, said))
            target = np.asarray(_project(run, [point]))[0]
        said = [said[int(np.argmax(vectors @ target))]]
    sentence = strip_openers(said[0]).strip() or said[0].strip()
    return sentence[:1].upper() + sentence[1:]


def _project(run: stages.FitRun, texts: list[str]):
    """Texts in the run's own vectors (TF-IDF and the representation's projection)."""
    return run.representation.transform(texts, run.tokenizer.transform(texts))
