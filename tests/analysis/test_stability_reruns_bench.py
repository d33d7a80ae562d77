"""The rerun benchmark (``bench/stability_reruns.py``) counts flag flips on themes whose
members held across seeds, and the flag on themes that broke up."""

from __future__ import annotations

from bench import stability_reruns as bench


def theme(overlaps: list[float], values: list[float]) -> dict:
    return {"overlaps": overlaps, "values": {n: values for n in bench.VARIANTS}, "size": 10}


def test_summarise_counts_flips_among_the_same_groups_and_flags_on_break_ups():
    themes = [
        theme([1.0, 1.0], [0.48, 0.57, 0.48]),  # identical groups, the flag hops once
        theme([1.0, 0.95], [0.7, 0.72, 0.69]),  # nearly the same, steady
        theme([0.3, 0.4], [0.3, 0.6, 0.2]),  # breaks up, flagged in seed 0
    ]
    found = bench.summarise(themes)["from data"]
    assert found["identical n"] == 1 and found["identical flips"] == 0.5
    assert found["identical flip themes"] == 1
    assert found["nearly n"] == 2 and found["nearly flips"] == 0.25
    assert found["breaks n"] == 1 and found["breaks flagged"] == 1.0
    assert found["holds flagged"] == 0.5
    assert abs(found["identical spread"] - 0.09) < 1e-9
