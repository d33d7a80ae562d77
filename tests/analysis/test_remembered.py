"""review20: the per-text caches (each bounded by characters since anlft) can be
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


def test_a_text_cache_holds_characters_not_entries():
    """anlft: the caches were bounded by entries (200,000 answers of any length); each now
    holds at most ``max_chars`` characters, each entry charged its text's length and
    ENTRY_CHARS, the least recently used forgotten first."""
    calls: list[str] = []

    def shout(text: str) -> str:
        calls.append(text)
        return text.upper()

    each = remembered.ENTRY_CHARS
    cached = remembered.TextCache(shout, max_chars=3 * (10 + each))
    texts = [f"{n:02d}" * 5 for n in range(4)]  # 10 characters each
    assert [cached(t) for t in texts[:3]] == [t.upper() for t in texts[:3]]
    full = 3 * (10 + each)
    assert cached.cache_info() == remembered.TextCacheInfo(0, 3, 3, full, full)
    cached(texts[0])  # a hit: texts[0] is now the most recently used
    cached(texts[3])  # over the bound: texts[1], the least recently used, is forgotten
    info = cached.cache_info()
    assert (info.hits, info.misses, info.currsize, info.chars) == (1, 4, 3, 3 * (10 + each))
    calls.clear()
    assert cached(texts[1]) == texts[1].upper() and calls == [texts[1]]
    assert cached(texts[3]) == texts[3].upper() and calls == [texts[1]]
    # a text longer than the whole bound is answered, never kept
    long = "x" * (3 * (10 + each))
    assert cached(long) == long.upper() and cached(long) == long.upper()
    assert calls.count(long) == 2 and long not in cached._entries
    assert cached.cache_info().chars <= cached.max_chars
    cached.cache_clear()
    assert cached.cache_info() == remembered.TextCacheInfo(0, 0, 0, 0, 3 * (10 + each))
    assert cached.__name__ == "shout" and cached.__wrapped__ is shout


def test_long_answers_no_longer_hold_a_cache_s_worth_of_memory(monkeypatch):
    """A few very long answers fill the sentence cache's characters, and it keeps them at
    that: never more than its bound, however many (here a bound of 600,000 characters)."""
    remembered.forget()
    monkeypatch.setattr(statements._sentences, "max_chars", 600_000)
    long = "The bus was late again. " * 5_000  # 120,000 characters
    for n in range(12):
        assert len(statements.sentences(f"{n} {long}")) == 5_000
    info = statements._sentences.cache_info()
    assert info.chars <= 600_000 and info.currsize == 4 and info.misses == 12
    remembered.forget()


def test_the_caches_are_safe_across_threads():
    from concurrent.futures import ThreadPoolExecutor

    cached = remembered.TextCache(str.upper, max_chars=40 * (3 + remembered.ENTRY_CHARS))
    texts = [f"{n:03d}" for n in range(200)] * 20
    with ThreadPoolExecutor(4) as pool:
        answers = list(pool.map(cached, texts))
    assert answers == [t.upper() for t in texts]
    info = cached.cache_info()
    assert info.hits + info.misses == len(texts) and info.chars <= cached.max_chars
    assert info.chars == sum(len(t) + remembered.ENTRY_CHARS for t in cached._entries)


def test_a_cache_of_answer_sets_holds_characters_not_entries():
    """tidy: ``keywords._clauses`` kept its last 4 sets of answers (a theme's each) however
    many and long they were, and ``forget`` left them. Now a set is charged every answer in
    it (its length and ENTRY_CHARS each), the cache holds at most ``max_chars`` characters,
    least recently used forgotten first, and a set costing more than that is never kept."""
    each = remembered.ENTRY_CHARS
    calls: list[tuple[str, ...]] = []

    def joined(texts: tuple[str, ...]) -> str:
        calls.append(texts)
        return " ".join(texts)

    one_set = 10 + 10 + 2 * each  # two answers of 10 characters
    cached = remembered.TextsCache(joined, max_chars=2 * one_set)
    sets = [(f"{n:02d}" * 5, f"{n:02d}" * 5) for n in range(3)]
    for texts in sets[:2]:
        assert cached(texts) == " ".join(texts)
    assert cached.cache_info() == remembered.TextCacheInfo(0, 2, 2, 2 * one_set, 2 * one_set)
    cached(sets[0])  # a hit: sets[1] is now the least recently used
    cached(sets[2])  # over the bound: sets[1] is forgotten
    assert set(cached._entries) == {sets[0], sets[2]} and calls == [sets[0], sets[1], sets[2]]
    assert cached.cache_info().chars == 2 * one_set
    # many answers in one set count for all of them: more than the bound is never kept
    many = tuple(f"answer {n}" for n in range(20))
    assert cached(many) == " ".join(many) and cached(many) == " ".join(many)
    assert calls.count(many) == 2 and many not in cached._entries
    assert cached.cache_info().chars <= cached.max_chars


def test_keyword_clauses_are_bounded_and_forgotten(monkeypatch):
    """``analysis.keywords._clauses`` is such a cache, bounded by
    :data:`analysis.remembered.CLAUSE_CHARS` and emptied by ``forget``; its answers are the
    same whether remembered or not."""
    from analysis import keywords

    remembered.forget()
    assert keywords._clauses in remembered.caches()
    assert keywords._clauses.max_chars == remembered.CLAUSE_CHARS
    monkeypatch.setattr(keywords._clauses, "max_chars", 2_000)
    themes = [
        tuple(f"Overall, route {n}.{k} buses are late every evening." for k in range(8))
        for n in range(6)
    ]
    first = [keywords._clauses(texts) for texts in themes]
    assert first[0][0] == "route 0.0 buses are late every evening."
    info = keywords._clauses.cache_info()
    assert 0 < info.currsize < len(themes) and info.chars <= 2_000
    assert [keywords._clauses(texts) for texts in themes] == first
    remembered.forget()
    assert keywords._clauses.cache_info().currsize == 0
