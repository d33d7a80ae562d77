"""What a new policy officer met on a first walk through the product, each through a real
server process (``flask run`` on the demo, as the browser tests start it) and plain HTTP:
the builder's dates typed as pages show them, a consultation that closes before it opens,
counts of one written in the singular, and files of the wrong kind on the upload pages."""

from __future__ import annotations

import os
import re
from datetime import datetime

import pytest

from consult.times import parse_uk_datetime
from tests.smtp_stub import SmtpStub
from tests.test_browser import demo_admin_session, running_server

requests = pytest.importorskip("requests")


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    """The demo on a real server, and a requests session signed in as its admin."""
    with running_server(tmp_path_factory.mktemp("officer")) as (base, invitation_link):
        env = {**os.environ, **invitation_link.env}
        session = demo_admin_session(base, env)
        yield base, session


def token(html: str) -> str:
    return re.search(r'name="csrf_token"[^>]*value="([^"]+)"', html).group(1)


def words(html: str) -> str:
    """The page's text, tags dropped and spaces squeezed."""
    return " ".join(re.sub(r"<[^>]+>", " ", html).split())


def error_summary(html: str) -> list[str]:
    found = re.search(r'govuk-error-summary__list">(.*?)</ul>', html, re.S)
    return (
        [words(item) for item in re.findall(r"<li>(.*?)</li>", found.group(1), re.S)]
        if found
        else []
    )


@pytest.mark.parametrize(
    ("typed", "expected"),
    [
        ("31 March 2027 at 5pm", (datetime(2027, 3, 31, 17, 0), True)),
        ("31 Mar 2027 17:00", (datetime(2027, 3, 31, 17, 0), True)),
        ("31/03/2027 5:30pm", (datetime(2027, 3, 31, 17, 30), True)),
        ("2027-03-31T17:00", (datetime(2027, 3, 31, 17, 0), True)),
        ("2027-03-31", (datetime(2027, 3, 31), False)),
        ("  31 march   2027 ", (datetime(2027, 3, 31), False)),
        ("1st April 2027 midday", (datetime(2027, 4, 1, 12, 0), True)),
        ("15 January 2027 at midnight", (datetime(2027, 1, 15, 0, 0), True)),
        ("31 February 2027", None),
        ("31 Marsh 2027", None),
        ("31/03/2027 17", None),
        ("31 March 2027 at 13pm", None),
        ("next Tuesday", None),
    ],
)
def test_dates_read_as_staff_type_them(typed, expected):
    assert parse_uk_datetime(typed) == expected


def create(base, session, **fields):
    page = session.get(base + "/staff/consultations/new")
    data = {
        "csrf_token": token(page.text),
        "minutes_to_complete": "15",
        "allow_open_link": "y",
        "allow_invitations": "y",
        # without one it cannot open (smoke9 #21)
        "privacy_notice": "The transport team uses your answers to shape its strategy.",
        **fields,
    }
    return session.post(base + "/staff/consultations/new", data=data)


def add_question(session, consultation: str, **fields) -> None:
    """A section (the first time) and a question in it, through the builder's forms."""
    listing = session.get(consultation).text
    if "/questions/new" not in listing:
        page = session.get(consultation + "/sections/new")
        session.post(
            consultation + "/sections/new",
            data={"csrf_token": token(page.text), "title": "Your views"},
        )
        listing = session.get(consultation).text
    section = re.search(r"/staff/sections/(\d+)/questions/new", listing)[1]
    base = consultation.split("/staff/")[0]
    url = f"{base}/staff/sections/{section}/questions/new"
    page = session.get(url)
    data = {"kind": "short_text", "text": "Which bus do you take?", "hint": "", **fields}
    session.post(url, data={"csrf_token": token(page.text), **data})


def open_now(session, consultation: str):
    page = session.get(consultation + "/status/open")
    return session.post(
        consultation + "/status",
        data={"csrf_token": token(page.text), "action": "open", "confirmed": "yes"},
    )


def invite_one(session, consultation: str):
    page = session.get(consultation + "/invitations")
    organisation = re.search(r'name="organisation" type="checkbox" value="(\d+)"', page.text)
    return session.post(
        consultation + "/invitations/send",
        data={"csrf_token": token(page.text), "mode": "invite", "organisation": organisation[1]},
    )


