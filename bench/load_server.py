"""The server side of ``bench/load.py``: a fresh database, gunicorn processes, CPU accounting.

A fresh database is prepared the way an operator would: the project's migrations
(``flask db upgrade``) and the demo (``flask demo load``), each run as its own command. Extra
invitations with known tokens are added so some partners come in by invitation link.
"""

from __future__ import annotations

import contextlib
import os
import signal
import socket
import subprocess
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from sqlalchemy import create_engine, select, text

ROOT = Path(__file__).resolve().parent.parent
CLOCK_TICKS = os.sysconf("SC_CLK_TCK")


def server_env(
    database_url: str, instance: Path, extra: dict[str, str] | None = None, root: Path = ROOT
) -> dict:
    """The environment for the app's commands and server: this worktree's code, this
    database, this instance folder, a fixed secret key (cookies outlive a restart) and
    rate limits relaxed, since every simulated partner comes from 127.0.0.1."""
    env = dict(os.environ)
    env.update(
        {
            "PYTHONPATH": str(root),
            "CONSULT_DATABASE_URL": database_url,
            "CONSULT_INSTANCE_PATH": str(instance),
            "CONSULT_SECRET_KEY": "load-bench-secret-key-0123456789abcdef",
            "CONSULT_RATELIMIT_ENABLED": "false",
        }
    )
    env.update(extra or {})
    return env


def _flask(env: dict, *args: str) -> str:
    command = [sys.executable, "-m", "flask", "--app", "consult", *args]
    done = subprocess.run(command, env=env, cwd=ROOT, capture_output=True, text=True, timeout=600)
    if done.returncode != 0:
        raise RuntimeError(f"{' '.join(args)} failed:\n{done.stderr[-2000:]}")
    return done.stdout.strip()


def reset_postgres(url: str) -> None:
    """Empty a PostgreSQL database's public schema (only ever the bench's own database)."""
    engine = create_engine(url)
    with engine.begin() as connection:
        connection.execute(text("DROP SCHEMA public CASCADE"))
        connection.execute(text("CREATE SCHEMA public"))
    engine.dispose()


def prepare_database(
    database_url: str, instance: Path, env_extra: dict | None = None, responses: int = 300
) -> str:
    """A fresh database at ``database_url``: migrated, with the demo loaded. Returns the
    demo command's own summary line."""
    instance.mkdir(parents=True, exist_ok=True)
    if database_url.startswith("sqlite:///"):
        path = Path(database_url.removeprefix("sqlite:///"))
        for suffix in ("", "-wal", "-shm"):
            Path(f"{path}{suffix}").unlink(missing_ok=True)
    else:
        reset_postgres(database_url)
    env = server_env(database_url, instance, env_extra)
    _flask(env, "db", "upgrade")
    return _flask(env, "demo", "load", "--responses", str(responses))


def app_for(database_url: str, instance: Path, **config: Any):
    """The app (in this process) on the bench's database, for setup and verification; rate
    limits off, as for the server (every simulated partner comes from one address)."""
    os.environ["CONSULT_INSTANCE_PATH"] = str(instance)
    from consult import create_app

    settings = {
        "DATABASE_URL": database_url,
        "SECRET_KEY": "bench-setup",
        "RATELIMIT_ENABLED": False,
    }
    return create_app(settings | config)


def consultation_definition(app, slug: str) -> dict[str, Any]:
    """The consultation's pages and questions as plain data for the client."""
    from consult.answers import choices
    from consult.models import Consultation, text_limit

    with app.app_context():
        from consult.extensions import db

        consultation = db.session.scalar(select(Consultation).where(Consultation.slug == slug))
        definition = {
            "slug": consultation.slug,
            "sections": [
                {
                    "position": section.position,
                    "questions": [
                        {
                            "id": q.id,
                            "field": q.field_name,
                            "kind": q.kind,
                            "limit": text_limit(q) or 0,
                            "options": [value for value, _ in choices(q)],
                        }
                        for q in section.questions
                    ],
                }
                for section in consultation.sections
            ],
        }
        db.engine.dispose()
    return definition


def add_invitations(app, slug: str, count: int, label: str) -> list[str]:
    """``count`` new organisations invited to the consultation; their plain tokens."""
    from consult.extensions import db
    from consult.models import Consultation, Invitation, Organisation, utcnow
    from consult.tokens import hash_token, new_token

    tokens = []
    with app.app_context():
        consultation = db.session.scalar(select(Consultation).where(Consultation.slug == slug))
        expires = consultation.closes_at or utcnow()
        for number in range(count):
            token = new_token()
            organisation = Organisation(
                name=f"Invited {label} {number}",
                partner_type="business",
                size_band="micro",
                area="coventry",
                contact_email=f"invited-{label}-{number}@example.org",
            )
            db.session.add(
                Invitation(
                    consultation=consultation,
                    organisation=organisation,
                    token_hash=hash_token(token),
                    expires_at=expires,
                )
            )
            tokens.append(token)
        db.session.commit()
        db.engine.dispose()
    return tokens


