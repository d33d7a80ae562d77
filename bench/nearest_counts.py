"""Who makes a theme's label and summary points: counted under the nearest heading, against
closeness alone (fixa17, smoke17s finding 1).

A run counts, for each theme, the answers mentioning it that make its label's point
(``label_point``) and each summary sentence's (``answers``). Before, an answer counted for
every statement it was close to (MiniLM cosine 0.5 for a label, 0.45 for a sentence); now
each answer, as a whole and by each of its separate points, counts only under the run's
statements (every label and summary sentence) it is nearest to
(:data:`analysis.label_points.NEAREST_MARGIN`). This themes each set as the workspace does
(semantic engine, seed 0; the "now" counts are the fitted model's own) and recounts the
same themes the old way ("before", same process).

    .venv/bin/python -m bench.nearest_counts [--argkp even|odd] [--engine fast] [--write]

With ``--engine fast`` (count18) the themes are the fast engine's, "now" its count with its
static word-piece vectors (:data:`analysis.label_points.STATIC_CHECK`) and "before" closeness
alone with those vectors at the same threshold (the fast engine counted nothing before).

Truth. The demo's answers are built from known sentences (consult/demo_text.py; each point
has three phrasings): "phrasing" counts the answers mentioning the theme that contain the
statement's own sentence (what a reader counting by hand finds), "point" those containing
any phrasing of its point (the looser truth bench.summary_points used). ArgKP: a statement
cut from arguments matching one key point makes it; the truth is how many arguments
mentioning the theme match it; summary sentences are shown apart by whether their key point
is their label's (a repeat of the label) or another. A "commoner point" warning
(:func:`analysis.label_points.commoner_point`) points the wrong way when the truth gives the
flagged sentence no more answers than the label.
"""

from __future__ import annotations

import argparse
import time
from collections import defaultdict

import numpy as np

from analysis.label_points import commoner_point, label_point_counts, statement_makers
from bench.common import machine, write_section


def _embedder(engine: str, texts: list[str]):
    """The vectors a run of ``engine`` counts with, and the label threshold: MiniLM's, or
    the fast engine's static word-piece vectors fitted on ``texts``."""
    if engine == "fast":
        from analysis.label_points import STATIC_CHECK
        from analysis.static_vectors import StaticVectors

        vectors = StaticVectors().fit(texts)
        return (lambda found: vectors.transform(list(found))), STATIC_CHECK["threshold"]
    from analysis.embeddings import MiniLMEmbedder

    return MiniLMEmbedder().embed, 0.5


def _before(themes, memberships, texts, ids, embed, threshold=0.5) -> list[dict]:
    """Per theme, the label's and summary sentences' counts by closeness alone, as a run
    counted them before (``label_point_counts``; ``statement_makers`` at 0.45 or the
    summary's own ids)."""
    mentions = [[r for r, m in enumerate(memberships) if t in m] for t in range(len(themes))]
    labels = label_point_counts(
        [t["label"] for t in themes], mentions, texts, embed, threshold=threshold
    )
    read = [r for r, m in enumerate(memberships) if len(m)]
    out = []
    for index, theme in enumerate(themes):
        said = [s for s in theme["summary"] if not s.get("only_point")]
        counts = []
        if said:
            mine = [texts[r] for r in mentions[index]]
            makes = statement_makers(
                [s["text"] for s in said], mine, embed, vocabulary=[texts[r] for r in read]
            )
            for column, sentence in enumerate(said):
                listed = set(sentence["ids"])
                counts.append(
                    int(
                        sum(
                            bool(m) or ids[r] in listed
                            for r, m in zip(mentions[index], makes[:, column], strict=True)
                        )
                    )
                )
        out.append({"label": labels[index], "summary": counts})
    return out


EMBED: list = []  # the MiniLM embedder, once loaded: each summary row's cosine to its label


def _label_cosine(text: str, label: str) -> float:
    """MiniLM cosine between a summary sentence and its theme's label."""
    if not EMBED:
        from analysis.embeddings import MiniLMEmbedder

        EMBED.append(MiniLMEmbedder().embed)
    vectors = np.asarray(EMBED[0]([text, label]), dtype=float)
    return round(float(vectors[0] @ vectors[1]), 4)


def _shared_members(text: str, label: str, index: int, memberships, texts) -> dict:
    """Of the theme's answers close to a summary sentence (MiniLM cosine 0.45, as closeness
    alone counted it), how many are also close to its label (0.5): a sentence whose members
    are nearly all the label's may restate it (sent26)."""
    if not EMBED:
        from analysis.embeddings import MiniLMEmbedder

        EMBED.append(MiniLMEmbedder().embed)
    mine = [texts[r] for r, m in enumerate(memberships) if index in m]
    if not mine:
        return {"close": 0, "close_to_label": 0}
    vectors = np.asarray(EMBED[0]([text, label, *mine]), dtype=float)
    near_sentence = vectors[2:] @ vectors[0] >= 0.45
    near_label = vectors[2:] @ vectors[1] >= 0.5
    return {
        "close": int(near_sentence.sum()),
        "close_to_label": int((near_sentence & near_label).sum()),
        "label_close": int(near_label.sum()),
    }


