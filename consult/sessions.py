"""Sessions kept on the server, so they can be revoked and hold no secret in the cookie.

The cookie carries only a random id (256 bits); the ``browser_session`` table stores its
SHA-256 digest, the session's data (serialised like Flask's own cookie sessions) and
when it expires. Signing out deletes the row, so a copied cookie is worth nothing after;
invitation and resume tokens stay in the row, never in the browser's cookie. A new id is
issued on signing in and out (:func:`regenerate`). Every web process shares the table, so
any number of them behind a load balancer see the same sessions.
"""

from __future__ import annotations

import contextlib
import json
import logging
import secrets
from datetime import datetime, timedelta
from typing import Any

from flask import Flask, Request, Response, session
from flask.json.tag import TaggedJSONSerializer
from flask.sessions import SessionInterface, SessionMixin
from sqlalchemy import bindparam, delete, insert, select, update
from sqlalchemy.exc import SQLAlchemyError
from werkzeug.datastructures import CallbackDict

from .extensions import db, execute
from .models import BrowserSession, utcnow
from .tokens import hash_token

log = logging.getLogger(__name__)

TABLE = BrowserSession.__table__
# A session's expiry is pushed back at most this often (not on every request).
REFRESH_STEP = timedelta(days=1)
# Read on every request: built once, with the values as parameters.
READ_SESSION = select(TABLE.c.data, TABLE.c.expires_at).where(
    TABLE.c.id == bindparam("digest"), TABLE.c.expires_at > bindparam("now")
)
# Written when a session starts, changes or ends: built once, the values as parameters.
INSERT_SESSION = insert(TABLE)
UPDATE_SESSION = update(TABLE).where(TABLE.c.id == bindparam("digest"))
DELETE_SESSION = delete(TABLE).where(TABLE.c.id == bindparam("digest"))


class SessionSerializer(TaggedJSONSerializer):
    """Flask's tagged JSON (tuples, bytes, datetimes and the like survive a round trip), read
    with plain ``json.loads`` when the text holds no tag: every tag is a key that starts with
    a space, so without ``"`` followed by a space there is nothing to untag (the usual case:
    grants and a CSRF token), and the tag scan of every value is skipped."""

    def loads(self, value: str) -> Any:
        if '" ' not in value:
            return json.loads(value)
        return super().loads(value)


class ServerSession(CallbackDict, SessionMixin):
    """The session dict, remembering its id and whether it changed."""

    def __init__(
        self,
        initial: dict[str, Any] | None = None,
        sid: str | None = None,
        expires_at: datetime | None = None,
        stale_cookie: bool = False,
    ) -> None:
        def on_update(self: ServerSession) -> None:
            self.modified = True
            self.accessed = True

        super().__init__(initial, on_update)
        self.sid = sid
        self.expires_at = expires_at
        self.stale_cookie = stale_cookie  # the browser sent an id the server does not know
        self.modified = False
        self.accessed = False
        self.renew = False
        self.resend = False  # send the cookie again even though nothing changed


