"""Read responses from CSV, XLSX or JSONL, with clear errors and within :mod:`analysis.limits`.

Text files are decoded by :mod:`analysis.encoding` (UTF-8, UTF-16 and UTF-32 with or without a
byte-order mark where it can be told, Windows-1252 when the text reads as such, or the encoding
named by the caller). CSV is read as RFC 4180 first (see :func:`_read_csv`); XLSX by
:mod:`analysis.spreadsheet`, streaming.

Spreadsheet exports (consult's among them) guard against formula injection by putting an
apostrophe before any cell that starts with ``=``, ``+``, ``-``, ``@``, a tab or a carriage
return. Reading a CSV or XLSX file undoes that guard, so answers are analysed as typed: a
cell that starts with an apostrophe *followed by one of those characters* loses the
apostrophe. Any other apostrophe is kept. (An answer typed as, say, ``'-ish`` would lose
its apostrophe too; a typed answer rarely starts that way, so no marker is needed to tell
that a file carries the guard.) JSONL is read as written: it is not a spreadsheet format.
"""

from __future__ import annotations

import csv
import hashlib
import io
import json
import sys
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path
from typing import NamedTuple

from . import limits, spreadsheet
from .cells import UNSTORABLE, storable_text
from .encoding import EncodingError, decode
from .errors import InputError
from .spreadsheet import MB, Clock

__all__ = [
    "EncodingError",
    "InputError",
    "Place",
    "Table",
    "read_bytes",
    "read_table",
    "require_columns",
]
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
GUARD = "'"


class Place(NamedTuple):
    """Where a data row is in the file it was read from: in a person's words ("row 3 (line 4
    of the file)", "row 3", "line 3 of the file", "record 2"), what its number counts ("row":
    a spreadsheet's row, the header being row 1 and blank rows counted; "line": a JSON Lines
    file's line; "record": a JSON array's record) and that number."""

    words: str
    unit: str
    number: int


# What a Place's number can count.
PLACE_UNITS = ("row", "line", "record")


def record_places(count: int) -> list[Place]:
    """The places of a JSON array's ``count`` records: "record 1", "record 2", ..."""
    return [Place(f"record {n:,}", "record", n) for n in range(1, count + 1)]


@dataclass
class Table:
    """Rows read from a file: column names and string cells, plus how the file was read."""

    columns: list[str]
    rows: list[dict[str, str]]
    encoding: str = "utf-8"
    sha256: str = ""
    notes: list[str] = field(default_factory=list)
    sheets: list[str] = field(default_factory=list)  # an XLSX file's sheets (the first read)
    # Where each row is (:class:`Place`), for a message (:meth:`place`) and a row number
    # (:meth:`row`, :meth:`unit`), recorded as the file is read.
    places: list[Place] = field(default_factory=list)

    def column(self, name: str) -> list[str]:
        """Every value of one column, '' where missing."""
        return [row.get(name, "") or "" for row in self.rows]

    def place(self, index: int) -> str:
        """Where the data row ``index`` (from 0) is, as a person finds it: the spreadsheet's
        row, the header being row 1 ("row 3 (line 4 of the file)" for a CSV, where a cell on
        several lines makes the two differ; "row 3" for an XLSX sheet; "line 3 of the file"
        for JSON Lines; "record 2" for a JSON array). Without places, the row a spreadsheet
        would give a table with no blank rows: ``index + 2``."""
        if 0 <= index < len(self.places):
            return self.places[index].words
        return f"row {index + 2:,}"

    def row(self, index: int) -> int:
        """The number of the data row ``index`` (from 0) as :meth:`place` says it: the
        spreadsheet's row for a CSV or XLSX (blank rows, which are skipped, counted), the
        line of a JSON Lines file, the record of a JSON array, else ``index + 2``; for runs
        of rows ("rows 2 to 801", "records 1 to 800": :meth:`unit`)."""
        if 0 <= index < len(self.places):
            return self.places[index].number
        return index + 2

    def unit(self, index: int) -> str:
        """What :meth:`row` counts for the data row ``index``: "row", "line" or "record"."""
        if 0 <= index < len(self.places):
            return self.places[index].unit
        return "row"


