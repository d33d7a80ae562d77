"""Property-based fuzzing of every route (issue 11, section 7): hypothesis draws requests for
every rule in ``app.url_map`` from every kind of visitor (anonymous, a partner part-way
through a consultation, and signed-in staff of each role), with fuzzed path segments,
query strings and form fields. POSTs carry the visitor's valid CSRF token and the real field
names of the form that posts there (read from the pages), so forms validate and their views
run; values are a mix of valid ones and hostile text.

The property: never a 500, never a traceback in the body. The app runs with ``TESTING``
on, so an unhandled error is raised here and counted as a 500 with its request.

Entry points: :func:`build_world` (data, users and signed-in clients on an app whose app
context is pushed) and :func:`fuzz` (``count`` requests from ``seed``; returns a
:class:`Outcome`). ``tests/fuzz/test_fuzz_routes.py`` runs a seeded share in the suite;
``bench/fuzz.py`` runs 10,000+ on SQLite and PostgreSQL and writes BENCHMARKS.md.
"""

from __future__ import annotations

import random
import re
import time
from collections import Counter
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import quote, urlencode

from bs4 import BeautifulSoup
from flask import Flask
from hypothesis import HealthCheck, Phase, given, seed, settings
from hypothesis import strategies as st
from sqlalchemy import delete, select, update
from werkzeug.exceptions import HTTPException

from consult.extensions import db
from consult.models import (
    Consultation,
    Organisation,
    Question,
    Response,
    Section,
    SignInAttempt,
    User,
)
from tests.helpers import (
    ORGANISATION_ANSWERS,
    hidden_fields,
    make_consultation,
    make_invitation,
    post_form,
    section_one,
    section_two,
)
from tests.staff_helpers import PASSWORD, make_user

ROLES = ("admin", "editor", "analyst", "viewer")
SLUG = "transport-test"
TRACEBACK = "Traceback (most recent call last)"

# Hostile values, beside hypothesis's own text: numbers too big for the database, control
# characters, path tricks, markup, formulas, dates at the ends of the calendar, long text.
# fmt: off
NASTY = [
    "", " ", "0", "1", "-1", "1e30", "9" * 25, "2147483648", "-2147483649", "²", "٣", "NaN",
    "inf", "null", "true", "{}", "[]", "[" * 3000, '{"a":' * 500, "\x00", "a\x00b",
    "\x01\x1f\x7f", "\x85\x9f", "\ufeff", "\u202e", "%00", "%2E%2E", "..", ".", "../../etc/passwd",
    "<script>alert(1)</script>", "' OR 1=1 --", '"', "=SUM(A1)", "@cmd", "9999-12-31",
    "0001-01-01", "2026-02-30", "10000-01-01", "x" * 201, "x" * 321, "y" * 5000, "é" * 300,
    "\r\n", "a@b", "@", "a" * 70 + "@example.org", "😀", "open", "close", "draft", "csv",
    "xlsx", "json", "docx", "save", "continue", "check", "remind", "yes", "no", "admin",
]
# fmt: on
PARAM_NAMES = [
    "page",
    "q",
    "status",
    "from",
    "to",
    "partner_type",
    "area",
    "action",
    "return",
    "scope",
    "next",
    "mode",
    "key",
    "fmt",
    "sort",
    "question",
]
# Things that look like numbers to one parser and not another: digits that are not ASCII
# ("²" passes str.isdigit but not int), exponents, signs, spaces, underscores, huge values.
NUMBERISH = st.one_of(
    st.integers(min_value=-(10**30), max_value=10**30).map(str),
    st.text("0123456789²³¹٣०-+_. e", min_size=1, max_size=8),
    st.floats(allow_nan=True, allow_infinity=True).map(str),
)
TEXT = st.one_of(
    st.sampled_from(NASTY),
    st.text(st.characters(blacklist_categories=("Cs",)), max_size=40),
    NUMBERISH,
)


@dataclass
class RawBody:
    """A POST body sent as it is, with its own content type (a hand-made request: JSON, a
    multipart part without a name, plain text), instead of a form the test client
    encodes."""

    content_type: str
    body: bytes
    headers: dict[str, str] = field(default_factory=dict)


# Bodies no browser sends but an attacker can (found probing gunicorn after issue 11: JSON
# reached Flask-WTF's forms past the edge, and a nameless part broke the CSRF check).
ODD_JSON = [
    b"[" * 3000,
    b'{"a":' * 1000 + b"1" + b"}" * 1000,
    b"[1, 2]",
    b'"text"',
    b"null",
    b'{"email": {"x": 1}}',
    b'{"email": "a\\u0000b", "password": ["x"]}',
    b"not json",
]


def _json_of(data: dict) -> bytes:
    import json

    plain = {k: v for k, v in data.items() if isinstance(k, str) and not isinstance(v, tuple)}
    return json.dumps(plain).encode("utf-8", "surrogatepass")


