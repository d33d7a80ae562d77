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


def test_both_keyword_benches_replay_another_copy_of_the_code_through_one_helper(tmp_path, capsys):
    """bench.keyword_cuts used its own copy of bench.keyword_verbs' replay of another copy
    of the code (``--code DIR``) and of its table; both now share keyword_verbs'. Replayed
    through this very copy, before and after agree."""
    import pickle

    from analysis.tokens import Tokenizer
    from bench.keyword_cuts import main
    from bench.keyword_verbs import ROOT, replay, replay_code

    texts = ["Affordable space would keep media start-ups in the region."] * 3
    tokenizer = Tokenizer(min_phrase_count=1)
    vocabulary = sorted({t for doc in tokenizer.fit_transform(texts) for t in doc})
    calls = tmp_path / "calls.pkl"
    calls.write_bytes(pickle.dumps([("demo", vocabulary, tokenizer, texts)]))
    assert replay_code(calls, ROOT) == replay(calls, None)
    assert main(["--calls", str(calls), "--code", str(ROOT)]) == 0
    rows = capsys.readouterr().out.splitlines()
    assert rows[0] == "| set, distinct keywords | before | after |"
    shown = len(replay(calls, None)["demo"][0])
    assert f"| demo: shown | {shown} | {shown} |" in rows
    assert "| demo: cut at a hyphen | 0 | 0 |" in rows
