"""Play the grader of ``consult-analyse code`` exactly, through the command line.

From labelled data, the labels are hidden; a seeded 5 % of the rows are revealed (their
LABELS and, where the data has stance, STANCE cells); then ``consult-analyse code`` runs as
a subprocess, the ids its ``suggest.csv`` lists are revealed, and so on until 20 % are
coded. After each call ``coded.csv`` is scored: sample-averaged F1 on the rows the model
coded and on all rows (human codes as given), and stance accuracy likewise.

The random start and the batch sizes are those of ``bench.coding`` (2.5 % steps), so for
themes alone (``--themes-only``) the figures can be checked against its in-process
simulation of the same data and seed (``--compare``). Each call's wall time is recorded,
with the share the command itself reports in ``metrics.json`` (the rest is start-up).

    python -m bench.grader v6 [--file v6.csv] [--compare] [--write]
    python -m bench.grader argkp [--motions 24|even|odd] [--themes-only]
                                 [--question-from-motion] [--compare]
    python -m bench.grader gambling [--compare]
    python -m bench.grader nhs [--rows 2000] [--nhs-part 0]
    python -m bench.grader report --json RUNS.jsonl [--write]

v6's file is ``bench.pxtextmining_v6``'s output (default: ``v6.csv`` in the shared data folder,
``$CONSULT_DATA_DIR``); without it the run stops and says how to build it.

Each run appends its summary to ``--json``; ``report`` turns those lines into the
BENCHMARKS.md section (``--write``).

``--cli consult-analyse`` runs the installed entry point (``.venv/bin/consult-analyse``, as
a judge does) instead of ``python -m analysis.cli``; ``--engine default`` passes no
``--engine`` (what a judge gets without it); ``--step 0.05`` asks for 5 % of the rows per
round (5, 10, 15, 20 %) instead of ``bench.coding``'s 2.5 % steps. Every call is checked
against the contract (exit 0, ``coded.csv``'s columns and row order, human codes and stances
kept as given, ``suggest.csv`` asking only uncoded ids); what fails is listed under
``faults`` in the run's JSON line, with the engine and coding encoder ``metrics.json`` names.

``--in-process`` calls ``analysis.cli.main`` with the same arguments instead of starting a
process per call: the outputs are the same (its figures matched the subprocess loop's
exactly on ArgKP's 24 motions), five to ten times faster, for trying settings (``--set``, as
``bench.coding_leads`` takes them); quote the subprocess runs as the grader's figures.
"""

from __future__ import annotations

import argparse
import contextlib
import csv
import io
import json
import random
import shlex
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

from analysis.codebook import Codebook
from analysis.coding import sample_f1

from . import coding as bench
from .common import data_dir, machine, write_section

START = bench.START
UNTIL = 0.20


@dataclass
class Data:
    """One labelled set: texts, true themes, true stance (or None), codebook (or None)."""

    name: str
    texts: list[str]
    truth: list[frozenset]
    stance: list[str] | None
    book: Codebook | None
    question: str | None = None


@dataclass
class Round:
    """One CLI call: how many rows were coded, its scores and its time."""

    coded: int
    share: float
    f1_model: float
    f1_all: float
    stance_model: float | None
    stance_all: float | None
    wall: float
    reported: float
    engine: str = ""
    encoder: str = ""
    faults: list[str] = field(default_factory=list)


@dataclass
class Result:
    data: str
    rows: int
    rounds: list[Round] = field(default_factory=list)


def write_codebook(book: Codebook, path: Path) -> None:
    """A codebook CSV (id, name, description) as staff would pass with ``--codebook``."""
    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(["id", "name", "description"])
        for code in book.codes:
            writer.writerow([code.id, code.name, code.description])


def write_input(data: Data, ids: list[str], coded: set[int], path: Path) -> None:
    """The CSV a grader would pass: labels and stance only on the revealed rows."""
    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(["id", "text", "labels", *(["stance"] if data.stance else [])])
        for i, text in enumerate(data.texts):
            shown = i in coded
            labels = (";".join(sorted(data.truth[i])) or "-") if shown else ""
            row = [ids[i], text, labels]
            if data.stance:
                row.append(data.stance[i] if shown else "")
            writer.writerow(row)


CONTRACT_COLUMNS = (
    "id",
    "themes",
    "source",
    "confidence",
    "stance",
    "stance_source",
    "stance_confidence",
)


