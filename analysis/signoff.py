"""Sign-offs closing an answer ("Signed on behalf of Arden Digital Ltd.", "Yours sincerely,
Jane Smith", "Kind regards", "- Jane Smith"): a campaign letter pasted by many partners, some
signing it, is one text, and its signature is no part of what it says, so it is left out of
the answer's quote, its summary sentences and label statements, and the key by which answers
saying the same words are one quote. A sign-off sentence is what
:func:`analysis.clean.is_sign_off` says it is."""

from __future__ import annotations

import re

from .clean import is_filler, is_sign_off
from .remembered import ANSWER_CHARS, remember_texts
from .statements import sentences

_PROPER = r"[A-Z][a-z][\w.'’-]*"  # a capitalised word not in capitals ("Smith", not "HAPPY")
# "- Jane Smith", "— Arden Digital Ltd" closing the answer: two words or more, each
# capitalised ("- Thank you", "- VERY HAPPY" and "- Excellent" are no names).
_DASH_NAME = re.compile(
    r"\s+[-–—]+\s*"
    + _PROPER
    + r"(?:\s+(?:"
    + _PROPER
    + r"|&|of|and|the|for))*\s+"
    + _PROPER
    + r"[.!]?\s*$"
)


def sign_off(text: str) -> str:
    """The sign-off closing ``text`` (its last sentences while each is a sign-off, or a name
    after a dash), with the white space before it; "" when it has none. Never the whole
    text: an answer that is only a sign-off is left to the non-substantive bucket."""
    text = text or ""
    end = len(text.rstrip())
    cut = end
    for sentence in reversed(sentences(text)[1:]):
        at = text.rfind(sentence, 0, cut)
        if at <= 0 or text[at + len(sentence) : end].strip() or not is_sign_off(sentence):
            break
        cut = end = at
    dash = _DASH_NAME.search(text[:cut])
    if dash and text[: dash.start()].strip():
        cut = dash.start()
    start = len(text[:cut].rstrip())
    return text[start:] if start < len(text.rstrip()) and text[:start].strip() else ""


def without_sign_off(text: str) -> str:
    """``text`` without the sign-off that closes it (:func:`sign_off`); the text as it was
    when it has none."""
    cut = sign_off(text)
    return text[: len(text) - len(cut)] if cut else text


def said_sentences(text: str) -> list[str]:
    """The sentences of ``text`` that say something, for the keys by which answers saying
    the same are one quote: its closing sign-off (:func:`without_sign_off`) and any
    courtesy or filler sentence ("Thank you for the chance to respond.", "No further
    comments.": :func:`analysis.clean.is_filler`) are aside, as openers are, so an answer and
    the same answer with thanks added are one quote (smoke walk 8, finding 6). Every sentence
    when each is aside. The quote itself is shown as written. Remembered per text as
    :func:`analysis.statements.sentences` is (BENCHMARKS "scale": a 100,000-answer run asked
    for 420,000 texts' said sentences)."""
    return list(_said_sentences(text or ""))


@remember_texts(ANSWER_CHARS)
def _said_sentences(text: str) -> tuple[str, ...]:
    """:func:`said_sentences`, as a tuple."""
    parts = sentences(without_sign_off(text))
    kept = [part for part in parts if not is_filler(part)]
    return tuple(kept or parts)
