"""The coding benchmark's pieces that do not need the shared data: the labelled-CSV loader,
the plain baseline and the simulated coder."""

from __future__ import annotations

import csv

import pytest

from bench.coding import labelled_csv, mean_of, plain_task, run_each, theme_task, with_plain
from bench.pxtextmining_v6 import main
from tests.analysis.test_coding import BOOK, coded_rows

pytestmark = pytest.mark.coding_encoder


def _write(path, rows) -> None:
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(["text", "labels"])
        writer.writerows(rows)


def test_labelled_csv_reads_the_code_command_layout(tmp_path):
    path = tmp_path / "coded.csv"
    _write(
        path,
        [
            ["Buses are late", "buses"],
            ["Rents and buses", "housing; buses"],
            ["Nothing to add", "-"],
            ["Not coded yet", ""],
            ["", "buses"],
        ],
    )
    texts, truth, book = labelled_csv(path, "text", "labels", rows=0, seed=0)
    assert sorted(texts) == ["Buses are late", "Nothing to add", "Rents and buses"]
    by_text = dict(zip(texts, truth, strict=True))
    assert by_text["Rents and buses"] == {"housing", "buses"}
    assert by_text["Nothing to add"] == frozenset()
    assert set(book.ids) == {"buses", "housing"}
    assert len(labelled_csv(path, "text", "labels", rows=2, seed=0)[0]) == 2


def test_simulated_coder_scores_model_and_plain_baseline(tmp_path):
    rows = coded_rows(120, seed=5)
    path = tmp_path / "coded.csv"
    _write(path, [[r["text"], ";".join(sorted(r["truth"]))] for r in rows])
    texts, truth, book = labelled_csv(path, "text", "labels", rows=0, seed=0)
    ours = run_each([lambda: (len(texts), theme_task(texts, truth, book, "fast", 0))], 0)
    plain = run_each(
        [lambda: (len(texts), plain_task(texts, truth, book, "words", 0))], 0, ("random",)
    )
    ours_mean, plain_mean = mean_of(ours), mean_of(plain)
    assert set(ours_mean) == {"random", "active", "random, all rows", "active, all rows"}
    assert set(plain_mean) == {"random", "random, all rows"}
    # all rows: the human-coded rows count as given (F1 1), the rest as the model coded them
    for strategy in ("random", "active"):
        for share, value in ours_mean[strategy].items():
            coded = round(share * len(texts))
            everything = (coded + (len(texts) - coded) * value) / len(texts)
            assert ours_mean[strategy + ", all rows"][share] == pytest.approx(everything)
    assert set(ours_mean["active"]) == {0.05, 0.1, 0.2, 0.5}
    assert ours_mean["active"][0.2] > 0.8  # the synthetic topics are easy
    assert 0.0 <= plain_mean["random"][0.2] <= 1.0
    # the same figures from forked workers, plain baseline and model together
    both = with_plain([(texts, truth, book)], "fast", 0, jobs=2)
    assert both[0]["active"] == ours[0]["active"]
    assert both[0]["random, plain TF-IDF + LR"] == plain[0]["random"]
    # stopping early gives the same figures up to that share, and none after
    early = with_plain([(texts, truth, book)], "fast", 0, plain=False, until=0.1)
    assert early[0]["active"] == {c: ours[0]["active"][c] for c in (0.05, 0.1)}


def test_pxtextmining_v6_converter_writes_the_code_layout(tmp_path):
    """A tiny synthetic file in the v6 framework's layout (the real one is not in the repo)."""
    source, out = tmp_path / "v6.csv", tmp_path / "coded.csv"
    header = ["Comment ID", "FFT question", "FFT answer", "Comment sentiment"]
    themes = ["Not assigned", "Staff manner & personal attributes", "Parking"]
    themes += ["Labelling not possible"]
    with source.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(header + themes)
        writer.writerow(["1", "What was good?", "Kind staff, easy parking", "1", "", "1", "1", ""])
        writer.writerow(["2", "FFT Why?", "It was fine", "3", "1", "", "", ""])
        writer.writerow(["3", "How could we\nimprove?", "n/a", "", "", "", "", "1"])
        writer.writerow(["4", "What was good?", "  ", "2", "", "1", "", ""])
    main([str(source), "--out", str(out)])
    rows = list(csv.DictReader(out.open(encoding="utf-8", newline="")))
    assert [r["text"] for r in rows] == ["Kind staff, easy parking", "It was fine"]
    assert rows[0]["labels"] == "staff-manner-personal-attributes;parking"
    assert rows[0]["theme_names"] == "Staff manner & personal attributes;Parking"
    assert rows[1]["labels"] == "-" and rows[1]["sentiment"] == "3"
    assert rows[1]["question"] == "FFT Why?"
    texts, truth, book = labelled_csv(out, "text", "labels", rows=0, seed=0)
    assert set(book.ids) == {"staff-manner-personal-attributes", "parking"}
    assert frozenset() in truth
    main([str(source), "--out", str(out), "--not-assigned", "theme"])
    rows = list(csv.DictReader(out.open(encoding="utf-8", newline="")))
    assert rows[1]["labels"] == "not-assigned"
    main([str(source), "--out", str(out), "--keep-unlabellable"])
    rows = list(csv.DictReader(out.open(encoding="utf-8", newline="")))
    assert [r["labels"] for r in rows] == [
        "staff-manner-personal-attributes;parking",
        "-",
        "labelling-not-possible",
    ]


