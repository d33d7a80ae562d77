"""Taking the question's direction out of answer vectors: with and without, in one run.

    python -m bench.question_echo [--parts kmeans engine coding demo nhs] [--jobs 2] [--write]

Answers that restate the question ("we should not ban child actors because...") share that
echo, and it can outweigh the reasons that tell themes apart. ``analysis.echo`` measures how
much a question's answers echo its words and takes its direction out of the vectors in
proportion (none at a mean echo of 0.2 or less, all from 0.35). Each part compares, on the
same answers and vectors:

- ``kmeans``: all-MiniLM-L6-v2 + k-means (k = the key points, 3 seeds) on ArgKP's motions,
  raw and with the motion's direction projected out;
- ``engine``: the theme engines (seed 0, k given and auto) on ArgKP's motions, without and
  with the motion as the question's wording;
- ``coding``: the coding model's active selection at 20 % coded (a simulated coder, as
  ``bench.coding``), key points and stance per motion, without and with the motion;
- ``demo``: the demo consultation's free-text questions (auto themes, semantic engine): NMI
  against the points its answers were written from, with the question given and its
  direction taken out in full, as the echo rule decides, and with no question;
- ``nhs``: NHS FFT phase 1 per question (first 1,500 answers each; the FFT's usual wording),
  the semantic engine with the number of coded themes given, without and with the question.

The echo of each set is reported beside its figures. ArgKP's even motions are the ones the
echo rule's thresholds were read from alongside the demo and NHS; the odd ones are reported
apart.
"""

from __future__ import annotations

import argparse
import collections
import csv
import functools
import json
import multiprocessing
import statistics
import time

from sklearn.metrics import normalized_mutual_info_score

from .common import data_dir, machine, write_section

PARTS = ("kmeans", "engine", "coding", "demo", "nhs")


def _nmi(truth, predicted) -> float:
    return 100 * normalized_mutual_info_score(truth, predicted)


@functools.cache
def _argkp():
    """ArgKP's motions, read once per process."""
    from .quality import load_argkp

    return [(topic, texts, truth) for topic, texts, truth, *_ in load_argkp()]


def part_kmeans() -> list[dict]:
    """MiniLM + k-means per ArgKP motion, raw and with the motion's direction out."""
    from sklearn.cluster import KMeans
    from threadpoolctl import threadpool_limits

    from analysis.echo import question_echo
    from analysis.embeddings import MiniLMEmbedder
    from analysis.represent import without_direction

    embedder = MiniLMEmbedder(threads=1)
    rows = []
    for index, (topic, texts, truth) in enumerate(_argkp()):
        vectors = embedder.embed(texts)
        out = without_direction(vectors, embedder.embed([topic])[0], 1.0)
        k = len(set(truth))
        with threadpool_limits(1):
            raw, taken = (
                statistics.mean(
                    _nmi(truth, KMeans(k, n_init=3, random_state=s).fit_predict(x))
                    for s in range(3)
                )
                for x in (vectors, out)
            )
        rows.append(
            {"motion": index, "echo": question_echo(texts, topic), "raw": raw, "out": taken}
        )
        print("kmeans", topic, rows[-1], flush=True)
    return rows


def _engine_job(job: tuple[int, str]) -> dict:
    from analysis.api import ThemeModel

    index, engine = job
    topic, texts, truth = _argkp()[index]
    k = len(set(truth))
    row = {"motion": index, "engine": engine, "k": k}
    for name, question in (("none", None), ("question", topic)):
        for count in (k, "auto"):
            model = ThemeModel(n_themes=count, engine=engine, seed=0).fit(texts, question=question)
            key = f"{name}_{'k' if count == k else 'auto'}"
            row[key] = _nmi(truth, model.labels_)
            if count == "auto":
                row[f"{name}_themes"] = model.n_themes_
    print("engine", topic, row, flush=True)
    return row


def part_engine(pool) -> list[dict]:
    jobs = [(i, engine) for engine in ("semantic", "fast") for i in range(len(_argkp()))]
    return list(pool.imap(_engine_job, jobs))


