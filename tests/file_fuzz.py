"""Generated files for fuzzing the file readers (hypothesis strategies), and the one rule they
must keep: a file is read, or refused with the project's own clear error; never any other
exception. Used by tests/test_fuzz_files.py (a small seeded share) and bench/fuzz_files.py
(thousands of files)."""

from __future__ import annotations

import csv
import io
import json
import zipfile

from hypothesis import strategies as st

from analysis.errors import InputError
from analysis.io import Table, read_bytes
from tests import hostile_files as hostile

# Characters that matter to CSV, JSON and XML readers, plus ordinary and non-Latin text.
AWKWARD = ",;\t|\"'\r\n\x00\x0b\x1c\x85\u2028\ufeff=+-@<>&é–“”バ😀 aZ09"
cell_text = st.text(alphabet=st.sampled_from(AWKWARD) | st.characters(codec="utf-8"), max_size=30)
ENCODINGS = ("utf-8", "utf-8-sig", "utf-16", "utf-16-le", "utf-16-be", "cp1252", "shift_jis")


def outcome(data: bytes, name: str, encoding: str | None = None) -> str:
    """'read' or 'refused'; any other exception propagates (a fuzzing failure)."""
    try:
        table = read_bytes(data, name, encoding)
    except InputError as error:
        message = str(error)
        assert message and "\n" not in message, repr(message)
        return "refused"
    assert isinstance(table, Table) and table.rows
    assert all(set(row) <= set(table.columns) for row in table.rows)
    assert all(isinstance(v, str) for row in table.rows for v in row.values())
    # Every cell can be stored and written: no NUL (PostgreSQL), nothing UTF-8 cannot encode.
    for text in [*table.columns, *(v for row in table.rows for v in row.values())]:
        assert "\x00" not in text, repr(text)
        text.encode("utf-8")
    return "read"


@st.composite
def csv_files(draw) -> tuple[bytes, str]:
    """CSV-like bytes: a table written by csv.writer in some dialect and encoding, then
    perhaps damaged (a cut, a stray byte, a stray quote or line break)."""
    width = draw(st.integers(1, 5))
    rows = draw(st.lists(st.lists(cell_text, min_size=0, max_size=width + 1), max_size=8))
    buffer = io.StringIO()
    writer = csv.writer(
        buffer,
        delimiter=draw(st.sampled_from(",;\t|")),
        quoting=draw(st.sampled_from([csv.QUOTE_MINIMAL, csv.QUOTE_ALL, csv.QUOTE_NONNUMERIC])),
        lineterminator=draw(st.sampled_from(["\r\n", "\n", "\r"])),
    )
    writer.writerow([f"c{i}" for i in range(width)])
    writer.writerows(rows)
    encoding = draw(st.sampled_from(ENCODINGS))
    data = buffer.getvalue().encode(encoding, errors="replace")
    damage = draw(st.sampled_from(["none", "cut", "byte", "quote", "break"]))
    if data and damage != "none":
        at = draw(st.integers(0, len(data)))
        extra = {"cut": b"", "byte": bytes([draw(st.integers(0, 255))]), "quote": b'"'}
        data = data[:at] + extra.get(damage, b"\r") + (data[at:] if damage != "cut" else b"")
    return data, "file.csv"


@st.composite
def raw_files(draw) -> tuple[bytes, str]:
    """Arbitrary bytes under any of the names the readers know."""
    name = draw(st.sampled_from(["x.csv", "x.jsonl", "x.xlsx", "x.txt", "x"]))
    prefix = draw(st.sampled_from([b"", b"PK\x03\x04", b"\xef\xbb\xbf", b"\xff\xfe", b"{"]))
    return prefix + draw(st.binary(max_size=300)), name


# A JSON escape can spell what no encoded text holds: a lone surrogate ("\ud800").
LONE_SURROGATES = st.sampled_from(["\ud800", "a\udfffb", "\udbff\udbff"])
json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats() | cell_text | LONE_SURROGATES,
    lambda children: (
        st.lists(children, max_size=3) | st.dictionaries(cell_text, children, max_size=3)
    ),
    max_leaves=12,
)


@st.composite
def jsonl_files(draw) -> tuple[bytes, str]:
    """JSON lines: objects of any values, some lines not objects or not JSON, some deep."""
    lines = []
    for _ in range(draw(st.integers(1, 5))):
        kind = draw(st.sampled_from(["object", "object", "value", "text", "deep"]))
        if kind == "object":
            lines.append(json.dumps(draw(st.dictionaries(cell_text, json_values, max_size=4))))
        elif kind == "value":
            lines.append(json.dumps(draw(json_values)))
        elif kind == "text":
            lines.append(draw(cell_text))
        else:
            depth = draw(st.integers(1, 3000))
            lines.append('{"a": ' + "[" * depth + "]" * depth + "}")
    encoding = draw(st.sampled_from(ENCODINGS[:5]))
    return "\n".join(lines).encode(encoding, errors="replace"), "file.jsonl"


