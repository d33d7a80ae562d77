"""How long the report prose's sentences are, before and after a change (issue 12, smoke11 #11:
a theme's Size paragraph could be one 90-word sentence).

    .venv/bin/python -m bench.report_sentences --before FILE [--before-wording FILE]
        [--sets demo-fast,demo-semantic,argkp,nhs] [--motions 24] [--nhs-answers 1000]
        [--write]

Themes, seed 0: the demo's seven free-text questions as the workspace themes them
(:func:`bench.demo_report.fit_demo_question`, the fast and the semantic engine), ArgKP's dev
motions as :mod:`bench.labels` does (semantic, k = the motion's key points; the first
``--motions``) and the first 1,000 (``--nhs-answers``) answers to three NHS FFT questions as
:mod:`bench.summaries` does (semantic). For each it writes the command line's report.html
(:func:`analysis.report.render_report`, as ``analysis.cli`` calls it) with the current
``analysis/report.py`` and with the earlier one given by ``--before`` (e.g. ``git show
BASE:analysis/report.py``), and says every theme's Size words as the workspace's pages and Word
do (:func:`consult.reports.wording.label_point_words`, now and from ``--before-wording``).

Prose is the text of the report's paragraphs and list items outside quotes, with every theme
label, summary point and quote replaced by one word (labels and respondents' words are not the
report's own prose); sentences end at a full stop, question or exclamation mark followed by a
space and a capital. Reported: sentences, the longest (words) and the share over 30 words.
"""

from __future__ import annotations

import argparse
import html
import importlib.util
import re
import sys
from typing import Any

from bench.common import machine, write_section

LONG = 30
_SENTENCE_END = re.compile(r"(?<=[.!?])[”’)]?\s+(?=[A-Z“(])")


