"""A codebook for pxtextmining's v6 themes from the published framework's own words.

Staff coding NHS feedback against the Patient Experience Qualitative Data Categorisation (QDC)
framework have its definitions: each sub-category's description and a few example comments.
The framework is published as workbooks in The-Strategy-Unit/experiencesdashboard (MIT
licence; not in this repository): ``inst/app/www/FFT-QDC_Framework_MVP_version_20230925.xlsx``
(sheet "MVP framework details") and, at commit 6440adb, ``inst/app/www/FFT-QDC Framework v5 -
20230428.xlsx`` (sheet "v5 descriptions & examples"). Both have the columns ``Sub-category``,
``Sub-category description`` and ``Examples``. Read them by path:

    .venv/bin/python -m bench.qdc_codebook v6.csv --framework MVP.xlsx --framework v5.xlsx \\
        --parts names,descriptions --out /tmp/v6_codebook.csv

``v6.csv`` is ``bench.pxtextmining_v6``'s output (its ``labels`` and ``theme_names`` columns
give each theme's id and name). Writes the codebook CSV the product reads (``id``, ``name``,
``description``, ``examples`` ``;``-separated; :mod:`analysis.codebook`), one row per theme of
``v6.csv``, the way a member of staff would copy the framework into it: the sub-category of the
same name (the first workbook given that has it; :data:`ALIASES` for v6's renamed ones), its
description, and its example comments one by one (the cell's quoted comments, without the
POSITIVE / NEGATIVE headings). ``--parts`` picks what is copied: ``names`` alone (the
sub-categories' names, not their ids), ``descriptions``, ``examples``. A theme the framework
does not describe keeps its name alone; the count is printed.
"""

from __future__ import annotations

import argparse
import csv
import re
import sys
from pathlib import Path

# v6's names for sub-categories the workbooks call otherwise (v5's "Negative experience").
ALIASES = {"negative experience & dissatisfaction": "negative experience"}
PARTS = ("names", "descriptions", "examples")
_HEADING = re.compile(r"\b(?:POSITIVE|NEGATIVE|MIXED|NEUTRAL|WISHLIST|POSITVE)\b\s*[:/]?", re.I)
# Example comments are quoted ('…' or ‘…’) and separated by commas: split at a closing quote,
# a comma and an opening quote, so apostrophes inside a comment stay.
_BETWEEN = re.compile(r"['’‘\"]\s*,\s*['‘’\"]|['’]\s*\n+\s*['‘]")


def _key(name: str) -> str:
    return " ".join(name.casefold().split())


def examples_of(cell: str | None) -> list[str]:
    """The example comments of a workbook's Examples cell, one by one."""
    if not cell:
        return []
    text = _HEADING.sub("\n", cell)
    found = []
    for part in _BETWEEN.split(text):
        part = part.strip().strip("'‘’\"").strip()
        part = " ".join(part.replace(";", ",").split())
        if len(part) > 1:
            found.append(part)
    return found


def read_framework(path: Path) -> dict[str, tuple[str, str, list[str]]]:
    """Sub-category (its key) to (name, description, examples), from the first sheet of the
    workbook with the columns ``Sub-category``, ``Sub-category description`` and ``Examples``."""
    import openpyxl

    book = openpyxl.load_workbook(path, read_only=True, data_only=True)
    for sheet in book.worksheets:
        rows = sheet.iter_rows(values_only=True)
        header = [str(c or "").strip().casefold() for c in next(rows, ())]
        wanted = ("sub-category", "sub-category description", "examples")
        if not all(w in header for w in wanted):
            continue
        name_at, text_at, examples_at = (header.index(w) for w in wanted)
        found: dict[str, tuple[str, str, list[str]]] = {}
        for row in rows:
            name = str(row[name_at] or "").strip() if len(row) > name_at else ""
            if not name or _key(name) in found:
                continue
            description = " ".join(str(row[text_at] or "").split())
            examples = examples_of(row[examples_at] if len(row) > examples_at else None)
            found[_key(name)] = (name, description, examples)
        return found
    raise ValueError(f"{path}: no sheet with Sub-category, its description and Examples")


