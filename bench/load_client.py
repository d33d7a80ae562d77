"""A small asyncio HTTP/1.1 client that plays partners through the whole journey.

Each simulated partner is a :class:`Browser` (its own cookie jar and connection) that reads
every page, takes the CSRF token and the ``seen`` digests from it, posts its answers, checks
them and submits, exactly as a person's browser would. Only loopback addresses are allowed,
every loop is bounded by a deadline, and every request has a timeout.

The client keeps a connection open when the server allows it (gunicorn's sync workers close
it after every response, as they do for any client).
"""

from __future__ import annotations

import asyncio
import html
import json
import random
import re
import time
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlencode, urlsplit

LOOPBACK = {"127.0.0.1", "localhost", "::1"}
CSRF = re.compile(rb'name="csrf_token"[^>]*value="([^"]*)"')
SEEN = re.compile(rb'name="seen" value="([^"]*)"')
REFERENCE = re.compile(rb'id="reference">([^<]+)<')


class Failure(Exception):
    """A request or page that was not what a working service answers."""


class LeftDraft(Exception):
    """The partner saved some pages and left, as a draft to come back to."""


class ConnectionLost(Failure):
    """The server could not be reached or closed the connection mid-response."""


@dataclass
class Reply:
    """One HTTP response, read in full."""

    status: int
    headers: dict[str, str]
    body: bytes

    def location(self) -> str:
        """The path of a redirect's target."""
        target = urlsplit(self.headers.get("location", ""))
        return target.path + (f"?{target.query}" if target.query else "")


@dataclass
class Stats:
    """Latencies and outcomes of every request made, with the time each one finished."""

    finished: list[float] = field(default_factory=list)
    latencies: list[float] = field(default_factory=list)
    errors: Counter = field(default_factory=Counter)
    journeys: list[float] = field(default_factory=list)  # when each journey completed

    def record(self, started: float, label: str, ok: bool, reason: str = "") -> None:
        now = time.perf_counter()
        self.finished.append(now)
        self.latencies.append(now - started)
        if not ok:
            self.errors[f"{label}: {reason}"] += 1


