"""Applying the coding model to a question nobody has answered (every answer blank) was
queued, then failed in the worker with scikit-learn's words ("ValueError: Found array with
0 sample(s)...") on the page and a traceback in the worker's log. It is now refused before
it is queued, and answers gone by the time it runs fail it in plain words (found by badin)."""

from __future__ import annotations

import logging

import pytest
from sqlalchemy import func, select

from consult.extensions import db
from consult.reports import coding
from consult.reports.coding_models import MachineCoding
from tests.helpers import make_consultation
from tests.reports_helpers import add_responses
from tests.staff_helpers import post, signed_in

pytestmark = pytest.mark.backends("sqlite", "postgresql")

BOOK = b"id,name\nbuses,Buses\nfares,Fares\n"


def test_applying_the_model_without_answers_is_refused_before_queueing(app):
    consultation = make_consultation()
    why = consultation.questions[1]
    add_responses(consultation, [{why: "   "} for _ in range(3)])
    add_responses(consultation, [{why: "Drafted, not sent"}], status="draft")
    client = signed_in(app, "admin")
    book = coding.import_codebook(why, BOOK, "book.csv", "a@example.org")
    url = f"/staff/reports/questions/{why.id}/coding"
    done = post(client, f"{url}/apply", page_url=url)
    assert done.status_code == 302
    page = client.get(done.headers["Location"]).get_data(as_text=True)
    assert "There are no submitted answers to question 2 yet" in page
    assert db.session.scalar(select(func.count(MachineCoding.id))) == 0
    with pytest.raises(coding.CodingError, match="nothing to code"):
        coding.start_coding(book, "a@example.org")


def test_answers_gone_by_the_time_the_model_runs_fail_it_in_plain_words(app, caplog):
    caplog.set_level(logging.INFO, logger="consult")
    consultation = make_consultation()
    why = consultation.questions[1]
    (response,) = add_responses(consultation, [{why: "Cheaper fares please"}])
    book = coding.import_codebook(why, BOOK, "book.csv", "a@example.org")
    job = coding.start_coding(book, "a@example.org")
    db.session.delete(response)  # removed on request while the job waited
    db.session.commit()
    coding.run_coding(job.id, engine="fast")
    job = db.session.get(MachineCoding, job.id)
    assert job.status == "failed"
    assert job.error.startswith("There are no submitted answers to question 2 yet")
    said = [r for r in caplog.records if r.name == "consult.reports.coding"]
    assert [(r.levelno, r.exc_info) for r in said] == [(logging.WARNING, None)]
