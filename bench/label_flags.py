"""The label flags on the demo, ArgKP and NHS feedback, and what each flagged theme's counts
say (issue 12, BENCHMARKS "label-tidy").

    .venv/bin/python -m bench.label_flags [--sets demo,argkp,nhs] [--json FILE]

Each set is themed with the semantic engine, seed 0: the demo's seven free-text questions as
the workspace themes them (:func:`bench.demo_report.fit_demo_question`), ArgKP's 24 dev
motions as :mod:`bench.labels` does (k = the motion's number of key points), and the first
1,000 answers to three NHS FFT questions as :mod:`bench.summaries` does. For every theme it
takes :func:`analysis.report.theme_flags`' verdict ("label made by fewer than half", "another
point is commoner than the label's") with the theme's label count and its summary sentences'
counts made alike (``answers_as_label``). Where it can tell, it says whether the flag is
borne out: on the demo, whose answers are built from known points, how many answers mentioning
the theme truly make the label's point and the flagged sentence's; on ArgKP, which of the
label and the sentence is nearer the theme's expert key point (MiniLM cosine). It also counts
labels and keywords still showing a stray capital I inside a word or a "<?>" placeholder
(:mod:`analysis.tidy`) and quotes showing one (quotes stay verbatim), and, on the demo, how
many answers truly make the labels' points and which themes were relabelled with the point
most of their answers make (:mod:`analysis.relabel`, BENCHMARKS "relabel-majority"). Data is
read from ``$CONSULT_DATA_DIR``, never copied.
"""

from __future__ import annotations

import argparse
import json
import statistics
from pathlib import Path
from typing import Any

from analysis.report import COMMONER_TAG, LABEL_FEW_TAG, commoner_sentence, theme_flags
from analysis.tidy import has_placeholder, odd_capitals


def _untidy(text: str) -> bool:
    return odd_capitals(text) != text or has_placeholder(text)


def _theme_rows(name: str, model: Any, extra=None) -> list[dict[str, Any]]:
    rows = []
    before = {new: old for old, new in getattr(model, "relabelled_themes_", [])}
    for theme in model.themes_:
        flags = theme_flags(
            None, theme["mentions"], theme.get("label_point"), summary=theme["summary"]
        )
        other = commoner_sentence(theme.get("label_point"), theme["mentions"], theme["summary"])
        # the flag as it was, by the sentence's count made as the label's (not shown)
        earlier = commoner_sentence(
            theme.get("label_point"), theme["mentions"], theme["summary"], "answers_as_label"
        )
        row = {
            "set": name,
            "label": theme["label"],
            "relabelled_from": before.get(theme["label"]),
            "mentions": theme["mentions"],
            "label_point": theme.get("label_point"),
            "half": LABEL_FEW_TAG in flags,
            "commoner": COMMONER_TAG in flags,
            "other": other["text"] if other else None,
            "other_count": other["answers"] if other else None,
            # as the page flagged it: only when the half rule did not fire
            "commoner_before": earlier is not None and LABEL_FEW_TAG not in flags,
            "other_before": earlier["text"] if earlier else None,
            "other_before_count": earlier["answers_as_label"] if earlier else None,
            "untidy_label": _untidy(theme["label"]),
            "untidy_keywords": sum(_untidy(k) for k in theme["keywords"]),
            "untidy_quotes": sum(_untidy(q["text"]) for q in theme["quotes"]),
        }
        if extra is not None:
            row.update(extra(theme, other))
            if earlier is not None:
                row["truth_other_before"] = extra(theme, earlier).get("truth_other")
            # every point's two counts and its truth, for a grid over the flag's rule
            row["points"] = [
                {
                    "answers": point.get("answers"),
                    "answers_as_label": point.get("answers_as_label"),
                    "truth": extra(theme, point).get("truth_other"),
                }
                for point in theme["summary"]
                if not point.get("only_point")
            ]
        rows.append(row)
    return rows


