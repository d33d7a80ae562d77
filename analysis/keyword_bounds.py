"""Two-word keywords that cross a clause boundary (kw18, issue 12; smoke18r #8).

A phrase keyword is kept when its words stand side by side in the answers, but side by side
is not always one phrase: "decided by people voters can remove" gave "people voters" (a
relative clause starts at "voters"), "a formal vote blurs who is accountable" gave "vote
blurs" (a subject and its verb) and "so services join up" gave "services join" (a subject
and a phrasal verb). Read without a tagger from the word after the pair, in most of its
uses, the pair's second word is

* a new clause's subject after a plural the noun rules miss, one without "-s" ("people
  voters", "children families": a plural is seldom a modifier, as
  :func:`analysis.keywords._plural` has it for plurals in "-s");
* a verb: followed by a particle ("join up", "turn out"), or a verb in -s after a singular
  noun and followed by what a verb takes next, a determiner, pronoun or question word ("vote
  blurs who", "plan ignores the").

:func:`crosses_boundary` says so; :func:`analysis.keywords.readable_keywords` leaves such
pairs out. Pure and deterministic.
"""

from __future__ import annotations

import re

from .tokens import STOP_WORDS

# Plurals without "-s": before another word, the end of a noun phrase ("people voters").
IRREGULAR_PLURALS = frozenset(["people", "children", "men", "women", "folk"])
# Particles after a verb ("join up", "turn out", "miss out").
VERB_PARTICLES = frozenset(["up", "out", "off", "down", "away"])
# What a verb takes next that a noun seldom does ("blurs who", "ignores the").
VERB_OBJECTS = frozenset(
    """who whom what whether how which the a an our their its his her them us it this these
    those""".split()  # noqa: SIM905
)
# A pair crosses a boundary when at least this share of its uses do.
BOUNDARY_SHARE = 0.5

_WORD = r"[^\W\d_](?:[^\W_]|')*"


def _next_words(first: str, second: str, texts: list[str]) -> list[str]:
    """The word after each use of ``first second`` ("" at punctuation or the end)."""
    pattern = re.compile(
        rf"(?<![\w-]){re.escape(first)}[\s-]{re.escape(second)}(?![\w-])(?: ({_WORD}))?",
        re.I,
    )
    return [(m.group(1) or "").lower() for t in texts if second in t for m in pattern.finditer(t)]


def _singular(word: str) -> bool:
    return not word.endswith("s") or word.endswith(("ss", "us", "is"))


def _verb_s(word: str) -> bool:
    return len(word) > 3 and word.endswith("s") and not word.endswith(("ss", "us", "is", "'s"))


def crosses_boundary(phrase: str, texts: list[str]) -> bool:
    """Whether the two-word ``phrase`` (as shown: "people voters") mostly crosses a clause
    boundary in ``texts`` (see the module docstring). Longer phrases are judged on their
    last two words."""
    words = [w for w in re.split(r"[\s-]", phrase.lower()) if w]
    if len(words) < 2:
        return False
    if any(w in IRREGULAR_PLURALS for w in words[:-1]):
        return True
    first, second = words[-2], words[-1]
    if second in STOP_WORDS:
        return False
    after = _next_words(first, second, [t.lower() for t in texts if first in t.lower()])
    if not after:
        return False
    clause = sum(w in VERB_PARTICLES for w in after)
    if _verb_s(second) and _singular(first):
        clause += sum(w in VERB_OBJECTS for w in after)
    return clause >= BOUNDARY_SHARE * len(after)
