"""The command line contract: outputs, exit codes, reasons, and byte-identical reruns."""

from __future__ import annotations

import csv
import io
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from bs4 import BeautifulSoup

from analysis.cli import main
from analysis.describe import restated
from tests.analysis.fixtures import CAMPAIGN, responses, write_csv

pytestmark = pytest.mark.coding_encoder

CLI = [sys.executable, "-m", "analysis.cli"]


@pytest.fixture
def survey(tmp_path) -> Path:
    return write_csv(tmp_path / "survey.csv", responses())


def run_cli(*args: str, env_extra: dict | None = None) -> subprocess.CompletedProcess:
    env = {**os.environ, **(env_extra or {})}
    return subprocess.run([*CLI, *args], capture_output=True, text=True, env=env, timeout=300)


def run_main(capsys, *args: str) -> tuple[int, str]:
    """``main`` in this process, as ``python -m analysis.cli`` runs it: its exit code (argparse's
    too) and what it wrote to stderr. The refusals below run here, not in a process each (a
    second or more of start-up apiece); the tests that run the command as a process check
    what only a process shows (its exit status, nothing else on stderr)."""
    capsys.readouterr()
    try:
        code = main(list(args))
    except SystemExit as exit_:
        code = exit_.code
    return code, capsys.readouterr().err


def test_outputs(survey, tmp_path, engine):
    out = tmp_path / "out"
    code = main(
        [
            "themes",
            str(survey),
            "--engine",
            engine,
            "--text-column",
            "answer",
            "--id-column",
            "response_id",
            "--segment-column",
            "partner_type",
            "--stance-column",
            "agree",
            "--themes",
            "3",
            "--quiet",
            "--out",
            str(out),
        ]
    )
    assert code == 0
    assert sorted(p.name for p in out.iterdir()) == [
        "assignments.csv",
        "report.html",
        "run.json",
        "themes.json",
    ]

    rows = list(csv.DictReader((out / "assignments.csv").open(encoding="utf-8")))
    source = list(csv.DictReader(survey.open(encoding="utf-8")))
    assert [r["id"] for r in rows] == [r["response_id"] for r in source]  # input order
    assert list(rows[0]) == [
        "id",
        "theme_id",
        "theme_label",
        "confidence",
        "themes",
        "sentiment",
        "stance",
        "duplicate_group",
        "flags",
        "fit",  # added for answers that fit no theme (columns are only ever added)
    ]
    for row, original in zip(rows, source, strict=True):
        if original["answer"] == "":  # blank: not answered, in no theme
            assert row["theme_id"] == "" and row["flags"] == "not_answered"
            assert row["theme_label"] == "Not answered"
        elif original["answer"] in ("n/a", "No comment", "Nothing.", "see above"):
            assert row["theme_id"] == "NS" and "non_substantive" in row["flags"]
        else:
            assert row["theme_id"] in {"T01", "T02", "T03"}
            assert row["themes"].split(";")[0] == row["theme_id"]
        assert row["stance"] in {"for", "against", "mixed", "unclear"}
    campaign_rows = [r for r, o in zip(rows, source, strict=True) if o["answer"] == CAMPAIGN]
    assert campaign_rows and all("campaign" in r["flags"] for r in campaign_rows)
    assert len({r["duplicate_group"] for r in campaign_rows}) == 1

    document = json.loads((out / "themes.json").read_text())
    themes = document["themes"]
    assert [t["id"] for t in themes] == ["T01", "T02", "T03"]
    for theme in themes:
        assert theme["label"] and theme["keywords"]
        assert 3 <= len(theme["quotes"]) <= 5 and all(
            q["id"].startswith("R") for q in theme["quotes"]
        )
        # the theme's other points (its label's own is not said again), or that it makes one
        assert 1 <= len(theme["summary"]) <= 4 and all(s["id"] for s in theme["summary"])
        assert not any(restated(s["text"], theme["label"]) for s in theme["summary"])
        assert set(theme["stance"]) == {"for", "against", "mixed", "unclear"}
        assert 0 <= theme["stability"] <= 1
        low, high = theme["share_ci95"]
        assert low <= theme["share"] <= high
        cells = theme["segments"]["partner_type"]
        assert set(cells) == {"business", "fe_college", "university"}
        assert all("p_adjusted" in c and "ci95" in c for c in cells.values())
    assert document["summary"]["duplicates"]["campaigns"] >= 1
    blank = sum(1 for r in source if r["answer"] == "")
    assert blank and document["not_answered"]["size"] == blank
    answered = len(rows) - blank
    assert document["summary"]["answered"] == answered
    assert sum(t["size"] for t in themes) + document["non_substantive"]["size"] == answered
    for theme in themes:  # shares are of the answered rows, not of every row
        assert theme["share"] == round(theme["size"] / answered, 4)

    # Quotes and summaries are verbatim and traceable.
    by_id = {r["response_id"]: r["answer"] for r in source}
    primary_of = {r["id"]: r["theme_id"] for r in rows}
    for theme in themes:
        for quote in theme["quotes"]:
            assert quote["text"] == by_id[quote["id"]]
        for sentence in theme["summary"]:
            # Verbatim from the answer (an opener like "In our view," may be left off, and
            # the first letter is then upper case), and every response it stands for is in
            # the theme.
            text, answer = sentence["text"], by_id[sentence["id"]]
            start = answer.find(text[1:])
            assert start >= 1 or text == answer[: len(text)]
            assert start < 1 or answer[start - 1].lower() == text[0].lower()
            assert sentence["ids"][0] == sentence["id"]
            assert all(primary_of[i] == theme["id"] for i in sentence["ids"])
        texts = [s["text"] for s in theme["summary"]]
        assert len(set(texts)) == len(texts)

    run = json.loads((out / "run.json").read_text())
    assert run["engine"] == engine
    assert run["input"]["rows_read"] == len(source) and len(run["input"]["sha256"]) == 64
    assert run["seed"] == 0 and "scikit-learn" in run["library_versions"]
    assert {"cleaning", "representation", "themes", "total"} <= set(run["timings_seconds"])

    report = BeautifulSoup((out / "report.html").read_text(), "html.parser")
    assert report.html["lang"] == "en"
    svg = report.find("svg")
    assert svg["role"] == "img" and svg.find("title").get_text()
    assert report.find("table").find("caption")
    assert not report.find_all(["script", "link"]) and "http" not in str(report.find("head"))


