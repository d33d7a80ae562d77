"""Scheduling a consultation to open later: the request-free rules (``Consultation.stage``
and consult/staff/building.py), the builder's pages, the partner's page before it opens and
the invitation email, through the test client. tests/test_scheduling_server.py walks the same
way through a real server process."""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta
from email import message_from_bytes, policy
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from sqlalchemy import select

from consult.extensions import db
from consult.models import AuditEvent, Consultation, Invitation, Organisation, utcnow
from consult.staff import building
from consult.times import uk_time
from tests.helpers import make_consultation, soup
from tests.staff_helpers import post, signed_in

pytestmark = pytest.mark.backends("sqlite", "postgresql")

NOW = datetime(2027, 2, 1, 12, 0, tzinfo=UTC)
LATER = datetime(2027, 3, 1, 9, 0, tzinfo=UTC)  # 9am GMT
EARLIER = datetime(2027, 1, 1, 9, 0, tzinfo=UTC)


def words(node) -> str:
    return " ".join(node.get_text(" ").split())


def fresh(consultation: Consultation) -> Consultation:
    db.session.expire_all()
    return db.session.get(Consultation, consultation.id)


def scheduled_draft(**fields) -> Consultation:
    """A draft with questions, opening in ten days at 9am UK time and closing 30 days later."""
    consultation = make_consultation(status="draft", closes_in=None)
    day = (utcnow() + timedelta(days=10)).date()
    consultation.opens_at = datetime(day.year, day.month, day.day, 9, 0, tzinfo=UTC)
    consultation.closes_at = consultation.opens_at + timedelta(days=30)
    for name, value in fields.items():
        setattr(consultation, name, value)
    db.session.commit()
    return consultation


# The rules, without a request -----------------------------------------------------------


@pytest.mark.parametrize(
    ("status", "opens_at", "closes_at", "stage"),
    [
        ("draft", LATER, None, "draft"),
        ("draft", None, None, "draft"),
        ("open", LATER, None, "scheduled"),
        ("open", EARLIER, None, "open"),
        ("open", None, None, "open"),
        ("open", EARLIER, EARLIER + timedelta(days=1), "closed"),
        ("closed", LATER, None, "closed"),
    ],
)
def test_stage_is_worked_out_from_status_and_time(status, opens_at, closes_at, stage):
    consultation = Consultation(status=status, opens_at=opens_at, closes_at=closes_at)
    assert consultation.stage(NOW) == stage
    # It opens by itself: the same consultation a moment after its opening date is open.
    if stage == "scheduled":
        assert consultation.stage(LATER + timedelta(seconds=1)) == "open"
        assert consultation.availability(LATER + timedelta(seconds=1)) == "open"


def test_only_a_draft_with_a_future_opening_date_can_be_scheduled(app):
    consultation = make_consultation(status="draft")
    consultation.opens_at, consultation.closes_at = LATER, LATER + timedelta(days=30)
    db.session.commit()
    assert building.can_schedule(consultation, NOW)
    assert building.status_refusal(consultation, "schedule", NOW) is None
    assert not building.can_schedule(consultation, LATER)  # the date has come
    assert building.status_refusal(consultation, "schedule", LATER) == building.SCHEDULE_NO_DATE
    consultation.opens_at = None
    assert building.status_refusal(consultation, "schedule", NOW) == building.SCHEDULE_NO_DATE
    consultation.opens_at = LATER
    consultation.closes_at = LATER  # imported definitions are not checked by the form
    assert building.status_refusal(consultation, "schedule", NOW) == (
        building.SCHEDULE_CLOSES_FIRST
    )
    consultation.closes_at = None
    consultation.status = "closed"
    assert building.status_refusal(consultation, "schedule", NOW) == building.SCHEDULE_NOT_DRAFT
    empty = Consultation(slug="empty", title="Empty", status="draft", opens_at=LATER)
    db.session.add(empty)
    db.session.commit()
    assert building.status_refusal(empty, "schedule", NOW) == building.SCHEDULE_NO_QUESTIONS


