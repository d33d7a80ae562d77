"""smoke10 finding 1 through a real gunicorn server (``gunicorn.conf.py``, two workers) and
plain HTTP, as the smoke test's repro ran it: two colleagues on one invitation link, a
validation error for one of them, and no answer of the other lost without a word."""

from __future__ import annotations

import pytest
from bs4 import BeautifulSoup
from sqlalchemy import select

from consult.extensions import db
from consult.models import Response
from tests.helpers import ORGANISATION_ANSWERS, field, make_consultation, make_invitation
from tests.reports_helpers import worker_environment
from tests.test_colleague_clash import shown_answers
from tests.test_gunicorn import gunicorn_process

requests = pytest.importorskip("requests")

pytestmark = pytest.mark.backends("sqlite", "postgresql")
BASE = "/c/transport-test"


def hidden(html: str) -> dict[str, str]:
    form = BeautifulSoup(html, "html.parser").find("form", method="post")
    return {i["name"]: i.get("value", "") for i in form.find_all("input", type="hidden")}


def send(person, url: str, page, answers: dict, action: str = "continue"):
    """POST a page's form as a browser would: its hidden fields, ``answers`` and a button."""
    return person.post(url, data={**hidden(page.text), **answers, "action": action})


def test_colleagues_answers_survive_the_other_colleagues_error(app, database_url, tmp_path):
    consultation = make_consultation()
    _, token = make_invitation(consultation)
    agree, why = field(consultation, "Buses should"), field(consultation, "Why")
    modes = field(consultation, "Which modes")
    db.session.remove()
    env = worker_environment(database_url, tmp_path / "instance", LOG_LEVEL="WARNING")
    with gunicorn_process(env, tmp_path / "gunicorn.log", workers=2) as (base, _):
        alice, bob = requests.Session(), requests.Session()
        for person in (alice, bob):
            start = person.get(f"{base}/i/{token}")  # redirected to the start page
            person.post(start.url, data=hidden(start.text))
        organisation = alice.get(base + BASE + "/organisation")
        send(alice, organisation.url, organisation, ORGANISATION_ANSWERS)
        url = base + BASE + "/section/1"
        alice_page, bob_page = alice.get(url), bob.get(url)
        send(alice, url, alice_page, {agree: "agree", modes: ["bus", "tram"]}, "save")

        # Bob's page still had them empty; he types only 'Why' and selects Continue.
        bobs = send(bob, url, bob_page, {why: "Bob's reason only."})
        assert bobs.url == url and bobs.history[0].status_code == 302
        html = BeautifulSoup(bobs.text, "html.parser")
        assert html.find(class_="govuk-error-summary") is None, html.get_text()
        assert html.find(id="conflict-message") is not None
        shown = shown_answers(bobs.text)
        assert shown[agree] == "agree" and shown[modes] == ["bus", "tram"]

        # He selects Continue on the page as shown; then checks his answers.
        onward = send(bob, url, bobs, shown)
        assert onward.url.endswith("/section/2")
        check = " ".join(
            BeautifulSoup(bob.get(base + BASE + "/check").text, "html.parser").get_text().split()
        )
        assert "Agree" in check and "Bus Tram" in check and "Bob's reason only." in check

    response = db.session.scalar(select(Response))
    stored = {a.question.field_name: a.value for a in response.answers}
    assert stored == {agree: "agree", why: "Bob's reason only.", modes: '["bus", "tram"]'}
