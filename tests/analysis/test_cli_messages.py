"""The command line's messages on awkward exports: a column named with another case, ids
that do not name every row once, one theme."""

from __future__ import annotations

import pytest

from analysis.cli import id_warning, main
from analysis.errors import InputError
from analysis.io import Table, require_columns


def test_a_column_named_in_another_case_is_suggested():
    table = Table(columns=["Response ID", "Text", "label"], rows=[], sha256="")
    with pytest.raises(InputError) as caught:
        require_columns(table, ["text"])
    assert str(caught.value) == (
        "no column named 'text' (did you mean 'Text'? columns are: Response ID, Text, label)"
    )
    with pytest.raises(InputError, match="did you mean 'Response ID'"):
        require_columns(table, ["response_id"])
    with pytest.raises(InputError) as caught:
        require_columns(table, ["answer"])
    assert "did you mean" not in str(caught.value)


def test_many_columns_say_how_many_more():
    table = Table(columns=[f"q{n}" for n in range(30)], rows=[], sha256="")
    with pytest.raises(InputError, match=r"q11 and 18 more\)$"):
        require_columns(table, ["answer"])


def test_ids_that_do_not_name_every_row_once_are_warned_of():
    assert id_warning("id", ["1", "2", "3"]) == ""
    said = id_warning("id", ["1", "1", "1", "2", "2", "", " "])
    assert said == (
        "the id column 'id' does not name every row once: 2 rows have no id and 2 ids are "
        "used more than once ('1' 3 times); assignments.csv keeps the input's row order, so "
        "match its rows to the input by position, not by id"
    )
    assert id_warning("id", ["1", "1"]).startswith(
        "the id column 'id' does not name every row once: 1 id is used more than once"
    )


def test_repeated_ids_are_warned_of_and_still_analysed(tmp_path, capsys):
    source = tmp_path / "answers.csv"
    lines = ["id,text"] + [
        f"7,{text}" for text in ["The food was cold", "Too noisy at night", "Parking is hard"] * 10
    ]
    source.write_text("\n".join(lines) + "\n", encoding="utf-8")
    code = main(
        [
            "themes",
            str(source),
            "--text-column",
            "text",
            "--id-column",
            "id",
            "--engine",
            "fast",
            "--quiet",
            "--out",
            str(tmp_path / "out"),
        ]
    )
    assert code == 0
    err = capsys.readouterr().err
    assert "consult-analyse: warning: the id column 'id' does not name every row once" in err
    assert (tmp_path / "out" / "report.html").exists()


def test_answers_mostly_not_in_english_are_cautioned_about():
    from analysis.language import looks_english, not_english_warning

    assert looks_english("The food was cold") is True
    assert looks_english("La comida estaba fría.") is False
    assert looks_english("食事が冷たかった。") is False
    assert looks_english("Parking") is None  # too short to tell
    spanish = ["La comida estaba fría.", "El personal fue muy amable.", "Demasiado ruido hoy."]
    english = ["The food was cold.", "Staff were kind to me.", "Too noisy at night."]
    assert not_english_warning(english * 10 + spanish) == ""  # a few answers in another language
    said = not_english_warning(spanish * 10 + english)
    assert said.startswith("30 of the 33 answers of three or more words do not look English")


def test_a_caution_heads_the_report(tmp_path, capsys):
    source = tmp_path / "answers.csv"
    lines = ["id,text"] + [
        f"{n},{text}"
        for n, text in enumerate(
            ["La comida estaba fría.", "El personal fue muy amable.", "Demasiado ruido hoy."] * 8
        )
    ]
    source.write_text("\n".join(lines) + "\n", encoding="utf-8")
    args = ["themes", str(source), "--text-column", "text", "--id-column", "id"]
    assert main([*args, "--engine", "fast", "--quiet", "--out", str(tmp_path / "out")]) == 0
    assert "do not look English" in capsys.readouterr().err
    html = (tmp_path / "out" / "report.html").read_text()
    assert '<p class="caution"><strong>Caution:</strong> 24 of the 24 answers' in html


def _workbook(path, sheets: dict[str, list[list]]) -> None:
    from openpyxl import Workbook

    book = Workbook()
    book.remove(book.active)
    for name, rows in sheets.items():
        sheet = book.create_sheet(name)
        for row in rows:
            sheet.append(row)
    book.save(path)


def test_a_workbook_whose_answers_are_not_on_its_first_sheet_says_so(tmp_path):
    from analysis.io import read_table

    answers = [["id", "text"], [1, "The food was cold"], [2, "Too noisy"]]
    path = tmp_path / "two.xlsx"
    _workbook(path, {"Info": [["Exported from the survey tool"]], "Responses": answers})
    with pytest.raises(InputError) as caught:
        read_table(str(path))
    assert str(caught.value) == (
        "the file has a header but no rows (this reads the first sheet, 'Info', of 2: Info, "
        "Responses; move the answers' sheet first or save it as CSV)"
    )
    path = tmp_path / "cover.xlsx"
    _workbook(path, {"Cover": [["a", "b"], [1, 2]], "Responses": answers})
    with pytest.raises(InputError, match=r"columns are: a, b\) \(this reads the first sheet"):
        require_columns(read_table(str(path)), ["text"])
    path = tmp_path / "one.xlsx"
    _workbook(path, {"Responses": answers})
    assert read_table(str(path)).sheets == ["Responses"]


def test_a_title_row_above_the_header_is_named(tmp_path):
    from analysis.io import read_table

    path = tmp_path / "title.xlsx"
    _workbook(path, {"S": [["Patient survey 2024"], [], ["id", "text"], [1, "Cold food"]]})
    with pytest.raises(InputError) as caught:
        read_table(str(path))
    assert str(caught.value) == (
        "row 3 has 2 cells but the header has 1; the first row, 'Patient survey 2024', is "
        "taken as the header: delete any title rows above the column names"
    )
    csv_path = tmp_path / "title.csv"
    csv_path.write_text("Survey export\nid,text\n1,Food cold\n", encoding="utf-8")
    with pytest.raises(InputError, match="the first row, 'Survey export', is taken as the"):
        read_table(str(csv_path))