def test_scheduling_keeps_the_date_is_recorded_and_can_be_undone(app):
    consultation = make_consultation(status="draft", closes_in=None)
    consultation.opens_at = LATER
    change = building.describe_status_change(consultation, "schedule", NOW)
    assert change.question == (
        "Are you sure you want to schedule Test consultation on transport to open on "
        "1 March 2027 at 9am?"
    )
    assert change.button == "Yes, schedule it" and not change.warning and not change.refusal
    said = " ".join(change.consequences)
    assert "Partners will not be able to respond until 1 March 2027 at 9am" in said
    assert "listed under 'Opening soon'" in said
    assert "its links say when it opens." in said
    assert "It will open by itself at that time" in said
    assert "return it to draft" in said
    assert consultation.status == "draft"  # describing changes nothing

    building.set_status(consultation, "schedule", NOW)
    db.session.commit()
    consultation = fresh(consultation)
    assert consultation.status == "open" and consultation.opens_at.replace(tzinfo=UTC) == LATER
    assert consultation.stage(NOW) == "scheduled"
    event = db.session.scalars(
        select(AuditEvent).where(AuditEvent.action == "consultation_status")
    ).one()
    assert '"status": "scheduled"' in event.detail and "1 March 2027 at 9am" in event.detail
    assert building.status_message(consultation, NOW) == (
        "The consultation is scheduled to open on 1 March 2027 at 9am. It will open by itself then."
    )

    # Until then: return to draft (which says it will not open then) or open now, not close.
    assert building.status_refusal(consultation, "close", NOW) == (building.CLOSE_SCHEDULED_REFUSAL)
    back = building.describe_status_change(consultation, "draft", NOW)
    assert back.consequences[0].startswith("It will not open on 1 March 2027 at 9am.")
    opening = building.describe_status_change(consultation, "open", NOW)
    assert "Its opening date will change to now." in opening.consequences
    building.set_status(consultation, "draft", NOW)
    assert consultation.status == "draft" and consultation.opens_at.replace(tzinfo=UTC) == LATER


def test_a_scheduled_consultation_stays_editable(app):
    consultation = scheduled_draft()
    building.set_status(consultation, "schedule")
    db.session.commit()
    assert not building.has_responses(consultation)
    section = consultation.sections[0]
    assert building.remove_section(section) is None  # not locked, like a draft


def test_the_opening_date_cannot_open_or_hide_it_without_asking(app):
    scheduled = Consultation(status="open", opens_at=LATER)
    problem = building.opening_date_problem(scheduled, None, NOW)
    assert problem.startswith("Enter an opening date in the future")
    assert "To open it now, use Open now" in problem
    assert building.opening_date_problem(scheduled, EARLIER, NOW) == problem
    assert building.opening_date_problem(scheduled, LATER + timedelta(days=1), NOW) is None
    open_now = Consultation(status="open", opens_at=EARLIER)
    assert building.opening_date_problem(open_now, EARLIER, NOW) is None
    assert "cannot be in the future while it is open" in building.opening_date_problem(
        open_now, LATER, NOW
    )
    draft = Consultation(status="draft", opens_at=None)
    assert building.opening_date_problem(draft, LATER, NOW) is None
    assert building.opening_date_problem(draft, None, NOW) is None


# The builder's pages ----------------------------------------------------------------------


