"""Do a theme's quotes make the point its label states? (quote33, issue 12)

Fits the demo's seven free-text questions (``bench.demo_report``'s ``fit_demo_question``,
automatic count, seed 0) and/or ArgKP's motions (the experts' count given, seed 0; which
motions: ``CONSULT_DATA_DIR``), each twice in one process: with the quotes picked again among
the answers the label's count took as making its point (:mod:`analysis.quote_makers`, the
default) and without (``LABEL_POINT_QUOTES`` off: the quotes as before).

Per quote, whether it makes the label's point:

- **count**: the product's own check, the answers the shown "about N make the label's own
  point" counted (:func:`analysis.label_points.label_point_reading`'s ``found``);
- **truth, majority**: the quote makes the theme's majority point (the demo's point most of the
  theme's own answers make, ``bench.demo_report.points_made``; ArgKP: the key point most of its
  arguments match);
- **truth, label**: the quote makes the label's own point, where known (the demo: the point
  whose wording the label is; ArgKP: the one key point of the arguments holding the label).

Also: themes with an answer the count takes as making the point but no quote that does
(smoke31's Q6 T01), mean quote length in words, and near-identical quote pairs within a theme
(:func:`analysis.quote_points.same_quote`, or one quote's words inside another's).

    .venv/bin/python -m bench.quote_points --sets demo,argkp --engine fast [--show 'Private inv']
        [--variants before,makers,lead]
"""

from __future__ import annotations

import argparse
import statistics
from collections import Counter
from contextlib import contextmanager
from typing import Any

from analysis import quote_makers, stages
from analysis.quote_points import quote_sentences, same_quote
from bench.common import machine


@contextmanager
def _kept_runs(runs: list[stages.FitRun]):
    """Keep every run reaching the segments stage (its themes are final there)."""
    original = stages.label_spread

    def kept(run: stages.FitRun) -> list[dict[str, Any]]:
        runs.append(run)
        return original(run)

    stages.label_spread = kept
    try:
        yield
    finally:
        stages.label_spread = original


# the variants compared: (LABEL_POINT_QUOTES and SEMANTIC, LEAD)
VARIANTS = {"before": (False, False), "makers": (True, False), "lead": (True, True)}


@contextmanager
def _quotes(variant: str):
    before = quote_makers.LABEL_POINT_QUOTES, quote_makers.SEMANTIC, quote_makers.LEAD
    on, lead = VARIANTS[variant]
    quote_makers.LABEL_POINT_QUOTES, quote_makers.SEMANTIC, quote_makers.LEAD = on, on, lead
    try:
        yield
    finally:
        quote_makers.LABEL_POINT_QUOTES, quote_makers.SEMANTIC, quote_makers.LEAD = before


def _makers(run: stages.FitRun) -> list[set[str]]:
    ids = [run.ids[row] for row in run.rep_rows]
    return [{ids[rep] for rep in found} for found in (run.label_point_makers or [])]


def _members(run: stages.FitRun, theme: int) -> set[str]:
    return {run.ids[row] for row in range(run.count) if int(run.labels[row]) == theme}


def demo_fits(engine: str, on: str) -> list[dict[str, Any]]:
    """Per demo question, its themes with each quote's truth (points made)."""
    from bench.demo_report import _phrasings, demo_questions, fit_demo_question, points_made

    phrasings = _phrasings()
    runs: list[stages.FitRun] = []
    found = []
    with demo_questions() as questions, _kept_runs(runs), _quotes(on):
        for wording, answers in questions:
            fit_demo_question(wording, answers, engine)
            run = runs[-1]
            made = {
                run.ids[row]: set(points_made(run.texts_in[row], phrasings))
                for row in range(run.count)
            }
            found.append(
                _themes(run, wording, made, lambda label: _demo_label_points(label, phrasings))
            )
    return found


def _demo_label_points(label: str, phrasings: dict[str, str]) -> set[str]:
    cut = label.lower().rstrip(".")[1:]
    return {p for core, p in phrasings.items() if cut and cut in core}


