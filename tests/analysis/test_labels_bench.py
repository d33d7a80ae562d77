"""bench.labels: its --option is the benchmarks' shared one (bench.common), and its table's
groups are named from the data (a data folder of 7 held-out motions is not "24 motions")."""

from __future__ import annotations

import argparse

import pytest

from bench import labels
from bench.common import add_option_argument, parse_option


def test_option_is_parsed_once_for_every_benchmark():
    parser = argparse.ArgumentParser()
    add_option_argument(parser, "a setting")
    args = parser.parse_args(["--option", "same_point=None", "--option", "encoder='auto'"])
    assert dict(args.option) == {"same_point": None, "encoder": "auto"}
    assert parse_option("floor=0.5") == ("floor", 0.5)
    for bad in ("no_equals", "1x=2", "name=not a literal"):
        with pytest.raises(argparse.ArgumentTypeError):
            parse_option(bad)


def _rows(motions: int) -> list[dict]:
    """Two matched themes per motion, scored alike, motions held out as bench.labels does."""
    rows = []
    for number in range(motions):
        for _ in range(2):
            row = {"motion": f"m{number}", "held_out": labels.held_out(number)}
            for name in labels.LABELLERS:
                row[name] = "a label"
                row[f"{name} cosine"] = row[f"{name} f1"] = 0.5
            rows.append(row)
    return rows


@pytest.mark.parametrize(
    ("motions", "names"),
    [
        (24, ["tuning motions (18)", "held-out motions (6)", "all 24 motions"]),
        (7, ["tuning motions (6)", "held-out motions (1)", "all 7 motions"]),
        (3, ["tuning motions (3)", "all 3 motions"]),
    ],
)
def test_groups_are_named_from_the_data(motions, names):
    header = labels.table(_rows(motions)).splitlines()[0]
    assert [cell.removeprefix("cosine, ") for cell in header.split(" | ")[1 : 1 + len(names)]] == (
        names
    )
