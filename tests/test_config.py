"""Configuration layers, the instance secret key, and the purity of analysis/."""

from __future__ import annotations

import ast
import json
import multiprocessing
import os
import stat
import subprocess
import sys
from pathlib import Path

from consult import create_app
from consult.config import load_secret_key


def test_secret_key_is_generated_once_and_kept(tmp_path, monkeypatch):
    monkeypatch.setenv("CONSULT_INSTANCE_PATH", str(tmp_path))
    monkeypatch.delenv("CONSULT_SECRET_KEY", raising=False)
    first = create_app({"DATABASE_URL": "sqlite://"}).config["SECRET_KEY"]
    second = create_app({"DATABASE_URL": "sqlite://"}).config["SECRET_KEY"]
    assert first == second and len(first) >= 64
    key_file = tmp_path / "secret_key"
    assert stat.S_IMODE(key_file.stat().st_mode) == 0o600
    other = tmp_path / "other"
    monkeypatch.setenv("CONSULT_INSTANCE_PATH", str(other))
    assert create_app({"DATABASE_URL": "sqlite://"}).config["SECRET_KEY"] != first


def _key_after_barrier(instance: str, barrier, keys) -> None:
    barrier.wait()
    keys.put(load_secret_key(instance))


def test_workers_starting_together_share_one_secret_key(tmp_path):
    """gunicorn's workers start at once on a fresh instance: all must end with one key.

    Each used to write its own, so a form made by one worker was refused by another.
    """
    context = multiprocessing.get_context("fork")
    workers = 12
    for round_number in range(5):
        instance = tmp_path / f"round{round_number}"
        barrier = context.Barrier(workers)
        keys = context.Queue()
        processes = [
            context.Process(target=_key_after_barrier, args=(str(instance), barrier, keys))
            for _ in range(workers)
        ]
        for process in processes:
            process.start()
        seen = {keys.get(timeout=30) for _ in processes}
        for process in processes:
            process.join(timeout=30)
        assert len(seen) == 1
        assert seen == {(instance / "secret_key").read_text().strip()}
        assert [path.name for path in instance.iterdir()] == ["secret_key"]


def test_instance_file_then_environment_override_defaults(tmp_path, monkeypatch):
    monkeypatch.setenv("CONSULT_INSTANCE_PATH", str(tmp_path))
    (tmp_path / "config.py").write_text(
        "SERVICE_NAME = 'From instance'\nMAIL_PORT = 2525\nDATABASE_URL = 'sqlite://'\n"
    )
    app = create_app()
    assert app.config["SERVICE_NAME"] == "From instance"
    assert app.config["MAIL_PORT"] == 2525
    monkeypatch.setenv("CONSULT_MAIL_PORT", "587")
    monkeypatch.setenv("CONSULT_DATABASE_URL", "postgresql://someone@db.example/consult")
    app = create_app()
    assert app.config["MAIL_PORT"] == 587
    assert (
        app.config["SQLALCHEMY_DATABASE_URI"] == "postgresql+psycopg://someone@db.example/consult"
    )


def test_default_database_is_sqlite_in_instance(tmp_path, monkeypatch):
    monkeypatch.setenv("CONSULT_INSTANCE_PATH", str(tmp_path))
    monkeypatch.delenv("CONSULT_DATABASE_URL", raising=False)
    app = create_app()
    assert app.config["SQLALCHEMY_DATABASE_URI"] == f"sqlite:///{tmp_path / 'consult.sqlite'}"


def test_analysis_never_imports_flask_or_consult():
    root = Path(__file__).resolve().parent.parent / "analysis"
    for path in root.rglob("*.py"):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            names = []
            if isinstance(node, ast.Import):
                names = [alias.name for alias in node.names]
            elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
                names = [node.module]
            for name in names:
                assert name.split(".")[0] not in {"flask", "consult"}, f"{path}: {name}"


# Libraries only analyses and coding need: every flask command, gunicorn worker and job
# worker would pay about 2 s importing them before doing anything (BENCHMARKS.md "ciquick").
ANALYSIS_ONLY = ("numpy", "scipy", "sklearn", "nltk", "pandas", "vaderSentiment")


def test_the_app_starts_without_the_analysis_libraries(tmp_path):
    """A fresh process builds the app, with every blueprint, without importing them; they
    come in with the first analysis (here: a report's sentiment word)."""
    probe = (
        "import json, sys\n"
        "import consult\n"
        "app = consult.create_app({'DATABASE_URL': 'sqlite://'})\n"
        f"heavy = {ANALYSIS_ONLY!r}\n"
        "before = [name for name in heavy if name in sys.modules]\n"
        "from consult.reports.wording import sentiment_tone\n"
        "word = sentiment_tone(-0.4)\n"
        "print(json.dumps({'rules': len(list(app.url_map.iter_rules())), 'before': before,\n"
        "                  'word': word, 'after': [n for n in heavy if n in sys.modules]}))\n"
    )
    root = Path(__file__).resolve().parent.parent
    env = {**os.environ, "PYTHONPATH": str(root), "CONSULT_INSTANCE_PATH": str(tmp_path)}
    done = subprocess.run(
        [sys.executable, "-c", probe], cwd=root, env=env, capture_output=True, text=True
    )
    assert done.returncode == 0, done.stderr
    seen = json.loads(done.stdout.strip().splitlines()[-1])
    assert seen["rules"] > 50  # the whole app was built: survey, staff and report routes
    assert seen["before"] == []
    assert seen["word"] == "negative" and "numpy" in seen["after"]


def test_the_unknown_account_check_costs_what_a_real_one_does():
    """The written-out dummy hash is scrypt with the parameters hash_password uses, so
    signing in as an unknown email takes as long as with a wrong password."""
    from werkzeug.security import check_password_hash

    from consult.staff.accounts import _DUMMY_HASH, check_password, hash_password

    assert _DUMMY_HASH.split("$")[0] == hash_password("any").split("$")[0]
    assert check_password_hash(_DUMMY_HASH, "not a real password")
    assert check_password(None, "not a real password") is False


def test_an_sqlite_file_is_in_write_ahead_log_mode(app):
    """Web server, job worker and long exports read while another process writes."""
    from sqlalchemy import text

    from consult.extensions import db

    if not app.config["SQLALCHEMY_DATABASE_URI"].startswith("sqlite:///"):
        return
    with db.engine.connect() as connection:
        assert connection.execute(text("PRAGMA journal_mode")).scalar() == "wal"
