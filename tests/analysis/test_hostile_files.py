"""Hostile and careless input files for analysis.io: every one is read correctly or refused
with a one-line reason, quickly and in little memory (issue 11, section 3). The files are made
on the fly by tests/hostile_files.py; none is stored."""

from __future__ import annotations

import csv
import io
import json
import time

import pytest
from openpyxl import load_workbook

from analysis import limits
from analysis.encoding import EncodingError
from analysis.errors import InputError
from analysis.io import read_bytes
from tests import hostile_files as hostile

LONG = "plain answer about the buses and the trains in the evenings and at weekends " * 2
QUOTED = '401,"We need ""better buses"", not more roads",business\n'


def doubled_quotes_csv() -> bytes:
    """400 plain rows (more than the old sniffer's 20,000-character sample), then a row
    with doubled quotes, as the issue reported."""
    plain = "".join(f"{i},{LONG.strip()} {i},business\n" for i in range(1, 401))
    return ("id,answer,type\n" + plain + QUOTED).encode()


def test_doubled_quotes_after_a_long_plain_start_are_read_as_rfc_4180():
    table = read_bytes(doubled_quotes_csv(), "a.csv")
    assert table.columns == ["id", "answer", "type"]
    assert table.rows[-1] == {
        "id": "401",
        "answer": 'We need "better buses", not more roads',
        "type": "business",
    }
    assert len(table.rows) == 401


def test_every_csv_writer_quoting_reads_back_exactly():
    cells = ['a "quoted" word', "comma, inside", "semi; colon", "tab\there", "two\nlines", "x"]
    for quoting in (csv.QUOTE_MINIMAL, csv.QUOTE_ALL, csv.QUOTE_NONNUMERIC):
        buffer = io.StringIO()
        writer = csv.writer(buffer, quoting=quoting)
        writer.writerow(["id", "answer"])
        writer.writerows([[str(i), text] for i, text in enumerate(cells * 100)])
        table = read_bytes(buffer.getvalue().encode(), "a.csv")
        assert table.column("answer") == cells * 100


def test_semicolon_and_tab_files_are_still_read_when_consistent():
    assert read_bytes(b"id;answer\n1;a, b\n2;c\n", "a.csv").column("answer") == ["a, b", "c"]
    assert read_bytes(b"id\tanswer\n1\ta; b\n", "a.csv").column("answer") == ["a; b"]


@pytest.mark.parametrize(
    ("content", "reason"),
    [
        (
            b"name,type\nAcme,business,EXTRA\n",
            r"row 2 \(line 2 of the file\) has 3 cells but the header has 2",
        ),
        (
            b"name,type\nAc\rme,business\n",
            r"row 2 \(line 2 of the file\): a line break inside a cell that is not in",
        ),
        (
            b'id,answer\n1,"never closed\n2,b\n',
            r"row 2 \(line 2 of the file\): a cell opened with a double quote",
        ),
        (
            b'id,answer\n1,"a"b\n',
            r"row 2 \(line 2 of the file\), column 2 .'answer'.: a double quote inside a quoted",
        ),
        # smoke9 #6: quotes in a cell that is not quoted were called "not doubled" in a
        # quoted cell; the comma inside cut the cell, and its second part began with a quote
        (
            b'id,name,answer\n1,A,ok\n2,B,=HYPERLINK("http://x","click") buses\n',
            r"row 3 \(line 3 of the file\), column 3 .'answer'.: a double quote inside a cell "
            "that does not start",
        ),
        (b"id,answer,answer\n1,a,b\n", "the column name 'answer' appears twice"),
        (b"id,answer\n1," + b"x" * 140_000 + b"\n", "a cell is longer than 100,000"),
        (b"id,answer\n1," + b"x" * 100_001 + b"\n", "has 100,001 characters"),
        ("id,answer\n1,バスが必要です、電車も\n".encode("shift_jis"), "encoding"),
        ("id,answer\n1,バスが必要です\n".encode("shift_jis"), "may be Shift-JIS"),
    ],
)
def test_careless_csv_is_refused_with_a_reason(content, reason):
    with pytest.raises(InputError, match=reason) as caught:
        read_bytes(content, "a.csv")
    assert "\n" not in str(caught.value)


def test_trailing_empty_cells_beyond_the_header_are_fine():
    assert read_bytes(b"id,answer\n1,a,,\n", "a.csv").column("answer") == ["a"]


def test_blank_header_names_are_numbered_not_merged():
    table = read_bytes(b"id,,\n1,a,b\n", "a.csv")
    assert table.columns == ["id", "column 2", "column 3"]
    assert table.rows == [{"id": "1", "column 2": "a", "column 3": "b"}]


@pytest.mark.parametrize("encoding", ["utf-16", "utf-16-le", "utf-16-be", "utf-32", "utf-8-sig"])
def test_unicode_encodings_with_or_without_a_mark(encoding):
    text = "id,answer\n1,Café prices – too high\n2,バス\n"
    table = read_bytes(text.encode(encoding), "a.csv")
    assert table.column("answer") == ["Café prices – too high", "バス"]


