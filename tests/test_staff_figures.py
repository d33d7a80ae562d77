"""Dashboard figures: the funnel's shares are of invited organisations, open-link responses
are counted apart, and a closed question's shares are of the responses that answered it."""

from __future__ import annotations

import json

import pytest

from consult.extensions import db
from consult.models import Answer, Response, utcnow
from consult.staff.figures import dashboard_data
from tests.helpers import make_consultation, make_invitation, soup
from tests.staff_helpers import signed_in

pytestmark = pytest.mark.backends("sqlite", "postgresql")


def respond(
    consultation,
    reference,
    *,
    invitation=None,
    status="submitted",
    modes=None,
    partner_type="business",
):
    questions = {q.text: q for q in consultation.questions}
    response = Response(
        consultation=consultation,
        invitation=invitation,
        reference=reference,
        status=status,
        submitted_at=utcnow() if status == "submitted" else None,
        partner_type=partner_type,
        area="coventry",
    )
    if modes is not None:
        response.answers = [
            Answer(question=questions["Which modes do you use?"], value=json.dumps(modes))
        ]
    db.session.add(response)
    db.session.commit()
    return response


@pytest.fixture
def consultation(app):
    """10 invited: 4 started, 2 of them submitted; 5 more through the open link, 3 submitted.
    Of the 5 submitted, 4 answered the modes question, each ticking 3 options but one who
    ticked only the bus."""
    consultation = make_consultation()
    invitations = [make_invitation(consultation, name=f"Org {n}")[0] for n in range(10)]
    respond(consultation, "WM-I1", invitation=invitations[0], modes=["bus", "tram", "rail"])
    respond(consultation, "WM-I2", invitation=invitations[1], modes=["bus", "tram", "rail"])
    respond(consultation, "WM-I3", invitation=invitations[2], status="draft")
    respond(consultation, "WM-I4", invitation=invitations[3], status="draft")
    respond(consultation, "WM-O1", modes=["bus", "tram", "rail"])
    respond(consultation, "WM-O2", modes=["bus"])
    respond(consultation, "WM-O3", modes=[])
    respond(consultation, "WM-O4", status="draft")
    respond(consultation, "WM-O5", status="draft")
    return consultation


def test_funnel_shares_are_of_invited_and_open_link_is_apart(app, consultation):
    data = dashboard_data(consultation)
    assert data.funnel.rows == [("Invited", 10), ("Started", 4), ("Submitted", 2)]
    assert data.funnel.base == 10
    assert [data.funnel.share(v) for _, v in data.funnel.rows] == ["100%", "40%", "20%"]
    assert (data.open_link_started, data.open_link_submitted) == (5, 3)


def test_multiple_choice_shares_are_of_respondents_who_answered(app, consultation):
    modes = next(c for c in dashboard_data(consultation).closed if c.title.startswith("Which"))
    assert modes.rows == [("Bus", 4), ("Tram", 3), ("Rail", 3)]
    assert modes.base == 4  # WM-O3 ticked nothing: not a respondent to this question
    assert [modes.share(v) for _, v in modes.rows] == ["100%", "75%", "75%"]
    assert "of 4 responses that answered" in modes.note
    # One word for one count, as on the dashboard's other charts (tidy29 #3).
    assert (modes.count_heading, modes.share_heading) == (
        "Responses",
        "Share of responses that answered",
    )


def test_no_invitations_means_no_share_rather_than_a_division_by_zero(app):
    consultation = make_consultation()
    data = dashboard_data(consultation)
    assert data.funnel.share(0) == "–"
    assert all(chart.base == 0 for chart in data.closed)