def test_a_draft_with_a_later_opening_date_is_scheduled_from_its_page(app):
    consultation = scheduled_draft()
    when = uk_time(consultation.opens_at)
    base = f"/staff/consultations/{consultation.id}"
    client = signed_in(app, "editor")

    overview = soup(client.get(base))
    schedule = overview.find("a", string=re.compile("Schedule to open on"))
    assert schedule is not None and words(schedule) == f"Schedule to open on {when}"
    assert schedule["href"] == f"{base}/status/schedule"
    assert overview.find("a", string=re.compile("Open now")) is not None
    assert "A draft does not open by itself" in words(overview.find(id="not-scheduled"))

    confirm = soup(client.get(schedule["href"]))
    assert words(confirm.find("h1")) == (
        f"Are you sure you want to schedule {consultation.title} to open on {when}?"
    )
    assert "its links say when it opens." in words(confirm.find(id="consequences"))
    assert fresh(consultation).status == "draft"  # asking changes nothing

    done = post(
        client,
        f"{base}/status",
        {"action": "schedule", "confirmed": "yes"},
        page_url=schedule["href"],
        follow_redirects=True,
    )
    page = soup(done)
    assert f"The consultation is scheduled to open on {when}" in words(page)
    # The opening time shows once, in the Opens row: not in the Status row or the caption.
    assert words(page.find(class_="govuk-caption-l")) == "Consultation · scheduled"
    status = words(page.find(id="consultation-status"))
    assert (
        status.startswith("Status Scheduled Partners can see when it opens") and when not in status
    )
    assert "at the time under Opens, below" in status
    assert words(page.find(id="consultation-opens")) == f"Opens {when}"
    main = words(page.find("main"))
    assert main.count(when) == 1 + main.count(f"The consultation is scheduled to open on {when}")
    buttons = [words(a) for a in page.select(".govuk-button-group a.govuk-button")]
    assert "Open now" in buttons and "Back to draft" in buttons
    assert "Close now" not in buttons and not any(b.startswith("Schedule") for b in buttons)
    assert page.find("a", href=re.compile(r"/sections/\d+/delete")) is not None  # editable
    assert page.find(id="not-scheduled") is None
    assert fresh(consultation).status == "open"

    home = soup(client.get("/staff/"))
    row = home.find("a", string=consultation.title).find_parent("tr")
    tag = row.find("strong", class_="govuk-tag")
    assert words(tag) == "Scheduled" and "govuk-tag--blue" in tag["class"]
    assert f"Opens {when}" in words(row)

    # Close now is not offered, and not done if asked for by hand.
    refused = soup(client.get(f"{base}/status/close"))
    assert words(refused.find("h1")) == f"{consultation.title} cannot be closed"
    assert "return it to draft" in words(refused.find(id="refusal"))


def test_no_schedule_action_without_a_later_opening_date(app):
    consultation = make_consultation(status="draft", closes_in=None)
    consultation.opens_at = None
    db.session.commit()
    base = f"/staff/consultations/{consultation.id}"
    client = signed_in(app, "editor")
    assert soup(client.get(base)).find("a", string=re.compile("Schedule to open")) is None
    refused = soup(client.get(f"{base}/status/schedule"))
    assert words(refused.find("h1")) == f"{consultation.title} cannot be scheduled"
    assert refused.find("form", action=f"{base}/status") is None
    sent = post(
        client,
        f"{base}/status",
        {"action": "schedule", "confirmed": "yes"},
        page_url=f"{base}/status/draft",
        follow_redirects=True,
    )
    assert building.SCHEDULE_NO_DATE in sent.get_data(as_text=True)
    assert fresh(consultation).status == "draft"


def test_a_scheduled_consultation_opens_now_or_goes_back_to_draft(app):
    consultation = scheduled_draft()
    building.set_status(consultation, "schedule")
    db.session.commit()
    base = f"/staff/consultations/{consultation.id}"
    client = signed_in(app, "editor")
    confirm = {"confirmed": "yes"}
    back = post(
        client, f"{base}/status", {**confirm, "action": "draft"}, page_url=f"{base}/status/draft"
    )
    assert back.status_code == 302 and fresh(consultation).status == "draft"
    post(client, f"{base}/status", {**confirm, "action": "schedule"}, f"{base}/status/schedule")
    assert fresh(consultation).stage() == "scheduled"
    post(client, f"{base}/status", {**confirm, "action": "open"}, f"{base}/status/open")
    assert fresh(consultation).stage() == "open"


