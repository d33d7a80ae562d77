"""How many shown keywords are verbs or verb-led phrases ("improve rail", "pay business rates",
"build"), on the demo, ArgKP and NHS feedback, judged by WordNet's tagged-sense counts.

Two steps, so that a change to ``analysis/keywords.py`` is measured on the same calls:

    .venv/bin/python -m bench.keyword_verbs record [--out FILE]
    .venv/bin/python -m bench.keyword_verbs replay [--calls FILE] [--code DIR] [--list]

``record`` fits ``ThemeModel`` (auto engine, seed 0) on the demo's seven free-text questions
(as ``bench.demo_report`` themes them), ArgKP's 24 dev motions (as ``bench.labels`` does) and
2,000 NHS FFT answers (``bench.quality``'s subsample, auto number of themes), and stores every
call to ``readable_keywords`` (candidate stems, the tokenizer, the theme's answers).
``replay`` runs the stored calls through ``analysis/keywords.py`` (or the copy in ``--code
DIR``, e.g. ``git archive`` of an earlier commit unpacked there) and counts distinct
keywords shown (up to ten per theme):

* a verb alone: a word WordNet's SemCor counts tag over twice as often as a verb as as a
  noun and an adjective together ("stop", "improve", "renamed"); forms in -ing are not
  counted (a gerund names a thing: "funding", "housing"), nor hyphenated words;
* verb-led: a phrase whose first word is such a verb in its base or -s form ("improve rail"),
  or a past form of a verb taking -ing before a word in -ing ("stopped selling"; a
  participle before a noun describes it, "reduced funding");
* ends on a verb: a phrase whose last word is such a verb in its -s form after a word not
  in -s ("celibacy allows").

The judge needs WordNet's database (Debian's ``wordnet-base``, in /usr/share/wordnet, or
``$WORDNET_DIR``); it is a yardstick only, never used by the analysis. The lists are printed
with ``--list`` to be read: the judge is wrong on words such as "fund" (tagged mostly as a
noun) or "question". The script prints its table and writes no file: BENCHMARKS.md's
"Verb-led keywords" section is written by hand from it, with the reading of the lists.
"""

from __future__ import annotations

import argparse
import json
import os
import pickle
import subprocess
import sys
from collections import defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
CALLS = Path("/tmp/keywords/keyword_calls.pkl")
NHS_ROWS = 2000
# cntlist.rev's sense keys carry the part of speech: 1 noun, 2 verb, 3 adjective,
# 4 adverb, 5 adjective satellite
_POS = {"1": "n", "2": "v", "3": "a", "4": "r", "5": "a"}


# Verbs taking a verb in -ing after them (a yardstick's own list, for "stopped selling").
CATENATIVE_VERBS = frozenset(
    [
        "stop",
        "start",
        "keep",
        "finish",
        "avoid",
        "begin",
        "continue",
        "quit",
        "try",
        "enjoy",
        "risk",
        "resume",
        "cease",
    ]
)