class Browser:
    """One partner's browser: cookies and one connection to ``host:port`` (loopback only)."""

    def __init__(self, host: str, port: int, stats: Stats, timeout: float = 30.0) -> None:
        if host not in LOOPBACK:
            raise ValueError(f"the load client only talks to loopback, not {host!r}")
        self.host, self.port, self.stats, self.timeout = host, port, stats, timeout
        self.cookies: dict[str, str] = {}
        self._conn: tuple[asyncio.StreamReader, asyncio.StreamWriter] | None = None

    async def close(self) -> None:
        """Close the open connection, if any."""
        if self._conn is not None:
            self._conn[1].close()
            self._conn = None

    async def request(
        self, method: str, path: str, form: dict | list | None = None, label: str = ""
    ) -> Reply:
        """Send one request and read the whole response; raise :class:`Failure` on a 5xx,
        a timeout or a dropped connection (each recorded in the stats)."""
        body = urlencode(form, doseq=True).encode() if form is not None else b""
        lines = [f"{method} {path} HTTP/1.1", f"Host: {self.host}:{self.port}"]
        if self.cookies:
            lines.append("Cookie: " + "; ".join(f"{k}={v}" for k, v in self.cookies.items()))
        if form is not None:
            lines.append("Content-Type: application/x-www-form-urlencoded")
            lines.append(f"Content-Length: {len(body)}")
        raw = ("\r\n".join(lines) + "\r\n\r\n").encode() + body
        started = time.perf_counter()
        label = label or f"{method} {path}"
        try:
            reply = await asyncio.wait_for(self._exchange(raw), self.timeout)
        except TimeoutError:
            await self.close()
            self.stats.record(started, label, False, "timeout")
            raise Failure(f"{label}: timeout") from None
        except (OSError, asyncio.IncompleteReadError, ValueError) as error:
            await self.close()
            self.stats.record(started, label, False, type(error).__name__)
            raise ConnectionLost(f"{label}: {type(error).__name__}") from None
        ok = reply.status < 500
        self.stats.record(started, label, ok, f"status {reply.status}")
        if not ok:
            raise Failure(f"{label}: status {reply.status}")
        for cookie in reply.headers.get("set-cookie", "").split("\n"):
            if "=" in cookie:
                name, value = cookie.split(";", 1)[0].split("=", 1)
                if value and "max-age=0" not in cookie.lower():
                    self.cookies[name.strip()] = value
                else:
                    self.cookies.pop(name.strip(), None)
        return reply

    async def _send(self, raw: bytes) -> bytes:
        """Write the request on the open connection and read the response's head."""
        reader, writer = self._conn
        writer.write(raw)
        await writer.drain()
        return await reader.readuntil(b"\r\n\r\n")

    async def _exchange(self, raw: bytes) -> Reply:
        reused = self._conn is not None
        if not reused:
            self._conn = await asyncio.open_connection(self.host, self.port)
        try:
            head = await self._send(raw)
        except (ConnectionResetError, BrokenPipeError, asyncio.IncompleteReadError) as error:
            partial = getattr(error, "partial", b"")
            if not reused or partial:
                raise
            # The server closed the idle kept-alive connection (gunicorn's keepalive) as the
            # request went out, before answering anything: as browsers do, send it again once
            # on a new connection.
            await self.close()
            self._conn = await asyncio.open_connection(self.host, self.port)
            head = await self._send(raw)
        reader, _ = self._conn
        status_line, *header_lines = head.decode("latin-1").split("\r\n")
        version, status = status_line.split(" ", 2)[:2]
        headers: dict[str, str] = {}
        for line in header_lines:
            if ":" in line:
                name, value = line.split(":", 1)
                name = name.strip().lower()
                value = value.strip()
                headers[name] = f"{headers[name]}\n{value}" if name in headers else value
        if "content-length" in headers:
            body = await reader.readexactly(int(headers["content-length"]))
        elif headers.get("transfer-encoding", "").lower() == "chunked":
            body = await _read_chunked(reader)
        else:
            body = await reader.read()
        if version != "HTTP/1.1" or headers.get("connection", "").lower() == "close":
            await self.close()
        return Reply(int(status), headers, body)


async def _read_chunked(reader: asyncio.StreamReader) -> bytes:
    parts = []
    while True:
        size = int((await reader.readline()).split(b";")[0], 16)
        if size == 0:
            await reader.readline()
            return b"".join(parts)
        parts.append(await reader.readexactly(size))
        await reader.readline()


# --- the journey ---------------------------------------------------------------------------


@dataclass
class Plan:
    """What one partner will answer: the form data of every page, and how it gets in."""

    marker: str  # unique organisation name, to find the response in the database
    organisation: dict[str, str]
    sections: list[tuple[int, list[tuple[str, str]]]]  # (position, form pairs)
    invitation_token: str | None = None
    stop_after: int | None = None  # leave a draft after saving this many pages


@dataclass
class Outcome:
    """What one journey achieved, as the partner saw it."""

    plan: Plan
    acknowledged: bool = False  # the submit was answered with the confirmation redirect
    reference: str | None = None
    saved_pages: list[str] = field(default_factory=list)  # pages whose save was acknowledged
    error: str | None = None


def _token(reply: Reply, what: str) -> str:
    found = CSRF.search(reply.body)
    if reply.status != 200 or not found:
        raise Failure(f"{what}: no form (status {reply.status})")
    return found.group(1).decode()


def _seen(reply: Reply) -> str:
    found = SEEN.search(reply.body)
    return html.unescape(found.group(1).decode()) if found else "{}"


def _expect_redirect(reply: Reply, what: str, ending: str) -> str:
    target = reply.location()
    if reply.status not in (302, 303) or not target.split("?")[0].endswith(ending):
        raise Failure(f"{what}: expected a redirect to …{ending}, got {reply.status} {target}")
    return target


