"""A ``.json`` file: an array of records, or this service's own responses export (smoke7
finding 12: the CLI read the app's own JSON export as a CSV and blamed a double quote)."""

from __future__ import annotations

import csv
import json

import pytest

from analysis.cli import main
from analysis.errors import InputError
from analysis.io import (
    JSON_FILE_WORDS,
    JSON_SHAPES,
    JsonWords,
    json_lines,
    load_json,
    read_table,
    records_as_json_lines,
)
from analysis.limits import MAX_JSON_DEPTH

pytestmark = pytest.mark.coding_encoder

RECORDS = [
    {"reference": "WM-1", "organisation": "Café Ltd", "answer": "Buses – too few"},
    {"reference": "WM-2", "organisation": "Dudley College", "answer": "Skills", "extra": 3},
]


def own_export(path, records):
    """The shape ``consult.exports.write_json`` writes: one record a line inside a wrapper."""
    lines = ",\n".join(json.dumps(r, ensure_ascii=False) for r in records)
    meta = json.dumps({"format": "consult.responses/2", "counts": {"responses": len(records)}})
    path.write_text(f'{{\n"responses": [\n{lines}\n],\n"metadata": {meta}\n}}\n', "utf-8")
    return path


def test_own_export_reads_as_its_records(tmp_path):
    table = read_table(own_export(tmp_path / "export.json", RECORDS))
    assert table.columns == ["reference", "organisation", "answer", "extra"]
    assert table.column("answer") == ["Buses – too few", "Skills"]
    assert table.column("extra") == ["", "3"]
    assert len(table.sha256) == 64


def test_array_of_records_and_json_lines_named_json(tmp_path):
    array = tmp_path / "array.json"
    array.write_text(json.dumps(RECORDS), "utf-8")
    lines = tmp_path / "lines.json"
    lines.write_text("\n".join(json.dumps(r) for r in RECORDS), "utf-8")
    for path in (array, lines):
        assert read_table(path).column("organisation") == ["Café Ltd", "Dudley College"]


def test_own_json_export_matches_own_csv_export(tmp_path):
    """The same responses exported both ways read as the same table."""
    own_export(tmp_path / "e.json", [{k: str(v) for k, v in r.items()} for r in RECORDS])
    with open(tmp_path / "e.csv", "w", newline="", encoding="utf-8") as out:
        writer = csv.DictWriter(out, ["reference", "organisation", "answer", "extra"])
        writer.writeheader()
        writer.writerows(RECORDS)
    from_json, from_csv = read_table(tmp_path / "e.json"), read_table(tmp_path / "e.csv")
    assert from_json.columns == from_csv.columns
    for column in from_csv.columns:
        assert from_json.column(column) == from_csv.column(column)


@pytest.mark.parametrize(
    "text, reason",
    [
        ('{"a": 1}', JSON_SHAPES),
        ("[1, 2]", JSON_SHAPES),
        ('{"responses": {"a": 1}}', JSON_SHAPES),
        ('[{"a": 1},\n', "the file is not valid JSON (line 2)"),
        ('[{"a": 1, "a": 2}]', "the JSON file has the key 'a' twice"),
        ("[]", "the file has a header but no rows"),
        ("[" * 5000 + "]" * 5000, "the JSON file nests lists or objects more than"),
    ],
)
def test_bad_json_has_one_reason(tmp_path, text, reason):
    path = tmp_path / "bad.json"
    path.write_text(text, "utf-8")
    with pytest.raises(InputError) as error:
        read_table(path)
    assert str(error.value).startswith(reason)


def test_cli_themes_reads_own_json_export(tmp_path, capsys):
    records = [
        {"reference": f"WM-{i}", "answer": text}
        for i, text in enumerate(
            ["Buses are late every evening", "Trains are too expensive for staff"] * 10
        )
    ]
    source = own_export(tmp_path / "export.json", records)
    assert (
        main(["themes", str(source), "--text-column", "answer", "--out", str(tmp_path / "o")]) == 0
    )
    with open(tmp_path / "o" / "assignments.csv", encoding="utf-8") as handle:
        assert len(list(csv.DictReader(handle))) == 20


def test_cli_refuses_other_json_with_exit_2(tmp_path, capsys):
    source = tmp_path / "other.json"
    source.write_text('{"data": [{"answer": "x"}]}', "utf-8")
    code = main(["themes", str(source), "--text-column", "answer", "--out", str(tmp_path / "o")])
    assert code == 2
    assert "a JSON file is read as an array of objects" in capsys.readouterr().err
    assert not (tmp_path / "o").exists()


# --- the one JSON parser and its words (shared by the JSON Lines and JSON readers and the
# workspace's import of its own export, consult.imports.own_json_rows) ---------------------


@pytest.mark.parametrize(
    "text, plain, file_words",
    [
        (
            '{"a": 1, "a": 2}',
            "line 3 has the key 'a' twice",
            "the JSON file has the key 'a' twice",
        ),
        ('{"a": 1,\n', "line 3 is not valid JSON", "the file is not valid JSON (line 2)"),
        (
            "[" * 5000 + "]" * 5000,
            f"line 3 nests lists or objects more than {MAX_JSON_DEPTH} deep",
            f"the JSON file nests lists or objects more than {MAX_JSON_DEPTH} deep",
        ),
    ],
)
def test_load_json_words_its_refusals_as_each_reader_does(text, plain, file_words):
    """The JSON Lines reader's words by default, the ``.json`` reader's with its words."""
    with pytest.raises(InputError) as error:
        load_json(text, "line 3")
    assert str(error.value) == plain
    with pytest.raises(InputError) as error:
        load_json(text, "the JSON file", JSON_FILE_WORDS)
    assert str(error.value) == file_words


def test_load_json_takes_other_words_and_keeps_a_key_as_written():
    words = JsonWords(twice="{subject}: ‘{key}’ twice", invalid="{subject}: no{where}")
    with pytest.raises(InputError) as error:
        load_json('{"{x}": 1, "{x}": 2}', "this", words)
    assert str(error.value) == "this: ‘{x}’ twice"
    with pytest.raises(InputError) as error:
        load_json("nope", "this", words)
    assert str(error.value) == "this: no (line 1)"
    assert load_json('{"a": [1, {"b": null}]}', "this") == {"a": [1, {"b": None}]}


def test_json_lines_and_records_as_json_lines():
    """Two lines each an object are JSON Lines; one object, or an array, is not. Records
    written as JSON Lines read back as the same records."""
    assert json_lines('{"a": 1}\n\n{"b": 2}\n')
    assert not json_lines('{"a": 1}\n')
    assert not json_lines('[{"a": 1},\n{"b": 2}]')
    data = records_as_json_lines(RECORDS)
    assert [json.loads(line) for line in data.decode("utf-8").split("\n")] == RECORDS
    assert "Café".encode() in data


def test_a_lone_surrogate_in_a_json_file_reads_as_a_replacement_character(tmp_path):
    """``"\\ud800"`` in a ``.json`` file's records raised UnicodeEncodeError (the records
    are written back as JSON Lines in UTF-8); in a ``.jsonl`` file it was read already."""
    assert records_as_json_lines([{"a\ud800": "b\udfff"}]) == b'{"a\\ud800": "b\\udfff"}'
    path = tmp_path / "odd.json"
    path.write_text('[{"answer": "Fares \\ud800", "n\\udc00": "x"}]', "utf-8")
    table = read_table(path)
    assert table.column("answer") == ["Fares \ufffd"] and table.columns[1] == "n\ufffd"
