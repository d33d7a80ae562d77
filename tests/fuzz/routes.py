"""Property-based fuzzing of every route (issue 11, section 7): hypothesis draws requests for
every rule in ``app.url_map`` from every kind of visitor (anonymous, a partner part-way
through a consultation, and signed-in staff of each role), with fuzzed path segments,
query strings and form fields. POSTs carry the visitor's valid CSRF token and the real field
names of the form that posts there (read from the pages), so forms validate and their views
run; values are a mix of valid ones and hostile text.

Two visitors exercise a partner's lost session (issue 11): ``lost``, whose session
cookie has expired (or names a session the server no longer holds) whenever it posts, so
what it types is kept by ``consult/survey/lost.py`` and offered back on the dead end and
``/c/<slug>/what-you-typed.txt``; and ``partner-staff``, a partner mid-journey on whose
browser a member of staff then signed in (the partner's draft carried over, the old page's
token only recognised). Every POST may carry ``Sec-Fetch-Site`` and ``Origin`` headers, and
a page's hidden ``draft`` field is often another draft's key, a made-up one, or garbage.

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
    Invitation,
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
class Drawn:
    """One drawn request: who sends it, how, where, what, with which headers; ``lose``:
    how the ``lost`` visitor's session is lost first ("cookie", "server" or "")."""

    visitor: Visitor
    method: str
    url: str
    data: dict | RawBody | None
    headers: dict[str, str]
    endpoint: str
    lose: str = ""


@dataclass
class Visitor:
    """A test client and who it is: ``anonymous``, ``partner``, ``lost`` (its session cookie
    gone or stale whenever it posts), ``partner-staff`` (a partner's browser a member of
    staff then signed in on) or a staff role. ``old_csrf``: a token of an earlier session of
    this browser (the partner's page drawn before the staff sign-in)."""

    name: str
    client: Any
    csrf: str = ""
    old_csrf: str = ""


@dataclass
class World:
    """The app, its data and the visitors the fuzzer sends requests as."""

    app: Flask
    visitors: list[Visitor]
    known: dict[str, list[str]]  # path argument -> values that exist
    fields: dict[str, dict[str, list[str]]] = field(default_factory=dict)  # endpoint -> form
    rules: list[Any] = field(default_factory=list)
    drafts: list[str] = field(default_factory=list)  # ``draft`` field values: keys and junk


@dataclass
class Outcome:
    """What a fuzzing run did: requests, statuses seen, and every 500 with its request."""

    requests: int = 0
    statuses: Counter = field(default_factory=Counter)
    failures: list[str] = field(default_factory=list)
    seconds: float = 0.0
    reached: Counter = field(default_factory=Counter)  # the lost-answers paths, by status

    def add(self, other: Outcome) -> None:
        self.requests += other.requests
        self.statuses.update(other.statuses)
        self.failures.extend(other.failures)
        self.seconds += other.seconds
        self.reached.update(other.reached)


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


def _partner_then_staff(app: Flask, consultation: Consultation, email: str):
    """A partner mid-journey on whose browser a member of staff then signs in: the client,
    and the CSRF token of the partner's page drawn before the sign-in."""
    client = _partner(app, consultation)
    old = _csrf_of(client, f"/c/{SLUG}/section/2")
    page = client.get("/staff/sign-in")
    client.post(
        "/staff/sign-in", data={**hidden_fields(page), "email": email, "password": PASSWORD}
    )
    return client, old


