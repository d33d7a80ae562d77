"""Keywords cut mid-phrase ("media start" from "media start-ups"), counted on the calls
``bench.keyword_verbs record`` stores (the demo's seven questions, ArgKP's 24 dev motions,
2,000 NHS FFT answers), replayed through this code and, with ``--code DIR``, an earlier copy:

    .venv/bin/python -m bench.keyword_cuts [--calls FILE] [--code DIR] [--list]

Per set, distinct keywords shown (up to ten per theme) that are:

* cut at a hyphen: the theme's answers write a hyphen straight after its last word, or
  straight before its first, in most of its uses ("media start", "ups");
* holding punctuation other than a hyphen or an apostrophe ("sums, offer");
* two words of one phrase joined by a preposition in the answers, both shown alone in one
  theme ("sums" and "offer" from "the sums on offer"): counted as pairs.

No judge outside the analysis is needed (unlike ``bench.keyword_verbs``, which needs WordNet).
"""

from __future__ import annotations

import argparse
import re
from collections import defaultdict
from pathlib import Path

from bench.keyword_verbs import CALLS, replay, replay_code, table

_PUNCTUATION = re.compile(r"[^\w\s'-]")
_LINKS = "of|on|to|for|in|at"


def _uses(keyword: str, texts: list[str]) -> tuple[int, int]:
    """(uses of ``keyword`` as whole words, uses with a hyphen glued to either end)."""
    words = r"[\s-]".join(re.escape(w) for w in re.split(r"[\s-]", keyword))
    pattern = re.compile(rf"(?<![\w']){words}(?![\w'])")
    found = [(t, m) for t in texts for m in pattern.finditer(t)]
    hyphened = sum(
        t[m.start() - 1 : m.start()] == "-" or t[m.end() : m.end() + 1] == "-" for t, m in found
    )
    return len(found), hyphened


def cuts(shown: list[str], texts: list[str]) -> dict[str, list[str]]:
    """One theme's keywords cut at a hyphen, holding punctuation, or split at a preposition."""
    lower = [" ".join(t.lower().replace("’", "'").split()) for t in texts]
    out: dict[str, list[str]] = defaultdict(list)
    for keyword in shown:
        uses, hyphened = _uses(keyword.lower(), lower)
        if uses and 2 * hyphened > uses:
            out["cut at a hyphen"].append(keyword)
        if _PUNCTUATION.search(keyword):
            out["holding punctuation"].append(keyword)
    singles = [k.lower() for k in shown if " " not in k and "-" not in k]
    for first in singles:
        for second in singles:
            if first == second:
                continue
            pattern = re.compile(rf"(?<![\w'-]){re.escape(first)} (?:{_LINKS}) {second}(?![\w'-])")
            joined = sum(len(pattern.findall(t)) for t in lower)
            alone = sum(
                len(re.findall(rf"(?<![\w'-]){re.escape(first)}(?![\w'-])", t)) for t in lower
            )
            if joined >= 2 and 2 * joined > alone:
                out["split at a preposition"].append(f"{first} + {second}")
    return out


def figures(calls_path: Path, shown: dict[str, list[list[str]]]) -> dict[str, dict]:
    """Per set: distinct keywords of each kind and how many keywords are shown."""
    import pickle

    with calls_path.open("rb") as handle:
        calls = pickle.load(handle)
    texts: dict[str, list[list[str]]] = defaultdict(list)
    for name, _, _, member_texts in calls:
        texts[name].append(member_texts)
    out = {}
    for name, lists in shown.items():
        kinds: dict[str, set[str]] = defaultdict(set)
        for keywords, member_texts in zip(lists, texts[name], strict=True):
            for kind, found in cuts(keywords, member_texts).items():
                kinds[kind].update(found)
        out[name] = {
            **{kind: sorted(kinds[kind]) for kind in KINDS},
            "distinct": sorted({k for keywords in lists for k in keywords}),
            "shown": sum(len(k) for k in lists),
        }
    return out


KINDS = ("cut at a hyphen", "holding punctuation", "split at a preposition")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--calls", type=Path, default=CALLS)
    parser.add_argument("--code", type=Path, help="replay through this copy too (before)")
    parser.add_argument("--list", action="store_true", help="print each kind's keywords")
    args = parser.parse_args(argv)
    before = None
    if args.code:
        before = figures(args.calls, replay_code(args.calls, args.code))
    after = figures(args.calls, replay(args.calls, None))
    print(table(before, after, (*KINDS, "distinct", "shown")))
    if args.list:
        for name in after:
            for kind in (*KINDS, "distinct"):
                print(f"\n{name} {kind}: " + ", ".join(after[name][kind]))
                if before:
                    gone = sorted(set(before[name][kind]) - set(after[name][kind]))
                    came = sorted(set(after[name][kind]) - set(before[name][kind]))
                    print(f"  gone: {', '.join(gone)}\n  new: {', '.join(came)}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
