"""Joining themes that say one point: the automatic count's themes with the join off and on.

    .venv/bin/python -m bench.same_point [--engine semantic|fast] [--write]

Automatic number of themes, seed 0, in one process: ``ThemeModel(same_point=None)`` (before)
beside the default (after). Both engines compare the labels with MiniLM sentence embeddings
(the fast engine when the MiniLM models are installed, as its static vectors need them;
the library leaves its joins off, ``analysis.stages.FAST_ENGINE_JOINS``, and this bench turns
them on).

- The demo consultation (loaded afresh as ``bench.demo_report`` does), each of its seven
  free-text questions as the workspace themes it: points given two or more themes, themes
  mixing points and NMI against the demo's points (``bench.demo_report.point_figures``).
- ArgKP, per motion the arguments matching exactly one key point: themes, how many motions
  came within 25 % of the experts' count, NMI, beside NMI with the count given. The join's
  threshold was tuned on the demo and the even motions; the odd ones were held aside.
- NHS feedback (the first 2,500 rows of ``nhs_fft_phase1.csv``, as the issue's walk read it):
  themes, NMI against the 9 expert themes on the answers given a theme, and the pairs joined.
"""

from __future__ import annotations

import argparse
import statistics

from analysis import ThemeModel, stages
from bench.common import machine, read_columns, scores, write_section
from bench.demo_report import _phrasings, demo_questions, point_figures, points_made
from bench.quality import load_argkp

SETTINGS = (("before (join off)", None), ("after", "default"))
NHS_ROWS = 2500


def fit(texts: list[str], same_point, engine: str = "semantic", **extra) -> ThemeModel:
    options = {} if same_point == "default" else {"same_point": same_point}
    return ThemeModel(n_themes="auto", engine=engine, seed=0, **options).fit(texts, **extra)


def nhs_figures(engine: str) -> dict[str, dict]:
    """Per setting on the NHS sample: themes, NMI against the 9 expert themes (answers given a
    theme) and the pairs of labels joined."""
    rows = read_columns("nhs_fft_phase1.csv", "feedback", "label")[:NHS_ROWS]
    texts, truth = [r[0] for r in rows], [r[1] for r in rows]
    found = {}
    for name, setting in SETTINGS:
        model = fit(texts, setting, engine)
        kept = [i for i, theme in enumerate(model.labels_) if theme >= 0]
        found[name] = {
            "themes": model.n_themes_,
            "nmi": scores([truth[i] for i in kept], [model.labels_[i] for i in kept])["nmi"],
            "joined": model.joined_themes_,
        }
    return found


def demo_figures(engine: str = "semantic") -> dict[str, dict]:
    """Per setting: the demo's point figures summed (NMI averaged) over its seven questions,
    and the pairs of labels joined."""
    found = {
        name: {"themes": 0, "split": 0, "mixed": 0, "point_nmi": 0.0, "joined": []}
        for name, _ in SETTINGS
    }
    phrasings = _phrasings()
    with demo_questions() as questions:
        for wording, answers in questions:
            made = [points_made(text, phrasings) for text in answers.texts]
            for name, setting in SETTINGS:
                model = fit(
                    answers.texts,
                    setting,
                    engine,
                    ids=answers.references,
                    segments={"partner_type": answers.segments["partner_type"]},
                    agreement=answers.agreement,
                    question=wording,
                )
                figures = point_figures([int(t) for t in model.labels_], made, model.n_themes_)
                total = found[name]
                total["themes"] += model.n_themes_
                total["split"] += figures["split"]
                total["mixed"] += figures["mixed"]
                total["point_nmi"] += figures["point_nmi"] / len(questions)
                total["joined"] += model.joined_themes_
                total["points"] = total.get("points", 0) + figures["points"]
    return found


def argkp_rows(engine: str = "semantic") -> list[tuple]:
    """Per motion: parity, k, NMI with k given, then themes and NMI per setting."""
    rows = []
    for index, (topic, texts, truth, _multi, _all) in enumerate(load_argkp()):
        k = len(set(truth))
        given = ThemeModel(n_themes=k, engine=engine, seed=0).fit(texts)
        row = [index % 2, k, scores(truth, given.labels_)["nmi"]]
        for _name, setting in SETTINGS:
            model = fit(texts, setting, engine)
            row += [model.n_themes_, scores(truth, model.labels_)["nmi"]]
        rows.append(tuple(row))
        print(topic, row, flush=True)
    return rows


