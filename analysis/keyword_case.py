"""Keywords in the case the answers write them: "London", "MPs", "Whitehall", "Regional
Business Council", not "london", "mps", "whitehall" (the tokenizer lowercases every word, and
a reader stumbles on a place or a body written in lower case).

A keyword takes the form its theme's answers use most often in the middle of a sentence. A
word at the start of a sentence is capitalised whatever it is, so those uses do not count;
nor do answers written mostly in capitals ("PLEASE FIX THE BUSES"). A keyword the answers
write in lower case as often as not stays in lower case.
"""

from __future__ import annotations

import re
from collections import Counter

# What may stand before a word that starts a sentence or a list item.
_OPENERS = '.!?;:"“‘([•*-–—'


def _normalise(text: str) -> str:
    return " ".join(text.replace("’", "'").split())


def _shouting(text: str) -> bool:
    """Whether most of an answer's letters are capitals (its case says nothing)."""
    letters = [c for c in text if c.isalpha()]
    return len(letters) >= 8 and sum(c.isupper() for c in letters) > 0.5 * len(letters)


def _starts_sentence(text: str, start: int) -> bool:
    before = text[:start].rstrip()
    return not before or before[-1] in _OPENERS


def as_written(keyword: str, texts: list[str]) -> str:
    """``keyword`` (lower case) in the form ``texts`` use most in mid-sentence, or as given
    when lower case is as common as any other form or the keyword is never found there."""
    pattern = re.compile(rf"(?<![\w-]){re.escape(keyword)}(?![\w-])", re.IGNORECASE)
    forms: Counter[str] = Counter()
    for raw in texts:
        text = _normalise(raw)
        if _shouting(text):
            continue
        for match in pattern.finditer(text):
            if not _starts_sentence(text, match.start()):
                forms[match.group(0)] += 1
    if not forms:
        return keyword
    form, count = min(forms.items(), key=lambda item: (-item[1], item[0]))
    if form == form.lower() or count <= forms.get(keyword, 0):
        return keyword
    return form


def keywords_as_written(keywords: list[str], texts: list[str]) -> list[str]:
    """Each keyword in the case its theme's answers write it (:func:`as_written`)."""
    return [as_written(keyword, texts) for keyword in keywords]
