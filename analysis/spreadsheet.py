"""Read the first sheet of an XLSX file once, streaming, within :mod:`analysis.limits`.

A spreadsheet can declare a size it does not have (``A1:XFD1048576`` in 4.7 KB), place one
cell a million rows down, or unpack from under a megabyte to gigabytes. So: the zip's parts
are sized before anything is parsed (:func:`check_archive`); the sheet's declared dimension
is never used; rows are read one at a time straight from the sheet's XML, skipping empty ones
without filling the gaps; and every cell, row, column and second is counted against a limit.
"""

from __future__ import annotations

import io
import re
import time
import warnings
import zipfile
from collections.abc import Iterator
from datetime import datetime

from . import limits
from .errors import InputError

MB = 1024 * 1024


def check_archive(data: bytes) -> None:
    """Refuse an XLSX whose zip parts are too many or unpack to too much, before parsing.
    (Python's zip reader never returns more than a part's declared size, so the declared
    sizes are a safe bound.)"""
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
    except Exception:  # BadZipFile, NotImplementedError (a zip version it cannot read), ...
        raise InputError("the XLSX file cannot be opened: it is not a valid zip file") from None
    with archive:
        parts = archive.infolist()
        if len(parts) > limits.MAX_XLSX_PARTS:
            raise InputError(
                f"the XLSX file has more than {limits.MAX_XLSX_PARTS:,} parts; "
                "it is not a plain spreadsheet"
            )
        unpacked = sum(part.file_size for part in parts)
        if unpacked > limits.MAX_XLSX_UNPACKED_BYTES:
            raise InputError(
                f"the XLSX file unpacks to {unpacked / MB:,.0f} MB, more than the "
                f"{limits.MAX_XLSX_UNPACKED_BYTES / MB:,.0f} MB allowed"
            )
        other = _other_zip_kind({part.filename for part in parts})
        if other:
            raise InputError(f"the file is {other}, {SAVE_AS}")


SAVE_AS = "which cannot be read: save or export the table as CSV or XLSX instead"


def _other_zip_kind(names: set[str]) -> str | None:
    """What a zip that is not an XLSX workbook is, by its parts: a Word document, a
    PowerPoint file, an OpenDocument file or a plain zip; None for a workbook (or a
    damaged one, left to the workbook reader to refuse)."""
    if any(name.startswith("xl/") for name in names):
        return None
    if any(name.startswith("word/") for name in names):
        return "a Word document"
    if any(name.startswith("ppt/") for name in names):
        return "a PowerPoint presentation"
    if "mimetype" in names and "content.xml" in names:
        return "an OpenDocument file (such as a LibreOffice .ods spreadsheet)"
    if "[Content_Types].xml" in names:
        return None  # an Office file of another kind, or a damaged workbook
    return "a zip archive"


# How an XLSX spells a character XML cannot hold, or one Excel chooses to escape: _xHHHH_
# (Excel writes the carriage return of a multi-line cell as _x000D_). openpyxl does not
# undo it, so an Excel export's answers read with "_x000D_" in them.
_ESCAPED = re.compile(r"_x([0-9A-Fa-f]{4})_")


def _unescape(text: str) -> str:
    if "_x" not in text:
        return text
    return _ESCAPED.sub(lambda m: chr(int(m.group(1), 16)), text)


def _value(value: object, day: bool = False) -> str:
    """A cell as text; with ``day`` (its format shows a date and no time), a date-and-time
    at midnight as the date alone, "2026-12-03", as the spreadsheet shows it."""
    if value is None:
        return ""
    if day and isinstance(value, datetime) and value.time() == datetime.min.time():
        return value.date().isoformat()
    if isinstance(value, float) and value.is_integer() and abs(value) < 1e16:
        return str(int(value))
    if isinstance(value, str):
        return _unescape(value)
    return str(value)


class Clock:
    """Raises InputError once a read has taken longer than the limit."""

    def __init__(self, seconds: float | None = None) -> None:
        self.seconds = limits.MAX_READ_SECONDS if seconds is None else seconds
        self.deadline = time.monotonic() + self.seconds

    def check(self) -> None:
        """Stop the read when its time is up."""
        if time.monotonic() > self.deadline:
            raise InputError(
                f"reading the file took longer than {self.seconds:,.0f} seconds; "
                "it is too large or too complex"
            )


