"""The counts of keywords cut mid-phrase (bench/keyword_cuts.py)."""

from bench.keyword_cuts import cuts


def test_cut_keywords_are_found_and_whole_phrases_are_not():
    texts = [
        "Affordable space would keep games and media start-ups in the region.",
        "Media start-ups need studios. The sums on offer will not even repair the roads.",
        "The sums on offer are too small.",
    ]
    found = cuts(["media start", "sums", "offer", "roads", "sums, offer"], texts)
    assert found["cut at a hyphen"] == ["media start"]
    assert found["holding punctuation"] == ["sums, offer"]
    assert found["split at a preposition"] == ["sums + offer"]
    whole = cuts(["media start-ups", "sums on offer", "roads"], texts)
    assert not any(whole.values()), whole
