"""The verb-led keyword benchmark's judge (WordNet's tagged-sense counts) and its tally, on a
tiny WordNet-shaped folder written here (the real one is Debian's wordnet-base)."""

from __future__ import annotations

import pickle
from pathlib import Path

import pytest

from analysis.tokens import Tokenizer
from bench.keyword_verbs import WordNetJudge, classify, figures, main, replay


@pytest.fixture
def judge(tmp_path: Path) -> WordNetJudge:
    counts = {  # lemma -> (noun, verb, adjective) tagged senses
        "improve": (0, 60, 0),
        "rail": (9, 1, 0),
        "pump": (6, 4, 0),
        "heat": (40, 5, 0),
        "allow": (0, 90, 0),
        "issue": (29, 52, 0),
        "fund": (30, 8, 0),
        "go": (0, 900, 0),
        "god": (116, 0, 0),
        "stop": (10, 60, 0),
        "reduce": (0, 40, 0),
    }
    lines = []
    for lemma, (noun, verb, adjective) in counts.items():
        for kind, count in (("1", noun), ("2", verb), ("3", adjective)):
            if count:
                lines.append(f"{lemma}%{kind}:00:00:: 1 {count}")
    (tmp_path / "cntlist.rev").write_text("\n".join(lines) + "\n")
    for name, index in (("noun", 0), ("verb", 1), ("adj", 2)):
        words = sorted(lemma for lemma, c in counts.items() if c[index])
        (tmp_path / f"index.{name}").write_text("  header\n" + "".join(f"{w} x\n" for w in words))
        (tmp_path / f"{name}.exc").write_text("stopped stop\n" if name == "verb" else "")
    return WordNetJudge(tmp_path)


def test_the_judge_counts_verbs_and_verb_led_phrases(judge: WordNetJudge):
    assert classify("improve rail", judge) == "verb-led"
    assert classify("improve", judge) == "verb"
    assert classify("heat pumps", judge) is None  # "pumps" after no plural, but a noun
    assert classify("homeschooling allows", judge) == "ends on verb"
    assert classify("rail", judge) is None
    assert classify("issues", judge) is None  # a verb, but not twice as often as a noun
    assert classify("fund", judge) is None
    assert classify("god", judge) is None  # not "go" + "d"
    assert classify("improving rail", judge) is None  # a gerund names a thing
    assert classify("stopped selling", judge) == "verb-led"  # a verb chain
    assert classify("reduced funding", judge) is None  # a participle describing a noun


def test_replay_tallies_each_set(judge: WordNetJudge, tmp_path: Path):
    texts = ["Improve rail and bus links.", "Overall, improve rail and bus links."] * 2
    tokenizer = Tokenizer(min_phrase_count=1)
    tokens = tokenizer.fit_transform(texts)
    vocabulary = sorted({t for doc in tokens for t in doc})
    calls = tmp_path / "calls.pkl"
    calls.write_bytes(pickle.dumps([("demo", vocabulary, tokenizer, texts)]))
    shown = replay(calls, None)
    assert "improve rail" not in shown["demo"][0]
    found = figures(shown, judge)["demo"]
    assert found["verb-led"] == [] and found["themes"] == 1
    assert found["shown"] == len(shown["demo"][0])


def test_a_missing_wordnet_is_a_clear_message(tmp_path: Path, monkeypatch):
    monkeypatch.setenv("WORDNET_DIR", str(tmp_path / "none"))
    with pytest.raises(SystemExit, match="wordnet-base"):
        main(["replay", "--calls", str(tmp_path / "calls.pkl")])


def test_docstring_names_only_options_the_script_has(capsys: pytest.CaptureFixture[str]) -> None:
    """The usage in the module's docstring offers only options the parser accepts (it once
    named a ``--write`` the script did not have)."""
    import re

    import bench.keyword_verbs as script

    with pytest.raises(SystemExit) as done:
        main(["--help"])
    assert done.value.code == 0
    accepted = set(re.findall(r"--[a-z][\w-]*", capsys.readouterr().out))
    named = set(re.findall(r"--[a-z][\w-]*", script.__doc__ or ""))
    assert {"--code", "--list", "--calls", "--out"} <= named
    assert named <= accepted
    assert "--write" not in named
