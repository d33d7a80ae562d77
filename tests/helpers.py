"""Test helpers: read pages like a browser does and fill in their forms."""

from __future__ import annotations

from datetime import timedelta
from urllib.parse import urlsplit

from bs4 import BeautifulSoup
from sqlalchemy import select

from consult.extensions import db
from consult.models import (
    Consultation,
    Invitation,
    Option,
    Organisation,
    Question,
    Response,
    Section,
    utcnow,
)
from consult.tokens import hash_token, new_token


def soup(response) -> BeautifulSoup:
    return BeautifulSoup(response.get_data(as_text=True), "html.parser")


def hidden_fields(page) -> dict[str, str]:
    """The hidden inputs of the page's main form (CSRF token and the seen digests)."""
    form = soup(page).find("form", method="post")
    assert form is not None, "page has no form"
    return {i["name"]: i.get("value", "") for i in form.find_all("input", type="hidden")}


def form_data(page: BeautifulSoup, form) -> list[tuple[str, str]]:
    """What a browser sends with ``form`` (a form of ``page``), buttons aside, in page order:
    its fields, those inside it and those naming it in their ``form`` attribute (tidy30: the
    invitations page's search belongs to its sending form), ticked boxes only, each select's
    chosen option (its first when none is)."""
    sent = []
    for field in page.find_all(["input", "select", "textarea"]):
        owner = field.get("form")
        mine = owner == form.get("id") if owner else field.find_parent("form") is form
        if not mine or not field.get("name"):
            continue
        if field.get("type") in ("checkbox", "radio") and not field.has_attr("checked"):
            continue
        if field.name == "select":
            chosen = field.find("option", selected=True) or field.find("option")
            value = chosen.get("value", chosen.get_text()) if chosen else ""
        elif field.name == "textarea":
            value = field.get_text()
        else:
            value = field.get("value", "on" if field.get("type") == "checkbox" else "")
        sent.append((field["name"], value))
    return sent


def post_form(client, url: str, data: dict, action: str = "continue", page=None):
    """GET the page (unless given), then POST ``data`` with its hidden fields, like a browser."""
    page = page if page is not None else client.get(url)
    fields = hidden_fields(page)
    fields.update(data)
    if action:
        fields["action"] = action
    return client.post(url, data=fields)


def redrawn(client, posted):
    """A page's POST that needs fixing is answered by a redirect to the page itself
    (Post/Redirect/Get): check that, and return the page as that GET draws it."""
    assert posted.status_code == 302, posted.status_code
    location = urlsplit(posted.headers["Location"])
    sent = posted.request
    assert (location.path, location.query) == (sent.path, sent.query_string.decode()), location
    return client.get(posted.headers["Location"])


def error_summary(page) -> list[tuple[str, str]]:
    """(link target, text) pairs from the page's error summary."""
    box = soup(page).find(class_="govuk-error-summary")
    if box is None:
        return []
    return [(a["href"], a.get_text(strip=True)) for a in box.find_all("a")]


def make_consultation(
    slug: str = "transport-test",
    *,
    status: str = "open",
    opens_in: timedelta | None = None,
    closes_in: timedelta | None = timedelta(days=30),
    allow_open_link: bool = True,
) -> Consultation:
    """A two-section consultation with every question kind."""
    now = utcnow()
    consultation = Consultation(
        slug=slug,
        title="Test consultation on transport",
        summary="About buses.",
        audience="Everyone.",
        status=status,
        opens_at=now + opens_in if opens_in else now - timedelta(days=1),
        closes_at=now + closes_in if closes_in is not None else None,
        privacy_notice="We keep answers safe.",
        allow_open_link=allow_open_link,
    )
    first = Section(position=1, title="Buses", intro="")
    agree = Question(position=1, kind="agreement", text="Buses should be franchised", required=True)
    why = Question(
        position=2, kind="long_text", text="Why do you say that?", explains=agree, max_length=200
    )
    modes = Question(position=3, kind="multiple_choice", text="Which modes do you use?")
    modes.options = [
        Option(position=1, value="bus", label="Bus"),
        Option(position=2, value="tram", label="Tram"),
        Option(position=3, value="rail", label="Rail"),
    ]
    first.questions = [agree, why, modes]
    second = Section(position=2, title="Priorities", intro="")
    top = Question(position=1, kind="single_choice", text="Top priority", required=True)
    top.options = [
        Option(position=1, value="cost", label="Cost"),
        Option(position=2, value="reliability", label="Reliability"),
    ]
    idea = Question(position=2, kind="short_text", text="One idea", max_length=50)
    second.questions = [top, idea]
    consultation.sections = [first, second]
    db.session.add(consultation)
    db.session.commit()
    return consultation


def make_invitation(
    consultation: Consultation, *, expires_in: timedelta = timedelta(days=30), name="Acme Ltd"
) -> tuple[Invitation, str]:
    """An invitation for a new business organisation, and its plain token."""
    organisation = Organisation(
        name=name,
        partner_type="business",
        size_band="small",
        area="coventry",
        contact_email="contact@acme.example",
    )
    token = new_token()
    invitation = Invitation(
        consultation=consultation,
        organisation=organisation,
        token_hash=hash_token(token),
        expires_at=utcnow() + expires_in,
    )
    db.session.add(invitation)
    db.session.commit()
    return invitation, token


def submitted_invitation(consultation: Consultation, name: str = "Aldridge College") -> Invitation:
    """An invitation (:func:`make_invitation`) whose organisation has submitted its response."""
    invitation, _ = make_invitation(consultation, name=name)
    db.session.add(
        Response(
            consultation=consultation,
            invitation=invitation,
            reference="WM-SENT-1",
            status="submitted",
            submitted_at=utcnow(),
            organisation_name=name,
        )
    )
    db.session.commit()
    return invitation


ORGANISATION_ANSWERS = {
    "organisation_name": "Tipton Community Trust",
    "partner_type": "vcse",
    "area": "sandwell",
    "respondent_name": "",
    "respondent_email": "",
}


def field(consultation: Consultation, text: str) -> str:
    """The form field name of the question whose text starts with ``text``."""
    for question in consultation.questions:
        if question.text.startswith(text):
            return question.field_name
    raise KeyError(text)


def section_one(consultation: Consultation, **overrides) -> dict:
    answers = {
        field(consultation, "Buses should"): "agree",
        field(consultation, "Why"): "Reliable buses matter.",
        field(consultation, "Which modes"): ["bus", "tram"],
    }
    return {**answers, **overrides}


def section_two(consultation: Consultation, **overrides) -> dict:
    answers = {
        field(consultation, "Top priority"): "reliability",
        field(consultation, "One idea"): "More night buses",
    }
    return {**answers, **overrides}


def colleagues(app, token: str, count: int = 2) -> list:
    """Browsers that each open the invitation link and start: one shared draft."""
    clients = [app.test_client() for _ in range(count)]
    base = f"/c/{db.session.scalar(select(Invitation)).consultation.slug}"
    for person in clients:
        person.get(f"/i/{token}")
        person.post(base, data=hidden_fields(person.get(base)))
    return clients
