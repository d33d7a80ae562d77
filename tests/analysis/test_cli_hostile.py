"""consult-analyse on hostile and careless input: exit code 2 and one line saying why, or the
file read exactly (issue 11, section 3). Run through analysis.cli.main with the real streams
captured, and through a real subprocess where warnings or the whole process matter."""

from __future__ import annotations

import csv
import json
import os
import subprocess
import sys

import pytest

from analysis.cli import main
from tests import hostile_files as hostile
from tests.analysis.fixtures import responses, write_csv

pytestmark = pytest.mark.coding_encoder

CLI = [sys.executable, "-m", "analysis.cli"]


def run(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [*CLI, "themes", *args], capture_output=True, text=True, env=os.environ, timeout=300
    )


@pytest.fixture
def cli(capsys):
    """Run ``consult-analyse themes ARGS`` in this process; returns what a subprocess would."""

    def call(*args: str) -> subprocess.CompletedProcess:
        try:
            code = main(["themes", *args])
        except SystemExit as stop:  # argparse
            code = stop.code
        captured = capsys.readouterr()
        return subprocess.CompletedProcess(args, code, captured.out, captured.err)

    return call


def refused(done: subprocess.CompletedProcess, reason: str) -> None:
    """Exit 2 with one line that holds ``reason`` and no traceback."""
    assert done.returncode == 2, (done.returncode, done.stderr)
    lines = done.stderr.strip().splitlines()
    assert len(lines) == 1 and reason in lines[0], done.stderr
    assert lines[0].startswith("consult-analyse")


