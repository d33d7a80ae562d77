"""Theme text as a policy officer reads it: labels, keywords, summaries and quotes (read34).

    .venv/bin/python -m bench.theme_text record --out FILE.json [--sets demo,argkp,nhs]
        [--engines fast,semantic]
    .venv/bin/python -m bench.theme_text measure FILE.json [FILE.json ...] [--list]

``record`` themes each set with each engine and writes every theme's label, keywords, summary
sentences and quotes (engine, set, question and theme id beside them):

- ``demo``: the demo's seven free-text questions as the workspace themes them
  (:func:`bench.demo_report.fit_demo_question`: automatic count, seed 0, wording, partner type
  and agreement; the same rows as the demo's export);
- ``argkp``: four ArgKP train motions (every sixth, alphabetically), as many themes as key
  points, seed 0, the motion as the question;
- ``nhs``: 1,000 answers of NHS FFT phase 1 Trust A (``random.Random(5).sample``), automatic
  count, seed 0.

``measure`` counts, per engine and set, with rules kept here (not imported from analysis/,
so an earlier tree's record is measured alike):

- labels ending in a function word or a verb left without its object (:data:`FUNCTION` and
  :data:`DANGLING`), labels over 10 words, labels under 3 words;
- summaries under 2 sentences (the analysis's notes, "This theme makes one point ..." and
  "This theme's answers take both sides ...", are not sentences of the summary), summaries
  with neither a sentence nor a note, summary sentence pairs with token Jaccard > 0.6 or
  MiniLM cosine > 0.9, summary sentences that say the label again (token Jaccard > 0.6
  with it, or it inside);
- keywords that are not words (no letter, one letter, or a character other than letters,
  digits, ``'``, ``-`` and spaces) or made only of stopwords, keywords of two or more words that
  start or end on a stopword, and keywords repeated inside another keyword of the theme;
- quotes that repeat the label: the quote is the label's words and nothing more (its tokens
  within the label's), or its first sentence is the label;
- readability: the Flesch reading ease of labels and of summary sentences (words per
  sentence and syllables per word, :func:`syllables` counting vowel groups less a silent
  final "e"), the mean over the set.
"""

from __future__ import annotations

import argparse
import json
import random
import re
import statistics
from collections import defaultdict
from pathlib import Path

from sklearn.feature_extraction.text import ENGLISH_STOP_WORDS

_WORD = re.compile(r"[a-z0-9]+(?:['-][a-z0-9]+)*")
_SENTENCE = re.compile(r"(?<=[.!?])\s+(?=[A-Z0-9\"'])")
_KEYWORD_OK = re.compile(r"^[A-Za-z0-9' \-]+$")
ARGKP_EVERY = 6  # the motions recorded: every sixth of the 24, alphabetically
NHS_SAMPLE = 1000


def _word_list(text: str) -> list[str]:
    return text.split()


# Words a whole statement does not end on (determiners, prepositions, conjunctions,
# auxiliaries, pronouns that need a verb after them).
FUNCTION = frozenset(
    _word_list(
        """a an the and or but nor so yet for of to in on at by with from into onto over under
    about after against among as before between during except through than that which who
    whom whose if because although though while whereas unless until when where whether
    is are was were be been being am do does did has have had having can could will would
    shall should may might must not no very more most less least their our your its his her
    my this these those each every any some such other another also just only even too than
    i we they he she"""
    )
)
# Verbs that leave the statement hanging without an object or complement.
DANGLING = frozenset(
    _word_list(
        """make makes making give gives giving gave needs provide provides providing
    ensure ensures ensuring allow allows allowing include includes including get gets getting
    take takes taking put puts bring brings keep keeps offer offers supports
    supporting mean means become becomes want wants likes hope hopes think thinks
    believe believes feel feels say says"""
    )
)
STOPWORDS = frozenset(ENGLISH_STOP_WORDS) | FUNCTION
# The summary's notes (a theme making one point only, or taking both sides), not its sentences.
NOTES = ("This theme makes one point", "This theme's answers take both sides")


def tokens(text: str) -> list[str]:
    """Lower-case word tokens."""
    return _WORD.findall(text.lower())


def split_sentences(text: str) -> list[str]:
    """Sentences at ., ! or ? followed by a capital or digit."""
    return [s.strip() for s in _SENTENCE.split(text.strip()) if s.strip()]


def syllables(word: str) -> int:
    """Vowel groups (a e i o u y), less a silent final "e" (not "-le"); at least one."""
    word = word.lower()
    if word.isdigit():
        return 1
    count = len(re.findall(r"[aeiouy]+", word))
    if word.endswith("e") and not word.endswith("le") and count > 1:
        count -= 1
    return max(count, 1)


