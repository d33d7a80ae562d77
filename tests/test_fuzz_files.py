"""Fuzzing the file readers (a small seeded share; bench/fuzz_files.py runs thousands): every
generated CSV, JSONL, XLSX or arbitrary file is read or refused with the project's own
one-line error, never any other exception; any table csv.writer or openpyxl writes reads back
exactly; the web import parsers (organisations, consultation definitions) never raise."""

from __future__ import annotations

import copy
import csv
import io
import json

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from analysis.io import read_bytes, unguard
from consult.definitions import DefinitionError, import_definition
from consult.extensions import db
from consult.invitations import parse_organisations
from tests import file_fuzz, hostile_files
from tests.test_definition_import import GOOD

SEEDED = settings(
    derandomize=True,
    deadline=None,
    database=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
)


@settings(SEEDED, max_examples=60)
@given(file_fuzz.csv_files())
def test_generated_csv_is_read_or_refused(case):
    file_fuzz.outcome(*case)


@settings(SEEDED, max_examples=60)
@given(file_fuzz.raw_files())
def test_arbitrary_bytes_are_read_or_refused(case):
    file_fuzz.outcome(*case)


@settings(SEEDED, max_examples=60)
@given(file_fuzz.jsonl_files())
def test_generated_jsonl_is_read_or_refused(case):
    file_fuzz.outcome(*case)


@settings(SEEDED, max_examples=30)
@given(file_fuzz.xlsx_files())
def test_generated_xlsx_is_read_or_refused(case):
    file_fuzz.outcome(*case)


def _plain(text: str) -> bool:
    """A cell that reads back unchanged: no NUL and not a formula guard to undo."""
    return "\x00" not in text and unguard(text) == text


cells = file_fuzz.cell_text.filter(_plain)


@settings(SEEDED, max_examples=60)
@given(st.integers(2, 4).flatmap(lambda w: st.lists(st.lists(cells, min_size=w, max_size=w))))
def test_any_rfc_4180_table_reads_back_exactly(rows):
    """No dialect guess can split or merge a cell of what csv.writer wrote."""
    rows = [row for row in rows if any(v.strip() for v in row)]
    width = len(rows[0]) if rows else 2
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow([f"c{i}" for i in range(width)])
    writer.writerows(rows)
    data = buffer.getvalue().encode("utf-8")
    if not rows:
        return
    table = read_bytes(data, "a.csv")
    assert [[row[f"c{i}"] for i in range(width)] for row in table.rows] == rows


def _xml_safe(text: str) -> bool:
    return all(c in "\t\n\r" or " " <= c < "\ufffe" for c in text) and "\r" not in text


@settings(SEEDED, max_examples=15)
@given(st.lists(st.lists(cells.filter(_xml_safe), min_size=2, max_size=2), min_size=1, max_size=4))
def test_any_workbook_of_text_reads_back_exactly(rows):
    rows = [row for row in rows if any(v.strip() for v in row)]
    if not rows:
        return
    table = read_bytes(hostile_files.xlsx_bytes([["a", "b"], *rows]), "a.xlsx")
    assert [[row["a"], row["b"]] for row in table.rows] == rows


@pytest.mark.backends("sqlite", "postgresql")
@settings(SEEDED, max_examples=40)
@given(case=file_fuzz.organisation_uploads)
def test_organisations_upload_parser_never_raises(app, case):
    result = parse_organisations(*case)
    assert result.problems or result.organisations
    assert all(problem and len(problem) < 5000 for problem in result.problems)
    db.session.rollback()


def _paths(value, prefix=()):
    """Every place in a JSON document, as a tuple of keys and indexes."""
    yield prefix
    if isinstance(value, dict):
        for key, child in value.items():
            yield from _paths(child, (*prefix, key))
    elif isinstance(value, list):
        for index, child in enumerate(value):
            yield from _paths(child, (*prefix, index))


PLACES = list(_paths(GOOD))[1:]


@pytest.mark.backends("sqlite", "postgresql")
@settings(SEEDED, max_examples=60)
@given(changes=st.lists(st.tuples(st.sampled_from(PLACES), file_fuzz.json_values), max_size=3))
def test_definition_import_never_raises_anything_else(app, changes):
    definition = copy.deepcopy(GOOD)
    for place, value in changes:
        target = definition
        try:
            for key in place[:-1]:
                target = target[key]
            target[place[-1]] = value
        except (KeyError, IndexError, TypeError):
            continue  # an earlier change replaced this place's parent
    try:
        consultation = import_definition(json.dumps(definition))
        db.session.flush()  # the database accepts every value that passed validation
        assert consultation.id
    except DefinitionError as error:
        assert error.problems and all(error.problems)
    finally:
        db.session.rollback()


_json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(),
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(), inner, max_size=4),
    max_leaves=12,
)


@settings(SEEDED, max_examples=80)
@given(
    st.one_of(
        st.binary(max_size=200),
        _json_values.map(lambda v: json.dumps(v).encode()),
        st.dictionaries(st.sampled_from(["responses", "metadata", "x"]), _json_values).map(
            lambda v: json.dumps(v).encode()
        ),
    )
)
def test_a_json_upload_is_read_as_the_own_export_or_refused(data):
    """A .json upload (read only as this service's own JSON export) gives its records or the
    project's one-line error, never another exception."""
    from analysis.errors import InputError
    from consult.imports import own_json_rows

    try:
        records = own_json_rows(data)
    except InputError as error:
        assert str(error) and "\n" not in str(error)
    else:
        assert records and all(isinstance(r, dict) for r in records)
