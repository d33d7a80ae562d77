"""Reading CSV in three encodings, XLSX and JSONL; every bad input has a clear reason."""

from __future__ import annotations

import csv
import io
import json

import pytest
from openpyxl import Workbook

from analysis.errors import InputError
from analysis.io import Place, Table, read_table, require_columns, unguard

ROWS = [{"id": "1", "answer": "Café prices – too high"}, {"id": "2", "answer": "Buses"}]


def write_csv(path, encoding):
    text = "id,answer\n" + "".join(f"{r['id']},{r['answer']}\n" for r in ROWS)
    path.write_bytes(text.encode(encoding))
    return path


@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "cp1252"])
def test_csv_encodings(tmp_path, encoding):
    table = read_table(write_csv(tmp_path / "a.csv", encoding))
    assert table.columns == ["id", "answer"]
    assert table.column("answer") == ["Café prices – too high", "Buses"]
    assert table.encoding == ("cp1252" if encoding == "cp1252" else "utf-8")
    assert len(table.sha256) == 64


def test_xlsx(tmp_path):
    book = Workbook()
    sheet = book.active
    sheet.append(["id", "answer"])
    sheet.append([1, "Café prices"])
    sheet.append([2, None])
    book.save(tmp_path / "a.xlsx")
    table = read_table(tmp_path / "a.xlsx")
    assert table.column("id") == ["1", "2"] and table.column("answer") == ["Café prices", ""]


def test_jsonl(tmp_path):
    path = tmp_path / "a.jsonl"
    path.write_text("\n".join(json.dumps(r) for r in ROWS) + "\n", encoding="utf-8")
    assert read_table(path).column("answer")[1] == "Buses"


@pytest.mark.parametrize(
    ("content", "reason"),
    [
        (b"", "the file is empty"),
        (b"   \n", "the file is empty"),
        (b"id,answer\n", "no rows"),
        (b"id,answer\n1,\x81\x8d\x8f\x90\x9d\n", "encoding"),
        (b"id,answer\n1,a\x00b\n", "NUL"),
    ],
)
def test_bad_csv(tmp_path, content, reason):
    path = tmp_path / "bad.csv"
    path.write_bytes(content)
    with pytest.raises(InputError, match=reason):
        read_table(path)


def test_bad_jsonl(tmp_path):
    path = tmp_path / "bad.jsonl"
    path.write_text('{"a": 1}\nnot json\n')
    with pytest.raises(InputError, match="line 2 is not valid JSON"):
        read_table(path)


def test_broken_xlsx(tmp_path):
    path = tmp_path / "bad.xlsx"
    path.write_bytes(b"PK\x03\x04 not really a zip")
    with pytest.raises(InputError, match="XLSX"):
        read_table(path)


def test_missing_file_and_column(tmp_path):
    with pytest.raises(InputError, match="no such file"):
        read_table(tmp_path / "nope.csv")
    table = read_table(write_csv(tmp_path / "a.csv", "utf-8"))
    with pytest.raises(InputError, match="no column named 'text'"):
        require_columns(table, ["text"])


# Answers as typed, and how consult's export guards them (consult/exports.py: safe_cell).
TYPED = [
    "=SUM(A1:A3) is how we costed it",
    "+44 numbers only",
    "- fewer buses\n- later trains",
    "@council please reply",
    "\tindented answer",
    "'quoted' answers keep their apostrophe",
    "'Tis the season",
    "Plain answer",
]


def export_rows() -> list[list[str]]:
    return [["reference", "Q1: What would help?"]] + [
        [f"R{i}", text] for i, text in enumerate(TYPED, start=1)
    ]


def test_csv_export_is_read_back_as_typed(tmp_path):
    """A CSV written as consult's export writes it: BOM, csv.writer, safe_cell."""
    from consult.exports import safe_cell

    buffer = io.StringIO()
    writer = csv.writer(buffer)
    for values in export_rows():
        writer.writerow([safe_cell(v) for v in values])
    path = tmp_path / "export.csv"
    path.write_bytes(("\ufeff" + buffer.getvalue()).encode("utf-8"))
    assert "'=SUM" in path.read_text(encoding="utf-8-sig")  # the file carries the guard
    table = read_table(path)
    assert table.column("Q1: What would help?") == TYPED
    assert table.notes == ["5 cells had a spreadsheet formula guard (a leading ') removed"]


def test_xlsx_export_is_read_back_as_typed(tmp_path):
    from consult.exports import safe_cell

    book = Workbook(write_only=True)
    sheet = book.create_sheet("Responses")
    for values in export_rows():
        sheet.append([safe_cell(v) for v in values])
    book.save(tmp_path / "export.xlsx")
    assert read_table(tmp_path / "export.xlsx").column("Q1: What would help?") == TYPED


