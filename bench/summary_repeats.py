"""Summary sentences that repeat the theme's label or each other (issue 12), in figures.

The measure, written down before it was taken:

- a summary sentence (not the "makes one point only" note) **repeats the label** when its
  words say the label again (the same words, one inside the other, or 60 % of their words
  shared) or it makes the label's point as an answer is judged to when counting who makes it
  (:func:`analysis.label_points.statement_makers` with the label, cosine 0.5, the words rule
  over all the answers read);
- two sentences of one summary **repeat each other** when one's words are found whole in the
  other's, or their content words (:func:`analysis.label_points.content_words`) overlap by
  half or more (Jaccard), both or neither saying "not";
- where the answers' points are known, a truth beside the rules: on the demo (each answer
  built from known points, consult/demo_text.py) a sentence that says a point its label says,
  and two sentences saying one known point; on ArgKP a sentence whose argument matches a key
  point the label's arguments match, and two sentences whose arguments match one key point.

Both rules are kept here (not imported from :mod:`analysis.repeats`) so ``--code`` measures an
earlier commit by the same rules. The rules are the ones the fix uses, so "after" is near 0 by
construction; the known points are the independent check.

Sets: the demo's seven free-text questions as the workspace themes them (semantic engine,
automatic count, seed 0, agreement and partner type); a 2,000-row sample of the NHS FFT
phase 1 file (``random.Random(5).sample``: the sample smoke5 read, auto engine, seed 0); with
``--argkp``, ArgKP's 24 motions (semantic engine, as many themes as key points, seed 0).

    .venv/bin/python -m bench.summary_repeats [--argkp] [--code DIR] [--write]
"""

from __future__ import annotations

import argparse
import csv
import json
import random
import re
import sys
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:  # run by path with ``--code``: DIR first, then this tree
    sys.path.append(str(ROOT))

DESCRIPTION = (
    "The measure was written down before it was taken (this script's docstring). A summary "
    "sentence (not the one-point note) repeats the label when it says the label's words again "
    "(the same words, one inside the other, or 60 % of words shared) or makes the label's point "
    "as an answer is judged to when counting who makes it (`statement_makers` with the label, "
    "MiniLM cosine 0.5, the words rule over the answers read); two sentences of one summary "
    "repeat each other when one's words are found whole in the other's or their content words "
    "overlap by half or more (Jaccard), both or neither saying 'not'. These are the rules the "
    "fix uses, so 'after' is near 0 by construction; the known points are the independent "
    "check: on the demo a sentence saying a point its label says (each answer is built from "
    "known points), on ArgKP a sentence whose argument matches a key point the label's "
    "arguments match, and pairs of sentences saying one known point. Sets: the demo's seven "
    "free-text questions as the workspace themes them (semantic, automatic count, seed 0); the "
    "2,000-row NHS FFT sample smoke5 read (`random.Random(5).sample`, auto engine, seed 0); "
    "ArgKP's 24 motions (semantic, as many themes as key points, seed 0). Before: the commit "
    "given by `--code` (`git archive`), run in its own process by the same rules."
)

_WORDS = re.compile(r"[\w'’]+")
_NEGATIONS = {"not", "no", "never", "nor", "cannot", "without", "none", "nothing"}


def _plain(text: str) -> str:
    return " ".join(_WORDS.findall(text.lower().replace("’", "'")))


def _negated(text: str) -> bool:
    return any(w in _NEGATIONS or w.endswith("n't") for w in _plain(text).split())


def words_again(text: str, other: str) -> bool:
    """The label rule in words: the same words, one inside the other, 60 % shared."""
    a, b = _plain(text), _plain(other)
    if not a or not b:
        return False
    if a == b or f" {a} " in f" {b} " or f" {b} " in f" {a} ":
        return True
    x, y = set(a.split()), set(b.split())
    return len(x & y) / len(x | y) >= 0.6


def repeat_pair(text: str, other: str) -> bool:
    """Two sentences in nearly the same words (the measure above)."""
    from analysis.label_points import content_words

    a, b = _plain(text), _plain(other)
    if not a or not b:
        return False
    if a == b or f" {a} " in f" {b} " or f" {b} " in f" {a} ":
        return True
    if _negated(text) != _negated(other):
        return False
    x, y = content_words(text), content_words(other)
    return bool(x and y) and len(x & y) / len(x | y) >= 0.5