def test_exact_number_of_themes(survey, tmp_path, engine):
    for count in (2, 5):
        out = tmp_path / f"k{count}"
        assert (
            main(
                [
                    "themes",
                    str(survey),
                    "--engine",
                    engine,
                    "--text-column",
                    "answer",
                    "--themes",
                    str(count),
                    "--quiet",
                    "--out",
                    str(out),
                ]
            )
            == 0
        )
        themes = json.loads((out / "themes.json").read_text())["themes"]
        assert len(themes) == count


def test_auto_is_the_default_and_bounded(survey, tmp_path):
    assert (
        main(
            [
                "themes",
                str(survey),
                "--text-column",
                "answer",
                "--quiet",
                "--out",
                str(tmp_path / "o"),
            ]
        )
        == 0
    )
    run = json.loads((tmp_path / "o" / "run.json").read_text())
    assert run["settings"]["themes"] == "auto" and 1 <= run["themes_found"] <= 30


def test_reruns_are_byte_identical_across_processes(survey, tmp_path, engine):
    outputs = []
    for run, hash_seed in enumerate(("1", "2")):
        out = tmp_path / f"run{run}"
        done = run_cli(
            "themes",
            str(survey),
            "--engine",
            engine,
            "--text-column",
            "answer",
            "--id-column",
            "response_id",
            "--segment-column",
            "partner_type",
            "--seed",
            "7",
            "--quiet",
            "--out",
            str(out),
            env_extra={"PYTHONHASHSEED": hash_seed},
        )
        assert done.returncode == 0, done.stderr
        outputs.append(out)
    for name in ("assignments.csv", "themes.json"):
        assert (outputs[0] / name).read_bytes() == (outputs[1] / name).read_bytes(), name