class Think:
    """Seeded pauses, uniform between ``low`` and ``high`` seconds, before each form is sent:
    the time a partner spends reading a page and typing (redirects are followed at once)."""

    def __init__(self, low: float, high: float, seed: int) -> None:
        self.low, self.high = low, high
        self.random = random.Random(seed)

    def pause(self) -> float:
        """The next pause, in seconds."""
        return self.random.uniform(self.low, self.high)


class Partner:
    """Plays one :class:`Plan` through the journey; with ``retry_until`` set, a lost
    connection (a killed server) is retried, the same request again, until that time."""

    def __init__(
        self,
        browser: Browser,
        slug: str,
        plan: Plan,
        retry_until: float | None = None,
        think: Think | None = None,
    ) -> None:
        self.browser, self.slug, self.plan = browser, slug, plan
        self.retry_until = retry_until
        self.think = think
        self.outcome = Outcome(plan)

    async def _call(self, method: str, path: str, form=None, label: str = "") -> Reply:
        if method == "POST" and self.think is not None:
            await asyncio.sleep(self.think.pause())  # reading the page and typing
        while True:
            try:
                return await self.browser.request(method, path, form, label)
            except ConnectionLost:
                if self.retry_until is None or time.monotonic() > self.retry_until:
                    raise
                await asyncio.sleep(0.2)

    async def _page(self, path: str, label: str, pairs: list[tuple[str, str]], ending: str):
        page = await self._call("GET", path, label=f"GET {label}")
        fields = [("csrf_token", _token(page, label)), ("seen", _seen(page)), *pairs]
        fields.append(("action", "continue"))
        reply = await self._call("POST", path, fields, label=f"POST {label}")
        target = _expect_redirect(reply, label, ending)
        self.outcome.saved_pages.append(label)
        if len(self.outcome.saved_pages) == self.plan.stop_after:
            raise LeftDraft
        return target

    async def run(self) -> Outcome:
        """Walk the whole journey once; failures end it and are noted in the outcome."""
        try:
            await self._walk()
        except LeftDraft:
            pass
        except Failure as error:
            self.outcome.error = str(error)
        finally:
            await self.browser.close()
        return self.outcome

    async def _walk(self) -> None:
        base = f"/c/{self.slug}"
        if self.plan.invitation_token:
            reply = await self._call("GET", f"/i/{self.plan.invitation_token}", label="GET invite")
            _expect_redirect(reply, "invitation", base)
        start = await self._call("GET", base, label="GET start")
        token = _token(start, "start")
        reply = await self._call("POST", base, [("csrf_token", token)], "POST start")
        target = _expect_redirect(reply, "start", "/organisation")
        sections = self.plan.sections
        first = f"/section/{sections[0][0]}" if sections else "/check"
        target = await self._page(
            target, "organisation", list(self.plan.organisation.items()), first
        )
        for index, (_, pairs) in enumerate(sections):
            after = f"/section/{sections[index + 1][0]}" if index + 1 < len(sections) else "/check"
            target = await self._page(target, f"section-{sections[index][0]}", pairs, after)
        check = await self._call("GET", target, label="GET check")
        token = _token(check, "check")
        reply = await self._call("POST", target, [("csrf_token", token)], "POST check")
        target = _expect_redirect(reply, "check", "/confirmation")
        self.outcome.acknowledged = True
        page = await self._call("GET", target, label="GET confirmation")
        found = REFERENCE.search(page.body)
        if page.status != 200 or not found:
            raise Failure(f"confirmation: no reference (status {page.status})")
        self.outcome.reference = found.group(1).decode().strip()


# --- plans ---------------------------------------------------------------------------------

WORDS = [
    "buses",
    "trams",
    "housing",
    "skills",
    "funding",
    "councils",
    "colleges",
    "employers",
    "transport",
    "net zero",
    "training",
    "apprenticeships",
    "rail",
    "congestion",
    "energy",
    "universities",
    "investment",
    "jobs",
    "regeneration",
    "communities",
]


