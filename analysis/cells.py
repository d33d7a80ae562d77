"""Spreadsheet cells that are safe to open: the one formula guard for every CSV and XLSX the
project writes (analysis's own output and consult's exports alike)."""

from __future__ import annotations

from typing import Any

# A cell starting with one of these runs as a formula in Excel, LibreOffice or Sheets.
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def safe_cell(value: Any) -> Any:
    """Text a spreadsheet would run as a formula gets a leading apostrophe; anything else
    (numbers, dates, ``None``, ordinary text) is returned unchanged."""
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value