def _details(client, base: str, **changes) -> dict:
    """The details form as it stands, with ``changes``."""
    page = soup(client.get(f"{base}/edit"))
    form = page.find("form", method="post")
    data = {}
    for item in form.find_all(["input", "textarea"]):
        name = item.get("name")
        if not name or item.get("type") == "submit":
            continue
        if item.get("type") == "checkbox":
            if item.has_attr("checked"):
                data[name] = item.get("value", "y")
            continue
        data[name] = item.get_text() if item.name == "textarea" else item.get("value", "")
    return {**data, **changes}


def test_editing_the_details_cannot_open_a_scheduled_one_without_asking(app):
    consultation = scheduled_draft()
    building.set_status(consultation, "schedule")
    db.session.commit()
    base = f"/staff/consultations/{consultation.id}"
    client = signed_in(app, "editor")
    emptied = client.post(f"{base}/edit", data=_details(client, base, opens_at=""))
    assert emptied.status_code == 200
    assert "Enter an opening date in the future" in emptied.get_data(as_text=True)
    assert fresh(consultation).stage() == "scheduled"
    later = uk_time(consultation.opens_at + timedelta(days=1))
    moved = client.post(f"{base}/edit", data=_details(client, base, opens_at=later))
    assert moved.status_code == 302
    assert uk_time(fresh(consultation).opens_at) == later

    opened = make_consultation("open-one")
    open_base = f"/staff/consultations/{opened.id}"
    hidden = client.post(f"{open_base}/edit", data=_details(client, open_base, opens_at=later))
    assert "cannot be in the future while it is open" in hidden.get_data(as_text=True)
    assert fresh(opened).stage() == "open"


# Partners and invitations -----------------------------------------------------------------


def test_partners_are_told_when_it_opens(app):
    consultation = scheduled_draft()
    client = app.test_client()
    before = client.get(f"/c/{consultation.slug}")
    assert before.status_code == 404  # a draft: no more said than before
    assert "opens" not in before.get_data(as_text=True)
    assert consultation.title not in words(soup(client.get("/")))
    building.set_status(consultation, "schedule")
    db.session.commit()
    when = uk_time(consultation.opens_at)
    # Its start page says what it is about and when it opens, with no start button.
    page = client.get(f"/c/{consultation.slug}")
    shown = soup(page)
    assert page.status_code == 200
    assert words(shown.find("h1")) == consultation.title
    assert f"This consultation opens on {when} (UK time)." in words(shown.find(id="opens-later"))
    assert shown.find("form", action=f"/c/{consultation.slug}") is None
    assert "Start now" not in words(shown)
    # Starting anyway (an old form, a hand-made POST) is a clear page saying when.
    begun = client.post(f"/c/{consultation.slug}", data={})
    assert begun.status_code in (303, 403, 400)
    inner = client.get(f"/c/{consultation.slug}/organisation")
    assert inner.status_code == 403
    assert f"It opens on {when} (UK time)." in words(soup(inner))
    # The list of consultations has it under "Opening soon", with its date, after the open.
    listed = soup(client.get("/"))
    soon = listed.find("ul", attrs={"aria-labelledby": "opening-soon"})
    assert words(soon) == f"{consultation.title} Opens on {when}"
    assert soon.find("a")["href"] == f"/c/{consultation.slug}"
    assert listed.find("ul", attrs={"aria-labelledby": "open-now"}) is None
    assert "There are no consultations open at the moment." in words(listed)