def make_plan(
    definition: dict[str, Any],
    marker: str,
    number: int,
    token: str | None,
    stop_after: int | None = None,
) -> Plan:
    """A partner's answers to every question of ``definition`` (see
    :func:`bench.load_server.consultation_definition`), varied by ``number``."""
    organisation = {
        "organisation_name": marker,
        "partner_type": "business" if number % 3 == 0 else "vcse",
        "size_band": "small" if number % 3 == 0 else "",
        "area": ["birmingham", "coventry", "dudley", "walsall"][number % 4],
        "respondent_name": f"Partner {number}",
        "respondent_email": f"partner{number}@example.org",
    }
    sections = []
    for section in definition["sections"]:
        pairs: list[tuple[str, str]] = []
        for q_index, question in enumerate(section["questions"]):
            name, kind, options = question["field"], question["kind"], question["options"]
            seed = number + q_index
            if kind in ("long_text", "short_text"):
                words = " ".join(WORDS[(seed + k) % len(WORDS)] for k in range(12))
                limit = question["limit"]
                pairs.append((name, f"{marker} answers: {words}."[:limit]))
            elif kind == "multiple_choice":
                pairs += [(name, options[(seed + k) % len(options)]) for k in range(2)]
            else:
                pairs.append((name, options[seed % len(options)]))
        sections.append((section["position"], pairs))
    return Plan(marker, organisation, sections, token, stop_after)


def expected_answers(definition: dict[str, Any], plan: Plan) -> dict[int, str]:
    """What the database should hold for ``plan``'s answers: question id -> stored value."""
    by_field = {q["field"]: q for section in definition["sections"] for q in section["questions"]}
    posted: dict[str, list[str]] = {}
    for _, pairs in plan.sections:
        for name, value in pairs:
            posted.setdefault(name, []).append(value)
    expected: dict[int, str] = {}
    for name, values in posted.items():
        question = by_field[name]
        if question["kind"] == "multiple_choice":
            order = question["options"]
            expected[question["id"]] = json.dumps(sorted(set(values), key=order.index))
        else:
            expected[question["id"]] = values[0]
    return expected


# --- running many partners -----------------------------------------------------------------


async def run_partners(
    host: str,
    port: int,
    slug: str,
    plans: Iterable[Plan],
    concurrency: int,
    duration: float,
    stats: Stats,
    retry_until: float | None = None,
    think: tuple[float, float] | None = None,
) -> list[Outcome]:
    """``concurrency`` partners at a time walk through ``plans`` until ``duration`` seconds
    have passed or the plans run out; journeys already started are finished. With
    ``think=(low, high)`` each partner pauses that long (seeded by its seat and journey)
    before sending each form, as people do; without it every seat always has a request in
    flight."""
    deadline = time.monotonic() + duration
    queue = iter(plans)
    outcomes: list[Outcome] = []

    async def one_seat(seat: int) -> None:
        journey = 0
        while time.monotonic() < deadline:
            plan = next(queue, None)
            if plan is None:
                return
            pauses = Think(*think, seed=seat * 100_003 + journey) if think else None
            journey += 1
            partner = Partner(Browser(host, port, stats), slug, plan, retry_until, pauses)
            outcome = await partner.run()
            outcomes.append(outcome)
            if outcome.acknowledged and outcome.error is None:
                stats.journeys.append(time.perf_counter())

    await asyncio.gather(*(one_seat(seat) for seat in range(concurrency)))
    return outcomes


async def run_hello(host: str, port: int, concurrency: int, duration: float, stats: Stats):
    """``concurrency`` loops of ``GET /`` for ``duration`` seconds (the baseline)."""
    deadline = time.monotonic() + duration

    async def one_seat() -> None:
        browser = Browser(host, port, stats)
        try:
            while time.monotonic() < deadline:
                try:
                    reply = await browser.request("GET", "/", label="GET hello")
                except Failure:
                    await asyncio.sleep(0.05)
                    continue
                if reply.status != 200:
                    stats.errors[f"GET hello: status {reply.status}"] += 1
        finally:
            await browser.close()

    await asyncio.gather(*(one_seat() for _ in range(concurrency)))