def test_shift_jis_is_refused_then_read_when_named():
    data = "id,answer\n1,バスが必要です\n2,電車をもっと\n".encode("shift_jis")
    with pytest.raises(EncodingError):
        read_bytes(data, "a.csv")
    assert read_bytes(data, "a.csv", "shift_jis").column("answer") == [
        "バスが必要です",
        "電車をもっと",
    ]


def test_windows_1252_is_still_read():
    answer = "Café – “too dear” at £5; Größe; œuvre; naïve"
    table = read_bytes(f"id,answer\n1,{answer}\n".encode("cp1252"), "a.csv")
    assert table.encoding == "cp1252" and table.column("answer") == [answer]


def test_a_named_encoding_that_does_not_fit_is_refused():
    with pytest.raises(InputError, match="unknown text encoding 'nope'"):
        read_bytes(b"id,answer\n1,a\n", "a.csv", "nope")
    with pytest.raises(InputError, match="not valid utf-8 text"):
        read_bytes(b"id,answer\n1,\xff\n", "a.csv", "utf-8")


@pytest.mark.parametrize(
    ("line", "reason"),
    [
        ('{"a": ' + "[" * 5000 + "]" * 5000 + "}", "nests lists or objects more than 32 deep"),
        ('{"a": ' + "[" * 40 + "]" * 40 + "}", "nests lists or objects more than 32 deep"),
        ('{"a": 1, "a": 2}', "has the key 'a' twice"),
        ("[1, 2]", "is not a JSON object"),
    ],
)
def test_hostile_jsonl_is_refused(line, reason):
    with pytest.raises(InputError, match=f"line 2 {reason}"):
        read_bytes(('{"a": "ok"}\n' + line + "\n").encode(), "a.jsonl")


def test_jsonl_lines_end_only_at_line_feeds():
    record = {"answer": "one\u2028two\x85three"}
    assert read_bytes(json.dumps(record, ensure_ascii=False).encode(), "a.jsonl").rows == [record]


def test_declared_dimension_is_not_trusted():
    data = hostile.declared_everything()
    sheet = load_workbook(io.BytesIO(data), read_only=True).active
    assert len(data) < 6000 and (sheet.max_row, sheet.max_column) == (1_048_576, 16_384)
    started = time.perf_counter()
    table = read_bytes(data, "a.xlsx")
    assert time.perf_counter() - started < 2
    assert table.rows == [{"id": "1", "answer": "Buses"}]


def test_a_cell_a_million_rows_down_is_read_without_filling_the_gap():
    started = time.perf_counter()
    table = read_bytes(hostile.far_cell("B1048576"), "a.xlsx")
    assert time.perf_counter() - started < 2
    assert table.rows == [{"id": "", "answer": "far"}]


def test_a_value_beyond_the_column_limit_is_refused():
    with pytest.raises(InputError, match="a value in column 16,384; at most 2,000"):
        read_bytes(hostile.far_cell("XFD2"), "a.xlsx")


def test_two_million_rows_stop_at_the_row_limit(monkeypatch):
    data = hostile.many_rows(2_000_000)
    assert len(data) < 500_000
    monkeypatch.setattr(limits, "MAX_ROWS", 2_000)  # the real limit takes ~25 s to reach here
    started = time.perf_counter()
    with pytest.raises(InputError, match="more than 2,000 rows"):
        read_bytes(data, "a.xlsx")
    assert time.perf_counter() - started < 5


def test_rows_up_to_the_limit_are_read(monkeypatch):
    monkeypatch.setattr(limits, "MAX_ROWS", 2_000)
    assert len(read_bytes(hostile.many_rows(2_000), "a.xlsx").rows) == 2_000


def test_a_gigabyte_cell_is_refused_before_it_is_unpacked():
    data = hostile.huge_cell(1 << 30)
    assert len(data) < 8_000_000
    started = time.perf_counter()
    with pytest.raises(InputError, match="unpacks to 1,024 MB, more than the 300 MB allowed"):
        read_bytes(data, "a.xlsx")
    assert time.perf_counter() - started < 1


def test_a_long_cell_is_refused():
    with pytest.raises(InputError, match="a cell in row 2 has 200,704 characters"):
        read_bytes(hostile.huge_cell(200_704), "a.xlsx")
    assert len(read_bytes(hostile.huge_cell(98_304), "a.xlsx").rows[0]["answer"]) == 98_304


def test_a_zip_that_lies_about_its_sizes_is_refused():
    with pytest.raises(InputError, match="XLSX file cannot be"):
        read_bytes(hostile.lying_bomb(), "a.xlsx")


def test_the_time_limit(monkeypatch):
    monkeypatch.setattr(limits, "MAX_READ_SECONDS", 0.0)
    for data, name in ((hostile.many_rows(5_000), "a.xlsx"), (doubled_quotes_csv(), "a.csv")):
        with pytest.raises(InputError, match="took longer than 0 seconds"):
            read_bytes(data, name)


