"""Summary points near a theme's label: the label's point again, or another point (issue 12).

A theme's summary leaves out a point whose first sentence is close to the label (MiniLM cosine
0.6 and more: :func:`analysis.describe._label_points`), as a repeat of the label. On ArgKP most
of the commonest points summaries miss are of that kind: near the label but another key point
(BENCHMARKS "summary-coverage"). This bench records, for every point a summary weighs, the
label, the point's sentences and the key points of their arguments, so a test of "this point
is the label's" can be scored against the experts' key points: two arguments matching one key
point make one point.

The truth, written down before any rule was scored: a point **is the label's** when its first
sentence's argument matches a key point the label's arguments match (the label's key points
as ``bench.summary_coverage`` reads them: those of the arguments it is cut from, else of its
first quote); it is **another point** when that argument matches key points and none of the
label's; points whose argument or label has no key point are left out. Even motions tune,
odd motions are scored once.

    .venv/bin/python -m bench.label_near --record FILE [--motions even|odd|all]
    .venv/bin/python -m bench.label_near --score FILE
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.append(str(ROOT))


def record(motions: str) -> list[dict]:
    """Fit ArgKP's motions (semantic, as many themes as key points, seed 0) and record every
    point each summary weighs against its label."""
    from analysis import ThemeModel, describe
    from bench.quality import load_argkp

    calls: list[dict] = []
    context: dict = {}
    summarise = describe.summarise
    label_points = describe._label_points

    def summarise_spy(members, similarity, texts, ids, *args, **kwargs):
        context.update(ids=ids, texts=texts, members=list(members))
        context["label"] = kwargs.get("label", "")
        return summarise(members, similarity, texts, ids, *args, **kwargs)

    def label_points_spy(points, sentences_, vectors, threshold, label, target, makes=None):
        found = label_points(points, sentences_, vectors, threshold, label, target, makes)
        if vectors.shape[1] > 1 and label:
            calls.append(
                {
                    "label": label,
                    "label_vector": [round(float(x), 6) for x in target],
                    "members": [context["ids"][m] for m in context["members"]],
                    "points": [
                        {
                            "sentences": [sentences_[i] for i in p.members],
                            "vectors": [
                                [round(float(x), 6) for x in vectors[i]] for i in p.members
                            ],
                            "ids": [context["ids"][r] for r in p.rows],
                            "labelled": index in found,
                        }
                        for index, p in enumerate(points)
                    ],
                }
            )
        return found

    describe.summarise = summarise_spy
    describe._label_points = label_points_spy
    found = []
    try:
        for index, (topic, _one, _kp, truth, texts) in enumerate(load_argkp()):
            part = "odd" if index % 2 else "even"
            if motions not in (part, "all"):
                continue
            k = len({label for row in truth for label in row})
            calls.clear()
            model = ThemeModel(n_themes=k, engine="semantic", seed=0).fit(
                texts, ids=[str(i) for i in range(len(texts))]
            )
            by_label = {t["label"]: t for t in model.themes_}
            for call in calls:
                theme = by_label.get(call["label"])
                own = set().union(
                    *(
                        set(p)
                        for t, p in zip(texts, truth, strict=True)
                        if call["label"].lower() in t.lower()
                    )
                )
                if not own and theme is not None and theme["quotes"]:
                    own = set(truth[int(theme["quotes"][0]["id"])])
                for point in call["points"]:
                    point["kps"] = [truth[int(i)] for i in point["ids"]]
                    point["texts"] = [texts[int(i)] for i in point["ids"]]
                call.update(
                    motion=topic,
                    part=part,
                    label_kps=sorted(own),
                    summary=[s["text"] for s in theme["summary"]] if theme else [],
                    member_kps=[truth[int(i)] for i in call["members"]],
                )
                found.append(call)
            print(f"{topic}: {len(calls)} summaries", flush=True)
    finally:
        describe.summarise = summarise
        describe._label_points = label_points
    return found


def sentences_of(calls: list[dict]) -> list[dict]:
    """Every candidate sentence of every recorded summary whose label has key points: its
    plain cosine with the label, its vector, and whether its argument matches one of the
    label's key points (``same``)."""
    found = []
    for index, call in enumerate(calls):
        own = set(call["label_kps"])
        if not own:
            continue
        for point in call["points"]:
            for text, vector in zip(point["sentences"], point["vectors"], strict=True):
                kps = next(
                    (
                        set(k)
                        for t, k in zip(point["texts"], point["kps"], strict=True)
                        if text[1:].lower()[:30] in t.lower()
                    ),
                    set(point["kps"][0]),
                )
                if kps:
                    found.append(
                        {"call": index, "vector": vector, "same": bool(kps & own), "text": text}
                    )
    return found


def score(calls: list[dict], part: str, centred: float) -> dict:
    """Per sentence, how well the plain cosine with the label and the cosine with the
    question's mean taken out (:func:`analysis.describe.near_label`) tell the label's key
    point from another (ROC AUC), and what each flags at the summary's threshold (0.6)."""
    from sklearn.metrics import roc_auc_score

    from analysis.describe import near_label
    from analysis.embeddings import MiniLMEmbedder
    from bench.quality import load_argkp

    texts = {topic: t for topic, _one, _kp, _truth, t in load_argkp()}
    embed = MiniLMEmbedder().embed
    means = {}
    rows = [x for x in sentences_of(calls) if calls[x["call"]]["part"] == part]
    plain, centre, same, flagged = [], [], [], {"plain": [], "centred": []}
    for x in rows:
        call = calls[x["call"]]
        if call["motion"] not in means:
            means[call["motion"]] = np.asarray(embed(texts[call["motion"]])).mean(axis=0)
        shared = means[call["motion"]]
        v, target = np.asarray([x["vector"]]), np.asarray(call["label_vector"])
        plain.append(float(v[0] @ target))
        rest = (v[0] - shared) / np.linalg.norm(v[0] - shared)
        label = (target - shared) / np.linalg.norm(target - shared)
        centre.append(float(rest @ label))
        same.append(x["same"])
        flagged["plain"].append(bool(near_label(v, target, 0.6)[0]))
        flagged["centred"].append(bool(near_label(v, target, 0.6, shared, centred)[0]))
    same_ = np.asarray(same)
    out = {
        "sentences": len(rows),
        "same": int(same_.sum()),
        "auc_plain": round(float(roc_auc_score(same, plain)), 3),
        "auc_centred": round(float(roc_auc_score(same, centre)), 3),
    }
    for name, flags in flagged.items():
        f = np.asarray(flags)
        out[f"{name}_flags_same"] = int((f & same_).sum())
        out[f"{name}_flags_other"] = int((f & ~same_).sum())
    return out


def main() -> None:
    """Record or score."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--record", type=Path, help="fit and write the points here")
    parser.add_argument("--motions", default="even", choices=("even", "odd", "all"))
    parser.add_argument("--score", type=Path, help="score the points a --record run wrote")
    parser.add_argument("--centred", type=float, default=0.2, help="the centred bar to score")
    args = parser.parse_args()
    if args.record:
        args.record.write_text(json.dumps(record(args.motions)), encoding="utf-8")
    if args.score:
        calls = json.loads(args.score.read_text(encoding="utf-8"))
        for part in ("even", "odd"):
            print(part, json.dumps(score(calls, part, args.centred)), flush=True)


if __name__ == "__main__":
    main()
