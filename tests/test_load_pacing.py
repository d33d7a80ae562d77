"""``bench/load.py --think``: seeded pauses before each form, as partners reading and typing."""

from __future__ import annotations

import pytest

from bench.load import parse_args
from bench.load_client import Think


def test_pauses_are_seeded_and_within_the_range():
    first = [Think(1.0, 5.0, seed=7).pause() for _ in range(3)]
    again = Think(1.0, 5.0, seed=7)
    other = Think(1.0, 5.0, seed=8)
    series = [again.pause() for _ in range(200)]
    assert first == [series[0]] * 3  # a fresh Think with the same seed starts the same way
    assert all(1.0 <= pause <= 5.0 for pause in series)
    assert series[:5] != [other.pause() for _ in range(5)]
    assert max(series) - min(series) > 3  # spread over the range, not one value


def test_think_range_is_parsed_and_bad_ranges_exit_2(capsys):
    assert parse_args(["--think", "1,5"]).think == (1.0, 5.0)
    assert parse_args([]).think is None
    for bad in ["5,1", "1", "a,b", "-1,2", "1,90"]:
        with pytest.raises(SystemExit) as stopped:
            parse_args(["--think", bad])
        assert stopped.value.code == 2
        assert "--think" in capsys.readouterr().err
