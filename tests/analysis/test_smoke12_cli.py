"""The command line after the smoke12 walk: a file read as a header alone says what its line
reads; a stance column coded 1/-1 is read; the CLI report heads its stance column as the web
does; the describing line says why it has fewer themes than grouping made; a theme the coding
model gives far more often than people did is named."""

from __future__ import annotations

import csv
import json
import unicodedata
from types import SimpleNamespace

from analysis.cli import main
from analysis.coding_shares import over_given, over_given_words
from analysis.stage_notes import stage_note


def test_a_binary_file_says_what_its_one_line_reads(tmp_path, capsys):
    path = tmp_path / "bin.csv"
    path.write_bytes(b"\xff\xfe\x00garbage")
    assert main(["themes", str(path), "--text-column", "text", "--out", str(tmp_path / "o")]) == 2
    error = capsys.readouterr().err.strip()
    assert error.startswith("consult-analyse: error: the file has a header but no rows: ")
    assert "its one line reads '" in error and "wrong encoding" in error
    assert len(error.splitlines()) == 1


def test_the_one_line_shown_has_no_control_characters(tmp_path, capsys):
    """leftweb 6: the hint printed the file's bytes as they were, so a terminal escape (here
    one setting the window's title), a bell or a line separator reached the terminal; each
    run of them is now one replacement character, on one readable line."""
    path = tmp_path / "bin.csv"
    path.write_bytes(b"ab\x1b]0;title\x07cd\xe2\x80\xa8ef\x7f\x7fgh")
    assert main(["themes", str(path), "--text-column", "text", "--out", str(tmp_path / "o")]) == 2
    error = capsys.readouterr().err.strip()
    assert "its one line reads 'ab\ufffd]0" in error and "cd\ufffdef\ufffdgh'" in error
    assert not [c for c in error if unicodedata.category(c)[0] == "C" or c in "\u2028\u2029"]
    assert len(error.splitlines()) == 1


def test_a_stance_column_coded_one_and_minus_one_is_read(tmp_path, capsys):
    path = tmp_path / "in.csv"
    reasons = [
        ("Buses are late and crowded every morning", "-1"),
        ("Buses are late so I drive instead", "-1"),
        ("The new tram line has made my commute much quicker", "1"),
        ("Trams are quick and clean and on time", "1"),
        ("Cycle lanes would help people get to work safely", "1"),
        ("Cycle lanes stop at junctions where it is dangerous", "-1"),
    ] * 4
    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(["argument", "stance"])
        writer.writerows(reasons)
    out = tmp_path / "o"
    args = ["themes", str(path), "--text-column", "argument", "--stance-column", "stance"]
    assert main([*args, "--engine", "fast", "--themes", "3", "--quiet", "--out", str(out)]) == 0
    html = (out / "report.html").read_text(encoding="utf-8")
    # the stance counts are of the answers mentioning a theme, as the web report heads them
    assert '<th scope="col">Stance of the answers mentioning it</th>' in html
    assert '<th scope="col">Stance</th>' not in html
    assert "All for" in html or "Mostly for" in html  # a theme of the tram answers, all "1"


def test_describing_says_why_it_has_fewer_themes_than_grouping():
    run = SimpleNamespace(clustering=object(), themes=[{}] * 14, k=15, merged=[("a", "b")])
    note = stage_note("description", run)
    assert note == (
        "14 themes labelled and summarised (15 grouped; 1 pair of themes saying one point joined)"
    )
    same = SimpleNamespace(clustering=object(), themes=[{}] * 15, k=15, merged=[])
    assert stage_note("description", same) == "15 themes labelled and summarised"


def test_a_theme_given_far_more_often_than_people_gave_it_is_named():
    coded = [("C4",)] * 12 + [("C1",)] * 18 + [("C4",)] * 76 + [("C1",)] * 24
    sources = ["human"] * 30 + ["model"] * 100
    found = over_given(coded, sources)
    assert [item["theme"] for item in found] == ["C4"]
    assert found[0]["model_share"] == 0.76 and found[0]["people_share"] == 0.4
    words = over_given_words(found, {"C4": "Couldn't be improved"})
    assert words == (
        "C4 “Couldn't be improved” given to 76 % of model-coded rows against 40 % of "
        "people's: check it"
    )
    # too few coded by people to compare with: nothing said
    assert over_given(coded[:12] + coded[30:], ["human"] * 12 + ["model"] * 100) == []
    # as often as people gave it: nothing said
    assert over_given([("C4",)] * 40, ["human"] * 20 + ["model"] * 20) == []


def test_the_code_command_names_an_over_given_theme(tmp_path, capsys):
    complaints = [f"The waiting room was cold and the wait was {n} hours" for n in range(40)]
    praise = [f"Nothing to improve, the staff were lovely on visit {n}" for n in range(40)]
    rows = []
    for n, text in enumerate(praise):
        rows.append([f"p{n}", text, "P" if n < 10 else ""])
    for n, text in enumerate(complaints):
        rows.append([f"c{n}", text, "W" if n < 20 else ""])
    path = tmp_path / "in.csv"
    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(["id", "text", "labels"])
        writer.writerows(rows)
    out = tmp_path / "o"
    args = ["code", str(path), "--text-column", "text", "--labels-column", "labels"]
    assert main([*args, "--id-column", "id", "--engine", "fast", "--out", str(out)]) == 0
    metrics = json.loads((out / "metrics.json").read_text(encoding="utf-8"))
    # people's sample (10 P, 20 W) is not the rows' mix (40 and 40): P is given to 30 of the 50
    # the model codes, 60 % against 33 % of people's
    assert [item["theme"] for item in metrics["over_given"]] == ["P"]
    line = capsys.readouterr().out
    assert "P given to 60 % of model-coded rows against 33 % of people's: check it; " in line


def test_themes_one_is_refused_with_why_auto_may_still_make_one(tmp_path, capsys):
    """smoke12: one answer made "1 row, 1 theme" while --themes 1 was refused; the refusal
    now says when 'auto' makes one theme."""
    path = tmp_path / "in.csv"
    path.write_text("text\nBuses are late\nTrams are quick\n", encoding="utf-8")
    args = ["themes", str(path), "--text-column", "text", "--themes", "1"]
    assert main([*args, "--out", str(tmp_path / "o")]) == 2
    error = capsys.readouterr().err.strip()
    assert error == (
        "consult-analyse: error: --themes must be at least 2, or 'auto', not 1: one theme sorts "
        "nothing ('auto' makes one theme only when the answers are too few to sort)"
    )


def test_a_segment_column_of_ids_is_refused(tmp_path, capsys):
    """smoke12: --segment-column id (a different value on every row) was accepted, and each
    theme got 200 rows of "too few answers to tell"."""
    path = tmp_path / "in.csv"
    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(["id", "text", "area"])
        for n in range(60):
            writer.writerow(
                [f"R{n}", f"Buses are late on route {n}", ("Coventry", "Dudley")[n % 2]]
            )
    base = ["themes", str(path), "--text-column", "text", "--engine", "fast", "--quiet"]
    assert main([*base, "--segment-column", "id", "--out", str(tmp_path / "o")]) == 2
    assert capsys.readouterr().err.strip() == (
        "consult-analyse: error: --segment-column 'id' has 60 different values in 60 rows: it "
        "looks like an id or free text, not a group to compare (a segment column holds a few "
        "groups, such as partner type or area)"
    )
    assert not (tmp_path / "o").exists()
    assert main([*base, "--segment-column", "area", "--out", str(tmp_path / "ok")]) == 0