def test_a_consultation_takes_its_dates_as_pages_write_them(server):
    """The builder's date fields took only 2027-03-31T17:00 and said 'Not a valid datetime
    value.' to anything else, with no hint of the format. Now they say what to type, read
    the way every page writes a time, and show a saved time back that way."""
    base, session = server
    form = words(session.get(base + "/staff/consultations/new").text)
    assert "For example, 31 March 2027 at 5pm" in form
    # Open now moves a later opening date to now: the hint no longer suggests otherwise.
    assert "Leave empty to open when you choose Open now (which also moves a later date" in form
    done = create(
        base,
        session,
        title="Bus franchising",
        slug="bus-franchising-dates",
        opens_at="1 March 2027 at 9am",
        closes_at="31/03/2027",
    )
    assert re.search(r"/staff/consultations/\d+$", done.url), error_summary(done.text)
    shown = words(done.text)
    assert "Opens 1 March 2027 at 9am" in shown
    assert "Closes 31 March 2027 at 11:59pm" in shown  # a date alone: the end of that day
    edit = session.get(done.url + "/edit").text
    assert 'value="31 March 2027 at 11:59pm"' in edit


def test_an_unreadable_date_says_what_to_type(server):
    base, session = server
    page = create(base, session, title="Bad date", slug="bad-date", closes_at="end of March")
    assert error_summary(page.text) == [
        "Enter the closing time as a date and time, like 31 March 2027 at 5pm or 31/03/2027 17:00"
    ]
    assert "Not a valid datetime value" not in page.text
    assert 'value="end of March"' in page.text  # what was typed is kept to correct


def test_a_consultation_cannot_close_before_it_opens(server):
    """It could: opens 30 April, closes 31 March was saved as a draft without a word."""
    base, session = server
    page = create(
        base,
        session,
        title="Backwards",
        slug="backwards",
        opens_at="30 April 2027 at 5pm",
        closes_at="31 March 2027 at 5pm",
    )
    assert error_summary(page.text) == [
        "The closing time must be after the opening time (30 April 2027 at 5pm)"
    ]


def test_counts_of_one_are_singular(server):
    """'shares of the 1 organisations invited' on the dashboard, '1 responses' over the
    responses table."""
    base, session = server
    made = create(base, session, title="One invitation", slug="one-invitation")
    consultation = made.url
    add_question(session, consultation)
    open_now(session, consultation)
    # (the banner says only what happened: the email went to the outbox, finding 11)
    sent = words(invite_one(session, consultation).text)
    assert "1 invitation link created; not emailed: no mail server is set up." in sent
    assert "1 invitation sent" not in sent
    dashboard = words(session.get(consultation + "/dashboard").text)
    assert "shares of the 1 organisation invited." in dashboard
    demo = session.get(base + "/staff/consultations/1/responses").text
    reference = re.search(r"WM-[A-Z0-9]{4}-[A-Z0-9]{4}", demo)[0]
    one = words(session.get(base + f"/staff/consultations/1/responses?q={reference}").text)
    assert "1 response Reference" in one and "1 responses" not in one
    assert "Download CSV of this response" in one


@pytest.mark.parametrize(
    ("path", "upload", "reason"),
    [
        (
            "/staff/consultations/1/import",
            "Upload and continue",
            "the file is a Word document, which cannot be read: save or export the table as "
            "CSV or XLSX instead",
        ),
        (
            "/staff/organisations/upload",
            "Upload organisations",
            "the file is a Word document, which cannot be read",
        ),
    ],
)
def test_a_word_document_uploaded_as_a_table_is_named(server, path, upload, reason):
    """Both upload pages said 'the XLSX file cannot be opened: OSError.' for a Word document
    saved with a .csv name (the project's own theme report, say)."""
    import io
    import zipfile

    base, session = server
    document = io.BytesIO()
    with zipfile.ZipFile(document, "w") as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("word/document.xml", "<w:document/>")
    page = session.get(base + path)
    sent = session.post(
        base + path,
        data={"csrf_token": token(page.text)},
        files={"file": ("responses.csv", document.getvalue(), "text/csv")},
    )
    assert sent.status_code in (200, 400)  # the form again, with the reason
    assert reason in words(sent.text)
    assert "OSError" not in sent.text


