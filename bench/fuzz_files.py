"""Fuzz the file readers with thousands of generated files; count what was read, what was
refused with a clear error, and anything else (which must be none). Also time the hostile
spreadsheets of issue 11 against a plain two-row workbook read in the same process.

    PYTHONPATH=. .venv/bin/python bench/fuzz_files.py [--examples 1000] [--seed 11] [--write]

Readers: analysis.io.read_bytes (CSV, JSONL, XLSX, arbitrary bytes; what consult-analyse and
the web imports use), round trips of csv.writer tables, the organisations upload parser and
the consultation definition importer (on a throwaway SQLite database).
"""

from __future__ import annotations

import argparse
import copy
import csv
import io
import json
import os
import resource
import statistics
import sys
import tempfile
import time
import traceback
from collections import Counter
from pathlib import Path

from hypothesis import HealthCheck, given, seed, settings
from hypothesis import strategies as st

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.common import data_dir, machine, write_section  # noqa: E402
from tests import file_fuzz, hostile_files  # noqa: E402

SECTION = "fuzz-files"


def fuzz(strategy, check, examples: int, seed_value: int) -> tuple[Counter, list[str], float]:
    """Run ``check`` on ``examples`` generated cases; unexpected exceptions are counted and
    kept (not raised), so one run reports them all."""
    counts: Counter = Counter()
    failures: list[str] = []

    @settings(
        max_examples=examples,
        deadline=None,
        database=None,
        suppress_health_check=list(HealthCheck),
    )
    @seed(seed_value)
    @given(strategy)
    def run(case):
        try:
            counts[check(case)] += 1
        except Exception as error:  # the thing being counted
            counts["unexpected"] += 1
            if len(failures) < 5:
                failures.append(
                    f"{type(error).__name__}: {error!s:.200} "
                    f"({traceback.extract_tb(error.__traceback__)[-1].name})"
                )

    started = time.perf_counter()
    run()
    return counts, failures, time.perf_counter() - started


def _round_trip(rows) -> str:
    from analysis.io import read_bytes

    rows = [row for row in rows if any(v.strip() for v in row)]
    if not rows:
        return "skipped"
    width = len(rows[0])
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow([f"c{i}" for i in range(width)])
    writer.writerows(rows)
    table = read_bytes(buffer.getvalue().encode("utf-8"), "a.csv")
    read = [[row[f"c{i}"] for i in range(width)] for row in table.rows]
    if read != rows:
        raise AssertionError("a cell changed on the way back")
    return "read exactly"


def web_checks(folder: str):
    """The organisations parser and the definition importer, inside an app on SQLite."""
    os.environ["CONSULT_INSTANCE_PATH"] = folder
    from flask_migrate import upgrade

    from consult import create_app
    from consult.definitions import DefinitionError, import_definition
    from consult.extensions import db
    from consult.invitations import parse_organisations
    from tests.test_definition_import import GOOD
    from tests.test_fuzz_files import PLACES

    app = create_app({"DATABASE_URL": f"sqlite:///{folder}/fuzz.sqlite"})
    context = app.app_context()
    context.push()
    upgrade()

    def organisations(case) -> str:
        result = parse_organisations(*case)
        db.session.rollback()
        if not (result.problems or result.organisations):
            raise AssertionError("neither organisations nor problems")
        return "refused" if result.problems else "read"

    def definition(changes) -> str:
        document = copy.deepcopy(GOOD)
        for place, value in changes:
            target = document
            try:
                for key in place[:-1]:
                    target = target[key]
                target[place[-1]] = value
            except (KeyError, IndexError, TypeError):
                continue
        try:
            import_definition(json.dumps(document))
            db.session.flush()
            return "read"
        except DefinitionError:
            return "refused"
        finally:
            db.session.rollback()

    changes = st.lists(st.tuples(st.sampled_from(PLACES), file_fuzz.json_values), max_size=3)
    return context, [
        (
            "Organisations upload parser (organisation tables, any file)",
            file_fuzz.organisation_uploads,
            organisations,
        ),
        ("Definition importer (GOOD with 0-3 values replaced)", changes, definition),
    ]