def test_file_size_limit(monkeypatch, tmp_path):
    from analysis.io import read_table

    monkeypatch.setattr(limits, "MAX_FILE_BYTES", 1000)
    path = tmp_path / "a.csv"
    path.write_bytes(b"id,answer\n" + b"1,a\n" * 500)
    with pytest.raises(InputError, match="at most 0 MB is read"):
        read_table(path)


def test_a_real_export_reads_as_rfc_4180_says():
    """nhs_fft_phase1.csv (shared data): the old sniffed dialect read 10,336 rows with
    thousands of cells shifted; every cell must match Python's RFC 4180 reader."""
    from analysis.io import read_table
    from bench.common import data_dir

    path = data_dir() / "nhs_fft_phase1.csv"
    if not path.exists():
        pytest.skip("the shared datasets are not here")
    with open(path, encoding="utf-8-sig", newline="") as handle:
        header, *records = [r for r in csv.reader(handle) if any(v.strip() for v in r)]
    table = read_table(path)
    assert [[row[c] for c in header] for row in table.rows] == records


def test_a_zip_of_an_unknown_version_is_refused():
    """Found by bench/fuzz_files.py: zipfile raised NotImplementedError ("zip file version
    14.4") for a damaged version byte, an unexpected failure."""
    data = bytearray(hostile.xlsx_bytes([["id", "answer"], [1, "Buses"]]))
    directory = data.index(b"PK\x01\x02")
    data[directory + 6] = 144  # version needed to extract: 14.4
    with pytest.raises(InputError, match="not a valid zip file"):
        read_bytes(bytes(data), "a.xlsx")


def test_excel_escapes_are_read_as_the_characters_they_stand_for():
    """Excel writes the carriage return of a multi-line cell as _x000D_ (and any character
    XML cannot hold as _xHHHH_); openpyxl leaves the escape as text, so answers from an
    Excel export read "line one_x000D_" and their themes had a keyword "x000d". An escaped
    underscore (_x005F_) keeps a literal "_x000D_"; NUL and a lone surrogate stay out."""
    text = "line one_x000D_\nline two _x005F_x000D_ _xD800_ _x0000_end"
    rows = hostile.HEADER_ROW + b'<row r="2">' + hostile.inline("1", "A2")
    rows += hostile.inline(text, "B2") + b"</row>"
    head, tail = hostile.sheet_xml(rows, "A1:B2")
    data = hostile.xlsx_with([hostile.part(hostile.SHEET, head + tail)])
    assert read_bytes(data, "a.xlsx").rows == [
        {"id": "1", "answer": "line one\r\nline two _x000D_ \ufffd end"}
    ]


def test_text_that_looks_like_an_excel_escape_round_trips():
    """An answer typed as "_x0041_" is written escaped (openpyxl writes it bare, which
    Excel and the reader would show as "A") and reads back as typed."""
    from openpyxl import Workbook

    from analysis.cells import xlsx_cell

    typed = "costs _x0041_ and _x000D_ stay as typed"
    book = Workbook()
    book.active.append(["id", "answer"])
    book.active.append([1, xlsx_cell(typed)])
    buffer = io.BytesIO()
    book.save(buffer)
    assert read_bytes(buffer.getvalue(), "a.xlsx").rows == [{"id": "1", "answer": typed}]


def _zip(parts: dict[str, str]) -> bytes:
    import zipfile

    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for name, text in parts.items():
            archive.writestr(name, text)
    return buffer.getvalue()


@pytest.mark.parametrize(
    ("data", "name", "reason"),
    [
        (
            _zip({"[Content_Types].xml": "<x/>", "word/document.xml": "<w/>"}),
            "a.csv",
            "a Word document",
        ),
        (
            _zip({"[Content_Types].xml": "<x/>", "ppt/presentation.xml": "<p/>"}),
            "a.xlsx",
            "a PowerPoint",
        ),
        (
            _zip(
                {
                    "mimetype": "application/vnd.oasis.opendocument.spreadsheet",
                    "content.xml": "<c/>",
                }
            ),
            "a.xlsx",
            "an OpenDocument file",
        ),
        (_zip({"notes.txt": "hello"}), "a.xlsx", "a zip archive"),
        (b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj", "a.csv", "a PDF document"),
        (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", "a.csv", r"an image \(PNG\)"),
        (b"\xff\xd8\xff\xe0\x00\x10JFIF", "a.csv", r"an image \(JPEG\)"),
        (
            b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(500),
            "a.xls",
            r"Excel 97-2003 workbook \(.xls\).*save it",
        ),
    ],
)
def test_a_file_of_another_kind_says_what_it_is(data, name, reason):
    """A Word document uploaded as the export said 'the XLSX file cannot be opened: OSError',
    an image or an old .xls that its text encoding might be Shift-JIS: now each says what the
    file is and what to save instead."""
    with pytest.raises(InputError, match=reason) as refused:
        read_bytes(data, name)
    assert "OSError" not in str(refused.value) and "Shift-JIS" not in str(refused.value)
