"""Keywords that are another theme's label (wording28, smoke27's finding on the demo's Q6).

A theme's keywords are the terms its answers use clearly more than all answers do
(:func:`analysis.describe.distinctive_terms`). An answer can make two points, so a theme whose
answers often add another theme's point as their second one passes that test with the other
theme's words: on the demo's Q6 (semantic engine), "Trade unions and community groups should
sit beside employers on any such board" (21 answers) showed "elected members, spending
decisions, unelected business leaders", the words of the next theme's label, "Spending
decisions must stay with elected members, not unelected business leaders": 11 of its 21
answers say that sentence too, 26 of that theme's 32 do. The distinctiveness test let them
through, as its ``KEYWORD_OWN_SHARE`` allows a theme half the lift of the theme using a term
most. A reader takes a theme's keywords for what sets it apart, so such a phrase reads as
borrowed: it is the other theme's point, and the reader meets it there.

The rule (:func:`borrowed_keywords_left_out`): a keyword of two words or more that stands, word
for word, in another theme's label, and not in the theme's own, is left out when that other
theme's answers use it more (a larger share of its main-theme answers), or when most of the
theme's answers using it say that label whole (:func:`_says_label`: the fast engine's
version of the same theme, 17 answers, says it in 11, more often than the label's own 37
answers do, 20, but always as the other theme's sentence). A single word is
left alone (a label's word is often a topic several themes share: "buses"). A theme is never
left with :data:`analysis.mixed.FEW_KEYWORDS` keywords or fewer by it (the fast engine reads
a large theme of so few keywords as a catch-all: the rule would change a flag), and a
summary sentence that is another theme's label is left out by the same reasoning
(:func:`analysis.repeats.other_labels_left_out`).
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import Any

from .mixed import FEW_KEYWORDS

_WORD = re.compile(r"[a-z0-9]+(?:['’-][a-z0-9]+)*")


def _words(text: str) -> list[str]:
    return _WORD.findall(text.lower().replace("’", "'"))


def _inside(phrase: list[str], words: list[str]) -> bool:
    """Whether ``phrase`` stands word for word, in order and side by side, in ``words``."""
    size = len(phrase)
    return any(words[start : start + size] == phrase for start in range(len(words) - size + 1))


def _share(phrase: list[str], texts: Sequence[list[str]]) -> float:
    """The share of ``texts`` (as words) that say ``phrase``."""
    return sum(_inside(phrase, words) for words in texts) / len(texts) if texts else 0.0


# An answer says another theme's label when it holds this share of the label's words (of
# three letters or more): the label's sentence, give or take an opener or a word.
SAYS_LABEL = 0.8


def _says_label(phrase: list[str], texts: Sequence[list[str]], label: list[str]) -> bool:
    """Whether most of the ``texts`` (as words) saying ``phrase`` say the whole ``label``
    (:data:`SAYS_LABEL`): the phrase is there as the other theme's point, made as a second
    one, however often the theme's own answers make it."""
    words = {word for word in label if len(word) >= 3}
    using = [set(text) for text in texts if _inside(phrase, text)]
    if not words or not using:
        return False
    said = sum(len(words & text) >= SAYS_LABEL * len(words) for text in using)
    return 2 * said > len(using)


def borrowed_keywords_left_out(
    themes: list[dict[str, Any]], texts: Sequence[Sequence[str]]
) -> list[tuple[str, str]]:
    """Leaves out, in place, each theme's keywords that are another theme's label's words
    (module docstring); ``texts``: per theme, in order, the answers it is the main theme of.
    Returns (theme id, keyword) for each keyword left out."""
    labels = [_words(str(theme.get("label") or "")) for theme in themes]
    worded = [[_words(text) for text in theme_texts] for theme_texts in texts]
    left_out: list[tuple[str, str]] = []
    for index, theme in enumerate(themes):
        keywords = list(theme.get("keywords") or [])
        kept = []
        for position, keyword in enumerate(keywords):
            phrase = _words(keyword)
            borrowed = (
                len(phrase) >= 2
                and not _inside(phrase, labels[index])
                and any(
                    other != index
                    and _inside(phrase, labels[other])
                    and (
                        _share(phrase, worded[other]) > _share(phrase, worded[index])
                        or _says_label(phrase, worded[index], labels[other])
                    )
                    for other in range(len(themes))
                )
            )
            # never so few that the theme reads as a catch-all (analysis.mixed)
            room = len(kept) + len(keywords) - position - 1 > FEW_KEYWORDS
            if borrowed and room:
                left_out.append((str(theme.get("id") or ""), keyword))
            else:
                kept.append(keyword)
        if len(kept) < len(keywords):
            theme["keywords"] = kept
    return left_out
