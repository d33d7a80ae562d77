"""Keywords of themes a reviewer edited (issue 12, smoke11 #7 and #15), before and after
:mod:`analysis.edit_keywords`, and whether a fresh fit's keywords changed:

    .venv/bin/python -m bench.keyword_edits [--engines fast semantic] [--fresh] [--list]
        [--against others] [--large]

``--large`` (leftweb) merges each run's themes until one holds 60 % of its answers and
compares every theme's keywords without and with :data:`analysis.edit_keywords.
LARGE_THEME_SHARE` (see :func:`large`).

``--against others`` runs the new rules with the distinctiveness test against the other
themes' answers (:data:`analysis.describe.KEYWORD_AGAINST`; tried, not adopted).

**Edits.** Each of the demo's seven free-text questions with six themes or more is themed as
the workspace's job themes it (``bench.demo_report.fit_demo_question``), then edited by a
fixed script, in order: merge theme 1 into theme 0; move the first five answers of theme 2
to theme 3; split theme 4 in two (``ThemeModel(n_themes=2)`` on its answers, as
``consult.reports.review._fit_split``); create a theme of the last six answers of theme 5.
The edited themes' keywords, the old way (a merged or created theme described alone by
:func:`analysis.group.describe_group`; a move left both themes' keywords as they were; a
split's parts described by their own two-theme fit) against the new (each edit's themes
contrasted with the run's other themes after it, :func:`analysis.edit_keywords.keywords_after_edit`,
as the web app now does). Counted over the edited themes as they stand at the end:

* keywords per theme (mean and most) and themes with none ("No distinctive words");
* lone vague words: a one-word keyword of ``analysis.keywords.GENERAL`` (vague verbs and
  nouns, :data:`~analysis.keywords.BLAND` ones such as "informed", "responses");
* a neighbour's words: a keyword none of whose terms sets its theme apart and one of which
  sets another theme apart (:func:`analysis.describe.distinctive_terms` against the other
  themes, on the final grouping, whichever contrast the new rules use: "region" in a merged
  theme when another theme's answers own it);
* not distinctive: a keyword none of whose terms sets its theme apart (the neighbour's
  words are among them).

**Fresh fits** (``--fresh``): the demo's seven questions and ArgKP's 24 dev motions
(``bench.labels.load_motions``, as many themes as key points) are fitted with each engine,
and every theme's shown keywords computed by the old and the new
``analysis.stages.shown_keywords`` from the same inputs, in one process; the themes whose
keywords differ are counted (and listed with ``--list``).

The yardsticks are the analysis's own (its word lists, its distinctiveness test): they
measure that edited themes now follow the fit's rules, not how well the rules read.
"""

from __future__ import annotations

import argparse
import statistics
import time

import numpy as np

import analysis.describe as describe
import analysis.stages as stages
from analysis.keyword_case import keywords_as_written
from analysis.keywords import GENERAL, readable_keywords


def old_shown_keywords(keywords, distinctive, index_of, tokenizer, texts, alone=False):
    """``analysis.stages._shown_keywords`` before kwedit: vague words alone as a last
    resort, and a theme no word sets apart shown its best words all the same."""
    distinct = [w for w in keywords if distinctive[index_of[w]]]
    shown = readable_keywords(distinct, tokenizer, texts) if distinct else []
    if distinct and not shown:
        shown = readable_keywords(distinct, tokenizer, texts, bland=True)
    return keywords_as_written(shown or readable_keywords(keywords, tokenizer, texts), texts)


def old_distinctive_terms(matrix, labels, k, weights=None):
    """``analysis.describe.distinctive_terms`` before kwedit: against every answer."""
    return NEW_DISTINCTIVE(matrix, labels, k, weights, against="all")


NEW_DISTINCTIVE = describe.distinctive_terms


class old_rules:
    """Within this block, fits and descriptions show keywords the old way."""

    def __enter__(self):
        self.saved = stages.shown_keywords, describe.distinctive_terms
        stages.shown_keywords = old_shown_keywords
        describe.distinctive_terms = old_distinctive_terms

    def __exit__(self, *exc):
        stages.shown_keywords, describe.distinctive_terms = self.saved


def _terms(keyword: str, read) -> list[int]:
    """The columns of the run's term matrix a keyword's words and phrases are."""
    tokens = read.tokenizer.transform([keyword.lower()])[0]
    return [read.index_of[t] for t in tokens if t in read.index_of]


def judge(keywords: list[str], theme: int, read) -> dict[str, int]:
    """One theme's keywords counted (see the module's docstring)."""
    out = {"keywords": len(keywords), "empty": int(not keywords), "vague": 0}
    out.update(neighbour=0, not_distinctive=0)
    for keyword in keywords:
        if " " not in keyword and "-" not in keyword and keyword.lower() in GENERAL:
            out["vague"] += 1
        columns = _terms(keyword, read)
        own = any(read.distinctive[theme, c] for c in columns)
        if not own:
            out["not_distinctive"] += 1
            others = np.delete(read.distinctive, theme, axis=0)
            if columns and others[:, columns].any():
                out["neighbour"] += 1
    return out


