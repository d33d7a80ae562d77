"""bench.quality's ArgKP rows and caption say the real number of motions (tidy29 #6): under
``--all-motions`` on the fresh data folder (7 motions) the caption said "12 motions each"."""

from __future__ import annotations

import pytest

from bench import quality


def _rows(monkeypatch, motions: int, all_motions: bool) -> list[tuple]:
    """``argkp_rows`` over ``motions`` made-up motions, every measure the same."""
    scores = {"nmi": 50.0, "ari": 40.0, "acc": 60.0}
    monkeypatch.setattr(
        quality,
        "load_argkp",
        lambda: [(f"Motion {i}", ["a", "b"], [0, 1], None, None) for i in range(motions)],
    )
    monkeypatch.setattr(quality, "measure", lambda *a, **k: (scores, scores, scores, 2, 0.1))
    return quality.argkp_rows([0], "fast", None, all_motions)


@pytest.mark.parametrize(
    ("motions", "all_motions", "names", "caption"),
    [
        (
            7,
            True,
            ["ArgKP, all 7 motions (none tuned on)"],
            "The ArgKP row is a mean over all 7 motions",
        ),
        (
            7,
            False,
            ["ArgKP, 4 even motions (tuned on)", "ArgKP, 3 odd motions (held aside)"],
            "ArgKP rows are means over 4 and 3 motions",
        ),
        (
            24,
            False,
            ["ArgKP, 12 even motions (tuned on)", "ArgKP, 12 odd motions (held aside)"],
            "ArgKP rows are means over 12 motions each",
        ),
    ],
)
def test_the_argkp_rows_and_caption_count_the_motions_there_are(
    monkeypatch, motions, all_motions, names, caption
):
    rows = _rows(monkeypatch, motions, all_motions)
    assert [row[0] for row in rows] == names
    assert quality.motions_caption(rows) == caption


def test_the_mean_line_names_the_rows_it_averages(monkeypatch):
    """tidy30: the mean line said "NHS x2, ArgKP x2" whatever it averaged; it names its rows,
    each counted once (an ArgKP row is itself a mean over its motions)."""
    rows = _rows(monkeypatch, 7, True)
    assert quality.mean_label("real survey-like sets", rows) == (
        "Mean NMI, real survey-like sets: 1 row (ArgKP, all 7 motions (none tuned on))"
    )
    nhs = [("NHS FFT, 9 themes",), ("NHS FFT, 44 sub-themes",)]
    assert quality.mean_label("real survey-like sets", nhs + _rows(monkeypatch, 24, False)) == (
        "Mean NMI, real survey-like sets: 4 rows counted alike (NHS FFT, 9 themes; NHS FFT, "
        "44 sub-themes; ArgKP, 12 even motions (tuned on); ArgKP, 12 odd motions (held aside))"
    )
