"""Summary points' "about N of the M answers make this point" on real short feedback, against
counts made by reading.

The NHS Friends and Family Test answers (Trust A, "What could we do better?", the first 800
answers, as smoke test 3 ran them) are themed as the CLI does (semantic engine, automatic
count, seed 0). For ten summary sentences of that run, every answer of the theme was read and
counted as making the sentence's point or not, strictly (the sentence's own point) and broadly
(a near point: "staff were rude" for "The male staff are horrible."); ``READ`` holds the
counts. Each sentence's count is given by closeness alone (MiniLM cosine 0.45, the count
before) and as the fit now counts it (:func:`analysis.label_points.statement_makers`), over
the answers mentioning its theme, plus the answers the summary lists.

    .venv/bin/python -m bench.point_counts [--write]
"""

from __future__ import annotations

import argparse
import csv
import time

from bench.common import data_dir, machine, write_section

QUESTION = "What could we do better?"

# (sentence, its theme's label in smoke test 3's run, strict count, broad count), read by hand.
READ = [
    ("The male staff are horrible.", "Have more communication between staff and patients", 3, 7),
    (
        "If YOU arrange to contact/visit a patient at least make sure you do this.",
        "Be clear on the phone about my treatment plan",
        7,
        12,
    ),
    (
        "Talk to us better, staff attitude is bad at time and it to be look at.",
        "Have more communication between staff and patients",
        12,
        18,
    ),
    ("Have regular staff on ward.", "Have more communication between staff and patients", 3, 12),
    (
        "Treat patients as individuals, not as a number.",
        "Listen to the patients more, and let them know what's happening about their care",
        4,
        7,
    ),
    (
        "Nothing, everything was great.",
        "Nothing, considering the circumstances I don't think it could be better",
        20,
        40,
    ),
    ("Food is not up to standard.", "The food could be better", 11, 14),
    ("Less people in rooms.", "There needs to be more quiet space for patients to go", 3, 4),
    ("Few more activities, such as physical activity.", "More activities on the ward", 11, 13),
    ("I'm happy with the care I am being given.", "Very happy with the service", 17, 18),
]


def answers() -> list[str]:
    """Trust A's first 800 answers to its first question, in file order."""
    with (data_dir() / "nhs_fft_phase1.csv").open(encoding="utf-8", newline="") as handle:
        rows = [r for r in csv.DictReader(handle) if r["question"] == "Trust A - Q1"]
    return [r["feedback"] for r in rows if r["feedback"].strip()][:800]


def measure() -> list[dict]:
    """Per read sentence: its theme's mentions, the read counts, the count by closeness
    alone and the count the fit gives now (``answers``; None when this fit's summary does
    not say the sentence, then recounted as the fit counts)."""
    from analysis import ThemeModel
    from analysis.embeddings import MiniLMEmbedder
    from analysis.label_points import statement_makers

    texts = answers()
    ids = [str(i) for i in range(len(texts))]
    model = ThemeModel(n_themes="auto", engine="semantic", seed=0).fit(
        texts, ids=ids, question=QUESTION
    )
    embed = MiniLMEmbedder().embed
    read = [t for t, themes in zip(texts, model.memberships_, strict=True) if len(themes)]
    rows = []
    for sentence, label, strict, broad in READ:
        said = [
            (number, s)
            for number, theme in enumerate(model.themes_)
            for s in theme["summary"]
            if s["text"] == sentence
        ]
        if said:
            number, entry = said[0]
        else:
            number = next((n for n, t in enumerate(model.themes_) if t["label"] == label), None)
            entry = {}
        if number is None:
            continue
        mentions = [r for r, themes in enumerate(model.memberships_) if number in themes]
        listed = set(entry.get("ids", []))
        counts = {}
        for name, words in (("before", False), ("now", True)):
            makes = statement_makers(
                [sentence], [texts[r] for r in mentions], embed, vocabulary=read, words=words
            )[:, 0]
            counts[name] = int(
                sum(bool(m) or ids[r] in listed for r, m in zip(mentions, makes, strict=True))
            )
        rows.append(
            {
                "sentence": sentence,
                "mentions": len(mentions),
                "strict": strict,
                "broad": broad,
                "before": counts["before"],
                "now": counts["now"],
                "fit": entry.get("answers"),
            }
        )
    return rows


def outside(count: int, row: dict) -> int:
    """How far a count falls outside the read range (0 inside it)."""
    return max(0, row["strict"] - count, count - row["broad"])


def main() -> None:
    """Measure and print, or write the BENCHMARKS.md section."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--write", action="store_true", help="write BENCHMARKS.md's section")
    args = parser.parse_args()
    started = time.time()
    rows = measure()
    lines = [
        "## Summary points' counts on real feedback, against reading (`bench/point_counts.py`)",
        "",
        f"Command: `.venv/bin/python -m bench.point_counts --write`. Machine: {machine()}; "
        f'{time.time() - started:.0f} s. NHS Friends and Family Test, Trust A, "{QUESTION}", '
        "first 800 answers (smoke test 3's CLI run), semantic engine, automatic count, seed 0. "
        "For ten summary sentences of that run every answer of the theme was read and counted "
        "as making the sentence's point strictly (its own point) or broadly (a near point). "
        '"before": MiniLM cosine 0.45 alone (the report said "about 40 of the 81 answers '
        'mentioning it make this point" for "The male staff are horrible."); "now": as '
        "the fit counts (`analysis.label_points`: these answers are short, median 8 words, so "
        "below cosine 0.6 an answer must also use one of the sentence's words that at most "
        "3 % of the answers use, when it has such words).",
        "",
        "| sentence | theme mentions | read (strict-broad) | before | now | fit's `answers` |",
        "|---|--:|--:|--:|--:|--:|",
    ]
    for row in rows:
        fit = "-" if row["fit"] is None else str(row["fit"])
        lines.append(
            f"| {row['sentence']} | {row['mentions']} | {row['strict']}-{row['broad']} | "
            f"{row['before']} | {row['now']} | {fit} |"
        )
    lines += [
        "",
        f"Outside the read range, summed over the {len(rows)} sentences: before "
        f"{sum(outside(r['before'], r) for r in rows)}, now "
        f"{sum(outside(r['now'], r) for r in rows)} answers; within it: before "
        f"{sum(outside(r['before'], r) == 0 for r in rows)}, now "
        f'{sum(outside(r["now"], r) == 0 for r in rows)} of {len(rows)}. "-": this fit\'s '
        "summary no longer says the sentence (counted over the theme with the same label).",
    ]
    text = "\n".join(lines)
    print(text)
    if args.write:
        write_section("point-counts", text)


if __name__ == "__main__":
    main()
