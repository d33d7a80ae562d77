"""Invisible characters that make text read differently from what it holds (Unicode's
direction controls U+202A-U+202E and U+2066-U+2069, a zero width space, word joiners, a BOM
inside text: the "Trojan Source" trick) are kept in the database as typed, so no partner
loses an answer, but never reach staff hidden: CSV and XLSX cells and staff pages show each
as "[U+202E]", and the JSON export writes each as a \\u escape (the text reads back exactly
as typed) (left27 #3). Joiners and the marks right-to-left text needs stay as they are."""

from __future__ import annotations

import csv
import io
import json

import pytest
from openpyxl import load_workbook
from sqlalchemy import select

from analysis.cells import safe_cell, shown_hidden, xlsx_cell
from consult.extensions import db
from consult.models import Answer, Response
from tests.helpers import make_consultation, soup
from tests.staff_helpers import signed_in
from tests.test_staff_data import add_response

pytestmark = pytest.mark.backends("sqlite", "postgresql")

# An answer reading "Fares are too high" on screen, whose hidden overrides reverse a word,
# with a zero width space, a word joiner and a BOM inside it.
TYPED = "Fares \u202eeert\u202c are \u2066too\u2069 hi\u200bgh\u2060\ufeff!"
SHOWN = "Fares [U+202E]eert[U+202C] are [U+2066]too[U+2069] hi[U+200B]gh[U+2060][U+FEFF]!"
# Text right-to-left scripts and emoji need: joiners and direction marks stay as typed.
KEPT = "שלום\u200f 👨\u200d👩\u200d👧 می\u200cخواهم \u061c"


def test_each_hidden_character_is_shown_and_others_kept():
    assert shown_hidden(TYPED) == SHOWN
    assert shown_hidden(KEPT) == KEPT
    assert shown_hidden("plain") == "plain"
    assert safe_cell(TYPED) == SHOWN and xlsx_cell(TYPED) == SHOWN
    # Shown first, then guarded: a formula behind a hidden character is still a formula.
    assert safe_cell("\u202e=1+1") == "[U+202E]=1+1"
    assert safe_cell("=1\u202e") == "'=1[U+202E]"
    assert safe_cell(KEPT) == KEPT and safe_cell(3) == 3 and safe_cell(None) is None


@pytest.fixture
def hidden(app):
    consultation = make_consultation()
    add_response(consultation, "WM-HID", TYPED, ["bus"], org="Trojan \u202eTrust")
    return consultation


WHY = "Q2: Why do you say that? (about Q1: Buses should be franchised)"


def test_the_database_keeps_the_answer_as_typed_and_exports_neutralise_it(app, hidden):
    assert db.session.scalar(select(Answer.value).where(Answer.value.like("Fares%"))) == TYPED
    client = signed_in(app, "analyst")
    url = f"/staff/consultations/{hidden.id}/export"
    text = client.get(f"{url}.csv").get_data(as_text=True).lstrip("\ufeff")
    (row,) = csv.DictReader(io.StringIO(text))
    assert row[WHY] == SHOWN and row["organisation"] == "Trojan [U+202E]Trust"
    assert "\u202e" not in text and "\u200b" not in text and "\ufeff" not in text
    book = load_workbook(io.BytesIO(client.get(f"{url}.xlsx").data))
    values = list(book["Responses"].iter_rows(values_only=True))
    (cells,) = [dict(zip(values[0], row, strict=True)) for row in values[1:]]
    assert cells[WHY] == SHOWN
    raw = client.get(f"{url}.json").get_data(as_text=True)
    assert "\u202e" not in raw and "\\u202e" in raw and "\\ufeff" in raw
    (record,) = json.loads(raw)["responses"]
    assert record[WHY] == TYPED  # read by a program: exactly as typed


def test_staff_pages_show_the_hidden_characters(app, hidden):
    client = signed_in(app, "analyst")
    response_id = db.session.scalar(select(Response.id))
    page = soup(client.get(f"/staff/responses/{response_id}"))
    main = page.find("main").get_text()
    assert SHOWN in main and "Trojan [U+202E]Trust" in main
    assert "\u202e" not in main
    listing = soup(client.get(f"/staff/consultations/{hidden.id}/responses"))
    assert "Trojan [U+202E]Trust" in listing.find(id="response-list").get_text()


def test_one_line_fields_drop_the_direction_controls_staff_pages_show():
    """The direction controls are listed once (analysis.cells.DIRECTION_CONTROLS): the one-line
    form fields drop exactly U+202A-U+202E and U+2066-U+2069, each of which staff pages show."""
    from analysis.cells import DIRECTION_CONTROLS, HIDDEN
    from consult.survey.forms import without_direction_controls

    controls = [*range(0x202A, 0x202F), *range(0x2066, 0x206A)]
    assert sorted(map(ord, DIRECTION_CONTROLS)) == controls
    assert all(HIDDEN.fullmatch(chr(point)) for point in controls)
    assert without_direction_controls(TYPED) == "Fares eert are too hi\u200bgh\u2060\ufeff!"
    assert without_direction_controls(KEPT) == KEPT