def argkp_fits(engine: str, on: str) -> list[dict[str, Any]]:
    """Per ArgKP motion, its themes with each quote's truth (key points matched)."""
    from analysis import ThemeModel
    from bench.quality import load_argkp

    runs: list[stages.FitRun] = []
    found = []
    with _kept_runs(runs), _quotes(on):
        for topic, _one, _kp, truth, texts in load_argkp():
            k = len({point for row in truth for point in row})
            ThemeModel(n_themes=k, engine=engine, seed=0).fit(
                texts, ids=[str(i) for i in range(len(texts))]
            )
            made = {str(i): set(points) for i, points in enumerate(truth)}

            def label_points(label: str, texts=texts, truth=truth) -> set[str]:
                said = [set(truth[r]) for r, t in enumerate(texts) if label.lower() in t.lower()]
                points = set().union(*said) if said else set()
                return points if len(points) == 1 else set()

            found.append(_themes(runs[-1], topic, made, label_points))
    return found


def _themes(run: stages.FitRun, name: str, made: dict[str, set[str]], label_points) -> dict:
    makers = _makers(run)
    themes = []
    for theme, entry in enumerate(run.themes):
        members = _members(run, theme)
        counted = Counter(p for m in sorted(members) for p in sorted(made.get(m, ())))
        # ties go to the first point by name (a set's order varied between fits: quote33)
        majority = min(counted, key=lambda p: (-counted[p], p)) if counted else None
        quotes = entry.get("quotes", [])
        themes.append(
            {
                "label": entry["label"],
                "quotes": [(str(q["id"]), q["text"]) for q in quotes],
                "count": [str(q["id"]) in makers[theme] for q in quotes] if makers else [],
                "spare": bool(makers and (makers[theme] & members)),
                "majority": [majority in made.get(str(q["id"]), ()) for q in quotes],
                "label_point": (
                    [bool(lp & made.get(str(q["id"]), set())) for q in quotes]
                    if (lp := label_points(entry["label"]))
                    else None
                ),
                # the quote makes the label's point and no other (truth, where known)
                "alone": [made.get(str(q["id"]), set()) == lp for q in quotes] if lp else None,
            }
        )
    return {"name": name, "themes": themes}


def _alike(a: str, b: str) -> bool:
    """Near-identical quotes: one quote in other framing, or one's words inside the other's."""
    if same_quote(quote_sentences(a), quote_sentences(b)):
        return True
    pa, pb = " ".join(a.lower().split()), " ".join(b.lower().split())
    return pa in pb or pb in pa


def figures(fits: list[dict[str, Any]]) -> dict[str, float]:
    """The table's figures over every theme of ``fits``."""
    themes = [t for fit in fits for t in fit["themes"] if t["quotes"]]
    quotes = [q for t in themes for q in t["quotes"]]
    count = [c for t in themes for c in t["count"]]
    known = [t for t in themes if t["label_point"] is not None]
    pairs = sum(
        _alike(a[1], b[1])
        for t in themes
        for i, a in enumerate(t["quotes"])
        for b in t["quotes"][i + 1 :]
    )
    return {
        "themes": len(themes),
        "quotes": len(quotes),
        "count_share": 100 * sum(count) / len(count) if count else 0.0,
        "count_first": 100 * sum(t["count"][0] for t in themes if t["count"]) / len(themes),
        "count_none": sum(t["spare"] and not any(t["count"]) for t in themes),
        "major_share": 100 * sum(m for t in themes for m in t["majority"]) / len(quotes),
        "major_first": 100 * sum(t["majority"][0] for t in themes) / len(themes),
        "known": len(known),
        "label_share": (
            100
            * sum(x for t in known for x in t["label_point"])
            / sum(len(t["label_point"]) for t in known)
            if known
            else 0.0
        ),
        "label_none": sum(not any(t["label_point"]) for t in known),
        "alone_share": (
            100 * sum(x for t in known for x in t["alone"]) / sum(len(t["alone"]) for t in known)
            if known
            else 0.0
        ),
        "alone_first": 100 * sum(t["alone"][0] for t in known) / len(known) if known else 0.0,
        "words": statistics.mean(len(q[1].split()) for q in quotes),
        "alike": pairs,
    }


