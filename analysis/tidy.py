"""Labels and keywords tidied for display, without changing what they say.

A theme's label and keywords are the analysis's headings, taken from its answers' words, so
they inherit two things a reader trips over (issue 12):

* a transcription's stray capital I inside words ("EverythIng was explaIned", "happy wIth
  the care", "NeIl DIamond", "been In better care"): in the NHS feedback, 1,172 answers
  (1,164 of them Trust B's) write some lower-case i's as capitals, and a label or keyword
  taken from them kept it ("Happy wIth all care gIven by staff", "servIce");
* transcribers' placeholders in angle brackets for what they could not read or left out
  ("<?>", "<?unreadable 2 words>", "<informing?>", "<COMMENT TRUNCATED>"), which read as
  broken markup.

:func:`tidy_text` gives such a capital I in lower case (and a mid-sentence "It", "Is", "In",
"If"), and a placeholder in square brackets,
the usual mark of an editor's words in a quotation ("[unreadable]", "[informing?]",
"[comment truncated]"). Nothing else is touched: a word's other capitals ("WiFi", "NHS",
"MRI", "FaceTime"), the pronoun "I" ("I'm", "I've") and a word starting a sentence keep
theirs. Quotes and summary sentences are not tidied: each is cited with its response's id,
so it stays in the respondent's exact words. The function is pure, so a rerun on the same
input gives byte-identical output.
"""

from __future__ import annotations

import re

# A capital I inside a word: after a lower-case letter ("wIth", "paIn"), or after a letter
# and before a lower-case one ("DIamond"); not in an all-capitals word ("MRI", "ICU") and
# not after "Mc" ("McIntosh").
_STRAY_I = re.compile(r"(?<=[a-z])(?<!Mc)I|(?<=[A-Za-z])(?<!Mc)I(?=[a-z])")

# The short words a lower-case i starts that the same slip writes with a capital in
# mid-sentence ("made It more bearable", "been In better care"); a name ("Ian", "Ireland")
# is not among them, nor "IT" (all capitals).
_SLIPPED_WORDS = ("it", "its", "it's", "is", "isn't", "in", "into", "if", "itself")
_SLIPPED = re.compile(
    r"(?<![\w'’])I("
    + "|".join(sorted((w[1:] for w in _SLIPPED_WORDS), key=len, reverse=True))
    + r")(?![\w'’])"
)

# What may end a sentence, so the next word keeps its capital.
_SENTENCE_END = '.!?:;"“”(…'

# A transcriber's placeholder: up to 40 characters in angle brackets, none of them a bracket
# ("<?>", "<?unreadable 2 words>", "<informing?>"); not a comparison ("a < b > c" has spaces
# around the brackets).
_PLACEHOLDER = re.compile(r"<(?! )([^<>\n]{0,40})(?<! )>")


def has_placeholder(text: str) -> bool:
    """Whether ``text`` holds a transcriber's placeholder in angle brackets ("<?>")."""
    return bool(_PLACEHOLDER.search(text))


def _bracketed(match: re.Match[str]) -> str:
    inside = " ".join(match.group(1).split())
    if inside.strip("?") == "" or inside.lower().startswith("?unreadable"):
        return "[unreadable]"
    if inside.isupper():
        inside = inside.lower()
    return f"[{inside}]"


def _starts_sentence(text: str, start: int) -> bool:
    before = text[:start].rstrip()
    return not before or before[-1] in _SENTENCE_END


def _slipped(text: str) -> str:
    """``text`` with mid-sentence "It", "Is", "In", "If" ... given a lower-case i."""
    return _SLIPPED.sub(
        lambda m: m.group(0) if _starts_sentence(text, m.start()) else "i" + m.group(1), text
    )


def odd_capitals(text: str) -> str:
    """``text`` with each stray capital I inside a word in lower case ("EverythIng" ->
    "Everything", "DIamond" -> "Diamond") and the short words the same slip capitalises in
    mid-sentence too ("made It more" -> "made it more"); else unchanged."""
    return _slipped(_STRAY_I.sub("i", text))


def placeholders(text: str) -> str:
    """``text`` with each transcriber's placeholder in square brackets: "<?>" and
    "<?unreadable 2 words>" as "[unreadable]", "<informing?>" as "[informing?]",
    "<COMMENT TRUNCATED>" as "[comment truncated]"."""
    return _PLACEHOLDER.sub(_bracketed, text)


def tidy_text(text: str) -> str:
    """A label or keyword as shown: :func:`odd_capitals` and :func:`placeholders`."""
    return placeholders(odd_capitals(text))


def tidy_keywords(keywords: list[str]) -> list[str]:
    """Each keyword tidied (:func:`tidy_text`); a keyword that then equals an earlier one
    is said once."""
    seen: set[str] = set()
    out = []
    for keyword in keywords:
        shown = tidy_text(keyword)
        if shown not in seen:
            seen.add(shown)
            out.append(shown)
    return out