def themes_of(v6: Path) -> tuple[dict[str, str], list[str]]:
    """Theme id to name, and the answers, from ``bench.pxtextmining_v6``'s output."""
    themes: dict[str, str] = {}
    texts: list[str] = []
    with v6.open(encoding="utf-8", newline="") as handle:
        for row in csv.DictReader(handle):
            texts.append(row.get("text") or "")
            ids = [t for t in (row.get("labels") or "").split(";") if t.strip() not in ("", "-")]
            names = [n for n in (row.get("theme_names") or "").split(";") if n.strip()]
            for theme, name in zip(ids, names, strict=True):
                themes.setdefault(theme.strip(), name.strip())
    return dict(sorted(themes.items())), texts


def seen_in(texts: list[str]):
    """A test: is an example comment one of ``texts`` (or inside one), ignoring case, spaces
    and end punctuation? Such examples are left out (``--keep-seen`` keeps them): they would
    be coded rows of the data the codebook is scored on."""
    norm = lambda s: " ".join(s.casefold().split()).strip(" .'!")  # noqa: E731
    whole = {norm(t) for t in texts}
    joined = "\n".join(whole)
    return lambda example: (
        norm(example) in whole or (len(norm(example)) > 40 and norm(example) in joined)
    )


def codebook_rows(
    themes: dict[str, str], frameworks: list[dict], parts: tuple[str, ...], seen=None
) -> tuple[list[dict[str, str]], list[str]]:
    """The codebook's rows, and the names of the themes no framework describes; examples for
    which ``seen`` is true are left out."""
    rows, missing = [], []
    for theme, name in themes.items():
        keys = (_key(name), ALIASES.get(_key(name), ""))
        entry = next((f[k] for f in frameworks for k in keys if k in f), None)
        if entry is None:
            missing.append(name)
        description = entry[1] if entry and "descriptions" in parts else ""
        examples = entry[2] if entry and "examples" in parts else []
        examples = [e for e in examples if seen is None or not seen(e)]
        rows.append(
            {"id": theme, "name": name, "description": description, "examples": ";".join(examples)}
        )
    return rows, missing


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("v6", type=Path, help="bench.pxtextmining_v6's output")
    parser.add_argument(
        "--framework", type=Path, action="append", default=[], help="a QDC framework workbook"
    )
    parser.add_argument("--parts", default="names,descriptions", help=", ".join(PARTS))
    parser.add_argument("--out", type=Path, required=True, help="the codebook CSV to write")
    parser.add_argument(
        "--keep-seen", action="store_true", help="keep examples that are answers of v6.csv"
    )
    args = parser.parse_args(argv)
    parts = tuple(p.strip() for p in args.parts.split(",") if p.strip())
    if set(parts) - set(PARTS):
        raise SystemExit(f"--parts: use {', '.join(PARTS)}")
    try:
        frameworks = [read_framework(path) for path in args.framework]
        themes, texts = themes_of(args.v6)
        seen = None if args.keep_seen else seen_in(texts)
        rows, missing = codebook_rows(themes, frameworks, parts, seen)
        dropped = 0
        if seen is not None and "examples" in parts:
            kept = codebook_rows(themes, frameworks, parts)[0]
            dropped = sum(len([e for e in r["examples"].split(";") if e]) for r in kept)
    except (OSError, ValueError, KeyError) as error:
        print(f"error: {error}", file=sys.stderr)
        raise SystemExit(2) from None
    with args.out.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.DictWriter(handle, ["id", "name", "description", "examples"])
        writer.writeheader()
        writer.writerows(rows)
    examples = sum(len(r["examples"].split(";")) for r in rows if r["examples"])
    print(
        f"{len(rows)} themes ({', '.join(parts)}), {len(rows) - len(missing)} described by the "
        f"framework, {examples} examples ({max(dropped - examples, 0)} left out: answers of "
        f"{args.v6.name}) -> {args.out}; not described: {'; '.join(missing)}"
    )


if __name__ == "__main__":
    main()