def hostile_timings(repeat: int) -> list[tuple[str, int, float, str]]:
    """(file, bytes, median seconds, outcome) for each hostile spreadsheet."""
    from analysis.errors import InputError
    from analysis.io import read_bytes

    files = [
        ("Plain two-row workbook (baseline)", hostile_files.xlsx_bytes([["id", "a"], [1, "x"]])),
        ("Declares A1:XFD1048576, holds 2 rows", hostile_files.declared_everything()),
        ("2,000,000 rows (stops at MAX_ROWS)", hostile_files.many_rows(2_000_000)),
        ("One 1 GB cell", hostile_files.huge_cell(1 << 30, 1 << 20)),
        ("Zip part lying about its size", hostile_files.lying_bomb()),
        ("Value in column XFD", hostile_files.far_cell("XFD2")),
        ("Cell at row 1,048,576", hostile_files.far_cell("B1048576")),
    ]
    results = []
    for label, data in files:
        seconds = []
        outcome = ""
        for _ in range(repeat if len(data) < 100_000 or "2,000,000" not in label else 1):
            started = time.perf_counter()
            try:
                table = read_bytes(data, "x.xlsx")
                outcome = f"read, {len(table.rows)} rows"
            except InputError as error:
                outcome = f"refused: {error}"
            seconds.append(time.perf_counter() - started)
        results.append((label, len(data), statistics.median(seconds), outcome))
    return results


