"""The demo consultation's theme reports, read as a policy officer would, in figures.

Loads the demo (``flask demo load``: 275 submitted responses, seed 2026) into a temporary
SQLite file, themes each free-text question's submitted answers as the workspace's analysis
job does (``ThemeModel``, automatic number of themes, seed 0, with the paired agreement
answers, the question's wording and partner type) and counts what a reader trips over: two
themes saying one point (one label the start of another, or labels sharing most of their
words), labels over 14 words or ending on a function word (unless a whole sentence),
keywords that are only the places the demo's partners write from, summary sentences per
theme, and summary sentences that say the label or the first quote again. The demo knows
which of its points each answer makes (each point has two or three phrasings in
consult/demo_text.py), so it also counts the points given two or more themes (one point split
by its phrasings), the themes where no point is made by 60 % of the members (two points
mixed), and the NMI of the themes against the points on answers making one.

    .venv/bin/python -m bench.demo_report [--engine auto|fast|semantic] [--code DIR] [--write]
        [--read FILE]
    .venv/bin/python -m bench.demo_report --counts 5,6,7,8,9,10 [--engine ...]
    .venv/bin/python -m bench.demo_report --phrasings

``--code DIR`` runs another copy of the code (e.g. ``git archive`` of an earlier commit
unpacked in DIR) for a before-and-after in the same conditions; only the current code's run
writes BENCHMARKS.md.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import sys
import tempfile
from collections import Counter
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
# The places the demo's partners say they write from (consult/demo_dress.py: "In Walsall,
# ...", "Across the Black Country, ..."; before it, closers such as " in Walsall" and " for
# rural parts of the region").
CLOSER_WORDS = {
    "birmingham",
    "coventry",
    "dudley",
    "sandwell",
    "solihull",
    "walsall",
    "wolverhampton",
    "black country",
    "rural parts",
}
_WORD = re.compile(r"[a-z0-9'-]+")


def _content(label: str) -> set[str]:
    from analysis.statements import FUNCTION_WORDS

    return {w for w in _WORD.findall(label.lower()) if w not in FUNCTION_WORDS}


def _twins(labels: list[str]) -> int:
    """Pairs of labels that say one point: one the start of the other, or sharing at least
    60 % of their content words."""
    count = 0
    for i, first in enumerate(labels):
        for second in labels[i + 1 :]:
            a, b = first.lower(), second.lower()
            if a.startswith(b) or b.startswith(a):
                count += 1
                continue
            x, y = _content(first), _content(second)
            if x and y and len(x & y) / len(x | y) >= 0.6:
                count += 1
    return count


def _plain(text: str) -> list[str]:
    return re.findall(r"\w+", text.lower())


def restates(text: str, other: str, inside: bool = True) -> bool:
    """Whether a summary sentence says ``other`` again: the same words, 60 % of their words
    shared (Jaccard) or, with ``inside``, one's words found whole in the other's (kept here
    so the rule is the same for the code given by ``--code``)."""
    a, b = " ".join(_plain(text)), " ".join(_plain(other))
    if not a or not b:
        return False
    if a == b or (inside and (f" {a} " in f" {b} " or f" {b} " in f" {a} ")):
        return True
    x, y = set(a.split()), set(b.split())
    return len(x & y) / len(x | y) >= 0.6


def in_quotes(text: str, quotes: list[dict]) -> bool:
    """Whether a summary sentence's words are found whole in one of the theme's quotes (what
    a reader reads twice: in the summary and under "In their words")."""
    plain = " ".join(_plain(text))
    return bool(plain) and any(
        f" {plain} " in f" {' '.join(_plain(quote['text']))} " for quote in quotes
    )


def summary_figures(themes: list[dict]) -> dict:
    """Summary sentences that say the theme's label again, or its first quote again (its
    words, not a sentence within it), or are found whole in any of its quotes; themes
    summarised as making one point only; quotes shown."""
    label = quote = only = quoted = 0
    for theme in themes:
        first = theme["quotes"][0]["text"] if theme["quotes"] else ""
        for sentence in theme["summary"]:
            if sentence.get("only_point"):
                only += 1
                continue
            label += restates(sentence["text"], theme["label"])
            quote += restates(sentence["text"], first, inside=False)
            quoted += in_quotes(sentence["text"], theme["quotes"])
    return {
        "restate_label": label,
        "restate_quote": quote,
        "only_point": only,
        "in_quotes": quoted,
        "quotes": sum(len(theme["quotes"]) for theme in themes),
    }


def _phrasings() -> dict[str, str]:
    """Each phrasing of each demo point (without its first letter and full stop, as openers
    lower-case the first letter and closers go before the stop) -> the point's name."""
    from consult import demo_text

    found = {}
    banks = [
        (f"{t}:{side}", points)
        for t, sides in demo_text.WHY.items()
        for side, points in sides.items()
    ]
    banks += list(demo_text.OPEN.items())
    for name, points in banks:
        for index, point in enumerate(points):
            for phrasing in point:
                found[phrasing[1:].rstrip(".").lower()] = f"{name}:{index}"
    found[demo_text.CAMPAIGN[1:80].lower()] = "campaign"
    return found