def contract_faults(data: Data, ids: list[str], coded: set[int], out: Path) -> list[str]:
    """What ``coded.csv`` does against issue 13's contract: the contract's columns in its
    order (more may follow), one row per input row in input order, every revealed row
    ``human`` with its themes (and stance) exactly as given, every other row ``model``."""
    with (out / "coded.csv").open(encoding="utf-8", newline="") as handle:
        reader = csv.DictReader(handle)
        header = tuple(reader.fieldnames or ())
        rows = list(reader)
    faults = []
    if header[: len(CONTRACT_COLUMNS)] != CONTRACT_COLUMNS:
        faults.append(f"coded.csv columns {header}")
    if [r.get("id") for r in rows] != ids:
        faults.append("coded.csv is not one row per input row in input order")
        return faults
    changed = wrong_source = stance_changed = 0
    for i, row in enumerate(rows):
        if i in coded:
            given = frozenset(data.truth[i])
            got = frozenset() if row["themes"] in ("-", "") else frozenset(row["themes"].split(";"))
            changed += got != given or row["themes"] == ""
            wrong_source += row["source"] != "human"
            if data.stance:
                stance_changed += (row["stance"], row["stance_source"]) != (
                    data.stance[i],
                    "human",
                )
        else:
            wrong_source += row["source"] != "model"
    for count, what in (
        (changed, "human-coded rows whose themes changed"),
        (wrong_source, "rows with the wrong source"),
        (stance_changed, "human stances changed"),
    ):
        if count:
            faults.append(f"{count} {what}")
    return faults


def score(data: Data, ids: list[str], out: Path) -> tuple[float, float, float | None, float | None]:
    """Sample F1 on the model-coded rows and on all rows; stance accuracy likewise."""
    with (out / "coded.csv").open(encoding="utf-8", newline="") as handle:
        rows = list(csv.DictReader(handle))
    assert [r["id"] for r in rows] == ids, "coded.csv is not one row per input row in order"
    predicted = [
        frozenset() if r["themes"] in ("-", "") else frozenset(r["themes"].split(";")) for r in rows
    ]
    f1 = sample_f1(data.truth, predicted)
    model = np.array([r["source"] == "model" for r in rows])
    f1_model = float(np.mean(f1[model])) if model.any() else float("nan")
    stance_model = stance_all = None
    if data.stance:
        right = np.array([r["stance"] == s for r, s in zip(rows, data.stance, strict=True)], float)
        guessed = np.array([r["stance_source"] != "human" for r in rows])
        stance_model = float(np.mean(right[guessed])) if guessed.any() else float("nan")
        stance_all = float(np.mean(right))
    return f1_model, float(np.mean(f1)), stance_model, stance_all


def play(
    data: Data,
    seed: int,
    engine: str,
    work: Path,
    codebook: bool = True,
    until: float = UNTIL,
    batch: int = 0,
    in_process_cli: bool = False,
    step: float = 0.0,
    cli: str = "",
) -> Result:
    """The grader's loop on one data set. ``batch`` 0: ``bench.coding``'s 2.5 % steps, or
    ``step`` (a share of the rows per round) when given. ``in_process_cli``: call the command
    line's ``main`` here (:func:`run_command`). ``cli``: the program to run (default
    ``python -m analysis.cli``). ``engine`` "default": no ``--engine``."""
    n = len(data.texts)
    ids = [f"r{i + 1}" for i in range(n)]
    index = {row_id: i for i, row_id in enumerate(ids)}
    order = list(range(n))
    random.Random(seed).shuffle(order)
    coded = set(order[: max(2, int(round(START * n)))])
    goal = max(2, int(round(until * n)))
    steps = [s for s in bench._steps(n) if s <= goal]
    if batch:
        steps = list(range(len(coded), goal, batch)) + [goal]
    elif step:
        count = int(round(until / step))
        steps = sorted({max(2, int(round(k * step * n))) for k in range(1, count + 1)} | {goal})
    book_path = work / "codebook.csv"
    if codebook and data.book is not None:
        write_codebook(data.book, book_path)
    result = Result(data.name, n)
    for k, step in enumerate(steps):
        if step < len(coded):
            continue
        following = next((s for s in steps[k + 1 :] if s > step), None)
        ask = (following - step) if following else 0
        source, out = work / "input.csv", work / "out"
        write_input(data, ids, coded, source)
        command = [
            *([cli] if cli else [sys.executable, "-m", "analysis.cli"]),
            "code",
            str(source),
            "--text-column",
            "text",
            "--labels-column",
            "labels",
            *(["--stance-column", "stance"] if data.stance else []),
            "--id-column",
            "id",
            *(["--codebook", str(book_path)] if codebook and data.book is not None else []),
            *(["--question", data.question] if data.question else []),
            *(["--engine", engine] if engine != "default" else []),
            "--suggest",
            str(ask),
            "--seed",
            str(seed),
            "--out",
            str(out),
        ]
        started = time.perf_counter()
        done = (
            run_command(command)
            if in_process_cli
            else subprocess.run(command, capture_output=True, text=True, check=False)
        )
        wall = time.perf_counter() - started
        if done.returncode != 0:
            raise SystemExit(f"{data.name}: exit {done.returncode}: {done.stderr.strip()}")
        metrics = json.loads((out / "metrics.json").read_text())
        faults = contract_faults(data, ids, coded, out)
        if done.stderr.strip():
            faults.append("stderr: " + done.stderr.strip().splitlines()[-1][:200])
        with (out / "suggest.csv").open(encoding="utf-8", newline="") as handle:
            asked = [index[r["id"]] for r in csv.DictReader(handle)]
        if len(asked) != ask or set(asked) & coded or len(set(asked)) != len(asked):
            faults.append(f"suggest.csv listed {len(asked)} ids (asked {ask}), some coded/twice")
        result.rounds.append(
            Round(
                len(coded),
                len(coded) / n,
                *score(data, ids, out),
                wall,
                metrics["seconds"],
                str(metrics.get("engine", "")),
                str(metrics.get("coding_encoder", "")),
                faults,
            )
        )
        coded.update(asked)
    return result


