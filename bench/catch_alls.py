"""How often a catch-all (a theme flagged mixed) would head a report, and the demo's reports
read with catch-alls listed last (fixa18, smoke17s #2).

    .venv/bin/python -m bench.mixed_flags --sets demo,nhs,argkp --engines fast --json FILE
    .venv/bin/python -m bench.catch_alls --json FILE
    .venv/bin/python -m bench.catch_alls --demo [--engine fast]

With ``--json`` (the themes ``bench.mixed_flags`` records), per set: the runs, themes, themes
flagged mixed (:func:`analysis.mixed.mixed_themes`, each run's themes together) and the runs
whose largest theme is flagged, with its share of the run's answers and its purity (share of
its answers with its commonest human label, where the set has them). With ``--demo``, each of
the demo's seven free-text questions themed as the workspace does (``bench.demo_report``) and
the command line's report rendered (:func:`analysis.report.render_report`): its headline
table's rows in order, largest first before, flagged themes last now.
"""

from __future__ import annotations

import argparse
import json
import re
from typing import Any

from analysis.mixed import mixed_themes


def leading(rows: list[dict[str, Any]]) -> dict[str, Any]:
    """Per set of ``bench.mixed_flags`` rows: runs, themes, flagged and the runs a flagged
    theme leads (each with its label, size, run size and purity)."""
    runs: dict[tuple, list[dict[str, Any]]] = {}
    for row in rows:  # a run is a set's question and engine with its number of themes
        runs.setdefault((row["set"], row["engine"], row["themes"], row["run_multi"]), []).append(
            row
        )
    flagged, led = 0, []
    for themes in runs.values():
        themes = sorted(themes, key=lambda t: -t["size"])
        mixed = mixed_themes(
            [t["size"] for t in themes],
            [t["multi"] for t in themes],
            [t["label_point"] for t in themes],
            [t["mentions"] for t in themes],
            [t["keywords"] for t in themes],
        )
        flagged += sum(mixed)
        if mixed and mixed[0]:
            top = themes[0]
            led.append(
                {
                    "run": top["set"],
                    "label": top["label"],
                    "size": top["size"],
                    "answers": sum(t["size"] for t in themes),
                    "purity": top.get("purity"),
                    "next": themes[1]["label"] if len(themes) > 1 else "",
                    "next_purity": themes[1].get("purity") if len(themes) > 1 else None,
                }
            )
    return {"runs": len(runs), "themes": len(rows), "flagged": flagged, "led": led}


def headline_orders(engine: str) -> list[tuple[str, list[str]]]:
    """Each demo question's CLI report headline rows ("T01 label"), in the order shown."""
    from analysis.output import themes_document
    from analysis.report import render_report
    from bench.demo_report import demo_questions, fit_demo_question

    found = []
    with demo_questions() as questions:
        for wording, answers in questions:
            model = fit_demo_question(wording, answers, engine)
            html = render_report(themes_document(model))
            table = html.split("Themes by number of answers", 1)[1].split("</table>", 1)[0]
            rows = re.findall(r'<tr><th scope="row">(?:<a [^>]*>)?([^<]*)', table)
            found.append((wording, [row for row in rows if re.match(r"T\d", row)]))
    return found


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--json", help="a bench.mixed_flags JSON file")
    parser.add_argument("--demo", action="store_true", help="the demo's headline tables")
    parser.add_argument("--engine", default="fast", choices=("fast", "semantic", "auto"))
    args = parser.parse_args()
    if args.json:
        with open(args.json, encoding="utf-8") as handle:
            sets = json.load(handle)
        print("| set | runs | themes | flagged mixed | runs led by a flagged theme |")
        print("|---|--:|--:|--:|--:|")
        found = {name: leading(rows) for name, rows in sets.items()}
        for name, f in found.items():
            print(f"| {name} | {f['runs']} | {f['themes']} | {f['flagged']} | {len(f['led'])} |")
        for name, f in found.items():
            for run in f["led"]:
                purity = "" if run["purity"] is None else f", purity {run['purity']:.2f}"
                print(
                    f'- {name}: {run["run"]}: "{run["label"]}" {run["size"]} of '
                    f'{run["answers"]} answers{purity}; next: "{run["next"]}"'
                )
    if args.demo:
        for wording, rows in headline_orders(args.engine):
            print(f"\n{wording}")
            for row in rows:
                print(f"  {row}")


if __name__ == "__main__":
    main()
