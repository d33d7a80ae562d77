"""``consult-analyse code``'s one summary line does not let "no theme" agreements carry its
F1 unsaid (smoke5 finding 9: "sample F1 0.74" when 11 of the 25 coded rows were "no theme" to
people and the model alike, and F1 over the 14 with a theme was 0.54)."""

from __future__ import annotations

import json

from analysis.cli import main
from analysis.code_cli import f1_words
from tests.analysis.test_code_cli_files import encode, table

ARGKP = {
    "coded": 25,
    "sample_f1": 0.74,
    "no_theme_by_people": 11,
    "no_theme_by_both": 11,
    "themed": 14,
    "sample_f1_themed": 0.5357,
}


def test_the_line_says_how_many_agreements_are_no_theme_and_the_themed_f1():
    assert f1_words(ARGKP) == (
        "sample F1 0.74 (11 of the 25 coded rows have no theme from people and the model "
        "alike, each scoring 1.0; F1 0.54 over the 14 with a theme)"
    )
    one = ARGKP | {"no_theme_by_both": 1, "themed": 24, "sample_f1_themed": 0.7}
    assert "(1 of the 25 coded rows has no theme" in f1_words(one)


def test_the_line_is_the_plain_figure_when_no_row_is_a_no_theme_agreement():
    assert f1_words(ARGKP | {"no_theme_by_both": 0, "themed": 25}) == "sample F1 0.74"
    # measured before these counts were kept, or not measured at all
    assert f1_words({"coded": 25, "sample_f1": 0.74}) == "sample F1 0.74"
    assert f1_words({"coded": 4, "sample_f1": None}) == ""


def test_every_row_a_no_theme_agreement_says_there_is_no_themed_figure():
    nothing = ARGKP | {"no_theme_by_both": 25, "themed": 0, "sample_f1": 1.0}
    nothing["sample_f1_themed"] = None
    assert f1_words(nothing) == (
        "sample F1 1.00 (25 of the 25 coded rows have no theme from people and the model "
        "alike, each scoring 1.0; no row has a theme to score)"
    )


def test_the_printed_line_gives_metrics_jsons_figures(tmp_path, capsys):
    rows = table(every=3, labels=lambda row, i: "-" if i % 2 else ";".join(sorted(row["truth"])))
    (tmp_path / "in.csv").write_bytes(encode(rows))
    out = tmp_path / "o"
    args = ["code", str(tmp_path / "in.csv"), "--text-column", "text", "--labels-column"]
    assert main([*args, "labels", "--id-column", "id", "--engine", "fast", "--out", str(out)]) == 0
    line = capsys.readouterr().out.strip()
    themes = json.loads((out / "metrics.json").read_text(encoding="utf-8"))["themes"]
    assert themes["no_theme_by_both"] > 0 and themes["sample_f1_themed"] is not None
    assert f"; {f1_words(themes)}; " in line
    assert f"F1 {themes['sample_f1_themed']:.2f} over the {themes['themed']} with a theme" in line
    # the contract's keys stay
    assert {"sample_f1", "sample_f1_interval", "per_theme"} <= themes.keys()