CELL_XML = st.sampled_from(
    [
        '<c r="{ref}" t="inlineStr"><is><t>{text}</t></is></c>',
        '<c r="{ref}"><v>{number}</v></c>',
        '<c r="{ref}" t="s"><v>{number}</v></c>',
        '<c r="{ref}" t="b"><v>{number}</v></c>',
        '<c r="{ref}" t="d"><v>{text}</v></c>',
        '<c r="{ref}" t="e"><v>#N/A</v></c>',
        '<c t="inlineStr"><is><t>{text}</t></is></c>',
    ]
)
REFS = st.sampled_from(["A1", "B2", "XFD1", "A1048576", "ZZZZ1", "A0", "1A", "", "B99999999999"])
NUMBERS = st.sampled_from(["0", "1", "-1", "1e308", "1e999", "nan", "x", "99999999999999999999"])


def _xml_text(text: str) -> str:
    return (
        "".join(c for c in text if c in "\t\n\r" or c >= " ")
        .replace("&", "&amp;")
        .replace("<", "&lt;")
    )


@st.composite
def xlsx_files(draw) -> tuple[bytes, str]:
    """A real workbook (random values) or one with a generated sheet of odd cells, rows and
    dimensions, perhaps with bytes damaged."""
    if draw(st.booleans()):
        values = st.one_of(st.none(), st.integers(-(10**15), 10**15), st.floats(), cell_text)
        rows = draw(st.lists(st.lists(values, max_size=4), min_size=1, max_size=5))
        clean = [[_xml_text(v) if isinstance(v, str) else v for v in row] for row in rows]
        data = hostile.xlsx_bytes(clean)
    else:
        cells = []
        for _ in range(draw(st.integers(0, 6))):
            template = draw(CELL_XML)
            cells.append(
                template.format(
                    ref=draw(REFS), text=_xml_text(draw(cell_text)), number=draw(NUMBERS)
                )
            )
        row_ref = draw(st.sampled_from(['r="1"', 'r="2"', 'r="1048576"', 'r="x"', 'r="1.5"', ""]))
        rows_xml = hostile.HEADER_ROW + f"<row {row_ref}>{''.join(cells)}</row>".encode()
        if draw(st.booleans()):
            rows_xml += b"<row><c><v>1</v>"  # unclosed
        head, tail = hostile.sheet_xml(rows_xml, draw(st.sampled_from(["A1:B2", "A1:XFD1048576"])))
        data = hostile.xlsx_with([hostile.part(hostile.SHEET, head + tail)])
    if draw(st.integers(0, 3)) == 0:
        at = draw(st.integers(0, 10**6)) % len(data)  # the workbook's size varies by time
        data = data[:at] + bytes([draw(st.integers(0, 255))]) + data[at + 1 :]
    return data, "file.xlsx"


def is_zip(data: bytes) -> bool:
    try:
        zipfile.ZipFile(io.BytesIO(data)).close()
    except Exception:
        return False
    return True


ORGANISATION_VALUES = {
    "name": st.sampled_from(["Tipton Trust", "Forge Ltd", "", "A" * 201]) | cell_text,
    "partner_type": st.sampled_from(["business", "vcse", "Business", "spaceship"]) | cell_text,
    "area": st.sampled_from(["dudley", "Sandwell", "mars"]) | cell_text,
    "contact_email": st.sampled_from(["a@b.example", "", "no-at", "a@b\r\nBcc: c"]) | cell_text,
    "size_band": st.sampled_from(["small", "", "huge"]) | cell_text,
}


@st.composite
def organisation_files(draw) -> tuple[bytes, str]:
    """Organisations CSV or XLSX files with the right columns (in any order, perhaps one
    twice or one extra) and cells that are often valid, sometimes hostile."""
    columns = draw(st.permutations(list(ORGANISATION_VALUES)))
    columns += draw(st.sampled_from([[], [], ["Name"], ["extra"]]))
    rows = [
        [draw(ORGANISATION_VALUES.get(c.lower(), cell_text)) for c in columns]
        for _ in range(draw(st.integers(1, 4)))
    ]
    if draw(st.booleans()):
        clean = [[_xml_text(v) for v in row] for row in rows]
        return hostile.xlsx_bytes([columns, *clean]), "organisations.xlsx"
    buffer = io.StringIO()
    csv.writer(buffer).writerows([columns, *rows])
    return buffer.getvalue().encode("utf-8", errors="replace"), "organisations.csv"


any_file = st.one_of(csv_files(), raw_files(), jsonl_files(), xlsx_files())
organisation_uploads = st.one_of(organisation_files(), organisation_files(), any_file)