# --- processes and their CPU ---------------------------------------------------------------


def process_cpu(pid: int) -> float:
    """User plus system CPU seconds of one process (0 when it has gone)."""
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except (FileNotFoundError, ProcessLookupError):
        return 0.0
    return (int(fields[11]) + int(fields[12])) / CLOCK_TICKS


def alive(pid: int) -> bool:
    """Whether a process still runs (a zombie waiting to be reaped does not)."""
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except (FileNotFoundError, ProcessLookupError):
        return False
    return state not in ("Z", "X")


def children(pid: int) -> list[int]:
    """The direct children of a process."""
    found = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                stat = (entry / "stat").read_text().rsplit(")", 1)[1].split()
            except (FileNotFoundError, ProcessLookupError):
                continue
            if int(stat[1]) == pid:
                found.append(int(entry.name))
    return found


def machine_busy() -> tuple[float, float]:
    """(busy, total) CPU seconds of the whole machine since boot, from /proc/stat."""
    values = [int(v) for v in Path("/proc/stat").read_text().split("\n", 1)[0].split()[1:]]
    idle = values[3] + values[4]
    return (sum(values) - idle) / CLOCK_TICKS, sum(values) / CLOCK_TICKS


def port_open(port: int, host: str = "127.0.0.1") -> bool:
    """Whether something accepts connections on ``host:port``."""
    with socket.socket() as sock:
        sock.settimeout(0.2)
        return sock.connect_ex((host, port)) == 0


def answers(port: int, host: str = "127.0.0.1") -> bool:
    """Whether an HTTP server on ``host:port`` answers ``GET /`` with any status."""
    try:
        with socket.create_connection((host, port), timeout=5) as sock:
            sock.sendall(f"GET / HTTP/1.1\r\nHost: {host}\r\nConnection: close\r\n\r\n".encode())
            return sock.recv(12).startswith(b"HTTP/1.")
    except OSError:
        return False


@dataclass
class Gunicorn:
    """One gunicorn master and its workers, started and stopped by the bench."""

    app: str  # e.g. "consult:create_app()"
    port: int
    env: dict
    root: Path = ROOT  # the code to serve (the worktree, or a copy of an older commit)
    workers: int = 2
    threads: int = 4  # above 1: gunicorn's gthread worker (keep-alive connections)
    log: Path | None = None
    process: subprocess.Popen | None = None
    _worker_cpu: dict[int, float] = field(default_factory=dict)

    def start(self, wait: float = 60.0) -> None:
        """Start gunicorn and wait until it accepts connections."""
        if port_open(self.port):
            raise RuntimeError(f"port {self.port} is already in use")
        command = [
            sys.executable,
            "-m",
            "gunicorn",
            self.app,
            "--bind",
            f"127.0.0.1:{self.port}",
            "--workers",
            str(self.workers),
            "--threads",
            str(self.threads),
            "--worker-class",
            "gthread" if self.threads > 1 else "sync",
            "--timeout",
            "60",
            "--graceful-timeout",
            "10",
            "--log-level",
            "warning",
            "--no-control-socket",  # gunicorn's default socket path is shared by every server
            "--preload",  # import once in the master, so every worker is ready when it forks
        ]
        out = open(self.log, "ab") if self.log else subprocess.DEVNULL  # noqa: SIM115
        self.process = subprocess.Popen(
            command,
            env=self.env,
            cwd=self.root,
            stdout=out,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
        deadline = time.monotonic() + wait
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"gunicorn {self.app} exited with {self.process.returncode}")
            if len(children(self.process.pid)) >= self.workers and answers(self.port):
                return
            time.sleep(0.1)
        raise RuntimeError(f"gunicorn {self.app} did not start in {wait:.0f} s")

    def pids(self) -> list[int]:
        """The master's and the workers' process ids."""
        if self.process is None or self.process.poll() is not None:
            return []
        return [self.process.pid, *children(self.process.pid)]

    def cpu(self) -> float:
        """CPU seconds used by the master and every worker so far (workers that exited
        keep their last reading)."""
        for pid in self.pids():
            self._worker_cpu[pid] = max(self._worker_cpu.get(pid, 0.0), process_cpu(pid))
        return sum(self._worker_cpu.values())

    def stop(self) -> None:
        """Stop gracefully (SIGTERM to the master), then make sure nothing is left."""
        if self.process is None:
            return
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)
            try:
                self.process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                self.kill9()
        self.process = None

    def kill9(self) -> list[int]:
        """``kill -9`` the master and every worker at once, as a power cut would."""
        pids = self.pids()
        for pid in pids:
            with contextlib.suppress(ProcessLookupError):
                os.kill(pid, signal.SIGKILL)
        if self.process is not None:
            self.process.wait(timeout=10)
        deadline = time.monotonic() + 10
        while time.monotonic() < deadline and any(alive(pid) for pid in pids):
            time.sleep(0.05)
        self.process = None
        self._worker_cpu.clear()
        return pids