ROWS = (
    ("quotes per theme", lambda f: f"{f['quotes'] / f['themes']:.2f}"),
    ("quotes making the label's point, by the count (%)", lambda f: f"{f['count_share']:.1f}"),
    ("first quote makes it, by the count (%)", lambda f: f"{f['count_first']:.1f}"),
    ("themes: no quote makes it, an answer does (count)", lambda f: str(f["count_none"])),
    ("quotes making the theme's majority point, truth (%)", lambda f: f"{f['major_share']:.1f}"),
    ("first quote makes it, truth (%)", lambda f: f"{f['major_first']:.1f}"),
    ("quotes making the label's own point, truth (%)", lambda f: f"{f['label_share']:.1f}"),
    (
        "themes (label's point known): no quote makes it",
        lambda f: f"{f['label_none']} / {f['known']}",
    ),
    ("quotes making the label's point alone, truth (%)", lambda f: f"{f['alone_share']:.1f}"),
    ("first quote makes it alone, truth (%)", lambda f: f"{f['alone_first']:.1f}"),
    ("mean quote length (words)", lambda f: f"{f['words']:.1f}"),
    ("near-identical quote pairs within a theme", lambda f: str(f["alike"])),
)


def table(title: str, found: dict[str, dict[str, float]]) -> str:
    """One column per variant."""
    first = next(iter(found.values()))
    lines = [
        f"| {title} ({first['themes']} themes) | {' | '.join(found)} |",
        "|---|" + "--:|" * len(found),
    ]
    lines += [f"| {name} | {' | '.join(show(f) for f in found.values())} |" for name, show in ROWS]
    return "\n".join(lines)


def changed(before: list[dict], after: list[dict]) -> tuple[int, int]:
    """Themes whose quotes changed, and labels that differ (must be 0)."""
    quotes = labels = 0
    for b, a in zip(before, after, strict=True):
        for tb, ta in zip(b["themes"], a["themes"], strict=True):
            labels += tb["label"] != ta["label"]
            quotes += [q[1] for q in tb["quotes"]] != [q[1] for q in ta["quotes"]]
    return quotes, labels


def show(fits: dict[str, list[dict]], words: str) -> None:
    """Print every variant's quotes under the labels holding ``words``."""
    names = list(fits)
    for index, fit in enumerate(fits[names[0]]):
        for number, theme in enumerate(fit["themes"]):
            if words.lower() not in theme["label"].lower():
                continue
            print(f"\n{fit['name'][:60]} / {theme['label']}")
            for name in names:
                t = fits[name][index]["themes"][number]
                for (_, text), c, m in zip(t["quotes"], t["count"], t["majority"], strict=True):
                    print(f"  {name} [count {'y' if c else 'n'} truth {'y' if m else 'n'}] {text}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sets", default="demo", help="demo, argkp or both (comma-separated)")
    parser.add_argument("--engine", choices=("fast", "semantic"), default="fast")
    parser.add_argument("--show", help="print the quotes of labels holding these words")
    parser.add_argument("--variants", default="before,makers,lead", help=", ".join(VARIANTS))
    args = parser.parse_args()
    print(machine())
    for name in args.sets.split(","):
        fit = demo_fits if name == "demo" else argkp_fits
        fits = {variant: fit(args.engine, variant) for variant in args.variants.split(",")}
        before = fits[next(iter(fits))]
        for variant, found in list(fits.items())[1:]:
            quotes, labels = changed(before, found)
            print(f"{name} {args.engine} {variant}: quotes changed in {quotes}, labels {labels}")
        print(table(f"{name} {args.engine}", {v: figures(f) for v, f in fits.items()}))
        if args.show:
            show(fits, args.show)


if __name__ == "__main__":
    main()