def assignments(folder) -> list[dict[str, str]]:
    with open(folder / "assignments.csv", encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


def survey_lines(count: int = 60) -> list[dict[str, str]]:
    return [{"id": r["response_id"], "answer": r["answer"]} for r in responses(count)]


def test_doubled_quotes_are_never_split(tmp_path):
    """The issue's case: 400 plain rows (more than the old sniffer's sample), then one with
    doubled quotes, which was read as two wrong cells."""
    rows = survey_lines(400)
    lines = ["id,answer,type"] + [
        f"{r['id']},{r['answer'].replace(',', ' ')},business" for r in rows
    ]
    lines.append('401,"We need ""better buses"", not more roads",business')
    path = tmp_path / "a.csv"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    assert len(path.read_bytes()) > 20_000
    done = run(str(path), "--text-column", "answer", "--id-column", "id", "--engine", "fast",
               "--quiet", "--out", str(tmp_path / "o"))  # fmt: skip
    assert done.returncode == 0, done.stderr
    written = assignments(tmp_path / "o")
    assert [r["id"] for r in written] == [r["id"] for r in rows] + ["401"]


def test_shift_jis_is_refused_and_read_with_encoding(cli, tmp_path):
    path = tmp_path / "sjis.csv"
    answers = [
        "バスが必要です: evening buses are late",
        "電車をもっと増やしてください: more trains to Coventry",
        "料金が高すぎます: fares are too high for apprentices",
    ] * 5
    path.write_bytes(
        ("id,answer\n" + "".join(f"{i},{a}\n" for i, a in enumerate(answers))).encode("shift_jis")
    )
    out = str(tmp_path / "o")
    refused(cli(str(path), "--text-column", "answer", "--out", out), "--encoding")
    done = cli(str(path), "--text-column", "answer", "--encoding", "shift_jis", "--engine",
               "fast", "--quiet", "--out", out)  # fmt: skip
    assert done.returncode == 0, done.stderr
    run_record = json.loads((tmp_path / "o" / "run.json").read_text(encoding="utf-8"))
    assert run_record["input"]["rows_read"] == 15


@pytest.mark.parametrize("encoding", ["utf-16", "utf-16-le"])
def test_utf16_is_read(cli, tmp_path, encoding):
    path = tmp_path / "u16.csv"
    rows = survey_lines()
    text = "id,answer\n" + "".join(f'{r["id"]},"{r["answer"]}"\n' for r in rows if r["answer"])
    path.write_bytes(text.encode(encoding))
    done = cli(str(path), "--text-column", "answer", "--id-column", "id", "--engine", "fast",
               "--quiet", "--out", str(tmp_path / "o"))  # fmt: skip
    assert done.returncode == 0, done.stderr
    assert [r["id"] for r in assignments(tmp_path / "o")] == [r["id"] for r in rows if r["answer"]]


def test_duplicate_headers_are_named(cli, tmp_path):
    path = tmp_path / "dup.csv"
    path.write_text("id,answer,answer\n1,a,b\n", encoding="utf-8")
    done = cli(str(path), "--text-column", "answer", "--out", str(tmp_path / "o"))
    refused(done, "the column name 'answer' appears twice in the header")


def test_a_bad_out_is_found_before_the_input_is_read(cli, tmp_path):
    blocker = tmp_path / "file"
    blocker.write_text("not a folder")
    survey = write_csv(tmp_path / "s.csv", survey_lines())
    # The text column does not exist: the --out problem is reported first, so it was checked
    # before the file was read, let alone analysed.
    refused(cli(str(survey), "--text-column", "nope", "--out", str(blocker)), "is a file")
    refused(
        cli(str(survey), "--text-column", "nope", "--out", str(blocker / "sub")),
        f"{blocker} is a file",
    )


@pytest.mark.skipif(not os.path.isdir("/proc/self"), reason="needs Linux's /proc")
def test_an_out_that_only_looks_writable_is_refused_before_the_input_is_read(cli, tmp_path):
    """smoke9 finding 16: ``--out /proc/nope`` passed the permission check (as root, /proc
    looks writable), the input was read and warned about, then the folder could not be made:
    two lines. A folder is now made and removed there first: one line, nothing read."""
    survey = write_csv(tmp_path / "s.csv", survey_lines())
    refused(
        cli(str(survey), "--text-column", "nope", "--out", "/proc/nope"),
        "cannot create the output folder /proc/nope: No such file or directory",
    )
    refused(
        cli(str(survey), "--text-column", "nope", "--out", "/proc/nope/deeper"),
        "cannot create the output folder /proc/nope/deeper",
    )


def test_checking_out_leaves_nothing_behind(cli, tmp_path):
    survey = write_csv(tmp_path / "s.csv", survey_lines())
    (tmp_path / "existing").mkdir()
    for out in (tmp_path / "new" / "deeper", tmp_path / "existing"):
        refused(cli(str(survey), "--text-column", "nope", "--out", str(out)), "'nope'")
    assert sorted(p.name for p in tmp_path.iterdir()) == ["existing", "s.csv"]
    assert not list((tmp_path / "existing").iterdir())


def test_refused_input_gets_no_warning_before_its_error(cli, tmp_path):
    """Answers that do not look English are warned about only once the input is accepted: a
    refusal found later (a stance column with no agreement answer, more themes than distinct
    answers) is still the only line (smoke9 finding 16)."""
    rows = [
        {"id": str(n), "answer": f"Le bus est toujours en retard le matin numero {n}", "x": "a"}
        for n in range(30)
    ]
    path = write_csv(tmp_path / "fr.csv", rows)
    out = str(tmp_path / "o")
    refused(
        cli(str(path), "--text-column", "answer", "--stance-column", "x", "--out", out),
        "--stance-column 'x' has no agreement answers",
    )
    refused(
        cli(
            str(path), "--text-column", "answer", "--engine", "fast", "--themes", "40", "--out", out
        ),  # fmt: skip
        "cannot make 40 themes from 30 distinct substantive answers",
    )
    done = cli(str(path), "--text-column", "answer", "--engine", "fast", "--themes", "3",
               "--out", out)  # fmt: skip
    assert done.returncode == 0
    warnings = [line for line in done.stderr.splitlines() if "warning" in line]
    assert len(warnings) == 1 and "do not look English" in warnings[0]
    # after the cleaning stage's line, before the vectors'
    lines = done.stderr.splitlines()
    assert lines.index(warnings[0]) == 1 and lines[0].startswith("consult-analyse: 1/7 cleaning")


@pytest.mark.skipif(os.geteuid() == 0, reason="root can write anywhere")
def test_an_unwritable_out_is_found_first(cli, tmp_path):
    locked = tmp_path / "locked"
    locked.mkdir(mode=0o500)
    survey = write_csv(tmp_path / "s.csv", survey_lines())
    refused(cli(str(survey), "--text-column", "nope", "--out", str(locked / "o")), "permission")


def test_deep_jsonl_exits_2(cli, tmp_path):
    path = tmp_path / "deep.jsonl"
    path.write_text('{"answer": ' + "[" * 100_000 + "]" * 100_000 + "}\n", encoding="utf-8")
    refused(
        cli(str(path), "--text-column", "answer", "--out", str(tmp_path / "o")),
        "line 1 nests lists or objects more than 32 deep",
    )


@pytest.mark.parametrize(
    ("option", "reason"),
    [
        (["--seed", "-1"], "--seed must be from 0 to 4,294,967,295"),
        (["--seed", "4294967296"], "--seed must be from 0 to 4,294,967,295"),
        (["--seed", "x"], "--seed must be a whole number"),
        (["--threads", "0"], "--threads must be from 1 to 256"),
        (["--encoding", "klingon"], "unknown text encoding 'klingon'"),
        # codecs.lookup knows these, but they turn bytes into bytes (exit 1 before)
        (["--encoding", "rot13"], "'rot13' is not a text encoding"),
        (["--encoding", "base64"], "'base64' is not a text encoding"),
        (["--encoding", "undefined"], "the file is not valid undefined text"),
    ],
)
def test_bad_options_exit_2(cli, tmp_path, option, reason):
    survey = write_csv(tmp_path / "s.csv", survey_lines())
    refused(cli(str(survey), "--text-column", "answer", *option, "--out", str(tmp_path)), reason)


@pytest.mark.parametrize(
    ("engine", "answer"),
    [("fast", "We need better buses in the evening"), ("auto", "Buses")],
)
def test_one_row_gives_one_theme_without_warnings(tmp_path, engine, answer):
    path = tmp_path / "one.csv"
    path.write_text(f"id,answer\n1,{answer}\n", encoding="utf-8")
    done = run(str(path), "--text-column", "answer", "--engine", engine, "--out",
               str(tmp_path / "o"))  # fmt: skip
    assert done.returncode == 0, done.stderr
    # only the stage lines written when stderr is not a terminal; no warning
    assert "warning" not in done.stderr and "Warning" not in done.stderr, done.stderr
    assert done.stderr.splitlines()[0].startswith("consult-analyse: 1/7 cleaning: 1 row read, ")
    assert done.stdout.startswith("1 row, 1 theme, ")  # not "1 rows, 1 themes"


def test_hostile_xlsx_through_the_command(cli, tmp_path):
    declared = tmp_path / "declared.xlsx"
    declared.write_bytes(hostile.declared_everything())
    done = cli(str(declared), "--text-column", "answer", "--engine", "fast", "--quiet",
               "--out", str(tmp_path / "o"))  # fmt: skip
    assert done.returncode == 0, done.stderr
    assert len(assignments(tmp_path / "o")) == 1
    bomb = tmp_path / "bomb.xlsx"
    bomb.write_bytes(hostile.huge_cell(1 << 30))
    refused(
        cli(str(bomb), "--text-column", "answer", "--out", str(tmp_path / "p")),
        "unpacks to 1,024 MB",
    )
    far = tmp_path / "far.xlsx"
    far.write_bytes(hostile.far_cell("XFD2"))
    refused(
        cli(str(far), "--text-column", "answer", "--out", str(tmp_path / "p")),
        "a value in column 16,384",
    )


# --- consult-analyse code with a bad codebook (found probing after issue 11) -----------------


def coded(cli_args, capsys):
    try:
        code = main(["code", *cli_args])
    except SystemExit as stop:
        code = stop.code
    captured = capsys.readouterr()
    return subprocess.CompletedProcess(cli_args, code, captured.out, captured.err)


@pytest.mark.parametrize(
    ("name", "content", "reason"),
    [
        ("long.csv", "id,name\nbus," + "x" * 200_000 + "\n", "a cell is longer than 131,072"),
        ("number.json", '[{"id": ' + "9" * 5000 + ', "name": "x"}]', "a number is too long"),
        ("deep.json", "[" * 100_000, "nests lists or objects too deeply"),
    ],
)
def test_a_bad_codebook_exits_2(capsys, tmp_path, name, content, reason):
    """These ended "unexpected failure" with exit 1 (csv.Error, the integer-digits
    ValueError, and the recursion message as the reason)."""
    survey = write_csv(tmp_path / "s.csv", survey_lines())
    book = tmp_path / name
    book.write_text(content, encoding="utf-8")
    done = coded(
        [str(survey), "--text-column", "answer", "--codebook", str(book), "--engine", "fast",
         "--quiet", "--out", str(tmp_path / "o")], capsys,
    )  # fmt: skip
    refused(done, reason)


def test_nul_and_lone_surrogates_in_a_codebook_are_cleaned(tmp_path):
    from analysis.codebook import parse_codebook

    document = {"themes": [{"id": "bus\x00", "name": "Buses \ud800", "keywords": ["a\x00"]}]}
    book = parse_codebook(json.dumps(document).encode(), "book.json")
    (code,) = book.codes
    assert (code.id, code.name, code.keywords) == ("bus", "Buses \ufffd", ("a",))
    book.to_json().encode("utf-8")  # writable


def test_a_device_that_never_ends_is_refused(capsys, cli, tmp_path):
    """/dev/zero reports a size of 0, so the size check passed and the whole "file" was
    read into memory until the machine ran out (the run never ended)."""
    if not os.path.exists("/dev/zero"):
        pytest.skip("no /dev/zero here")
    refused(
        cli("/dev/zero", "--text-column", "answer", "--out", str(tmp_path / "o")),
        "/dev/zero gives more than 100 MB",
    )
    survey = write_csv(tmp_path / "s.csv", survey_lines())
    done = coded(
        [str(survey), "--text-column", "answer", "--codebook", "/dev/zero", "--out",
         str(tmp_path / "p")], capsys,
    )  # fmt: skip
    refused(done, "the codebook /dev/zero is larger than 20 MB")


def test_a_pipe_is_read(tmp_path):
    """What a shell's <(command) gives: a pipe of no stated size, read to its end."""
    survey = write_csv(tmp_path / "s.csv", survey_lines())
    command = f"{sys.executable} -m analysis.cli themes /dev/stdin --text-column answer " \
        f"--engine fast --quiet --out {tmp_path / 'o'} < {survey}"  # fmt: skip
    done = subprocess.run(command, shell=True, capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stderr
    assert len(assignments(tmp_path / "o")) == 60


@pytest.mark.parametrize("answers", [["x", "y"], ["b", "c", "d"], ["1a", "2b"], ["x y", "z w"]])
def test_answers_without_a_word_to_group_by_exit_2(cli, tmp_path, answers):
    """Single letters pass as substantive but leave the tokenizer nothing: scikit-learn's
    "empty vocabulary" ValueError ended the run as an unexpected failure (exit 1)."""
    path = tmp_path / "letters.csv"
    path.write_text("id,answer\n" + "".join(f"{i},{a}\n" for i, a in enumerate(answers)))
    args = ["--text-column", "answer", "--engine", "fast", "--quiet", "--out", str(tmp_path / "o")]
    refused(
        cli(str(path), *args),
        "no usable rows: no answer has a word to group by",
    )
    assert not (tmp_path / "o").exists()


@pytest.mark.parametrize(
    ("theme", "reason"),
    [
        ({"id": None, "name": "Buses"}, "theme 1: a theme has no id"),
        ({"id": True, "name": "Buses"}, "theme 1: the theme's id must be text, not true or false"),
        ({"id": "bus", "name": {"en": "Buses"}}, "theme 1: the theme's name must be text, not"),
        ({"id": "bus", "name": "Buses", "keywords": {"a": 1}}, "the theme's keywords must be"),
        ({"id": "bus", "name": "Buses", "keywords": [["bus"]]}, "the theme's keywords must be"),
        ({"id": "bus", "name": "Buses", "description": ["x"]}, "the theme's description must"),
    ],
)
def test_a_codebook_theme_of_the_wrong_types_exits_2(capsys, tmp_path, theme, reason):
    """These were read as Python spelt them: a theme 'None' or 'True', a name "{'en':
    'Buses'}", a keyword "['bus']"."""
    survey = write_csv(tmp_path / "s.csv", survey_lines())
    book = tmp_path / "book.json"
    book.write_text(json.dumps([theme, {"id": "homes", "name": "Homes"}]), encoding="utf-8")
    done = coded(
        [str(survey), "--text-column", "answer", "--codebook", str(book), "--engine", "fast",
         "--quiet", "--out", str(tmp_path / "o")], capsys,
    )  # fmt: skip
    refused(done, reason)
    assert not (tmp_path / "o").exists()


def test_a_codebook_of_numbered_themes_is_still_read():
    from analysis.codebook import parse_codebook

    document = [{"id": 1, "name": "Buses", "keywords": ["bus", 5]}, {"id": 2.5, "name": 7}]
    book = parse_codebook(json.dumps(document).encode(), "book.json")
    assert [(c.id, c.name, c.keywords) for c in book.codes] == [
        ("1", "Buses", ("bus", "5")),
        ("2.5", "7", ()),
    ]


@pytest.mark.parametrize(
    ("command", "name"),
    [("themes", "themes.json"), ("themes", "report.html"), ("code", "metrics.json")],
)
def test_a_folder_named_as_an_output_is_refused_before_anything_is_written(
    capsys, tmp_path, command, name
):
    """An --out folder holding a folder called themes.json: the run wrote assignments.csv,
    then ended "unexpected failure: IsADirectoryError" (exit 1) with a .themes.json.tmp left
    beside the new assignments.csv and the old outputs."""
    survey = write_csv(tmp_path / "s.csv", survey_lines())
    out = tmp_path / "o"
    (out / name).mkdir(parents=True)
    book = tmp_path / "book.csv"
    book.write_text("id,name\nbus,Buses\nhomes,Homes\n", encoding="utf-8")
    extra = ["--codebook", str(book)] if command == "code" else []
    try:
        code = main([command, str(survey), "--text-column", "answer", *extra, "--engine", "fast",
                     "--quiet", "--out", str(out)])  # fmt: skip
    except SystemExit as stop:
        code = stop.code
    captured = capsys.readouterr()
    refused(
        subprocess.CompletedProcess([], code, captured.out, captured.err),
        f"cannot write {out / name}: it is a folder",
    )
    assert [p.name for p in out.iterdir()] == [name]


def test_a_dash_reads_standard_input(tmp_path):
    """`-` for the input, as other commands take it, said "no such file: -"."""
    survey = write_csv(tmp_path / "s.csv", survey_lines())
    with open(survey, "rb") as handle:
        done = subprocess.run(
            [*CLI, "themes", "-", "--text-column", "answer", "--engine", "fast", "--quiet",
             "--out", str(tmp_path / "o")],
            stdin=handle, capture_output=True, text=True, timeout=300,
        )  # fmt: skip
    assert done.returncode == 0, done.stderr
    assert len(assignments(tmp_path / "o")) == 60
    empty = subprocess.run(
        [*CLI, "themes", "-", "--text-column", "answer", "--out", str(tmp_path / "p")],
        input="", capture_output=True, text=True, timeout=300,
    )  # fmt: skip
    refused(empty, "the file is empty")


def test_a_rerun_that_cannot_finish_writing_leaves_the_last_outputs_as_they_were(
    cli, tmp_path, monkeypatch
):
    """themes wrote its outputs one by one: a disk filling up at report.html left this run's
    assignments.csv and themes.json beside the last run's report and run.json, and ended
    "unexpected failure: OSError" (exit 1)."""
    import errno

    from analysis import cli as cli_module

    survey = write_csv(tmp_path / "s.csv", survey_lines())
    out = tmp_path / "o"
    args = ["--text-column", "answer", "--engine", "fast", "--quiet", "--out", str(out)]
    assert cli(str(survey), *args).returncode == 0
    before = {p.name: p.read_bytes() for p in out.iterdir()}
    assert sorted(before) == ["assignments.csv", "report.html", "run.json", "themes.json"]

    def disk_full(*_args, **_kwargs):
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(cli_module, "render_report", disk_full)
    again = write_csv(tmp_path / "t.csv", survey_lines(40))
    refused(cli(str(again), *args), f"cannot write in the output folder {out}: No space left")
    assert {p.name: p.read_bytes() for p in out.iterdir()} == before


def test_a_workbook_given_as_a_codebook_is_named_as_one():
    """It said "the codebook is not UTF-8 text", which sends a person looking at encodings."""
    from analysis.codebook import parse_codebook
    from analysis.errors import InputError

    workbook = hostile.xlsx_bytes([["id", "name"], ["bus", "Buses"]])
    with pytest.raises(InputError) as refused_book:
        parse_codebook(workbook, "book.xlsx")
    assert str(refused_book.value) == (
        "book.xlsx: a codebook is read from a CSV or JSON file, not a workbook: save its sheet "
        "as CSV"
    )
