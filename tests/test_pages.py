"""Footer pages, feedback banners, "Error: " titles, staff fields drawn by GOV.UK Frontend's
macros, and text that is never cut. (Layout in a real browser: tests/test_browser_layout.py.)"""

from __future__ import annotations

import ast
import io
import re
from pathlib import Path

from consult.answers import short_question
from consult.templating import answer_html
from tests.helpers import hidden_fields, make_consultation, soup
from tests.staff_helpers import PASSWORD, make_user, post, signed_in

ROOT = Path(__file__).resolve().parent.parent
FOOTER_PAGES = ["/privacy", "/accessibility", "/cookies", "/contact"]
# Staff pages whose filter forms other changes are rewriting; they move to the macros too.
OTHER_CHANGES = {"invitations.html", "responses.html", "audit.html", "dashboard.html"}


def footer_links(page) -> list[str]:
    return [a["href"] for a in soup(page).select("footer #footer-links a")]


def title(page) -> str:
    return soup(page).title.get_text().strip()


def test_footer_pages_need_no_sign_in_and_every_page_links_to_them(app, client):
    make_consultation()
    for path in FOOTER_PAGES:
        page = client.get(path)
        assert page.status_code == 200, path
        assert footer_links(page) == FOOTER_PAGES
    staff = signed_in(app, "admin")
    for page in (
        client.get("/c/transport-test"),
        client.get("/staff/sign-in"),
        staff.get("/staff/"),
    ):
        assert page.status_code == 200
        assert footer_links(page) == FOOTER_PAGES


def test_the_service_has_an_icon_and_every_page_names_it(app, client):
    """Review: /favicon.ico was a 404 on every page."""
    make_consultation()
    icon = client.get("/favicon.ico")
    assert icon.status_code == 200 and icon.mimetype == "image/svg+xml"
    assert icon.get_data(as_text=True).startswith("<svg") and "#3c1053" in icon.get_data(True)
    for page in (
        client.get("/c/transport-test"),
        client.get("/staff/sign-in"),
        client.get("/privacy"),
    ):
        link = soup(page).find("link", rel="icon")
        assert link is not None and client.get(link["href"]).status_code == 200


def test_accessibility_statement_follows_the_model_and_lists_known_issues(client):
    page = soup(client.get("/accessibility"))
    headings = [h.get_text(strip=True) for h in page.select("main h2")]
    for heading in (
        "How accessible this website is",
        "Feedback and contact information",
        "Reporting accessibility problems with this website",
        "Enforcement procedure",
        "Technical information about this website's accessibility",
        "Preparation of this accessibility statement",
    ):
        assert heading in headings
    issues = page.find(id="known-issues").get_text()
    assert "SVG" in issues
    # smoke26p: the business-size question is revealed under "Business" now, so no longer
    # listed; fixd17: the staff sign-out after 30 minutes idle now warns first, so 2.2.1 is
    # no longer failed.
    assert "how many people a business employs" not in issues and "30 minutes" in issues
    assert "warns you" in issues
    non_compliance = page.find(id="non-compliance").get_text()
    assert "2.2.1" in non_compliance and "now warns you 5 minutes before" in non_compliance


def test_cookies_page_names_the_session_cookie_the_app_sets(app, client):
    make_consultation()
    page = client.get("/c/transport-test")
    client.post("/c/transport-test", data=hidden_fields(page))
    names = {cookie.key for cookie in client._cookies.values()}
    assert names == {app.config.get("SESSION_COOKIE_NAME") or "session"}
    cookie_list = soup(client.get("/cookies")).find(id="cookie-list")
    listed = cookie_list.get_text()
    assert all(name in listed for name in names)
    assert "30 days" in listed
    # The name is code, not the literal markup (smoke17 read "<code>session</code>").
    assert [code.get_text() for code in cookie_list.find_all("code")] == sorted(names)
    assert "<code>" not in listed


def notification_banners(page) -> list:
    """The notification banners in the main content, in order."""
    return soup(page).select("main .govuk-notification-banner")


def test_adding_an_organisation_says_so_at_the_top_of_the_main_content(app):
    client = signed_in(app, "editor")
    done = post(
        client,
        "/staff/organisations/new",
        {"name": "Tipton Trust", "partner_type": "vcse", "area": "sandwell", "size_band": ""},
        follow_redirects=True,
    )
    html = soup(done)
    banners = html.select("main .govuk-notification-banner")
    assert len(banners) == 1
    banner = banners[0]
    assert "govuk-notification-banner--success" in banner["class"]
    assert banner["role"] == "alert"
    assert "Added Tipton Trust." in banner.get_text()
    assert html.find("main").find(True) is banner  # first thing in the main content