def flesch(text: str) -> float:
    """Flesch reading ease of ``text`` (its sentences by :func:`split_sentences`)."""
    words = tokens(text)
    if not words:
        return 0.0
    count = max(len(split_sentences(text)), 1)
    return 206.835 - 1.015 * len(words) / count - 84.6 * sum(map(syllables, words)) / len(words)


def jaccard(a: str, b: str) -> float:
    """Token-set Jaccard."""
    x, y = set(tokens(a)), set(tokens(b))
    return len(x & y) / len(x | y) if x | y else 0.0


def label_ends_badly(label: str) -> bool:
    """The label's last word is a function word or a verb left without its object."""
    words = tokens(label)
    return not words or words[-1] in FUNCTION or words[-1] in DANGLING


def keyword_not_word(keyword: str) -> bool:
    """No letter, one character, or characters a word does not have."""
    text = keyword.strip()
    return len(text) < 2 or not re.search(r"[A-Za-z]", text) or not _KEYWORD_OK.match(text)


def keyword_stopwords(keyword: str) -> bool:
    """Only stopwords, or a phrase that starts or ends on one ("of the", "rates of")."""
    words = tokens(keyword)
    if not words:
        return False
    if all(w in STOPWORDS for w in words):
        return True
    return len(words) > 1 and (words[0] in STOPWORDS or words[-1] in STOPWORDS)


def quote_repeats_label(quote: str, label: str) -> bool:
    """The quote says the label and nothing more, or opens with the label's sentence."""
    said = set(tokens(label))
    words = set(tokens(quote))
    if words and words <= said:
        return True
    first = split_sentences(quote)[:1]
    return bool(first) and tokens(first[0]) == tokens(label)


def summary_texts(theme: dict) -> list[str]:
    """The theme's summary sentences (the one-point note left out)."""
    return [s for s in theme["summary"] if not s.startswith(NOTES)]


# ---------------------------------------------------------------- record


def _theme_rows(engine: str, name: str, question: str, model) -> list[dict]:
    return [
        {
            "engine": engine,
            "set": name,
            "question": question,
            "id": theme["id"],
            "size": theme["size"],
            "label": theme["label"],
            "keywords": list(theme["keywords"]),
            "summary": [point["text"] for point in theme.get("summary", [])],
            "quotes": [quote["text"] for quote in theme.get("quotes", [])],
        }
        for theme in model.themes_
        if theme["id"] != "T00"
    ]


def record(out: Path, sets: list[str], engines: list[str]) -> None:
    """Theme every set with every engine; write the themes' text to ``out``."""
    from analysis.api import ThemeModel

    found: list[dict] = []
    if "demo" in sets:
        from bench.demo_keywords import QUESTIONS
        from bench.demo_report import demo_questions, fit_demo_question

        with demo_questions() as questions:
            asked = list(questions)
            for engine in engines:
                for number, (wording, answers) in zip(QUESTIONS, asked, strict=True):
                    model = fit_demo_question(wording, answers, engine)
                    found += _theme_rows(engine, "demo", number, model)
    if "argkp" in sets:
        from bench.labels import load_motions

        motions = load_motions()[::ARGKP_EVERY]
        for engine in engines:
            for motion in motions:
                model = ThemeModel(n_themes=len(motion.key_points), engine=engine, seed=0)
                model.fit(motion.texts, ids=motion.ids, question=motion.topic)
                found += _theme_rows(engine, "argkp", motion.topic, model)
    if "nhs" in sets:
        from bench.common import read_columns

        rows = read_columns("nhs_fft_phase1.csv", "feedback", "organization")
        texts = [r[0] for r in rows if r[1] == "Trust A"]
        texts = random.Random(5).sample(texts, min(NHS_SAMPLE, len(texts)))
        for engine in engines:
            model = ThemeModel(n_themes="auto", engine=engine, seed=0).fit(texts)
            found += _theme_rows(engine, "nhs", "Trust A", model)
    out.write_text(json.dumps(found, indent=1) + "\n", encoding="utf-8")


# ---------------------------------------------------------------- measure

COUNTS = (
    "themes",
    "label ends badly",
    "label > 10 words",
    "label < 3 words",
    "summary < 2 sentences",
    "summary empty, no note",
    "summary pairs Jaccard > 0.6",
    "summary pairs cosine > 0.9",
    "summary says label",
    "keywords",
    "keyword not a word",
    "keyword stopword-edged",
    "keyword inside another",
    "quotes",
    "quote repeats label",
)