def _draft_keys(
    consultation: Consultation, draft: Consultation, invitation: Invitation
) -> list[str]:
    """Values for a page's hidden ``draft`` field besides the page's own: the keys of the
    invitation's draft, of the submitted open-link draft and of a draft of the other
    consultation, made-up keys of the right shape, and junk."""
    from consult.survey.lost import draft_key

    submitted = db.session.scalars(select(Response.resume_token_hash)).first()
    drafts = [
        Response(consultation_id=consultation.id, invitation_id=invitation.id),
        Response(consultation_id=consultation.id, resume_token_hash=submitted),
        Response(consultation_id=draft.id, resume_token_hash="0" * 64),
    ]
    return [
        *(draft_key(response) for response in drafts),
        "open." + "0" * 32,
        "invitation." + "f" * 32,
        "open." + "A" * 32,
        "invitation.",
        "open." + "0" * 100_000,
        "x" * 100_000,
    ]


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
    invitation, token = make_invitation(consultation)
    _submitted(app, consultation)
    users = {role: make_user(role, f"fuzz-{role}@example.org") for role in ROLES}
    victim = make_user("viewer", "victim@example.org")
    visitors = [Visitor("anonymous", app.test_client()), Visitor("partner", None)]
    visitors[1].client = _partner(app, consultation)
    for role, user in users.items():
        visitors.append(Visitor(role, _sign_in(app, user.email)))
    visitors.append(Visitor("lost", _partner(app, consultation)))
    mixed, old = _partner_then_staff(app, consultation, users["editor"].email)
    visitors.append(Visitor("partner-staff", mixed, old_csrf=old))

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
    world.drafts = _draft_keys(consultation, draft, invitation)
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
        elif visitor.name in ("partner", "lost"):
            visitor.csrf = _csrf_of(visitor.client, f"/c/{SLUG}/organisation")
            if not visitor.csrf:
                visitor.client = _partner(
                    world.app,
                    db.session.scalar(select(Consultation).where(Consultation.slug == SLUG)),
                )
                visitor.csrf = _csrf_of(visitor.client, f"/c/{SLUG}/organisation")
        elif visitor.name == "partner-staff":
            visitor.client, visitor.old_csrf = _partner_then_staff(
                world.app,
                db.session.scalar(select(Consultation).where(Consultation.slug == SLUG)),
                "fuzz-editor@example.org",
            )
            visitor.csrf = _csrf_of(visitor.client, f"/c/{SLUG}/section/1")
        else:
            visitor.csrf = _csrf_of(visitor.client, "/staff/sign-in")


# Where a POST says it came from: a browser's own page, another site, a typed address, junk.
FETCH_SITES = [None, "same-origin", "same-origin", "same-site", "cross-site", "none", "x"]
ORIGINS = [None, None, "null", "http://localhost", "https://evil.example", "http://localhost:1"]
SURVEY_PAGES = ("survey.organisation", "survey.section", "survey.typed_answers")
# Where the lost-session visitors mostly go: the pages, and the links back to a draft.
LOST_PATHS = (
    *SURVEY_PAGES,
    "survey.start",
    "survey.begin",
    "survey.resume",
    "survey.invitation",
    "survey.check",
)
LOST_VISITORS = ("lost", "partner-staff")
KEY_SHAPE = re.compile(r"(invitation|open)\.[0-9a-f]{32}")