def _nameless_multipart(data: dict) -> bytes:
    parts = [b"--x\r\nContent-Disposition: form-data\r\n\r\nstray\r\n"]
    for key, value in data.items():
        if isinstance(key, str) and isinstance(value, str):
            name = key.replace('"', "").replace("\r", "").replace("\n", "")
            parts.append(
                b'--x\r\nContent-Disposition: form-data; name="%s"\r\n\r\n%s\r\n'
                % (name.encode("utf-8", "surrogatepass"), value.encode("utf-8", "surrogatepass"))
            )
    return b"".join(parts) + b"--x--\r\n"


@dataclass
class Visitor:
    """A test client and who it is: ``anonymous``, ``partner`` or a staff role."""

    name: str
    client: Any
    csrf: str = ""


@dataclass
class World:
    """The app, its data and the visitors the fuzzer sends requests as."""

    app: Flask
    visitors: list[Visitor]
    known: dict[str, list[str]]  # path argument -> values that exist
    fields: dict[str, dict[str, list[str]]] = field(default_factory=dict)  # endpoint -> form
    rules: list[Any] = field(default_factory=list)


@dataclass
class Outcome:
    """What a fuzzing run did: requests, statuses seen, and every 500 with its request."""

    requests: int = 0
    statuses: Counter = field(default_factory=Counter)
    failures: list[str] = field(default_factory=list)
    seconds: float = 0.0

    def add(self, other: Outcome) -> None:
        self.requests += other.requests
        self.statuses.update(other.statuses)
        self.failures.extend(other.failures)
        self.seconds += other.seconds


def _csrf_of(client, url: str) -> str:
    page = client.get(url)
    found = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', page.get_data(True))
    found = found or re.search(r'name="csrf_token"[^>]*value="([^"]+)"', page.get_data(True))
    return found.group(1) if found else ""


def _sign_in(app: Flask, email: str):
    client = app.test_client()
    page = client.get("/staff/sign-in")
    done = client.post(
        "/staff/sign-in", data={**hidden_fields(page), "email": email, "password": PASSWORD}
    )
    assert done.status_code == 302, f"{email} could not sign in"
    return client


def _partner(app: Flask, consultation: Consultation):
    """A partner who has answered the first pages of the open consultation."""
    client = app.test_client()
    base = f"/c/{SLUG}"
    client.post(base, data=hidden_fields(client.get(base)))
    post_form(client, f"{base}/organisation", ORGANISATION_ANSWERS)
    post_form(client, f"{base}/section/1", section_one(consultation))
    return client


def _submitted(app: Flask, consultation: Consultation) -> None:
    """One submitted response, so staff pages and exports have something to show."""
    client = _partner(app, consultation)
    post_form(client, f"/c/{SLUG}/section/2", section_two(consultation))
    client.post(f"/c/{SLUG}/check", data=hidden_fields(client.get(f"/c/{SLUG}/check")))


def _stored_run() -> tuple[str, list[str]]:
    """A finished theme analysis of 40 answers on a second consultation, for the report
    and review routes: its id and theme keys."""
    from tests.reports.review_helpers import add_answers, make_question, stored_run

    consultation, question = make_question("review-fuzz")
    add_answers(consultation, question, 40)
    run = stored_run(consultation, question, n_themes=4)
    return str(run.id), [theme.key for theme in run.visible_themes]


def build_world(app: Flask, with_run: bool = True) -> World:
    """Data (an open and a draft consultation, an invitation, a submitted response), a user
    of each role, and visitors: anonymous, a partner mid-journey and each role signed in.
    Needs ``app``'s app context pushed and its database migrated and empty."""
    consultation = make_consultation(SLUG)
    draft = make_consultation("draft-one", status="draft")
    _, token = make_invitation(consultation)
    _submitted(app, consultation)
    users = {role: make_user(role, f"fuzz-{role}@example.org") for role in ROLES}
    victim = make_user("viewer", "victim@example.org")
    visitors = [Visitor("anonymous", app.test_client()), Visitor("partner", None)]
    visitors[1].client = _partner(app, consultation)
    for role, user in users.items():
        visitors.append(Visitor(role, _sign_in(app, user.email)))

    run_id, theme_keys = _stored_run() if with_run else ("1", ["t1"])

    def ids(model) -> list[str]:
        return [str(i) for i in db.session.scalars(select(model.id)).all()]

    known = {
        "consultation_id": [str(consultation.id), str(draft.id), *ids(Consultation)[2:]],
        "section_id": ids(Section),
        "question_id": ids(Question),
        "organisation_id": ids(Organisation),
        "response_id": ids(Response),
        "user_id": [str(victim.id)],
        "run_id": [run_id],
        "edit_id": ["1"],
        "position": ["1", "2"],
        "slug": [SLUG, "draft-one"],
        "token": [token, "not-a-token"],
        "fmt": ["csv", "xlsx", "json", "docx", "md"],
        "upload": ["0123456789abcdef01234567.csv"],
        "name": ["mail-merge-20260101T000000000000.csv"],
        "action": ["open", "close", "draft"],
        "key": theme_keys,
        "filename": ["css/consult.css"],
    }
    world = World(app=app, visitors=visitors, known=known)
    world.rules = [rule for rule in app.url_map.iter_rules() if rule.endpoint != "static"] + [
        rule for rule in app.url_map.iter_rules() if rule.endpoint == "static"
    ][:1]
    _learn_forms(world)
    refresh(world)
    return world


