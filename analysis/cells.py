"""Spreadsheet cells that are safe to open: the one formula guard for every CSV and XLSX the
project writes (analysis's own output and consult's exports alike); and text that is safe to
keep, for every file the project reads (:func:`storable_text`)."""

from __future__ import annotations

import re
from typing import Any

# A cell starting with one of these runs as a formula in Excel, LibreOffice or Sheets.
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")

# Text starting with "-" that no spreadsheet runs as a formula: a lone dash (the coding
# downloads' "no theme") and a plain negative number (-3, -0.5), which opens as that number.
NOT_A_FORMULA = re.compile(r"-|-(?:\d+(?:\.\d*)?|\.\d+)")


# Invisible characters that make text read differently from what it holds (the "Trojan
# Source" trick: a reversed word, a hidden break in a name): Unicode's explicit direction
# controls (embeddings, overrides and their end U+202A-U+202E; isolates U+2066-U+2069), the
# zero width space U+200B, the word joiner and invisible operators U+2060-U+2064, the
# Mongolian vowel separator U+180E and U+FEFF inside text. Not the joiners U+200C and U+200D
# (emoji sequences, Persian, Indic scripts) nor the direction marks U+200E, U+200F and U+061C
# (right-to-left text needs them; they reverse nothing on their own): those stay as typed.
# The direction controls are named once here: consult's one-line form fields drop them
# (consult.survey.forms.without_direction_controls).
DIRECTION_CONTROLS = "\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069"
HIDDEN = re.compile(f"[\u180e\u200b{DIRECTION_CONTROLS}\u2060-\u2064\ufeff]")


def shown_hidden(text: str) -> str:
    """``text`` with each :data:`HIDDEN` character written out where it stands, as
    "[U+202E]", so a reader sees it is there and nothing is reordered or hidden; any other
    text is returned as it is. What a partner typed is stored as typed: this is for what
    staff read (exports' cells, staff pages), never for storage."""
    if text.isascii() or not HIDDEN.search(text):  # every hidden character is non-ASCII
        return text
    return HIDDEN.sub(lambda m: f"[U+{ord(m.group()):04X}]", text)


def safe_cell(value: Any) -> Any:
    """Text a spreadsheet would run as a formula gets a leading apostrophe; anything else
    (numbers, dates, ``None``, ordinary text, a lone "-" or a plain negative number such as
    "-3") is returned unchanged. "-2+3" is a formula and is guarded. Hidden characters are
    shown first (:func:`shown_hidden`), so every CSV shows them."""
    if isinstance(value, str):
        value = shown_hidden(value)
    if (
        isinstance(value, str)
        and value.startswith(FORMULA_STARTS)
        and not NOT_A_FORMULA.fullmatch(value)
    ):
        return "'" + value
    return value


# Characters an XLSX (XML 1.0) cannot hold: C0 controls other than tab, line feed and
# carriage return, lone surrogates, and the two non-characters U+FFFE and U+FFFF.
XML_ILLEGAL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")


# Text that Excel (and analysis.spreadsheet) would read as an escaped character: _xHHHH_.
LOOKS_ESCAPED = re.compile("_(x[0-9A-Fa-f]{4}_)")


def xlsx_cell(value: Any) -> Any:
    """A value ready for an XLSX cell: characters XML cannot hold are dropped (so one odd
    answer never breaks a whole workbook), text that looks like an Excel escape (_x0041_)
    has its underscore escaped (_x005F_x0041_, which openpyxl does not do), so it reads back
    as typed. openpyxl writes every other str as a text cell, which no spreadsheet runs, but
    a str starting with "=" as a formula: only that gets the apostrophe guard here ("+cmd",
    "@SUM" or "-" are written, and shown, as typed). Hidden characters are shown
    (:func:`shown_hidden`), as in every CSV."""
    if isinstance(value, str):
        value = shown_hidden(XML_ILLEGAL.sub("", value))
        if "_x" in value:
            value = LOOKS_ESCAPED.sub(r"_x005F_\1", value)
        if value.startswith("="):
            return "'" + value
    return value


# What no text read from a file keeps: NUL (PostgreSQL cannot store it) and lone surrogates
# (a JSON "\ud800" escape, which no UTF-8 can encode, so no database, file or page can take
# it). Other control characters are kept: they can be stored, and exports drop the ones a
# spreadsheet cannot hold (:func:`xlsx_cell`).
UNSTORABLE = re.compile("[\x00\ud800-\udfff]")


def storable_text(value: str) -> str:
    """``value`` without NUL, and with each lone surrogate replaced by U+FFFD (as
    undecodable bytes are when a file is decoded); other text is returned as it is."""
    if not UNSTORABLE.search(value):
        return value
    return UNSTORABLE.sub(lambda m: "" if m.group() == "\x00" else "\ufffd", value)
