"""Convert pxtextmining's NHS patient-feedback framework file to the `code` command's layout.

The source is ``datasets/v6framework_230831.csv`` in The-Strategy-Unit/pxtextmining (MIT
licence, Copyright (c) 2021 NHS England): about 7,900 real NHS Friends and Family Test answers
(``FFT answer``), each coded by people with one or more of about 50 themes as one-hot columns
(every column after ``Comment sentiment``), with the question it answered (``FFT question``)
and a human sentiment rating (``Comment sentiment``, 1 very positive .. 5 very negative).
The data is not part of this repository: download it and pass its path.

    .venv/bin/python -m bench.pxtextmining_v6 v6framework_230831.csv --out /tmp/v6.csv

Writes ``text`` (the answer), ``labels`` (``;``-separated theme ids, ``-`` for "Not
assigned", i.e. coded with no theme, unless ``--not-assigned theme``), ``question``,
``sentiment`` and ``theme_names`` (each id's column name, in the same order). Rows marked
"Labelling not possible" (unless ``--keep-unlabellable``) and empty answers are dropped.
Theme ids are the column names made into ids ("Staff manner & personal attributes" ->
``staff-manner-personal-attributes``).
"""

from __future__ import annotations

import argparse
import csv
import re
import sys
from pathlib import Path

FIRST_THEME_AFTER = "Comment sentiment"
NO_THEME = "Not assigned"
DROP = "Labelling not possible"


def theme_id(name: str) -> str:
    """An id the codebook accepts, from a theme column's name."""
    return re.sub(r"[^a-z0-9]+", "-", name.lower()).strip("-")[:64] or "theme"


def convert(
    rows: list[dict[str, str]],
    columns: list[str],
    not_assigned: str = "none",
    keep_unlabellable: bool = False,
) -> list[dict[str, str]]:
    """The coded rows in the ``code`` command's layout (see the module docstring); with
    ``not_assigned="theme"``, "Not assigned" is kept as a theme of its own, and with
    ``keep_unlabellable`` so is "Labelling not possible" (its rows kept)."""
    if FIRST_THEME_AFTER not in columns or "FFT answer" not in columns:
        raise ValueError(f"expected the columns 'FFT answer' and '{FIRST_THEME_AFTER}'")
    themes = [
        c for c in columns[columns.index(FIRST_THEME_AFTER) + 1 :] if c != DROP or keep_unlabellable
    ]
    out = []
    for row in rows:
        text = (row.get("FFT answer") or "").strip()
        if not text or (not keep_unlabellable and (row.get(DROP) or "").strip() == "1"):
            continue
        chosen = [
            c
            for c in themes
            if (c != NO_THEME or not_assigned == "theme") and (row.get(c) or "").strip() == "1"
        ]
        out.append(
            {
                "text": text,
                "labels": ";".join(theme_id(c) for c in chosen) or "-",
                "question": " ".join((row.get("FFT question") or "").split()),
                "sentiment": (row.get(FIRST_THEME_AFTER) or "").strip(),
                "theme_names": ";".join(chosen),
            }
        )
    return out


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("file", type=Path, help="v6framework_230831.csv from pxtextmining")
    parser.add_argument("--out", type=Path, required=True, help="the CSV to write")
    parser.add_argument(
        "--not-assigned",
        choices=["none", "theme"],
        default="none",
        help="read 'Not assigned' as coded with no theme (default) or as a theme of its own",
    )
    parser.add_argument(
        "--keep-unlabellable",
        action="store_true",
        help="keep 'Labelling not possible' rows, with that as their theme",
    )
    args = parser.parse_args(argv)
    try:
        with args.file.open(encoding="utf-8", newline="") as handle:
            reader = csv.DictReader(handle)
            fields = list(reader.fieldnames or [])
            rows = convert(list(reader), fields, args.not_assigned, args.keep_unlabellable)
    except (OSError, ValueError, UnicodeDecodeError) as error:
        print(f"error: {args.file}: {error}", file=sys.stderr)
        raise SystemExit(2) from None
    with args.out.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.DictWriter(handle, ["text", "labels", "question", "sentiment", "theme_names"])
        writer.writeheader()
        writer.writerows(rows)
    multi = sum(";" in r["labels"] for r in rows)
    print(f"{len(rows)} coded answers ({multi} with several themes) -> {args.out}")


if __name__ == "__main__":
    main()
