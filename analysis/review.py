"""Small pure helpers for reviewing themes: follow themes from one run to the next, show a
theme's most and least typical answers, find answers like some examples, and split a theme
in two or more. No web framework here: the web app calls these with plain lists."""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence

import numpy as np
from scipy.optimize import linear_sum_assignment
from sklearn.preprocessing import normalize

from .clean import normalise
from .represent import ENGINES, semantic_available
from .tokens import Tokenizer

_WORD = re.compile(r"\w+")


def jaccard(a: set[str], b: set[str]) -> float:
    """Shared members over all members of either set (0 when both are empty)."""
    union = len(a | b)
    return len(a & b) / union if union else 0.0


def match_themes(
    previous: Mapping[str, set[str]],
    current: Mapping[str, set[str]],
    min_overlap: float = 0.2,
) -> dict[str, str]:
    """Which previous theme each current theme continues, by the members they share.

    ``previous`` and ``current`` map a theme key to its members (e.g. response ids). Pairs
    are scored by Jaccard overlap and matched one-to-one so the total overlap is as large as
    possible (``scipy.optimize.linear_sum_assignment``), counting only pairs that overlap by
    at least ``min_overlap``. Returns ``{current key: previous key}``; a current theme with
    no such match (a new theme) has no entry.
    """
    now = sorted(current)
    before = sorted(previous)
    if not now or not before:
        return {}
    overlap = np.array([[jaccard(set(current[c]), set(previous[p])) for p in before] for c in now])
    overlap[overlap < min_overlap] = 0.0
    rows, cols = linear_sum_assignment(overlap, maximize=True)
    return {now[r]: before[c] for r, c in zip(rows, cols, strict=True) if overlap[r, c] > 0}


def typical_members(
    similarities: Sequence[float], ids: Sequence[str], n: int = 3
) -> tuple[list[str], list[str]]:
    """The ``n`` most typical members of a theme (most similar to it first) and the ``n``
    least typical (least similar first). The two lists never share a member, so a theme
    with fewer than ``2 * n`` members has a shorter second list. Ties keep input order.
    """
    if len(similarities) != len(ids):
        raise ValueError("similarities and ids differ in length")
    order = sorted(range(len(ids)), key=lambda i: (-float(similarities[i]), i))
    most = order[: max(0, n)]
    rest = order[len(most) :]
    least = sorted(rest, key=lambda i: (float(similarities[i]), i))[: max(0, n)]
    return [ids[i] for i in most], [ids[i] for i in least]


def _vectors(texts: list[str], engine: str, seed: int) -> np.ndarray:
    """Unit vectors for the texts, learned from the texts themselves: the fast engine
    (TF-IDF + LSA and word vectors), or the semantic one when asked for ("semantic" or
    "auto") and installed."""
    if engine not in ("auto", *ENGINES):
        raise ValueError(f"unknown engine '{engine}' (available: auto, fast, semantic)")
    name = "semantic" if engine in ("auto", "semantic") and semantic_available() else "fast"
    cleaned = [normalise(t) for t in texts]
    tokens = Tokenizer().fit_transform(cleaned)
    return ENGINES[name](seed=seed).fit_transform(cleaned, tokens)


def most_similar(
    texts: list[str], examples: list[int], top_n: int, engine: str = "fast", seed: int = 0
) -> list[tuple[int, float]]:
    """Indices of the texts most like the example texts, best first, with their cosine
    similarity to the examples' centroid; the examples themselves are left out.

    ``examples`` are indices into ``texts``. Vectors come from ``engine`` ("fast" by
    default; "semantic" or "auto" use the semantic engine when it is installed, else the
    fast one). Returns [] when there is nothing to compare (no other texts, or no words).
    """
    if any(not 0 <= i < len(texts) for i in examples):
        raise ValueError("an example index is outside the texts")
    if not examples or top_n <= 0 or len(set(examples)) == len(texts):
        return []
    try:
        vectors = _vectors(texts, engine, seed)
    except ValueError as error:
        if "vocabulary" in str(error):  # no text has a content word
            return []
        raise
    centre = normalize(vectors[sorted(set(examples))].mean(axis=0, keepdims=True))[0]
    scores = vectors @ centre
    chosen = set(examples)
    candidates = [i for i in range(len(texts)) if i not in chosen]
    candidates.sort(key=lambda i: (-float(scores[i]), i))
    return [(i, round(float(scores[i]), 4)) for i in candidates[:top_n]]


