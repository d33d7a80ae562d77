"""What a verb and its preposition act on is a keyword when it reads alone (smoke26r finding
9: the demo's "Staff cannot rely on buses that often do not turn up", 24 answers saying it
word for word, showed "staff" alone: "buses" is nearly always written in "rely on buses",
a verb phrase, and what that phrase names was looked for only straight after the verb)."""

from __future__ import annotations

from analysis.keywords import _object, readable_keywords
from analysis.tokens import Tokenizer


def _shown(texts: list[str]) -> list[str]:
    tokenizer = Tokenizer(min_phrase_count=1)
    tokens = tokenizer.fit_transform(texts)
    vocabulary = sorted({t for doc in tokens for t in doc})
    return readable_keywords(vocabulary, tokenizer, texts, count=len(vocabulary))


def test_the_object_after_a_verbs_preposition_is_shown():
    texts = ["Staff cannot rely on buses that often do not turn up."] * 6
    shown = _shown(texts)
    assert "buses" in shown and "staff" in shown, shown
    assert not {"rely", "turn", "rely on buses", "on buses"} & set(shown), shown


def test_object_takes_the_preposition_off_only_after_a_verb():
    texts = [t.lower() for t in ["Staff cannot rely on buses that often do not turn up."] * 3]
    assert _object("rely on buses", texts) == "buses"
    texts = [t.lower() for t in ["Small charities depend on grants from the council."] * 3]
    assert _object("depend on grants", texts) == "grants"
    # nothing to name after the preposition: still nothing
    texts = [t.lower() for t in ["Patients should be able to rely on them."] * 3]
    assert _object("rely on them", texts) is None
