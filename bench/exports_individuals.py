"""What the leftovers export columns cost: an individual's row says which questions they
answered in the wording for individuals, from each answer's time and the questions' wording
history, so the stream reads every answer's ``updated_at`` when a question has (or had) a
wording for individuals.

    .venv/bin/python -m bench.exports_individuals [--responses 20000] [--repeats 3]

Builds the throwaway database of ``bench/exports.py`` (the demo consultation, one question
worded for individuals), makes every other response an individual's, then streams CSV and
XLSX with the plan as exports make it, and with the same plan given no wordings (the
baseline: no answer times read, the new columns empty), alternately, in one process; prints
the median seconds of each and their ratio.
"""

from __future__ import annotations

import argparse
import dataclasses
import os
import statistics
import tempfile
import time

from sqlalchemy import update

from bench.common import machine
from bench.exports import build, consume


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--responses", type=int, default=20000)
    parser.add_argument("--repeats", type=int, default=3)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        os.environ["CONSULT_INSTANCE_PATH"] = folder
        from consult import create_app, exports
        from consult.extensions import db
        from consult.filters import SUBMITTED
        from consult.models import Consultation, Response

        app = create_app({"DATABASE_URL": f"sqlite:///{folder}/bench.sqlite"})
        with app.app_context():
            consultation_id = build(app, args.responses)
            db.session.execute(
                update(Response)
                .where(Response.id % 2 == 0)
                .values(partner_type="individual", size_band="small")
            )
            db.session.commit()
            plan = exports.plan(db.session.get(Consultation, consultation_id), SUBMITTED)
            assert exports._worded(plan), "the demo has a question worded for individuals"
            baseline = dataclasses.replace(plan, wordings=())
            db.session.remove()
            print(f"Machine: {machine()}; load {os.getloadavg()[0]:.1f}")
            for fmt in ("csv", "xlsx"):
                times: dict[str, list[float]] = {"baseline": [], "leftovers": []}
                for _ in range(args.repeats):
                    for name, chosen in (("baseline", baseline), ("leftovers", plan)):
                        started = time.perf_counter()
                        consume(exports, chosen, db.engine, fmt, False)
                        times[name].append(time.perf_counter() - started)
                before = statistics.median(times["baseline"])
                after = statistics.median(times["leftovers"])
                print(
                    f"{fmt}: baseline median {before:.2f} s, leftovers median {after:.2f} s, "
                    f"ratio {after / before:.3f} ({args.repeats} runs each, alternating)"
                )


if __name__ == "__main__":
    main()