def load_module(name: str, path: str):
    """An earlier copy of a module, loaded as ``name`` (its relative imports resolve to the
    current package's)."""
    spec = importlib.util.spec_from_file_location(name, path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def models(sets: list[str], motions: int, nhs: int = 1000) -> list[tuple[str, Any]]:
    """(set name, fitted ThemeModel) of every set asked for."""
    from analysis import ThemeModel

    found: list[tuple[str, Any]] = []
    engines = [s.split("-", 1)[1] for s in sets if s.startswith("demo-")]
    if engines:
        from bench.demo_report import demo_questions, fit_demo_question

        with demo_questions() as questions:
            for wording, answers in questions:
                for engine in engines:
                    found.append((f"demo-{engine}", fit_demo_question(wording, answers, engine)))
    if "argkp" in sets:
        from bench.labels import load_motions

        for motion in load_motions()[:motions]:
            model = ThemeModel(n_themes=len(motion.key_points), engine="semantic", seed=0)
            found.append(("argkp", model.fit(motion.texts, ids=motion.ids, question=motion.topic)))
    if "nhs" in sets:
        from bench.summaries import QUESTIONS, _answers

        for question, wording in QUESTIONS:
            texts, ids = _answers(question, nhs)
            model = ThemeModel(engine="semantic", seed=0).fit(texts, ids=ids, question=wording)
            found.append(("nhs", model))
    return found


def report_html(module, model) -> str:
    """The command line's report.html of ``model`` by ``module`` (an ``analysis.report``)."""
    from analysis import output

    document = output.themes_document(model)
    rows = output.assignment_rows(model)
    return module.render_report(
        document,
        campaigns=module.campaign_list(rows, model.texts_),
        duplicates=module.duplicate_counts(rows),
    )


def not_prose(model) -> list[str]:
    """The texts a report quotes rather than writes: labels, summary points, quotes."""
    texts = []
    for theme in model.themes_:
        texts.append(theme["label"])
        texts += [s["text"] for s in theme.get("summary") or []]
        texts += [q["text"] for q in theme.get("quotes") or []]
    return sorted({t for t in texts if t and len(t) > 3}, key=len, reverse=True)


def prose(text: str, quoted: list[str]) -> str:
    """``text`` with each quoted text replaced by one word, keeping its closing full stop
    (or question or exclamation mark), which may end a sentence."""
    for item in quoted:
        stop = item.rstrip()[-1:] if item.rstrip().endswith((".", "!", "?")) else ""
        text = text.replace(item, f"QUOTED{stop}")
    return text


def html_paragraphs(page: str) -> list[str]:
    """The text of a report's paragraphs and list items, quotes, scripts and styles left out."""
    page = re.sub(r"<(script|style|blockquote)\b.*?</\1>", " ", page, flags=re.S)
    found = re.findall(r"<(p|li)\b[^>]*>(.*?)</\1>", page, flags=re.S)
    return [html.unescape(re.sub(r"<[^>]+>", "", body)).strip() for _, body in found]


def sentences(paragraphs: list[str]) -> list[int]:
    """Each sentence's length in words."""
    lengths = []
    for paragraph in paragraphs:
        for sentence in _SENTENCE_END.split(" ".join(paragraph.split())):
            if sentence.strip():
                lengths.append(len(sentence.split()))
    return lengths


def figures(lengths: list[int]) -> str:
    """'412 | 38 | 1.2%': sentences, the longest, the share over :data:`LONG` words."""
    over = sum(n > LONG for n in lengths)
    share = 100 * over / len(lengths) if lengths else 0.0
    return f"{len(lengths):,} | {max(lengths, default=0)} | {over} ({share:.1f}%)"


def size_words(wording, model) -> list[str]:
    """Every theme's Size words as the workspace's pages and Word say them."""
    base = len(model.texts_)
    return [
        wording.label_point_words(
            t["mentions"], t.get("label_point"), "", t.get("summary"), 0 < base < 20
        )
        for t in model.themes_
    ]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--before", required=True, help="an earlier analysis/report.py")
    parser.add_argument("--before-wording", default="", help="an earlier wording.py")
    parser.add_argument("--sets", default="demo-fast,demo-semantic,argkp,nhs")
    parser.add_argument("--motions", type=int, default=24)
    parser.add_argument("--nhs-answers", type=int, default=1000)
    parser.add_argument("--write", action="store_true")
    args = parser.parse_args(argv)
    import analysis.report as now
    from consult.reports import wording as wording_now

    before = load_module("analysis._report_before", args.before)
    wordings = {"now": wording_now}
    if args.before_wording:
        wordings["before"] = load_module("consult.reports._wording_before", args.before_wording)
    sets = args.sets.split(",")
    cli: dict[tuple[str, str], list[int]] = {}
    size: dict[tuple[str, str], list[int]] = {}
    longest: dict[str, tuple[int, str]] = {}
    long_now: dict[str, int] = {}
    for name, model in models(sets, args.motions, args.nhs_answers):
        print(f"{name}: {len(model.themes_)} themes", file=sys.stderr, flush=True)
        quoted = not_prose(model)
        for when, module in (("before", before), ("now", now)):
            paragraphs = [prose(p, quoted) for p in html_paragraphs(report_html(module, model))]
            cli.setdefault((name, when), []).extend(sentences(paragraphs))
            for paragraph in paragraphs:
                for sentence in _SENTENCE_END.split(" ".join(paragraph.split())):
                    words = len(sentence.split())
                    if words > longest.get(when, (0, ""))[0]:
                        longest[when] = (words, sentence)
                    if when == "now" and words > LONG:
                        shape = re.sub(r"\d[\d,.%]*", "N", sentence)
                        long_now[shape] = long_now.get(shape, 0) + 1
        for when, wording in wordings.items():
            said = [prose(s, quoted) for s in size_words(wording, model) if s]
            size.setdefault((name, when), []).extend(sentences(said))
            for paragraph in said if when == "now" else []:
                for sentence in _SENTENCE_END.split(paragraph):
                    if len(sentence.split()) > LONG:
                        shape = "Size: " + re.sub(r"\d[\d,.%]*", "N", sentence)
                        long_now[shape] = long_now.get(shape, 0) + 1
    lines = [
        "## wordsum: report sentences, before and after (`bench/report_sentences.py`)",
        "",
        f"Command: `.venv/bin/python -m bench.report_sentences --before FILE --before-wording "
        f"FILE --sets {args.sets} --motions {args.motions} --nhs-answers {args.nhs_answers} "
        "--write` (FILE: `git show "
        "f9d3842:analysis/report.py` and `...:consult/reports/wording.py`, the code before "
        f"this change). Machine: {machine()}. Seed 0. Prose: the text of report.html's "
        "paragraphs and list items outside quotes, each theme label, summary point and quote "
        "counted as one word. Size words: every theme's `label_point_words`, as the "
        "workspace's pages and Word say them.",
        "",
        "| Set | What | Sentences before | Longest before | Over 30 words before "
        "| Sentences now | Longest now | Over 30 words now |",
        "|---|---|---|---|---|---|---|---|",
    ]
    for name in dict.fromkeys(n for n, _ in cli):
        lines.append(
            f"| {name} | report.html prose | {figures(cli[(name, 'before')])} | "
            f"{figures(cli[(name, 'now')])} |"
        )
        if (name, "before") in size:
            lines.append(
                f"| {name} | Size words (pages, Word) | {figures(size[(name, 'before')])} | "
                f"{figures(size[(name, 'now')])} |"
            )
    for when in ("before", "now"):
        words, sentence = longest.get(when, (0, ""))
        lines += ["", f"Longest report.html sentence {when} ({words} words): “{sentence}”"]
    lines += ["", f"Sentences still over {LONG} words now, by how often (numbers as N):", ""]
    for shape, count in sorted(long_now.items(), key=lambda item: -item[1])[:8]:
        lines.append(f"- {count}× ({len(shape.split())} words) “{shape}”")
    text = "\n".join(lines)
    print(text)
    if args.write:
        write_section("wordsum-report-sentences", text)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
