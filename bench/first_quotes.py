"""Does the first quote under a theme's label make the label's point? Fast engine, with the
first quote chosen by its static vectors (the default) and without (the quotes in the order
they were picked), in the same process.

    .venv/bin/python -m bench.first_quotes [--argkp] [--write]

The demo consultation (each free-text question, automatic number of themes, as
``bench.demo_report`` themes it): first quotes making two or more of the demo's points
(a quote saying the label's point beside another) and the mean MiniLM cosine of the label
with the first quote's closest sentence. ``--argkp``: ArgKP's 24 motions (arguments matching
at least one key point, k given): the MiniLM cosine of the label with the whole first quote,
and the share of first quotes whose argument matches the expert key point of its theme
(themes matched to key points by their members); even motions and odd ones apart.
"""

from __future__ import annotations

import argparse
import statistics
from contextlib import contextmanager

from analysis import stages

BLURB = (
    "Fast engine. 'Picked order': the first quote is the one the quote picker chose first; "
    "'label first' (the default): the quote whose static word-piece vector (whole quote) is "
    "closest to the label's comes first when 0.05 closer than the picked first and it says "
    "the picked first's point (its vector at least 0.85 close to one of the picked first's "
    "sentences; `describe.label_first(..., by_sentence=False, same_point=0.85)`; before "
    "4 December 2026 without that check: demo 15, ArgKP key point first 54.9 % even, 48.9 % "
    "odd, MiniLM cosine 0.855 even, 0.827 odd). MiniLM cosine: all-MiniLM-L6-v2, the "
    "label with the first quote's closest sentence (demo) or the whole quote (ArgKP)."
)


@contextmanager
def picked_order():
    """The fast engine's quotes in the order they were picked (no label-first choice)."""
    chosen = stages._quote_embedder
    stages._quote_embedder = lambda representation: None
    try:
        yield
    finally:
        stages._quote_embedder = chosen


def demo() -> dict[str, float]:
    from analysis.describe import sentences
    from analysis.embeddings import MiniLMEmbedder
    from bench.demo_report import _phrasings, demo_questions, fit_demo_question, points_made

    mini = MiniLMEmbedder(threads=1)
    phrasings = _phrasings()
    several, cosines = 0, []
    with demo_questions() as questions:
        for wording, answers in questions:
            model = fit_demo_question(wording, answers, "fast")
            for theme in model.themes_:
                if not theme["quotes"]:
                    continue
                quote = theme["quotes"][0]["text"]
                several += len(points_made(quote, phrasings)) > 1
                vectors = mini.embed([theme["label"], *(sentences(quote) or [quote])])
                cosines.append(float((vectors[1:] @ vectors[0]).max()))
    return {"themes": len(cosines), "several": several, "cosine": statistics.mean(cosines)}


def argkp() -> dict[str, dict[str, float]]:
    from analysis.api import ThemeModel
    from analysis.embeddings import MiniLMEmbedder
    from bench.quality import load_argkp, theme_labels

    mini = MiniLMEmbedder(threads=1)
    found: dict[str, list[tuple[float, bool]]] = {"even": [], "odd": []}
    for index, (_topic, _one, _kp, truth, texts) in enumerate(load_argkp()):
        k = len({label for row in truth for label in row})
        ids = [str(i) for i in range(len(texts))]
        model = ThemeModel(n_themes=k, engine="fast", seed=0).fit(texts, ids=ids)
        mapping = theme_labels(truth, [[int(t)] for t in model.labels_])
        for number, theme in enumerate(model.themes_):
            if not theme["quotes"] or number not in mapping:
                continue
            quote = theme["quotes"][0]
            vectors = mini.embed([theme["label"], quote["text"]])
            found["odd" if index % 2 else "even"].append(
                (float(vectors[0] @ vectors[1]), mapping[number] in truth[int(quote["id"])])
            )
    return {
        part: {
            "themes": len(rows),
            "cosine": statistics.mean(r[0] for r in rows),
            "key_point": 100 * statistics.mean(r[1] for r in rows),
        }
        for part, rows in found.items()
    }


def main() -> None:
    from bench.common import machine, write_section

    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--argkp", action="store_true", help="also ArgKP's 24 motions")
    parser.add_argument("--write", action="store_true")
    args = parser.parse_args()
    with picked_order():
        before = demo()
        before_argkp = argkp() if args.argkp else None
    now = demo()
    now_argkp = argkp() if args.argkp else None
    lines = [
        "## First quote under a label, fast engine (`bench/first_quotes.py`)",
        "",
        f"Command: `nice -n 10 .venv/bin/python -m bench.first_quotes"
        f"{' --argkp' if args.argkp else ''} --write`. Machine: {machine()}. {BLURB}",
        "",
        "| Data | Measure | Picked order | Label first |",
        "|---|---|--:|--:|",
        f"| demo, {now['themes']} themes | first quotes making two or more of the demo's points "
        f"| {before['several']} | {now['several']} |",
        f"| demo | MiniLM cosine, label and first quote | {before['cosine']:.3f} "
        f"| {now['cosine']:.3f} |",
    ]
    if before_argkp and now_argkp:
        for part, name in (("even", "12 even motions"), ("odd", "12 odd motions")):
            b, n = before_argkp[part], now_argkp[part]
            lines += [
                f"| ArgKP, {name}, {n['themes']} themes | MiniLM cosine, label and first quote "
                f"| {b['cosine']:.3f} | {n['cosine']:.3f} |",
                f"| ArgKP, {name} | first quote matches its theme's key point (%) "
                f"| {b['key_point']:.1f} | {n['key_point']:.1f} |",
            ]
    text = "\n".join(lines)
    print(text)
    if args.write:
        write_section("first-quotes", text)


if __name__ == "__main__":
    main()