def _coding_job(job: tuple[int, str, bool]) -> dict:
    from analysis import coding as coding_module
    from analysis import stance_model
    from analysis.features import CodingFeatures

    from . import coding as bench

    index, kind, given = job
    topic, (texts, truth, sides, book) = sorted(bench.argkp().items())[index]

    class Features(CodingFeatures):
        """The bench's features, given the motion as the question (as the app gives it)."""

        def __init__(self, engine="auto", embedding_weight=0.7, question=None, **kwargs):
            super().__init__(engine, embedding_weight, topic if given else question, **kwargs)

    for module in (bench, coding_module, stance_model):
        module.CodingFeatures = Features
    if kind == "themes":
        task = bench.theme_task(texts, truth, book, "semantic", 0)
    else:
        task = bench.stance_task(texts, sides, "semantic", 0)
    found = bench.simulate(len(texts), *task, "active", 0, until=0.2)[0.2]
    row = {"motion": index, "kind": kind, "given": given, "score": found[0]}
    print("coding", topic, row, flush=True)
    return row


def part_coding(pool) -> list[dict]:
    from . import coding as bench

    motions = len(bench.argkp())
    jobs = [(i, k, g) for k in ("themes", "stance") for i in range(motions) for g in (False, True)]
    return list(pool.imap(_coding_job, jobs))


def part_demo() -> list[dict]:
    """Each demo free-text question: auto themes with no question, with it (the echo rule),
    and with its direction taken out in full."""
    import analysis.echo as echo
    from analysis import ThemeModel
    from analysis.echo import echo_weight, question_echo

    from . import demo_report

    phrasings = demo_report._phrasings()
    rows = []
    with demo_report.demo_questions() as questions:
        for wording, answers in questions:
            made = [demo_report.points_made(text, phrasings) for text in answers.texts]
            row = {"question": wording, "echo": question_echo(answers.texts, wording)}
            for name, question, weight in (
                ("none", None, "auto"),
                ("rule", wording, "auto"),
                ("full", wording, 1.0),
            ):
                # "all taken out": the echo rule overruled for this fit only
                echo.echo_weight = echo_weight if weight == "auto" else (lambda _: 1.0)
                model = ThemeModel(n_themes="auto", engine="semantic", seed=0)
                model.fit(
                    answers.texts,
                    ids=answers.references,
                    agreement=answers.agreement,
                    question=question,
                )
                figures = demo_report.point_figures(
                    [int(t) for t in model.labels_], made, len(model.themes_)
                )
                row[name] = figures["point_nmi"]
            echo.echo_weight = echo_weight
            rows.append(row)
            print("demo", row, flush=True)
    return rows


def part_nhs() -> list[dict]:
    from analysis import ThemeModel
    from analysis.echo import question_echo

    from .sentiment import QUESTIONS

    by_question = collections.defaultdict(list)
    with (data_dir() / "nhs_fft_phase1.csv").open(encoding="utf-8", newline="") as handle:
        for row in csv.DictReader(handle):
            if row["feedback"].strip():
                by_question[row["question"]].append(row)
    rows = []
    for name, answers in sorted(by_question.items()):
        answers = answers[:1500]
        texts = [a["feedback"] for a in answers]
        wording = QUESTIONS[name]
        for column in ("label", "subcategory"):
            truth = [a[column] for a in answers]
            k = min(len(set(truth)), 30)
            row = {"question": name, "coding": column, "echo": question_echo(texts, wording)}
            for key, question in (("without", None), ("with", wording)):
                model = ThemeModel(n_themes=k, engine="semantic", seed=0)
                row[key] = _nmi(truth, model.fit(texts, question=question).labels_)
            rows.append(row)
            print("nhs", row, flush=True)
    return rows


def _mean(rows, key, parity=None) -> float:
    chosen = [r for r in rows if parity is None or r["motion"] % 2 == parity]
    return statistics.mean(r[key] for r in chosen)