@pytest.mark.parametrize(
    ("args", "reason"),
    [
        (["--text-column", "missing"], "no column named 'missing'"),
        (["--text-column", "answer", "--segment-column", "nope"], "no column named 'nope'"),
        (["--text-column", "answer", "--themes", "many"], "whole number or 'auto'"),
        (["--text-column", "answer", "--themes", "0"], "at least 2"),
        (["--text-column", "answer", "--themes", "1"], "--themes must be at least 2"),
        (
            ["--text-column", "answer", "--stance-column", "partner_type"],
            "--stance-column 'partner_type' has no agreement answers",
        ),
        (["--text-column", "answer", "--themes", "500"], "cannot make 500 themes"),
        (["--text-column", "answer", "--side-margin", "wide"], "--side-margin must be a number"),
        (["--text-column", "answer", "--side-margin", "-0.1"], "--side-margin must be from 0 to 1"),
        (["--text-column", "answer", "--side-margin", "2"], "--side-margin must be from 0 to 1"),
        (["--text-column", "answer", "--side-margin", "nan"], "--side-margin must be from 0 to 1"),
    ],
)
def test_bad_arguments_exit_2_with_a_reason(survey, tmp_path, args, reason, capsys):
    code, stderr = run_main(capsys, "themes", str(survey), *args, "--out", str(tmp_path / "o"))
    assert code == 2
    assert reason in stderr and "Traceback" not in stderr
    assert len(stderr.strip().splitlines()) == 1
    assert not (tmp_path / "o" / "assignments.csv").exists()


@pytest.mark.parametrize(
    ("content", "reason"),
    [
        (b"", "the file is empty"),
        (b"id,answer\n", "no rows"),
        (b"id,answer\n1,\x81\x8d\x90\n", "encoding"),
        (b"id,answer\n1,n/a\n2,\n3,No comment\n", "no usable rows"),
        (b"id,answer\n1,\n2,\n", "no usable rows"),
    ],
)
def test_bad_files_exit_2(tmp_path, content, reason, capsys):
    path = tmp_path / "bad.csv"
    path.write_bytes(content)
    code, stderr = run_main(
        capsys, "themes", str(path), "--text-column", "answer", "--out", str(tmp_path / "o")
    )
    assert code == 2, stderr
    assert reason in stderr and "Traceback" not in stderr


def test_a_stance_column_without_agreement_answers_names_what_it_expects(survey, tmp_path):
    """The wrong column passed as --stance-column (one with no agreement values) is not run
    as "stance not measured": it exits 2 naming the column, what it holds and expects."""
    done = run_cli(
        "themes",
        str(survey),
        "--text-column",
        "answer",
        "--stance-column",
        "partner_type",
        "--out",
        str(tmp_path / "o"),
    )
    assert done.returncode == 2 and "Traceback" not in done.stderr
    assert "'Strongly agree'" in done.stderr and "'Disagree'" in done.stderr
    assert "it holds values such as" in done.stderr
    # A refusal is one line from the process too: nothing else (a library's warning at
    # start-up) reaches a person's screen. The other refusals run in this process.
    assert len(done.stderr.strip().splitlines()) == 1, done.stderr


def test_missing_required_option_exits_2(tmp_path):
    done = run_cli("themes", "x.csv", "--out", str(tmp_path))
    assert done.returncode == 2 and "--text-column" in done.stderr


def test_without_a_terminal_each_stage_is_a_line_and_the_outputs_are_unchanged(survey, tmp_path):
    """smoke9 finding 15: a scripted run (stderr not a terminal) was silent for 16 minutes.
    It now writes one line a stage to stderr, with counts, and no bar; ``--quiet`` silences
    them; stdout's summary and the outputs are the same either way."""
    args = ["themes", str(survey), "--text-column", "answer", "--segment-column", "partner_type"]
    args += ["--engine", "fast", "--themes", "3"]
    done = run_cli(*args, "--out", str(tmp_path / "o"))
    assert done.returncode == 0, done.stderr
    lines = done.stderr.splitlines()
    assert "\r" not in done.stderr  # no bar
    assert all(line.startswith("consult-analyse: ") for line in lines)
    stages = [line.removeprefix("consult-analyse: ").split(":")[0] for line in lines]
    assert stages == [
        "1/7 cleaning",
        "2/7 vectors",
        "3/7 grouping",
        "4/7 stability",
        "5/7 sentiment and stance",
        "6/7 describing",
        "7/7 segments",
        f"writing {tmp_path / 'o'}/",
    ]
    assert ": 150 rows read, 144 answered, " in lines[0] and lines[0].endswith("s)")
    assert "distinct answers, fast engine (after " in lines[1]
    assert ": 3 themes (after " in lines[2] and ": 1 segment column (after " in lines[6]
    assert done.stdout.startswith("150 rows, 3 themes, ")  # the one-line summary, as before
    quiet = run_cli(*args, "--quiet", "--out", str(tmp_path / "q"))
    assert quiet.returncode == 0 and quiet.stderr == "" and quiet.stdout == ""
    for name in ("assignments.csv", "themes.json", "report.html"):
        assert (tmp_path / "o" / name).read_bytes() == (tmp_path / "q" / name).read_bytes()


