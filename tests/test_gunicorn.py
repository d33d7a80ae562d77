"""The app under a real gunicorn process (``gunicorn -c gunicorn.conf.py wsgi:app``, as
``make serve`` runs it) with a real job worker, over real HTTP: one of each kind of response
body. A page; the health check; a streamed export (CSV, and XLSX); an analysis started from
the web page, finished by the worker, and its Word report downloaded (and the whole
consultation's, from the theme reports overview); coding against the
run's codebook (people code, the worker applies the model) and the report's "Coded against
the codebook" section as a page, CSV, Excel and Word, and in the streamed response export;
an unusable ``Host``.

On the SQLite files by default, and on PostgreSQL with the Redis queue when
``CONSULT_TEST_DATABASE_URL`` and ``CONSULT_TEST_REDIS_URL`` are set. The server's port is a
free one, from ``CONSULT_TEST_PORTS`` (e.g. ``5110-5119``) when that is set.
"""

from __future__ import annotations

import contextlib
import csv
import http.cookiejar
import io
import json
import os
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.parse
import urllib.request
import uuid
from dataclasses import dataclass
from pathlib import Path

import pytest
from bs4 import BeautifulSoup
from docx import Document
from openpyxl import load_workbook
from sqlalchemy import func, select

from consult import create_app
from consult.extensions import db
from consult.models import Response
from tests.listening import listens_on
from tests.reports_helpers import WorkerProcess, demo, question_numbered, worker_environment
from tests.staff_helpers import PASSWORD, make_user

ROOT = Path(__file__).resolve().parent.parent
# Seconds to wait for a started server to answer /healthz.
HEALTHZ_WAIT = 120

pytestmark = [pytest.mark.backends("sqlite", "postgresql"), pytest.mark.coding_encoder]


def free_port() -> int:
    """A free port on 127.0.0.1: the first free one of ``CONSULT_TEST_PORTS`` if set."""
    wanted = os.environ.get("CONSULT_TEST_PORTS", "")
    candidates = [0]
    if wanted:
        low, _, high = wanted.partition("-")
        candidates = list(range(int(low), int(high or low) + 1))
    for port in candidates:
        with socket.socket() as sock:
            # As gunicorn binds: a port left in TIME_WAIT by the previous test's server is
            # free (without this a one-port CONSULT_TEST_PORTS skipped the next server test).
            sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
            try:
                sock.bind(("127.0.0.1", port))
            except OSError:
                continue
            return sock.getsockname()[1]
    pytest.skip(f"no free port in CONSULT_TEST_PORTS={wanted}")


@dataclass
class Reply:
    status: int
    headers: dict[str, str]
    body: bytes

    @property
    def text(self) -> str:
        return self.body.decode("utf-8")

    def soup(self) -> BeautifulSoup:
        return BeautifulSoup(self.text, "html.parser")


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


class Browser:
    """Plain HTTP with cookies, like a browser without JavaScript; redirects not followed."""

    def __init__(self, base: str) -> None:
        self.base = base
        self.opener = urllib.request.build_opener(
            urllib.request.HTTPCookieProcessor(http.cookiejar.CookieJar()), _NoRedirect()
        )

    def request(self, path: str, data: dict | None = None, headers: dict | None = None) -> Reply:
        body = urllib.parse.urlencode(data, doseq=True).encode() if data is not None else None
        request = urllib.request.Request(self.base + path, data=body, headers=headers or {})
        try:
            with self.opener.open(request, timeout=60) as answer:
                return Reply(answer.status, dict(answer.headers.items()), answer.read())
        except urllib.error.HTTPError as error:
            return Reply(error.code, dict(error.headers.items()), error.read())

    def form(self, path: str, data: dict, action: str | None = None) -> Reply:
        """GET the page, then POST ``data`` with its hidden fields (the CSRF token), to the
        page itself or to the form whose action is ``action``."""
        page = self.request(path)
        assert page.status == 200, (path, page.status)
        found = {"action": action} if action else {}
        form = page.soup().find("form", method="post", **found)
        assert form is not None, (path, action)
        fields = {i["name"]: i.get("value", "") for i in form.find_all("input", type="hidden")}
        return self.request(action or path, {**fields, **data})