def points_made(text: str, phrasings: dict[str, str]) -> list[str]:
    """The demo points an answer makes (by the phrasings found in it)."""
    low = (text or "").lower()
    return sorted({point for core, point in phrasings.items() if core in low})


def point_figures(labels: list[int], made: list[list[str]], k: int) -> dict:
    """Points given two or more themes (a theme's point: the one most of its members make),
    themes where no point is made by 60 % of the members, and NMI (%) against the points on
    answers making exactly one."""
    from sklearn.metrics import normalized_mutual_info_score

    owners: Counter = Counter()
    mixed = 0
    for theme in range(k):
        members = [m for label, m in zip(labels, made, strict=True) if label == theme]
        counts = Counter(p for m in members for p in m)
        if not counts:
            continue
        point, most = min(counts.items(), key=lambda item: (-item[1], item[0]))
        owners[point] += 1
        mixed += most < 0.6 * len(members)
    single = [
        (label, m[0]) for label, m in zip(labels, made, strict=True) if len(m) == 1 and label >= 0
    ]
    nmi = normalized_mutual_info_score([p for _, p in single], [label for label, _ in single])
    return {
        "split": sum(1 for count in owners.values() if count > 1),
        "mixed": mixed,
        "point_nmi": 100 * nmi,
        "points": len({p for m in made for p in m}),
    }


@contextmanager
def demo_questions(seed: int = 2026) -> Iterator[list[tuple[str, Any]]]:
    """A freshly loaded demo (in a throwaway SQLite file; ``seed``: the demo's draw, 2026 as
    ``flask demo load``): each free-text question's wording with its answers as the
    workspace's analysis job reads them (``consult.reports.runs.answers_for``).
    ``CONSULT_INSTANCE_PATH`` is the caller's again afterwards."""
    from sqlalchemy import select

    from consult import create_app
    from consult.demo import DEMO_SLUG, load_demo
    from consult.extensions import db
    from consult.models import Consultation
    from consult.reports.runs import answers_for

    before = os.environ.get("CONSULT_INSTANCE_PATH")
    try:
        with tempfile.TemporaryDirectory() as folder:
            os.environ["CONSULT_INSTANCE_PATH"] = folder
            url = f"sqlite:///{folder}/demo.sqlite"
            app = create_app({"TESTING": True, "DATABASE_URL": url, "SECRET_KEY": "bench"})
            with app.app_context():
                db.create_all()
                load_demo(seed=seed)
                consultation = db.session.scalar(
                    select(Consultation).where(Consultation.slug == DEMO_SLUG)
                )
                yield [(q.text, answers_for(q)) for q in consultation.questions if q.is_text]
    finally:
        # the caller's instance folder again (the throwaway one is gone)
        if before is None:
            os.environ.pop("CONSULT_INSTANCE_PATH", None)
        else:
            os.environ["CONSULT_INSTANCE_PATH"] = before