def _day_styles(workbook) -> set[int]:
    """The workbook's style ids whose number format shows a date with no time of day
    ("yyyy-mm-dd", "dd/mm/yyyy"): such a cell is read as the date alone."""
    from openpyxl.styles.numbers import BUILTIN_FORMATS, BUILTIN_FORMATS_MAX_SIZE, is_datetime

    found = set()
    for style_id, style in enumerate(workbook._cell_styles):
        number = style.numFmtId
        if number < BUILTIN_FORMATS_MAX_SIZE:
            fmt = BUILTIN_FORMATS.get(number, "General")
        elif number - BUILTIN_FORMATS_MAX_SIZE < len(workbook._number_formats):
            fmt = workbook._number_formats[number - BUILTIN_FORMATS_MAX_SIZE]
        else:
            continue
        if is_datetime(fmt) == "date":
            found.add(style_id)
    return found


def _rows(sheet, clock: Clock) -> Iterator[tuple[int, list[str]]]:
    """The sheet's non-empty rows as lists of strings, within the column and cell limits."""
    from openpyxl.worksheet._reader import WorkSheetParser

    workbook = sheet.parent
    days = _day_styles(workbook)
    with workbook._archive.open(sheet._worksheet_path) as source:
        parser = WorkSheetParser(
            source,
            sheet._shared_strings,
            data_only=True,
            epoch=workbook.epoch,
            date_formats=workbook._date_formats,
            timedelta_formats=workbook._timedelta_formats,
        )
        work = 0
        for number, cells in parser.parse():
            work += 1 + len(cells)
            if work > 4096:
                work = 0
                clock.check()
            values: dict[int, str] = {}
            for cell in cells:
                text = _value(cell["value"], cell["style_id"] in days)
                if not text.strip():
                    continue
                column = cell["column"]
                if column > limits.MAX_COLUMNS:
                    raise InputError(
                        f"the sheet has a value in column {column:,}; at most "
                        f"{limits.MAX_COLUMNS:,} columns are read"
                    )
                if len(text) > limits.MAX_CELL_CHARS:
                    raise InputError(
                        f"a cell in row {cell['row']:,} has {len(text):,} characters; "
                        f"at most {limits.MAX_CELL_CHARS:,} are read"
                    )
                values[column] = text
            if values:
                width = max(values)
                yield number, [values.get(i, "") for i in range(1, width + 1)]


def read_rows(data: bytes) -> list[tuple[int, list[str]]]:
    """Every non-empty row of the first sheet (the first is the header) with its number,
    its cells as strings."""
    return read_sheet(data)[0]


def read_sheet(data: bytes) -> tuple[list[tuple[int, list[str]]], list[str]]:
    """The first sheet's rows (as :func:`read_rows`) and the names of all the workbook's
    sheets, so that a message can say which sheet was read."""
    clock = Clock()
    check_archive(data)
    try:
        from openpyxl import load_workbook

        with warnings.catch_warnings():
            warnings.simplefilter("ignore")  # openpyxl warns about unsupported extensions
            workbook = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except InputError:
        raise
    except Exception as error:  # openpyxl raises many types for a broken file
        raise InputError(f"the XLSX file cannot be opened: {type(error).__name__}") from None
    try:
        if not workbook.worksheets:
            raise InputError("the XLSX file has no sheets")
        sheet = workbook.worksheets[0]
        names = [str(name) for name in workbook.sheetnames]
        if not hasattr(sheet, "_worksheet_path"):
            raise InputError("the first sheet of the XLSX file is a chart, not a table")
        rows: list[tuple[int, list[str]]] = []
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            for row in _rows(sheet, clock):
                if len(rows) > limits.MAX_ROWS:
                    raise InputError(
                        f"the sheet has more than {limits.MAX_ROWS:,} rows; "
                        "split it into smaller files"
                    )
                rows.append(row)
        clock.check()
        return rows, names
    except InputError:
        raise
    except Exception as error:  # a sheet that parses badly half way through
        raise InputError(f"the XLSX file cannot be read: {type(error).__name__}") from None
    finally:
        workbook.close()
