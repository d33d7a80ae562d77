"""Sign-off lines at the end of an answer ("Signed on behalf of Arden Digital Ltd.", "Yours
sincerely, Jane Smith", "Kind regards", "- J. Smith"): a campaign letter pasted by many
partners, each signing it, is one text, and its signature is no part of what it says, so
it is left out of the answer's quote, of its summary sentences and label statements, and
of the key by which answers saying the same words are one quote."""

from __future__ import annotations

import re

# A name or organisation: up to eight words, the first with a capital and the others with
# one too or joining words ("Chamber of Commerce", "Smith & Sons"), or a masked name.
_NAME = (
    r"(?:\[name\]|[A-Z][\w.'’&-]*(?:,?\s+(?:[A-Z][\w.'’&-]*|&|of|and|the|for|on|de|van|von))"
    r"{0,7})"
)
_PROPER = r"[A-Z][a-z][\w.'’-]*"  # a capitalised word not in capitals ("Smith", not "HAPPY")
_SIGN_OFF = re.compile(
    r"(?:(?:^|(?<=[.!?;:,])\s+)(?:"  # at the start of a sentence
    # "Signed on behalf of ...", "Sent on behalf of ...", "Signed: ...", "Signed by ..."
    r"(?i:signed|sent|submitted|written)"
    r"(?:\s+(?i:(?:for\s+and\s+)?on\s+behalf\s+of|by)\b|\s*[:,])"
    r"[^.!?]{0,120}"
    # "On behalf of the Walsall Business Forum." (a name only: no clause follows)
    r"|(?i:(?:for\s+and\s+)?on\s+behalf\s+of)\s+(?:the\s+|our\s+)?" + _NAME + r"\s*"
    # "Yours sincerely, Jane Smith", "Kind regards, Jane", "Best wishes from the ..."
    r"|(?i:yours\s+(?:sincerely|faithfully|truly)|(?:(?:kind|kindest|best|warm|warmest|many)"
    r"\s+)?regards|best\s+wishes)(?:\s*[,.:]?\s*(?i:from\s+(?:the\s+)?)?" + _NAME + r")?"
    r"(?:\s*[,.]\s*" + _NAME + r")*\s*"
    r")"
    # "- Jane Smith", "— Arden Digital Ltd" closing the answer: two words or more, each
    # capitalised but not in capitals ("- VERY HAPPY" is no name)
    r"|\s+[-–—]+\s*"
    + _PROPER
    + r"(?:\s+(?:"
    + _PROPER
    + r"|&|of|and|the|for))*\s+"
    + _PROPER
    + r")[.!]?\s*$"
)
# A cut part may hold no clause of its own ("Signed, we urge the council to ..."): then it
# is no sign-off.
_CLAUSE = re.compile(r"[,:]\s+(?:we|i|they|it|this|the council|councils)\s+\w+", re.IGNORECASE)


def sign_off(text: str) -> str:
    """The sign-off closing ``text`` ("Signed on behalf of Arden Digital Ltd."), with the
    white space before it, or "" when it has none. Never the whole text."""
    match = _SIGN_OFF.search(text or "")
    if match is None or not text[: match.start()].strip() or _CLAUSE.search(match.group()):
        return ""
    return text[match.start() :]


def without_sign_off(text: str) -> str:
    """``text`` without the sign-off that closes it (:func:`sign_off`), white space at the
    end taken off; the text as it was when it has none."""
    cut = sign_off(text)
    return text[: len(text) - len(cut)].rstrip() if cut else text