class FakeTerminal(io.StringIO):
    """stdout and stderr of a terminal: one screen that says it is a terminal."""

    def isatty(self) -> bool:
        return True


def test_progress_bar_finishes_and_the_summary_has_its_own_line(survey, tmp_path, monkeypatch):
    screen = FakeTerminal()
    monkeypatch.setattr(sys, "stderr", screen)
    monkeypatch.setattr(sys, "stdout", screen)
    args = ["themes", str(survey), "--text-column", "answer", "--engine", "fast", "--themes", "3"]
    assert main([*args, "--out", str(tmp_path / "o")]) == 0
    *_, bar, summary, end = screen.getvalue().split("\n")
    frames = bar.split("\r")[1:]
    assert [frame.split("] ")[1].split()[0] for frame in frames] == [f"{i}/7" for i in range(1, 8)]
    assert frames[-1].startswith("[" + "#" * 30 + "] 7/7 segments")
    assert summary.startswith("150 rows, 3 themes, ") and f"wrote {tmp_path / 'o'}/" in summary
    assert " with several themes, " in summary
    assert end == ""


def test_an_error_after_the_bar_starts_is_on_its_own_line(survey, tmp_path, monkeypatch):
    from analysis import stages
    from analysis.errors import InputError

    def refuse(*args, **kwargs):
        raise InputError("a stand-in refusal in the grouping stage")

    monkeypatch.setattr(stages, "themes", refuse)
    screen = FakeTerminal()
    monkeypatch.setattr(sys, "stderr", screen)
    args = ["themes", str(survey), "--text-column", "answer", "--engine", "fast"]
    assert main([*args, "--out", str(tmp_path / "o")]) == 2
    *_, bar, error, end = screen.getvalue().split("\n")
    assert "2/7 representation" in bar and error == (
        "consult-analyse: error: a stand-in refusal in the grouping stage"
    )
    assert end == ""


def test_a_warning_during_the_bar_is_on_lines_of_its_own(tmp_path, monkeypatch):
    rows = [
        {"id": str(n), "answer": f"Le bus est toujours en retard, numero {n}"} for n in range(30)
    ]
    path = write_csv(tmp_path / "fr.csv", rows)
    screen = FakeTerminal()
    monkeypatch.setattr(sys, "stderr", screen)
    monkeypatch.setattr(sys, "stdout", screen)
    args = ["themes", str(path), "--text-column", "answer", "--engine", "fast", "--themes", "3"]
    assert main([*args, "--out", str(tmp_path / "o")]) == 0
    first, warning, bar, summary, end = screen.getvalue().split("\n")
    assert first.startswith("\r[") and "1/7 cleaning" in first
    assert warning.startswith("consult-analyse: warning: 30 of the 30 answers")
    assert bar.startswith("\r[") and "7/7 segments" in bar and "\n" not in bar
    assert summary.startswith("30 rows, 3 themes, ") and end == ""


def test_nothing_substantive_is_refused_before_the_bar_starts(tmp_path, monkeypatch):
    """Answers that cannot be themed are refused in the cleaning stage, before any bar or
    warning: one line (smoke9 finding 16)."""
    path = tmp_path / "ns.csv"
    path.write_text("id,answer\n1,n/a\n2,No comment\n", encoding="utf-8")
    screen = FakeTerminal()
    monkeypatch.setattr(sys, "stderr", screen)
    assert main(["themes", str(path), "--text-column", "answer", "--out", str(tmp_path)]) == 2
    assert screen.getvalue() == (
        "consult-analyse: error: no usable rows: every answer is empty or non-substantive\n"
    )


