"""Do a theme's quotes say different points? (issue 12, smoke7 #13)

    .venv/bin/python -m bench.quote_variety [--engine auto|fast|semantic] [--argkp]
        [--code DIR] [--write]

The demo consultation (each free-text question themed as ``bench.demo_report`` themes it)
knows which of its points each answer makes; ArgKP's 24 motions (arguments matching at least
one key point, k given) which key points each argument matches. Per theme: quote slots that
repeat a point (the quote makes no point the theme's earlier quotes do not already make), and
the theme's points made by at least 20 % of its members that some quote makes. ``--code DIR``
runs another copy of the code (``git archive`` of main's analysis/ unpacked in DIR) in its own
process for a before-and-after.
"""

from __future__ import annotations

import argparse
import sys
from collections import Counter
from pathlib import Path

SHARE = 0.2


def theme_figures(
    quoted: list[set[str]],
    members: list[set[str]],
    label: str = "",
    quotes: list[str] | None = None,
    label_point: str | None = None,
) -> dict[str, int]:
    """One theme: its quotes' points in order and its members' points -> slots, slots
    repeating a point, points made by :data:`SHARE` of the members and of them quoted; with
    the ``label`` and the ``quotes``' texts, the quotes sharing no content word with the label
    (:func:`analysis.label_points.content_words`) and those not making ``label_point`` (the
    label's own point, else the point most members make)."""
    from analysis.label_points import content_words

    counts = Counter(p for m in members for p in m)
    point = label_point or (counts.most_common(1)[0][0] if counts else None)
    extra = {
        "no_shared": sum(not (content_words(label) & content_words(q)) for q in quotes or []),
        "off_label": sum(point not in points for points in quoted) if point else 0,
    }
    read: set[str] = set()
    repeats = 0
    for points in quoted:
        repeats += points <= read
        read |= points
    common = {p for p, n in counts.items() if n >= SHARE * max(len(members), 1)}
    return {
        **extra,
        "slots": len(quoted),
        "repeats": repeats,
        "common": len(common),
        "common_quoted": len(common & read),
    }


def _add(total: dict[str, int], part: dict[str, int]) -> None:
    for key, value in part.items():
        total[key] = total.get(key, 0) + value


def demo(engine: str) -> dict[str, int]:
    from bench.demo_report import _phrasings, demo_questions, fit_demo_question, points_made

    phrasings = _phrasings()
    total: dict[str, int] = {"themes": 0}
    with demo_questions() as questions:
        for wording, answers in questions:
            model = fit_demo_question(wording, answers, engine)
            made = [set(points_made(text, phrasings)) for text in answers.texts]
            labels = [int(t) for t in model.labels_]
            for index, theme in enumerate(model.themes_):
                quoted = [set(points_made(q["text"], phrasings)) for q in theme["quotes"]]
                members = [m for m, label in zip(made, labels, strict=True) if label == index]
                own = points_made(theme["label"], phrasings)
                texts = [q["text"] for q in theme["quotes"]]
                figures = theme_figures(
                    quoted, members, theme["label"], texts, own[0] if own else None
                )
                _add(total, figures)
                total["themes"] += 1
    return total


def argkp(engine: str) -> dict[str, int]:
    from analysis.api import ThemeModel
    from bench.quality import load_argkp

    total: dict[str, int] = {"themes": 0}
    for _topic, _one, _kp, truth, texts in load_argkp():
        k = len({label for row in truth for label in row})
        ids = [str(i) for i in range(len(texts))]
        model = ThemeModel(n_themes=k, engine=engine, seed=0).fit(texts, ids=ids)
        labels = [int(t) for t in model.labels_]
        for index, theme in enumerate(model.themes_):
            quoted = [set(truth[int(q["id"])]) for q in theme["quotes"]]
            members = [set(t) for t, label in zip(truth, labels, strict=True) if label == index]
            quotes = [q["text"] for q in theme["quotes"]]
            _add(total, theme_figures(quoted, members, theme["label"], quotes))
            total["themes"] += 1
    return total


def measure(engine: str, with_argkp: bool) -> dict[str, dict[str, int]]:
    found = {"demo": demo(engine)}
    if with_argkp:
        found["argkp"] = argkp(engine)
    return found


def table(now: dict, before: dict | None) -> list[str]:
    rows = [
        ("quote slots", "slots"),
        ("slots repeating a point (no point the theme's earlier quotes lack)", "repeats"),
        ("points made by 20 % or more of a theme's members", "common"),
        ("of them made by one of the theme's quotes", "common_quoted"),
        ("quotes sharing no content word with the label", "no_shared"),
        (
            "quotes not making the label's point (demo: the label's own point; ArgKP: the "
            "key point most of the theme's arguments match)",
            "off_label",
        ),
    ]
    head = "| Data | Measure | before | now |" if before else "| Data | Measure | now |"
    lines = [head, "|---|---|--:|--:|" if before else "|---|---|--:|"]
    for data, name in (("demo", "demo"), ("argkp", "ArgKP, 24 motions")):
        if data not in now:
            continue
        for label, key in rows:
            cells = [str(before[data].get(key, "-"))] if before else []
            cells.append(str(now[data][key]))
            where = f"{name}, {now[data]['themes']} themes"
            lines.append(f"| {where} | {label} | {' | '.join(cells)} |")
    return lines


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--engine", default="auto", choices=["auto", "fast", "semantic"])
    parser.add_argument("--argkp", action="store_true", help="also ArgKP's 24 motions")
    parser.add_argument("--code", type=Path, help="also run this copy of the code (before)")
    parser.add_argument("--write", action="store_true", help="print as a BENCHMARKS section")
    args = parser.parse_args(argv)
    before = None
    if args.code:
        from bench.common import measure_in

        call = f"measure({args.engine!r}, {args.argkp!r})"
        before = measure_in(args.code.resolve(), __file__, call)
    now = measure(args.engine, args.argkp)
    command = "python -m bench.quote_variety " + " ".join(argv or sys.argv[1:])
    print(f"Engine {args.engine}. Command: `{command.strip()}`.")
    print("\n".join(table(now, before)))
    return 0


if __name__ == "__main__":
    sys.exit(main())
