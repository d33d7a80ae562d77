"""The builder's rules without a request (consult/staff/building.py), and the confirmation
page that now comes before opening, closing or returning to draft."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import select

from consult.extensions import db
from consult.models import AuditEvent, Consultation, QuestionRevision, Response, utcnow
from consult.staff import building
from tests.helpers import make_consultation, soup
from tests.staff_helpers import post, signed_in

pytestmark = pytest.mark.backends("sqlite", "postgresql")


def fresh(consultation: Consultation) -> Consultation:
    db.session.expire_all()
    return db.session.get(Consultation, consultation.id)


def test_set_status_open_moves_dates_and_refuses_unknown_actions(app):
    consultation = make_consultation(status="draft", opens_in=timedelta(days=3))
    consultation.closes_at = utcnow() - timedelta(days=1)
    now = utcnow()
    building.set_status(consultation, "open", now=now)
    db.session.commit()
    consultation = fresh(consultation)
    assert consultation.status == "open" and consultation.closes_at is None
    assert abs((consultation.opens_at.replace(tzinfo=now.tzinfo) - now).total_seconds()) < 1
    with pytest.raises(ValueError):
        building.set_status(consultation, "explode")


def test_a_draft_with_a_past_opening_date_opens_now_and_says_so(app):
    """An imported draft kept its old "Opens 14 November" after Open now on 5 December: a
    draft opened now opened now. A consultation opened again after closing keeps the date it
    first opened."""
    draft = make_consultation(status="draft", opens_in=timedelta(days=-20))
    now = utcnow()
    building.set_status(draft, "open", now=now)
    db.session.commit()
    draft = fresh(draft)
    assert abs((draft.opens_at.replace(tzinfo=now.tzinfo) - now).total_seconds()) < 1
    first_opened = utcnow() - timedelta(days=20)
    closed = make_consultation(status="closed", opens_in=timedelta(days=-20), slug="reopened")
    closed.opens_at = first_opened
    db.session.commit()
    building.set_status(closed, "open", now=now)
    db.session.commit()
    closed = fresh(closed)
    assert abs((closed.opens_at.replace(tzinfo=now.tzinfo) - first_opened).total_seconds()) < 1


def test_a_draft_with_no_opening_date_records_when_it_opened(app):
    """After Open now, a draft with no opening date read "Opens when opened" on its page,
    though it was open: it now records the moment it opened, and the page shows it."""
    draft = make_consultation(status="draft", slug="undated")
    draft.opens_at = None
    db.session.commit()
    now = utcnow()
    building.set_status(draft, "open", now=now)
    db.session.commit()
    draft = fresh(draft)
    assert abs((draft.opens_at.replace(tzinfo=now.tzinfo) - now).total_seconds()) < 1
    page = soup(signed_in(app, "editor").get(f"/staff/consultations/{draft.id}"))
    opens = page.find(id="consultation-opens").get_text(" ", strip=True)
    assert "when opened" not in opens and str(now.year) in opens


def test_close_is_described_before_it_is_done(app):
    consultation = make_consultation()
    change = building.describe_status_change(consultation, "close")
    assert change.question == f"Are you sure you want to close {consultation.title}?"
    assert any("no longer be able" in line for line in change.consequences)
    assert change.warning and change.status == "closed"
    assert consultation.status == "open"  # describing changes nothing
    with pytest.raises(ValueError):
        building.describe_status_change(consultation, "explode")


def test_remove_renumbers_even_after_moves(app):
    """Positions are unique on a page: renumbering after a move and a removal must not
    collide (it used to rely on the database updating rows in a lucky order)."""
    consultation = make_consultation()
    building.add_section(consultation, "Third page")
    db.session.commit()
    first, second, third = consultation.sections
    assert building.move_section(third, "up")  # Buses, Third page, Priorities
    db.session.commit()
    assert not building.move_section(first, "up")  # already first
    # Removing Buses moves Third page 2 -> 1 and Priorities 3 -> 2; a flush in primary-key
    # order would give Priorities position 2 while Third page still had it.
    assert building.remove_section(first) is None
    db.session.commit()
    consultation = fresh(consultation)
    assert [(s.position, s.title) for s in consultation.sections] == [
        (1, "Third page"),
        (2, "Priorities"),
    ]


def test_locked_once_a_response_exists(app):
    consultation = make_consultation()
    modes = consultation.sections[0].questions[2]
    db.session.add(Response(consultation=consultation, reference="WM-LOCKED"))
    db.session.commit()
    assert building.has_responses(consultation)
    assert building.remove_section(consultation.sections[0]) is not None
    assert building.remove_question(modes) is not None
    change = building.QuestionChange(kind="single_choice", text=modes.text, options=["Bus"])
    problems = building.question_problems(modes, change)
    assert set(problems) == {"kind", "options"}

    reworded = building.QuestionChange(
        kind="multiple_choice", text="Which modes?", options=["Buses", "Tram", "Rail", "Walk"]
    )
    assert building.question_problems(modes, reworded) == {}
    assert building.edit_question(modes, reworded, actor="ed@example.org") is True
    db.session.commit()
    history = building.question_history(modes)
    assert [(h.field, h.old_value, h.new_value) for h in history] == [
        ("text", "Which modes do you use?", "Which modes?"),
        ("option 1", "Bus", "Buses"),
    ]
    assert [o.value for o in modes.options] == ["bus", "tram", "rail", "walk_4"]


def test_unlocked_edit_removes_options_and_keeps_no_history(app):
    consultation = make_consultation()
    modes = consultation.sections[0].questions[2]
    change = building.QuestionChange(kind="multiple_choice", text="Modes", options=["Bus", "Tram"])
    assert building.edit_question(modes, change, actor="ed@example.org") is False
    db.session.commit()
    consultation = fresh(consultation)
    assert [o.label for o in consultation.sections[0].questions[2].options] == ["Bus", "Tram"]
    assert db.session.scalar(select(QuestionRevision)) is None


def test_new_question_with_why_and_long_option_labels(app):
    consultation = make_consultation()
    long_label = "A very long option label " * 8
    question = building.add_question(
        consultation.sections[1],
        building.QuestionChange(
            kind="single_choice", text="Pick", options=[long_label, "Short"], with_why=False
        ),
    )
    agree = building.add_question(
        consultation.sections[1],
        building.QuestionChange(kind="agreement", text="Agree?", with_why=True),
    )
    db.session.commit()  # an option value over 80 characters would fail on PostgreSQL
    assert all(len(o.value) <= 80 for o in question.options)
    why = consultation.sections[1].questions[-1]
    assert why.explains_id == agree.id and why.text == "Why do you say that?"
    assert building.question_problems(
        None, building.QuestionChange(kind="multiple_choice", text="x", options=["One"])
    ) == {"options": "Enter at least two options, one per line"}


def test_close_now_asks_first_and_works_without_javascript(app):
    consultation = make_consultation()
    client = signed_in(app, "editor")
    base = f"/staff/consultations/{consultation.id}"
    overview = soup(client.get(base))
    close = overview.find("a", string=lambda s: s and "Close now" in s)
    assert close is not None and close["href"] == f"{base}/status/close"
    assert overview.find("form", action=f"{base}/status") is None  # no one-click form

    page = client.get(close["href"])
    html = soup(page)
    assert html.h1.get_text() == f"Are you sure you want to close {consultation.title}?"
    assert "no longer be able" in html.find(id="consequences").get_text()
    button = html.find("button", string=lambda s: s and "Yes, close it now" in s)
    assert "govuk-button--warning" in button["class"]
    assert html.find("a", string="Cancel")["href"] == base
    assert fresh(consultation).status == "open"

    # A POST that did not come from the confirmation page only leads to it.
    unconfirmed = post(client, f"{base}/status", {"action": "close"}, page_url=close["href"])
    assert unconfirmed.status_code == 302
    assert unconfirmed.headers["Location"].endswith(f"{base}/status/close")
    assert fresh(consultation).status == "open"

    done = post(
        client, f"{base}/status", {"action": "close", "confirmed": "yes"}, page_url=close["href"]
    )
    assert done.status_code == 302 and fresh(consultation).status == "closed"
    assert db.session.scalar(select(AuditEvent).where(AuditEvent.action == "consultation_status"))
    assert client.get(f"{base}/status/explode").status_code == 404


def test_removing_a_section_or_question_asks_first(app):
    consultation = make_consultation()
    client = signed_in(app, "editor")
    base = f"/staff/consultations/{consultation.id}"
    section = consultation.sections[1]
    question = consultation.sections[0].questions[2]
    overview = soup(client.get(base))
    assert overview.find("form", action=f"/staff/sections/{section.id}/delete") is None
    confirm_url = f"/staff/sections/{section.id}/delete"
    assert overview.find("a", href=confirm_url) is not None

    page = soup(client.get(confirm_url))
    assert page.h1.get_text() == "Are you sure you want to remove the section Priorities?"
    assert "Its 2 questions will be removed" in page.find(id="removal").get_text()
    unconfirmed = post(client, confirm_url, {})
    assert unconfirmed.headers["Location"].endswith(confirm_url)
    assert len(fresh(consultation).sections) == 2
    assert post(client, confirm_url, {"confirmed": "yes"}).status_code == 302
    assert [s.title for s in fresh(consultation).sections] == ["Buses"]

    question_url = f"/staff/questions/{question.id}/delete"
    assert "Which modes do you use?" in soup(client.get(question_url)).h1.get_text()
    assert post(client, question_url, {"confirmed": "yes"}).status_code == 302
    assert len(fresh(consultation).sections[0].questions) == 2

    db.session.add(Response(consultation=fresh(consultation), reference="WM-KEEP"))
    db.session.commit()
    first = fresh(consultation).sections[0]
    refused = soup(client.get(f"/staff/sections/{first.id}/delete"))
    assert refused.h1.get_text() == "This cannot be removed"
    assert refused.find(id="removal").find("button") is None


def test_back_to_draft_is_refused_once_responses_exist(app):
    consultation = make_consultation()
    db.session.add(Response(consultation=consultation, reference="WM-HERE"))
    db.session.commit()
    with pytest.raises(ValueError):
        building.set_status(consultation, "draft")
    client = signed_in(app, "editor")
    base = f"/staff/consultations/{consultation.id}"
    page = soup(client.get(f"{base}/status/draft"))
    assert "cannot go back to draft" in page.find(id="refusal").get_text()
    assert page.find("form", action=f"{base}/status") is None
    forced = post(
        client,
        f"{base}/status",
        {"action": "draft", "confirmed": "yes"},
        page_url=base,
        follow_redirects=True,
    )
    assert "cannot go back to draft" in forced.get_data(as_text=True)
    assert fresh(consultation).status == "open"


def test_builder_links_name_questions_as_reports_do(app):
    """Review: every section's first question had a link named "Edit question 1"; they are
    numbered through the consultation, Q1, Q2 ... as reports and exports number them."""
    consultation = make_consultation()
    client = signed_in(app, "editor")
    overview = soup(client.get(f"/staff/consultations/{consultation.id}"))
    names = [
        " ".join(a.get_text(" ").split())
        for a in overview.find_all("a")
        if a.get_text().startswith("Edit") and "question" in a["href"]
    ]
    total = len(consultation.questions)
    assert total > len(consultation.sections[0].questions)  # more than one section's worth
    texts = [q.text for s in consultation.sections for q in s.questions]
    assert [name.split(" ‘")[0] for name in names] == [
        f"Edit question {n}" for n in range(1, total + 1)
    ]
    assert [name.split("‘")[1].rstrip("’")[:10] for name in names] == [t[:10] for t in texts]
    # The list numbers shown match: each section's list starts after the previous one's.
    starts = [int(ol.get("start", 1)) for ol in overview.select("ol.govuk-list--number")]
    sizes = [len(s.questions) for s in consultation.sections]
    assert starts == [1 + sum(sizes[:i]) for i in range(len(sizes))]


def test_builder_buttons_name_the_question_or_section_they_move(app):
    """WCAG 2.4.6 / 4.1.2: an "Up" or "Down" button, read out of context by a screen reader
    (its list of buttons), says which question it moves ("Move question 3 ‘What…’ Up"); the
    visible word stays "Up", part of the name (2.5.3 label in name). Sections' buttons and
    the Remove links say theirs too."""
    consultation = make_consultation()
    client = signed_in(app, "editor")
    overview = soup(client.get(f"/staff/consultations/{consultation.id}"))

    def spoken(tag) -> str:
        return " ".join(tag.get_text(" ").split())

    moves = [b for f in overview.select('form[action$="/move"]') for b in f.find_all("button")]
    buttons = [spoken(b) for b in moves]
    questions = [q for s in consultation.sections for q in s.questions]
    ups = [b for b in buttons if b.endswith(" Up")]
    downs = [b for b in buttons if b.endswith(" Down")]
    assert ups and downs and len(ups) == len(downs)
    assert all(b.startswith("Move question ") and "‘" in b for b in ups + downs)
    assert len(set(ups)) == len(ups)  # no two buttons with the same name
    third = questions[2]  # the second, 'Why do you say that?', moves with the first
    assert any(b.startswith(f"Move question 3 ‘{third.text[:20]}") for b in ups)
    for button in moves:
        visible = [
            t
            for t in button.find_all(string=True)
            if not t.find_parent(class_="govuk-visually-hidden")
        ]
        assert "".join(visible).strip() in ("Up", "Down", "Move section up", "Move section down")
    section = consultation.sections[1]
    assert f"Move section up {section.position}. {section.title}" in buttons
    removes = [spoken(a) for a in overview.find_all("a") if a["href"].endswith("/delete")]
    assert any(r.startswith("Remove question 1 ‘") for r in removes)


def test_order_is_locked_once_a_response_exists(app):
    """Moving questions after responses renumbered every report and export, and could put
    'Why do you say that?' after an unrelated question, even on a closed consultation."""
    consultation = make_consultation()
    client = signed_in(app, "editor")
    base = f"/staff/consultations/{consultation.id}"
    why = consultation.sections[0].questions[1]
    modes = consultation.sections[0].questions[2]
    assert soup(client.get(base)).select(f'form[action="/staff/questions/{modes.id}/move"]')
    assert building.order_refusal(consultation) is None
    db.session.add(Response(consultation=consultation, reference="WM-ORDER"))
    db.session.commit()
    building.set_status(consultation, "close")
    db.session.commit()

    overview = soup(client.get(base))
    assert overview.select('form[action$="/move"]') == []
    assert "cannot be moved" in overview.find(id="locked").get_text()
    order = [(q.id, q.position) for s in consultation.sections for q in s.questions]
    sections = [(s.id, s.position) for s in consultation.sections]
    for url in (f"/staff/questions/{why.id}/move", f"/staff/sections/{sections[0][0]}/move"):
        moved = post(client, url, {"direction": "down"}, page_url=base, follow_redirects=True)
        assert "Nothing was moved. Responses have arrived" in moved.get_data(as_text=True)
    fresh(consultation)
    assert [(q.id, q.position) for s in consultation.sections for q in s.questions] == order
    assert [(s.id, s.position) for s in consultation.sections] == sections


@pytest.mark.parametrize("notice", ["", "  \n\n  "])
def test_a_consultation_without_a_privacy_notice_does_not_open_or_invite(app, notice):
    """smoke9 #21: a consultation opened and sent invitations with an empty privacy notice.
    Opening and scheduling are refused until it is written (a public body must give it when
    answers are collected), the page warns, and invitations are refused too."""
    from consult.invitations import sending_refusal

    consultation = make_consultation(status="draft", opens_in=timedelta(days=3))
    consultation.privacy_notice = notice
    db.session.commit()
    for action, verb in (("open", "open"), ("schedule", "schedule")):
        refusal = building.status_refusal(consultation, action)
        assert refusal and refusal.startswith("It has no privacy notice")
        assert refusal.endswith(f"Write its privacy notice in Edit details, then {verb} it.")
    client = signed_in(app, "editor")
    base = f"/staff/consultations/{consultation.id}"
    overview = soup(client.get(base))
    warning = overview.find(id="no-privacy-notice")
    assert "govuk-warning-text" in warning["class"]
    assert "it cannot open, be scheduled or send invitations" in warning.get_text()
    page = soup(client.get(f"{base}/status/open"))
    assert "It has no privacy notice" in page.find(id="refusal").get_text()
    assert page.find("form", action=f"{base}/status") is None
    forced = post(client, f"{base}/status", {"action": "open", "confirmed": "yes"}, page_url=base)
    assert forced.status_code in (302, 303)
    assert fresh(consultation).status == "draft"
    # One already open (before this rule, or its notice since removed) sends nothing.
    consultation = fresh(consultation)
    consultation.status, consultation.opens_at = "open", utcnow() - timedelta(days=1)
    db.session.commit()
    assert "no privacy notice" in sending_refusal(consultation)
    said = soup(client.get(base)).find(id="no-privacy-notice").get_text(" ", strip=True)
    assert "tells partners the team has not published one yet" in said
    invitations = soup(client.get(f"{base}/invitations"))
    assert "no privacy notice" in invitations.find(id="cannot-send").get_text()


def test_a_written_privacy_notice_opens_with_no_warning(app):
    consultation = make_consultation(status="draft")
    assert building.status_refusal(consultation, "open") is None
    page = soup(signed_in(app, "editor").get(f"/staff/consultations/{consultation.id}"))
    assert page.find(id="no-privacy-notice") is None


def test_the_partners_privacy_page_says_plainly_when_no_notice_is_published(app):
    """smoke9 #21: the privacy page said only "The team can tell you how your answers are
    used": no controller, purpose, basis or retention. It now says the notice is not published
    yet, and where to ask."""
    consultation = make_consultation()
    consultation.privacy_notice = ""
    consultation.contact_email = "bus@example.org"
    consultation.team_name = "The Bus Strategy team"
    db.session.commit()
    for url in (f"/c/{consultation.slug}/privacy", f"/c/{consultation.slug}"):
        page = soup(app.test_client().get(url))
        said = " ".join(page.find(id="privacy-not-published").get_text(" ").split())
        assert "Warning The Bus Strategy team has not published its privacy notice" in said
        assert "who holds your answers, why, on what lawful basis or for how long" in said
        ask = page.find(id="privacy-ask")
        assert ask.a["href"] == "mailto:bus@example.org"
        assert "can tell you how your answers are used" not in page.get_text()
    consultation.privacy_notice = "We keep answers safe."
    db.session.commit()
    page = soup(app.test_client().get(f"/c/{consultation.slug}/privacy"))
    assert page.find(id="privacy-not-published") is None and "We keep answers safe." in page.text


def test_the_demo_consultation_has_a_privacy_notice(app):
    """The demo shows a consultation as it should be: with its notice, so it may open."""
    from tests.reports_helpers import demo

    consultation = demo(20)
    assert consultation.privacy_notice.strip()
    assert building.status_refusal(consultation, "open") is None


def _order(consultation: Consultation) -> list[str]:
    return [q.text for q in fresh(consultation).sections[0].questions]


def test_a_why_follow_up_moves_with_its_statement(app):
    """smoke10 finding 3: 'Up' on 'Why do you say that?' put it above its statement, so a
    partner read it as asking about the question before. A follow-up now moves only with
    its statement; a question moved past a statement goes past its follow-up too."""
    consultation = make_consultation()  # Buses should be franchised / Why…? / Which modes…?
    agree, why, modes = consultation.sections[0].questions
    statement_first = [
        "Buses should be franchised",
        "Why do you say that?",
        "Which modes do you use?",
    ]

    assert "asks about ‘Buses should be franchised’" in building.follow_up_refusal(why)
    assert building.follow_up_refusal(agree) is None and building.follow_up_refusal(modes) is None
    assert not building.move_question(why, "up")
    assert not building.move_question(why, "down")
    db.session.commit()
    assert _order(consultation) == statement_first

    agree, why, modes = fresh(consultation).sections[0].questions
    assert building.move_question(agree, "down")  # the statement takes its follow-up along
    db.session.commit()
    assert _order(consultation) == ["Which modes do you use?", *statement_first[:2]]
    modes, agree, why = fresh(consultation).sections[0].questions
    assert building.move_question(modes, "down")  # past the statement and its follow-up
    db.session.commit()
    assert _order(consultation) == statement_first
    agree, why, modes = fresh(consultation).sections[0].questions
    assert not building.move_question(agree, "up") and not building.move_question(modes, "down")
    moves = building.question_moves(fresh(consultation).sections[0])
    assert moves[agree.id] == (False, True, None)
    assert moves[why.id][:2] == (False, False) and moves[why.id][2].id == agree.id
    assert moves[modes.id] == (True, False, None)


def test_the_builder_refuses_to_move_a_follow_up_on_its_own_and_says_why(app):
    consultation = make_consultation()
    client = signed_in(app, "editor")
    base = f"/staff/consultations/{consultation.id}"
    agree, why, modes = consultation.sections[0].questions
    overview = soup(client.get(base))
    assert overview.select(f'form[action="/staff/questions/{why.id}/move"]') == []
    assert overview.find(id=f"moves-with-{why.id}").get_text() == (
        "Moves with ‘Buses should be franchised’"
    )
    # A move posted anyway (an old page, a crafted form) is refused with the reason.
    moved = post(
        client,
        f"/staff/questions/{why.id}/move",
        {"direction": "up"},
        page_url=base,
        follow_redirects=True,
    )
    text = " ".join(soup(moved).get_text().split())
    assert (
        "Nothing was moved. ‘Why do you say that?’ asks about ‘Buses should be franchised’, so "
        "it stays straight after it. Move ‘Buses should be franchised’ instead: its follow-up "
        "moves with it."
    ) in text
    assert _order(consultation)[:2] == ["Buses should be franchised", "Why do you say that?"]

    post(client, f"/staff/questions/{modes.id}/move", {"direction": "up"}, page_url=base)
    assert _order(consultation) == [
        "Which modes do you use?",
        "Buses should be franchised",
        "Why do you say that?",
    ]
    preview = " ".join(soup(client.get(f"{base}/preview/1")).get_text().split())
    assert preview.index("Buses should be franchised") < preview.index("Why do you say that?")
