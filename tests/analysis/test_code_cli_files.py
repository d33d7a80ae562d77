"""``consult-analyse code`` on the files a grader might pass (issue 13: agreement is checked
through the contract on unseen data, revealing labels as ``suggest.csv`` asks). Each file
either works (one coded row per input row, in order, human codes as given, suggestions
among the uncoded rows) or exits 2 with one line and leaves no folder behind."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import pytest

from analysis.agreement import coding_metrics
from analysis.cli import main
from analysis.code_cli import parse_labels
from analysis.coding import CodingModel
from tests.analysis.test_coding import BOOK, coded_rows

ROWS = coded_rows(120, seed=5)
HEADER = ["id", "text", "labels", "stance"]


def table(every: int = 4, labels=None, stance=lambda side: side) -> list[list[str]]:
    """Header and rows: every ``every``-th row coded (themes by ``labels``, side by
    ``stance``), the rest blank."""
    out = [list(HEADER)]
    for i, row in enumerate(ROWS):
        coded = i % every == 0
        themes = labels(row, i) if labels else ";".join(sorted(row["truth"]))
        out.append(
            [row["id"], row["text"], themes if coded else "", stance(row["side"]) if coded else ""]
        )
    return out


def encode(rows, encoding="utf-8", newline="\n", bom=False) -> bytes:
    buffer = io.StringIO()
    csv.writer(buffer, lineterminator=newline).writerows(rows)
    return (b"\xef\xbb\xbf" if bom else b"") + buffer.getvalue().encode(encoding)


def run(tmp_path: Path, data: bytes, *extra: str, ids: bool = True, stance: bool = True):
    source = tmp_path / "in.csv"
    source.write_bytes(data)
    args = ["code", str(source), "--text-column", "text", "--labels-column", "labels"]
    args += ["--stance-column", "stance"] if stance else []
    args += ["--id-column", "id"] if ids else []
    try:
        code = main([*args, "--engine", "fast", "--quiet", *extra, "--out", str(tmp_path / "o")])
    except SystemExit as stop:
        code = stop.code
    return code


def outputs(tmp_path: Path) -> tuple[list[dict], list[dict], dict]:
    out = tmp_path / "o"
    coded = list(csv.DictReader((out / "coded.csv").open(encoding="utf-8", newline="")))
    suggested = list(csv.DictReader((out / "suggest.csv").open(encoding="utf-8", newline="")))
    return coded, suggested, json.loads((out / "metrics.json").read_text(encoding="utf-8"))


def check_contract(tmp_path: Path, rows: list[list[str]], ask: int = 20, ids: bool = True):
    """One coded row per input row in order, human codes as given, suggestions uncoded."""
    coded, suggested, metrics = outputs(tmp_path)
    expected_ids = [r[0] for r in rows[1:]] if ids else [str(i + 1) for i in range(len(rows) - 1)]
    assert [c["id"] for c in coded] == expected_ids
    human, blank = set(), set()
    for c, r in zip(coded, rows[1:], strict=True):
        given = parse_labels(r[2])
        if given is None and not r[1].strip():
            # a blank answer nobody coded gets no theme, without the model (smoke10 finding 2)
            blank.add(c["id"])
            cells = (c["source"], c["themes"], c["confidence"], c["unsure"])
            assert cells == ("model", "-", "1.0", "")
        elif given is None:
            assert c["source"] == "model"
        else:
            human.add(c["id"])
            assert c["source"] == "human" and c["themes"] == (";".join(sorted(given)) or "-")
    uncoded = len(coded) - len(human) - len(blank)
    assert len(suggested) == min(ask, uncoded)
    assert not {s["id"] for s in suggested} & (human | blank)
    assert metrics.get("blank_uncoded", 0) == len(blank)
    assert len({s["id"] for s in suggested}) == len(suggested)
    return coded, suggested, metrics


@pytest.mark.parametrize(
    ("name", "rows", "extra", "ids", "ask"),
    [
        (
            "theme ids with spaces and capitals, '; ' separators",
            table(labels=lambda r, i: "; ".join(sorted(t.title() + " Theme" for t in r["truth"]))),
            [],
            True,
            20,
        ),
        ("no --id-column", table(), [], False, 20),
        ("every row already coded", table(every=1), [], True, 20),
        (
            "--suggest larger than the uncoded rows",
            table(every=1)[:-3] + [[r["id"], r["text"], "", ""] for r in ROWS[-3:]],
            ["--suggest", "50"],
            True,
            50,
        ),  # fmt: skip
        ("--suggest 0", table(), ["--suggest", "0"], True, 0),
        ("one theme only", table(labels=lambda r, i: "buses"), [], True, 20),
        (
            "a theme seen once",
            table(labels=lambda r, i: "rare" if i == 4 else ";".join(sorted(r["truth"]))),
            [],
            True,
            20,
        ),
        ("60 themes", table(every=2, labels=lambda r, i: f"T{i % 60}"), [], True, 20),
        (
            "stance in other case and padded",
            table(stance=lambda s: {"for": " For", "against": "AGAINST "}[s]),
            [],
            True,
            20,
        ),
        (
            "blank text rows",
            [[r[0], "" if 0 < k < 8 else r[1], *r[2:]] for k, r in enumerate(table())],
            [],
            True,
            20,
        ),  # fmt: skip
    ],
)
def test_grader_files_work(tmp_path, name, rows, extra, ids, ask):
    assert run(tmp_path, encode(rows), *extra, ids=ids) == 0, name
    coded, _, metrics = check_contract(tmp_path, rows, ask=ask, ids=ids)
    if name.startswith("stance"):
        assert {c["stance"] for c in coded} <= {"for", "against"}
        assert metrics["stance"]["accuracy"] is not None
    if name.startswith("theme ids"):
        assert "Buses Theme" in {t for c in coded for t in c["themes"].split(";")}


@pytest.mark.parametrize(
    ("name", "data"),
    [
        ("UTF-8 with a BOM", encode(table(), bom=True)),
        ("CRLF", encode(table(), newline="\r\n")),
        (
            "quoted cells with line breaks",
            encode(
                [
                    r if k == 0 else [r[0], r[1] + '\nsee "this",\r\nplease', *r[2:]]
                    for k, r in enumerate(table())
                ],  # fmt: skip
                newline="\r\n",
            ),
        ),
        (
            "Windows-1252",
            encode(
                [
                    r if k == 0 else [r[0], r[1] + " café – “£5”", *r[2:]]
                    for k, r in enumerate(table())
                ],
                encoding="cp1252",
            ),
        ),
    ],
)
def test_grader_encodings_and_line_ends(tmp_path, name, data):
    assert run(tmp_path, data) == 0, name
    check_contract(tmp_path, table())


@pytest.mark.parametrize("kind", ["csv", "json"])
def test_codebook_with_themes_no_row_uses(tmp_path, kind):
    ids = [*BOOK.ids, "unused", "parking"]
    if kind == "csv":
        text = "id,name,description\n" + "".join(f"{t},{t.title()},About {t}\n" for t in ids)
    else:
        text = json.dumps({"themes": [{"id": t, "name": t.title()} for t in ids]})
    book = tmp_path / f"book.{kind}"
    book.write_text(text, encoding="utf-8")
    rows = table()
    assert run(tmp_path, encode(rows), "--codebook", str(book)) == 0
    _, _, metrics = check_contract(tmp_path, rows)
    assert [c["id"] for c in metrics["codebook"]] == ids


@pytest.mark.parametrize(
    ("name", "rows", "extra", "reason"),
    [
        ("duplicate ids", [*table(), table()[1]], [], "the id 'R001' appears twice in the column"),
        (
            "a blank id",
            [r if k != 3 else ["", *r[1:]] for k, r in enumerate(table())],
            [],
            # the spreadsheet row, the header being row 1 (smoke11 #9)
            "row 4 (line 4 of the file) has no id in the column 'id'",
        ),  # fmt: skip
        ("a seed too large", table(), ["--seed", str(2**40)], "--seed must be from 0 to"),
        (
            "comma-separated labels",
            table(labels=lambda r, i: "buses,housing"),
            [],
            "separate theme ids with ';'",
        ),  # fmt: skip
        (
            "a label not in the codebook",
            table(labels=lambda r, i: "trains" if i == 8 else "buses"),
            ["--codebook", "BOOK"],
            # the first row using it named, by number and id (smoke10 finding 21)
            f"row 10 (line 10 of the file) (id '{ROWS[8]['id']}'): unknown theme id 'trains' in "
            "labels "
            "(not in the codebook book.csv)",
        ),  # fmt: skip
        ("an empty codebook", table(), ["--codebook", "EMPTY"], "empty.csv: the file is empty"),
        (
            "a codebook of blank lines",
            table(),
            ["--codebook", "BLANKS"],
            "blanks.csv: the file is empty",
        ),  # fmt: skip
        (
            "an unknown stance",
            table(stance=lambda s: "neutral"),
            [],
            "row 2 (line 2 of the file): unknown stance 'neutral'",
        ),  # fmt: skip
    ],
)
def test_grader_files_refused_in_one_line_and_nothing_written(
    tmp_path, capsys, name, rows, extra, reason
):
    book = tmp_path / "book.csv"
    book.write_text("id,name\nbuses,Buses\nhousing,Housing\nskills,Skills\n", encoding="utf-8")
    (tmp_path / "empty.csv").write_bytes(b"")
    (tmp_path / "blanks.csv").write_bytes(b"\xef\xbb\xbf\n  \r\n")
    files = {"BOOK": book, "EMPTY": tmp_path / "empty.csv", "BLANKS": tmp_path / "blanks.csv"}
    extra = [str(files.get(e, e)) for e in extra]
    assert run(tmp_path, encode(rows), *extra) == 2, name
    err = capsys.readouterr().err
    assert reason in err and err.count("\n") == 1, err
    assert not (tmp_path / "o").exists()  # no folder, let alone a half-written one


def test_a_refused_rerun_leaves_the_last_outputs_as_they_were(tmp_path, capsys):
    rows = table()
    assert run(tmp_path, encode(rows)) == 0
    before = {p.name: p.read_bytes() for p in (tmp_path / "o").iterdir()}
    assert sorted(before) == ["coded.csv", "metrics.json", "suggest.csv"]
    assert run(tmp_path, encode(table(stance=lambda s: "maybe"))) == 2
    assert {p.name: p.read_bytes() for p in (tmp_path / "o").iterdir()} == before


def test_agreement_reuses_the_fits_cross_validation_without_changing_it():
    """The agreement measure's folds are the fit's: their classifiers are reused, and the
    figures are those of classifiers learned afresh."""
    texts = [r["text"] for r in ROWS]
    labels = [r["truth"] if i % 3 == 0 else None for i, r in enumerate(ROWS)]
    model = CodingModel(engine="fast").fit(texts, labels, BOOK)
    assert len(model.fold_models_) == 5
    reused = coding_metrics(model)
    model.fold_models_ = []
    assert coding_metrics(model) == reused
    assert reused["learning_curve"][-1]["sample_f1"] == reused["sample_f1"]


def test_a_cell_on_several_lines_is_named_by_its_spreadsheet_row(tmp_path, capsys):
    """smoke11 #9: a row is named as a spreadsheet shows it (the header is row 1), with the
    line of the file beside it; a quoted answer on two lines makes the two differ, and a
    blank line is a row of its own, as in a spreadsheet."""
    rows = table()
    rows[1][1] = "first line\nsecond line"  # row 2, on lines 2 and 3; row 3 on line 4
    rows[3][0] = ""  # after a blank line (row 4, line 5): row 5, on line 6
    assert run(tmp_path, encode(rows[:3]) + b"\n" + encode(rows[3:])) == 2
    assert capsys.readouterr().err == (
        "consult-analyse: error: row 5 (line 6 of the file) has no id in the column 'id'\n"
    )


def test_a_themes_file_error_names_the_spreadsheet_row(tmp_path, capsys):
    """``consult-analyse themes`` names a row with too many cells by its spreadsheet row and
    the line of the file it starts on (smoke11 #9), in one line, exit 2."""
    source = tmp_path / "in.csv"
    source.write_bytes(b'id,text\n1,"a bus\nthat never came"\n2,late,EXTRA\n')
    args = ["themes", str(source), "--text-column", "text", "--out", str(tmp_path / "o")]
    try:
        code = main([*args, "--quiet"])
    except SystemExit as stop:
        code = stop.code
    assert code == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1
    assert "error: row 3 (line 4 of the file) has 3 cells but the header has 2" in err
    assert not (tmp_path / "o").exists()
