"""Whether a theme's summary says its commonest points (issue 12), in figures.

The measure, written down before it was taken:

- for each theme whose answers' points are known (the demo: each answer is built from known
  points, consult/demo_text.py; ArgKP: the key points each argument matches), count how many
  of the answers mentioning the theme make each point, leaving out the points its label says;
- the theme's **commonest** other point and its **second** commonest are each *due* when
  made by at least 20 % of those answers (and two or more);
- a due point is **covered** when some summary sentence (not the one-point note) says it
  (demo: the sentence is one of the point's phrasings; ArgKP: the argument the sentence was
  taken from matches the key point);
- due points that **another theme's label** says are counted apart too: the two-topic rule
  (:func:`analysis.describe.own_topic`) leaves those to the other theme on purpose;
- **repeats**: pairs of sentences of one summary saying one known point, and sentences
  saying the label's known point (the checks of ``bench.summary_repeats``).

The decision rule, written down before the odd motions were scored (tuned on the demo and
the even motions): a summary candidate sentence nearer another theme's centre is still read
when the point it belongs to (grouped as the summary groups, over all the theme's candidate
sentences) is made by 20 % or more of the answers read (``analysis.describe.COMMON_SHARE``);
the first point stays the most made; the second is the most made point of 20 % or more that
is distinct from the label and the first, when there is one; later ones are for variety as
before.

The NHS sample (no known points) is read for sentences per theme and the words rule's
repeats only. ArgKP's even motions and the demo were tuned on; the odd motions are held out.

    .venv/bin/python -m bench.summary_coverage [--argkp] [--nhs] [--code DIR] [--write]
    .venv/bin/python -m bench.summary_coverage --cpu 3000   # CPU of a fast fit, NHS rows
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:  # run by path with ``--code``: DIR first, then this tree
    sys.path.append(str(ROOT))

SHARE = 0.2  # a point is due in the summary when this share of the theme's answers make it
ENGINES = ("semantic", "fast")


def theme_record(theme: dict, counts: Counter, mentions: int, says, labelled: set[str]) -> dict:
    """What the figures need of one theme: its due points, whether each is said, whether
    another theme's label says it, and the known points of each summary sentence."""
    own = set(says(theme["label"]))
    said = [sorted(says(s["text"])) for s in theme["summary"] if not s.get("only_point")]
    others = sorted(
        ((n, p) for p, n in counts.items() if p not in own), key=lambda item: (-item[0], item[1])
    )
    due = []
    for rank, (n, point) in enumerate(others[:2]):
        if n >= max(2, SHARE * mentions):
            due.append(
                {
                    "rank": rank,
                    "point": point,
                    "makes": n,
                    "said": any(point in points for points in said),
                    "elsewhere": point in labelled,
                }
            )
    return {
        "label": theme["label"],
        "mentions": mentions,
        "due": due,
        "sentences": said,
        "texts": [s["text"] for s in theme["summary"] if not s.get("only_point")],
        "label_points": sorted(own),
        "note": any(s.get("only_point") for s in theme["summary"]),
    }


def _records(model, made: list[list[str]], says) -> list[dict]:
    """One record per theme of a fitted model (``made``: each answer's known points)."""
    labelled = {p for theme in model.themes_ for p in says(theme["label"])}
    found = []
    for index, theme in enumerate(model.themes_):
        rows = [r for r, themes in enumerate(model.memberships_) if index in themes]
        counts = Counter(p for r in rows for p in made[r])
        own = set(says(theme["label"]))
        found.append(theme_record(theme, counts, len(rows), says, labelled - own))
    return found


def measure_demo(engine: str) -> list[dict]:
    """The demo's seven free-text questions, themed as the workspace does."""
    from bench.demo_report import _phrasings, points_made
    from bench.summary_points import says
    from bench.summary_repeats import demo_fits

    phrasings = _phrasings()
    found = []
    for answers, model in demo_fits(engine):
        made = [points_made(t, phrasings) for t in answers.texts]
        found += _records(model, made, lambda text: says(text, phrasings))
    return found


def measure_argkp(engine: str) -> dict[str, list[dict]]:
    """ArgKP's 24 motions, as many themes as key points, seed 0; even and odd apart."""
    from bench.summary_repeats import argkp_fits

    found: dict[str, list[dict]] = {"even": [], "odd": []}
    for index, (texts, truth, model, by_sentence) in enumerate(argkp_fits(engine)):
        # A label's key points: those of the arguments it is cut from, else those of its
        # first quote (chosen as one that makes the label's point).
        labels = {
            theme["label"]: set().union(
                *(
                    set(p)
                    for t, p in zip(texts, truth, strict=True)
                    if theme["label"].lower() in t.lower()
                )
            )
            or (set(truth[int(theme["quotes"][0]["id"])]) if theme["quotes"] else set())
            for theme in model.themes_
        }

        def says(text: str, by_sentence=by_sentence, labels=labels):
            if text in labels:
                return sorted(labels[text])
            return sorted(by_sentence.get(text, set()))

        found["odd" if index % 2 else "even"] += _records(model, truth, says)
    return found


def measure_nhs() -> list[dict]:
    """The 2,000-row NHS sample smoke5 read (auto engine, seed 0): no known points."""
    from analysis import ThemeModel
    from bench.summary_repeats import nhs_sample

    texts, ids = nhs_sample()
    model = ThemeModel(seed=0).fit(texts, ids=ids)
    return _records(model, [[] for _ in texts], lambda _text: [])