class ServerSessionInterface(SessionInterface):
    """Flask's session interface backed by the ``browser_session`` table."""

    serializer = SessionSerializer()

    def open_session(self, app: Flask, request: Request) -> ServerSession:
        sid = request.cookies.get(self.get_cookie_name(app))
        if not sid:
            return ServerSession()
        row = None
        if len(sid) <= 128:
            try:
                # On the request's own database session: one connection for the whole
                # request, not a second one checked out (and pinged) just for this row.
                row = execute(READ_SESSION, {"digest": hash_token(sid), "now": utcnow()}).first()
            except SQLAlchemyError:
                with contextlib.suppress(SQLAlchemyError):
                    db.session.rollback()
                # The database is down: carry on with an empty session (the cookie is kept)
                # so the view's own database error gets the service's error page.
                app.logger.warning("Could not read the session", exc_info=True)
                return ServerSession()
        if row is None:
            return ServerSession(stale_cookie=True)
        try:
            data = self.serializer.loads(row.data)
        except ValueError:
            return ServerSession(stale_cookie=True)
        return ServerSession(data, sid, _aware(row.expires_at))

    def save_session(self, app: Flask, session: ServerSession, response: Response) -> None:  # type: ignore[override]
        name = self.get_cookie_name(app)
        domain = self.get_cookie_domain(app)
        path = self.get_cookie_path(app)
        if session.accessed:
            response.vary.add("Cookie")
        if session.sid and (session.renew or not session):
            _write(DELETE_SESSION, {"digest": hash_token(session.sid)})
            if not session:
                session.sid = None
        if not session:
            if session.sid is None and (session.stale_cookie or session.modified or session.renew):
                response.delete_cookie(
                    name,
                    domain=domain,
                    path=path,
                    secure=self.get_cookie_secure(app),
                    samesite=self.get_cookie_samesite(app),
                    httponly=self.get_cookie_httponly(app),
                )
            return
        now = utcnow()
        lifetime = app.permanent_session_lifetime
        new = session.sid is None or session.renew
        if not (new or session.modified or _due(session.expires_at, now, lifetime)):
            # Unchanged, and the record's expiry not due to move: the browser's cookie
            # already holds this id, so nothing is written, and the cookie is sent only
            # when asked for (``resend_cookie``).
            if session.resend:
                self._set_cookie(app, session, response)
            return
        values = {
            "data": self.serializer.dumps(dict(session)),
            "user_id": _user_id(session),
            "expires_at": now + lifetime,
        }
        if new:
            session.sid = secrets.token_urlsafe(32)
            session.renew = False
            if not _write(INSERT_SESSION, {"id": hash_token(session.sid), **values}):
                return  # the database is down: no cookie for a record that was not kept
        else:
            _write(UPDATE_SESSION, {"digest": hash_token(session.sid), **values})
        self._set_cookie(app, session, response)

    def _set_cookie(self, app: Flask, session: ServerSession, response: Response) -> None:
        response.set_cookie(
            self.get_cookie_name(app),
            session.sid,
            expires=self.get_expiration_time(app, session),
            httponly=self.get_cookie_httponly(app),
            domain=self.get_cookie_domain(app),
            path=self.get_cookie_path(app),
            secure=self.get_cookie_secure(app),
            samesite=self.get_cookie_samesite(app),
            partitioned=self.get_cookie_partitioned(app),
        )


def _aware(moment: datetime) -> datetime:
    from datetime import UTC

    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)


def _due(expires_at: datetime | None, now: datetime, lifetime: timedelta) -> bool:
    """Whether the stored expiry should be pushed back (at most once a ``REFRESH_STEP``)."""
    step = min(REFRESH_STEP, lifetime / 2)
    return expires_at is None or expires_at - now < lifetime - step


def _user_id(data: dict[str, Any]) -> int | None:
    value = str(data.get("_user_id") or "")
    return int(value) if value.isdigit() and len(value) < 12 else None


def _write(statement, parameters: dict[str, Any] | None = None) -> bool:
    """Run one write in a transaction of its own, after the request's own work; False when
    the database is unavailable (the response, often the 503 page, is still sent).

    On SQLite the request's unfinished transaction (if a view left one) is rolled back
    first, as the end of the request would anyway, so it cannot hold the write lock."""
    try:
        if db.engine.dialect.name == "sqlite" and db.session().in_transaction():
            db.session.rollback()
        with db.engine.begin() as connection:
            connection.execute(statement, parameters)
    except SQLAlchemyError as error:
        log.warning("Session not saved: %s", str(error).splitlines()[0] if str(error) else "")
        return False
    return True


def regenerate() -> None:
    """Give this browser a new session id when the response is sent (on signing in and
    out), deleting the old one's record so it cannot be used again."""
    if hasattr(session, "renew"):
        session.renew = True


def resend_cookie() -> None:
    """Send this browser's session cookie again with the response: the same id, a new
    expiry; nothing is written, and requests still carrying it are unaffected.

    Chrome keeps even ``Cache-Control: no-store`` pages in its back/forward cache, and
    restores them on Back unless a cookie of the site changed meanwhile. A step after which
    the pages before it must not come back from memory (a save of the partner's answers,
    sending them) calls this, so Back asks the server again."""
    if isinstance(session, ServerSession):
        session.resend = True


def revoke_user(user_id: int) -> int:
    """End every session of this member of staff (e.g. after a new password)."""
    with db.engine.begin() as connection:
        return connection.execute(delete(TABLE).where(TABLE.c.user_id == user_id)).rowcount


def purge_expired() -> int:
    """Delete expired session records; returns how many."""
    with db.engine.begin() as connection:
        return connection.execute(delete(TABLE).where(TABLE.c.expires_at <= utcnow())).rowcount


def init_app(app: Flask) -> None:
    """Keep this app's sessions on the server."""
    app.session_interface = ServerSessionInterface()
