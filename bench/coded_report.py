"""The report's "Coded against the codebook" counts: grouped in SQL versus reading every code.

    .venv/bin/python -m bench.coded_report [--responses 20000] [--repeats 5] [--write]

Builds a throwaway SQLite database with the demo consultation and N synthetic submitted
responses (as ``bench/exports.py`` does), a 10-theme codebook on the last free-text question,
a fifth of the answers coded by people (one to three themes, a stance) and the rest by a
machine coding. Then, in the same process, times (median of ``--repeats``):

- ``read every code``: the previous way (every answer's text, every human and machine code
  as objects, counted in Python), kept here as the baseline;
- ``grouped in SQL``: :func:`consult.reports.coded.coded_counts`, the way pages count now;

checks both give the same counts, and times the CSV response export with and without the
codebook's five coding columns.
"""

from __future__ import annotations

import argparse
import os
import random
import statistics
import tempfile
import time
from collections import Counter

from sqlalchemy import insert, select

from bench.common import machine, write_section
from bench.exports import build, consume


def add_coding(question, share_human: float = 0.2, themes: int = 10, seed: int = 0) -> None:
    """A codebook, people's codes for ``share_human`` of the answers, the model's for the
    rest (inserted directly: the coding model itself is not what is measured)."""
    from consult.extensions import db
    from consult.models import utcnow
    from consult.reports.coding_models import (
        Codebook,
        CodebookTheme,
        HumanCode,
        MachineCode,
        MachineCoding,
    )
    from consult.reports.runs import answers_for

    rng = random.Random(seed)
    codebook = Codebook(consultation_id=question.section.consultation_id, question_id=question.id)
    db.session.add(codebook)
    db.session.flush()
    keys = [f"K{i:02d}" for i in range(themes)]
    for position, key in enumerate(keys):
        db.session.add(
            CodebookTheme(codebook_id=codebook.id, key=key, position=position, name=f"Theme {key}")
        )
    coding = MachineCoding(codebook_id=codebook.id, status="succeeded", finished_at=utcnow())
    db.session.add(coding)
    db.session.flush()
    ids = answers_for(question).response_ids
    human, model = [], []
    now = utcnow()
    for response_id in ids:
        chosen = sorted(rng.sample(keys, rng.randint(1, 3)), key=keys.index)
        stance = rng.choice(["for", "against", "mixed", None])
        if rng.random() < share_human:
            human.append(
                {
                    "codebook_id": codebook.id,
                    "response_id": response_id,
                    "coder_email": "bench@example.org",
                    "themes": chosen,
                    "stance": stance,
                    "coded_at": now,
                }
            )
        else:
            model.append(
                {
                    "coding_id": coding.id,
                    "response_id": response_id,
                    "themes": chosen,
                    "confidence": rng.random(),
                    "stance": stance,
                    "stance_source": "model" if stance else None,
                    "stance_confidence": rng.random() if stance else None,
                }
            )
    db.session.execute(insert(HumanCode), human)
    db.session.execute(insert(MachineCode), model)
    db.session.commit()


def read_every_code(codebook, coding) -> tuple[int, int, Counter]:
    """The baseline: every answer, every code as an object, counted in Python."""
    from consult.extensions import db
    from consult.models import Response
    from consult.reports.coding_models import HumanCode, MachineCode
    from consult.reports.runs import answers_for

    answer_ids = answers_for(codebook.question).response_ids
    human = {}
    for code in db.session.scalars(
        select(HumanCode)
        .where(HumanCode.codebook_id == codebook.id)
        .order_by(HumanCode.coded_at, HumanCode.id)
    ):
        human[code.response_id] = code
    machine_rows = {
        m.response_id: m
        for m in db.session.scalars(select(MachineCode).where(MachineCode.coding_id == coding.id))
    }
    partner = dict(
        db.session.execute(
            select(Response.id, Response.partner_type).where(Response.id.in_(answer_ids))
        ).all()
    )
    counts: Counter = Counter()
    people = model = 0
    for response_id in answer_ids:
        if response_id in human:
            people += 1
            code = human[response_id]
        elif response_id in machine_rows:
            model += 1
            code = machine_rows[response_id]
        else:
            continue
        for key in code.themes:
            counts[(key, code.stance or "not coded", partner.get(response_id))] += 1
    return people, model, counts


def timed(function, repeats: int) -> float:
    from consult.extensions import db

    seconds = []
    for _ in range(repeats):
        db.session.expire_all()
        started = time.perf_counter()
        function()
        seconds.append(time.perf_counter() - started)
    return statistics.median(seconds)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--responses", type=int, default=20000)
    parser.add_argument("--repeats", type=int, default=5)
    parser.add_argument("--write", action="store_true")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        os.environ["CONSULT_INSTANCE_PATH"] = folder
        from consult import create_app, exports
        from consult.extensions import db
        from consult.filters import SUBMITTED
        from consult.models import Consultation
        from consult.reports import coded

        app = create_app({"DATABASE_URL": f"sqlite:///{folder}/bench.sqlite"})
        with app.app_context():
            consultation_id = build(app, args.responses)
            consultation = db.session.get(Consultation, consultation_id)
            plain = exports.plan(consultation, SUBMITTED)
            question = [q for q in consultation.questions if q.is_text][-1]
            add_coding(question)
            report = coded.coded_report(question)
            codebook, coding = report.codebook, report.coding
            people, model, counts = read_every_code(codebook, coding)
            assert (people, model) == (report.human, report.machine)
            assert sum(counts.values()) == sum(t.total for t in report.themes)
            baseline = timed(lambda: read_every_code(codebook, coding), args.repeats)
            grouped = timed(lambda: coded.coded_counts(codebook, coding), args.repeats)
            with_coding = exports.plan(consultation, SUBMITTED)
            db.session.remove()
            export_plain = statistics.median(
                consume(exports, plain, db.engine, "csv", False)[0] for _ in range(3)
            )
            export_coded = statistics.median(
                consume(exports, with_coding, db.engine, "csv", False)[0] for _ in range(3)
            )
    lines = [
        "## Coded against the codebook (`bench/coded_report.py`)",
        "",
        f"Command: `nice -n 10 .venv/bin/python -m bench.coded_report --responses "
        f"{args.responses} --write`. Machine: {machine()}. {args.responses:,} submitted responses "
        f"in SQLite; a 10-theme codebook; {report.human:,} answers coded by people and "
        f"{report.machine:,} by the model (1-3 themes each). Medians of {args.repeats} runs in "
        "one process; both ways give the same counts (checked).",
        "",
        "| Counting the report section | Seconds | Ratio |",
        "|---|---|---|",
        f"| read every code (baseline) | {baseline:.3f} | 1.00 |",
        f"| grouped in SQL (`coded_counts`) | {grouped:.3f} | {grouped / baseline:.2f} |",
        "",
        "| CSV response export (13 questions) | Seconds | Ratio |",
        "|---|---|---|",
        f"| without coding columns | {export_plain:.2f} | 1.00 |",
        f"| with one coded question's five columns | {export_coded:.2f} | "
        f"{export_coded / export_plain:.2f} |",
    ]
    text = "\n".join(lines)
    print(text)
    if args.write:
        write_section("coded-report", text)


if __name__ == "__main__":
    main()
