"""Fixtures: a real app on a real database file or server, migrated with the project's own
migrations.

Tests run on SQLite. Modules marked ``pytest.mark.backends("sqlite", "postgresql")`` run on
the PostgreSQL server named by ``CONSULT_TEST_DATABASE_URL`` too (skipped when it is unset).
Each database is migrated once per test session: SQLite tests get a copy of a migrated file,
PostgreSQL tests get the migrated schema with every table emptied before the test.
"""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest
from flask import g
from flask_migrate import upgrade
from sqlalchemy import Engine, create_engine, text

from consult import create_app
from consult.extensions import db
from tests import workers


def pytest_configure(config):
    config.addinivalue_line("markers", "backends(*names): databases to run these tests on")
    config.addinivalue_line(
        "markers", "served_without_worker: tests/test_gunicorn.py's served starts no job worker"
    )
    config.addinivalue_line(
        "markers",
        f"{workers.ENCODER_MARKER}: this file's tests may read the installed coding encoder"
        " (under `make test` they wait for its build: tests/workers.py, ENCODER_MARKER)",
    )
    # Under pytest-xdist (``make test``): this worker's own database, Redis db, ports and
    # instance folder (tests/workers.py); nothing changes in a serial run.
    workers.isolate(config)
    # ... and the dearest files handed out first (tests/workers.py, dearest_files_first).
    workers.keep_our_order(config)
    # Embeddings made by tests are cached in a throwaway folder, not in the user's home.
    import tempfile

    os.environ.setdefault("CONSULT_ANALYSIS_CACHE", tempfile.mkdtemp(prefix="consult-cache-"))
    # Compiled templates kept for the session's processes (consult.templating): each server,
    # gunicorn worker and ``flask`` command the tests start loads the code the first one
    # compiled instead of compiling every template again (about 1.5 CPU seconds a process).
    # Made once, by the first process (xdist's workers inherit it), and removed at its exit.
    if not os.environ.get("CONSULT_COMPILED_TEMPLATES_FOLDER"):
        import atexit

        folder = tempfile.mkdtemp(prefix="consult-templates-")
        atexit.register(shutil.rmtree, folder, True)
        os.environ["CONSULT_COMPILED_TEMPLATES_FOLDER"] = folder


def pytest_collection_modifyitems(config, items):
    workers.order_for_workers(config, items)


# Under `make test` the coding encoder is built beside the tests (tests/workers.py,
# ENCODER_BUILD): a file marked `coding_encoder` waits for the build; the others are guarded.
def _guarded(item) -> bool:
    return workers.encoder_build() is not None and not workers.item_uses_coding_encoder(item)


@pytest.hookimpl(tryfirst=True)
def pytest_runtest_setup(item):
    if workers.encoder_build() is not None and workers.item_uses_coding_encoder(item):
        workers.wait_for_encoder_build(workers.encoder_build())


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_protocol(item, nextitem):
    if not _guarded(item):
        yield
        return
    before = os.environ.get(workers.ENCODER_SETTING)
    os.environ[workers.ENCODER_SETTING] = str(workers.guard().folder)
    try:
        yield
    finally:
        if before is None:
            os.environ.pop(workers.ENCODER_SETTING, None)
        else:
            os.environ[workers.ENCODER_SETTING] = before


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item, call):
    outcome = yield
    if _guarded(item) and workers.guard().opened():
        report = outcome.get_result()
        message = workers.GUARD_MESSAGE.format(path=item.nodeid.split("::", 1)[0])
        report.outcome = "failed"
        report.longrepr = f"{report.longrepr}\n\n{message}" if report.longrepr else message


def pytest_generate_tests(metafunc):
    if "backend" in metafunc.fixturenames:
        marker = metafunc.definition.get_closest_marker("backends")
        names = marker.args if marker else ("sqlite",)
        metafunc.parametrize("backend", names, indirect=True)


@pytest.fixture
def backend(request) -> str:
    return getattr(request, "param", "sqlite")


def postgres_url() -> str:
    url = os.environ.get("CONSULT_TEST_DATABASE_URL")
    if not url:
        pytest.skip("CONSULT_TEST_DATABASE_URL is not set (CI sets it; see .ci/run)")
    if os.environ.get("PYTEST_XDIST_WORKER"):
        workers.ensure_database(url)  # this worker's own database, made on first use
    return url