def demo() -> list[dict[str, Any]]:
    """The demo's themes, with the truth for the label's point and the flagged sentence's."""
    from bench.demo_report import _phrasings, demo_questions, fit_demo_question, points_made

    phrasings = _phrasings()
    rows = []
    with demo_questions() as questions:
        for wording, answers in questions:
            model = fit_demo_question(wording, answers, "semantic")
            made = [points_made(answer, phrasings) for answer in answers.texts]
            index = {theme["id"]: i for i, theme in enumerate(model.themes_)}

            old_label = {new: old for old, new in getattr(model, "relabelled_themes_", [])}

            def truth(
                theme: dict, other: dict | None, made=made, model=model, index=index, was=old_label
            ):
                mentions = [
                    row
                    for row, themes in enumerate(model.memberships_)
                    if index[theme["id"]] in themes
                ]

                def count(statement: str) -> int | None:
                    point = points_made(statement, phrasings)
                    if len(point) != 1:
                        return None
                    return sum(point[0] in made[row] for row in mentions)

                return {
                    "truth_label": count(theme["label"]),
                    "truth_other": count(other["text"]) if other else None,
                    "truth_old": count(was[theme["label"]]) if theme["label"] in was else None,
                }

            rows += _theme_rows(wording, model, truth)
    return rows


def argkp() -> list[dict[str, Any]]:
    """ArgKP's matched themes, with the label's and the flagged sentence's cosine to the
    theme's key point."""
    from analysis.api import ThemeModel
    from analysis.embeddings import MiniLMEmbedder
    from bench.labels import load_motions, matched_themes

    embed = MiniLMEmbedder().embed
    rows = []
    for motion in load_motions():
        model = ThemeModel(n_themes=len(motion.key_points), engine="semantic", seed=0)
        model.fit(motion.texts, ids=motion.ids, question=motion.topic)
        points = {t["id"]: motion.key_points[p] for t, p in matched_themes(model, motion)}

        def nearness(
            theme: dict, other: dict | None, points=points, motion=motion
        ) -> dict[str, Any]:
            point = points.get(theme["id"])
            if point is None:
                return {"key_point": None, "motion": motion.topic}
            vectors = embed([point, theme["label"], other["text"] if other else point])
            found = {
                "key_point": point,
                "motion": motion.topic,
                "cos_label": float(vectors[1] @ vectors[0]),
            }
            if other is not None:
                found["cos_other"] = float(vectors[2] @ vectors[0])
            return found

        rows += _theme_rows(motion.topic, model, nearness)
    return rows


def nhs() -> list[dict[str, Any]]:
    """Three NHS FFT questions' themes (the first 1,000 answers of each)."""
    from analysis import ThemeModel
    from bench.summaries import QUESTIONS, _answers

    rows = []
    for question, wording in QUESTIONS:
        texts, ids = _answers(question, 1000)
        model = ThemeModel(engine="semantic", seed=0).fit(texts, ids=ids, question=wording)
        rows += _theme_rows(question, model)
    return rows


def table(found: dict[str, list[dict[str, Any]]]) -> str:
    """One line per set: themes, flags of each kind, how many commoner flags are borne out."""
    lines = [
        "| set | themes | label made by fewer than half | another point commoner (new flag) "
        "| new flags borne out | labels / keywords untidy | quotes with a stray I or <?> |",
        "|---|--:|--:|--:|---|--:|--:|",
    ]
    for name, rows in found.items():
        new = [r for r in rows if r["commoner"]]
        if name == "demo":
            known = [r for r in new if r["truth_label"] is not None and r["truth_other"]]
            borne = sum(r["truth_other"] > r["truth_label"] for r in known)
            said = f"{borne} of {len(known)} with a known truth (truth: other > label's)"
            was = [
                r
                for r in rows
                if r["commoner_before"]
                and r["truth_label"] is not None
                and r.get("truth_other_before")
            ]
            was_borne = sum(r["truth_other_before"] > r["truth_label"] for r in was)
            said += (
                f"; before (`answers_as_label`): {sum(r['commoner_before'] for r in rows)} "
                f"flagged, {was_borne} of {len(was)}"
            )
        elif name == "argkp":
            known = [r for r in new if "cos_other" in r]
            borne = sum(r["cos_other"] > r["cos_label"] for r in known)
            said = f"{borne} of {len(known)} matched (sentence nearer the key point)"
        else:
            said = "no truth"
        untidy = sum(r["untidy_label"] for r in rows), sum(r["untidy_keywords"] for r in rows)
        lines.append(
            f"| {name} | {len(rows)} | {sum(r['half'] for r in rows)} | {len(new)} | {said} "
            f"| {untidy[0]} / {untidy[1]} | {sum(r['untidy_quotes'] for r in rows)} |"
        )
    return "\n".join(lines)