def test_a_short_answers_own_limit_is_said_before_it_is_met(server):
    """A short-text question limited to 50 characters said nothing of it until the answer
    was refused ('must be 50 characters or fewer'); long text always said its limit."""
    base, session = server
    consultation = create(base, session, title="Routes", slug="routes-limit").url
    add_question(
        session,
        consultation,
        text="Name one route that needs improving",
        hint="Like the 11 or the X51",
        max_length="50",
    )
    add_question(session, consultation, text="Which bus do you take most?")
    preview = words(session.get(consultation + "/preview/1").text)
    # The limit is said under the box, as GOV.UK's character count says it (collect29 #6).
    assert "Like the 11 or the X51 You can enter up to 50 characters." in preview
    assert preview.count("You can enter up to") == 1  # the default limit is not announced


def start_analysis(base, session, question: str = "13"):
    url = base + "/staff/reports/consultations/1/new"
    page = session.get(url)
    return session.post(
        url,
        data={
            "csrf_token": token(page.text),
            "question": question,
            "engine": "fast",
            "themes": "",
            "seed": "0",
            "segments": "partner_type",
        },
    )


def test_starting_the_same_analysis_twice_gives_one_run(server):
    """A second press of Start (or the form sent again) queued a second, identical run, on
    a machine whose analyses queue one behind another: it now goes to the run under way.
    (This server has no worker, so the first run stays queued.)"""
    base, session = server
    first = start_analysis(base, session)
    again = start_analysis(base, session)
    assert re.search(r"/staff/reports/runs/\d+$", first.url), error_summary(first.text)
    assert again.url == first.url
    assert "This analysis is already under way as run" in words(again.text)
    other = start_analysis(base, session, question="12")  # another question: its own run
    assert other.url != first.url


def new_question_page(base: str, session, tmp_path, title: str, slug: str):
    """A browser signed in as ``session``, on the new-question page of a new consultation's
    one page ("Views"). The caller quits it."""
    from tests.test_browser import make_driver

    made = create(base, session, title=title, slug=slug)
    page = session.get(made.url + "/sections/new")
    session.post(
        made.url + "/sections/new", data={"csrf_token": token(page.text), "title": "Views"}
    )
    section = re.search(r"/staff/sections/(\d+)/questions/new", session.get(made.url).text)
    driver = make_driver(tmp_path / "profile")
    driver.get(base + "/staff/sign-in")  # the session's cookie, in the browser
    for cookie in session.cookies:
        driver.add_cookie({"name": cookie.name, "value": cookie.value, "path": "/"})
    driver.get(f"{base}/staff/sections/{section[1]}/questions/new")
    return made, driver


def test_a_double_click_on_a_staff_button_sends_the_form_once(server, tmp_path):
    """Staff buttons had no double-click guard (the partner journey's had): a double click
    on Save question added the question twice."""
    from selenium.webdriver.common.action_chains import ActionChains
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support.ui import Select
    from selenium.webdriver.support.wait import WebDriverWait

    base, session = server
    made, driver = new_question_page(base, session, tmp_path, "Double click", "double-click")
    try:
        Select(driver.find_element(By.ID, "kind")).select_by_value("short_text")
        driver.find_element(By.ID, "text").send_keys("Which route do you use?")
        button = driver.find_element(By.XPATH, "//button[normalize-space()='Save question']")
        ActionChains(driver).double_click(button).perform()
        WebDriverWait(driver, 15).until(lambda d: "Question added" in d.page_source)
    finally:
        driver.quit()
    listing = words(session.get(made.url).text)
    assert listing.count("Which route do you use? (short text)") == 1


