"""How much of an input file the readers accept (documented in README.md, "Hostile files").

Every reader in :mod:`analysis.io` (CSV, XLSX, JSONL), and so every web import built on it,
stops with an :class:`~analysis.errors.InputError` naming the limit as soon as one is passed,
instead of spending minutes or gigabytes on a file that declares or unpacks to far more than
a consultation's responses need. The figures are generous for real exports: a large
statutory consultation has tens of thousands of responses and a few hundred columns.
"""

from __future__ import annotations

MAX_FILE_BYTES = 100 * 1024 * 1024
"""The largest file read at all (CSV, JSONL or XLSX, as stored): 100 MB."""

MAX_ROWS = 200_000
"""The most rows with any content (the header row excluded)."""

MAX_COLUMNS = 2_000
"""The most columns with any content (a spreadsheet's declared size is never trusted)."""

MAX_CELL_CHARS = 100_000
"""The most characters in one cell (the longest answer consult accepts is 5,000)."""

MAX_XLSX_UNPACKED_BYTES = 300 * 1024 * 1024
"""The most an XLSX file may unpack to, all its parts together, checked before any parsing."""

MAX_XLSX_PARTS = 10_000
"""The most parts (zip members) in an XLSX file."""

MAX_JSON_DEPTH = 32
"""The deepest nesting of lists and objects in one JSONL record."""

MAX_READ_SECONDS = 60.0
"""The longest a file may take to read before the reader gives up."""