class WordNetJudge:
    """Whether a word is used mostly as a verb, from WordNet's tagged-sense counts."""

    def __init__(self, folder: Path) -> None:
        if not (folder / "cntlist.rev").exists():
            raise SystemExit(
                f"no WordNet database in {folder}: `apt-get install wordnet-base` "
                "or set WORDNET_DIR"
            )
        self.counts: dict[tuple[str, str], int] = defaultdict(int)
        for line in (folder / "cntlist.rev").read_text(encoding="utf-8").splitlines():
            key, _, count = line.split()
            lemma, _, rest = key.partition("%")
            self.counts[(lemma, _POS[rest[0]])] += int(count)
        self.known: dict[str, set[str]] = {}
        for pos, name in (("n", "noun"), ("v", "verb"), ("a", "adj")):
            words = set()
            for line in (folder / f"index.{name}").read_text(encoding="utf-8").splitlines():
                if line and not line.startswith(" "):
                    words.add(line.split(" ", 1)[0])
            self.known[pos] = words
        self.exceptions: dict[str, dict[str, str]] = {}
        for pos, name in (("n", "noun"), ("v", "verb"), ("a", "adj")):
            pairs = (line.split() for line in (folder / f"{name}.exc").read_text().splitlines())
            self.exceptions[pos] = {p[0]: p[1] for p in pairs if len(p) >= 2}

    def lemmas(self, word: str, pos: str) -> set[str]:
        """WordNet's base forms ``word`` may have as this part of speech ("conditions" is
        both an entry of its own and a plural of "condition")."""
        found = {self.exceptions[pos][word]} if word in self.exceptions[pos] else set()
        endings = {
            "n": [("", ""), ("s", ""), ("es", ""), ("ies", "y")],
            "v": [("", ""), ("s", ""), ("es", ""), ("ies", "y"), ("ed", ""), ("ed", "e")],
            "a": [("", "")],
        }[pos]
        for ending, base in endings:
            stem = word[: len(word) - len(ending)] + base
            if word.endswith(ending) and stem in self.known[pos]:
                found.add(stem)
        return found

    def count(self, word: str, pos: str) -> int:
        """The most tagged senses of any base form of ``word`` as this part of speech."""
        return max(
            (self.counts.get((lemma, pos), 0) for lemma in self.lemmas(word, pos)), default=0
        )

    def takes_ing(self, word: str) -> bool:
        """Whether ``word`` is a form of a verb that takes a verb in -ing after it ("stopped
        selling"); WordNet does not tell "selling" (a verb there) from "funding" (a noun), so
        the verbs are listed."""
        return bool(self.lemmas(word, "v") & CATENATIVE_VERBS)

    def verb(self, word: str) -> bool:
        """Tagged over twice as often as a verb as as a noun and an adjective together; -ing
        forms never (a gerund names a thing), nor hyphenated words ("add-on")."""
        if word.endswith("ing") or "-" in word:
            return False
        verb = self.count(word, "v")
        return verb > 0 and verb > 2 * (self.count(word, "n") + self.count(word, "a"))


def classify(keyword: str, judge: WordNetJudge) -> str | None:
    """'verb', 'verb-led', 'ends on verb' or None (a noun phrase, by the judge)."""
    words = keyword.split()
    if len(words) == 1:
        return "verb" if judge.verb(words[0]) else None
    first, last = words[0], words[-1]
    if not first.endswith("ed") and judge.verb(first):
        return "verb-led"
    # a past form of a verb taking -ing and a verb in -ing ("stopped selling"): a verb chain;
    # a participle before a noun describes it ("reduced funding", "missed appointments")
    if first.endswith("ed") and words[1].endswith("ing") and judge.takes_ing(first):
        return "verb-led"
    if last.endswith("s") and not words[-2].endswith("s") and judge.verb(last):
        return "ends on verb"
    return None


def record(out: Path, engine: str = "auto") -> None:
    """Fit the three sets with ``engine`` and store every ``readable_keywords`` call."""
    import analysis.stages as stages
    from analysis import ThemeModel
    from bench.common import read_columns
    from bench.demo_report import demo_questions, fit_demo_question
    from bench.labels import load_motions
    from bench.quality import subsample

    calls: list[tuple[str, list[str], object, list[str]]] = []
    original = stages.readable_keywords
    current = ["demo"]

    def recording(keywords, tokenizer, texts, count=10, bland=False):
        calls.append((current[0], list(keywords), tokenizer, list(texts)))
        return original(keywords, tokenizer, texts, count, bland=bland)

    stages.readable_keywords = recording
    try:
        with demo_questions() as questions:
            for wording, answers in questions:
                fit_demo_question(wording, answers, engine)
        current[0] = "argkp"
        for motion in load_motions():
            ThemeModel(n_themes=len(motion.key_points), engine=engine, seed=0).fit(
                motion.texts, ids=motion.ids, question=motion.topic
            )
        current[0] = "nhs"
        nhs = read_columns("nhs_fft_phase1.csv", "feedback", "label")
        texts, _ = subsample([r[0] for r in nhs], [r[1] for r in nhs], NHS_ROWS)
        ThemeModel(n_themes="auto", engine=engine, seed=0).fit(texts)
    finally:
        stages.readable_keywords = original
    out.parent.mkdir(parents=True, exist_ok=True)
    with out.open("wb") as handle:
        pickle.dump(calls, handle)
    print(f"{len(calls)} calls stored in {out}", file=sys.stderr)