def measure(themes: list[dict], embed=None) -> tuple[dict, list[tuple[str, dict, str]]]:
    """Counts per (engine, set) and the faults found (kind, theme, detail)."""
    import numpy as np

    groups: dict[tuple[str, str], dict] = defaultdict(lambda: dict.fromkeys(COUNTS, 0))
    reading: dict[tuple[str, str], dict[str, list[float]]] = defaultdict(
        lambda: {"label": [], "summary": []}
    )
    faults: list[tuple[str, dict, str]] = []
    if embed is None:
        from analysis.embeddings import MiniLMEmbedder

        embed = MiniLMEmbedder(threads=1).embed
    for theme in themes:
        key = (theme["engine"], theme["set"])
        counts = groups[key]
        counts["themes"] += 1
        label = theme["label"]
        words = len(tokens(label))
        reading[key]["label"].append(flesch(label))
        for kind, bad in (
            ("label ends badly", label_ends_badly(label)),
            ("label > 10 words", words > 10),
            ("label < 3 words", words < 3),
        ):
            if bad:
                counts[kind] += 1
                faults.append((kind, theme, label))
        said = summary_texts(theme)
        reading[key]["summary"] += [flesch(s) for s in said]
        if not theme["summary"]:
            counts["summary empty, no note"] += 1
            faults.append(("summary empty, no note", theme, ""))
        if len(said) < 2:
            counts["summary < 2 sentences"] += 1
            faults.append(("summary < 2 sentences", theme, " | ".join(said)))
        vectors = np.asarray(embed(said)) if len(said) > 1 else None
        for i in range(len(said)):
            if jaccard(said[i], label) > 0.6 or " ".join(tokens(label)) in " ".join(
                tokens(said[i])
            ):
                counts["summary says label"] += 1
                faults.append(("summary says label", theme, said[i]))
            for j in range(i + 1, len(said)):
                if jaccard(said[i], said[j]) > 0.6:
                    counts["summary pairs Jaccard > 0.6"] += 1
                    faults.append(("summary pairs Jaccard > 0.6", theme, f"{said[i]} | {said[j]}"))
                if vectors is not None:
                    a, b = vectors[i], vectors[j]
                    cosine = float(a @ b / (np.linalg.norm(a) * np.linalg.norm(b) or 1.0))
                    if cosine > 0.9:
                        counts["summary pairs cosine > 0.9"] += 1
                        faults.append(
                            ("summary pairs cosine > 0.9", theme, f"{said[i]} | {said[j]}")
                        )
        keywords = theme["keywords"]
        counts["keywords"] += len(keywords)
        for keyword in keywords:
            if keyword_not_word(keyword):
                counts["keyword not a word"] += 1
                faults.append(("keyword not a word", theme, keyword))
            elif keyword_stopwords(keyword):
                counts["keyword stopword-edged"] += 1
                faults.append(("keyword stopword-edged", theme, keyword))
            inside = [
                other
                for other in keywords
                if other != keyword and re.search(rf"\b{re.escape(keyword)}\b", other)
            ]
            if inside:
                counts["keyword inside another"] += 1
                faults.append(("keyword inside another", theme, f"{keyword} < {inside[0]}"))
        counts["quotes"] += len(theme["quotes"])
        for quote in theme["quotes"]:
            if quote_repeats_label(quote, label):
                counts["quote repeats label"] += 1
                faults.append(("quote repeats label", theme, quote))
    figures = {}
    for key, counts in groups.items():
        figures[key] = dict(counts)
        for part in ("label", "summary"):
            scores = reading[key][part]
            figures[key][f"Flesch {part}s"] = round(statistics.mean(scores), 1) if scores else 0.0
    return figures, faults


def table(figures: dict) -> str:
    """A markdown table: one row per measure, one column per (engine, set)."""
    keys = sorted(figures, key=lambda k: (k[1], k[0]))
    head = "| measure | " + " | ".join(f"{s} {e}" for e, s in keys) + " | all |"
    lines = [head, "|---" * (len(keys) + 2) + "|"]
    for name in (*COUNTS, "Flesch labels", "Flesch summarys"):
        values = [figures[k][name] for k in keys]
        total = (
            round(statistics.mean(values), 1)
            if name.startswith("Flesch")
            else sum(int(v) for v in values)
        )
        shown = name.replace("summarys", "summary sentences")
        lines.append(f"| {shown} | " + " | ".join(str(v) for v in values) + f" | {total} |")
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    commands = parser.add_subparsers(dest="command", required=True)
    recording = commands.add_parser("record")
    recording.add_argument("--out", type=Path, required=True)
    recording.add_argument("--sets", default="demo,argkp,nhs")
    recording.add_argument("--engines", default="fast,semantic")
    measuring = commands.add_parser("measure")
    measuring.add_argument("files", type=Path, nargs="+")
    measuring.add_argument("--list", action="store_true", help="print every fault found")
    args = parser.parse_args(argv)
    if args.command == "record":
        record(args.out, args.sets.split(","), args.engines.split(","))
        return 0
    themes = [t for f in args.files for t in json.loads(f.read_text(encoding="utf-8"))]
    figures, faults = measure(themes)
    if args.list:
        for kind, theme, detail in faults:
            where = f"{theme['engine']} {theme['set']} {theme['question'][:30]} {theme['id']}"
            print(f"[{kind}] {where}: {detail}")
    print(table(figures))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