def test_a_problem_flashed_by_an_action_is_an_error_summary_not_a_banner(app):
    """smoke17 finding (WCAG 3.3.1, 4.1.3): an action that did nothing says why in GOV.UK's
    error summary (role=alert, focused), the title starting "Error:", not a grey banner."""
    consultation = make_consultation()
    client = signed_in(app, "editor")
    url = f"/staff/consultations/{consultation.id}/invitations"
    page = post(client, f"{url}/send", {"mode": "invite"}, page_url=url, follow_redirects=True)
    assert notification_banners(page) == []
    html = soup(page)
    assert html.title.get_text().startswith("Error: ")
    summary = html.select_one("main .govuk-error-summary")
    assert summary["data-module"] == "govuk-error-summary"
    assert summary.select_one("[role=alert]")
    assert "Choose at least one organisation to invite." in summary.get_text()


def test_builder_saves_and_user_changes_say_what_they_did(app):
    consultation = make_consultation()
    admin = signed_in(app, "admin")
    page = post(
        admin,
        f"/staff/consultations/{consultation.id}/sections/new",
        {"title": "Housing", "intro": ""},
        follow_redirects=True,
    )
    assert "Section ‘Housing’ added." in soup(page).find(id="flash-success").get_text()
    page = post(
        admin,
        "/staff/users",
        {"email": "new@example.org", "role": "viewer", "password": "a long enough password"},
        follow_redirects=True,
    )
    assert "Added new@example.org as viewer." in soup(page).find(id="flash-success").get_text()


def test_add_user_has_no_role_chosen_so_skipping_it_is_an_error_not_an_admin(app):
    """The role started on Admin: a skipped field made a new colleague an admin silently."""
    admin = signed_in(app, "admin")
    page = admin.get("/staff/users")
    add = soup(page).find("select", id="role")
    chosen = add.find("option", selected=True) or add.find("option")
    assert chosen["value"] == "" and chosen.get_text() == "Choose a role"
    refused = post(
        admin,
        "/staff/users",
        {"email": "skipped@example.org", "role": "", "password": "a long enough password"},
    )
    assert refused.status_code == 200
    assert "Select the user's role" in soup(refused).select_one(".govuk-error-summary").get_text()
    assert admin.get("/staff/users").get_data(as_text=True).count("skipped@example.org") == 0


def test_staff_pages_with_problems_say_error_first_in_their_title(app, client):
    make_user("admin")
    page = client.get("/staff/sign-in")
    wrong = client.post(
        "/staff/sign-in",
        data={**hidden_fields(page), "email": "admin@example.org", "password": "not it"},
    )
    assert title(wrong).startswith("Error: Sign in")
    summary = soup(wrong).select_one(".govuk-error-summary")
    assert "The email address or password is not right." in summary.get_text()

    consultation = make_consultation()
    admin = signed_in(app, "admin", "other@example.org")
    upload = post(
        admin,
        f"/staff/consultations/{consultation.id}/import",
        {"file": (io.BytesIO(b"x"), "notes.txt")},
        content_type="multipart/form-data",
    )
    assert upload.status_code == 400
    assert title(upload).startswith("Error: Import responses")
    bad_csv = post(
        admin,
        "/staff/organisations/upload",
        {
            "file": (
                io.BytesIO(b"name,partner_type,area,contact_email\nX,spaceship,Mars,\n"),
                "o.csv",
            )
        },
        page_url="/staff/organisations",
        content_type="multipart/form-data",
    )
    assert title(bad_csv).startswith("Error: Upload organisations")
    reauth = post(admin, "/staff/confirm-password", {"password": "wrong " + PASSWORD})
    assert title(reauth).startswith("Error: Confirm your password")


def test_staff_fields_keep_values_and_errors(app):
    client = signed_in(app, "editor")
    page = post(
        client,
        "/staff/consultations/new",
        {
            "title": "",
            "slug": "Not A Slug",
            "summary": "Line one\nLine two",
            "minutes_to_complete": "soon",
            "allow_invitations": "y",
        },
    )
    html = soup(page)
    assert title(page).startswith("Error: ")
    assert html.find(id="slug")["value"] == "Not A Slug"
    assert "govuk-input--error" in html.find(id="slug")["class"]
    assert html.find(id="slug-error").get_text(" ", strip=True).startswith("Error: Use lower-case")
    assert html.find(id="title-error") is not None
    assert html.find(id="summary").get_text() == "Line one\nLine two"
    assert html.find(id="minutes_to_complete")["value"] == "soon"
    assert html.find(id="allow_invitations").has_attr("checked")
    assert not html.find(id="allow_open_link").has_attr("checked")
    summary_links = [a["href"] for a in html.select(".govuk-error-summary a")]
    assert "#title" in summary_links and "#slug" in summary_links


