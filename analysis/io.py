"""Read responses from CSV (UTF-8, UTF-8 with BOM or cp1252), XLSX or JSONL, with clear errors.

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
from dataclasses import dataclass, field
from pathlib import Path

from .errors import InputError

ENCODINGS = ("utf-8-sig", "cp1252")
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
GUARD = "'"


@dataclass
class Table:
    """Rows read from a file: column names and string cells, plus how the file was read."""

    columns: list[str]
    rows: list[dict[str, str]]
    encoding: str = "utf-8"
    sha256: str = ""
    notes: list[str] = field(default_factory=list)

    def column(self, name: str) -> list[str]:
        """Every value of one column, '' where missing."""
        return [row.get(name, "") or "" for row in self.rows]


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


def _decode(data: bytes) -> tuple[str, str]:
    for encoding in ENCODINGS:
        try:
            return data.decode(encoding), ("utf-8" if encoding == "utf-8-sig" else encoding)
        except UnicodeDecodeError:
            continue
    raise InputError("cannot read the file's text encoding (expected UTF-8 or Windows-1252)")


def _cell(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def _read_csv(data: bytes) -> Table:
    text, encoding = _decode(data)
    if "\x00" in text:
        raise InputError("the file contains NUL bytes: it does not look like a text CSV")
    try:
        dialect = csv.Sniffer().sniff(text[:20000], delimiters=",;\t|")
    except csv.Error:
        dialect = csv.excel
    reader = csv.reader(io.StringIO(text, newline=""), dialect)
    try:
        header = next(reader)
    except StopIteration:
        raise InputError("the file is empty") from None
    except csv.Error as error:
        raise InputError(f"the CSV cannot be parsed: {error}") from None
    columns = [name.strip() for name in header]
    rows = []
    try:
        for values in reader:
            if not any(v.strip() for v in values):
                continue
            rows.append(
                {name: (values[i] if i < len(values) else "") for i, name in enumerate(columns)}
            )
    except csv.Error as error:
        raise InputError(f"the CSV cannot be parsed: {error}") from None
    return Table(columns, rows, encoding)


def _read_xlsx(data: bytes) -> Table:
    try:
        from openpyxl import load_workbook

        workbook = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except Exception as error:  # openpyxl raises many types for a broken file
        raise InputError(f"the XLSX file cannot be opened: {type(error).__name__}") from None
    sheet = workbook.worksheets[0]
    values = sheet.iter_rows(values_only=True)
    try:
        header = next(values)
    except StopIteration:
        raise InputError("the file is empty") from None
    columns = [_cell(name).strip() for name in header]
    rows = []
    for row in values:
        cells = [_cell(v) for v in row]
        if not any(c.strip() for c in cells):
            continue
        rows.append({name: (cells[i] if i < len(cells) else "") for i, name in enumerate(columns)})
    workbook.close()
    return Table(columns, rows, "xlsx")


def _read_jsonl(data: bytes) -> Table:
    text, encoding = _decode(data)
    rows: list[dict[str, str]] = []
    columns: list[str] = []
    seen: set[str] = set()
    for number, line in enumerate(text.splitlines(), start=1):
        if not line.strip():
            continue
        try:
            record = json.loads(line)
        except ValueError:
            raise InputError(f"line {number} is not valid JSON") from None
        if not isinstance(record, dict):
            raise InputError(f"line {number} is not a JSON object")
        for key in record:
            if key not in seen:
                seen.add(key)
                columns.append(key)
        rows.append(
            {
                k: (_cell(v) if not isinstance(v, (dict, list)) else json.dumps(v))
                for k, v in record.items()
            }
        )
    return Table(columns, rows, encoding)


def read_table(path: str | Path) -> Table:
    """Read a CSV, XLSX or JSONL file, choosing the reader from its extension and content."""
    path = Path(path)
    if not path.exists():
        raise InputError(f"no such file: {path}")
    if path.is_dir():
        raise InputError(f"{path} is a folder, not a file")
    return read_bytes(path.read_bytes(), path.name)


def read_bytes(data: bytes, name: str = "") -> Table:
    """Read an uploaded CSV, XLSX or JSONL file's bytes; ``name`` (its file name) picks the
    reader by extension, as :func:`read_table` does for a path."""
    if not data.strip():
        raise InputError("the file is empty")
    suffix = Path(name).suffix.lower()
    if suffix in (".xlsx", ".xlsm") or data[:4] == b"PK\x03\x04":
        table = _unguard_table(_read_xlsx(data))
    elif suffix in (".jsonl", ".ndjson"):
        table = _read_jsonl(data)
    else:
        table = _unguard_table(_read_csv(data))
    table.sha256 = hashlib.sha256(data).hexdigest()
    if not table.rows:
        raise InputError("the file has a header but no rows")
    return table


def require_columns(table: Table, names: list[str]) -> None:
    """Stop with a clear reason when a named column is missing."""
    for name in names:
        if name not in table.columns:
            available = ", ".join(table.columns[:12])
            raise InputError(f"no column named '{name}' (columns are: {available})")