def test_the_list_shows_upcoming_ones_soonest_first_and_moves_them_when_they_open(app):
    later = scheduled_draft(slug="later-one", title="Later one")
    later.opens_at += timedelta(days=5)
    sooner = scheduled_draft(slug="sooner-one", title="Sooner one")
    for consultation in (later, sooner):
        building.set_status(consultation, "schedule")
    make_consultation("already-open").title = "Already open"
    db.session.commit()
    client = app.test_client()
    listed = soup(client.get("/"))
    soon = listed.find("ul", attrs={"aria-labelledby": "opening-soon"})
    assert [words(a) for a in soon.find_all("a")] == ["Sooner one", "Later one"]
    now = listed.find("ul", attrs={"aria-labelledby": "open-now"})
    assert [words(a) for a in now.find_all("a")] == ["Already open"]
    # Its time comes: nothing else is done, and it moves to "Open now" with a start button.
    fresh(sooner).opens_at = utcnow() - timedelta(minutes=1)
    db.session.commit()
    listed = soup(client.get("/"))
    now = listed.find("ul", attrs={"aria-labelledby": "open-now"})
    assert [words(a) for a in now.find_all("a")] == ["Already open", "Sooner one"]
    soon = listed.find("ul", attrs={"aria-labelledby": "opening-soon"})
    assert [words(a) for a in soon.find_all("a")] == ["Later one"]
    assert "Start now" in words(soup(client.get("/c/sooner-one")))


def test_a_scheduled_consultation_can_be_invited_to_and_the_email_says_when(app):
    consultation = scheduled_draft()
    consultation.closes_at = None  # links then last 90 days from the opening date
    db.session.commit()
    organisation = Organisation(
        name="Partner 1", partner_type="vcse", area="sandwell", contact_email="p1@example.org"
    )
    db.session.add(organisation)
    db.session.commit()
    base = f"/staff/consultations/{consultation.id}"
    client = signed_in(app, "editor")
    page = f"{base}/invitations"
    draft_page = words(soup(client.get(page)).find(id="cannot-send"))
    assert "Open it first, or schedule it to open later." in draft_page

    building.set_status(consultation, "schedule")
    db.session.commit()
    shown = soup(client.get(page))
    assert shown.find(id="cannot-send") is None
    when = uk_time(consultation.opens_at)
    assert f"scheduled to open on {when}" in words(shown.find(id="opens-later"))
    sent = post(
        client,
        f"{page}/send",
        {"mode": "invite", "organisation": [str(organisation.id)]},
        page_url=page,
        follow_redirects=True,
    )
    assert sent.status_code == 200
    [path] = (Path(app.instance_path) / "outbox").glob("*.eml")
    body = message_from_bytes(path.read_bytes(), policy=policy.default).get_content()
    assert f"The consultation opens on {when} (UK time): the link will work from then." in body
    invitation = db.session.scalar(select(Invitation))
    expires = invitation.expires_at.replace(tzinfo=UTC)
    assert expires == consultation.opens_at.replace(tzinfo=UTC) + timedelta(days=90)

    link = re.search(r"(http://\S+/i/\S+)", body)[1]
    followed = app.test_client().get(urlsplit(link).path, follow_redirects=True)
    assert followed.status_code == 200
    assert followed.request.path == f"/c/{consultation.slug}"
    page = soup(followed)
    assert f"responding on behalf of {organisation.name}" in words(page)
    assert f"This consultation opens on {when} (UK time)." in words(page.find(id="opens-later"))
    assert "your invitation link will let you start from that time" in words(page)
    assert "Start now" not in words(page)


def test_a_summary_typed_in_a_browser_keeps_its_paragraphs(client, app):
    """A text box sends its line breaks as "\\r\\n": the start page ran the summary's two
    paragraphs into one."""
    consultation = make_consultation(opens_in=timedelta(days=3))
    consultation.summary = "We want your views on buses.\r\n\r\nThis is the second paragraph."
    db.session.commit()
    page = soup(client.get(f"/c/{consultation.slug}"))
    texts = [p.get_text(strip=True) for p in page.find_all("p", class_="govuk-body")]
    assert "We want your views on buses." in texts
    assert "This is the second paragraph." in texts
