"""The scale60 shortcuts (BENCHMARKS "scale60") give exactly what the plain computation gives:
the sentiment and praise cues' word-start guard, each distinct text read once by the praise
cues, the static vectors' piece counts and the tokenizer, and printable texts skipping the
control-character filter."""

from __future__ import annotations

import random
import re
import unicodedata

import numpy as np
import pytest

from analysis import clean, praise_intensity, remembered, sentiment
from analysis.clean import clean_texts, normalise
from analysis.static_vectors import StaticVectors, piece_ids, plain_vectors, unavailable_reason
from analysis.tokens import Tokenizer

PHRASES = [
    "We need more staff",
    "when i need help they come",
    "nothing was left out",
    "people are left out",
    "  be more helpful",
    "Please call back",
    "it takes months to get an appointment",
    "nobody answers the phone",
    "I haven't been consulted",
    "could have been better",
    "no complaints at all",
    "can't fault them",
    "not enough buses",
    "too thinly spread",
    "Nothing to improve, keep it up!",
    "the service is excellent, very kind, all the staff, thank you",
    "ok I suppose, fine",
    "ſhould be quicker",  # long s: "should" to a case-blind match
    "\u212aeep doing it",  # Kelvin sign: "k" to a case-blind match
    "Café staff were brilliant!! 10/10",
    "they didn't listen and won't answer",
    "more or less fine",
    "Give lifts",
    "the better part; much better now",
    "I wish the wait was shorter\n  stop cancelling",
    "a*** service, five stars",
    "—",
    "",
]


def _texts(count: int = 400, seed: int = 0) -> list[str]:
    rng = random.Random(seed)
    joiners = [" ", ". ", ", ", "\n", " and ", "; ", "'", "-"]
    texts = list(PHRASES)
    for _ in range(count):
        parts = rng.sample(PHRASES, rng.randint(1, 4))
        text = rng.choice(joiners).join(parts)
        if rng.random() < 0.3:
            text = text.upper() if rng.random() < 0.5 else text.title()
        texts.append(text)
    return texts


def _unguarded(alternatives: str, flags: int) -> re.Pattern[str]:
    return re.compile(f"(?:{alternatives})", flags)


@pytest.mark.parametrize(
    ("guarded", "alternatives", "flags"),
    [
        (sentiment._REQUEST, sentiment._REQUEST_CUES, re.I | re.M),
        (sentiment._CRITICISM, sentiment._CRITICISM_CUES, re.I),
        (
            sentiment._COMPLAINT,
            f"(?:{sentiment._REQUEST_CUES})|(?:{sentiment._CRITICISM_CUES})",
            re.I | re.M,
        ),
        (sentiment._FAILS, sentiment._FAILING, re.I),
        (sentiment._SATISFIED, sentiment._SATISFIED.pattern[len(sentiment._AT_WORD) :], re.I),
    ],
)
def test_sentiment_cues_match_as_without_the_guard(guarded, alternatives, flags):
    plain = _unguarded(alternatives, flags)
    found = 0
    for text in _texts():
        assert guarded.findall(text) == plain.findall(text), text
        assert guarded.sub(" ", text) == plain.sub(" ", text), text
        found += len(plain.findall(text))
    assert found > 100  # the texts do hold cues


@pytest.mark.parametrize("name", ["_SUPERLATIVE", "_INTENSIFIER", "_LUKEWARM"])
def test_praise_cues_match_as_without_the_guard(name):
    guarded = getattr(praise_intensity, name)
    assert guarded.pattern.startswith(r"\b(?=\w)(?:")
    plain = re.compile(r"\b(?:" + guarded.pattern[len(r"\b(?=\w)(?:") :], guarded.flags)
    counts = [len(guarded.findall(t)) for t in _texts()]
    assert counts == [len(plain.findall(t)) for t in _texts()]
    assert sum(counts) > 20


def test_intensity_matrix_reads_repeats_once_with_the_same_rows():
    texts = _texts(100) * 2 + ["Brilliant!"] * 3
    matrix = praise_intensity.intensity_matrix(texts)
    rows = np.vstack([praise_intensity.intensity_features(t) for t in texts])
    assert matrix.shape == rows.shape
    assert np.array_equal(matrix, rows)
    assert matrix[-1, 0] > 0 and matrix[-1, -2] == 1  # one word, one "!"