@st.composite
def requests(draw, world: World, focus: bool = False) -> Drawn:
    """One request: who sends it, method, URL (path and query), form data (about one POST
    in seven a raw body: JSON, a nameless multipart part, or another content type) and
    headers. The lost-session visitors mostly visit the survey's pages and links
    (:data:`LOST_PATHS`), where their paths are; with ``focus``, nobody else sends any and
    they go nowhere else."""
    visitors = [v for v in world.visitors if v.name in LOST_VISITORS] if focus else []
    visitor = draw(st.sampled_from(visitors or world.visitors))
    rules = world.rules
    if visitor.name in LOST_VISITORS and (focus or draw(st.integers(0, 3)) > 0):
        rules = [rule for rule in world.rules if rule.endpoint in LOST_PATHS] or rules
    rule = draw(st.sampled_from(rules))
    methods = sorted(rule.methods - {"HEAD", "OPTIONS"})
    method = draw(st.sampled_from(methods))
    values = {}
    for name in rule.arguments:
        known = world.known.get(name, ["1"])
        if name == "slug" and visitor.name in LOST_VISITORS:
            known = [SLUG]  # the consultation their draft is in
        odd = draw(st.integers(0, 3)) == 0  # a known value three times in four
        values[name] = draw(TEXT) if odd else draw(st.sampled_from(known))
    path = _path(rule, values) or "/"
    names = st.one_of(st.sampled_from(PARAM_NAMES), st.sampled_from(PARAM_NAMES), TEXT)
    query = draw(st.dictionaries(names, TEXT, max_size=3))
    url = path + ("?" + urlencode(query) if query else "")
    if method != "POST":
        return Drawn(visitor, method, url, None, {}, rule.endpoint)
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
    if "draft" in fields and world.drafts and draw(st.integers(0, 2)) == 0:
        data["draft"] = draw(st.sampled_from(world.drafts))
    extra = draw(st.dictionaries(TEXT, TEXT, max_size=2))
    data.update({k: v for k, v in extra.items() if k and k not in data})
    if draw(st.integers(0, 9)) > 0:
        tokens = [visitor.csrf, visitor.old_csrf] if visitor.old_csrf else [visitor.csrf]
        data["csrf_token"] = draw(st.sampled_from(tokens))
    # A lost visitor's browser mostly posts from the site's own page.
    same_origin = visitor.name in LOST_VISITORS and draw(st.booleans())
    headers = {
        name: value
        for name, value in (
            (
                "Sec-Fetch-Site",
                "same-origin" if same_origin else draw(st.sampled_from(FETCH_SITES)),
            ),
            ("Origin", draw(st.sampled_from(ORIGINS))),
        )
        if value is not None
    }
    lose = draw(st.sampled_from(["cookie", "server", ""])) if visitor.name == "lost" else ""

    def drawn(body: dict | RawBody) -> Drawn:
        return Drawn(visitor, method, url, body, headers, rule.endpoint, lose)

    # One POST in about seven: hypothesis favours the ends of a range (0 and its maximum),
    # so the raw bodies sit in the middle of one and the usual forms stay the rule.
    odd = {7: 0, 11: 1, 13: 2}.get(draw(st.integers(0, 2**16)) % 20)
    if odd == 0:  # JSON: the form's own fields, or hostile JSON, the token in a header
        body = draw(st.sampled_from([_json_of(data), *ODD_JSON]))
        kind = draw(st.sampled_from(["application/json", "application/merge-patch+json"]))
        return drawn(RawBody(kind, body, {"X-CSRFToken": visitor.csrf}))
    if odd == 1:
        return drawn(RawBody("multipart/form-data; boundary=x", _nameless_multipart(data)))
    if odd == 2:
        kind = draw(st.sampled_from(["text/plain", "application/xml", "application/octet-stream"]))
        return drawn(RawBody(kind, draw(st.binary(max_size=200))))
    if fields.get("file") is not None or draw(st.integers(0, 19)) == 0:
        import io

        content = draw(st.binary(max_size=300))
        suffix = draw(st.sampled_from([".csv", ".xlsx", ".jsonl", ".json", ".txt", ""]))
        data["file"] = (io.BytesIO(content), "fuzz" + suffix)
    return drawn(data)


def _lose_session(world: World, visitor: Visitor, how: str) -> None:
    """The visitor's session is lost before it posts: its cookie expired (none is sent) or
    the server no longer holds it (the cookie names a session that is not there)."""
    name = world.app.session_interface.get_cookie_name(world.app)
    if how == "cookie":
        visitor.client.delete_cookie(name, domain="localhost")
    elif how == "server":
        visitor.client.set_cookie(name, "gone-" + "x" * 38, domain="localhost")