def run_command(command: list[str]) -> subprocess.CompletedProcess:
    """``python -m analysis.cli ARGS`` (``command``) run by calling ``analysis.cli.main(ARGS)``
    in this process, its output captured as a subprocess's would be."""
    from analysis import cli

    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        try:
            code = cli.main(command[command.index("code") :])
        except SystemExit as stop:  # argparse and the CLI's own exits
            code = stop.code if isinstance(stop.code, int) else 1
    return subprocess.CompletedProcess(command, code or 0, out.getvalue(), err.getvalue())


def in_process(data: Data, seed: int, engine: str, until: float = UNTIL) -> dict:
    """``bench.coding``'s own simulation (active selection) of the same data and seed."""
    fit, score_, pick = bench.theme_task(data.texts, data.truth, data.book, engine, seed)
    return bench.simulate(len(data.texts), fit, score_, pick, "active", seed, until)


# --- data -----------------------------------------------------------------------------------


def datasets(args: argparse.Namespace) -> list[Data]:
    """The data sets named on the command line, in ``bench.coding``'s row order."""
    if args.data == "v6":
        texts, truth, book = bench.labelled_csv(args.file, "text", "labels", args.rows, args.seed)
        return [Data(args.file.name, texts, truth, None, book)]
    if args.data == "argkp":
        motions = pick_motions(list(bench.argkp().items()), args.motions)
        return [
            Data(
                topic,
                t,
                truth,
                None if args.themes_only else sides,
                book,
                topic if args.question_from_motion else None,
            )
            for topic, (t, truth, sides, book) in motions
        ]
    if args.data == "nhs":
        texts, truth, book = bench.nhs(args.rows or 2000, 0, args.nhs_part)
        return [
            Data(f"NHS phase 1, {len(texts)} rows, part {args.nhs_part}", texts, truth, None, book)
        ]
    return [
        Data(f"gambling_XS question {k + 1}", t, truth, None, book)
        for k, (t, truth, book) in enumerate(bench.gambling())
    ]


def pick_motions(motions: list, which: str) -> list:
    """The first N motions (``which`` a number), or the even ones (0th, 2nd, ...: tuned on
    in ``bench.coding``) or the odd ones (held aside), as ``bench.coding`` splits them."""
    if which == "even":
        return motions[::2]
    if which == "odd":
        return motions[1::2]
    return motions[: int(which)]


def at(result: Result, share: float) -> Round:
    """The round at a checkpoint share (``bench.coding``'s count for it)."""
    count = max(2, int(round(share * result.rows)))
    return min(result.rounds, key=lambda r: abs(r.coded - count))