def signed_in_browser(base: str, email: str) -> Browser:
    """A :class:`Browser` signed in to the served app's staff pages as ``email`` (password
    ``tests.staff_helpers.PASSWORD``) through the sign-in form, as staff sign in: the one
    set-up of every served test that reads staff pages (tidy29 #7)."""
    staff = Browser(base)
    signed = staff.form("/staff/sign-in", {"email": email, "password": PASSWORD})
    assert signed.status == 302, signed.text[:300]
    assert "/staff/sign-in" not in signed.headers.get("Location", ""), signed.headers
    return staff


@pytest.fixture
def served(database_url, tmp_path, monkeypatch, backend, request):
    """The demo consultation and an admin on the test database, served by gunicorn with a
    job worker beside it; yields (base URL, consultation id, question id, admin email, server
    log path, app). At the end the worker is told to stop before gunicorn is, so that the two
    stop at the same time.

    A module whose tests queue no job sets ``SERVED_WITH_WORKER = False``, and a test that
    queues none in a module whose others do is marked ``@pytest.mark.served_without_worker``:
    then no worker is started (its start-up, the app and the analysis libraries imported, and
    a heartbeat every half second are several CPU seconds a test; a worker that is not there
    cannot change what those tests read, and a test that did queue a job would wait for it in
    vain and fail, not pass)."""
    instance = tmp_path / "instance"
    monkeypatch.setenv("CONSULT_INSTANCE_PATH", str(instance))
    settings: dict[str, object] = {
        "JOBS_QUEUE_NAME": f"test-{uuid.uuid4().hex[:12]}",
        "WORKER_HEARTBEAT_SECONDS": 0.5,
        "WORKER_POLL_SECONDS": 0.2,
        "LOG_FORMAT": "json",
    }
    if backend == "postgresql":
        redis = os.environ.get("CONSULT_TEST_REDIS_URL")
        if not redis:
            pytest.skip("CONSULT_TEST_REDIS_URL is not set: PostgreSQL runs with Redis")
        settings["REDIS_URL"] = redis
    app = create_app({"TESTING": True, "DATABASE_URL": database_url, **settings})
    with app.app_context():
        consultation = demo(60)
        _, question = question_numbered(consultation, "Why do you say that?")
        ids = (consultation.id, question.id)
        email = make_user("admin").email
        db.session.remove()
        db.engine.dispose()

    env = worker_environment(database_url, instance, **settings)
    with_worker = getattr(request.module, "SERVED_WITH_WORKER", True) and (
        request.node.get_closest_marker("served_without_worker") is None
    )
    worker = WorkerProcess(env, tmp_path / "worker.log") if with_worker else None
    try:
        with gunicorn_process(env, tmp_path / "gunicorn.log", workers=2) as (base, log_path):
            try:
                yield base, *ids, email, log_path, app
            finally:
                if worker is not None:
                    worker.terminate()
    finally:
        if worker is not None:
            worker.stop()
        if settings.get("REDIS_URL"):
            from consult.reports.queue import get_huey

            get_huey(app).flush()


