"""Does the automatic count lose NMI by how its themes are formed, not by how many (issue 12,
autok4)?

    .venv/bin/python -m bench.auto_formed [--engine fast|semantic] [--odd] [--big]

Per ArgKP motion (even by default: the motions auto was tuned on; ``--odd`` the held-aside
ones; the arguments matching exactly one key point, the motion given as the question's
wording, seed 0), or with ``--big`` per large set of ``bench.quality`` (3,000-row
subsamples) and gambling_XS: the count rule's count C (:func:`analysis.themes.choose_theme_count`
on the run's vectors), the whole automatic fit's final count N (after dissolving combination
themes and joining themes that say one point), and NMI against the truth of: the automatic
fit, the fit with the count given as k (the experts'), as N and as C. A gap between "auto"
and "given N" is lost in the pipeline after the count is chosen, not in the count. Means at
the end. Writes nothing.
"""

from __future__ import annotations

import argparse
import statistics

from analysis.api import ThemeModel
from analysis.themes import choose_theme_count
from bench.common import scores
from bench.count_misses import prepared, window
from bench.quality import load_argkp, load_gambling, load_single_label, multilabel_f1, subsample


def row(texts: list[str], truth: list[str], engine: str, question: str | None) -> dict:
    """The counts and NMIs of one set (see the module docstring)."""
    run = prepared(texts, engine, question)
    chosen = choose_theme_count(run.vectors, run.weights, 0)
    auto = ThemeModel(engine=engine, seed=0).fit(texts, question=question)
    final = auto.n_themes_
    k = len(set(truth))

    def given(count: int) -> float:
        model = ThemeModel(n_themes=count, engine=engine, seed=0).fit(texts, question=question)
        return scores(truth, model.labels_)["nmi"]

    nmi_k = given(k)
    nmi_n = nmi_k if final == k else given(final)
    nmi_c = nmi_n if chosen == final else (nmi_k if chosen == k else given(chosen))
    return {
        "n": len(texts),
        "k": k,
        "C": chosen,
        "N": final,
        "auto": scores(truth, auto.labels_)["nmi"],
        "given k": nmi_k,
        "given N": nmi_n,
        "given C": nmi_c,
    }


def show(name: str, found: dict) -> None:
    low, high = window(found["k"])
    inside = "ok" if low <= found["N"] <= high else "miss"
    print(
        f"{name[:40]:40} n {found['n']:4} k {found['k']:2} C {found['C']:2} N {found['N']:2} "
        f"{inside:4} auto {found['auto']:.2f} given k {found['given k']:.2f} "
        f"given N {found['given N']:.2f} given C {found['given C']:.2f}",
        flush=True,
    )


def argkp(engine: str, parity: int) -> None:
    rows = []
    for index, (topic, texts, truth, _multi, _all) in enumerate(load_argkp()):
        if index % 2 != parity:
            continue
        rows.append(row(texts, truth, engine, topic))
        show(topic, rows[-1])
    means = {key: statistics.mean(r[key] for r in rows) for key in rows[0]}
    within = sum(window(r["k"])[0] <= r["N"] <= window(r["k"])[1] for r in rows)
    print(
        f"mean: k {means['k']:.2f} C {means['C']:.2f} N {means['N']:.2f} ({within}/{len(rows)}) "
        f"auto {means['auto']:.2f} given k {means['given k']:.2f} "
        f"given N {means['given N']:.2f} given C {means['given C']:.2f}"
    )


def big(engine: str) -> None:
    for name, (texts, truth) in load_single_label().items():
        texts, truth = subsample(texts, truth, 3000)
        show(name, row(texts, truth, engine, None))
    for question, _ids, texts, truth in load_gambling():
        auto = ThemeModel(engine=engine, seed=0).fit(texts)
        n = auto.n_themes_
        given = ThemeModel(n_themes=n, engine=engine, seed=0).fit(texts)
        print(
            f"gambling {question}: N {n} auto F1 {multilabel_f1(truth, auto.memberships_):.2f} "
            f"given N F1 {multilabel_f1(truth, given.memberships_):.2f}",
            flush=True,
        )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--engine", choices=("fast", "semantic"), default="fast")
    parser.add_argument("--odd", action="store_true", help="the held-aside odd motions")
    parser.add_argument("--big", action="store_true", help="the large sets and gambling_XS")
    options = parser.parse_args()
    if options.big:
        big(options.engine)
    else:
        argkp(options.engine, 1 if options.odd else 0)


if __name__ == "__main__":
    main()