def test_dashboard_page_says_what_each_share_is_of(app, consultation):
    page = signed_in(app, "viewer").get(f"/staff/consultations/{consultation.id}/dashboard")
    assert page.status_code == 200
    html = soup(page)
    funnel = html.find(id="funnel")
    assert "Share of invited" in funnel.get_text()
    cells = [row.find_all(["th", "td"]) for row in funnel.find("tbody").find_all("tr")]
    assert [[c.get_text(strip=True) for c in row] for row in cells] == [
        ["Invited", "10", "100%"],
        ["Started", "4", "40%"],
        ["Submitted", "2", "20%"],
    ]
    note = html.find(id="open-link-note").get_text(" ", strip=True)
    # Who responded first, then the starts not yet submitted, which are not responses:
    # "submitted", as the funnel above says it (was "3 sent"); nobody reads as having given up
    # (it said "one started but never submitted is not a response").
    assert note.startswith(
        "3 responses were submitted through the open link, without an invitation, "
        "and 2 more have been started but not submitted."
    )
    assert "not counted in the invited figures" in note
    assert " sent" not in note and "never" not in note
    modes = next(f for f in html.find_all("figure") if "Which modes" in f.get_text())
    assert "of 4 responses that answered" in modes.find("caption").get_text()
    headers = [th.get_text(strip=True) for th in modes.find("thead").find_all("th")]
    assert headers[1:] == ["Responses", "Share of responses that answered"]
    assert "respondent" not in html.find("main").get_text().lower()
    # Every chart is named for screen readers and has its data table in a focusable region.
    for figure in html.find_all("figure"):
        svg = figure.find("svg")
        assert svg["role"] == "img" and figure.find(id=svg["aria-labelledby"]).name == "title"
        region = figure.find(class_="consult-table-wrap")
        assert region["tabindex"] == "0" and region["role"] == "region"
        assert region["aria-label"]


def test_each_chart_is_headed_by_its_question_and_days_read_as_dates(app, consultation):
    """Review findings 5 and 9: the closed question charts had no visible title (the question
    came only after its chart, in the table's caption), and days read '2026-11-14'."""
    from consult.times import uk_time

    page = soup(signed_in(app, "viewer").get(f"/staff/consultations/{consultation.id}/dashboard"))
    headings = [h.get_text(" ", strip=True) for h in page.find_all(["h2", "h3"])]
    numbers = {q.text: n for n, q in enumerate(consultation.questions, start=1)}
    closed = [q for q in consultation.questions if not q.is_text]
    assert closed
    for question in closed:
        heading = f"Q{numbers[question.text]}: {question.text}"
        assert heading in headings
        assert headings.index("Closed questions") < headings.index(heading)
    for name, title in (("partner", "Responses by partner type"), ("area", "Responses by area")):
        heading = page.find(id=f"{name}-heading")
        assert heading.name == "h3" and heading.get_text(strip=True) == title
        figure = page.find(id=name)
        assert figure["aria-labelledby"] == f"{name}-heading"
        assert heading.find_next("figure") is figure  # the heading comes before its chart
    first = page.find(id="closed-1-heading")
    assert first.name == "h3" and first.find_next("figure")["id"] == "closed-1"
    days = [
        row.th.get_text(strip=True)
        for row in page.find(id="over-time").find("tbody").find_all("tr")
    ]
    assert days == [uk_time(utcnow(), "short_date")]


@pytest.mark.parametrize(
    ("started", "submitted", "said"),
    [
        (1, 1, "1 response was submitted through the open link, without an invitation."),
        (2, 1, "and 1 more has been started but not submitted."),
        (
            1,
            0,
            "1 response has been started through the open link, without an invitation, "
            "but not submitted.",
        ),
        (0, 0, "Nobody has started through the open link."),
    ],
)
def test_open_link_note_reads_in_words(app, started, submitted, said):
    consultation = make_consultation()
    for n in range(started):
        status = "submitted" if n < submitted else "draft"
        respond(consultation, f"WM-O{n}", status=status)
    page = signed_in(app, "viewer").get(f"/staff/consultations/{consultation.id}/dashboard")
    assert said in soup(page).find(id="open-link-note").get_text(" ", strip=True)
    text = soup(page).find(id="open-link-note").get_text().strip()
    assert "  " not in text and "\n" not in text  # smoke10 finding 20: "invitation.  They"