def unguard(value: str) -> str:
    """The cell as typed: without the apostrophe a spreadsheet export puts before text that
    starts like a formula (``'=SUM(A1)`` reads as ``=SUM(A1)``); other text is unchanged."""
    if value[:1] == GUARD and value[1:2] in FORMULA_STARTS:
        return value[1:]
    return value


def _unguard_table(table: Table) -> Table:
    """Undo the formula guard in every header and cell, noting how many cells had it."""
    guarded = 0

    def undo(value: str) -> str:
        nonlocal guarded
        plain = unguard(value)
        guarded += plain is not value
        return plain

    renamed = {name: undo(name) for name in table.columns}
    table.columns = list(renamed.values())
    table.rows = [{renamed[k]: undo(v) for k, v in row.items()} for row in table.rows]
    if guarded:
        table.notes.append(f"{guarded} cells had a spreadsheet formula guard (a leading ') removed")
    return table


class _DuplicateKey(Exception):
    """A JSON object with the same key twice (its first value would be lost)."""


def _columns(header: list[str]) -> list[str]:
    """Column names from a header row: blank ones become 'column N'; a name used twice is
    refused, since reading by name would silently use only one of the columns."""
    if len(header) > limits.MAX_COLUMNS:
        raise InputError(
            f"the header has {len(header):,} columns; at most {limits.MAX_COLUMNS:,} are read"
        )
    columns = [name.strip() or f"column {i}" for i, name in enumerate(header, start=1)]
    seen: set[str] = set()
    for name in columns:
        if name in seen:
            raise InputError(f"the column name '{name[:80]}' appears twice in the header")
        seen.add(name)
    return columns