def test_printable_texts_skip_the_filter_with_the_same_result():
    def every_character_tested(text):  # normalise before scale60
        text = unicodedata.normalize("NFKC", text).translate(clean._QUOTES)
        kept = "".join(c for c in text if c in "\n\t" or unicodedata.category(c)[0] != "C")
        return clean._SPACE.sub(" ", kept).strip()

    odd = ["zero\u200bwidth", "bell\x07 and\ttab", "line\nbreak", "soft\xadhyphen", "\ufeffBOM"]
    for text in _texts() + odd:
        assert normalise(text) == every_character_tested(text), text
    assert normalise("zero\u200bwidth") == "zerowidth"
    assert normalise("soft\xadhyphen") == "softhyphen"


def test_clean_texts_normalises_each_distinct_answer_once_with_the_same_result():
    raw = ["  Hello   there ", None, "  Hello   there ", "Call 07700 900123", 5, "Hello there"]
    cleaned = clean_texts(raw)
    assert cleaned.texts == ["Hello there", "", "Hello there", "Call [phone]", "5", "Hello there"]
    assert cleaned.pii_rows[3] == ["phone"]
    assert cleaned.duplicates.group[0] == cleaned.duplicates.group[2] == cleaned.duplicates.group[5]


def test_tokenizer_words_of_repeats_are_each_texts_words():
    tokenizer = Tokenizer()
    texts = _texts(60) * 2
    assert tokenizer._words_of(texts) == [tokenizer.words(t) for t in texts]
    tokens = tokenizer.fit_transform(texts)
    assert tokens == tokenizer.transform(texts)
    assert tokenizer.transform(texts[:5]) == [tokenizer.transform([t])[0] for t in texts[:5]]


@pytest.mark.skipif(unavailable_reason() is not None, reason="the MiniLM packages are missing")
def test_piece_counts_of_repeats_are_each_texts_counts():
    texts = _texts(50) * 3 + ["", "Same", "Same"]
    vectors = StaticVectors()
    counts = vectors._counts(texts)
    each = [vectors._counts([t]) for t in texts]
    assert counts.shape[0] == len(texts)
    for row, alone in enumerate(each):
        mine = counts[row]
        assert np.array_equal(mine.indices, alone.indices)
        assert np.array_equal(mine.data, alone.data)
    assert counts[len(texts) - 3].nnz == 0  # the empty text
    together = plain_vectors(texts)
    assert np.array_equal(together[-1], together[-2])
    assert np.array_equal(together[:50], plain_vectors(texts[:50]))


@pytest.mark.skipif(unavailable_reason() is not None, reason="the MiniLM packages are missing")
def test_remembered_piece_ids_give_the_counts_a_cold_cache_gives():
    texts = _texts(40)
    remembered.forget()
    cold = StaticVectors()._counts(texts)
    assert piece_ids.cache_info().currsize == len(set(texts))
    assert np.array_equal(np.unique(piece_ids(texts[3])), cold[3].indices)
    warm = StaticVectors()._counts(list(reversed(texts)))
    assert piece_ids.cache_info().hits >= len(set(texts))
    for row in range(len(texts)):
        back = warm[len(texts) - 1 - row]
        assert np.array_equal(back.indices, cold[row].indices)
        assert np.array_equal(back.data, cold[row].data)
    remembered.forget()
    assert piece_ids.cache_info().currsize == 0


def test_a_text_cache_gets_and_puts_as_its_calls_do():
    cached = remembered.TextCache(str.upper, max_chars=2 * (5 + remembered.ENTRY_CHARS))
    assert cached.get("first") is None and cached.get("first", "?") == "?"
    cached.put("first", "FIRST")
    assert cached.get("first") == "FIRST" and cached("first") == "FIRST"
    cached.put("other", "OTHER")
    cached.put("third", "THIRD")  # over the bound: the least recent ("first") goes
    assert cached.get("first") is None and cached("third") == "THIRD"
    info = cached.cache_info()
    assert (info.hits, info.misses, info.currsize) == (3, 3, 2)