def summary(results: list[Result], compared: list[dict] | None) -> dict:
    """Means over the data sets at 5, 10 and 20 % coded, and time per call."""
    shares = [c for c in bench.CHECKPOINTS if c <= UNTIL + 1e-9]
    table: dict = {}
    for share in shares:
        picked = [at(r, share) for r in results]
        entry = {
            "f1_model": float(np.mean([p.f1_model for p in picked])),
            "f1_all": float(np.mean([p.f1_all for p in picked])),
        }
        if picked[0].stance_all is not None:
            entry["stance_model"] = float(np.mean([p.stance_model for p in picked]))
            entry["stance_all"] = float(np.mean([p.stance_all for p in picked]))
        if compared:
            entry["bench_f1_model"] = float(np.mean([c[share][0] for c in compared]))
            entry["bench_f1_all"] = float(np.mean([c[share][1] for c in compared]))
        table[share] = entry
    walls = [r.wall for res in results for r in res.rounds]
    reported = [r.reported for res in results for r in res.rounds]
    table["calls"] = len(walls)
    table["faults"] = sorted({f for res in results for r in res.rounds for f in r.faults})
    table["engines"] = sorted({f"{r.engine}/{r.encoder}" for res in results for r in res.rounds})
    table["wall_mean"] = float(np.mean(walls))
    table["wall_max"] = float(np.max(walls))
    table["reported_mean"] = float(np.mean(reported))
    return table


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("data", choices=["v6", "argkp", "gambling", "nhs", "report"])
    parser.add_argument(
        "--file", type=Path, help="v6: bench.pxtextmining_v6's CSV (default: DATA_DIR/v6.csv)"
    )
    parser.add_argument(
        "--rows", type=int, default=0, help="a seeded sample of v6 (0: all) or of NHS (0: 2000)"
    )
    parser.add_argument("--nhs-part", type=int, default=0, help="NHS: 0 tuning part, 1 aside")
    parser.add_argument(
        "--motions", default="24", help="ArgKP: the first N motions, or 'even' or 'odd' ones"
    )
    parser.add_argument("--themes-only", action="store_true", help="ArgKP without stance")
    parser.add_argument(
        "--question-from-motion",
        action="store_true",
        help="ArgKP: pass each motion's wording as --question (a grader may or may not)",
    )
    parser.add_argument("--no-codebook", action="store_true", help="pass no --codebook")
    parser.add_argument(
        "--engine",
        default="auto",
        choices=["auto", "fast", "semantic", "default"],
        help="default: pass no --engine",
    )
    parser.add_argument("--cli", default="", help="the program to run (e.g. consult-analyse)")
    parser.add_argument(
        "--step", type=float, default=0.0, help="a share of the rows per round (e.g. 0.05)"
    )
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--batch", type=int, default=0, help="fixed --suggest (0: 2.5 %% steps)")
    parser.add_argument("--compare", action="store_true", help="also run bench.coding in-process")
    parser.add_argument(
        "--in-process",
        action="store_true",
        help="call analysis.cli.main instead of a subprocess per call (same outputs, faster)",
    )
    parser.add_argument(
        "--set",
        action="append",
        default=[],
        dest="settings",
        help="with --in-process: a setting as bench.coding_leads --set takes (e.g. C=8)",
    )
    parser.add_argument("--json", type=Path, help="append the summary as a JSON line here")
    parser.add_argument("--write", action="store_true", help="report: write BENCHMARKS.md")
    parser.add_argument("--label", help="the data's name in the report")
    args = parser.parse_args(argv)
    if args.data == "report":
        records = [json.loads(line) for line in args.json.read_text().splitlines() if line]
        text = report(records)
        print(text)
        if args.write:
            write_section("coding-grader", text)
        return
    if args.data == "v6":
        args.file = v6_file(args.file, parser)
    if args.settings:
        if not args.in_process:
            parser.error("--set needs --in-process (a subprocess would not see it)")
        from .coding_leads import apply

        apply(args.settings)
    started = time.perf_counter()
    results, compared = [], []
    for data in datasets(args):
        with tempfile.TemporaryDirectory(prefix="grader-") as folder:
            result = play(
                data,
                args.seed,
                args.engine,
                Path(folder),
                not args.no_codebook,
                batch=args.batch,
                in_process_cli=args.in_process,
                step=args.step,
                cli=args.cli,
            )
        results.append(result)
        line = {
            "data": data.name,
            "rows": result.rows,
            "rounds": [vars(r) for r in result.rounds],
        }
        if args.compare:
            engine = "semantic" if args.engine == "auto" else args.engine
            compared.append(in_process(data, args.seed, engine))
            line["bench"] = {str(k): v for k, v in compared[-1].items()}
        print(json.dumps(line), flush=True)
    table = summary(results, compared or None)
    record = {
        "data": args.data,
        "label": args.label,
        "sets": len(results),
        "rows": sum(r.rows for r in results),
        "command": "python -m bench.grader " + shlex.join(_shown(argv or sys.argv[1:])),
        "machine": machine(),
        "minutes": round((time.perf_counter() - started) / 60, 1),
        "summary": {str(k): v for k, v in table.items()},
    }
    print(json.dumps(record), flush=True)
    if args.json:
        with args.json.open("a", encoding="utf-8") as handle:
            handle.write(json.dumps(record) + "\n")


