"""bench.quality --nhs-trusts (BENCHMARKS "nmi28"): only the named trusts' NHS answers, read
before any subsample; the other sets are untouched."""

from __future__ import annotations

import csv

from bench import quality


def _write(path, header, rows):
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(header)
        writer.writerows(rows)


def test_nhs_trusts_keep_only_the_named_trusts(tmp_path, monkeypatch):
    monkeypatch.setenv("CONSULT_DATA_DIR", str(tmp_path))
    header = ["code", "label", "subcategory", "feedback", "organization"]
    _write(
        tmp_path / "nhs_fft_phase1.csv",
        header,
        [
            ["a", "Staff", "Attitude", "Kind nurses.", "Trust A"],
            ["b", "Access", "Waiting", "Long wait.", "Trust B"],
            ["c", "Care received", "Care", "Good care.", "Trust C"],
            ["d", "Staff", "General", "", "Trust C"],  # no text: skipped as before
        ],
    )
    _write(tmp_path / "stackoverflow.csv", ["text", "label"], [["How to sort?", "1"]])
    _write(tmp_path / "banking77_test.csv", ["text", "category"], [["Card lost", "lost"]])

    every = quality.load_single_label()
    assert every["NHS FFT, 9 themes"] == (
        ["Kind nurses.", "Long wait.", "Good care."],
        ["Staff", "Access", "Care received"],
    )
    held_out = quality.load_single_label(["C"])
    assert held_out["NHS FFT, 9 themes"] == (["Good care."], ["Care received"])
    assert held_out["NHS FFT, 44 sub-themes"] == (["Good care."], ["Care"])
    dev = quality.load_single_label(["A", "B"])
    assert dev["NHS FFT, 44 sub-themes"] == (
        ["Kind nurses.", "Long wait."],
        ["Attitude", "Waiting"],
    )
    assert dev["StackOverflow"] == every["StackOverflow"] == (["How to sort?"], ["1"])
