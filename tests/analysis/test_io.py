"""Reading CSV in three encodings, XLSX and JSONL; every bad input has a clear reason."""

from __future__ import annotations

import csv
import io
import json

import pytest
from openpyxl import Workbook

from analysis.errors import InputError
from analysis.io import read_table, require_columns, unguard

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
