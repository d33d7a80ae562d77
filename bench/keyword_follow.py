"""Keywords a reader cannot place (issue 12, smoke9 #2 and #13), counted on the calls
``bench.keyword_verbs record`` stores (the demo's seven questions, ArgKP's 24 dev motions,
2,000 NHS FFT answers), replayed through this code and, with ``--code DIR``, an earlier copy:

    .venv/bin/python -m bench.keyword_follow [--calls FILE] [--code DIR] [--list]

Per set, distinct keywords shown (up to ten per theme) that are:

* a name mask: a word of two or more x's ("XXXX");
* part of a phrasal verb: one word followed in over half its theme's uses by "up", "out",
  "off", "down", "away", "after", "over" or "back" ("turn", "looked");
* a quantity phrase: a phrase holding "dozens", "hundreds", "thousands", "millions",
  "handful" or "couple" ("juggling of dozens");
* a lone time word or adverb: "early", "late", "soon", "now", "today", "anymore", "current",
  or a word in -ly ("definitely", "absolutely"; not "family", "friendly", "elderly",
  "weekly", "supply", "only", "fly", "reply", "apply", "daily", "lovely", "lonely", "ugly",
  "holy", "silly", "jolly");
* a lone generic noun: "term", "place", "help" (kept on purpose: a noun, `test_keyword_verbs`);
* a word of an idiom: "springs", "mind", "class", "notch", or a phrase holding one of them
  after or before the idiom's other word ("class care");
* a vague word alone (smoke10 #15): "set", "ones", "likely", "level", "risk", "informed",
  "responses", "result", "summary", "running", "spread". The replay calls
  ``readable_keywords`` as recorded, so a theme whose distinct keywords are all such words
  (shown alone all the same, as its last resort, by ``analysis.stages.shown_keywords``
  until kwedit dropped it) is counted as showing none.
* a negation cut off (smoke11 #7): a lone word its theme's answers write after "non-",
  "anti-" or "un-" in a quarter or more of its uses ("constituent" of "non-constituent").

The lists are this bench's own yardstick, written from the smoke9 findings, so the falls are
not an independent measure: read the lists with ``--list``.
"""

from __future__ import annotations

import argparse
import re
from collections import defaultdict
from pathlib import Path

from bench.keyword_verbs import CALLS, replay, replay_code, table

_PARTICLES = ("up", "out", "off", "down", "away", "after", "over", "back")
_QUANTITIES = {"dozens", "hundreds", "thousands", "millions", "handful", "couple"}
_TIME = {"early", "late", "soon", "now", "today", "anymore", "current"}
_LY_NOUNS = set(
    [
        "family",
        "friendly",
        "elderly",
        "weekly",
        "supply",
        "only",
        "fly",
        "reply",
        "apply",
        "daily",
        "lovely",
        "lonely",
        "ugly",
        "holy",
        "silly",
        "jolly",
        "italy",
        "july",
        "assembly",
        "ally",
        "rally",
        "belly",
        "bully",
        "monthly",
    ]
)
_GENERIC = {"term", "place", "help"}
_IDIOM_WORDS = {"springs", "mind", "class", "notch"}
# smoke10 #15's vague words shown alone (a lone word of one of these forms)
_VAGUE = {
    "set",
    "ones",
    "likely",
    "level",
    "risk",
    "informed",
    "responses",
    "result",
    "summary",
    "running",
    "spread",
}
KINDS = (
    "name mask",
    "phrasal part",
    "quantity phrase",
    "lone adverb",
    "generic noun",
    "idiom",
    "vague word",
    "negation cut",
)


def _phrasal(word: str, texts: list[str]) -> bool:
    pattern = re.compile(rf"(?<![\w'-]){re.escape(word)}(?![\w'-])(?: (\w+))?")
    afters = [m.group(1) for t in texts for m in pattern.finditer(t)]
    return 2 * sum(a in _PARTICLES for a in afters) > len(afters) > 0


def _negation_cut(word: str, texts: list[str]) -> bool:
    pattern = re.compile(rf"(?<![\w'-])(?:(\w+)-)?{re.escape(word)}(?![\w'-])")
    befores = [m.group(1) for t in texts for m in pattern.finditer(t)]
    return 4 * sum(b in ("non", "anti", "un") for b in befores) >= len(befores) > 0


def kinds(keyword: str, texts: list[str]) -> list[str]:
    """The kinds above that ``keyword`` is (lower-cased), in its theme's ``texts``."""
    words = re.split(r"[\s-]", keyword.lower())
    found = []
    if any(re.fullmatch(r"x{2,}", w) for w in words):
        found.append("name mask")
    if len(words) == 1 and _phrasal(words[0], texts):
        found.append("phrasal part")
    if len(words) > 1 and _QUANTITIES.intersection(words):
        found.append("quantity phrase")
    if len(words) == 1 and (
        words[0] in _TIME or (words[0].endswith("ly") and words[0] not in _LY_NOUNS)
    ):
        found.append("lone adverb")
    if len(words) == 1 and words[0] in _GENERIC:
        found.append("generic noun")
    if _IDIOM_WORDS.intersection(words):
        found.append("idiom")
    if len(words) == 1 and words[0] in _VAGUE:
        found.append("vague word")
    if len(words) == 1 and _negation_cut(words[0], texts):
        found.append("negation cut")
    return found


def figures(shown: dict[str, list[list[str]]], texts: dict[str, list[list[str]]]) -> dict:
    """Per set: distinct keywords of each kind, and all distinct keywords."""
    out = {}
    for name, lists in shown.items():
        per_kind: dict[str, set[str]] = defaultdict(set)
        for keywords, theme_texts in zip(lists, texts[name], strict=True):
            lower = [" ".join(t.lower().replace("’", "'").split()) for t in theme_texts]
            for keyword in keywords:
                for kind in kinds(keyword, lower):
                    per_kind[kind].add(keyword)
        distinct = {k for keywords in lists for k in keywords}
        out[name] = {
            **{kind: sorted(per_kind[kind]) for kind in KINDS},
            "distinct": len(distinct),
            "shown": sum(len(k) for k in lists),
        }
    return out


def main(argv: list[str] | None = None) -> int:
    import pickle

    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--calls", type=Path, default=CALLS)
    parser.add_argument("--code", type=Path, help="replay through this copy too (before)")
    parser.add_argument("--list", action="store_true", help="print each kind's keywords")
    args = parser.parse_args(argv)
    with args.calls.open("rb") as handle:
        calls = pickle.load(handle)
    texts: dict[str, list[list[str]]] = defaultdict(list)
    for name, _, _, theme_texts in calls:
        texts[name].append(theme_texts)
    before = figures(replay_code(args.calls, args.code), texts) if args.code else None
    after = figures(replay(args.calls, None), texts)
    print(table(before, after, (*KINDS, "distinct", "shown")))
    if args.list:
        for name in after:
            for kind in KINDS:
                was = before[name][kind] if before else []
                now = ", ".join(after[name][kind])
                print(f"{name} {kind}: before {', '.join(was)} | after {now}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
