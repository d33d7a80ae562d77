"""The answer's own typographic characters in what a report shows of it.

Answers are read as normalised text (:func:`analysis.clean.normalise`: plain quotes and
dashes, "..." for an ellipsis, single spaces), which suits matching and vectors but not a
reader: a summary point or quote should keep the curly quotes, en and em dashes and ellipses
its author typed. :func:`own_characters` finds a shown string (a label, a summary sentence, a
quote) in the answer it came from and gives those characters back; nothing else changes, so
masked personal data stays masked and a string not found is given as it was.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

# Each plain form the normaliser writes, and the characters it stood for in the answer.
_STOOD_FOR = {
    "'": "['\u2018\u2019]",
    '"': '["\u201c\u201d]',
    "-": "[-\u2013\u2014]",
    "...": r"(?:\.\.\.|\u2026)",
}
_PLAIN = re.compile(r"\.\.\.|['\"-]|\s+|\[[a-z]+\]")


def _pattern(shown: str, masks: frozenset[str]) -> re.Pattern[str] | None:
    """A pattern finding ``shown`` in an answer, each plain quote, dash or ellipsis matching
    the characters it may stand for (captured), spaces any run of white space and a mask
    placeholder ("[phone]") any text. None when ``shown`` has nothing to give back."""
    parts: list[str] = []
    position, captured = 0, False
    for match in _PLAIN.finditer(shown):
        parts.append(re.escape(shown[position : match.start()]))
        piece = match.group()
        if piece in _STOOD_FOR:
            parts.append(f"({_STOOD_FOR[piece]})")
            captured = True
        elif piece.isspace():
            parts.append(r"\s+")
        elif piece in masks:
            parts.append(r"[\s\S]+?")
        else:
            parts.append(re.escape(piece))
        position = match.end()
    parts.append(re.escape(shown[position:]))
    return re.compile("".join(parts), re.IGNORECASE) if captured else None


def own_characters(shown: str, answers: Iterable[str], masks: frozenset[str] = frozenset()) -> str:
    """``shown`` with the quotes, dashes and ellipses of the first of ``answers`` (original,
    unnormalised texts) it is found in: "Fares of £4-£5 are too high" taken from "Fares of
    £4–£5 are too high." reads "Fares of £4–£5 are too high". Case, spacing and mask
    placeholders (``masks``, e.g. "[phone]") stay as shown; unchanged when no answer
    holds it."""
    pattern = _pattern(shown, masks)
    if pattern is None:
        return shown
    for answer in answers:
        found = pattern.search(answer or "")
        if found is None:
            continue
        pieces: list[str] = []
        position, group = 0, 0
        for match in _PLAIN.finditer(shown):
            pieces.append(shown[position : match.start()])
            piece = match.group()
            if piece in _STOOD_FOR:
                group += 1
                pieces.append(found.group(group))
            else:
                pieces.append(piece)
            position = match.end()
        pieces.append(shown[position:])
        return "".join(pieces)
    return shown