def fit_demo_question(wording: str, answers: Any, engine: str = "semantic", **options: Any):
    """One demo question themed as the workspace's analysis job themes it: automatic number
    of themes, seed 0, the question's wording, partner type and the paired agreement."""
    from analysis import ThemeModel

    return ThemeModel(n_themes="auto", engine=engine, seed=0, **options).fit(
        answers.texts,
        ids=answers.references,
        segments={"partner_type": answers.segments["partner_type"]},
        agreement=answers.agreement,
        question=wording,
    )


def measure(engine: str) -> dict:
    """Theme every free-text question of a freshly loaded demo; figures and labels."""
    from analysis.describe import whole_sentence_set
    from analysis.statements import ends_badly

    phrasings = _phrasings()
    found = []
    with demo_questions() as questions:
        for wording, answers in questions:
            texts = answers.texts
            model = fit_demo_question(wording, answers, engine)
            themes = model.themes_
            labels = [t["label"] for t in themes]
            whole = whole_sentence_set(texts)  # a whole sentence may end as it likes
            made = [points_made(text, phrasings) for text in texts]
            found.append(
                {
                    **point_figures([int(t) for t in model.labels_], made, len(themes)),
                    **summary_figures(themes),
                    "question": wording,
                    "answers": sum(1 for t in texts if t and t.strip()),
                    "labels": labels,
                    "themes": len(themes),
                    "twins": _twins(labels),
                    "long": sum(len(label.split()) > 14 for label in labels),
                    "fragments": sum(
                        ends_badly(label) and label.lower() not in whole for label in labels
                    ),
                    "words": [len(label.split()) for label in labels],
                    "place_keywords": sum(
                        k.lower() in CLOSER_WORDS for t in themes for k in t["keywords"][:5]
                    ),
                    "summary": [len(t["summary"]) for t in themes],
                    "read": [_reading(t) for t in themes],
                    "joined": [list(p) for p in getattr(model, "joined_themes_", [])],
                }
            )
    return {"engine": engine, "questions": found}


def count_scan(engine: str, counts: list[int]) -> list[dict]:
    """Each free-text question themed with each number of themes given (no automatic count,
    so nothing is joined or dissolved; whole answers only): points split, points mixed and
    NMI against the demo's points per count, to tell whether a count rule could help."""
    from analysis import ThemeModel

    phrasings = _phrasings()
    found = []
    with demo_questions() as questions:
        for wording, answers in questions:
            made = [points_made(text, phrasings) for text in answers.texts]
            row = {"question": wording, "points": len({p for m in made for p in m}), "by": {}}
            for k in counts:
                model = ThemeModel(n_themes=k, engine=engine, seed=0, secondary_parts=None).fit(
                    answers.texts, ids=answers.references, agreement=answers.agreement
                )
                row["by"][k] = point_figures([int(t) for t in model.labels_], made, k)
            found.append(row)
    return found


def count_table(found: list[dict], counts: list[int]) -> str:
    """The count scan as a table: per question, split / mixed / NMI at each count."""
    lines = [
        "| question | points | " + " | ".join(f"{k} themes" for k in counts) + " |",
        "|---|--:|" + "---|" * len(counts),
    ]
    for index, row in enumerate(found, start=1):
        cells = [
            f"{row['by'][k]['split']} / {row['by'][k]['mixed']} / {row['by'][k]['point_nmi']:.1f}"
            for k in counts
        ]
        lines.append(f"| {index} | {row['points']} | " + " | ".join(cells) + " |")
    return "\n".join(lines)


