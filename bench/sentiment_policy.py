"""Sentiment on policy consultation reasons: does criticism read negative, support positive?

    .venv/bin/python -m bench.sentiment_policy [--json FILE] [--baseline FILE] [--write]

A reading check, not a target set, with no human ratings: two lists of sentences whose side
is known from how they were written.

* The demo consultation's reasons (``consult/demo_text.py`` ``WHY``): every phrasing a
  partner gives for agreeing ("for"), disagreeing ("against") or both ("mixed") with each
  agreement question. This is the project's own synthetic text, invented for the demo.
* ``HAND``, below: policy criticism and support written for this check in plain UK policy
  English, not taken from the demo. The rules' criticism cues were written with this list in
  view, so it is not held out either.

Each sentence is scored alone, as :func:`analysis.stages.sentiment_and_stance` scores an
answer: ``Sentiment(question).score_answers(texts, vectors)`` with the question the demo
gives ("Why do you say that?"), by the fast engine (rules, no vectors) and the semantic one
(MiniLM vectors; the probe is skipped for a call for reasons, so both should agree). Reported
per engine: the share of "against" sentences scored negative (below -0.05), of "for"
sentences scored positive (above 0.05), and every sentence scored on the wrong side (a "for"
one below -0.05, an "against" one above 0.05). "Mixed" reasons may read either way; only
their mean is shown.

``--json FILE`` saves the figures; ``--baseline FILE`` (figures saved by an earlier run, say
of the old code from ``git archive``) adds them beside this run's.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from analysis.sentiment import Sentiment
from bench.common import machine, write_section
from consult.demo_text import WHY

QUESTION = "Why do you say that?"  # the demo's follow-up to every agreement question
EDGE = 0.05
ENGINES = ("fast", "semantic")

# Policy criticism ("against") and support ("for"), written for this check.
HAND: dict[str, list[str]] = {
    "against": [
        "The money will be spread too thinly to make a difference anywhere.",
        "The budget is far too small for a region of three million people.",
        "It will not even cover the cost of keeping the existing bus routes running.",
        "Smaller councils have been left out of the decisions again.",
        "Residents have no say in how the money is spent.",
        "Many families simply cannot afford the new fares.",
        "Scrapping the local panels would be a step backwards.",
        "Rural areas will lose out to the big cities.",
        "The plan falls short of what the region was promised.",
        "Youth services are at risk if this funding is cut.",
        "There is not enough detail on how the targets will be met.",
        "The consultation period is too short for community groups to respond.",
        "This does nothing for people who live outside the city centre.",
        "The proposals will not reduce congestion on the ring road.",
        "Small businesses will bear the cost while seeing none of the benefit.",
        "The funding is not guaranteed beyond the first two years.",
        "Too much power would sit with one person.",
        "The housing targets ignore the lack of school places and GP surgeries.",
    ],
    "for": [
        "This is a sensible plan that will make buses more reliable.",
        "We welcome the commitment to affordable homes on brownfield land.",
        "Giving councils a say over skills funding is long overdue and very welcome.",
        "The new rail stations will open up jobs for people in Walsall and Wednesbury.",
        "A single budget will save time and let us plan properly.",
        "We strongly support the focus on retrofitting older homes.",
        "Local decisions will be better informed by people who know the area.",
        "The proposals are a real step forward for young people looking for apprenticeships.",
        "Cheaper fares will help families get to work and college.",
        "We are pleased that the plan protects green spaces.",
        "This gives the region the certainty it needs to invest for the long term.",
        "The partnership with local colleges is a good idea and should work well.",
        "It will help small firms find the skilled staff they need.",
        "We agree: joined-up transport and housing planning makes sense.",
        "The extra funding for cycling routes is excellent value.",
        "Bringing the bus network under public control will improve services for everyone.",
    ],
}


def demo_sentences() -> dict[str, list[str]]:
    """Every phrasing of the demo's reasons, by side ("for", "against", "mixed")."""
    sides: dict[str, list[str]] = {"for": [], "against": [], "mixed": []}
    for topic in WHY.values():
        for side, points in topic.items():
            sides[side].extend(phrasing for point in points for phrasing in point)
    return sides


def score(texts: list[str], engine: str) -> list[float]:
    """Each text's score as the engine's analysis run gives it (see the module docstring)."""
    vectors = None
    if engine == "semantic":
        from analysis.embeddings import MiniLMEmbedder

        vectors = MiniLMEmbedder().embed(texts)
    return Sentiment(QUESTION).score_answers(texts, vectors)