def report(results: dict, command: str, seconds: float) -> str:
    lines = [
        "## Taking the question out of answer vectors (`bench/question_echo.py`)",
        "",
        f"Command: `{command}`. Machine: {machine()}, shared with other work (timings not "
        f"reported); {seconds / 60:.0f} min. Each part compares the same answers with and "
        "without the question's direction taken out (see the script's docstring). The echo is "
        "the mean share of the question's content words an answer repeats; `analysis.echo` "
        "takes the direction out in full from an echo of 0.35, not at all at 0.2 or less. "
        "ArgKP motions echo 0.39-0.66, so every motion has it taken out in full.",
        "",
    ]
    if "kmeans" in results:
        rows = results["kmeans"]
        lines += [
            "ArgKP, all-MiniLM-L6-v2 + k-means (k = the key points, mean over 3 seeds), NMI:",
            "",
            "| motions | raw vectors | motion's direction out |",
            "|---|---|---|",
        ]
        for parity, name in ((0, "12 even"), (1, "12 odd"), (None, "all 24")):
            lines.append(
                f"| {name} | {_mean(rows, 'raw', parity):.1f} | {_mean(rows, 'out', parity):.1f} |"
            )
        lines.append("")
    if "engine" in results:
        lines += [
            "ArgKP, the theme engines (seed 0), NMI without / with the motion as the question's "
            "wording; auto's mean number of themes in brackets:",
            "",
            "| engine | motions | k given | auto |",
            "|---|---|---|---|",
        ]
        for engine in ("semantic", "fast"):
            rows = [r for r in results["engine"] if r["engine"] == engine]
            for parity, name in ((0, "12 even"), (1, "12 odd"), (None, "all 24")):
                lines.append(
                    f"| {engine} | {name} | {_mean(rows, 'none_k', parity):.1f} / "
                    f"{_mean(rows, 'question_k', parity):.1f} | "
                    f"{_mean(rows, 'none_auto', parity):.1f} "
                    f"({_mean(rows, 'none_themes', parity):.1f}) / "
                    f"{_mean(rows, 'question_auto', parity):.1f} "
                    f"({_mean(rows, 'question_themes', parity):.1f}) |"
                )
        lines.append("")
    if "coding" in results:
        lines += [
            "ArgKP, coding with active selection at 20 % coded (scored on the model-coded "
            "rows), without / with the motion as the question's wording:",
            "",
            "| motions | key points, sample F1 | stance, accuracy |",
            "|---|---|---|",
        ]
        for parity, name in ((0, "12 even"), (1, "12 odd"), (None, "all 24")):
            cells = []
            for kind, scale, fmt in (("themes", 1, "{:.3f}"), ("stance", 100, "{:.1f} %")):
                pair = [
                    statistics.mean(
                        scale * r["score"]
                        for r in results["coding"]
                        if r["kind"] == kind
                        and r["given"] is given
                        and (parity is None or r["motion"] % 2 == parity)
                    )
                    for given in (False, True)
                ]
                cells.append(" / ".join(fmt.format(v) for v in pair))
            lines.append(f"| {name} | {cells[0]} | {cells[1]} |")
        lines.append("")
    if "demo" in results:
        lines += [
            "The demo consultation (semantic engine, auto themes), NMI against the points its "
            "answers were written from:",
            "",
            "| question | echo | no question | question, echo rule | question, all taken out |",
            "|---|---|---|---|---|",
        ]
        for r in results["demo"]:
            lines.append(
                f"| {r['question'][:60]} | {r['echo']:.2f} | {r['none']:.1f} | {r['rule']:.1f} "
                f"| {r['full']:.1f} |"
            )
        means = [statistics.mean(r[k] for r in results["demo"]) for k in ("none", "rule", "full")]
        lines += ["| **mean** | | " + " | ".join(f"**{m:.1f}**" for m in means) + " |", ""]
    if "nhs" in results:
        lines += [
            "NHS FFT phase 1 per question (semantic engine, seed 0, k = the coded themes, at "
            "most 30), NMI without / with the question's usual wording:",
            "",
            "| question | coding | echo | without | with |",
            "|---|---|---|---|---|",
        ]
        for r in results["nhs"]:
            lines.append(
                f"| {r['question']} | {r['coding']} | {r['echo']:.2f} | {r['without']:.1f} | "
                f"{r['with']:.1f} |"
            )
        lines.append("")
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--parts", nargs="+", choices=PARTS, default=list(PARTS))
    parser.add_argument("--jobs", type=int, default=2)
    parser.add_argument("--write", action="store_true", help="update BENCHMARKS.md")
    args = parser.parse_args(argv)
    started = time.perf_counter()
    results: dict = {}
    with multiprocessing.get_context("fork").Pool(args.jobs) as pool:
        for part in args.parts:
            if part in ("engine", "coding"):
                results[part] = globals()[f"part_{part}"](pool)
            else:
                results[part] = globals()[f"part_{part}"]()
    seconds = time.perf_counter() - started
    command = "python -m bench.question_echo --parts " + " ".join(args.parts)
    text = report(results, command, seconds)
    print(json.dumps(results)[:2000])
    print(text)
    if args.write:
        write_section("question-echo", text)


if __name__ == "__main__":
    main()