@contextlib.contextmanager
def gunicorn_process(env: dict[str, str], log_path: Path, workers: int = 1):
    """The app under gunicorn (``gunicorn.conf.py``) with ``env``, on a free port, logging to
    ``log_path``: yields ``(base URL, log path)`` once it answers, and stops it after."""
    port = free_port()
    server_env = {**env, "GUNICORN_BIND": f"127.0.0.1:{port}", "GUNICORN_WORKERS": str(workers)}
    with open(log_path, "wb") as log:
        server = subprocess.Popen(
            [sys.executable, "-m", "gunicorn", "-c", "gunicorn.conf.py", "wsgi:app"],
            cwd=ROOT,
            env=server_env,
            stdout=log,
            stderr=subprocess.STDOUT,
        )
    base = f"http://127.0.0.1:{port}"
    try:
        # Generous: it costs time only when something is broken, and on a loaded machine (or
        # pytest-xdist workers sharing two CPUs) the workers' boot took over 60 s (BENCHMARKS.md
        # "xdist").
        deadline = time.monotonic() + HEALTHZ_WAIT
        while True:
            assert server.poll() is None, log_path.read_text()
            try:
                urllib.request.urlopen(base + "/healthz", timeout=2).close()
                # ours, not another process that took the port before gunicorn bound it
                # (flaky30): else wait, for gunicorn to bind or to exit saying why
                if listens_on(server.pid, port) is not False:
                    break
                raise OSError(f"port {port} is answered by another process")
            except OSError:
                if time.monotonic() > deadline:
                    pytest.fail("gunicorn did not start: " + log_path.read_text())
                time.sleep(0.2)
        yield base, log_path
    finally:
        server.terminate()
        try:
            server.wait(timeout=30)
        except subprocess.TimeoutExpired:
            server.kill()
            server.wait(timeout=30)


def stored_responses(app) -> int:
    with app.app_context():
        count = db.session.scalar(select(func.count(Response.id)))
        db.session.remove()
        db.engine.dispose()
        return count


def test_every_kind_of_response_from_gunicorn(served):
    base, consultation_id, question_id, email, log_path, app = served
    anonymous = Browser(base)

    # A page: the start page, without the server's name or version, never cached.
    home = anonymous.request("/")
    assert home.status == 200 and home.headers["Content-Type"].startswith("text/html")
    assert home.soup().find("h1") is not None
    assert home.headers["Server"] == "consult"
    assert home.headers["Cache-Control"] == "no-store"
    assert len(home.headers["X-Request-ID"]) == 32

    # A Host label over 63 characters: a 400 page (it was a 500 on every URL).
    odd = anonymous.request("/", headers={"Host": "a" * 64 + ".example"})
    assert odd.status == 400 and "Sorry, there is a problem" in odd.text

    # Staff: sign in through the form.
    staff = signed_in_browser(base, email)

    # A streamed export: CSV, sent in chunks, every response once (drafts chosen too).
    export = staff.request(f"/staff/consultations/{consultation_id}/export.csv?status=any")
    assert export.status == 200, export.text[:300]
    assert export.headers.get("Transfer-Encoding") == "chunked"
    assert export.headers["Content-Disposition"].startswith("attachment;")
    assert export.headers["Cache-Control"] == "no-store"
    rows = list(csv.DictReader(io.StringIO(export.text.lstrip("\ufeff"))))
    expected = stored_responses(app)
    assert expected > 0 and len(rows) == expected
    assert len({row["reference"] for row in rows}) == expected
    # ...and XLSX, streamed too, read back whole.
    workbook = staff.request(f"/staff/consultations/{consultation_id}/export.xlsx?status=any")
    assert workbook.status == 200 and workbook.body[:2] == b"PK"
    sheet = load_workbook(io.BytesIO(workbook.body), read_only=True).active
    assert sum(1 for _ in sheet.iter_rows()) == expected + 1

    # A job: started on the web page, run by the worker, its progress polled as JSON.
    started = staff.form(
        f"/staff/reports/consultations/{consultation_id}/new",
        {"question": str(question_id), "engine": "fast", "themes": "4", "seed": "1"},
    )
    assert started.status == 302, started.text[:500]
    run_path = urllib.parse.urlsplit(started.headers["Location"]).path
    deadline = time.monotonic() + 240
    while True:
        status = staff.request(run_path + "/status")
        assert status.status == 200 and status.headers["Content-Type"] == "application/json"
        progress = json.loads(status.body)
        if progress["finished"]:
            break
        assert time.monotonic() < deadline, progress
        time.sleep(0.3)
    assert progress["status"] == "succeeded", progress
    report = staff.request(run_path)
    assert report.status == 200 and "Why do you say that?" in report.text

    # A download: the run's Word report.
    word = staff.request(run_path + "/report.docx")
    assert word.status == 200 and word.body[:2] == b"PK"
    assert word.headers["Content-Length"] == str(len(word.body))
    assert word.headers["Cache-Control"] == "no-store"
    text = "\n".join(p.text for p in Document(io.BytesIO(word.body)).paragraphs)
    assert "Why do you say that?" in text

    # ...and one Word report of every analysed question, linked from the overview.
    overview = staff.request(f"/staff/reports/consultations/{consultation_id}").soup()
    link = overview.find("a", string="Download a Word report of every analysed question")
    assert link is not None
    whole = staff.request(link["href"])
    assert whole.status == 200 and whole.body[:2] == b"PK", whole.text[:300]
    assert whole.headers["Content-Disposition"].endswith('-theme-reports.docx"')
    assert whole.headers["Content-Length"] == str(len(whole.body))
    document = Document(io.BytesIO(whole.body))
    whole_text = "\n".join(p.text for p in document.paragraphs)
    assert "question by question" in whole_text and "Why do you say that?" in whole_text
    assert "No question of this consultation has been analysed yet." not in whole_text

    code_against_a_codebook(staff, run_path, question_id, consultation_id, app)

    # The health check, with the worker seen.
    health = anonymous.request("/healthz")
    assert health.status == 200
    assert json.loads(health.body) == {
        "status": "ok",
        "database": "ok",
        "queue": "ok",
        "pending_jobs": 0,
        "worker_running": True,
    }

    # Every request was logged as a JSON line with its request id; no error was logged.
    lines = [json.loads(line) for line in log_path.read_text().splitlines() if line.startswith("{")]
    requests_seen = [line for line in lines if line["logger"] == "consult.requests"]
    assert any(line["request_id"] == home.headers["X-Request-ID"] for line in requests_seen)
    assert {line["status"] for line in requests_seen} <= {200, 302, 400}
    assert not [line for line in lines if line["level"] in ("ERROR", "CRITICAL")]
    assert "Traceback" not in log_path.read_text()