@pytest.mark.parametrize(
    ("settings", "reason"),
    [
        ({}, "This consultation is a draft: an invitation sent now would tell partners it is not"),
        (
            {"allow_invitations": "", "opened": True},
            "Invited organisations cannot respond to this consultation",
        ),
    ],
)
def test_invitations_that_would_turn_partners_away_are_not_sent(server, settings, reason):
    """Invitations went out for a draft (partners were told 'It is not taking responses
    yet') and for a consultation not taking invited responses ('not taking responses by
    invitation'): the page now says why it cannot send, and sends nothing."""
    base, session = server
    opened = settings.pop("opened", False)
    slug = "refused-" + ("closed-door" if opened else "draft")
    consultation = create(base, session, title="Refused", slug=slug, **settings).url
    if opened:
        add_question(session, consultation)
        open_now(session, consultation)
    page = words(session.get(consultation + "/invitations").text)
    assert reason in page
    assert "Send invitations to the organisations ticked" not in page
    assert "Send reminders" not in page
    sent = invite_one(session, consultation)
    assert "Nothing was sent. " + reason in words(sent.text)
    assert "1 invitation sent." not in words(sent.text)
    assert "Not started: 0" in words(sent.text)


def status_buttons(html: str) -> list[str]:
    """The texts of the builder's buttons on a consultation's page, in order."""
    group = re.search(r'<div class="govuk-button-group">(.*?)</div>', html, re.S)[1]
    return [
        words(text)
        for text in re.findall(r'<a [^>]*class="govuk-button[^"]*"[^>]*>(.*?)</a>', group, re.S)
    ]


def test_a_consultation_without_questions_does_not_open(server):
    """It opened: partners read 'It has 0 sections and no questions yet', started, and could
    send a response of nothing but their organisation's details."""
    base, session = server
    consultation = create(
        base, session, title="Empty", slug="empty-consultation", opens_at="1 March 2099"
    ).url
    # partner brief 3: its page offered "Open now" (and "Schedule to open on …"), whose page
    # then said "Empty cannot open yet". Now it offers neither, and says why.
    overview = session.get(consultation).text
    assert status_buttons(overview) == ["Edit details"]
    assert "It cannot open yet. It has no questions yet, so partners" in words(overview)
    assert "or open it now" not in words(overview)
    add_question(session, consultation)
    overview = session.get(consultation).text
    assert status_buttons(overview) == [
        "Edit details",
        "Open now",
        "Schedule to open on 1 March 2099 at midnight",
    ]
    assert "It cannot open yet" not in words(overview)
    empty = create(base, session, title="Empty", slug="empty-consultation-2").url
    confirm = words(session.get(empty + "/status/open").text)
    assert "Empty cannot open yet" in confirm
    assert "It has no questions yet, so partners would have nothing to answer" in confirm
    assert "Yes, open it now" not in confirm
    refused = words(open_now(session, empty).text)
    assert "It has no questions yet" in refused and "Consultation · draft" in refused
    assert requests.get(base + "/c/empty-consultation-2").status_code == 404  # still a draft


def test_a_consultation_without_a_privacy_notice_does_not_open(server):
    """smoke9 #21: built with "Privacy notice" left blank, it opened and invited with no
    warning, and its privacy page named no controller, purpose, basis or retention."""
    base, session = server
    consultation = create(base, session, title="No notice", slug="no-notice", privacy_notice="").url
    add_question(session, consultation)
    html = session.get(consultation).text
    overview = words(html)
    assert "It has no privacy notice: it cannot open, be scheduled or send invitations" in overview
    # no "Open now" beside it (partner brief 3), and the warning is reason enough
    assert status_buttons(html) == ["Edit details"] and "It cannot open yet" not in overview
    confirm = words(session.get(consultation + "/status/open").text)
    assert "No notice cannot open yet" in confirm and "Yes, open it now" not in confirm
    refused = words(open_now(session, consultation).text)
    assert "It has no privacy notice" in refused and "Consultation · draft" in refused
    assert requests.get(base + "/c/no-notice").status_code == 404  # still a draft


def test_a_response_page_for_staff_does_not_call_the_respondent_you(server):
    """The staff page of a response labelled the respondent's details 'Your email' and
    'Your name', as the partner's own check page does."""
    base, session = server
    listing = session.get(base + "/staff/consultations/1/responses").text
    pages = re.findall(r'href="(/staff/responses/\d+)"', listing)
    shown = [words(session.get(base + page).text) for page in pages[:10]]
    assert shown and not any("Your email" in page or "Your name" in page for page in shown)
    from consult.models import Response
    from consult.survey.review import organisation_rows

    given = Response(
        organisation_name="Acme", area="dudley", respondent_name="Jo", respondent_email="jo@x.org"
    )
    assert [row.key for row in organisation_rows(given, staff=True)][-2:] == [
        "Respondent's name",
        "Respondent's email",
    ]
    assert [row.key for row in organisation_rows(given)][-2:] == ["Your name", "Your email"]


