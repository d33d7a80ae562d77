"""Fixtures: a real app on a real SQLite file, migrated with the project's own migrations."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from flask import g
from flask_migrate import upgrade

from consult import create_app
from consult.extensions import db


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
def app(tmp_path, migrated_template, monkeypatch):
    monkeypatch.setenv("CONSULT_INSTANCE_PATH", str(tmp_path / "instance"))
    database = tmp_path / "consult.sqlite"
    shutil.copy(migrated_template, database)
    app = create_app(
        {"TESTING": True, "DATABASE_URL": f"sqlite:///{database}", "SERVER_NAME": "localhost"}
    )

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
