"""review20: the per-text caches the scale round raised to 200,000-262,144 entries can be
emptied (:func:`analysis.remembered.forget`) without changing any answer."""

from __future__ import annotations

from analysis import describe, quote_points, remembered, signoff, statements
from analysis.fit import sentence_keys

TEXTS = [
    "Honestly, buses are late every evening. Thank you for the chance to respond.",
    "Fund skills for young people across the region! Signed on behalf of Arden Digital Ltd.",
]


def _answers() -> list[object]:
    said = [quote_points.said(s) for t in TEXTS for s in statements.sentences(t)]
    return [
        [statements.sentences(t) for t in TEXTS],
        [signoff.said_sentences(t) for t in TEXTS],
        [describe.said_key(t) for t in TEXTS],
        [sorted(sentence_keys(t)) for t in TEXTS],
        said,
    ]


def test_forget_empties_every_cache_and_changes_no_answer():
    before = _answers()
    filled = {cached.__qualname__: cached.cache_info().currsize for cached in remembered.caches()}
    assert all(filled[name] > 0 for name in ("_sentences", "_said_sentences", "said_key", "said"))
    remembered.forget()
    assert [cached.cache_info().currsize for cached in remembered.caches()] == [0] * len(filled)
    assert _answers() == before