def count_themes(themes: list[dict], read: list[str], embed, truth=None) -> dict:
    """Sentences, label repeats and repeated pairs over ``themes`` (``read``: the answers
    read, for the words rule; ``truth(theme, text)``: a text's known points, or None)."""
    from analysis.label_points import LABEL_POINT_THRESHOLD, statement_makers

    found = {"themes": len(themes), "sentences": 0, "label": 0, "pairs": 0}
    if truth is not None:
        found |= {"label_truth": 0, "pairs_truth": 0, "known": 0}
    examples: list[str] = []
    for theme in themes:
        said = [s["text"] for s in theme.get("summary", []) if not s.get("only_point")]
        found["sentences"] += len(said)
        if not said:
            continue
        judged = statement_makers([theme["label"]], said, embed, LABEL_POINT_THRESHOLD, read)
        for text, makes in zip(said, judged[:, 0], strict=True):
            if words_again(text, theme["label"]) or bool(makes):
                found["label"] += 1
                examples.append(f"label: {text} | {theme['label']}")
        for n, a in enumerate(said):
            for b in said[n + 1 :]:
                if repeat_pair(a, b):
                    found["pairs"] += 1
                    examples.append(f"pair: {a} | {b}")
        if truth is None:
            continue
        label_points = set(truth(theme, theme["label"]))
        points = [set(truth(theme, text)) for text in said]
        found["known"] += sum(len(p) == 1 for p in points)
        found["label_truth"] += sum(bool(p & label_points) for p in points)
        found["pairs_truth"] += sum(
            len(p) == 1 and p == q for n, p in enumerate(points) for q in points[n + 1 :]
        )
    found["examples"] = examples
    return found


def demo_fits(engine: str) -> Iterator[tuple[Any, Any]]:
    """Each of the demo's seven free-text questions: its answers (as the workspace's analysis
    job reads them) and the model the workspace fits them with, by ``engine``."""
    from bench.demo_report import demo_questions, fit_demo_question

    with demo_questions() as questions:
        for wording, answers in questions:
            yield answers, fit_demo_question(wording, answers, engine)


def measure_demo(embed) -> dict:
    """The demo's seven free-text questions."""
    from bench.demo_report import _phrasings
    from bench.summary_points import says

    phrasings = _phrasings()
    totals: dict = {}
    for answers, model in demo_fits("semantic"):
        texts = answers.texts
        read = [t for t, th in zip(texts, model.memberships_, strict=True) if len(th)]
        found = count_themes(model.themes_, read, embed, lambda _theme, text: says(text, phrasings))
        _add(totals, found)
    return totals


def nhs_sample(size: int = 2000, seed: int = 5) -> tuple[list[str], list[str]]:
    """The NHS sample smoke5 read: ``random.Random(5).sample`` of the file's rows."""
    from bench.common import data_dir

    path = data_dir() / "nhs_fft_phase1.csv"
    with path.open(encoding="utf-8", newline="") as handle:
        rows = list(csv.DictReader(handle))
    rows = random.Random(seed).sample(rows, size)
    return [r["feedback"] for r in rows], [r["row_index"] for r in rows]


def measure_nhs(embed) -> dict:
    """The 2,000-row NHS sample, as the CLI themes it (auto engine, seed 0)."""
    from analysis import ThemeModel

    texts, ids = nhs_sample()
    model = ThemeModel(seed=0).fit(texts, ids=ids)
    read = [t for t, th in zip(texts, model.memberships_, strict=True) if len(th)]
    return count_themes(model.themes_, read, embed)


def argkp_fits(engine: str) -> Iterator[tuple[list[str], list, Any, dict[str, set]]]:
    """ArgKP's 24 motions, each themed by ``engine`` into as many themes as key points (seed
    0): its arguments, each argument's key points, the model, and each summary sentence (the
    one-point note left out) with the key points of the argument it was taken from."""
    from analysis import ThemeModel
    from bench.quality import load_argkp

    for _topic, _one, _kp, truth, texts in load_argkp():
        k = len({label for row in truth for label in row})
        model = ThemeModel(n_themes=k, engine=engine, seed=0).fit(
            texts, ids=[str(i) for i in range(len(texts))]
        )
        by_sentence = {
            s["text"]: set(truth[int(s["id"])])
            for theme in model.themes_
            for s in theme["summary"]
            if not s.get("only_point")
        }
        yield texts, truth, model, by_sentence