def test_pxtextmining_v6_converter_refuses_another_layout(tmp_path, capsys):
    source = tmp_path / "other.csv"
    source.write_text("text,labels\nhello,a\n", encoding="utf-8")
    with pytest.raises(SystemExit) as stop:
        main([str(source), "--out", str(tmp_path / "out.csv")])
    assert stop.value.code == 2
    assert "FFT answer" in capsys.readouterr().err


def test_table_gives_model_coded_rows_then_all_rows(monkeypatch):
    from bench import coding

    results = {
        "data": {
            "random": {0.05: 0.5, 0.2: 0.6},
            "random, all rows": {0.05: 0.52, 0.2: 0.68},
            "active": {0.05: 0.5, 0.2: 0.7},
            "active, all rows": {0.05: 0.52, 0.2: 0.76},
        }
    }
    lines = coding.table(results, "f1").splitlines()
    assert lines[0].startswith("| data | selection | scored on | 5 % coded")
    assert [line.split(" | ")[1:3] for line in lines[2:]] == [
        ["random", "model-coded rows"],
        ["active", "model-coded rows"],
        ["random", "all rows (human codes as given)"],
        ["active", "all rows (human codes as given)"],
    ]
    assert lines[3].split(" | ")[5] == "0.700"
    # stance and themes go to their own sections, so a run of one keeps the other
    written = {}
    monkeypatch.setattr(coding, "write_section", lambda name, text: written.update({name: text}))
    monkeypatch.setattr(coding, "argkp", lambda: {})
    monkeypatch.setattr(coding, "gambling", lambda: [])
    coding.main(["--skip", "nhs", "argkp", "stance", "--write"])
    assert set(written) == {"coding"} and "Stance is in its own section" in written["coding"]


def test_leads_settings_change_the_model_and_suggest_defaults():
    import analysis.suggest as suggest_module
    from analysis.coding import CodingModel
    from bench.coding_leads import apply

    saved = (CodingModel.__init__.__defaults__, suggest_module.DENSITY)
    try:
        apply(["combine=0", "DENSITY=0.5"])
        assert CodingModel().combine is False
        assert suggest_module.DENSITY == 0.5
        with pytest.raises(SystemExit, match="unknown setting"):
            apply(["colour=blue"])
    finally:
        CodingModel.__init__.__defaults__ = saved[0]
        suggest_module.DENSITY = saved[1]
    assert CodingModel().combine is True


def test_leads_set_any_named_setting_of_suggest(monkeypatch):
    import analysis.suggest as suggest_module
    from bench.coding_leads import apply

    for name in ("DENSITY", "DENSITY_K", "SHARE"):
        monkeypatch.setattr(suggest_module, name, getattr(suggest_module, name))
    apply(["DENSITY=0.5", "DENSITY_K=20", "SHARE=max"])
    assert suggest_module.DENSITY == 0.5 and suggest_module.DENSITY_K == 20
    assert suggest_module.SHARE == "max"
    with pytest.raises(SystemExit, match="unknown setting"):
        apply(["NOT_A_SETTING=1"])


@pytest.mark.parametrize("setting", ["clause_scores=1", "NOVELTY=0.5", "KCENTER=True"])
def test_leads_name_the_commit_of_a_setting_taken_out(setting):
    from bench.coding_leads import TAKEN_OUT_AT, apply

    with pytest.raises(SystemExit, match=f"not adopted and taken out.*{TAKEN_OUT_AT}"):
        apply([setting])