def replay(calls_path: Path, code: Path | None) -> dict[str, list[list[str]]]:
    """Each set's shown keywords per call, from this code or the copy in ``code``."""
    if code is not None:
        sys.path.insert(0, str(code))
        for name in [m for m in sys.modules if m == "analysis" or m.startswith("analysis.")]:
            del sys.modules[name]
    from analysis.keywords import readable_keywords

    with calls_path.open("rb") as handle:
        calls = pickle.load(handle)
    shown: dict[str, list[list[str]]] = defaultdict(list)
    for name, keywords, tokenizer, texts in calls:
        shown[name].append(readable_keywords(keywords, tokenizer, texts))
    return dict(shown)


def replay_code(calls_path: Path, code: Path) -> dict[str, list[list[str]]]:
    """:func:`replay` through the copy of the code in ``code``, in a process of its own (so
    its ``analysis`` package is the one imported)."""
    script = (
        "import json,sys; from pathlib import Path; from bench.keyword_verbs import replay;"
        f"print(json.dumps(replay(Path({str(calls_path)!r}), Path({str(code)!r}))))"
    )
    done = subprocess.run(
        [sys.executable, "-c", script],
        capture_output=True,
        text=True,
        check=True,
        cwd=ROOT,
        env={**os.environ, "PYTHONPATH": str(ROOT)},
    )
    return json.loads(done.stdout)


KINDS = ("verb", "verb-led", "ends on verb")


def figures(shown: dict[str, list[list[str]]], judge: WordNetJudge) -> dict[str, dict]:
    """Per set: distinct keywords of each kind, keywords shown, and the top-six count."""
    out = {}
    for name, lists in shown.items():
        distinct = {k for keywords in lists for k in keywords}
        kinds = defaultdict(list)
        for keyword in sorted(distinct):
            kind = classify(keyword, judge)
            if kind:
                kinds[kind].append(keyword)
        out[name] = {
            **{kind: kinds[kind] for kind in KINDS},
            "shown": sum(len(k) for k in lists),
            "top six": sum(min(len(k), 6) for k in lists),
            "distinct": len(distinct),
            "keywords": sorted(distinct),
            "themes": len(lists),
        }
    return out


def table(
    before: dict | None,
    after: dict,
    kinds: tuple[str, ...] = (*KINDS, "distinct", "shown", "top six"),
) -> str:
    """Markdown rows per set and kind: each kind's count (the length of a list), before and
    after or after alone."""
    rows = ["| set, distinct keywords | " + ("before | after |" if before else "count |")]
    rows.append("|---|" + ("--:|--:|" if before else "--:|"))
    for name in after:
        for kind in kinds:
            cells = [after[name][kind]]
            if before:
                cells.insert(0, before[name][kind])
            cells = [len(c) if isinstance(c, list) else c for c in cells]
            rows.append(f"| {name}: {kind} | " + " | ".join(str(c) for c in cells) + " |")
    return "\n".join(rows)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("step", choices=["record", "replay"])
    parser.add_argument("--out", type=Path, default=CALLS)
    parser.add_argument("--calls", type=Path, default=CALLS)
    parser.add_argument("--engine", default="auto", choices=["auto", "fast", "semantic"])
    parser.add_argument("--code", type=Path, help="replay through this copy too (before)")
    parser.add_argument("--list", action="store_true", help="print each kind's keywords")
    args = parser.parse_args(argv)
    if args.step == "record":
        record(args.out, args.engine)
        return 0
    judge = WordNetJudge(Path(os.environ.get("WORDNET_DIR", "/usr/share/wordnet")))
    before = None
    if args.code:
        before = figures(replay_code(args.calls, args.code), judge)
    after = figures(replay(args.calls, None), judge)
    print(table(before, after))
    if args.list:
        for name in after:
            if before:
                gone = sorted(set(before[name]["keywords"]) - set(after[name]["keywords"]))
                came = sorted(set(after[name]["keywords"]) - set(before[name]["keywords"]))
                print(f"\n{name}, all keywords gone: {', '.join(gone)}\n  new: {', '.join(came)}")
            for kind in KINDS:
                gone = set(before[name][kind]) - set(after[name][kind]) if before else set()
                came = set(after[name][kind]) - set(before[name][kind]) if before else set()
                print(
                    f"\n{name} {kind} ({len(after[name][kind])}): " + ", ".join(after[name][kind])
                )
                if before:
                    print(f"  gone: {', '.join(sorted(gone))}\n  new: {', '.join(sorted(came))}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
