"""The problems an import finds, grouped: one line per distinct problem with the rows it is
in, not one line per row. An 800-row export whose partner type column holds 'Trust A' gives
"Unknown partner type 'Trust A' in 800 rows (rows 2 to 801). Partner types are: ...", so the
officer sees the fix at once. Request-free; :mod:`consult.imports` fills it in."""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass, field

from .wording import plural

# At most this many runs of rows are listed on a line; the rest are counted.
RANGES_SHOWN = 5
# At most this many lines are shown on the page; the rest are counted.
LINES_SHOWN = 25


def row_ranges(rows: list[int], shown: int = RANGES_SHOWN, noun: str = "row") -> str:
    """Row numbers in words, runs joined: "2 to 801", "2, 5 and 9", "2 to 4, 7 and 30 more
    rows" (``noun``: what the numbers count, "row", "line" or "record")."""
    runs: list[tuple[int, int]] = []
    for row in sorted(set(rows)):
        if runs and row == runs[-1][1] + 1:
            runs[-1] = (runs[-1][0], row)
        else:
            runs.append((row, row))
    words = [f"{a:,}" if a == b else f"{a:,} to {b:,}" for a, b in runs[:shown]]
    rest = sum(b - a + 1 for a, b in runs[shown:])
    if rest:
        return ", ".join(words) + f" and {plural(rest, f'more {noun}')}"
    if len(words) == 1:
        return words[0]
    return ", ".join(words[:-1]) + " and " + words[-1]


@dataclass
class _Group:
    text: str
    hint: str
    rows: list[int] = field(default_factory=list)


@dataclass
class RowProblems:
    """Problems found row by row, grouped by what they say (first seen first)."""

    _groups: dict[str, _Group] = field(default_factory=dict)
    _rows: set[int] = field(default_factory=set)
    _hinted: dict[str, set[int]] = field(default_factory=dict)  # hint -> the rows it is for
    _places: dict[int, str] = field(default_factory=dict)  # row -> where it is, in words
    _unit: str = "row"  # what the row numbers count: "row", "line" or "record"

    def add(self, row: int, text: str, hint: str = "", place: str = "", unit: str = "row") -> None:
        """Note ``text`` (lower case, as said after "Row 5:") for ``row``; ``hint`` says how to
        put it right, and is given once for all the lines that share it; ``place`` is where
        the row is in the file's words (:meth:`analysis.io.Table.place`: "row 3 (line 4 of
        the file)", as the command line says it), said for a problem of one row; ``unit``
        what ``row`` counts (:meth:`analysis.io.Table.unit`: "record" for a JSON array), said
        for a problem of several ("2 records (records 3 and 4)")."""
        if place:
            self._places[row] = place
        self._unit = unit
        group = self._groups.setdefault(text, _Group(text, hint))
        group.rows.append(row)
        self._rows.add(row)
        if hint:
            self._hinted.setdefault(hint, set()).add(row)

    def whole_file_cause(self, total: int, causes: Collection[str]) -> str:
        """The one way to put right every one of the file's ``total`` rows: a hint of
        ``causes`` (those that say what is wrong with the whole file, such as "the file is
        this consultation's own export") that every row's problems give, with two or more
        rows; else "". Such problems are worded row by row ("response 'WM-…' already in this
        consultation"), a line a row, so the page gives the cause as its one error and the
        rows' problems below it."""
        if total < 2:
            return ""
        for hint, rows in self._hinted.items():
            if hint in causes and len(rows) == total:
                return hint
        return ""

    @property
    def rows(self) -> int:
        """How many rows have a problem."""
        return len(self._rows)

    def lines(self) -> list[str]:
        """One sentence per distinct problem: what, in which rows, and how to put it right."""
        lines, hinted = [], set()
        for group in self._groups.values():
            count = len(group.rows)
            where = (
                self._places.get(group.rows[0], f"row {group.rows[0]:,}")
                if count == 1
                else f"{plural(count, self._unit)} ({self._unit}s "
                f"{row_ranges(group.rows, noun=self._unit)})"
            )
            line = f"{group.text[:1].upper()}{group.text[1:]} in {where}."
            if group.hint and group.hint not in hinted:
                hinted.add(group.hint)
                line += f" {group.hint}"
            lines.append(line)
        return lines


def choices_hint(noun: str, labels: list[str], shown: int = 12) -> str:
    """ "Partner types are: Business; Individual; ..." (at most ``shown``, then how many more);
    labels are joined with semicolons as some hold commas."""
    listed = "; ".join(labels[:shown])
    if len(labels) > shown:
        listed += f"; and {len(labels) - shown:,} more"
    return f"{noun} {'is' if len(labels) == 1 else 'are'}: {listed}."
