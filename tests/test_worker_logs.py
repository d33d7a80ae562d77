"""The worker's log in plain words: huey named every job with the tries it has left
("Executing consult.reports.queue.code: <id> 6 retries"), which read as six failures of a
normal job. A normal job now logs when it started and finished; a job that really fails
still logs it clearly, with its traceback and whether it will be tried again."""

from __future__ import annotations

import logging

import pytest
from huey import MemoryHuey

from consult.reports.queue import ANALYSIS_TASK, CODING_TASK
from consult.reports.worker import JobLogWords, job_words

pytestmark = pytest.mark.coding_encoder


@pytest.fixture
def huey_log(caplog):
    """A huey in memory with the worker's filter on huey's logger, as ``flask worker`` has."""
    words = JobLogWords()
    logger = logging.getLogger("huey")
    logger.addFilter(words)
    caplog.set_level(logging.INFO, logger="huey")
    yield MemoryHuey("test", utc=True)
    logger.removeFilter(words)


def _run_one(huey) -> None:
    huey.execute(huey.dequeue())


def test_a_normal_job_logs_plainly(huey_log, caplog):
    huey = huey_log
    code = huey.task(name=CODING_TASK, retries=6, retry_delay=10)(lambda coding_id: None)
    analyse = huey.task(name=ANALYSIS_TASK, retries=6, retry_delay=10)(lambda run_id: None)
    huey.enqueue(code.s(7))
    huey.enqueue(analyse.s(5))
    _run_one(huey)
    _run_one(huey)
    lines = [r.getMessage() for r in caplog.records if r.name == "huey"]
    assert not any("retries" in line or "retry" in line for line in lines), lines
    assert lines[0].startswith("Started applying the coding model (coding 7) (job ")
    assert lines[1].startswith("Finished applying the coding model (coding 7) (job ")
    assert lines[1].endswith(" s")
    assert lines[2].startswith("Started the analysis of run 5 (job ")
    assert all(r.levelno == logging.INFO for r in caplog.records if r.name == "huey")


def test_a_failing_job_says_it_failed_and_whether_it_will_be_tried_again(huey_log, caplog):
    huey = huey_log

    def broken(run_id: int) -> None:
        raise RuntimeError("database unreachable")

    task = huey.task(name=ANALYSIS_TASK, retries=1, retry_delay=10)(broken)
    huey.enqueue(task.s(9))
    _run_one(huey)  # fails, queued again (in 10 s) with no tries left after it
    (retry,) = huey.scheduled()
    retry.eta = None  # due now
    huey.execute(retry)  # fails for good
    records = [r for r in caplog.records if r.name == "huey"]
    failed = [r for r in records if "failed" in r.getMessage()]
    assert [r.levelno for r in failed] == [logging.ERROR, logging.ERROR]
    first, last = (r.getMessage() for r in failed)
    assert first.startswith("The analysis of run 9 (job ")
    assert first.endswith("failed; it will be tried again (1 more try at most)")
    assert last.endswith("failed; it will not be tried again")
    assert all(r.exc_info and "database unreachable" in str(r.exc_info[1]) for r in failed)
    requeued = [r for r in records if r.getMessage().startswith("Queued ")]
    assert len(requeued) == 1 and requeued[0].levelno == logging.WARNING
    said = requeued[0].getMessage()
    assert said.startswith("Queued the analysis of run 9 (job ")
    assert said.endswith(" again, to retry in 10 s (its last try)")


def test_job_words_name_what_the_job_does():
    class Task:
        name, args, id = "analyse", (3,), "abc"

    assert job_words(Task()) == "the analysis of run 3 (job abc)"
    Task.name = "other"
    assert job_words(Task()) == "job other (job abc)"