def real_datasets() -> list[tuple[str, int, int, int]]:
    """(file, rows read, rows csv.reader gives, cells that differ) for each shared CSV: the
    readers must agree with Python's RFC 4180 reader cell for cell."""
    from analysis.io import read_table

    found = []
    for path in sorted(data_dir().rglob("*.csv")):
        table = read_table(path)
        with open(path, encoding="utf-8-sig", newline="") as handle:
            header, *records = [r for r in csv.reader(handle) if any(v.strip() for v in r)]
        differing = sum(
            1
            for row, record in zip(table.rows, records, strict=False)
            for column, value in zip(header, record, strict=False)
            if row.get(column.strip(), "") != value
        )
        found.append((str(path.relative_to(data_dir())), len(table.rows), len(records), differing))
    return found


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--examples", type=int, default=1000, help="files per generator")
    parser.add_argument("--seed", type=int, default=11)
    parser.add_argument("--repeat", type=int, default=5, help="reads of each hostile file")
    parser.add_argument("--write", action="store_true", help="write to BENCHMARKS.md")
    args = parser.parse_args()
    cells = file_fuzz.cell_text.filter(lambda t: "\x00" not in t and not t.startswith("'"))
    generators = [
        ("CSV (written in 4 dialects, 7 encodings, some damaged)", file_fuzz.csv_files(), None),
        ("JSONL (any values, non-objects, nesting to 3,000)", file_fuzz.jsonl_files(), None),
        ("XLSX (random workbooks, odd cells and rows, damage)", file_fuzz.xlsx_files(), None),
        ("Arbitrary bytes as .csv/.jsonl/.xlsx/none", file_fuzz.raw_files(), None),
        (
            "CSV round trip: csv.writer table read back exactly",
            st.integers(2, 4).flatmap(
                lambda w: st.lists(st.lists(cells, min_size=w, max_size=w), max_size=8)
            ),
            _round_trip,
        ),
    ]
    rows = []
    total = Counter()
    failures_all = []
    with tempfile.TemporaryDirectory() as folder:
        context, web = web_checks(folder)
        try:
            for label, strategy, check in [*generators, *web]:
                check = check or (lambda case: file_fuzz.outcome(*case))
                counts, failures, seconds = fuzz(strategy, check, args.examples, args.seed)
                rows.append((label, counts, seconds))
                total.update(counts)
                failures_all.extend(f"{label}: {f}" for f in failures)
                print(f"{label}: {dict(counts)} in {seconds:.1f}s", flush=True)
        finally:
            context.pop()
    for failure in failures_all:
        print("UNEXPECTED", failure)
    timings = hostile_timings(args.repeat)
    for label, size, seconds, outcome in timings:
        print(f"{label}: {size:,} bytes, {seconds * 1000:.1f} ms, {outcome}")
    datasets = real_datasets()
    for name, read, expected, differing in datasets:
        print(f"{name}: {read:,} rows read, csv.reader {expected:,}, cells differing {differing}")
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    files = sum(sum(c.values()) for _, c, _ in rows)
    print(f"{files:,} files; unexpected: {total['unexpected']}; peak RSS {peak:,.0f} MB")
    if args.write:
        lines = [
            "## Fuzzing of file readers (bench/fuzz_files.py)",
            "",
            f"Command: `PYTHONPATH=. .venv/bin/python bench/fuzz_files.py --examples "
            f"{args.examples} --seed {args.seed} --repeat {args.repeat} --write`. "
            f"Machine: {machine()}; "
            "taken under load (the machine is shared by up to 9 people).",
            "",
            "Each file must be read, or refused with the readers' own one-line error "
            "(InputError, DefinitionError, a problem listed on the upload page); anything "
            "else counts as unexpected. `make test` runs a seeded share of the same "
            "generators (tests/test_fuzz_files.py). The first full run found 2 unexpected "
            "failures among the XLSX files (zipfile's NotImplementedError for a damaged version "
            "byte), since refused as an invalid zip and covered by a regression test.",
            "",
            "| Generator | Files | Read | Refused clearly | Unexpected | Seconds |",
            "|---|---:|---:|---:|---:|---:|",
        ]
        for label, counts, seconds in rows:
            read = counts["read"] + counts["read exactly"]
            lines.append(
                f"| {label} | {sum(counts.values()):,} | {read:,} | {counts['refused']:,} "
                f"| {counts['unexpected']} | {seconds:.0f} |"
            )
        lines += [
            f"| **All** | **{files:,}** | | | **{total['unexpected']}** | |",
            "",
            "Hostile spreadsheets (issue 11), median of up to "
            f"{args.repeat} reads in the same process; peak RSS of the whole run "
            f"{peak:,.0f} MB:",
            "",
            "| File | Bytes | Median ms | Ratio to baseline | Outcome |",
            "|---|---:|---:|---:|---|",
        ]
        baseline = timings[0][2]
        for label, size, seconds, outcome in timings:
            lines.append(
                f"| {label} | {size:,} | {seconds * 1000:,.1f} | {seconds / baseline:,.1f}x "
                f"| {outcome} |"
            )
        lines.append(
            "\nBefore the limits: the declared sheet pinned a CPU for about 30 minutes, 2 million "
            "rows took 74 s and 1.4 GB, and the 1 GB cell took 4.4 GB and was accepted "
            "(issue 11's figures). Reading inline-string rows runs at roughly 7,000-10,000 rows "
            "a second here, so the 2 million row file stops at MAX_ROWS after 20-30 s; under "
            "heavier load it stops at MAX_READ_SECONDS (60 s) instead, with its own message."
        )
        lines += [
            "",
            "The shared datasets (`../shared/data`), read by `analysis.io` and by Python's "
            "`csv.reader` (RFC 4180) in the same process; the reader before this change (a "
            "sniffed dialect) shifted cells in 21 rows of banking77_train.csv and read "
            "nhs_fft_phase1.csv as 10,336 rows instead of 10,334, 5,412 of them differing "
            "(measured once with the old `analysis/io.py` from git):",
            "",
            "| File | Rows read | Rows by csv.reader | Cells differing |",
            "|---|---:|---:|---:|",
            *(f"| {n} | {r:,} | {e:,} | {d} |" for n, r, e, d in datasets),
        ]
        write_section(SECTION, "\n".join(lines))
    if total["unexpected"]:
        sys.exit(1)


if __name__ == "__main__":
    main()
