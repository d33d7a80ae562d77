"""What showing hidden characters costs every spreadsheet cell and JSON record (left27):
main's ``analysis/cells.py`` (``--old``, a path) against this tree's, on 200,000 answer-like
ASCII cells, twice each in turn, and the JSON export's escape on 100,000 records.

    PYTHONPATH=. OMP_NUM_THREADS=1 .venv/bin/python bench/hidden_cells.py \\
        --old /work/main/analysis/cells.py
"""

from __future__ import annotations

import argparse
import importlib.util
import json
import random
import time

from analysis import cells as new
from consult.exports import json_text

WORDS = [
    "buses",
    "trains",
    "fares",
    "late",
    "cheaper",
    "more",
    "reliable",
    "services",
    "evening",
    "weekend",
    "routes",
]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--old", required=True, help="the analysis/cells.py to compare with")
    args = parser.parse_args()
    spec = importlib.util.spec_from_file_location("old_cells", args.old)
    old = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(old)
    rng = random.Random(1)
    texts = [" ".join(rng.choice(WORDS) for _ in range(rng.randint(1, 60))) for _ in range(200_000)]
    for name, module in (("old", old), ("new", new), ("old", old), ("new", new)):
        for function in ("safe_cell", "xlsx_cell"):
            call = getattr(module, function)
            start = time.perf_counter()
            for text in texts:
                call(text)
            print(name, function, round(time.perf_counter() - start, 3))
    records = [{"a": t, "b": t[:50], "c": "x"} for t in texts[:100_000]]
    plain = lambda value: json.dumps(value, ensure_ascii=False)  # noqa: E731
    for name, call in (("old", plain), ("new", json_text)) * 2:
        start = time.perf_counter()
        for record in records:
            call(record)
        print(name, "json", round(time.perf_counter() - start, 3))


if __name__ == "__main__":
    main()