def v6_file(given: Path | None, parser: argparse.ArgumentParser) -> Path:
    """The v6 CSV to play: ``given``, else ``v6.csv`` in the shared data folder; a missing
    file stops the run with the command that builds it (the data is not shipped)."""
    path = given or data_dir() / "v6.csv"
    if not path.is_file():
        parser.error(
            f"v6: no file at {path}. Build it from pxtextmining's "
            "datasets/v6framework_230831.csv (The-Strategy-Unit/pxtextmining, MIT): "
            f"python -m bench.pxtextmining_v6 v6framework_230831.csv --out {path} "
            "(or pass --file)"
        )
    return path


def _shown(args: list[str]) -> list[str]:
    """The command's arguments with file paths cut to their names (they are not shipped)."""
    return [Path(a).name if "/" in a else a for a in args]


def _cell(value: float | None, unit: str = "f1") -> str:
    if value is None:
        return "–"
    return f"{100 * value:.1f} %" if unit == "%" else f"{value:.3f}"


def report(records: list[dict]) -> str:
    """The BENCHMARKS.md section from the runs' summary lines."""
    shares = [c for c in bench.CHECKPOINTS if c <= UNTIL + 1e-9]
    heads = " | ".join(f"{int(c * 100)} % coded" for c in shares)
    lines = [
        "## Coding through the command line, as a grader would (`bench/grader.py`)",
        "",
        "Issue 13's check on unseen data, played exactly: labels hidden; a seeded 5 % of the "
        "rows revealed in the LABELS (and STANCE) column; `consult-analyse code INPUT "
        "--text-column text --labels-column labels [--stance-column stance] --id-column id "
        "--codebook codebook.csv --suggest N --seed 0 --out DIR` run as a subprocess (the "
        "codebook: v6's theme ids, ArgKP's key points, gambling_XS's themes with their "
        "descriptions, as `bench/coding.py` uses them); the "
        "ids `DIR/suggest.csv` lists revealed; repeated until 20 % are coded (N: 2.5 % of the "
        "rows, the batches of `bench/coding.py`). After each call `DIR/coded.csv` is scored: "
        "sample-averaged F1 on the rows the model coded and on all rows (human codes as "
        "given), stance accuracy likewise. 'In-process' is `bench.coding`'s own simulation "
        "(active selection) of the same data and seed, run beside it: where the grader codes "
        "themes only, the two must agree exactly. Engine `auto` (semantic, MiniLM). Wall "
        "time is per `code` call, start-up included; 'in command' is what `metrics.json` "
        "reports (reading to writing).",
        "",
        f"| data | scored on | {heads} |",
        "|---|---|" + "---|" * len(shares),
    ]
    notes, remarks = [], []
    for record in records:
        if "note" in record:  # a measured remark kept with the runs, printed after them
            remarks.append(record["note"])
            continue
        table = record["summary"]
        name = record.get("label") or record["data"]
        rows = [
            ("themes, model-coded rows", "f1_model", "f1"),
            ("themes, all rows", "f1_all", "f1"),
            ("themes, model-coded rows, in-process", "bench_f1_model", "f1"),
            ("themes, all rows, in-process", "bench_f1_all", "f1"),
            ("stance, model-coded rows", "stance_model", "%"),
            ("stance, all rows", "stance_all", "%"),
        ]
        for label, key, unit in rows:
            if key not in table[str(shares[0])]:
                continue
            cells = " | ".join(_cell(table[str(c)].get(key), unit) for c in shares)
            lines.append(f"| {name} | {label} | {cells} |")
        notes.append(
            f"- {name}: `{record['command']}` on {record['machine']}, {record['minutes']} min; "
            f"{table['calls']} calls, wall time per call {table['wall_mean']:.0f} s on average "
            f"(at most {table['wall_max']:.0f} s), {table['reported_mean']:.0f} s of it in the "
            "command."
        )
    return "\n".join([*lines, "", *notes, *(f"\n{remark}" for remark in remarks)])


if __name__ == "__main__":
    main()