def _save_with_email(partner, base: str, email: str):
    """Save the demo's organisation page with ``email`` as the respondent's address; the
    reply is the saved page."""
    page = partner.get(base + "/c/trailblazer-devolution-deal/organisation")
    saved = partner.post(
        page.url,
        data={
            "csrf_token": token(page.text),
            "organisation_name": "Walsall Cycling Club",
            "partner_type": "vcse",
            "area": "walsall",
            "respondent_email": email,
            "action": "save",
        },
    )
    assert saved.url.endswith("/saved"), saved.url
    return saved


def test_a_resume_link_is_not_emailed_to_an_address_that_is_not_one(tmp_path):
    """A draft keeps what was typed, so 'Save and come back later' with the email field
    reading 'not-an-email' offered 'Email me this link' and then said 'We have emailed it
    to not-an-email.' (On a server that sends email: the SMTP stub.)"""
    with (
        SmtpStub() as stub,
        running_server(
            tmp_path / "mail", CONSULT_MAIL_SERVER="127.0.0.1", CONSULT_MAIL_PORT=str(stub.port)
        ) as (base, _),
    ):
        partner = requests.Session()
        start = partner.get(base + "/c/trailblazer-devolution-deal")
        page = partner.post(start.url, data={"csrf_token": token(start.text)})
        assert page.url.endswith("/organisation"), page.url
        saved = _save_with_email(partner, base, "not-an-email")
        said = words(saved.text)
        assert "Email me this link" not in said
        assert "We cannot email this link to ‘not-an-email’" in said
        form = token(partner.get(page.url).text)  # the saved page has no form for it
        sent = partner.post(saved.url, data={"csrf_token": form})  # sent anyway
        assert "We have emailed it" not in words(sent.text)
        assert stub.mailbox.messages == []
        # A real address is offered, and sent to.
        again = _save_with_email(partner, base, "club@walsall-cycling.example")
        assert "Email me this link" in words(again.text)
        sent = partner.post(again.url, data={"csrf_token": token(again.text)})
        assert "We have emailed it to club@walsall-cycling.example." in words(sent.text)
        assert stub.mailbox.recipients() == ["club@walsall-cycling.example"]


def test_with_no_mail_server_no_link_is_offered_by_email(server):
    """An earlier walk: with no mail server set up (as the demo runs) the saved page offered
    'Email me this link', then said it could not. Now it offers nothing, says to copy the
    link, and a post sent anyway says nothing was emailed (nor tried: see test_first_save)."""
    base, _ = server
    partner = requests.Session()
    start = partner.get(base + "/c/trailblazer-devolution-deal")
    partner.post(start.url, data={"csrf_token": token(start.text)})
    for email in ("club@walsall-cycling.example", "not-an-email", ""):
        said = words(_save_with_email(partner, base, email).text)
        assert "Email me this link" not in said and "We cannot email this link to" not in said
        assert "This service does not send email, so we cannot email you this link." in said
    saved = _save_with_email(partner, base, "club@walsall-cycling.example")
    form = token(partner.get(base + "/c/trailblazer-devolution-deal/organisation").text)
    sent = partner.post(saved.url, data={"csrf_token": form})  # the saved page has no form
    assert sent.url.endswith("/saved")
    assert "We have emailed" not in words(sent.text)
    assert "We could not email you this link" not in words(sent.text)


def test_a_choice_question_cannot_list_an_option_twice(server):
    """'A', 'A', 'B' was saved, and partners were shown two identical radio buttons."""
    base, session = server
    consultation = create(base, session, title="Options", slug="options-twice").url
    add_question(session, consultation)
    section = re.search(r"/staff/sections/(\d+)/questions/new", session.get(consultation).text)
    url = f"{base}/staff/sections/{section[1]}/questions/new"
    page = session.get(url)
    refused = session.post(
        url,
        data={
            "csrf_token": token(page.text),
            "kind": "single_choice",
            "text": "How do you travel?",
            "options": "Bus\nTrain\nbus \nWalk",
        },
    )
    assert error_summary(refused.text) == ["Enter each option once: ‘bus’ is listed more than once"]
    assert "How do you travel?" not in words(session.get(consultation).text)