def _motion_mean(rows: list[dict[str, Any]], column) -> float:
    per: dict[str, list[float]] = {}
    for row in rows:
        per.setdefault(row["motion"], []).append(column(row))
    return statistics.mean(statistics.mean(v) for v in per.values())


def relabelled(found: dict[str, list[dict[str, Any]]], max_words: int = 99) -> str:
    """What taking the commoner point's sentence as the label instead would do, on every
    theme with one (flagged either way) of at most ``max_words`` words: on the demo the
    answers truly making the label's point, on ArgKP the mean label cosine with the key
    points (as ``bench.labels`` averages it: over motions, of their matched themes)."""

    def swaps(row: dict[str, Any]) -> bool:
        return bool(row["other"]) and len(row["other"].split()) <= max_words

    said = []
    if "demo" in found:
        rows = [r for r in found["demo"] if swaps(r)]
        known = [r for r in rows if r["truth_label"] is not None and r["truth_other"]]
        before = sum(r["truth_label"] for r in known)
        after = sum(r["truth_other"] for r in known)
        said.append(
            f"demo: {len(rows)} themes relabelled, {len(known)} with a known truth: the labels'"
            f" points made by {before} -> {after} of their answers "
            f"({sum(r['truth_other'] > r['truth_label'] for r in known)} better)"
        )
    if "argkp" in found:
        rows = [r for r in found["argkp"] if r.get("key_point")]
        now = _motion_mean(rows, lambda r: r["cos_label"])
        then = _motion_mean(rows, lambda r: r["cos_other"] if swaps(r) else r["cos_label"])
        said.append(
            f"ArgKP: {sum(swaps(r) for r in rows)} of {len(rows)} matched themes relabelled, "
            f"label cosine {now:.4f} -> {then:.4f}"
        )
    return f"relabel (labels of at most {max_words} words): " + "; ".join(said)


def labels_truth(rows: list[dict[str, Any]]) -> str:
    """On the demo: how many of their answers truly make the labels' points, summed over the
    themes whose label says one known point, and the themes relabelled (:mod:`analysis.relabel`)
    with what their answers truly make of the old label's point and the new one's."""
    known = [r for r in rows if r["truth_label"] is not None]
    said = [
        f"demo labels' points truly made by {sum(r['truth_label'] for r in known)} of their "
        f"answers ({len(known)} of {len(rows)} themes with a known truth)"
    ]
    for row in rows:
        if row["relabelled_from"]:
            said.append(
                f"- relabelled “{row['relabelled_from']}” -> “{row['label']}” "
                f"(now counted {row['label_point']} of {row['mentions']}, truly "
                f"{row['truth_label']}; the old label truly {row['truth_old']})"
            )
    return "\n".join(said)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sets", default="demo,argkp,nhs")
    parser.add_argument("--json", type=Path, help="also save every theme's figures here")
    args = parser.parse_args(argv)
    measures = {"demo": demo, "argkp": argkp, "nhs": nhs}
    found = {name: measures[name]() for name in args.sets.split(",")}
    if args.json:
        args.json.write_text(json.dumps(found, indent=1, ensure_ascii=False), encoding="utf-8")
    print(table(found))
    print(relabelled(found))
    print(relabelled(found, 14))
    if "demo" in found:
        print(labels_truth(found["demo"]))
    for name, rows in found.items():
        for row in rows:
            if row["commoner"]:
                print(
                    f"- {name}: “{row['label']}” {row['label_point']} of {row['mentions']}; "
                    f"“{row['other']}” {row['other_count']}"
                    + (
                        f" (truth {row['truth_label']} and {row['truth_other']})"
                        if "truth_other" in row
                        else ""
                    )
                )
            if row.get("commoner_before"):
                print(
                    f"- before, {name}: “{row['label']}” {row['label_point']} of "
                    f"{row['mentions']}; “{row['other_before']}” {row['other_before_count']}"
                    + (
                        f" (truth {row['truth_label']} and {row.get('truth_other_before')})"
                        if "truth_label" in row
                        else ""
                    )
                )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