def _cell(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer() and abs(value) < 1e16:
        return str(int(value))
    return str(value)


def csv_place(row: int, line: int) -> str:
    """Where a CSV record is: "row 3 (line 4 of the file)", the row a spreadsheet shows it
    in (the header is row 1; a cell on several lines is still one row) and the line of the
    file it starts on."""
    return f"row {row:,} (line {line:,} of the file)"


def _table(rows: list[tuple[Place, list[str]]], encoding: str, separated: bool) -> Table:
    """A Table from non-blank rows of cells, each with its place (the first is the header);
    a row with more cells than the header, beyond empty ones, is refused. ``separated``: a
    CSV, whose cells holding the separator must be quoted."""
    if not rows:
        raise InputError("the file is empty")
    columns = _columns(rows[0][1])
    width = len(columns)
    table_rows = []
    for place, values in rows[1:]:
        if len(values) > width and any(v.strip() for v in values[width:]):
            title = (
                f"; the first row, '{rows[0][1][0][:40]}', is taken as the header: delete "
                "any title rows above the column names"
                if width == 1 and rows[0][1]
                else ""
            )
            quote = "; put cells that contain the separator in double quotes" if separated else ""
            raise InputError(
                f"{place.words} has {len(values):,} cells but the header has {width:,}"
                + (title or quote)
            )
        table_rows.append(
            {name: (values[i] if i < len(values) else "") for i, name in enumerate(columns)}
        )
    if len(table_rows) > limits.MAX_ROWS:
        raise InputError(
            f"the file has more than {limits.MAX_ROWS:,} rows; split it into smaller files"
        )
    return Table(columns, table_rows, encoding, places=[place for place, _ in rows[1:]])


_CSV_ERRORS = (
    ("field larger than field limit", "a cell is longer than {limit:,} characters"),
    (
        "new-line character seen in unquoted field",
        "a line break inside a cell that is not in double quotes (a stray carriage return?)",
    ),
    ("unexpected end of data", "a cell opened with a double quote is never closed"),
    ("expected after", "a double quote inside a quoted cell is not doubled"),  # if not found
)


# A stray double quote, by where it is (see :func:`_stray_quote`).
UNQUOTED_CELL_QUOTE = (
    "a double quote inside a cell that does not start with one (a cell holding double quotes "
    "or the separator must be put in double quotes, with each double quote inside it doubled)"
)
QUOTED_CELL_QUOTE = "a double quote inside a quoted cell is not doubled"


def _stray_quote(record: str, delimiter: str) -> tuple[int, bool] | None:
    """Where the record starting ``record`` (its first line and those after it) goes wrong
    with a double quote: (the cell's number, counted from 1, whether it is a cell that does
    not start with a double quote). A cell that does not start with one may hold one; but it
    is then cut at the next separator, and the part after reads as a quoted cell that never
    ends cleanly (``=HYPERLINK("http://x","click")``), so the first such cell is named,
    not the one the reader stopped in. None when no stray quote is found."""
    cell, i, size = 1, 0, len(record)
    unquoted_quote: int | None = None
    while i < size:
        if record[i] == '"':
            i += 1
            while True:
                if i >= size:
                    return None  # never closed: another error's case
                if record[i] == '"':
                    if i + 1 < size and record[i + 1] == '"':
                        i += 2
                        continue
                    i += 1
                    break
                i += 1
            if i < size and record[i] not in (delimiter, "\n", "\r"):
                return (unquoted_quote, True) if unquoted_quote else (cell, False)
        else:
            while i < size and record[i] not in (delimiter, "\n"):
                if record[i] == '"' and unquoted_quote is None:
                    unquoted_quote = cell
                i += 1
        if i >= size or record[i] in ("\n", "\r"):
            return (unquoted_quote, True) if unquoted_quote else None
        i += 1
        cell += 1
    return (unquoted_quote, True) if unquoted_quote else None


def _where(cell: int, header: list[str] | None) -> str:
    """ ", column 5 ('answer')" (the heading when the header is read), for an error."""
    name = header[cell - 1] if header and cell <= len(header) else ""
    return f", column {cell:,}" + (f" ('{name[:60]}')" if name.strip() else "")


def _csv_problem(
    error: csv.Error,
    line: int,
    text: str = "",
    delimiter: str = ",",
    header: list[str] | None = None,
    row: int | None = None,
) -> InputError:
    """The reader's error in words, in the record at ``line`` (spreadsheet ``row``, when
    known); a stray double quote also by its column (and heading), read again from ``text``
    to tell a quoted cell from one that is not."""
    message = str(error)
    at = csv_place(row, line) if row else f"line {line:,}"
    if "expected after" in message and text:
        record = "\n".join(text.split("\n")[line - 1 : line + 49])
        found = _stray_quote(record, delimiter)
        if found is not None:
            cell, unquoted = found
            reason = UNQUOTED_CELL_QUOTE if unquoted else QUOTED_CELL_QUOTE
            return InputError(f"the CSV cannot be read at {at}{_where(cell, header)}: {reason}")
    for marker, reason in _CSV_ERRORS:
        if marker in message:
            return InputError(
                f"the CSV cannot be read at {at}: " + reason.format(limit=limits.MAX_CELL_CHARS)
            )
    return InputError(f"the CSV cannot be read at {at}: {message}")


def _parse_csv(text: str, delimiter: str, clock: Clock) -> list[tuple[Place, list[str]]]:
    """Every non-blank record of an RFC 4180 CSV (double quotes, doubled to escape one)
    with this separator, with its place (:func:`csv_place`: the spreadsheet row, counting
    blank ones, and the line it starts on). Lines end at a line feed only, so a bare
    carriage return inside a cell that is not quoted is an error, not a silent new row."""
    lines = io.StringIO(text, newline="\n" if "\n" in text else "")
    reader = csv.reader(lines, delimiter=delimiter, quotechar='"', doublequote=True, strict=True)
    rows: list[tuple[Place, list[str]]] = []
    line, row = 1, 1
    try:
        for count, values in enumerate(reader):
            if count % 256 == 0:
                clock.check()
            number, line, row = line, reader.line_num + 1, count + 2
            if not any(v.strip() for v in values):
                continue
            place = Place(csv_place(count + 1, number), "row", count + 1)
            if len(values) > limits.MAX_COLUMNS and any(v for v in values[limits.MAX_COLUMNS :]):
                raise InputError(
                    f"{place.words} has {len(values):,} cells; "
                    f"at most {limits.MAX_COLUMNS:,} columns are read"
                )
            for value in values:
                if len(value) > limits.MAX_CELL_CHARS:
                    raise InputError(
                        f"a cell in {place.words} has {len(value):,} characters; "
                        f"at most {limits.MAX_CELL_CHARS:,} are read"
                    )
            rows.append((place, values))
            if len(rows) > limits.MAX_ROWS + 1:
                raise InputError(
                    f"the file has more than {limits.MAX_ROWS:,} rows; split it into smaller files"
                )
    except csv.Error as error:
        header = rows[0][1] if rows else None
        raise _csv_problem(error, line, text, delimiter, header, row) from None
    return rows


def _consistent(rows: list[tuple[Place, list[str]]]) -> bool:
    """True when the header has several columns and every row as many cells."""
    width = len(rows[0][1]) if rows else 0
    return width > 1 and all(len(values) == width for _, values in rows)


def _read_csv(data: bytes, encoding: str | None, clock: Clock) -> Table:
    """RFC 4180 with commas first. Only when that gives a single column (or cannot be
    parsed) is another separator (; tab |) tried, and it is used only if every row then has
    as many cells as the header. Quoting always follows RFC 4180, so no guessed dialect can
    split or merge cells."""
    text, encoding = decode(data, encoding)
    if "\x00" in text:
        raise InputError("the file contains NUL bytes: it does not look like a text CSV")
    try:
        rows: list[tuple[Place, list[str]]] | None = _parse_csv(text, ",", clock)
        problem: InputError | None = None
    except InputError as error:
        rows, problem = None, error
    if rows is None or not _consistent(rows):
        try:
            sniffed = [csv.Sniffer().sniff(text[:20000], delimiters=";\t|").delimiter]
        except csv.Error:
            sniffed = []
        for delimiter in dict.fromkeys([*sniffed, ";", "\t", "|"]):
            if rows and len(rows[0][1]) > 1:
                break  # commas gave columns: only a one-column reading may be replaced
            try:
                other = _parse_csv(text, delimiter, clock)
            except InputError:
                continue
            if _consistent(other):
                rows, problem = other, None
                break
    if rows is None:
        raise problem or InputError("the CSV cannot be read")
    return _table(rows, encoding, separated=True)


def _read_xlsx(data: bytes) -> Table:
    numbered, sheets = spreadsheet.read_sheet(data)
    rows = [(Place(f"row {number:,}", "row", number), values) for number, values in numbered]
    try:
        table = _table(rows, "xlsx", separated=False)
    except InputError as error:
        raise InputError(f"{error}{sheet_hint(sheets)}") from None
    table.sheets = sheets
    return table


def sheet_hint(sheets: list[str]) -> str:
    """ " (this reads the first sheet, 'Info', of 2: Info, Responses; move the answers'
    sheet first or save it as CSV)" for a workbook of several sheets, else ""."""
    if len(sheets) < 2:
        return ""
    names = ", ".join(sheets[:6]) + (f" and {len(sheets) - 6:,} more" if len(sheets) > 6 else "")
    return (
        f" (this reads the first sheet, '{sheets[0]}', of {len(sheets):,}: {names}; move the "
        "answers' sheet first or save it as CSV)"
    )


def _depth(value: object) -> int:
    """How deeply lists and objects nest in a JSON value (without recursion)."""
    deepest = 0
    stack = [(value, 1)]
    while stack:
        item, depth = stack.pop()
        if isinstance(item, dict):
            item = list(item.values())
        if isinstance(item, list):
            deepest = max(deepest, depth)
            if deepest > limits.MAX_JSON_DEPTH:
                return deepest
            stack.extend((child, depth + 1) for child in item)
    return deepest


def _no_duplicates(pairs: list[tuple[str, object]]) -> dict:
    record = {}
    for key, value in pairs:
        if key in record:
            raise _DuplicateKey(key)
        record[key] = value
    return record


@dataclass(frozen=True)
class JsonWords:
    """How :func:`load_json` words its refusals: ``str.format`` templates given ``subject``
    (what was read: ``line 12``, ``the JSON file``), ``depth``
    (:data:`analysis.limits.MAX_JSON_DEPTH`), ``key`` (a key given twice, at most 80
    characters) and ``where`` (`` (line 3)`` where the parser says, else '')."""

    deep: str = "{subject} nests lists or objects more than {depth} deep"
    twice: str = "{subject} has the key '{key}' twice"
    invalid: str = "{subject} is not valid JSON"


JSON_WORDS = JsonWords()  # a JSON Lines line's words (:func:`_read_jsonl`)
# A ``.json`` file's (:func:`_read_json`).
JSON_FILE_WORDS = JsonWords(invalid="the file is not valid JSON{where}")


def load_json(text: str, subject: str, words: JsonWords = JSON_WORDS) -> object:
    """``text`` parsed as JSON, refusing an object that has a key twice (its first value
    would be lost); raises InputError worded by ``words`` when it nests too deep to parse,
    has a key twice or is not JSON."""
    try:
        return json.loads(text, object_pairs_hook=_no_duplicates)
    except RecursionError:
        template, key, line = words.deep, "", None
    except _DuplicateKey as error:
        template, key, line = words.twice, str(error)[:80], None
    except ValueError as error:
        template, key, line = words.invalid, "", getattr(error, "lineno", None)
    where = f" (line {line:,})" if line else ""
    depth = limits.MAX_JSON_DEPTH
    raise InputError(template.format(subject=subject, depth=depth, key=key, where=where))


def _read_jsonl(data: bytes, encoding: str | None, clock: Clock) -> Table:
    text, encoding = decode(data, encoding)
    rows: list[dict[str, str]] = []
    places: list[Place] = []
    columns: list[str] = []
    seen: set[str] = set()
    # Split on line feeds only: a JSON string may hold U+2028 and other characters that
    # str.splitlines() would break a line at.
    for number, line in enumerate(text.split("\n"), start=1):
        if number % 256 == 0:
            clock.check()
        if not line.strip():
            continue
        record = load_json(line, f"line {number:,}")
        if not isinstance(record, dict):
            raise InputError(f"line {number:,} is not a JSON object")
        if _depth(record) > limits.MAX_JSON_DEPTH:
            raise InputError(
                f"line {number:,} nests lists or objects more than {limits.MAX_JSON_DEPTH} deep"
            )
        for key in record:
            if key not in seen:
                seen.add(key)
                columns.append(key)
                if len(columns) > limits.MAX_COLUMNS:
                    raise InputError(
                        f"the records have more than {limits.MAX_COLUMNS:,} different keys"
                    )
        row = {
            k: (_cell(v) if not isinstance(v, (dict, list)) else json.dumps(v))
            for k, v in record.items()
        }
        for value in row.values():
            if len(value) > limits.MAX_CELL_CHARS:
                raise InputError(
                    f"a value on line {number:,} has {len(value):,} characters; "
                    f"at most {limits.MAX_CELL_CHARS:,} are read"
                )
        rows.append(row)
        places.append(Place(f"line {number:,} of the file", "line", number))
        if len(rows) > limits.MAX_ROWS:
            raise InputError(
                f"the file has more than {limits.MAX_ROWS:,} rows; split it into smaller files"
            )
    return Table(columns, rows, encoding, places=places)


# A ``.json`` file: an array of objects, one a response (what many survey tools export), or
# this service's own responses export, ``{"responses": [...], "metadata": {...}}``
# (consult.exports.write_json); JSON Lines saved as ``.json`` are read as JSON Lines.
JSON_SHAPES = (
    "a JSON file is read as an array of objects, one a response, or as this service's own "
    'responses export (an object holding a "responses" array); save another shape as CSV, '
    "XLSX or JSON Lines (.jsonl)"
)


def json_lines(text: str) -> bool:
    """Whether ``text`` is two or more lines, the first two each a whole JSON object."""
    lines = [line for line in text.split("\n") if line.strip()]
    if len(lines) < 2:
        return False
    try:
        return all(isinstance(json.loads(line), dict) for line in lines[:2])
    except (ValueError, RecursionError):
        return False


def json_records(document: object) -> list:
    """The records of a parsed JSON document: the array itself, or the ``responses`` array of
    an object holding one (this service's own export); raises InputError for another shape."""
    records = document.get("responses") if isinstance(document, dict) else document
    if not isinstance(records, list) or not all(isinstance(r, dict) for r in records):
        raise InputError(JSON_SHAPES)
    return records


def records_as_json_lines(records: list) -> bytes:
    """JSON records as JSON Lines (UTF-8, one record a line), to be read by the JSON Lines
    reader with all its limits and checks. A lone surrogate (``"\\ud800"`` in the file; it
    can stand only in a string) is written back as that escape, as UTF-8 cannot hold it."""
    text = "\n".join(json.dumps(record, ensure_ascii=False) for record in records)
    return text.encode("utf-8", "backslashreplace")


def _read_json(data: bytes, encoding: str | None, clock: Clock) -> Table:
    """A ``.json`` file's records, read as JSON Lines of the same records, so every limit and
    check of :func:`_read_jsonl` applies and the columns are the records' keys in order."""
    text, encoding = decode(data, encoding)
    if json_lines(text):
        return _read_jsonl(data, encoding, clock)
    records = json_records(load_json(text, "the JSON file", JSON_FILE_WORDS))
    if len(records) > limits.MAX_ROWS:
        raise InputError(
            f"the file has more than {limits.MAX_ROWS:,} rows; split it into smaller files"
        )
    table = _read_jsonl(records_as_json_lines(records), "utf-8", clock)
    table.encoding = encoding
    table.places = record_places(len(table.rows))
    return table


def _storable_table(table: Table) -> Table:
    """Every header and cell as :func:`analysis.cells.storable_text`: no NUL (a JSONL
    ``"\\u0000"``) and no lone surrogates (a JSONL ``"\\ud800"``), so whatever reads the
    table can store, encode and show each cell."""
    if not any(UNSTORABLE.search(name) for name in table.columns) and not any(
        UNSTORABLE.search(value) for row in table.rows for value in row.values()
    ):
        return table
    renamed = {name: storable_text(name) for name in table.columns}
    if len(set(renamed.values())) < len(renamed):
        twice = next(n for n in renamed.values() if list(renamed.values()).count(n) > 1)
        raise InputError(f"the column name '{twice[:80]}' appears twice in the header")
    table.columns = list(renamed.values())
    table.rows = [{renamed[k]: storable_text(v) for k, v in row.items()} for row in table.rows]
    return table


def _too_big(size: int) -> InputError:
    return InputError(
        f"the file is {size / MB:,.1f} MB; at most {limits.MAX_FILE_BYTES / MB:,.0f} MB is read"
    )


def read_table(path: str | Path, encoding: str | None = None) -> Table:
    """Read a CSV, XLSX, JSON (:data:`JSON_SHAPES`) or JSONL file, choosing the reader from
    its extension and content. ``encoding`` names a CSV, JSON or JSONL file's text encoding
    instead of detecting it. ``-`` reads standard input."""
    if str(path) == "-":
        data = sys.stdin.buffer.read(limits.MAX_FILE_BYTES + 1)
        if len(data) > limits.MAX_FILE_BYTES:
            raise InputError(
                f"standard input gives more than {limits.MAX_FILE_BYTES / MB:,.0f} MB; "
                "at most that much is read"
            )
        return read_bytes(data, "stdin", encoding)
    path = Path(path)
    if not path.exists():
        raise InputError(f"no such file: {path}")
    if path.is_dir():
        raise InputError(f"{path} is a folder, not a file")
    size = path.stat().st_size
    if size > limits.MAX_FILE_BYTES:
        raise _too_big(size)
    data = read_bounded(path, limits.MAX_FILE_BYTES)
    if len(data) > limits.MAX_FILE_BYTES:
        raise InputError(
            f"{path} gives more than {limits.MAX_FILE_BYTES / MB:,.0f} MB; "
            "at most that much is read"
        )
    return read_bytes(data, path.name, encoding)


def read_bounded(path: Path, limit: int) -> bytes:
    """At most ``limit + 1`` bytes of ``path``: a device or a pipe (``/dev/zero``,
    ``<(command)``) reports a size of 0 and may never end, so its size is not trusted."""
    try:
        with open(path, "rb") as handle:
            return handle.read(limit + 1)
    except OSError as error:
        raise InputError(f"cannot read {path}: {error.strerror}") from None


# The first bytes of files people upload by mistake instead of an export, and what they are.
_SIGNATURES = (
    (b"%PDF-", "a PDF document"),
    (b"\x89PNG\r\n\x1a\n", "an image (PNG)"),
    (b"\xff\xd8\xff", "an image (JPEG)"),
    (b"GIF87a", "an image (GIF)"),
    (b"GIF89a", "an image (GIF)"),
    (
        b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1",
        "an Excel 97-2003 workbook (.xls) or another old Office file",
    ),
    (b"\x1f\x8b", "compressed (gzip)"),
    (b"{\\rtf", "a Rich Text document"),
)


def other_file_kind(data: bytes) -> str | None:
    """Why a file cannot be read when its first bytes say it is not CSV, XLSX or JSONL (a
    PDF, an image, an old .xls or .doc): None for anything else, which the readers then try."""
    for signature, kind in _SIGNATURES:
        if data.startswith(signature):
            if kind.startswith("an Excel 97-2003"):
                return (
                    f"the file is {kind}, which cannot be read: open it in Excel and save it "
                    "as an Excel Workbook (.xlsx) or CSV"
                )
            return f"the file is {kind}, {spreadsheet.SAVE_AS}"
    return None


def read_bytes(data: bytes, name: str = "", encoding: str | None = None) -> Table:
    """Read an uploaded CSV, XLSX, JSON or JSONL file's bytes; ``name`` (its file name) picks the
    reader by extension, as :func:`read_table` does for a path. Every limit in
    :mod:`analysis.limits` applies; passing one raises InputError saying which."""
    if len(data) > limits.MAX_FILE_BYTES:
        raise _too_big(len(data))
    if not data.strip():
        raise InputError("the file is empty")
    clock = Clock()
    other = other_file_kind(data)
    if other:
        raise InputError(other)
    suffix = Path(name).suffix.lower()
    if suffix in (".xlsx", ".xlsm") or data[:4] == b"PK\x03\x04":
        table = _unguard_table(_read_xlsx(data))
    elif suffix in (".jsonl", ".ndjson"):
        table = _read_jsonl(data, encoding, clock)
    elif suffix == ".json":
        table = _read_json(data, encoding, clock)
    else:
        table = _unguard_table(_read_csv(data, encoding, clock))
    table = _storable_table(table)
    table.sha256 = hashlib.sha256(data).hexdigest()
    if not table.rows:
        raise InputError(f"the file has a header but no rows{_header_hint(table)}")
    return table


def _header_hint(table: Table) -> str:
    """What a file read as a header alone should say: which sheet was read (XLSX), or what its
    one line reads, so a file that is not text, or read in the wrong encoding, is recognisable
    (smoke12: a binary file said only "a header but no rows")."""
    if table.sheets:
        return sheet_hint(table.sheets)
    line = _printable(", ".join(table.columns))
    if not line.strip(" \ufffd"):
        return ""
    shown = line if len(line) <= 60 else line[:59] + "…"
    return (
        f": its one line reads '{shown}'; if that is not a header, the file is not a CSV "
        "saved as text, or it was read in the wrong encoding"
    )


def _printable(text: str) -> str:
    """``text`` on one readable line: each run of control, format, private-use or unassigned
    characters, line and paragraph separators, and lone surrogates, as one U+FFFD (the
    replacement character), so a binary file's bytes print neither as terminal escapes nor
    as a line break (leftweb)."""
    kept: list[str] = []
    for char in text:
        if unicodedata.category(char)[0] == "C" or unicodedata.category(char) in ("Zl", "Zp"):
            if not kept or kept[-1] != "\ufffd":
                kept.append("\ufffd")
        else:
            kept.append(char)
    return "".join(kept)


def require_columns(table: Table, names: list[str]) -> None:
    """Stop with a clear reason when a named column is missing: the column it most likely
    meant when only case or spaces differ ("did you mean 'Text'?"), and the columns there
    are (the first 12, then how many more)."""
    for name in names:
        if name not in table.columns:
            available = ", ".join(table.columns[:12])
            if len(table.columns) > 12:
                available += f" and {len(table.columns) - 12:,} more"
            near = [c for c in table.columns if _loose(c) == _loose(name)]
            hint = f"did you mean '{near[0]}'? " if near else ""
            raise InputError(
                f"no column named '{name}' ({hint}columns are: {available})"
                + sheet_hint(table.sheets)
            )


def _loose(name: str) -> str:
    """A column name with case, spaces, underscores and hyphens ignored."""
    return "".join(ch for ch in name.casefold() if ch.isalnum())