def phrasing_table() -> str:
    """How far apart each demo point's phrasings are, as MiniLM sees them: per point of two
    or more phrasings, the mean cosine between its own phrasings, and how many of them have a
    phrasing of another point (of the same question) nearer than any of their own. A point
    whose phrasings are each nearer another point's cannot be one theme for any clustering
    of meaning: its split says more about the demo's text than about the engine."""
    import numpy as np

    from analysis.embeddings import MiniLMEmbedder
    from consult import demo_text

    embedder = MiniLMEmbedder(threads=1)
    banks: dict[str, list[tuple[str, tuple[str, ...]]]] = {}
    for topic, sides in demo_text.WHY.items():
        for side, points in sides.items():
            banks.setdefault(topic, []).extend(
                (f"{topic}:{side}:{i}", p) for i, p in enumerate(points)
            )
    for name, points in demo_text.OPEN.items():
        banks.setdefault(name, []).extend((f"{name}:{i}", p) for i, p in enumerate(points))
    lines = [
        "| point | first phrasing | phrasings | mean cosine within | nearer another point's |",
        "|---|---|--:|--:|--:|",
    ]
    counted = astray = 0
    for points in banks.values():
        texts = [phrasing for _, point in points for phrasing in point]
        owner = [name for name, point in points for _ in point]
        vectors = np.asarray(embedder.embed(texts))
        similarity = vectors @ vectors.T
        for name, point in points:
            own = [i for i, o in enumerate(owner) if o == name]
            other = [i for i, o in enumerate(owner) if o != name]
            if len(own) < 2:
                continue
            within = float(np.mean([similarity[a, b] for a in own for b in own if a < b]))
            nearer = sum(
                max(similarity[a, o] for o in other) > max(similarity[a, b] for b in own if b != a)
                for a in own
            )
            counted += 1
            astray += nearer == len(own)
            lines.append(f"| {name} | {point[0][:60]} | {len(own)} | {within:.2f} | {nearer} |")
    lines += [
        "",
        f"{astray} of {counted} points have every phrasing nearer another point's phrasing.",
    ]
    return "\n".join(lines)


def _reading(theme: dict) -> dict:
    """What a reader sees of a theme: label, keywords, summary (with whose each point is),
    sentiment and stance."""
    return {
        "label": theme["label"],
        "keywords": theme["keywords"][:6],
        "summary": [(s.get("stance", ""), s["text"], len(s["ids"])) for s in theme["summary"]],
        "sentiment": theme.get("sentiment"),
        "stance": theme.get("stance"),
        "size": theme["size"],
    }


def _totals(result: dict) -> dict:
    questions = result["questions"]
    words = [w for q in questions for w in q["words"]]
    summary = [s for q in questions for s in q["summary"]]
    return {
        "themes": sum(q["themes"] for q in questions),
        "twins": sum(q["twins"] for q in questions),
        "long": sum(q["long"] for q in questions),
        "fragments": sum(q["fragments"] for q in questions),
        "words": sum(words) / max(len(words), 1),
        "place_keywords": sum(q["place_keywords"] for q in questions),
        "summary": sum(summary) / max(len(summary), 1),
        "split": sum(q.get("split", 0) for q in questions),
        "mixed": sum(q.get("mixed", 0) for q in questions),
        "point_nmi": sum(q.get("point_nmi", 0.0) for q in questions) / max(len(questions), 1),
        "points": sum(q.get("points", 0) for q in questions),
        "sentences": len(summary) and sum(summary),
        "restate_label": sum(q.get("restate_label", 0) for q in questions),
        "restate_quote": sum(q.get("restate_quote", 0) for q in questions),
        "only_point": sum(q.get("only_point", 0) for q in questions),
        "in_quotes": sum(q.get("in_quotes", 0) for q in questions),
        "quotes": sum(q.get("quotes", 0) for q in questions),
    }


def _run_other(code: Path, engine: str) -> dict:
    """This script's measure() on another copy of the code, in its own process."""
    from bench.common import measure_in

    return measure_in(code, __file__, f"measure({engine!r})")