def test_imported_responses_are_counted_apart_from_the_open_link(app):
    """smoke9 #4: 4 imported responses were said to have come "through the open link,
    without an invitation"; an import is its own source, counted and worded apart."""
    consultation = make_consultation()
    respond(consultation, "WM-O1")  # one through the open link
    for n in range(4):
        imported = respond(consultation, f"WM-X{n}")
        imported.source, imported.external_id = "import", f"EXT-{n}"
    db.session.commit()
    data = dashboard_data(consultation)
    assert (data.open_link_started, data.open_link_submitted, data.imported) == (1, 1, 4)
    page = soup(signed_in(app, "viewer").get(f"/staff/consultations/{consultation.id}/dashboard"))
    note = page.find(id="open-link-note").get_text(" ", strip=True)
    assert note.startswith("1 response was submitted through the open link")
    said = page.find(id="imported-note").get_text(" ", strip=True)
    assert said.startswith("4 responses were imported from another tool.")
    assert "not counted in the invited figures above" in said


def test_only_imported_responses_are_not_called_open_link_ones(app):
    consultation = make_consultation()
    imported = respond(consultation, "WM-X1")
    imported.source = "import"
    db.session.commit()
    page = soup(signed_in(app, "viewer").get(f"/staff/consultations/{consultation.id}/dashboard"))
    assert "Nobody has started through the open link." in page.find(id="open-link-note").get_text()
    said = page.find(id="imported-note").get_text(" ", strip=True)
    assert said.startswith("1 response was imported from another tool. It is not counted")


def test_open_link_responses_sharing_a_name_are_pointed_out(app):
    """smoke12: two open-link responses from "Coventry College" and one from an invited
    organisation's name typed in another case were counted as "3 organisations", with nothing
    to say they may be one organisation's second response."""
    consultation = make_consultation()
    invitation, _ = make_invitation(consultation, name="Erdington Carers Network")
    for reference, name in (
        ("WM-O1", "Coventry College"),
        ("WM-O2", "coventry  college"),
        ("WM-O3", "erdington  carers NETWORK"),
        ("WM-O4", "Tipton Trust"),
    ):
        respond(consultation, reference).organisation_name = name
    respond(consultation, "WM-O5", status="draft").organisation_name = "Tipton Trust"
    db.session.commit()
    data = dashboard_data(consultation)
    assert (data.open_link_submitted, data.open_link_shared_names) == (4, 3)
    for role, linked in (("viewer", False), ("analyst", True)):
        page = signed_in(app, role).get(f"/staff/consultations/{consultation.id}/dashboard")
        note = soup(page).find(id="shared-names")
        assert note.get_text(" ", strip=True).startswith(
            "3 of the submitted ones have the organisation name (ignoring case and spaces) of "
            "another response or of an invited organisation: check them"
        )
        assert (note.find("a") is not None) is linked  # viewers cannot open the responses list


def test_individuals_are_not_compared_as_organisations(app):
    """An individual is no organisation: two people answering as individuals who typed the
    same name (or one typing an invited organisation's), are not a second response from one
    organisation, nor does an individual's name make an organisation's response look like
    one. Organisations' names are still compared, among themselves and with invitations."""
    consultation = make_consultation()
    make_invitation(consultation, name="Erdington Carers Network")
    for reference, name, partner_type in (
        ("WM-I1", "Jo Bloggs", "individual"),
        ("WM-I2", "jo  bloggs", "individual"),
        ("WM-I3", "Erdington Carers Network", "individual"),
        ("WM-I4", "Walsall Tools Ltd", "individual"),
        ("WM-O1", "Walsall Tools Ltd", "business"),
    ):
        respond(consultation, reference, partner_type=partner_type).organisation_name = name
    db.session.commit()
    data = dashboard_data(consultation)
    assert (data.open_link_submitted, data.open_link_shared_names) == (5, 0)
    page = signed_in(app, "viewer").get(f"/staff/consultations/{consultation.id}/dashboard")
    assert soup(page).find(id="shared-names") is None
    # An organisation's second response is still pointed out, an individual's aside.
    respond(consultation, "WM-O2").organisation_name = "walsall tools LTD"
    respond(
        consultation, "WM-O3", partner_type="vcse"
    ).organisation_name = "Erdington Carers Network"
    db.session.commit()
    assert dashboard_data(consultation).open_link_shared_names == 3
