"""Keywords in the case the answers write them: "London", "MPs", "Whitehall", "Regional
Business Council", not "london", "mps", "whitehall" (the tokenizer lowercases every word, and
a reader stumbles on a place or a body written in lower case).

A keyword takes the form its theme's answers use most often in the middle of a sentence. A
word at the start of a sentence is capitalised whatever it is, so those uses do not count;
nor do answers written mostly in capitals ("PLEASE FIX THE BUSES"). A keyword the answers
write in lower case as often as not stays in lower case.

A name the answers write in capitals that is nearly always part of one longer name is shown
as that name ("Department for Work and Pensions", not "Department" and "Pensions" as two
keywords), and the other keywords it covers ("work") are left out.
"""

from __future__ import annotations

import re
from collections import Counter

# What may stand before a word that starts a sentence or a list item.
_OPENERS = '.!?;:"“‘([•*-–—'


def _normalise(text: str) -> str:
    return " ".join(text.replace("’", "'").split())


def shouting(text: str) -> bool:
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
        if shouting(text):
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


# Small words a name may hold between its capitalised words ("Department for Work and
# Pensions", "Chamber of Commerce"); "and" only after "for" or "of", so that a list of places
# ("Oxford, Cambridge and London") is not read as one name.
_NAME_LINKS = ("for", "of", "the")
_CAPITALISED = r"[A-Z][\w'-]*"


def _names_around(word: str, text: str) -> list[str]:
    """The capitalised names in ``text`` holding ``word`` ("Department for Work and Pensions"
    for "Department"); a lone capitalised word is its own name."""
    name = re.compile(rf"{_CAPITALISED}(?: (?:(?:{'|'.join(_NAME_LINKS)}|and) )*{_CAPITALISED})*")
    found = []
    for match in name.finditer(text):
        words = match.group(0).split()
        linked = False
        end = len(words)
        for i, w in enumerate(words):
            if w in _NAME_LINKS:
                linked = True
            elif w == "and" and not linked:
                end = i  # "Cambridge and London": two names, not one
                break
        words = words[:end]
        while words and not words[-1][0].isupper():
            words.pop()
        if word in words:
            found.append(" ".join(words))
    return found


def whole_name(keyword: str, texts: list[str], share: float = 0.8) -> str:
    """The longer name a capitalised one-word ``keyword`` is part of in at least ``share`` of
    its mid-sentence uses (and two at least), else ``keyword``."""
    if " " in keyword or not keyword[:1].isupper():
        return keyword
    names: Counter[str] = Counter()
    uses = 0
    for raw in texts:
        text = _normalise(raw)
        if shouting(text):
            continue
        for sentence in re.split(r"(?<=[.!?;:])\s+", text):
            # a sentence's first word is capitalised whatever it is: read it in lower case
            sentence = sentence[:1].lower() + sentence[1:]
            found = _names_around(keyword, sentence)
            uses += len(found)
            names.update(n for n in found if n != keyword)
    if not names:
        return keyword
    name, count = min(names.items(), key=lambda item: (-item[1], item[0]))
    return name if count >= 2 and count >= share * uses and len(name.split()) <= 6 else keyword


def _covered(keyword: str, name: str) -> bool:
    """Whether every word of ``keyword`` is a word of ``name`` (case aside)."""
    words = set(name.lower().replace("-", " ").split())
    return set(keyword.lower().replace("-", " ").split()) <= words


def keywords_as_written(keywords: list[str], texts: list[str]) -> list[str]:
    """Each keyword in the case its theme's answers write it (:func:`as_written`), a part of a
    longer name as that name (:func:`whole_name`), each shown once: a keyword the words of a
    longer name cover ("work" in "Department for Work and Pensions") is left out."""
    shown = [whole_name(as_written(keyword, texts), texts) for keyword in keywords]
    names = [k for k in shown if " " in k and k[:1].isupper()]
    out: list[str] = []
    for keyword in shown:
        if keyword in out:
            continue
        if any(name != keyword and _covered(keyword, name) for name in names):
            continue
        out.append(keyword)
    return out


_WORD = re.compile(r"[A-Za-z][\w'’-]*")


def unshouted(label: str, texts: list[str]) -> str:
    """A label taken from an answer written in capitals ("TAKING A LIFE SHOULD BE WRONG"), in
    sentence case: each word in the form ``texts`` use most in mid-sentence (so "NHS" and
    "London" keep their capitals), the first letter a capital. Any other label is returned as
    it is: a label is an answer's own words, and only its shouting is taken out."""
    if not shouting(label):
        return label
    lowered = _WORD.sub(lambda match: as_written(match.group(0).lower(), texts), label)
    return lowered[:1].upper() + lowered[1:]
