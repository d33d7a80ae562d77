"""``suggest.csv`` as a coder reads it (smoke walk 5, finding 23): each pick's reason names
both doubts when the row is doubtful on both, not "unsure of its stance" for every row because
the stance doubt is counted twice; the score comes with the two doubts it was made of; and
the web app's coding page puts the new reasons into words."""

from __future__ import annotations

import csv
from types import SimpleNamespace

import numpy as np

from analysis import suggest as module
from consult.reports.coding import reason_words
from tests.analysis.test_code_cli_files import encode, outputs, run, table

THEME = "unsure whether theme T1 applies"
RARE = "may be an example of theme T2, which has 1 coded"


def test_a_reason_names_each_doubt_the_row_is_in_the_more_doubtful_half_for():
    theme = np.array([0.1, 0.5, 0.9, 0.3])  # ranks 0, 2/3, 1, 1/3
    stance = np.array([0.9, 0.1, 0.8, 0.2])  # ranks 1, 0, 2/3, 1/3
    reasons = [THEME, THEME, RARE, THEME]
    combined = module._share(theme, stance, reasons, learned=True)
    assert np.allclose(combined, theme + module.STANCE_WEIGHT * stance)  # the score as before
    assert reasons == [
        "unsure of its stance",  # doubtful on stance only
        THEME,  # on its themes only, although twice its stance doubt is larger
        "unsure of its stance and " + RARE,  # on both
        THEME,  # on neither half: the doubt it ranks higher on (a tie: themes)
    ]
    # Before: twice the stance doubt against the theme doubt, so stance for rows 0, 2, 3.


def test_the_combined_reasons_read_as_sentences():
    assert module._with_stance(THEME) == "unsure of its stance and whether theme T1 applies"
    assert module._with_stance(RARE) == (
        "unsure of its stance and may be an example of theme T2, which has 1 coded"
    )
    book = SimpleNamespace(themes=[SimpleNamespace(key="T1", name="Buses")])
    assert reason_words(book, module._with_stance(THEME)) == (
        "the model is unsure of its stance and whether theme T1 (Buses) applies"
    )


def test_before_the_model_learns_a_stance_doubt_still_leads_by_size():
    reasons = ["a typical response not yet like any coded one"] * 2
    module._share(np.zeros(2), np.array([0.0, 0.4]), reasons, learned=False)
    assert reasons == ["a typical response not yet like any coded one", "unsure of its stance"]


def test_suggest_csv_keeps_its_contract_columns_and_adds_the_two_doubts(tmp_path):
    assert run(tmp_path, encode(table()), "--suggest", "12") == 0
    header = next(csv.reader((tmp_path / "o" / "suggest.csv").open(encoding="utf-8")))
    assert header == ["rank", "id", "reason", "score", "theme_doubt", "stance_doubt"]
    _, suggested, _ = outputs(tmp_path)
    assert [int(s["rank"]) for s in suggested] == list(range(1, 13))
    for s in suggested:
        theme, stance = float(s["theme_doubt"]), float(s["stance_doubt"])
        assert 0 <= theme <= 1 and 0 <= stance <= 1
        assert "stance" in s["reason"] or "theme" in s["reason"]
    # Not every reason is the stance's: rows doubtful on their themes say so.
    assert any("theme" in s["reason"] for s in suggested)


def test_without_a_stance_column_the_stance_doubt_is_blank(tmp_path):
    assert run(tmp_path, encode([row[:3] for row in table()]), "--suggest", "5", stance=False) == 0
    _, suggested, _ = outputs(tmp_path)
    assert suggested and all(s["stance_doubt"] == "" for s in suggested)
    assert all(0 <= float(s["theme_doubt"]) <= 1 for s in suggested)
    assert all("stance" not in s["reason"] for s in suggested)


def test_a_stance_doubt_of_zero_is_never_named_however_many_rows_share_it():
    """In the web app a respondent's own agreement answer makes a stance certain (doubt 0):
    tied at the bottom, those rows rank 0 however many there are."""
    theme = np.array([0.5, 0.6, 0.7, 0.8, 0.1])
    stance = np.array([0.0, 0.0, 0.0, 0.0, 0.9])
    reasons = [THEME] * 5
    module._share(theme, stance, reasons, learned=True)
    assert reasons == [THEME] * 4 + ["unsure of its stance"]


def test_a_row_coded_for_one_part_is_suggested_for_the_other_part_only(tmp_path):
    """judge26: a row a person coded for its themes but not its stance (or the other way
    round) may be suggested for what is missing, but not for a doubt about what a person
    already gave: its theme doubt (stance doubt) is 0 and its reason does not name it."""
    rows = table(every=2)
    themes_only = {r[0] for k, r in enumerate(rows[1:]) if k % 2 == 0 and k % 4 == 2}
    stance_only = {r[0] for k, r in enumerate(rows[1:]) if k % 2 == 1 and k % 4 == 1}
    for r in rows[1:]:
        if r[0] in themes_only:
            r[3] = ""
        if r[0] in stance_only:
            r[3] = r[3] or "for"
    assert themes_only and stance_only
    assert run(tmp_path, encode(rows), "--suggest", str(len(rows) - 1)) == 0
    _, suggested, _ = outputs(tmp_path)
    seen = {s["id"]: s for s in suggested}
    assert themes_only <= set(seen)  # their stance is still wanted
    for row_id in themes_only:
        assert float(seen[row_id]["theme_doubt"]) == 0, seen[row_id]
        assert seen[row_id]["reason"] == "unsure of its stance", seen[row_id]
    for row_id in stance_only & set(seen):
        assert float(seen[row_id]["stance_doubt"] or 0) == 0, seen[row_id]
        assert "stance" not in seen[row_id]["reason"], seen[row_id]