def test_leads_refuse_a_setting_taken_out_before_fixed_records_its_rows(tmp_path, monkeypatch):
    """With ``--fixed``, ``apply`` runs only after the rows are recorded (minutes on real
    data): a setting taken out stops the run before any data is read."""
    import sys

    import bench.coding_leads as leads

    def read(*_):
        raise AssertionError("data read before the setting was refused")

    monkeypatch.setattr(leads.bench, "argkp", read)
    cache = tmp_path / "rows.pkl"
    argv = ["coding_leads", "--fixed", str(cache), "--set", "clause_scores=1"]
    monkeypatch.setattr(sys, "argv", argv)
    with pytest.raises(SystemExit, match=f"not adopted and taken out.*{leads.TAKEN_OUT_AT}"):
        leads.main()
    assert not cache.exists()


class _Serial:
    """A stand-in for a process pool's ``map``, in this process."""

    @staticmethod
    def map(function, jobs, chunksize=1):
        return [function(job) for job in jobs]


def test_leads_fixed_mode_refits_on_the_rows_active_selection_coded(tmp_path, monkeypatch):
    import bench.coding_leads as leads
    from bench.coding import simulate

    rows = coded_rows(80, seed=7)
    path = tmp_path / "coded.csv"
    _write(path, [[r["text"], ";".join(sorted(r["truth"]))] for r in rows])
    texts, truth, book = labelled_csv(path, "text", "labels", rows=0, seed=0)
    monkeypatch.setattr(leads, "ENGINE", "fast")
    monkeypatch.setattr(leads, "_DATA", [("synthetic", texts, truth, book)])
    monkeypatch.setattr(leads, "_UNTIL", [0.2])
    cache = tmp_path / "rows.pkl"
    recorded = leads.fixed_jobs(cache, _Serial())
    assert cache.exists() and len(recorded[0][1]) == round(0.2 * len(texts))
    # with the defaults, one fit on the recorded rows scores what the simulation scored
    fit, score, pick = theme_task(texts, truth, book, "fast", 0)
    simulated = simulate(len(texts), fit, score, pick, "active", 0, 0.2)
    name, strategy, fixed = leads._fit_fixed(recorded[0])
    assert (name, strategy) == ("synthetic", "fixed")
    assert fixed[0.2] == simulated[0.2]
    # the cache is read back, not recorded again, for the same data
    monkeypatch.setattr(leads, "_record", lambda job: pytest.fail("recorded again"))
    assert leads.fixed_jobs(cache, _Serial()) == recorded
    # another seed (the simulated coder's random start) is recorded anew, from its start
    monkeypatch.undo()
    monkeypatch.setattr(leads, "ENGINE", "fast")
    monkeypatch.setattr(leads, "_DATA", [("synthetic", texts, truth, book)])
    monkeypatch.setattr(leads, "_UNTIL", [0.2])
    monkeypatch.setattr(leads, "_SEED", [1])
    seeded = leads.fixed_jobs(cache, _Serial())
    assert seeded[0][1] != recorded[0][1]
    simulated = simulate(len(texts), fit, score, pick, "active", 1, 0.2)
    assert leads._fit_fixed(seeded[0])[2][0.2] == simulated[0.2]


def test_leads_numeric_settings_change_the_model_defaults():
    from analysis.coding import CodingModel
    from bench.coding_leads import apply

    saved = CodingModel.__init__.__defaults__
    try:
        apply(["C=8"])
        assert CodingModel().C == 8.0
    finally:
        CodingModel.__init__.__defaults__ = saved
    assert CodingModel().C == 16.0


def test_grader_takes_settings_only_in_process(capsys):
    from bench import grader

    with pytest.raises(SystemExit) as refused:
        grader.main(["argkp", "--set", "C=8"])
    assert refused.value.code == 2 and "--set needs --in-process" in capsys.readouterr().err


def test_leads_all_rows_adds_the_all_rows_measure(tmp_path, monkeypatch, capsys):
    """``--all-rows`` prints each figure on all rows (human codes as given) beside the one on
    the model-coded rows; without it, only the latter (the output as before)."""
    import json
    import sys

    import bench.coding_leads as leads

    rows = coded_rows(80, seed=7)
    path = tmp_path / "coded.csv"
    _write(path, [[r["text"], ";".join(sorted(r["truth"]))] for r in rows])
    monkeypatch.setattr(leads, "ENGINE", "fast")
    figures = {}
    for extra in ([], ["--all-rows"]):
        monkeypatch.setattr(leads, "_DATA", [])
        argv = ["coding_leads", "--motions", "none", "--v6", str(path), "--until", "0.1"]
        monkeypatch.setattr(sys, "argv", argv + extra)
        leads.main()
        line = capsys.readouterr().out
        figures[bool(extra)] = json.loads(line[line.index("{") : line.rindex("}") + 1])
    assert set(figures[False]) == {"v6/active/0.05", "v6/active/0.1"}
    assert set(figures[True]) == set(figures[False]) | {"v6/active/0.05/all", "v6/active/0.1/all"}
    for key, value in figures[False].items():
        assert figures[True][key] == value
        # all rows count the human-coded ones as exactly right: never below the model's rows
        assert value <= figures[True][key + "/all"] <= 1