@pytest.mark.parametrize(
    ("cell", "typed"),
    [
        ("'=1+1", "=1+1"),
        ("'+", "+"),
        ("'-", "-"),
        ("'@x", "@x"),
        ("'\tx", "\tx"),
        ("'\rx", "\rx"),
        ("'", "'"),
        ("''=x", "''=x"),
        ("'hello", "'hello"),
        ("it's =fine", "it's =fine"),
        ("", ""),
    ],
)
def test_unguard_removes_only_a_guarding_apostrophe(cell, typed):
    assert unguard(cell) == typed


def test_jsonl_is_read_as_written(tmp_path):
    path = tmp_path / "a.jsonl"
    path.write_text(json.dumps({"answer": "'=kept"}) + "\n", encoding="utf-8")
    assert read_table(path).column("answer") == ["'=kept"]


def test_xlsx_date_cells_read_as_the_sheet_shows_them(tmp_path):
    """A cell formatted as a date with no time reads as the date alone (this service's own
    export of a date-only response, or a typed date); a date-and-time cell keeps its time."""
    from datetime import datetime

    book = Workbook()
    sheet = book.active
    sheet.append(["id", "when"])
    formats = ["dd/mm/yyyy", "yyyy-mm-dd", "yyyy-mm-dd hh:mm:ss", "dd/mm/yyyy"]
    moments = [datetime(2026, 12, 3), datetime(2026, 12, 4), datetime(2026, 12, 5, 14, 5)]
    moments.append(datetime(2026, 12, 6, 9, 30))  # a time the date format hides: kept
    for number, (fmt, moment) in enumerate(zip(formats, moments, strict=True), start=1):
        sheet.append([number, moment])
        sheet.cell(row=number + 1, column=2).number_format = fmt
    path = tmp_path / "dates.xlsx"
    book.save(path)
    assert read_table(path).column("when") == [
        "2026-12-03",
        "2026-12-04",
        "2026-12-05 14:05:00",
        "2026-12-06 09:30:00",
    ]


def test_each_row_s_place_is_where_a_person_finds_it(tmp_path):
    """smoke11 #9: the spreadsheet row (header row 1, a blank line a row of its own, a cell on
    two lines one row) and the line of the file; JSON Lines by line, a JSON array by record."""
    path = tmp_path / "a.csv"
    path.write_bytes(b'id,answer\n1,"two\nlines"\n\n2,b\n')
    table = read_table(path)
    assert table.places == [
        Place("row 2 (line 2 of the file)", "row", 2),
        Place("row 4 (line 5 of the file)", "row", 4),
    ]
    assert table.place(1) == "row 4 (line 5 of the file)"
    assert (table.row(1), table.unit(1)) == (4, "row")
    path = tmp_path / "a.jsonl"
    path.write_text('{"a": 1}\n\n{"a": 2}\n', encoding="utf-8")
    assert read_table(path).places == [
        Place("line 1 of the file", "line", 1),
        Place("line 3 of the file", "line", 3),
    ]
    path = tmp_path / "a.json"
    path.write_text('[{"a": 1}, {"a": 2}]', encoding="utf-8")
    records = [Place("record 1", "record", 1), Place("record 2", "record", 2)]
    assert read_table(path).places == records
    # the number and unit a run of rows is said in (review20): "records 1 and 2"
    assert [(read_table(path).row(i), read_table(path).unit(i)) for i in (0, 1)] == [
        (1, "record"),
        (2, "record"),
    ]


def test_a_row_s_number_and_unit_are_kept_as_read_not_read_back_from_its_words(tmp_path):
    """anlft: the number and unit of each row are recorded when the file is read (they were
    read back out of the place's words with a pattern); past 999 the words carry a comma."""
    path = tmp_path / "many.csv"
    path.write_bytes(b"id,answer\n" + b"".join(b"%d,a\n" % n for n in range(1, 1201)))
    table = read_table(path)
    assert table.places[-1] == Place("row 1,201 (line 1,201 of the file)", "row", 1201)
    assert (table.row(1199), table.unit(1199)) == (1201, "row")
    table.places[0] = Place("anything at all", "line", 7)  # the words are never parsed
    assert (table.place(0), table.row(0), table.unit(0)) == ("anything at all", 7, "line")
    # a table made without places (by hand): the rows a spreadsheet would give
    bare = Table(["a"], [{"a": "x"}, {"a": "y"}])
    assert [(bare.place(i), bare.row(i), bare.unit(i)) for i in (0, 1)] == [
        ("row 2", 2, "row"),
        ("row 3", 3, "row"),
    ]


def test_an_xlsx_sheet_s_rows_keep_their_numbers(tmp_path):
    book = Workbook()
    sheet = book.active
    sheet.append(["id", "answer"])
    sheet.append(["1", "a"])
    sheet.append([None, None])
    sheet.append(["2", "b"])
    path = tmp_path / "rows.xlsx"
    book.save(path)
    table = read_table(path)
    assert table.places == [Place("row 2", "row", 2), Place("row 4", "row", 4)]