def test_a_chart_of_a_statement_has_one_stop_before_data(server):
    """The dashboard's table under an agreement statement was captioned 'Bus franchising
    would improve services in our area.: data'."""
    base, session = server
    consultation = create(base, session, title="Statements", slug="statements").url
    add_question(
        session, consultation, kind="agreement", text="Franchising would improve services."
    )
    open_now(session, consultation)
    dashboard = words(session.get(consultation + "/dashboard").text)
    assert "Franchising would improve services: data" in dashboard
    assert "services.: data" not in dashboard


def test_response_dates_that_cannot_match_say_so(server):
    """A From date after the To date gave 'No responses match these filters' and a date
    that is not one was dropped, neither with a word of why."""
    base, session = server
    url = base + "/staff/consultations/1/responses"
    backwards = words(session.get(url + "?from=2026-12-05&to=2026-11-01").text)
    assert (
        "The From date (5 December 2026) is after the To date (1 November 2026), so no "
        "response can match: swap them." in backwards
    )
    unread = words(session.get(url + "?from=2026-13-45").text)
    assert "The From date ‘2026-13-45’ is not a date, so it was not used." in unread
    fine = words(session.get(url + "?from=2026-11-01&to=2026-12-05").text)
    assert "is not a date" not in fine and "swap them" not in fine


def test_search_boxes_stop_at_200_characters(app):
    """A search longer than a request line can carry got gunicorn's bare 'URI Too Long': each
    search box stops at 200 characters, as the server reads them."""
    from tests.helpers import make_consultation, soup
    from tests.staff_helpers import signed_in

    client = signed_in(app, "admin")
    consultation = make_consultation()
    pages = (
        "/staff/organisations",
        f"/staff/consultations/{consultation.id}/responses",
    )
    for url in pages:
        shown = client.get(url)
        box = soup(shown).find("input", attrs={"name": "q"})
        assert box is not None, (url, shown.status_code)
        assert box["maxlength"] == "200", url
        long = client.get(url, query_string={"q": "x" * 3000})
        assert long.status_code == 200, url
        assert soup(long).find("input", attrs={"name": "q"})["value"] == "x" * 200, url


def test_the_question_builder_shows_the_fields_for_the_kind_chosen(server, tmp_path):
    """Options, the character limit and "Why do you say that?" showed whatever the kind:
    with JavaScript each shows only for the kinds it applies to, and a field with an error
    always shows; the page's title is its heading."""
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support.ui import Select
    from selenium.webdriver.support.wait import WebDriverWait

    base, session = server
    _, driver = new_question_page(base, session, tmp_path, "Kinds", "kinds-shown")
    try:
        assert driver.title.startswith("Add a question: Views")

        def shown() -> set[str]:
            return {
                name
                for name in ("max_length", "options", "with_why")
                # the field's part of the form (a GOV.UK checkbox's own input is drawn by
                # its label, so the part is what shows or not)
                if driver.find_element(
                    By.XPATH, f"//*[@name='{name}']/ancestor::div[@data-for-kinds]"
                ).is_displayed()
            }

        kind = Select(driver.find_element(By.ID, "kind"))
        expected = {
            "long_text": {"max_length"},
            "short_text": {"max_length"},
            "single_choice": {"options"},
            "multiple_choice": {"options"},
            "agreement": {"with_why"},
        }
        for value, fields in expected.items():
            kind.select_by_value(value)
            assert shown() == fields, value
        # A choice question saved with one option: the options field keeps its error in
        # view even after the kind is changed away from a choice.
        kind.select_by_value("single_choice")
        driver.find_element(By.ID, "text").send_keys("Which mode?")
        driver.find_element(By.ID, "options").send_keys("Bus")
        driver.find_element(By.XPATH, "//button[normalize-space()='Save question']").click()
        WebDriverWait(driver, 15).until(lambda d: d.title.startswith("Error:"))
        assert "Enter at least two options" in driver.page_source
        Select(driver.find_element(By.ID, "kind")).select_by_value("long_text")
        assert "options" in shown()
    finally:
        driver.quit()