def _rows(themes, memberships, before, truth_of, texts=None) -> list[dict]:
    """One row per statement with a known truth (``truth_of(theme index, kind, text,
    sentence)`` -> dict of truths, or None); a summary sentence's also carries its MiniLM
    cosine to its label and whether it says the label in its words
    (:func:`analysis.repeats.says_label`), to judge a rule leaving out a sentence that
    restates the label (fixa18)."""
    from analysis.repeats import says_label

    rows = []
    for index, theme in enumerate(themes):
        mentions = sum(index in m for m in memberships)
        said = [s for s in theme["summary"] if not s.get("only_point")]
        statements = [("label", theme["label"], theme.get("label_point"), before[index]["label"])]
        statements += [
            ("summary", s["text"], s.get("answers"), before[index]["summary"][i])
            for i, s in enumerate(said)
            if s.get("answers") is not None  # the fast engine counts no summary sentence
        ]
        for position, (kind, text, now, old) in enumerate(statements):
            truth = truth_of(index, kind, text, said[position - 1] if position else None)
            if truth is None:
                continue
            rows.append(
                {
                    "theme": (id(themes), index),
                    "kind": kind,
                    "text": text,
                    "mentions": mentions,
                    "now": now,
                    "before": old,
                    **truth,
                }
            )
            if kind == "summary":
                rows[-1]["label_cosine"] = _label_cosine(text, theme["label"])
                rows[-1]["says_label"] = says_label(text, theme["label"])
                rows[-1]["label"] = theme["label"]
                if texts is not None:
                    rows[-1].update(
                        _shared_members(text, theme["label"], index, memberships, texts)
                    )
    return rows


def measure_demo(engine: str = "semantic") -> list[dict]:
    from bench.demo_report import _phrasings, demo_questions, fit_demo_question, points_made

    phrasings = _phrasings()
    rows = []
    with demo_questions() as questions:
        for wording, answers in questions:
            texts = list(answers.texts)
            embed, threshold = _embedder(engine, texts)
            model = fit_demo_question(wording, answers, engine)
            themes, memberships = model.themes_, model.memberships_
            ids = list(answers.references)
            before = _before(themes, memberships, texts, ids, embed, threshold)
            low = [t.lower() for t in texts]
            made = [set(points_made(t, phrasings)) for t in texts]

            def truth_of(
                index,
                kind,
                text,
                sentence,
                memberships=memberships,
                low=low,
                made=made,
                themes=themes,
            ):
                cut = text.lower().rstrip(".")[1:]
                own = [core for core in phrasings if cut and cut in core]
                if not own:
                    return None
                points = {phrasings[core] for core in own}
                mentions = [r for r, m in enumerate(memberships) if index in m]
                found = {
                    "phrasing": sum(any(c in low[r] for c in own) for r in mentions),
                    "point": sum(bool(points & made[r]) for r in mentions),
                }
                if kind == "summary":  # its point is the label's (a repeat) or another
                    label = themes[index]["label"].lower().rstrip(".")[1:]
                    mine = {phrasings[core] for core in phrasings if label and label in core}
                    if not mine:
                        return found
                    found["repeat"] = bool(points & mine)
                return found

            rows += _rows(themes, memberships, before, truth_of, texts)
            for old, new in model.relabelled_themes_:
                index = next(i for i, t in enumerate(themes) if t["label"] == new)
                found = [truth_of(index, "label", text, None) for text in (old, new)]
                RELABELLED.append(
                    {
                        "old": old,
                        "new": new,
                        "mentions": sum(index in m for m in memberships),
                        "old_said": found[0] and found[0]["phrasing"],
                        "new_said": found[1] and found[1]["phrasing"],
                    }
                )
    return rows


RELABELLED: list[dict] = []  # the demo's relabelled themes, with how many say each label


def measure_argkp(part: str, engine: str = "semantic") -> list[dict]:
    from analysis import ThemeModel
    from bench.quality import load_argkp

    rows = []
    for index, (_topic, _one, _kp, truth, texts) in enumerate(load_argkp()):
        if (index % 2 == 1) != (part == "odd"):
            continue
        k = len({label for row in truth for label in row})
        ids = [str(i) for i in range(len(texts))]
        model = ThemeModel(n_themes=k, engine=engine, seed=0).fit(texts, ids=ids)
        themes, memberships = model.themes_, model.memberships_
        embed, threshold = _embedder(engine, texts)
        before = _before(themes, memberships, texts, ids, embed, threshold)

        def truth_of(
            theme_index,
            kind,
            text,
            sentence,
            themes=themes,
            memberships=memberships,
            truth=truth,
            texts=texts,
        ):
            mentions = [r for r, m in enumerate(memberships) if theme_index in m]
            label = themes[theme_index]["label"].lower()
            label_points = set().union(
                *([set(truth[r]) for r in mentions if label in texts[r].lower()] or [set()])
            )
            points = label_points if kind == "label" else set(truth[int(sentence["id"])])
            if len(points) != 1:
                return None
            point = next(iter(points))
            return {
                "point": sum(point in truth[r] for r in mentions),
                "repeat": kind == "summary" and point in label_points,
            }

        rows += _rows(themes, memberships, before, truth_of, texts)
    return rows


