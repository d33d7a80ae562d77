"""consult: a stakeholder consultation survey for the West Midlands Combined Authority."""

from __future__ import annotations

import os
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from flask import Flask
from jinja2 import ChoiceLoader, FileSystemLoader, PackageLoader, PrefixLoader

from .config import DEFAULTS, default_database_url, load_secret_key

PROJECT_ROOT = Path(__file__).resolve().parent.parent


def create_app(config: Mapping[str, Any] | None = None) -> Flask:
    """Build the Flask application.

    Configuration is layered: :data:`consult.config.DEFAULTS`, then ``instance/config.py``,
    then ``CONSULT_*`` environment variables, then ``config`` (used by tests).
    """
    from .urls import App

    instance_path = os.environ.get("CONSULT_INSTANCE_PATH") or str(PROJECT_ROOT / "instance")
    app = App(
        __name__,
        instance_path=instance_path,
        instance_relative_config=True,
        template_folder=str(PROJECT_ROOT / "templates"),
    )
    from .templating import COMPILED_TEMPLATES, Environment

    app.jinja_environment = Environment  # before app.jinja_env is first used
    app.config.from_mapping(DEFAULTS)
    app.config.from_pyfile("config.py", silent=True)
    app.config.from_prefixed_env("CONSULT")
    if config:
        app.config.from_mapping(config)
    _finish_config(app)
    # the process's compiled templates (shared by its apps) kept where the newest app says
    COMPILED_TEMPLATES.folder = app.config["COMPILED_TEMPLATES_FOLDER"] or None
    from .edge import init_app as init_edge

    init_edge(app)  # before any route is added: bounded ids, no control characters

    app.jinja_loader = ChoiceLoader(
        [
            FileSystemLoader(str(PROJECT_ROOT / "templates")),
            PrefixLoader({"govuk_frontend_jinja": PackageLoader("govuk_frontend_jinja")}),
        ]
    )
    app.jinja_env.trim_blocks = True
    app.jinja_env.lstrip_blocks = True

    from .logs import configure_logging, register_request_log

    if not app.testing:
        configure_logging(app)
    register_request_log(app)

    from . import (
        models,  # noqa: F401  (register the tables with the metadata)
        published,  # noqa: F401  (renew definition keys on every change)
    )
    from .extensions import csrf, db, migrate

    db.init_app(app)
    if app.config["SQLALCHEMY_DATABASE_URI"].startswith("sqlite:///"):
        from sqlalchemy import event

        from .extensions import use_write_ahead_log

        with app.app_context():
            event.listen(db.engine, "connect", use_write_ahead_log)
    elif app.config["SQLALCHEMY_DATABASE_URI"].startswith("postgresql") and not app.config[
        "SQLALCHEMY_ENGINE_OPTIONS"
    ].get("pool_pre_ping"):
        from .pool import ping_idle_connections

        with app.app_context():
            ping_idle_connections(db.engine, float(app.config["POSTGRES_PING_IDLE_SECONDS"]))
    migrate.init_app(app, db, directory=str(PROJECT_ROOT / "migrations"))
    from .uploads import init_app as init_uploads

    init_uploads(app)  # before csrf: its check reads the form, within the body limit
    csrf.init_app(app)
    from .sessions import init_app as init_sessions

    init_sessions(app)
    from .csrf_expiry import init_app as init_csrf_expiry

    init_csrf_expiry(app)

    from .staff.permissions import login_manager

    # Templates get Flask-Login's ``current_user`` proxy, which loads the user only when a
    # page reads it (staff pages), not on every partner page.
    login_manager.init_app(app, add_context_processor=False)
    from flask_login import current_user

    app.context_processor(lambda: {"current_user": current_user})

    from .errors import register_error_pages
    from .fragments import register_components
    from .security import register_security_headers
    from .survey import bp as survey_bp
    from .templating import register_template_helpers

    csrf.exempt(survey_bp)  # survey forms check CSRF themselves, so typed answers survive expiry
    app.register_blueprint(survey_bp)
    from .staff import bp as staff_bp

    app.register_blueprint(staff_bp)
    from .pages import bp as pages_bp

    app.register_blueprint(pages_bp)
    from .health import bp as health_bp

    app.register_blueprint(health_bp)
    from .reports import init_app as init_reports

    init_reports(app)
    register_error_pages(app)
    register_security_headers(app)
    register_template_helpers(app)
    register_components(app)

    from .proxy import init_app as init_proxy

    init_proxy(app)
    from .limits import init_app as init_limits

    init_limits(app)

    from .cli import register_commands

    register_commands(app)
    return app


def _finish_config(app: Flask) -> None:
    """Fill in derived settings: secret key, database URL, engine options, proxies and
    HTTPS."""
    os.makedirs(app.instance_path, exist_ok=True)
    if not app.config.get("SECRET_KEY"):
        app.config["SECRET_KEY"] = load_secret_key(app.instance_path)
    url = app.config.get("DATABASE_URL") or app.config.get("SQLALCHEMY_DATABASE_URI")
    url = url or default_database_url(app.instance_path)
    if url.startswith("postgresql://") or url.startswith("postgres://"):
        url = "postgresql+psycopg://" + url.split("://", 1)[1]
    app.config["SQLALCHEMY_DATABASE_URI"] = url
    options = app.config.setdefault("SQLALCHEMY_ENGINE_OPTIONS", {})
    if url.startswith("sqlite"):
        # Wait SQLITE_BUSY_TIMEOUT seconds for a competing writer's lock before giving up
        # with "database is locked" (which the app answers with a 503 page).
        options.setdefault("connect_args", {"timeout": float(app.config["SQLITE_BUSY_TIMEOUT"])})
    elif url.startswith("postgresql"):
        # An unreachable server, or a lock held too long, fails the request with a 503 page
        # rather than hanging it; the pool drops connections a server restart broke.
        lock_ms = int(float(app.config["POSTGRES_LOCK_TIMEOUT"]) * 1000)
        options.setdefault(
            "connect_args",
            {
                "connect_timeout": int(app.config["POSTGRES_CONNECT_TIMEOUT"]),
                "options": f"-c lock_timeout={lock_ms}",
            },
        )
        # Each connection is checked before use when it has been idle (consult/pool.py), or
        # every time with POSTGRES_PING_IDLE_SECONDS = 0 (SQLAlchemy's pool_pre_ping).
        options.setdefault("pool_pre_ping", float(app.config["POSTGRES_PING_IDLE_SECONDS"]) <= 0)
    from .proxy import configure as configure_proxy

    configure_proxy(app)
