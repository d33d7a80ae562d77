"""Keywords that point at a theme's label, and never none on a big theme (kw18, issue 12;
smoke18r #8).

:func:`analysis.stages.shown_keywords` shows the terms that set a theme apart, in c-TF-IDF
order. On the demo that left a 97-answer theme with "No distinctive words", a 24-answer one
with "staff" alone, and a catch-all labelled "Devolution is fine as long as free English and
maths courses stay" with "short blocks, qualifications", words of its other points. Two
rules here:

* :func:`label_point_first`: the candidate terms are reordered so that those used by at
  least :data:`LABEL_POINT_USE` of the answers making the label's point (the answers using
  :data:`LABEL_COVER` of the label's content words) come first, in their own order; the
  rest follow as before;
* :func:`frequent_terms`: a theme of :data:`FALLBACK_MIN_ANSWERS` answers or more that
  would show fewer than :data:`FALLBACK_MIN_SHOWN` keywords is given its most frequent
  content phrases as well, the label's point's words first (the candidates by how many of
  the answers making its label's point use them, :func:`label_point_texts`, phrases
  before words on a tie), through the same readability rules, and so is a theme of
  :data:`LONE_WORD_MIN_ANSWERS` or more showing one bare word ("staff", 9 answers); a small
  theme keeps showing fewer rather than borrowed words.

Pure and deterministic: ties keep the candidates' order.
"""

from __future__ import annotations

from .tokens import PHRASE_JOINER, Tokenizer

# The share of the label's content words an answer uses to count as making its point.
LABEL_COVER = 0.6
# A term comes first when at least this share of the answers making the label's point use it.
LABEL_POINT_USE = 0.5
# A theme at least this big never shows fewer than FALLBACK_MIN_SHOWN keywords when its
# frequent content phrases can fill them.
FALLBACK_MIN_ANSWERS = 10
FALLBACK_MIN_SHOWN = 3
# A theme of at least this many answers never shows one bare word alone ("staff").
LONE_WORD_MIN_ANSWERS = 5


def _stems(text: str, tokenizer: Tokenizer) -> set[str]:
    return {stem for stem, _ in tokenizer.words(text)}


def _uses(term: str, stems: list[set[str]]) -> int:
    """How many of the answers (their stem sets) use every word of ``term``."""
    pieces = set(term.split(PHRASE_JOINER))
    return sum(pieces <= found for found in stems)


def label_point_texts(label: str, tokenizer: Tokenizer, texts: list[str]) -> list[str]:
    """The ``texts`` making the ``label``'s point (using :data:`LABEL_COVER` of its content
    words); all of ``texts`` when fewer than two do."""
    said = _stems(label, tokenizer) if label else set()
    if not said:
        return texts
    making = [t for t in texts if len(said & _stems(t, tokenizer)) >= LABEL_COVER * len(said)]
    return making if len(making) >= 2 else texts


def label_point_first(
    terms: list[str], label: str, tokenizer: Tokenizer, texts: list[str]
) -> list[str]:
    """``terms`` with those most of the label's point's answers use first (see the module
    docstring); unchanged when fewer than two answers make the label's point."""
    said = _stems(label, tokenizer) if label else set()
    if not said or not terms:
        return terms
    stems = [_stems(text, tokenizer) for text in texts]
    making = [found for found in stems if len(said & found) >= LABEL_COVER * len(said)]
    if len(making) < 2:
        return terms
    first = [t for t in terms if _uses(t, making) >= LABEL_POINT_USE * len(making)]
    return first + [t for t in terms if t not in first]


def frequent_terms(terms: list[str], tokenizer: Tokenizer, texts: list[str]) -> list[str]:
    """``terms`` ordered by how many of ``texts`` use them, most first (phrases before
    words on a tie, then the given order); terms no answer uses are left out."""
    stems = [_stems(text, tokenizer) for text in texts]
    counted = [(t, _uses(t, stems)) for t in terms]
    order = sorted(
        range(len(counted)),
        key=lambda i: (-counted[i][1], PHRASE_JOINER not in counted[i][0], i),
    )
    return [counted[i][0] for i in order if counted[i][1] > 0]


def fallback_terms(
    terms: list[str], label: str, tokenizer: Tokenizer, texts: list[str], empty: bool
) -> list[str]:
    """The candidate ``terms`` a theme's keywords are filled from (:func:`frequent_terms` of
    the answers making its label's point). Unless the theme would show none (``empty``), only
    terms at least :data:`LABEL_POINT_USE` of those answers use, and none when no two answers
    make the label's point: a theme showing some keywords is filled with its label's words,
    never with its other points' ("chance", "area")."""
    making = label_point_texts(label, tokenizer, texts)
    found = frequent_terms(terms, tokenizer, making)
    if empty:
        return found
    if making is texts:
        return []
    stems = [_stems(text, tokenizer) for text in making]
    return [t for t in found if _uses(t, stems) >= LABEL_POINT_USE * len(making)]


def wants_fallback(shown: list[str], texts: list[str]) -> bool:
    """Whether a theme of ``texts`` showing ``shown`` gets its frequent phrases as well: a
    big theme showing fewer than :data:`FALLBACK_MIN_SHOWN`, or a theme of
    :data:`LONE_WORD_MIN_ANSWERS` or more showing one bare word ("staff")."""
    if len(texts) >= FALLBACK_MIN_ANSWERS and len(shown) < FALLBACK_MIN_SHOWN:
        return True
    lone = len(shown) == 1 and not any(c in shown[0] for c in " -")
    return lone and len(texts) >= LONE_WORD_MIN_ANSWERS


# The most keywords the vague last resort shows (so that the fast engine's catch-all test,
# which reads at most analysis.mixed.FEW_KEYWORDS keywords as few, reads the theme as before).
LABEL_BLAND_MAX = 2


def label_words_said(
    terms: list[str], label: str, tokenizer: Tokenizer, texts: list[str]
) -> list[str]:
    """The single-word ``terms`` (stems, in the label's order) that the ``label`` says and that at
    least :data:`LABEL_POINT_USE` of the answers making its point use (none when fewer than
    two answers make it): what a theme that would show no keyword shows as its last resort,
    through :func:`analysis.keywords.readable_keywords` with ``bland``, at most
    :data:`LABEL_BLAND_MAX` of them (kw29, smoke29: "Please keep partners informed about
    how responses are used", 26 answers, read "No distinctive words" because its words,
    "informed" and "responses", are vague alone; they are its label's words, and all its
    answers making that point say them)."""
    said = _stems(label, tokenizer) if label else set()
    if not said:
        return []
    stems = [_stems(text, tokenizer) for text in texts]
    making = [found for found in stems if len(said & found) >= LABEL_COVER * len(said)]
    if len(making) < 2:
        return []
    order = [stem for stem, _ in tokenizer.words(label)]
    enough = LABEL_POINT_USE * len(making)
    words = [t for t in terms if PHRASE_JOINER not in t and t in said]
    found = [t for t in words if _uses(t, making) >= enough]
    return sorted(found, key=order.index)  # as the label says them: "informed, responses"