def test_installed_command_runs(survey, tmp_path):
    command = Path(sys.executable).parent / "consult-analyse"
    if not command.exists():
        pytest.skip("consult-analyse is not installed in this environment")
    done = subprocess.run(
        [
            str(command),
            "themes",
            str(survey),
            "--text-column",
            "answer",
            "--quiet",
            "--out",
            str(tmp_path / "o"),
        ],
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert done.returncode == 0, done.stderr


def test_report_says_which_theme_answers_come_from_a_campaign(survey, tmp_path):
    """The theme holding a campaign's copies says how many of its answers are that one text,
    linked to the campaign in the Campaigns section (it did not: a reader took the count at
    face value)."""
    out = tmp_path / "out"
    args = ["themes", str(survey), "--engine", "fast", "--text-column", "answer"]
    assert (
        main([*args, "--id-column", "response_id", "--themes", "3", "--quiet", "--out", str(out)])
        == 0
    )
    rows = list(csv.DictReader((out / "assignments.csv").open(encoding="utf-8")))
    source = list(csv.DictReader(survey.open(encoding="utf-8")))
    copies = [r for r, o in zip(rows, source, strict=True) if o["answer"] == CAMPAIGN]
    home = copies[0]["theme_id"]
    report = BeautifulSoup((out / "report.html").read_text(), "html.parser")
    table = {row.find_all("td")[0].get_text(): row for row in report.select('tr[id^="campaign-"]')}
    campaign = table[copies[0]["duplicate_group"]]
    number = campaign["id"].removeprefix("campaign-")
    cells = [cell.get_text() for cell in campaign.find_all(["th", "td"])]
    assert cells[2] == str(len(copies)) and cells[3].startswith(home)
    assert CAMPAIGN in cells[-1]
    size = next(
        t for t in json.loads((out / "themes.json").read_text())["themes"] if t["id"] == home
    )
    notes = report.find(id=f"h-{home}").parent.find_all(class_="campaign-note")
    note = next(n for n in notes if f"campaign {number}" in n.get_text())
    said = " ".join(note.get_text().split())
    counts = (
        f"{len(copies)} of the {size['size']} answers in this theme"  # one count once (smoke29)
        if size["size"] == size["mentions"]
        else f"{len(copies)} of the {size['size']} answers with this as main theme "
        f"({len(copies)} of the {size['mentions']} that mention it)"
    )
    assert (
        f"{counts} come from campaign {number}. It is one text sent by {len(copies)} "
        f"respondents, so count it as one view, not {len(copies)}."
    ) in said
    assert f'href="#campaign-{number}"' in str(note)
    # every theme a campaign's copies mention says so, and no other
    flagged = [r for r in rows if "campaign" in r["flags"].split(";")]
    for section in report.find_all("section"):
        key = section.find("h2")["id"][2:]
        if key == "campaigns":
            continue
        mentioning = sum(key in r["themes"].split(";") for r in flagged)
        assert (section.find(class_="campaign-note") is None) == (mentioning == 0), key


def test_campaigns_are_counted_in_good_english():
    from analysis.report import campaigns_sentence

    one = {"campaigns": 1, "campaign_responses": 12, "text": "12 responses from 1 campaigns"}
    assert campaigns_sentence(one) == "12 responses from 1 campaign"
    assert campaigns_sentence({"campaigns": 0, "campaign_responses": 0}) == "no campaigns"
    assert campaigns_sentence({"campaigns": 2, "campaign_responses": 7}) == (
        "7 responses from 2 campaigns"
    )


def test_repeated_answers_are_told_apart_from_campaigns_in_the_report(survey, tmp_path):
    """Review: the page said only "No campaigns" while assignments.csv flagged answers
    "duplicate" in groups D1-D11: the Campaigns section now says both."""
    from analysis.report import duplicates_sentence

    out = tmp_path / "out"
    args = ["themes", str(survey), "--engine", "fast", "--text-column", "answer", "--quiet"]
    assert main([*args, "--out", str(out)]) == 0
    rows = list(csv.DictReader((out / "assignments.csv").open(encoding="utf-8")))
    groups = {r["duplicate_group"] for r in rows if r["duplicate_group"]}
    repeated = sum(1 for r in rows if r["duplicate_group"])
    report = BeautifulSoup((out / "report.html").read_text(), "html.parser")
    said = " ".join(report.find(id="duplicates").get_text().split())
    assert said.startswith(
        f"{repeated} answers were repeated, word for word or nearly, in {len(groups)}"
    )
    assert "The duplicate group column of assignments.csv names the group" in said
    assert "Campaigns are texts of 20 words or more sent by 3 or more respondents" in said
    assert duplicates_sentence({"D1": 3, "D2": 2, "D4": 5}, 0) == (
        "10 answers were repeated, word for word or nearly, in 3 duplicate groups: none of them "
        "is a campaign. The duplicate group column of the coding download names the groups (D1 "
        "to D4). Repeated answers that are not campaigns are grouped as duplicates. Campaigns "
        "are texts of 20 words or more sent by 3 or more respondents."
    )
    assert duplicates_sentence({}, 0).startswith("No answer was repeated, word for word or nearly.")


def test_side_margin_moves_answers_for_their_side_and_says_so(tmp_path, capsys):
    """``--side-margin`` (default 0.2, 'off' to switch off) is recorded in run.json; rows
    moved to a theme on their own side are counted in themes.json and said in the report,
    only when some were."""
    rows = responses(120, seed=3)
    for i, row in enumerate(rows):  # a side per topic, every fifth answer on the other side
        bus = "bus" in row["answer"].lower()
        row["agree"] = (
            ("Agree" if bus else "Disagree") if i % 5 else ("Disagree" if bus else "Agree")
        )
    path = write_csv(tmp_path / "sided.csv", rows)
    found = {}
    for margin in (None, "off", "1"):
        out = tmp_path / f"o-{margin}"
        extra = [] if margin is None else ["--side-margin", margin]
        code, stderr = run_main(
            capsys, "themes", str(path), "--text-column", "answer", "--stance-column", "agree",
            "--themes", "4", "--engine", "fast", "--quiet", *extra, "--out", str(out),
        )  # fmt: skip
        assert code == 0, stderr
        settings = json.loads((out / "run.json").read_text(encoding="utf-8"))["settings"]
        summary = json.loads((out / "themes.json").read_text(encoding="utf-8"))["summary"]
        report = BeautifulSoup((out / "report.html").read_text(encoding="utf-8"), "html.parser")
        found[margin] = (settings["side_margin"], summary.get("moved_for_side"), report)
    assert found[None][0] == 0.2 and found["off"][0] is None and found["1"][0] == 1.0
    assert found["off"][1] is None and found["off"][2].find(id="side-moves") is None
    moved, report = found["1"][1], found["1"][2]
    assert moved > 0
    assert (
        report.find(id="side-moves")
        .get_text()
        .startswith(f"{moved} answers moved to a theme on their own side")
    )


def test_other_repeats_are_worded_from_what_they_are(tmp_path):
    """smoke16 #16: "4 are short repeats. Short repeated answers (such as “Agree”) ..." where
    the repeats were whole sentences sent 15 times: the sentence calls them "other repeats"
    and quotes the largest of them, in the command line's report as on the web page."""
    from analysis.report import duplicates_sentence, largest_repeat

    sentence = "Neighbouring shire councils should have voting seats, not observer status."
    campaign = " ".join(["The combined authority must publish every decision in full"] * 3)
    texts = (
        [sentence] * 15
        + [campaign] * 5
        + [f"Answer {n} about buses and trams running late in the evening." for n in range(40)]
    )
    survey = tmp_path / "repeats.csv"
    with survey.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(["id", "answer"])
        writer.writerows([[str(n), text] for n, text in enumerate(texts)])
    out = tmp_path / "out"
    args = ["themes", str(survey), "--engine", "fast", "--text-column", "answer", "--quiet"]
    assert main([*args, "--id-column", "id", "--out", str(out)]) == 0
    report = BeautifulSoup((out / "report.html").read_text(), "html.parser")
    said = " ".join(report.find(id="duplicates").get_text().split())
    assert ": 1 of them is a campaign and 1 is another repeat." in said
    assert f"grouped as duplicates, such as “{sentence.removesuffix('.')}”." in said
    assert "Agree" not in said
    rows = [{"duplicate_group": "D1", "flags": "duplicate"}, {"duplicate_group": "", "flags": ""}]
    assert largest_repeat(rows, ["Agree", "Something else"]) == "Agree"
    assert "such as “Agree”" in duplicates_sentence({"D1": 2}, 0, example="Agree")
    assert "such as" not in duplicates_sentence({"D1": 2}, 0)
    said = duplicates_sentence({"D1": 15, "D2": 5, "D3": 2}, 1, example=sentence)
    assert ": 1 of them is a campaign and 2 are other repeats." in said
    one = duplicates_sentence({"D1": 5}, 1)
    assert "in 1 duplicate group: it is a campaign." in one
    assert "The duplicate group column of the coding download names the group (D1)." in one
    assert ": all of them are campaigns." in duplicates_sentence({"D1": 5, "D2": 4}, 2)