def reset_postgres(url: str) -> None:
    """Empty the test database's public schema so migrations start from nothing."""
    engine = _engine(url)
    with engine.begin() as connection:
        connection.execute(text("DROP SCHEMA public CASCADE"))
        connection.execute(text("CREATE SCHEMA public"))
    engine.dispose()


def _engine(url: str):
    return create_engine(url.replace("postgresql://", "postgresql+psycopg://", 1))


def migrate_postgres(url: str) -> None:
    """Upgrade the PostgreSQL test database to the newest migration."""
    app = create_app({"TESTING": True, "DATABASE_URL": url, "SECRET_KEY": "template"})
    with app.app_context():
        upgrade()
        db.engine.dispose()


_engines: dict[str, Engine] = {}


def _session_engine(url: str) -> Engine:
    """One pooled engine per database for the whole session (connecting costs more than
    emptying a few small tables)."""
    if url not in _engines:
        _engines[url] = _engine(url)
    return _engines[url]


def truncate_postgres(url: str) -> None:
    """Empty every table (keeping the schema and Alembic's version); migrate if it is gone.

    Only the tables holding rows are emptied, with ``DELETE`` (far cheaper than truncating
    every table), and every sequence a test has drawn from is restarted, so each test starts
    exactly as after ``TRUNCATE ... RESTART IDENTITY``. Foreign-key triggers are skipped for
    the clean-up (``session_replication_role``): every referencing row goes too.

    A test that rebuilds the schema (``tests/test_migrations.py``) leaves it upgraded, but
    an interrupted one may not: then the schema is migrated again.
    """
    engine = _session_engine(url)
    with engine.begin() as connection:
        tables = connection.scalars(
            text(
                "SELECT tablename FROM pg_tables WHERE schemaname = 'public'"
                " AND tablename <> 'alembic_version'"
            )
        ).all()
        migrated = connection.scalar(text("SELECT to_regclass('public.alembic_version')"))
        if tables and migrated:
            filled = connection.scalars(
                text(
                    " UNION ALL ".join(
                        f"SELECT '{name}' WHERE EXISTS (SELECT 1 FROM \"{name}\")"
                        for name in tables
                    )
                )
            ).all()
            if filled:
                connection.execute(text("SET LOCAL session_replication_role = replica"))
                for name in filled:
                    connection.execute(text(f'DELETE FROM "{name}"'))
            used = connection.scalars(
                text(
                    "SELECT quote_ident(schemaname) || '.' || quote_ident(sequencename)"
                    " FROM pg_sequences WHERE schemaname = 'public'"
                    " AND last_value IS NOT NULL"
                )
            ).all()
            for sequence in used:
                connection.execute(text(f"ALTER SEQUENCE {sequence} RESTART"))
    if not (tables and migrated):
        engine.dispose()
        reset_postgres(url)
        migrate_postgres(url)


@pytest.fixture(scope="session")
def postgres_migrated() -> str:
    """The PostgreSQL test database, emptied and migrated once for the whole session."""
    url = postgres_url()
    reset_postgres(url)
    migrate_postgres(url)
    return url


@pytest.fixture(scope="session")
def migrated_template(tmp_path_factory) -> Path:
    """An SQLite file upgraded once with Alembic; each test gets its own copy."""
    folder = tmp_path_factory.mktemp("template")
    path = folder / "template.sqlite"
    app = create_app(
        {"TESTING": True, "DATABASE_URL": f"sqlite:///{path}", "SECRET_KEY": "template"}
    )
    with app.app_context():
        upgrade()
        db.engine.dispose()
    return path


@pytest.fixture
def database_url(backend, tmp_path, migrated_template, request) -> str:
    if backend == "postgresql":
        url = request.getfixturevalue("postgres_migrated")
        truncate_postgres(url)
        return url
    database = tmp_path / "consult.sqlite"
    shutil.copy(migrated_template, database)
    return f"sqlite:///{database}"


@pytest.fixture
def app(database_url, tmp_path, monkeypatch):
    monkeypatch.setenv("CONSULT_INSTANCE_PATH", str(tmp_path / "instance"))
    app = create_app({"TESTING": True, "DATABASE_URL": database_url, "SERVER_NAME": "localhost"})

    @app.before_request
    def _fresh_request_globals():
        # The fixture keeps one app context pushed, which Flask then reuses for every test
        # request; a browser's requests would each get a fresh ``g``.
        for key in list(vars(g)):
            delattr(g, key)

    with app.app_context():
        yield app
        db.session.remove()
        db.engine.dispose()


@pytest.fixture
def client(app):
    return app.test_client()