def code_against_a_codebook(staff: Browser, run_path: str, question_id: int, consultation_id, app):
    """The run's themes become the codebook, six answers are coded on the coding page, the
    worker applies the model, and the report (page, CSV, Excel, Word) and the response
    export carry the coding, people's and the model's, with how many of each."""
    coding_path = f"/staff/reports/questions/{question_id}/coding"
    made = staff.form(coding_path, {"confirmed": "yes"}, action=f"{run_path}/codebook")
    assert made.status == 302, made.text[:300]
    # making a codebook applies the model at once (code18): the worker finishes that first
    deadline = time.monotonic() + 240
    while not json.loads(staff.request(f"{coding_path}/status").body)["finished"]:
        assert time.monotonic() < deadline, "the worker never applied the new codebook"
        time.sleep(0.5)
    for number in range(6):
        nxt = staff.request(f"{coding_path}/next")
        assert nxt.status == 302, nxt.text[:300]
        code_path = urllib.parse.urlsplit(nxt.headers["Location"]).path
        page = staff.request(code_path).soup()
        keys = [box["value"] for box in page.find_all("input", {"name": "themes"})]
        saved = staff.form(
            code_path,
            {"themes": keys[number % len(keys)], "stance": ("for", "against")[number % 2]},
        )
        assert saved.status == 302, saved.text[:300]
    applied = staff.form(coding_path, {}, action=f"{coding_path}/apply")
    assert applied.status == 302, applied.text[:300]
    deadline = time.monotonic() + 240
    while "by the model (applied" not in staff.request(coding_path).text:
        assert "application of the model failed" not in staff.request(coding_path).text
        assert time.monotonic() < deadline, "the worker never applied the model"
        time.sleep(0.5)

    section = staff.request(run_path).soup().find(id="coded")
    assert section is not None and "Coded against the codebook" in section.get_text()
    counts = section.find(id="coded-counts").get_text(" ", strip=True)
    assert "6 coded by people" in counts and "by the model" in counts
    human_total = [
        int(row.find_all("td")[0].get_text())
        for row in section.find(id="coded-themes").find("tbody").find_all("tr")
    ]
    assert sum(human_total) == 6

    listing = staff.request(run_path + "/report.csv")
    assert listing.status == 200 and listing.headers["Content-Length"] == str(len(listing.body))
    rows = list(csv.DictReader(io.StringIO(listing.text.lstrip("\ufeff"))))
    sources = {row["codebook_source"] for row in rows}
    # learnt from 6 codes, the model leaves its least sure answers "unsure" (a higher floor
    # while people have coded few: analysis.coding_floor.floor_for)
    assert {"human", "model"} <= sources <= {"human", "model", "unsure"}
    assert sum(r["codebook_source"] == "human" for r in rows) == 6
    workbook = staff.request(run_path + "/report.xlsx")
    assert workbook.status == 200 and workbook.body[:2] == b"PK"
    book = load_workbook(io.BytesIO(workbook.body), read_only=True)
    figures = dict(book["Codebook coding"].iter_rows(values_only=True))
    assert figures["Coded by people"] == 6 and figures["Coded by the model"] > 0
    word = staff.request(run_path + "/report.docx")
    text = "\n".join(p.text for p in Document(io.BytesIO(word.body)).paragraphs)
    assert "Coded against the codebook" in text and "6 coded by people" in text

    # The streamed export reads the coding through its own session, after the request.
    export = staff.request(f"/staff/consultations/{consultation_id}/export.csv")
    assert export.status == 200 and export.headers.get("Transfer-Encoding") == "chunked"
    table = list(csv.reader(io.StringIO(export.text.lstrip("\ufeff"))))
    column = next(i for i, name in enumerate(table[0]) if name.endswith("coding source"))
    found = [row[column] for row in table[1:]]
    assert found.count("human") == 6 and "model" in found