def test_staff_templates_do_not_hand_write_form_fields():
    """Inputs, selects and text areas come from govuk-frontend-jinja's macros, as in the
    survey; only hidden inputs and bare buttons are written by hand."""
    hand_written = re.compile(
        r'<(?:select|textarea)\b|<input\b(?![^>]*type="(?:hidden|checkbox)")|class="govuk-label'
    )
    found = {
        path.name: hand_written.findall(path.read_text(encoding="utf-8"))
        for path in (ROOT / "templates" / "staff").glob("*.html")
        if path.name not in OTHER_CHANGES
    }
    assert {name: hits for name, hits in found.items() if hits} == {}


def test_templating_does_not_import_the_staff_package():
    tree = ast.parse((ROOT / "consult" / "templating.py").read_text(encoding="utf-8"))
    imported = [
        node.module or "" for node in ast.walk(tree) if isinstance(node, ast.ImportFrom)
    ] + [
        alias.name
        for node in ast.walk(tree)
        if isinstance(node, ast.Import)
        for alias in node.names
    ]
    assert not [name for name in imported if "staff" in name]


def test_answers_keep_their_own_line_breaks_and_nothing_else():
    html = str(answer_html(" Buses <first>.\r\n\n  Then housing. "))
    assert html == (
        '<span class="consult-pre-wrap" dir="auto">'
        " Buses &lt;first&gt;.&#10;&#10;  Then housing. </span>"
    )


def test_summary_values_are_not_in_a_pre_wrap_cell(app, client):
    """The template's own indentation sits outside the answer's pre-wrap span."""
    from consult.extensions import db
    from consult.models import Answer, Response

    consultation = make_consultation()
    why = next(q for q in consultation.questions if q.kind == "long_text")
    response = Response(consultation=consultation, reference="R-LAYOUT", organisation_name="Org")
    response.answers.append(Answer(question_id=why.id, value="Buses are late.\nEvery day."))
    db.session.add(response)
    db.session.commit()
    admin = signed_in(app, "admin")
    values = soup(admin.get(f"/staff/responses/{response.id}")).select(".govuk-summary-list__value")
    assert values
    for value in values:
        assert "consult-pre-wrap" not in value["class"]
        span = value.find("span", class_="consult-pre-wrap")
        assert span is not None and span.get_text() == span.get_text().strip()


def test_question_names_in_messages_are_cut_only_between_words():
    text = (
        "How far do you agree that the Trailblazer deal should give the combined authority "
        "powers over adult skills funding?"
    )
    short = short_question(text)
    assert short.endswith("…") and len(short) <= 81
    assert text.startswith(short[:-1]) and text[len(short) - 1] in " ,"
    assert short_question("Short question?") == "Short question?"


def test_chart_labels_wrap_and_are_never_cut(app):
    from consult.staff.figures import Chart

    label = "Voluntary, community or social enterprise and other long partner type names"
    chart = app.jinja_env.get_template("staff/chart.html").module.chart
    data = Chart(title="Who answered", rows=[(label, 3), ("Business", 1)], base=4)
    svg = soup_of(str(chart(data, "who"))).find("svg")
    first = svg.find_all("text")[0]
    assert " ".join(t.get_text() for t in first.find_all("tspan")) == label
    assert len(first.find_all("tspan")) > 1


def soup_of(html: str):
    from bs4 import BeautifulSoup

    return BeautifulSoup(html, "html.parser")


def test_the_privacy_notice_names_the_emailed_copy_of_a_response(client):
    """Smoke finding: the notice said an email address was used "only to send you a link to
    come back to your answers", but a copy of the response is emailed to it on sending."""
    how = soup(client.get("/privacy")).find("h2", string="How we use it").find_next("p")
    said = " ".join(how.get_text().split())
    assert "a copy of your response when you send it" in said
    assert "a link to come back to your answers if you ask for one" in said


def test_a_wrong_password_on_confirming_follows_the_govuk_error_pattern(app):
    """Smoke finding: "The password is not right." was a bare line above the form, with no
    error summary, not tied to the field and no "Error: " in the title."""
    client = signed_in(app, "admin")
    url = "/staff/confirm-password?next=/staff/"
    wrong = post(client, url, {"password": "not it at all"})
    assert wrong.status_code == 200
    page = soup(wrong)
    assert title(wrong).startswith("Error: Confirm your password")
    summary = page.select_one(".govuk-error-summary")
    [link] = summary.select("a")
    assert link.get_text(strip=True) == "The password is not right"
    assert link["href"] == "#password"
    field = page.find(id="password")
    error = page.find(id="password-error")
    assert "The password is not right" in error.get_text()
    assert "password-error" in field["aria-describedby"].split()
    assert field.get("value") in (None, "")  # the wrong password is not sent back
    assert page.select(".govuk-error-message") == [error]  # said once, at the field
    right = post(client, url, {"password": PASSWORD})
    assert right.status_code == 302 and right.headers["Location"].endswith("/staff/")