def report(current: dict, before: dict | None, command: str) -> str:
    from bench.common import machine

    now = _totals(current)
    lines = [
        "## The demo consultation's theme reports in figures (`bench/demo_report.py`)",
        "",
        f"Command: `{command}`. Machine: {machine()}. The demo (275 submitted responses, seed "
        "2026) loaded afresh; each of its seven free-text questions themed as the workspace "
        f"does (automatic number of themes, {current['engine']} engine, seed 0, with the "
        "paired agreement answers, the question's wording and partner type)."
        + (
            " 'before' is the code given by `--code`, with its own demo text, run in its own "
            "process in the same run."
            if before
            else ""
        ),
        "",
    ]
    rows = [
        ("themes, all seven questions", "themes", "{:d}"),
        (
            "pairs of themes saying one point (one label the start of another, or 60 % of "
            "content words shared)",
            "twins",
            "{:d}",
        ),
        ("demo points (each in two or three phrasings), all seven questions", "points", "{:d}"),
        ("points given two or more themes (one point split)", "split", "{:d}"),
        ("themes where no point is made by 60 % of the members (points mixed)", "mixed", "{:d}"),
        (
            "NMI against the demo's points, answers making one point (mean of seven, %)",
            "point_nmi",
            "{:.1f}",
        ),
        ("labels over 14 words", "long", "{:d}"),
        ("labels ending on a function word (not a whole sentence)", "fragments", "{:d}"),
        ("words per label", "words", "{:.1f}"),
        (
            "places partners write from among a theme's first five keywords",
            "place_keywords",
            "{:d}",
        ),
        ("summary sentences per theme", "summary", "{:.1f}"),
        ("summary sentences, all themes", "sentences", "{:d}"),
        (
            "of them saying the label again (its words, 60 % of them, or within the sentence)",
            "restate_label",
            "{:d}",
        ),
        ("of them the theme's first quote again (60 % of its words)", "restate_quote", "{:d}"),
        (
            "of them found whole in one of the theme's quotes ('In their words')",
            "in_quotes",
            "{:d}",
        ),
        ("themes summarised as making one point only", "only_point", "{:d}"),
        ("quotes shown, all themes", "quotes", "{:d}"),
    ]
    if before is not None:
        old = _totals(before)
        lines += ["| | before | now |", "|---|--:|--:|"]
        lines += [
            f"| {name} | {fmt.format(old[key])} | {fmt.format(now[key])} |"
            for name, key, fmt in rows
        ]
    else:
        lines += ["| | now |", "|---|--:|"]
        lines += [f"| {name} | {fmt.format(now[key])} |" for name, key, fmt in rows]
    lines += ["", "Labels now, per question:", ""]
    for question in current["questions"]:
        lines.append(
            f"- *{question['question']}* ({question['answers']} answers): "
            + "; ".join(f'"{label}"' for label in question["labels"])
        )
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--engine", default="auto", choices=["auto", "fast", "semantic"])
    parser.add_argument("--code", type=Path, help="also run this copy of the code (before)")
    parser.add_argument("--write", action="store_true", help="write BENCHMARKS.md")
    parser.add_argument(
        "--read", type=Path, help="also write every theme as a reader sees it to this JSON file"
    )
    parser.add_argument(
        "--counts",
        help="instead, theme each question with each of these numbers of themes (e.g. 5,6,7) "
        "and print points split / mixed / NMI per count",
    )
    parser.add_argument(
        "--phrasings",
        action="store_true",
        help="instead, print how far apart each demo point's phrasings are (MiniLM cosine)",
    )
    args = parser.parse_args(argv)
    if args.phrasings:
        print(phrasing_table())
        return 0
    if args.counts:
        try:
            counts = [int(k) for k in args.counts.split(",")]
        except ValueError:
            parser.error("--counts takes whole numbers separated by commas, e.g. 5,6,7")
        if not counts or min(counts) < 1:
            parser.error("--counts takes whole numbers of at least 1")
        print(count_table(count_scan(args.engine, counts), counts))
        return 0
    before = _run_other(args.code.resolve(), args.engine) if args.code else None
    current = measure(args.engine)
    if args.read:
        args.read.write_text(json.dumps(current, indent=1))
    command = "python -m bench.demo_report " + " ".join(argv or sys.argv[1:])
    text = report(current, before, command.strip())
    print(text)
    if args.write:
        from bench.common import write_section

        write_section("demo-report", text)
    return 0


if __name__ == "__main__":
    sys.exit(main())