def measure_argkp(embed) -> dict:
    """ArgKP's 24 motions; known points from the key points the arguments match."""
    totals: dict = {}
    for texts, truth, model, by_sentence in argkp_fits("semantic"):
        read = [t for t, th in zip(texts, model.memberships_, strict=True) if len(th)]

        def known(theme: dict, text: str, by_sentence=by_sentence, texts=texts, truth=truth):
            if text != theme["label"]:
                return by_sentence.get(text, set())
            cut = text.lower()
            return set().union(
                *(set(p) for t, p in zip(texts, truth, strict=True) if cut in t.lower())
            )

        _add(totals, count_themes(model.themes_, read, embed, known))
    return totals


def _add(totals: dict, found: dict) -> None:
    for key, value in found.items():
        totals[key] = totals.get(key, [] if isinstance(value, list) else 0) + value


def measure(argkp: bool, only_argkp: bool = False) -> dict:
    """Every set's counts (ArgKP's with ``argkp``; only those with ``only_argkp``)."""
    from analysis.embeddings import MiniLMEmbedder

    embed = MiniLMEmbedder().embed
    found = {} if only_argkp else {"demo": measure_demo(embed), "NHS 2,000": measure_nhs(embed)}
    if argkp or only_argkp:
        found["ArgKP 24"] = measure_argkp(embed)
    return found


def table(current: dict, before: dict | None) -> list[str]:
    """One row per set: before and after."""
    lines = [
        "| set | code | themes | summary sentences | repeat the label (rules) | pairs repeating "
        "each other (rules) | with one known point | say the label's known point | pairs "
        "saying one known point |",
        "|---|---|--:|--:|--:|--:|--:|--:|--:|",
    ]
    for name in current:
        for code, found in (("before", (before or {}).get(name)), ("after", current[name])):
            if found is None:
                continue
            known = [str(found.get(k, "–")) for k in ("known", "label_truth", "pairs_truth")]
            lines.append(
                f"| {name} | {code} | {found['themes']} | {found['sentences']} | "
                f"{found['label']} | {found['pairs']} | {' | '.join(known)} |"
            )
    return lines


def main() -> None:
    """Measure (and the earlier code with ``--code``); print, or write BENCHMARKS.md."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--argkp", action="store_true", help="also ArgKP's 24 motions")
    parser.add_argument("--only-argkp", action="store_true", help="ArgKP's 24 motions only")
    parser.add_argument("--code", type=Path, help="an earlier copy of the code, for before")
    parser.add_argument("--json", type=Path, help="write the counts here and stop")
    parser.add_argument("--before", type=Path, help="before: counts a --json run wrote")
    parser.add_argument("--write", action="store_true", help="write BENCHMARKS.md's section")
    args = parser.parse_args()
    started = time.time()
    current = measure(args.argkp, args.only_argkp)
    if args.json:
        args.json.write_text(json.dumps(current), encoding="utf-8")
        return
    from bench.common import machine, run_with_json, write_section

    flags = ["--argkp"] * args.argkp + ["--only-argkp"] * args.only_argkp
    before = run_with_json(args.code, __file__, flags) if args.code else None
    if args.before:
        before = json.loads(args.before.read_text(encoding="utf-8"))

    lines = [
        "## Summary sentences that repeat the label or each other (`bench/summary_repeats.py`)",
        "",
        "Command: `nice -n 10 .venv/bin/python -m bench.summary_repeats"
        + (" --argkp" if args.argkp else "")
        + (" --only-argkp" if args.only_argkp else "")
        + (f" --code {args.code}" if args.code else "")
        + (f" --before {args.before}" if args.before else "")
        + f" --write`. Machine: {machine()}; {time.time() - started:.0f} s (before and after). "
        + DESCRIPTION,
        "",
        *table(current, before),
    ]
    text = "\n".join(lines)
    print(text)
    for name, found in current.items():
        for example in found.get("examples", [])[:12]:
            print(f"  {name} {example}")
    if args.write:
        write_section("summary-repeats", text)


if __name__ == "__main__":
    main()