def split_texts(texts: list[str], n: int, seed: int = 0, engine: str = "auto") -> list[int]:
    """Split one theme's answers into ``n`` sub-themes: a sub-theme index per text (0 is
    the largest), -1 for a non-substantive answer. Raises ``analysis.InputError`` when the
    answers cannot make ``n`` themes (too few distinct answers, or none usable)."""
    from .api import ThemeModel

    model = ThemeModel(n_themes=n, seed=seed, engine=engine).fit(texts)
    return [int(label) for label in model.labels_]


def requote(
    quotes: Sequence[Mapping[str, object]],
    members: Sequence[tuple[str, str]],
    count: int | None = None,
) -> list[dict[str, object]]:
    """A theme's quotes again after its answers changed (a move, a create, a merge).

    ``quotes`` are the stored quotes ({"id", "text", "same"?}); ``members`` the theme's main
    answers now, as (id, text). A quote whose answer is no longer a member is dropped, and so
    is one saying what an earlier quote says (:func:`analysis.quote_points.same_quote`), but a
    member saying what a dropped quote said takes its place; the list is then filled up to
    ``count`` (default: as many as there were) with members saying something no quote says,
    the most often said first. Each quote's ``same`` (how many other members say the same
    words, openers and framing aside) is counted again over ``members``, as
    :func:`analysis.describe.pick_quotes` counts it; it is left out when none do.

    Sentences are split only for answers sharing at least half their words with a quote (an
    answer saying the same sentences shares more): a move in a theme of 5,000 answers would
    otherwise split every answer's sentences in the web request (seconds).
    """
    from .quote_points import quote_sentences, same_counts, same_quote
    from .signoff import without_sign_off

    limit = len(quotes) if count is None else count
    weight: dict[tuple[str, ...], int] = {}
    first: dict[tuple[str, ...], int] = {}  # each wording's answer standing for it
    for i, (_, text) in enumerate(members):
        words = tuple(_WORD.findall(text.lower()))
        weight[words] = weight.get(words, 0) + 1
        first.setdefault(words, i)
    wording = {i: words for words, i in first.items()}
    order = {ref: i for i, (ref, _) in enumerate(members)}
    cache: dict[int, tuple] = {}

    def parts(i: int) -> tuple:
        if i not in cache:
            cache[i] = quote_sentences(members[i][1])
        return cache[i]

    def near(words: tuple[str, ...], than: tuple[str, ...]) -> bool:
        a, b = set(words), set(than)
        return bool(a and b) and len(a & b) >= 0.5 * min(len(a), len(b))

    def alike(i: int, said: tuple, words: tuple[str, ...]) -> bool:
        return near(wording_of(i), words) and same_quote(parts(i), said)

    def wording_of(i: int) -> tuple[str, ...]:
        return wording.get(i) or tuple(_WORD.findall(members[i][1].lower()))

    kept: list[dict[str, object]] = []
    chosen: list[int] = []
    for quote in quotes:
        if len(chosen) >= limit:
            break
        i = order.get(str(quote.get("id", "")))
        if i is None:  # gone: another member saying the same stands in for it
            text = str(quote.get("text", ""))
            said, words = quote_sentences(text), tuple(_WORD.findall(text.lower()))
            i = next((j for j in first.values() if alike(j, said, words)), None)
            if i is None:
                continue
            quote = {**quote, "id": members[i][0], "text": without_sign_off(members[i][1])}
        if i in chosen or any(alike(c, parts(i), wording_of(i)) for c in chosen):
            continue
        first[wording_of(i)] = i
        chosen.append(i)
        kept.append({k: v for k, v in quote.items() if k != "same"})
    for words, i in sorted(first.items(), key=lambda item: (-weight[item[0]], item[1])):
        if len(chosen) >= limit:
            break
        if i in chosen or not parts(i) or any(alike(c, parts(i), words) for c in chosen):
            continue
        chosen.append(i)
        kept.append({"id": members[i][0], "text": without_sign_off(members[i][1])})
    quoted = [wording_of(c) for c in chosen]
    others = {
        i: weight[words]
        for words, i in first.items()
        if i in chosen or any(near(words, q) for q in quoted)
    }
    for i in others:
        parts(i)
    same = same_counts(chosen, cache, others)
    for quote, n in zip(kept, same, strict=True):
        if n:
            quote["same"] = n
    return kept
