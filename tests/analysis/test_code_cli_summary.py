"""``consult-analyse code``'s one summary line does not let "no theme" agreements carry its
F1 unsaid (smoke5 finding 9: "sample F1 0.74" when 11 of the 25 coded rows were "no theme" to
people and the model alike, and F1 over the 14 with a theme was 0.54)."""

from __future__ import annotations

import csv
import json

from analysis.cli import main
from analysis.code_cli import f1_words, named_reason, rows_words, unsure_words
from analysis.codebook import Code, Codebook
from analysis.coding_floor import floor_why
from analysis.coverage import no_example_note
from tests.analysis.test_code_cli_files import encode, table
from tests.analysis.test_coding import BOOK

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


# --- smoke9 finding 22: themes named, and the unsure rows counted, where a person reads ----


def test_a_theme_is_named_beside_its_id_where_the_codebook_names_it():
    book = Codebook((Code("xl", "Leave (under MHA)"), Code("ec", "Cleanliness")))
    assert book.named("xl") == "xl (Leave (under MHA))"
    assert Codebook.from_ids(["T1"]).named("T1") == "T1"  # no name but the id
    assert book.named("zz") == "zz"
    note = no_example_note(["xl", "ec"], 44, book.named)
    assert note.startswith(
        "2 of 44 themes have no coded example yet: xl (Leave (under MHA)), ec (Cleanliness); "
    )


def test_suggest_reasons_name_the_theme_and_keep_everything_else():
    book = Codebook(
        (Code("ec", "Cleanliness"), Code("e", "Environment"), Code("Staff Attitude", "Staff"))
    )
    assert named_reason("may be an example of theme ec, which has 1 coded", book) == (
        "may be an example of theme ec (Cleanliness), which has 1 coded"
    )
    assert named_reason("unsure of its stance and whether theme e applies", book) == (
        "unsure of its stance and whether theme e (Environment) applies"
    )
    assert named_reason("unsure whether theme Staff Attitude applies", book) == (
        "unsure whether theme Staff Attitude (Staff) applies"
    )
    first = "may be the first example of theme ec, which has no coded example"
    assert named_reason(first, book) == (
        "may be the first example of theme ec (Cleanliness), which has no coded example"
    )
    for plain in ("unsure of its stance", "a typical response not yet like any coded one"):
        assert named_reason(plain, book) == plain
    # the web app still reads the plain reason the model gives (it names themes itself)
    assert named_reason("unsure whether theme T1 applies", Codebook.from_ids(["T1"])) == (
        "unsure whether theme T1 applies"
    )


def test_the_unsure_rows_are_counted_in_words():
    assert unsure_words(4340, 9817, 0.1, "") == (
        "4,340 of 9,817 model-coded rows are unsure (below 0.1)"
    )
    assert unsure_words(1, 30, 0.3, "the model has learnt from only 8 codes") == (
        "1 of 30 model-coded rows is unsure (below 0.3: the model has learnt from only 8 codes)"
    )
    assert unsure_words(0, 12, 0.1, "") == "0 of 12 model-coded rows are unsure (below 0.1)"
    assert unsure_words(0, 0, 0.1, "") == ""  # every row coded by people


def test_the_command_names_themes_and_counts_unsure_rows(tmp_path, capsys):
    """End to end: the summary line and suggest.csv's reasons name the codebook's themes;
    the id columns stay ids; the line counts coded.csv's unsure rows."""
    rows = table(every=6)
    (tmp_path / "in.csv").write_bytes(encode(rows))
    book = tmp_path / "book.csv"
    book.write_text(
        "id,name\n" + "\n".join(f"{c.id},{c.name}" for c in BOOK.codes), encoding="utf-8"
    )
    out = tmp_path / "o"
    args = ["code", str(tmp_path / "in.csv"), "--text-column", "text", "--labels-column"]
    args += ["labels", "--id-column", "id", "--codebook", str(book), "--engine", "fast"]
    assert main([*args, "--suggest", "10", "--out", str(out)]) == 0
    line = capsys.readouterr().out.strip()
    coded = list(csv.DictReader((out / "coded.csv").open(encoding="utf-8")))
    model = [c for c in coded if c["source"] == "model"]
    unsure = sum(c["unsure"] == "yes" for c in model)
    assert f"; {unsure} of {len(model)} model-coded rows are unsure (below " in line
    suggested = list(csv.DictReader((out / "suggest.csv").open(encoding="utf-8")))
    names = {c.id: c.name for c in BOOK.codes}
    themed = [s["reason"] for s in suggested if " theme " in s["reason"]]
    assert themed
    for reason in themed:
        key = next(k for k in names if f"theme {k} " in reason)
        assert f"theme {key} ({names[key]})" in reason
    # the id columns keep ids: coded.csv's themes, suggest.csv's response ids
    assert {t for c in coded for t in c["themes"].split(";")} <= {"-", *names}
    assert {s["id"] for s in suggested} <= {c["id"] for c in model}