def fit_cpu(rows: int) -> float:
    """CPU seconds (this process, one thread) of ``ThemeModel(engine="fast").fit`` on ``rows``
    rows of the NHS file (``random.Random(5).sample``, seed 0), the models loaded first."""
    from analysis import ThemeModel
    from bench.summary_repeats import nhs_sample

    texts, ids = nhs_sample(rows)
    ThemeModel(engine="fast", seed=0).fit(texts[:200], ids=ids[:200])  # warm: load models
    started = time.process_time()
    ThemeModel(engine="fast", seed=0).fit(texts, ids=ids)
    return time.process_time() - started


def measure(argkp: bool, nhs: bool, demo: bool = True, engines=ENGINES) -> dict:
    """Every set's theme records (the demo's unless ``demo`` is false)."""
    found: dict = {}
    for engine in engines if demo else ():
        found[f"demo {engine}"] = measure_demo(engine)
    if argkp:
        for engine in engines:
            for part, records in measure_argkp(engine).items():
                found[f"ArgKP {part} {engine}"] = records
    if nhs:
        found["NHS 2,000"] = measure_nhs()
    return found


def figures(records: list[dict]) -> dict:
    """Due points covered (first, second; those another theme's label says apart), summary
    sentences, pairs of sentences saying one known point, sentences saying the label's."""
    from bench.summary_repeats import repeat_pair

    out: dict = {"themes": len(records)}
    for rank, name in ((0, "first"), (1, "second")):
        due = [d for r in records for d in r["due"] if d["rank"] == rank]
        out[name] = (sum(d["said"] for d in due), len(due))
        own = [d for d in due if not d["elsewhere"]]
        out[f"{name}_own"] = (sum(d["said"] for d in own), len(own))
    out["sentences"] = sum(len(r["texts"]) for r in records)
    out["notes"] = sum(r["note"] for r in records)
    out["pairs_known"] = sum(
        len(p) == 1 and p == q
        for r in records
        for n, p in enumerate(r["sentences"])
        for q in r["sentences"][n + 1 :]
    )
    out["pairs_words"] = sum(
        repeat_pair(a, b)
        for r in records
        for n, a in enumerate(r["texts"])
        for b in r["texts"][n + 1 :]
    )
    out["label_known"] = sum(
        bool(set(p) & set(r["label_points"])) for r in records for p in r["sentences"]
    )
    return out


def _share(pair: tuple[int, int]) -> str:
    said, due = pair
    return f"{said} of {due}" if due else "–"


def table(current: dict, before: dict | None) -> list[str]:
    """One row per set and code."""
    lines = [
        "| set | code | themes | commonest other point due (20 %+) said | of those no other "
        "label says | second commonest due said | of those no other label says | summary "
        "sentences | one-point notes | pairs saying one known point | pairs repeating in words "
        "| sentences saying the label's known point |",
        "|---|---|--:|--:|--:|--:|--:|--:|--:|--:|--:|--:|",
    ]
    for name in current:
        for code, records in (("before", (before or {}).get(name)), ("after", current[name])):
            if records is None:
                continue
            f = figures(records)
            known = not name.startswith("NHS")
            lines.append(
                f"| {name} | {code} | {f['themes']} | "
                + (
                    f"{_share(f['first'])} | {_share(f['first_own'])} | {_share(f['second'])} | "
                    f"{_share(f['second_own'])} | "
                    if known
                    else "– | – | – | – | "
                )
                + f"{f['sentences']} | {f['notes']} | "
                + (f"{f['pairs_known']} | " if known else "– | ")
                + f"{f['pairs_words']} | "
                + (f"{f['label_known']} |" if known else "– |")
            )
    return lines


def main() -> None:
    """Measure (and the earlier code with ``--code``); print, or write BENCHMARKS.md."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--argkp", action="store_true", help="also ArgKP's 24 motions")
    parser.add_argument("--nhs", action="store_true", help="also the 2,000-row NHS sample")
    parser.add_argument("--no-demo", action="store_true", help="leave the demo out")
    parser.add_argument("--code", type=Path, help="an earlier copy of the code, for before")
    parser.add_argument("--json", type=Path, help="write the records here and stop")
    parser.add_argument("--before", type=Path, help="before: records a --json run wrote")
    parser.add_argument("--write", action="store_true", help="write BENCHMARKS.md's section")
    parser.add_argument("--cpu", type=int, help="only: CPU seconds of a fast fit on N NHS rows")
    parser.add_argument("--semantic-only", action="store_true", help="leave the fast engine out")
    args = parser.parse_args()
    if args.cpu:
        print(f"fast fit on {args.cpu} NHS rows: {fit_cpu(args.cpu):.1f} s CPU")
        return
    started = time.time()
    engines = ("semantic",) if args.semantic_only else ENGINES
    current = measure(args.argkp, args.nhs, not args.no_demo, engines)
    if args.json:
        args.json.write_text(json.dumps(current), encoding="utf-8")
        return
    from bench.common import machine, run_with_json, write_section

    flags = ["--argkp"] * args.argkp + ["--nhs"] * args.nhs + ["--no-demo"] * args.no_demo
    before = run_with_json(args.code, __file__, flags) if args.code else None
    if args.before:
        before = json.loads(args.before.read_text(encoding="utf-8"))

    lines = [
        "## Summaries that say a theme's commonest points (`bench/summary_coverage.py`)",
        "",
        "Command: `nice -n 10 .venv/bin/python -m bench.summary_coverage"
        + (" --argkp" if args.argkp else "")
        + (" --nhs" if args.nhs else "")
        + (" --no-demo" if args.no_demo else "")
        + (f" --code {args.code}" if args.code else "")
        + f" --write`. Machine: {machine()}; {time.time() - started:.0f} s.",
        "",
        *table(current, before),
    ]
    text = "\n".join(lines)
    print(text)
    if args.write:
        write_section("summary-coverage", text)


if __name__ == "__main__":
    main()
