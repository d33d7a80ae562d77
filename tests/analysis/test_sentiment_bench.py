"""The sentiment benchmark's held-out reader for pxtextmining's v6 framework file, on a tiny
synthetic file in its layout (the real one is not in the repository)."""

from __future__ import annotations

import argparse
import csv
import json

import pytest

from bench.sentiment import describe_training, load_v6, measure, probe_option, scorers, v6_parts


def test_load_v6_reads_rated_answers_with_their_question(tmp_path):
    path = tmp_path / "v6.csv"
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(["Trust", "FFT question", "FFT answer", "Comment sentiment", "Parking"])
        writer.writerow(["NEAS", "What was good?", "Lovely kind staff", "1", ""])
        writer.writerow(
            ["NHFT", "What could we\ndo better?", "The wait was far too long", "5", "1"]
        )
        writer.writerow(["NHFT", "FFT Why?", "It was ok", "3", ""])
        writer.writerow(["NHFT", "FFT Why?", "Not rated", "", ""])
        writer.writerow(["NHFT", "FFT Why?", "  ", "2", ""])
    rows = load_v6(path)
    assert [(r[0], r[1], r[3]) for r in rows] == [
        ("Lovely kind staff", 2, "What was good?"),
        ("The wait was far too long", -2, "What could we do better?"),
        ("It was ok", 0, "FFT Why?"),
    ]
    fast = scorers("fast", wording=lambda question: question)
    scores = fast["fast"](rows)
    assert scores[0] > 0 > scores[1]
    found = measure(scores, [r[1] for r in rows], clear=1)
    assert found["complaints_negative"] == 1.0 and found["praise_positive"] == 1.0


def test_v6_parts_say_which_trust_each_probe_learnt_from():
    rows = [
        ("Kind staff", 2, "NHFT", "What was good?"),
        ("Too slow", -2, "NHFT", "What could we do better?"),
        ("On time", 1, "NEAS", "FFT Why?"),
    ]
    parts = v6_parts(rows, {"semantic": ["NEAS"], "semantic, old": []})
    names = list(parts)
    # The held-out trust comes first; the training trust names the columns that read it.
    assert names[0] == "**NHFT** (held out), all rated answers"
    assert "**NEAS** (training data of semantic), all rated answers" in names
    assert parts["NHFT, question 'What was good?'"] == [rows[0]]
    assert parts["both trusts, all rated answers"] == rows
    held = v6_parts(rows, {})
    assert "**NEAS** (held out), all rated answers" in held


def test_probe_option_and_training_description(tmp_path):
    assert probe_option("old=/tmp/p.json")[0] == "semantic, old"
    with pytest.raises(argparse.ArgumentTypeError):
        probe_option("no-file")
    # The shipped probe names its sources; an older one without trained_on read phase 1's
    # development trusts.
    assert describe_training() == "phase 1 Trust A, Trust B; v6 NEAS, NHFT"
    old = tmp_path / "old.json"
    old.write_text(json.dumps({"heads": {}}), encoding="utf-8")
    assert describe_training(old) == "phase 1 Trust A, Trust B"


def test_the_probe_trains_on_the_v6_trusts_named_and_never_on_trust_c(tmp_path, monkeypatch):
    import bench.sentiment_probe as trainer

    path = tmp_path / "v6.csv"
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(["Trust", "FFT question", "FFT answer", "Comment sentiment"])
        writer.writerow(["NEAS", "FFT Why?", "Lovely kind staff", "1"])
        writer.writerow(["NHFT", "What was good?", "The nurses listened", "2"])
        writer.writerow(["NHFT", "What could we do better?", "Nothing", "1"])
    phase1 = [
        ("Rude receptionist", -4, "Trust A", "Trust A - Q1"),
        ("Very caring", 3, "Trust C", "Trust C - Q1"),
    ]
    monkeypatch.setattr(trainer, "load", lambda: phase1)
    assert trainer.v6_trusts("both") == ("NEAS", "NHFT")
    assert trainer.v6_trusts("NHFT") == ("NHFT",)
    both = trainer.training_rows(path, "both")
    # Bare replies ("Nothing") are left to the rules; Trust C is never read.
    assert [(r[0], round(r[1], 2), r[2]) for r in both] == [
        ("Rude receptionist", -0.8, "Trust A"),
        ("Lovely kind staff", 0.8, "NEAS"),
        ("The nurses listened", 0.4, "NHFT"),
    ]
    assert [r[2] for r in trainer.training_rows(path, "NEAS")] == ["Trust A", "NEAS"]


def test_leads_bench_scores_bare_replies_by_question_kind():
    from types import SimpleNamespace

    import numpy as np

    from bench.sentiment_leads import with_bare

    d = SimpleNamespace(
        rules=np.array([0.5, 0.0, -0.3, 0.2]),
        kind=np.array(["change", "change", "praise", "change"]),
        bare=np.array([True, True, True, False]),
    )
    index = np.arange(4)
    scores = np.array([0.1, 0.1, 0.1, 0.4])
    # 'Nothing' after 'what could be better?' takes the value; 'n/a' (rules 0) keeps 0 unless
    # no-opinion replies are included; a kind not named keeps the rules; answers stay.
    assert with_bare(d, index, scores, {"change": 0.9}, False).tolist() == [0.9, 0.0, -0.3, 0.4]
    assert with_bare(d, index, scores, {"change": 0.9}, True).tolist() == [0.9, 0.9, -0.3, 0.4]


def test_leads_bench_scores_bare_replies_after_what_could_be_better_only():
    from types import SimpleNamespace

    import numpy as np

    from bench.sentiment_leads import with_bare_improve

    d = SimpleNamespace(
        rules=np.array([0.5, 0.0, 0.5, -0.3, 0.2]),
        improve=np.array([True, True, False, False, True]),
        bare=np.array([True, True, True, True, False]),
    )
    scores = np.array([0.1, 0.1, 0.1, 0.1, 0.4])
    # 'Nothing' after 'what could be better?' takes the value; 'n/a' (rules 0), a bare reply
    # to any other question ('Do you agree with the changes?', 'What was good?') and an
    # answer that is not bare keep their scores.
    assert with_bare_improve(d, np.arange(5), scores, 0.9).tolist() == [0.9, 0.1, 0.1, 0.1, 0.4]


def test_a_file_of_another_layout_exits_2_with_a_message(tmp_path, capsys):
    from bench.sentiment import main

    path = tmp_path / "v6.csv"
    path.write_text("text,labels,question,sentiment\nNothing.,x,FFT Why?,1\n", encoding="utf-8")
    for given in (path, tmp_path / "missing.csv"):
        with pytest.raises(SystemExit) as stopped:
            main(["--engine", "fast", "--pxtextmining-v6", str(given)])
        assert stopped.value.code == 2
    err = capsys.readouterr().err
    assert "has no rated answers" in err and "cannot read" in err
