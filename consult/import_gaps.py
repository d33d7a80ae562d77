"""What an import accepts blank: a required question left unanswered and no partner type.

Other tools' exports hold such rows (a question required here may have been optional there,
a partner type never asked), so the import takes them as they are; but it says so, on the
column-matching page and in its one-line summary: "3 rows have no answer to the required
question 'Why do you say that?'; 1 has no partner type." Request-free;
:mod:`consult.imports` and the import page use it."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

from analysis.io import Table

from .answers import short_question
from .models import Consultation
from .wording import plural

# Why blanks are let through, said once after the counts.
ACCEPTED = (
    "A row with a blank answer to a required question, or with no partner type, is imported "
    "as it is: other tools' exports often have blanks."
)


@dataclass
class ImportGaps:
    """How many rows leave each required question blank, and how many have no partner type."""

    required: dict[str, int] = field(default_factory=dict)  # question (short) -> rows
    no_partner_type: int = 0

    def __bool__(self) -> bool:
        return bool(self.required) or self.no_partner_type > 0

    def words(self) -> str:
        """The counts in one sentence ("" when there are none)."""
        parts = [
            f"{plural(count, 'row')} {'has' if count == 1 else 'have'} no answer to the "
            f"required question '{question}'"
            for question, count in self.required.items()
        ]
        if self.no_partner_type:
            count = self.no_partner_type
            said = f"{count:,}" if parts else plural(count, "row")
            parts.append(f"{said} {'has' if count == 1 else 'have'} no partner type")
        return "; ".join(parts) + "." if parts else ""


def find_gaps(consultation: Consultation, table: Table, mapping: Mapping[str, str]) -> ImportGaps:
    """The blanks ``table``'s rows would be imported with under ``mapping`` (a field or
    question's name -> column; "" or missing for not imported, so every row is blank)."""

    def blank(row: dict[str, str], column: str) -> bool:
        return not column or not (row.get(column, "") or "").strip()

    gaps = ImportGaps()
    for question in consultation.questions:
        if not question.required:
            continue
        column = mapping.get(question.field_name, "") or ""
        count = sum(blank(row, column) for row in table.rows)
        if count:
            gaps.required[short_question(question.text, 60)] = count
    column = mapping.get("partner_type", "") or ""
    gaps.no_partner_type = sum(blank(row, column) for row in table.rows)
    return gaps


__all__ = ["ACCEPTED", "ImportGaps", "find_gaps"]