def _learn_forms(world: World) -> None:
    """Read every page each visitor can GET (with known arguments) and remember, per
    endpoint a form posts to, its field names and the values the page offers."""
    adapter = world.app.url_map.bind("localhost")
    for visitor in world.visitors:
        if visitor.name not in ("anonymous", "partner", "admin"):
            continue  # other roles see a subset of the admin's forms
        for rule in world.rules:
            if "GET" not in rule.methods or rule.endpoint == "static":
                continue
            path = _path(rule, {name: values[0] for name, values in world.known.items()})
            if path is None:
                continue
            page = visitor.client.get(path)
            if page.status_code != 200 or "html" not in (page.content_type or ""):
                continue
            html = BeautifulSoup(page.get_data(as_text=True), "html.parser")
            for form in html.find_all("form", method=re.compile("post", re.I)):
                action = (form.get("action") or path).split("?")[0].split("#")[0]
                try:
                    endpoint, _ = adapter.match(action, method="POST")
                except HTTPException:
                    continue
                found = world.fields.setdefault(endpoint, {})
                for element in form.find_all(["input", "textarea", "select"]):
                    name = element.get("name")
                    if not name or name == "csrf_token":
                        continue
                    values = found.setdefault(name, [])
                    options = [o.get("value", "") for o in element.find_all("option")]
                    for value in [element.get("value", element.get_text()), *options]:
                        if value not in values and len(values) < 20:
                            values.append(value)


ARGUMENT = re.compile(r"<(?:[^:<>]+:)?([^<>]+)>")


def _path(rule, values: dict[str, str]) -> str | None:
    """The rule's URL with these raw argument values (quoted into the path)."""
    if any(name not in values for name in rule.arguments):
        return None

    def fill(match: re.Match) -> str:
        name = match.group(1)
        return quote(values[name], safe="/" if name == "filename" else "")

    return ARGUMENT.sub(fill, rule.rule)


def refresh(world: World) -> None:
    """Put the visitors back as they were: roles, open consultation, no sign-in lockouts,
    staff signed in again and fresh CSRF tokens (fuzzed POSTs sign out, close and demote)."""
    db.session.rollback()
    for role in ROLES:
        db.session.execute(
            update(User)
            .where(User.email == f"fuzz-{role}@example.org")
            .values(role=role, active=True)
        )
    db.session.execute(update(Consultation).where(Consultation.slug == SLUG).values(status="open"))
    db.session.execute(delete(SignInAttempt))
    db.session.commit()
    for visitor in world.visitors:
        if visitor.name in ROLES:
            if visitor.client.get("/staff/").status_code != 200:
                visitor.client = _sign_in(world.app, f"fuzz-{visitor.name}@example.org")
            first = "/staff/users" if visitor.name == "admin" else "/staff/"
            visitor.csrf = _csrf_of(visitor.client, first)
            if not visitor.csrf:
                visitor.csrf = _csrf_of(visitor.client, "/staff/confirm-password")
        elif visitor.name == "partner":
            visitor.csrf = _csrf_of(visitor.client, f"/c/{SLUG}/organisation")
            if not visitor.csrf:
                visitor.client = _partner(
                    world.app,
                    db.session.scalar(select(Consultation).where(Consultation.slug == SLUG)),
                )
                visitor.csrf = _csrf_of(visitor.client, f"/c/{SLUG}/organisation")
        else:
            visitor.csrf = _csrf_of(visitor.client, "/staff/sign-in")