def test_jobs_that_fail_inside_say_so_in_the_worker_log(app, caplog, monkeypatch):
    """An analysis or a coding that fails is recorded as failed by the job itself (huey sees
    the task end normally): the worker's log says so too, with the reason."""
    from consult.extensions import db
    from consult.reports import coding, runs
    from consult.reports.coding_models import MachineCoding
    from consult.reports.jobs import run_job
    from tests.helpers import make_consultation
    from tests.reports.review_helpers import add_answers, make_question, stored_run

    caplog.set_level(logging.INFO, logger="consult")
    from tests.reports_helpers import add_responses

    consultation = make_consultation()
    why = consultation.questions[1]
    (response,) = add_responses(consultation, [{why: "Because"}])
    run = runs.start_run(consultation, why, {"engine": "fast"})
    db.session.delete(response)  # its answers went before the run started
    db.session.commit()
    assert run_job(run.id) == "failed"
    said = [r for r in caplog.records if r.name == "consult.reports.jobs"]
    assert [(r.levelno, r.getMessage()) for r in said] == [
        (
            logging.WARNING,
            f"analysis run {run.id} failed: There are no submitted answers to this question yet.",
        )
    ]

    consultation, question = make_question()
    add_answers(consultation, question, 20)
    codebook = coding.codebook_from_run(stored_run(consultation, question), "a@example.gov.uk")
    job = coding.start_coding(codebook, "a@example.gov.uk")

    def broken(*args, **kwargs):
        raise RuntimeError("out of memory")

    monkeypatch.setattr(coding, "answers", broken)
    coding.run_coding(job.id, engine="fast")
    assert db.session.get(MachineCoding, job.id).status == "failed"
    (logged,) = [r for r in caplog.records if r.name == "consult.reports.coding"]
    assert logged.levelno == logging.ERROR and "out of memory" in str(logged.exc_info[1])
    assert logged.getMessage() == f"applying the coding model (coding {job.id}) failed"


def test_the_consumers_list_of_jobs_is_one_plain_line(caplog):
    """huey's consumer starts by listing its tasks one per line ('The following commands are
    available:' then '+ consult.reports.queue.analyse' ...), which the log's escaping of line
    breaks showed as literal '\\n+' runs: it now names the kinds of job on one line."""
    huey = MemoryHuey("start", utc=True)
    huey.task(name=ANALYSIS_TASK)(lambda run_id: None)
    huey.task(name=CODING_TASK)(lambda coding_id: None)
    words = JobLogWords()
    logger = logging.getLogger("huey.consumer")
    logger.addFilter(words)
    caplog.set_level(logging.INFO, logger="huey.consumer")
    try:
        consumer = huey.create_consumer(workers=1, worker_type="thread", periodic=False)
        consumer._logger = logger
        consumer.start()
        consumer.stop(graceful=True)
    finally:
        logger.removeFilter(words)
    lines = [r.getMessage() for r in caplog.records if r.name == "huey.consumer"]
    ready = [line for line in lines if line.startswith("Ready to run these jobs: ")]
    assert len(ready) == 1, lines
    assert "\n" not in ready[0]
    assert sorted(ready[0].split(": ", 1)[1].split(", ")) == sorted(
        [ANALYSIS_TASK.rsplit(".", 1)[-1], CODING_TASK.rsplit(".", 1)[-1]]
    )
    assert not any(line.startswith("The following commands") for line in lines)


def test_an_analysis_refusing_its_answers_is_logged_without_a_traceback(app, caplog):
    """Answers the analysis refuses (every one a single emoji: nothing substantive) are an
    expected end, like a question with no answers: the worker's log gave the analysis
    library's InputError with a traceback."""
    from consult.extensions import db
    from consult.reports import runs
    from consult.reports.jobs import run_job
    from consult.reports.models import AnalysisRun
    from tests.helpers import make_consultation
    from tests.reports_helpers import add_responses

    caplog.set_level(logging.INFO, logger="consult")
    consultation = make_consultation()
    why = consultation.questions[1]
    add_responses(consultation, [{why: "😀"} for _ in range(10)])
    run = runs.start_run(consultation, why, {"engine": "fast"})
    assert run_job(run.id) == "failed"
    error = db.session.get(AnalysisRun, run.id).error
    assert error.startswith("Every answer to this question is blank or says nothing")
    said = [r for r in caplog.records if r.name == "consult.reports.jobs"]
    assert [(r.levelno, r.exc_info) for r in said] == [(logging.WARNING, None)]
    assert said[0].getMessage() == f"analysis run {run.id} failed: {error}"