def _reached(world: World, drawn: Drawn, status: int) -> str | None:
    """The lost-answers path a request took, to count (None for the others)."""
    if drawn.endpoint == "survey.typed_answers":
        return f"GET what-you-typed.txt {status}"
    if drawn.method != "POST" or drawn.endpoint not in SURVEY_PAGES:
        return None
    site = drawn.headers.get("Sec-Fetch-Site", "-")
    draft = drawn.data.get("draft") if isinstance(drawn.data, dict) else None
    if draft is None:
        kind = "no draft field"
    elif KEY_SHAPE.fullmatch(str(draft)):
        kind = "a key-shaped draft field"  # another browser's draft, another consultation's
    else:
        kind = "a junk draft field"
    who = f"{drawn.visitor.name}{' (' + drawn.lose + ')' if drawn.lose else ''}"
    return f"POST survey page by {who}, Sec-Fetch-Site {site}, {kind}: {status}"


def send(world: World, drawn: Drawn, outcome: Outcome) -> None:
    """Send one request and check the property; a failure is recorded, not raised. A lost
    visitor's POST answered by a 303 is followed as a browser would, and the dead end's
    download link too (each a request of its own, checked the same way)."""
    visitor, method, url, data = drawn.visitor, drawn.method, drawn.url, drawn.data
    outcome.requests += 1
    try:
        if drawn.lose:
            _lose_session(world, visitor, drawn.lose)
        if isinstance(data, RawBody):
            reply = visitor.client.post(
                url,
                data=data.body,
                content_type=data.content_type,
                headers={**drawn.headers, **data.headers},
            )
        elif method == "POST":
            reply = visitor.client.post(url, data=data, content_type=None, headers=drawn.headers)
        else:
            reply = visitor.client.open(url, method=method)
        status = reply.status_code
        body = reply.get_data()  # a streamed export is written out here
        location = reply.headers.get("Location", "")
        reply.close()
    except Exception as error:  # an unhandled error: with TESTING on, Flask raises it
        db.session.rollback()
        outcome.statuses[500] += 1
        request = f"{visitor.name} {method} {url[:300]!r} {_short(data)}"
        outcome.failures.append(f"{request}: {error!r}"[:900])
        return
    outcome.statuses[status] += 1
    reached = _reached(world, drawn, status)
    if reached:
        outcome.reached[reached] += 1
    if status >= 500 or TRACEBACK.encode() in body:
        outcome.failures.append(f"{visitor.name} {method} {url[:300]!r} {_short(data)}: {status}")
    if visitor.name == "lost" and status == 303 and location.startswith("/"):
        _follow(world, visitor, location, outcome)


def _follow(world: World, visitor: Visitor, location: str, outcome: Outcome) -> None:
    """GET where a lost visitor's POST was sent (the dead end, showing what it typed) and,
    when it offers one, the download of what it typed."""
    dead_end = Drawn(visitor, "GET", location, None, {}, "")
    send(world, dead_end, outcome)
    page = visitor.client.get(location).get_data(as_text=True)
    found = re.search(r'id="typed-download" href="([^"]+)"', page)
    if found:
        endpoint = "survey.typed_answers"
        send(world, Drawn(visitor, "GET", found.group(1), None, {}, endpoint), outcome)


def _short(data: dict | RawBody | None) -> str:
    if isinstance(data, RawBody):
        return f"{data.content_type} {data.body[:200]!r}"
    if not data:
        return ""
    return repr({k: (v if not isinstance(v, str) else v[:60]) for k, v in data.items()})[:400]


def fuzz(
    world: World, count: int, seed_value: int, refresh_every: int = 250, focus: bool = False
) -> Outcome:
    """Send ``count`` hypothesis-drawn requests (reproducible from ``seed_value``); with
    ``focus``, only the lost-session visitors' on their paths (see :func:`requests`)."""
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
            send(world, data.draw(requests(world, focus)), outcome)

        random.seed(seed_value * 1000 + batch)
        one()
    outcome.seconds = time.perf_counter() - started
    return outcome