@st.composite
def requests(draw, world: World) -> tuple[Visitor, str, str, dict | RawBody | None]:
    """One request: who sends it, method, URL (path and query) and form data (about one
    POST in seven a raw body: JSON, a nameless multipart part, or another content type)."""
    visitor = draw(st.sampled_from(world.visitors))
    rule = draw(st.sampled_from(world.rules))
    methods = sorted(rule.methods - {"HEAD", "OPTIONS"})
    method = draw(st.sampled_from(methods))
    values = {}
    for name in rule.arguments:
        known = world.known.get(name, ["1"])
        odd = draw(st.integers(0, 3)) == 0  # a known value three times in four
        values[name] = draw(TEXT) if odd else draw(st.sampled_from(known))
    path = _path(rule, values) or "/"
    names = st.one_of(st.sampled_from(PARAM_NAMES), st.sampled_from(PARAM_NAMES), TEXT)
    query = draw(st.dictionaries(names, TEXT, max_size=3))
    url = path + ("?" + urlencode(query) if query else "")
    if method != "POST":
        return visitor, method, url, None
    fields = world.fields.get(rule.endpoint, {})
    data: dict[str, Any] = {}
    for name, offered in fields.items():
        choice = draw(st.integers(0, 9))
        if choice <= 5 and offered:
            data[name] = draw(st.sampled_from(offered))
        elif choice <= 7:
            data[name] = draw(st.one_of(TEXT, st.lists(TEXT, max_size=3)))
        elif choice == 8 and offered:
            data[name] = draw(st.lists(st.sampled_from(offered), max_size=3))
    extra = draw(st.dictionaries(TEXT, TEXT, max_size=2))
    data.update({k: v for k, v in extra.items() if k and k not in data})
    if draw(st.integers(0, 9)) > 0:
        data["csrf_token"] = visitor.csrf
    # One POST in about seven: hypothesis favours the ends of a range (0 and its maximum),
    # so the raw bodies sit in the middle of one and the usual forms stay the rule.
    odd = {7: 0, 11: 1, 13: 2}.get(draw(st.integers(0, 2**16)) % 20)
    if odd == 0:  # JSON: the form's own fields, or hostile JSON, the token in a header
        body = draw(st.sampled_from([_json_of(data), *ODD_JSON]))
        kind = draw(st.sampled_from(["application/json", "application/merge-patch+json"]))
        return visitor, method, url, RawBody(kind, body, {"X-CSRFToken": visitor.csrf})
    if odd == 1:
        return (
            visitor,
            method,
            url,
            RawBody("multipart/form-data; boundary=x", _nameless_multipart(data)),
        )
    if odd == 2:
        kind = draw(st.sampled_from(["text/plain", "application/xml", "application/octet-stream"]))
        return visitor, method, url, RawBody(kind, draw(st.binary(max_size=200)))
    if fields.get("file") is not None or draw(st.integers(0, 19)) == 0:
        import io

        content = draw(st.binary(max_size=300))
        suffix = draw(st.sampled_from([".csv", ".xlsx", ".jsonl", ".json", ".txt", ""]))
        data["file"] = (io.BytesIO(content), "fuzz" + suffix)
    return visitor, method, url, data


def send(world: World, visitor: Visitor, method: str, url: str, data: dict | None, outcome):
    """Send one request and check the property; a failure is recorded, not raised."""
    outcome.requests += 1
    try:
        if isinstance(data, RawBody):
            reply = visitor.client.post(
                url, data=data.body, content_type=data.content_type, headers=data.headers
            )
        elif method == "POST":
            reply = visitor.client.post(url, data=data, content_type=None)
        else:
            reply = visitor.client.open(url, method=method)
        status = reply.status_code
        body = reply.get_data()  # a streamed export is written out here
        reply.close()
    except Exception as error:  # an unhandled error: with TESTING on, Flask raises it
        db.session.rollback()
        outcome.statuses[500] += 1
        request = f"{visitor.name} {method} {url[:300]!r} {_short(data)}"
        outcome.failures.append(f"{request}: {error!r}"[:900])
        return
    outcome.statuses[status] += 1
    if status >= 500 or TRACEBACK.encode() in body:
        outcome.failures.append(f"{visitor.name} {method} {url[:300]!r} {_short(data)}: {status}")


def _short(data: dict | RawBody | None) -> str:
    if isinstance(data, RawBody):
        return f"{data.content_type} {data.body[:200]!r}"
    if not data:
        return ""
    return repr({k: (v if not isinstance(v, str) else v[:60]) for k, v in data.items()})[:400]


def fuzz(world: World, count: int, seed_value: int, refresh_every: int = 250) -> Outcome:
    """Send ``count`` hypothesis-drawn requests (reproducible from ``seed_value``)."""
    outcome = Outcome()
    started = time.perf_counter()
    batches = max(1, -(-count // refresh_every))
    for batch in range(batches):
        size = min(refresh_every, count - batch * refresh_every)
        if size <= 0:
            break
        refresh(world)

        @settings(
            max_examples=size,
            database=None,
            deadline=None,
            phases=[Phase.generate],
            suppress_health_check=list(HealthCheck),
        )
        @seed(seed_value * 1000 + batch)
        @given(st.data())
        def one(data):
            visitor, method, url, form = data.draw(requests(world))
            send(world, visitor, method, url, form, outcome)

        random.seed(seed_value * 1000 + batch)
        one()
    outcome.seconds = time.perf_counter() - started
    return outcome
