"""The fit-CPU benchmark (``bench/fit_cpu.py``): it times both codes in fresh processes,
says whether their themes are the same, and refuses a folder with no ``analysis/``."""

from __future__ import annotations

import csv

from bench import fit_cpu

TOPICS = [
    "The nurses were kind and explained everything clearly",
    "Waiting times in the clinic were far too long",
    "Parking at the hospital is expensive and hard to find",
]


def test_same_code_gives_the_same_themes(tmp_path, monkeypatch, capsys):
    with open(tmp_path / "nhs_fft_phase1.csv", "w", newline="", encoding="utf-8") as out:
        writer = csv.writer(out)
        writer.writerow(["feedback"])
        for i in range(360):
            writer.writerow([f"{TOPICS[i % 3]} on visit {i}"])
    monkeypatch.setenv("CONSULT_DATA_DIR", str(tmp_path))
    code = fit_cpu.main(["--code", str(fit_cpu.ROOT), "--rows", "360", "--repeats", "1"])
    printed = capsys.readouterr().out
    assert code == 0
    assert "Themes: same." in printed and "Each answer's theme: same." in printed
    assert "| now |" in printed and "| before |" in printed


def test_a_folder_without_analysis_exits_2(tmp_path, capsys):
    assert fit_cpu.main(["--code", str(tmp_path)]) == 2
    assert "holds no analysis/" in capsys.readouterr().err


def test_the_fields_that_differ_are_named():
    """A change to keywords alone says so ("different (only in: keywords)"); themes that
    differ in number name no field."""
    before = [{"label": "Parking", "keywords": ["parking", "pays"], "size": 3}]
    now = [{"label": "Parking", "keywords": ["parking"], "size": 3}]
    assert fit_cpu.differing_fields(before, now) == ["keywords"]
    assert fit_cpu.differing_fields(before, now + now) == []