def check(sides: dict[str, list[str]], engine: str) -> dict:
    """Shares on the right side and the sentences on the wrong one, for one engine."""
    texts = [t for side in sides.values() for t in side]
    scored = dict(zip(texts, score(texts, engine), strict=True))
    against = [scored[t] for t in sides["against"]]
    support = [scored[t] for t in sides["for"]]
    wrong = [
        {"side": side, "score": scored[t], "text": t}
        for side, sign in (("for", -1), ("against", 1))
        for t in sides[side]
        if sign * scored[t] > EDGE
    ]
    figures = {
        "against": len(against),
        "against_negative": 100 * sum(s < -EDGE for s in against) / len(against),
        "for": len(support),
        "for_positive": 100 * sum(s > EDGE for s in support) / len(support),
        "wrong": wrong,
    }
    if sides.get("mixed"):
        mixed = [scored[t] for t in sides["mixed"]]
        figures["mixed"] = len(mixed)
        figures["mixed_mean"] = sum(mixed) / len(mixed)
    return figures


def run() -> dict:
    """Figures for both lists and both engines."""
    lists = {"demo": demo_sentences(), "hand": HAND}
    return {name: {e: check(sides, e) for e in ENGINES} for name, sides in lists.items()}


def _cell(now: float, before: float | None) -> str:
    return f"{now:.0f}" if before is None else f"{before:.0f} → {now:.0f}"


def report(figures: dict, baseline: dict | None) -> str:
    """The BENCHMARKS.md section (Markdown)."""
    then = "old → new, " if baseline else ""
    lines = [
        "## Sentiment on policy reasons, a reading check (`bench/sentiment_policy.py`)",
        "",
        "Command: `.venv/bin/python -m bench.sentiment_policy --baseline before.json --write` "
        "(before.json: the same script's `--json` run on the previous code, from "
        f"`git archive`). Machine: {machine()}.",
        "",
        "No human ratings: sentences whose side is known from how they were written, scored "
        f"alone with the demo's question ({QUESTION!r}). **demo**: every phrasing of the demo "
        "consultation's reasons (`consult/demo_text.py`), our own synthetic text. **hand**: "
        "policy criticism and support written for this check (`HAND` in the script); the "
        "rules' criticism cues were written with it in view. Neither is a target set or "
        "held out.",
        "",
        f"| list | engine | against | against scored negative, % ({then}< -{EDGE}) "
        f"| for | for scored positive, % ({then}> {EDGE}) | mixed, mean score |",
        "|---|---|---|---|---|---|---|",
    ]
    for name, engines in figures.items():
        for engine, f in engines.items():
            old = (baseline or {}).get(name, {}).get(engine)
            mixed = f"{f['mixed_mean']:+.2f} ({f['mixed']})" if "mixed" in f else "-"
            lines.append(
                f"| {name} | {engine} | {f['against']} "
                f"| {_cell(f['against_negative'], old and old['against_negative'])} "
                f"| {f['for']} | {_cell(f['for_positive'], old and old['for_positive'])} "
                f"| {mixed} |"
            )
    lines += [
        "",
        "The engines agree because, answering a call for reasons or proposals, the semantic "
        "engine's probe (learnt from service feedback) is not blended in: both give the rules' "
        "score. Mixed reasons may read either way.",
        "",
        "Still on the wrong side (semantic engine):",
        "",
    ]
    for name, engines in figures.items():
        for w in engines["semantic"]["wrong"]:
            lines.append(f"- {name}, {w['side']}, {w['score']:+.2f}: {w['text']}")
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--json", type=Path, help="save the figures to this file")
    parser.add_argument("--baseline", type=Path, help="figures from an earlier --json run")
    parser.add_argument("--write", action="store_true", help="write BENCHMARKS.md")
    args = parser.parse_args(argv)
    baseline = None
    if args.baseline:
        try:
            baseline = json.loads(args.baseline.read_text(encoding="utf-8"))
        except (OSError, ValueError) as error:
            parser.exit(2, f"--baseline: cannot read {args.baseline}: {error}\n")
    figures = run()
    text = report(figures, baseline)
    print(text)
    if args.json:
        args.json.write_text(json.dumps(figures, indent=1), encoding="utf-8")
    if args.write:
        write_section("sentiment-policy", text)


if __name__ == "__main__":
    main(sys.argv[1:])