def edit_script(texts, ids, labels, themes, engine):
    """The four edits applied in order: yields (edit, final labels' theme indices edited,
    old keywords by theme, labels after the edit) for each."""
    from analysis import ThemeModel
    from analysis.group import describe_group

    labels = np.array(labels)
    k = int(labels.max()) + 1

    def rows(theme):
        return [int(r) for r in np.nonzero(labels == theme)[0]]

    def group(theme, label):
        members = rows(theme)
        return describe_group(
            [texts[r] for r in members], [ids[r] for r in members], engine=engine, label=label
        ).keywords

    labels[labels == 1] = 0
    with old_rules():
        old = {0: group(0, themes[0]["label"])}
    yield "merge", old, labels.copy()
    moving = rows(2)[:5]
    labels[moving] = 3
    yield "move", {2: themes[2]["keywords"], 3: themes[3]["keywords"]}, labels.copy()
    members = rows(4)
    with old_rules():
        model = ThemeModel(n_themes=2, engine=engine, seed=0)
        model.fit([texts[r] for r in members], ids=[ids[r] for r in members])
    parts = [int(x) for x in model.labels_]
    largest = max(set(p for p in parts if p >= 0), key=parts.count)
    for r, part in zip(members, parts, strict=True):
        labels[r] = 4 if (part if part >= 0 else largest) == 0 else k
    old = {4: model.themes_[0]["keywords"], k: model.themes_[1]["keywords"]}
    yield "split", old, labels.copy()
    chosen = rows(5)[-6:]
    labels[chosen] = k + 1
    with old_rules():
        old = {k + 1: group(k + 1, "Created"), 5: themes[5]["keywords"]}
    yield "create", old, labels.copy()


def edits(engine: str, show: bool) -> tuple[dict[str, dict[str, int]], list[float]]:
    """Totals over the demo's edited themes, old and new, and the new path's seconds."""
    from analysis.edit_keywords import contrast, keywords_after_edit
    from analysis.fit import FIT_FLOOR
    from bench.demo_report import demo_questions, fit_demo_question

    totals: dict[str, dict[str, int]] = {"old": {}, "new": {}}
    seconds: list[float] = []
    with demo_questions() as questions:
        for wording, answers in questions:
            with old_rules():  # the themes' keywords as the run showed them
                model = fit_demo_question(wording, answers, engine)
            if model.n_themes_ < 6:
                continue
            texts, ids = list(answers.texts), list(answers.references)
            outside = [f < FIT_FLOOR for f in model.fit_]
            shown: dict[str, dict[int, list[str]]] = {"old": {}, "new": {}}
            final = None
            for _, old, labels in edit_script(texts, ids, model.labels_, model.themes_, engine):
                started = time.process_time()
                new = keywords_after_edit(texts, labels.tolist(), old, outside=outside)
                seconds.append(time.process_time() - started)
                shown["old"].update(old)
                shown["new"].update({t: new.get(t, []) for t in old})
                final = labels
            # one yardstick whichever rules ran: a word sets a theme apart from the others
            against, describe.KEYWORD_AGAINST = describe.KEYWORD_AGAINST, "others"
            read = contrast(texts, final.tolist(), int(final.max()) + 1, outside=outside)
            describe.KEYWORD_AGAINST = against
            for way in ("old", "new"):
                for theme, keywords in shown[way].items():
                    if not (final == theme).any():
                        continue
                    for name, value in judge(keywords, theme, read).items():
                        totals[way][name] = totals[way].get(name, 0) + value
                    totals[way]["themes"] = totals[way].get("themes", 0) + 1
                    if show:
                        print(f"{engine} {way} {wording[:40]!r} {theme}: {', '.join(keywords)}")
    return totals, seconds


def fresh(engine: str, show: bool) -> dict[str, dict[str, int]]:
    """Per set: themes fitted and themes whose keywords the new rules change (each fit's
    themes described the old way, then the new, from the same grouping)."""
    from analysis import ThemeModel
    from bench.demo_report import demo_questions, fit_demo_question
    from bench.labels import load_motions

    found: dict[str, dict[str, int]] = {}
    current = ["demo"]
    description = stages.description

    def both(run):
        with old_rules():
            description(run)
        old = [list(theme["keywords"]) for theme in run.themes]
        description(run)
        counts = found.setdefault(current[0], {"themes": 0, "changed": 0, "empty": 0})
        for before, theme in zip(old, run.themes, strict=True):
            counts["themes"] += 1
            counts["empty"] += not theme["keywords"]
            if before != theme["keywords"]:
                counts["changed"] += 1
                if show:
                    print(f"{engine} {current[0]}: old {before} -> new {theme['keywords']}")

    stages.description = both
    try:
        with demo_questions() as questions:
            for wording, answers in questions:
                fit_demo_question(wording, answers, engine)
        current[0] = "argkp"
        for motion in load_motions():
            ThemeModel(n_themes=len(motion.key_points), engine=engine, seed=0).fit(
                motion.texts, ids=motion.ids, question=motion.topic
            )
    finally:
        stages.description = description
    return found