def report(
    demo: dict[str, dict], rows: list[tuple], engine: str = "semantic", nhs: dict | None = None
) -> str:
    if engine == "fast":
        return fast_report(demo, rows, nhs or {})
    before, after = (demo[name] for name, _ in SETTINGS)
    lines = [
        "## Joining themes that say one point (`bench/same_point.py`)",
        "",
        f"Command: `.venv/bin/python -m bench.same_point --write`. Machine: {machine()}, shared "
        "and under load. Semantic engine, automatic number of themes, seed 0; 'before' is "
        "`ThemeModel(same_point=None)` and 'after' the default (two themes whose labels stand "
        "out as alike, z >= 2.65 over the fit's pairs of labels, are joined once; "
        "`analysis/same_point.py`), in the same process. The threshold was tuned on the demo "
        "and ArgKP's even motions; the odd motions were held aside. The fast engine: section "
        "'Joining themes that say one point, fast engine'.",
        "",
        f"The demo consultation (seven free-text questions, {after['points']} points, each in "
        "two or three phrasings), themed as the workspace does:",
        "",
        "| | before | after |",
        "|---|--:|--:|",
        f"| themes | {before['themes']} | {after['themes']} |",
        f"| points given two or more themes | {before['split']} | {after['split']} |",
        f"| themes where no point is made by 60 % of the members | {before['mixed']} | "
        f"{after['mixed']} |",
        f"| NMI against the points, answers making one (mean of seven, %) | "
        f"{before['point_nmi']:.1f} | {after['point_nmi']:.1f} |",
        "",
        "Joined: " + "; ".join(f'"{a}" with "{b}"' for a, b in after["joined"]) + ".",
        "",
        "ArgKP (per motion the arguments matching exactly one key point; means over 12 motions):",
        "",
        "| Motions | k (experts) | NMI, k given | before: themes (within 25 %) | NMI "
        "| after: themes (within 25 %) | NMI |",
        "|---|---|---|---|---|---|---|",
    ]
    lines += argkp_table(rows)
    return "\n".join(lines)


def argkp_table(rows: list[tuple]) -> list[str]:
    """ArgKP's before-and-after rows, even and odd motions."""
    lines = []
    for parity, name in ((0, "12 even (tuned on)"), (1, "12 odd (held aside)")):
        chosen = [r for r in rows if r[0] == parity]

        def mean(column: int, chosen=chosen) -> float:
            return statistics.mean(r[column] for r in chosen)

        def within(column: int, chosen=chosen) -> int:
            return sum(abs(r[column] - r[1]) <= 0.25 * r[1] for r in chosen)

        given = mean(2)
        lines.append(
            f"| {name} | {mean(1):.1f} | {given:.1f} | {mean(3):.2f} ({within(3)}/12) | "
            f"{mean(4):.1f} ({100 * (mean(4) - given) / given:+.1f} %) | {mean(5):.2f} "
            f"({within(5)}/12) | {mean(6):.1f} ({100 * (mean(6) - given) / given:+.1f} %) |"
        )
    return lines


def fast_report(demo: dict[str, dict], rows: list[tuple], nhs: dict[str, dict]) -> str:
    """The fast engine's section: the demo, NHS and ArgKP before and after the join."""
    before, after = (demo[name] for name, _ in SETTINGS)
    nhs_before, nhs_after = (nhs[name] for name, _ in SETTINGS)
    lines = [
        "## Joining themes that say one point, fast engine (`bench/same_point.py`)",
        "",
        "Command: `.venv/bin/python -m bench.same_point --engine fast --write`. Machine: "
        f"{machine()}, shared and under load. Fast engine, automatic number of themes, seed 0; "
        "'before' is `ThemeModel(same_point=None)` and 'after' the default: the fast engine's "
        "labels are compared with MiniLM (installed with its static vectors) and joined by the "
        "semantic engine's rule (z >= 2.65, untuned for this engine), in the same process.",
        "",
        "| | before | after |",
        "|---|--:|--:|",
        f"| demo: themes (seven questions) | {before['themes']} | {after['themes']} |",
        f"| demo: points given two or more themes | {before['split']} | {after['split']} |",
        f"| demo: themes where no point is made by 60 % of the members | {before['mixed']} | "
        f"{after['mixed']} |",
        f"| demo: NMI against the points (mean of seven, %) | {before['point_nmi']:.1f} | "
        f"{after['point_nmi']:.1f} |",
        f"| NHS, first {NHS_ROWS} rows: themes | {nhs_before['themes']} | {nhs_after['themes']} |",
        f"| NHS: NMI against the 9 expert themes (%) | {nhs_before['nmi']:.1f} | "
        f"{nhs_after['nmi']:.1f} |",
        "",
        "Joined on the demo: "
        + "; ".join(f'"{a}" with "{b}"' for a, b in after["joined"])
        + ". On NHS: "
        + "; ".join(f'"{a}" with "{b}"' for a, b in nhs_after["joined"])
        + ".",
        "",
        "ArgKP (per motion the arguments matching exactly one key point; means over 12 motions):",
        "",
        "| Motions | k (experts) | NMI, k given | before: themes (within 25 %) | NMI "
        "| after: themes (within 25 %) | NMI |",
        "|---|---|---|---|---|---|---|",
    ]
    lines += argkp_table(rows)
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--engine", choices=["semantic", "fast"], default="semantic")
    parser.add_argument("--write", action="store_true")
    args = parser.parse_args()
    stages.FAST_ENGINE_JOINS = args.engine == "fast"  # off by default in the library, for its cost
    demo = demo_figures(args.engine)
    nhs = nhs_figures(args.engine) if args.engine == "fast" else None
    rows = argkp_rows(args.engine)
    text = report(demo, rows, args.engine, nhs)
    print(text)
    if args.write:
        write_section("same-point" if args.engine == "semantic" else "same-point-fast", text)


if __name__ == "__main__":
    main()
