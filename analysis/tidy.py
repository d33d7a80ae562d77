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


# A data set's mask for a name it left out ("XXXX was great", "thanks to xxxx"): capital X's,
# three or more, or lower-case x's, four or more ("xxx" may be kisses).
_NAME_MASK = re.compile(r"(?<![\w\[])(?:X{3,}|x{4,})(?![\w\]])")


def name_masks(text: str) -> str:
    """``text`` with each name mask as "[name]" ("XXXX was great" -> "[name] was great"), the
    mark the analysis's own masking uses."""
    return _NAME_MASK.sub("[name]", text)


def tidy_text(text: str) -> str:
    """A label or keyword as shown: :func:`odd_capitals`, :func:`placeholders` and
    :func:`name_masks`."""
    return name_masks(placeholders(odd_capitals(text)))


_CAPITALISED = re.compile(r"(?<![\w'’-])([A-Z][a-z]+)(?![\w'’-])")
# Words that join the words of a name ("Department for Work and Pensions").
_NAME_JOINERS = frozenset(["of", "for", "and", "the", "&", "de"])
# How much rarer than in lower case a word's capitalised mid-sentence uses must be for its
# capital in a label to be a slip (half as common at most): a name is written with its capital
# nearly always, while Trust B's transcriber writes "very Good" in 186 of 1,257 mid-sentence
# uses of "good" in the NHS feedback.
_CAPITAL_SHARE = 0.5


def _in_name(words: list[str], index: int) -> bool:
    """Whether the word at ``index`` has a capitalised neighbour, directly or across one of
    the :data:`_NAME_JOINERS` ("Work" in "Department for Work"): part of a name."""
    for step in (-1, 1):
        at = index + step
        if 0 <= at < len(words) and words[at].lower() in _NAME_JOINERS:
            at += step
        # a sentence's first word is no sign of a name
        if 0 <= at < len(words) and words[at][:1].isupper() and words[at] != "I" and at > 0:
            return True
    return False


def common_case(label: str, texts: list[str]) -> str:
    """``label`` with a common word capitalised mid-sentence in lower case ("Everything was
    very Good" -> "Everything was very good"): when the answers write the word in lower case
    at least twice as often as with a capital mid-sentence (so not a name, "Trust",
    "Chris"), and it stands apart from other capitalised words (not "Department for Work and
    Pensions"). A word starting a sentence, "I" and all-capitals words keep theirs."""
    words = label.split()
    joined = "\n".join(texts)
    out = []
    for index, word in enumerate(words):
        match = _CAPITALISED.search(word)
        if (
            match is None
            or match.start() > 0
            or index == 0
            or words[index - 1][-1:] in _SENTENCE_END
            or _in_name(words, index)
        ):
            out.append(word)
            continue
        capital = match.group(1)
        lower = len(re.findall(rf"(?<![\w'’-]){capital.lower()}(?![\w'’-])", joined))
        mid = len(re.findall(rf"(?<=[a-z,] ){capital}(?![\w'’-])", joined))
        out.append(word[:1].lower() + word[1:] if lower and mid <= _CAPITAL_SHARE * lower else word)
    return " ".join(out) if out != words else label


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