# --- smoke10 finding 2: blank answers are left uncoded, as the web app leaves them out ------


def test_blank_answers_get_no_theme_and_stay_out_of_the_counts(tmp_path, capsys):
    rows = table(every=3)
    for k in (2, 3, 5, 6):  # uncoded rows (every=3 codes rows 1, 4, 7, ...) made blank
        rows[k][1] = "   " if k == 6 else ""
    rows[4][1] = ""  # a coded row made blank: the person's code stays
    (tmp_path / "in.csv").write_bytes(encode(rows))
    out = tmp_path / "o"
    args = ["code", str(tmp_path / "in.csv"), "--text-column", "text", "--labels-column"]
    args += ["labels", "--stance-column", "stance", "--id-column", "id", "--engine", "fast"]
    assert main([*args, "--out", str(out)]) == 0
    line = capsys.readouterr().out.strip()
    coded = list(csv.DictReader((out / "coded.csv").open(encoding="utf-8", newline="")))
    by_id = {c["id"]: c for c in coded}
    for k in (2, 3, 5, 6):
        row = by_id[rows[k][0]]
        # no theme for certain, within the contract's two sources; no stance nobody gave
        assert (row["source"], row["themes"], row["confidence"]) == ("model", "-", "1.0")
        assert row["stance"] == row["stance_source"] == row["unsure"] == ""
    blanks = {rows[k][0] for k in (2, 3, 5, 6)}
    kept = by_id[rows[4][0]]
    assert kept["source"] == "human" and kept["themes"] == rows[4][2]
    model = [c for c in coded if c["source"] == "model" and c["id"] not in blanks]
    assert len(model) == len(rows) - 1 - 4 - sum(1 for r in rows[1:] if r[2])
    assert f" of {len(model)} model-coded rows " in line
    assert "; 4 blank rows left uncoded; " in line
    metrics = json.loads((out / "metrics.json").read_text(encoding="utf-8"))
    assert metrics["blank_uncoded"] == 4
    assert metrics["themes"]["uncoded"] == len(model)
    suggested = list(csv.DictReader((out / "suggest.csv").open(encoding="utf-8", newline="")))
    assert not {s["id"] for s in suggested} & {rows[k][0] for k in (2, 3, 5, 6)}


def test_a_table_of_blank_uncoded_answers_is_refused(tmp_path, capsys):
    rows = [["id", "text", "labels"], ["a", "", ""], ["b", " ", ""]]
    (tmp_path / "in.csv").write_bytes(encode(rows))
    book = tmp_path / "book.csv"
    book.write_text("id,name\nbuses,Buses\n", encoding="utf-8")
    args = ["code", str(tmp_path / "in.csv"), "--text-column", "text", "--labels-column"]
    args += ["labels", "--codebook", str(book), "--out", str(tmp_path / "o")]
    assert main(args) == 2
    assert "nothing to code: all 2 rows are blank" in capsys.readouterr().err
    assert not (tmp_path / "o").exists()


# --- smoke10 finding 20: "1 rows" and "only 0 codes" -------------------------------------


def test_one_row_and_no_codes_are_worded_for_a_reader(tmp_path, capsys):
    assert rows_words(1) == "1 row" and rows_words(1275) == "1,275 rows"
    assert floor_why(0, 3) == "nobody has coded a response yet"
    rows = [["id", "text", "labels"], ["1", "hello there", ""]]
    (tmp_path / "in.csv").write_bytes(encode(rows))
    book = tmp_path / "book.csv"
    book.write_text("id,name\nbuses,Buses\n", encoding="utf-8")
    args = ["code", str(tmp_path / "in.csv"), "--text-column", "text", "--labels-column"]
    args += ["labels", "--codebook", str(book), "--engine", "fast", "--out", str(tmp_path / "o")]
    assert main(args) == 0
    line = capsys.readouterr().out
    assert line.startswith("1 row, 0 coded by people, 1 theme; ")
    assert "only 0" not in line and "nobody has coded a response yet" in line