def test_qdc_codebook_copies_the_framework_as_staff_would(tmp_path, capsys):
    """A tiny workbook in the published QDC framework's layout (the real ones are not in the
    repository): each v6 theme gets its sub-category's description and example comments,
    examples that are answers of the data left out; the product reads the file back."""
    import openpyxl

    from bench.coding import with_codebook
    from bench.qdc_codebook import examples_of
    from bench.qdc_codebook import main as qdc

    assert examples_of(
        "POSITIVE: 'Free parking', ‘Easy to park’\n\nNEGATIVE/ WISHLIST: 'Couldn't park.'"
    ) == ["Free parking", "Easy to park", "Couldn't park."]
    framework = tmp_path / "framework.xlsx"
    book = openpyxl.Workbook()
    book.active.append(["overview"])
    details = book.create_sheet("details")
    details.append(["Category", "Sub-category", "Sub-category description", "Examples"])
    details.append(["Travel", "Parking", "Parking of vehicles.", "'Free parking', 'Kind staff'"])
    details.append(["General", "Negative experience", "Thin negative data.", "'Everything'"])
    book.save(framework)
    v6 = tmp_path / "v6.csv"
    _write_v6(v6)
    out = tmp_path / "book.csv"
    qdc([str(v6), "--framework", str(framework), "--parts", "names,descriptions,examples",
         "--out", str(out)])  # fmt: skip
    assert "2 described by the framework" in capsys.readouterr().out
    rows = {r["id"]: r for r in csv.DictReader(out.open(encoding="utf-8", newline=""))}
    assert rows["parking"]["description"] == "Parking of vehicles."
    assert rows["parking"]["examples"] == "Free parking"  # "Kind staff" is an answer of v6
    assert rows["negative-experience-dissatisfaction"]["description"] == "Thin negative data."
    assert rows["staff-manner"] == {
        "id": "staff-manner",
        "name": "Staff manner",
        "description": "",
        "examples": "",
    }
    texts, truth, ids = labelled_csv(v6, "text", "labels", rows=0, seed=0)
    given = with_codebook(ids, out)
    assert given.ids == ids.ids  # the same themes, in the same order
    assert given.get("parking").name == "Parking"
    assert given.get("parking").examples == ("Free parking",)
    assert "Parking of vehicles." in given.get("parking").text()
    qdc([str(v6), "--framework", str(framework), "--parts", "names", "--out", str(out)])
    assert with_codebook(ids, out).get("parking").text() == "Parking"


def _write_v6(path) -> None:
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(["text", "labels", "theme_names"])
        writer.writerow(["Kind staff", "staff-manner", "Staff manner"])
        writer.writerow(["No spaces", "parking", "Parking"])
        writer.writerow(["Awful", "negative-experience-dissatisfaction",
                         "Negative experience & dissatisfaction"])  # fmt: skip


def test_cold_bench_reads_settings_and_scores_a_cold_start():
    from analysis.coding import CodingModel
    from bench.coding_cold import cold_figures, options_of
    from bench.coding_leads import apply

    assert options_of(["cold_margin=0", "cold_describe=whole", "combine=0"]) == {
        "cold_margin": 0.0,
        "cold_describe": "whole",
        "combine": False,
    }
    with pytest.raises(SystemExit, match="unknown CodingModel setting"):
        options_of(["colour=blue"])
    rows = coded_rows(60, seed=2)
    texts = [r["text"] for r in rows]
    truth = [r["truth"] for r in rows]
    figures = cold_figures(texts, truth, BOOK, {"engine": "fast"})
    assert set(figures) == {"f1", "precision", "recall", "none", "unsure"}
    assert 0.5 <= figures["f1"] <= 1 and figures["none"] == 0.0
    saved = CodingModel.__init__.__defaults__
    try:
        apply(["cold_margin=0.05"])
        assert CodingModel().cold_margin == 0.05
    finally:
        CodingModel.__init__.__defaults__ = saved
    assert CodingModel().cold_margin is None