def _merged_into_one(labels: np.ndarray, share: float = 0.6) -> np.ndarray:
    """``labels`` with the largest themes merged into the largest, in order of size, until it
    holds ``share`` of the themed answers (a reviewer's merge of most of a run)."""
    labels = np.array(labels)
    themed = int((labels >= 0).sum())
    order = sorted(set(labels[labels >= 0].tolist()), key=lambda t: (-(labels == t).sum(), t))
    for theme in order[1:]:
        if (labels == order[0]).sum() >= share * themed:
            break
        labels[labels == theme] = order[0]
    return labels


def large(engine: str, show: bool) -> dict[str, dict[str, int]]:
    """leftweb: a run whose themes were merged until one holds 60 % of the answers; every
    theme's keywords after the edit without and with the other contrast for a large empty
    theme (:data:`analysis.edit_keywords.LARGE_THEME_SHARE`), in one process. Per set:
    themes, rows changed, rows changed that were not empty (must be 0), empty rows before
    and after. ArgKP's motions held aside (``bench.labels.held_out``) are left out."""
    import analysis.edit_keywords as edit_keywords
    from analysis import ThemeModel
    from analysis.fit import FIT_FLOOR
    from bench.demo_report import demo_questions, fit_demo_question
    from bench.labels import held_out, load_motions

    found: dict[str, dict[str, int]] = {}

    def compare(name: str, texts: list[str], model) -> None:
        labels = _merged_into_one(model.labels_)
        outside = [f < FIT_FLOOR for f in model.fit_]
        wanted = sorted(set(labels[labels >= 0].tolist()))
        adopted, edit_keywords.LARGE_THEME_SHARE = edit_keywords.LARGE_THEME_SHARE, None
        try:
            before = edit_keywords.keywords_after_edit(
                texts, labels.tolist(), wanted, outside=outside
            )
        finally:
            edit_keywords.LARGE_THEME_SHARE = adopted
        after = edit_keywords.keywords_after_edit(texts, labels.tolist(), wanted, outside=outside)
        counts = found.setdefault(
            name,
            dict.fromkeys(
                ("themes", "changed", "changed_not_empty", "empty_before", "empty_after"), 0
            ),
        )
        for theme in wanted:
            old, new = before.get(theme, []), after.get(theme, [])
            counts["themes"] += 1
            counts["empty_before"] += not old
            counts["empty_after"] += not new
            if old != new:
                counts["changed"] += 1
                counts["changed_not_empty"] += bool(old)
                if show:
                    print(f"{engine} {name}: {theme} {old} -> {new}")

    with demo_questions() as questions:
        for wording, answers in questions:
            model = fit_demo_question(wording, answers, engine)
            if model.n_themes_ >= 3:
                compare("demo", list(answers.texts), model)
    for index, motion in enumerate(load_motions()):
        if held_out(index):
            continue
        model = ThemeModel(n_themes=len(motion.key_points), engine=engine, seed=0).fit(
            motion.texts, ids=motion.ids, question=motion.topic
        )
        compare("argkp", motion.texts, model)
    return found


def _table(totals: dict[str, dict[str, int]]) -> str:
    lines = [
        "| way | edited themes | keywords (mean) | empty rows | lone vague | "
        "a neighbour's | not distinctive |",
        "|---|---|---|---|---|---|---|",
    ]
    for way, t in totals.items():
        themes = max(t.get("themes", 0), 1)
        lines.append(
            f"| {way} | {t.get('themes', 0)} | {t.get('keywords', 0) / themes:.1f} "
            f"| {t.get('empty', 0)} | {t.get('vague', 0)} | {t.get('neighbour', 0)} "
            f"| {t.get('not_distinctive', 0)} |"
        )
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--engines", nargs="+", default=["fast", "semantic"])
    parser.add_argument("--fresh", action="store_true", help="also compare fresh fits")
    parser.add_argument("--list", action="store_true", help="print every keyword row")
    parser.add_argument("--against", choices=["others", "all"], help="the new rules' contrast")
    parser.add_argument(
        "--large", action="store_true", help="only: one theme merged to 60 %% (leftweb)"
    )
    args = parser.parse_args(argv)
    if args.against:
        describe.KEYWORD_AGAINST = args.against
    for engine in args.engines:
        if args.large:
            for name, counts in large(engine, args.list).items():
                print(f"{engine} large {name}: {counts}")
            continue
        totals, seconds = edits(engine, args.list)
        print(f"\n{engine} engine, demo edits:\n{_table(totals)}")
        print(f"new keywords per edit: median {statistics.median(seconds):.2f} CPU s")
        if args.fresh:
            for name, counts in fresh(engine, args.list).items():
                print(
                    f"{engine} fresh {name}: {counts['changed']} of {counts['themes']} themes'"
                    f" keywords changed, {counts['empty']} now empty"
                )


if __name__ == "__main__":
    main()
