"""The product's own CSV export, read back by consult-analyse: every cell exactly as typed
(issue 11: 29 cells of an export were mis-read by a guessed CSV dialect)."""

from __future__ import annotations

import csv
import io

from analysis.cli import main
from analysis.io import read_bytes
from tests.helpers import make_consultation
from tests.staff_helpers import signed_in
from tests.test_staff_data import add_response

WHY = "Q2: Why do you say that? (about Q1: Buses should be franchised)"
AWKWARD = [
    'We need "better buses", not more roads',
    '""',
    '"quoted from start to end"',
    "a, b; c\td | e",
    "two\nlines",
    "windows\r\nline end",
    "=1+1 looks like a formula",
    "'apostrophe first",
    'trailing quote"',
    "Café – “curly” £5 バス",
]


def test_own_csv_export_round_trips_through_the_command(app, tmp_path, capsys):
    consultation = make_consultation()
    expected = {}
    # Enough plain answers first that a sniffer's sample would hold no quotes at all.
    for index in range(400):
        text = f"Plain answer {index} about buses and trains in the evening"
        add_response(consultation, f"WM-{index:04d}", text, ["bus"])
        expected[f"WM-{index:04d}"] = text
    for index, text in enumerate(AWKWARD):
        add_response(consultation, f"WM-X{index:02d}", text, ["rail"], org=text)
        expected[f"WM-X{index:02d}"] = text
    client = signed_in(app, "analyst")
    export = client.get(f"/staff/consultations/{consultation.id}/export.csv")
    assert export.status_code == 200
    path = tmp_path / "export.csv"
    path.write_bytes(export.get_data())

    table = read_bytes(path.read_bytes(), path.name)
    read_back = dict(zip(table.column("reference"), table.column(WHY), strict=True))
    assert read_back == expected  # every cell, the awkward ones included, exactly as typed
    assert table.column("organisation")[-len(AWKWARD) :] == AWKWARD

    out = tmp_path / "out"
    args = ["themes", str(path), "--text-column", WHY, "--id-column", "reference"]
    assert main([*args, "--engine", "fast", "--quiet", "--out", str(out)]) == 0
    assert capsys.readouterr().err == ""
    with open(out / "assignments.csv", encoding="utf-8", newline="") as handle:
        ids = [row["id"] for row in csv.DictReader(handle)]
    assert sorted(ids) == sorted(expected)


def test_own_csv_export_is_rfc_4180(app):
    """The export the round trip relies on: csv.writer defaults (doubled quotes, CRLF)."""
    consultation = make_consultation()
    add_response(consultation, "WM-1", AWKWARD[0], ["bus"])
    client = signed_in(app, "analyst")
    text = client.get(f"/staff/consultations/{consultation.id}/export.csv").get_data(as_text=True)
    rows = list(csv.reader(io.StringIO(text.lstrip("\ufeff"), newline="")))
    assert '"We need ""better buses"", not more roads"' in text
    assert rows[1][rows[0].index(WHY)] == AWKWARD[0]
