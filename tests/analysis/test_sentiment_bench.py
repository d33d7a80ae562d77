"""The sentiment benchmark's held-out reader for pxtextmining's v6 framework file, on a tiny
synthetic file in its layout (the real one is not in the repository)."""

from __future__ import annotations

import csv

from bench.sentiment import load_v6, measure, scorers


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