def figures(rows: list[dict], truth: str) -> dict:
    now = np.array([r["now"] for r in rows], dtype=float)
    old = np.array([r["before"] for r in rows], dtype=float)
    true = np.array([r[truth] for r in rows], dtype=float)
    known = true > 0
    out = {"n": len(rows), "truth": int(true.sum())}
    for name, counts in (("before", old), ("now", now)):
        out[name] = {
            "summed": int(counts.sum()),
            "mae": float(np.abs(counts - true).mean()) if len(rows) else 0.0,
            "ratio": float(np.median(counts[known] / true[known])) if known.any() else 0.0,
            "within": int((np.abs(counts - true) <= 0.2 * true).sum()),
            "over": int((counts > 1.25 * true + 1).sum()),
        }
    return out


def warnings(rows: list[dict], truth: str) -> dict:
    themes = defaultdict(list)
    for row in rows:
        themes[row["theme"]].append(row)
    out = {name: {"flags": 0, "wrong": 0} for name in ("before", "now")}
    for found in themes.values():
        labels = [r for r in found if r["kind"] == "label"]
        said = [r for r in found if r["kind"] == "summary"]
        if not labels or not said:
            continue
        label = labels[0]
        for name in out:
            flagged = commoner_point(label[name], [r[name] for r in said], label["mentions"])
            if flagged >= 0:
                out[name]["flags"] += 1
                out[name]["wrong"] += said[flagged][truth] <= label[truth]
    return out


def table(groups: list[tuple[str, str, list[dict]]]) -> list[str]:
    lines = [
        "| set | statements | truth | count | n | summed | truth summed | mean absolute error "
        "| median ratio to truth | within 20 % | over by more than 25 % |",
        "|---|---|---|---|--:|--:|--:|--:|--:|--:|--:|",
    ]
    for name, truth, rows in groups:
        for kind in (
            "label",
            "summary",
            "summary (repeats the label's point)",
            "summary (another point)",
        ):
            if kind.startswith("summary (") and not any("repeat" in r for r in rows):
                continue
            chosen = [
                r
                for r in rows
                if r["kind"] == kind.split(" ")[0]
                and (
                    kind in ("label", "summary")
                    or r.get("repeat") == kind.endswith("label's point)")
                )
            ]
            if not chosen:
                continue
            found = figures(chosen, truth)
            for count in ("before", "now"):
                f = found[count]
                lines.append(
                    f"| {name} | {kind} | {truth} | {count} | {found['n']} | {f['summed']:,} | "
                    f"{found['truth']:,} | {f['mae']:.1f} | {f['ratio']:.2f} | {f['within']} | "
                    f"{f['over']} |"
                )
    return lines


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--argkp", choices=("even", "odd"), help="ArgKP's even or odd motions")
    parser.add_argument("--engine", choices=("semantic", "fast"), default="semantic")
    parser.add_argument("--write", action="store_true", help="print markdown for BENCHMARKS")
    parser.add_argument("--json", help="also write every row (statement) to this JSON file")
    args = parser.parse_args()
    start = time.time()
    if args.argkp:
        rows = measure_argkp(args.argkp, args.engine)
        groups = [(f"ArgKP {args.argkp}", "point", rows)]
    else:
        rows = measure_demo(args.engine)
        groups = [("demo", "phrasing", rows), ("demo", "point", rows)]
    if args.json:
        import json

        with open(args.json, "w", encoding="utf-8") as handle:
            json.dump([{k: v for k, v in r.items() if k != "theme"} for r in rows], handle)
    lines = table(groups)
    for name, truth, found in groups:
        w = warnings(found, truth)
        lines.append("")
        lines.append(
            f"{name}, truth by {truth}: 'another point is commoner' warnings before "
            f"{w['before']['flags']} ({w['before']['wrong']} the wrong way), now "
            f"{w['now']['flags']} ({w['now']['wrong']} the wrong way)."
        )
    if RELABELLED:
        lines += [
            "",
            "| relabelled theme: old label | new label | mentions | say the old (its sentence) "
            "| say the new |",
            "|---|---|--:|--:|--:|",
        ]
        lines += [
            f"| {r['old']} | {r['new']} | {r['mentions']} | {r['old_said']} | {r['new_said']} |"
            for r in RELABELLED
        ]
    lines.append("")
    lines.append(f"Machine: {machine()}; {time.time() - start:.0f} s.")
    print("\n".join(lines))
    if args.write:
        write_section(f"nearestcounts-{args.argkp or 'demo'}", "\n".join(lines))


if __name__ == "__main__":
    main()