def test_make_serve_migrates_serves_and_stops_on_ctrl_c(tmp_path, backend):
    """``make serve`` on a fresh instance: migrates, starts gunicorn and a job worker, and
    Ctrl+C (SIGINT to the terminal's process group) stops every process it started."""
    if backend != "sqlite":
        pytest.skip("the embedded SQLite default")
    if not (ROOT / ".venv" / "bin" / "gunicorn").exists():
        pytest.skip("make serve runs the project's .venv")
    port = free_port()
    env = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith(("CONSULT_", "GUNICORN_")) or key == "CONSULT_ANALYSIS_CACHE"
    }
    env.update(
        CONSULT_INSTANCE_PATH=str(tmp_path / "instance"),
        GUNICORN_BIND=f"127.0.0.1:{port}",
        GUNICORN_WORKERS="1",
        PYTHONPATH=str(ROOT),
    )
    log_path = tmp_path / "serve.log"
    with open(log_path, "wb") as log:
        make = subprocess.Popen(
            ["make", "--no-print-directory", "-o", "install", "serve"],
            cwd=ROOT,
            env=env,
            stdout=log,
            stderr=subprocess.STDOUT,
            start_new_session=True,  # its own process group, like a terminal's
        )
    group = make.pid
    try:
        deadline = time.monotonic() + HEALTHZ_WAIT
        while True:
            assert make.poll() is None, log_path.read_text()
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{port}/healthz", timeout=2) as r:
                    health = json.loads(r.read())
                if health["worker_running"]:
                    break
            except OSError:
                pass
            assert time.monotonic() < deadline, log_path.read_text()
            time.sleep(0.5)
        assert health["status"] == "ok"
        assert (tmp_path / "instance" / "consult.sqlite").exists()  # migrated on start
        os.killpg(group, signal.SIGINT)
        make.wait(timeout=60)
        deadline = time.monotonic() + 30
        while _group_alive(group):
            assert time.monotonic() < deadline, "processes left running after Ctrl+C"
            time.sleep(0.2)
        with pytest.raises(OSError):
            urllib.request.urlopen(f"http://127.0.0.1:{port}/healthz", timeout=2)
    finally:
        if _group_alive(group):
            os.killpg(group, signal.SIGKILL)


def _group_alive(group: int) -> bool:
    """Whether a live (not zombie) process is left in the process group."""
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        if int(fields[2]) == group and fields[0] != "Z":
            return True
    return False
