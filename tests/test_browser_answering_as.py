"""A real browser (Chromium), with and without JavaScript, on two things a partner met:

- "About you" asks first whom the answers are for. The organisation's name
  and type are revealed under "For an organisation" (GOV.UK's conditional reveal): hidden
  until it is chosen when scripts run, shown (and not used for an individual) when they do
  not. An individual who typed a name all the same has none stored (staff read
  "Organisation: Me" before).
- After a "Change" link on Check your answers (``…/section/2?return=check#q10``), the pages
  after it kept the link's fragment, down to the confirmation's address
  (``/confirmation#q10``): the form posted to the address with its fragment and each
  redirect kept it. The link still lands on its question; the addresses after are clean.
"""

from __future__ import annotations

from urllib.parse import urlsplit

from tests.test_browser import (  # noqa: F401  (live_server and browser are fixtures used by name)
    AXE,
    By,
    axe_violations,
    browser,
    choose,
    click_button,
    live_server,
)
from tests.test_browser_change_links import change, where
from tests.test_browser_layout import answer_sections

SLUG = "/c/trailblazer-devolution-deal"


def shown(driver, field_id: str) -> bool:
    """Whether the field's label is on view (a GOV.UK radio's own input is drawn invisibly,
    its label and box in its place)."""
    return driver.find_element(By.CSS_SELECTOR, f"label[for='{field_id}']").is_displayed()


def test_the_organisation_name_is_revealed_for_organisations_only(live_server, browser):  # noqa: F811
    base, _ = live_server
    browser.get(base + SLUG)
    click_button(browser, "Start now")
    assert browser.title.startswith("About you –"), browser.title
    organisation = browser.find_element(
        By.CSS_SELECTOR, "input[name=answering_as][value=organisation]"
    )
    if browser.javascript:
        # Hidden until "For an organisation" is chosen, and the choice says what it reveals.
        assert not shown(browser, "organisation_name") and not shown(browser, "partner_type")
        organisation.click()
        assert organisation.get_attribute("aria-expanded") == "true"
        assert shown(browser, "organisation_name") and shown(browser, "partner_type")
        if AXE.exists():
            assert axe_violations(browser) == []
    else:
        # Without scripts the name and type show under "For an organisation", and the
        # individual's choice is beside it.
        assert shown(browser, "organisation_name") and shown(browser, "partner_type")
    # An individual types their own name anyway, then answers as an individual.
    browser.find_element(By.ID, "organisation_name").send_keys("Me")
    choose(browser, "answering_as", "individual")
    if browser.javascript:
        assert organisation.get_attribute("aria-expanded") == "false"
        assert not shown(browser, "organisation_name")
    choose(browser, "area", "walsall")
    click_button(browser, "Continue")
    assert browser.title.startswith("Working with government"), browser.title

    # Not blocked, and the name was not kept as theirs: the page speaks to them.
    browser.get(base + SLUG + "/organisation")
    assert browser.find_element(By.TAG_NAME, "h1").text == "About you"
    individual = browser.find_element(By.CSS_SELECTOR, "input[name=answering_as][value=individual]")
    assert individual.is_selected()
    # What was typed under "For an organisation" is set aside there (not stored as theirs),
    # hidden while "As an individual" is chosen, for a partner who switched by mistake.
    assert browser.find_element(By.ID, "organisation_name").get_attribute("value") == "Me"
    assert shown(browser, "organisation_name") is not browser.javascript


def test_after_change_the_addresses_carry_no_fragment(live_server, browser):  # noqa: F811
    base, _ = live_server
    browser.get(base + SLUG)
    click_button(browser, "Start now")
    choose(browser, "answering_as", "organisation")
    browser.find_element(By.ID, "organisation_name").send_keys("Fragment Test Trust")
    choose(browser, "partner_type", "vcse")
    choose(browser, "area", "dudley")
    click_button(browser, "Continue")
    answer_sections(browser, "First answer")
    assert browser.title.startswith("Check your answers"), browser.title

    # A question on a later page: the Change link lands on it (the jump back still works).
    links = browser.find_elements(By.CSS_SELECTOR, ".govuk-summary-list__actions a[href*='#q']")
    field_id = links[-1].get_attribute("href").rsplit("#", 1)[1]
    change(browser, field_id)
    assert urlsplit(browser.current_url).fragment == field_id
    assert where(browser, field_id)["focused"]
    box = browser.find_element(By.ID, field_id)
    if box.tag_name == "textarea":
        box.send_keys(" (changed)")
    click_button(browser, "Continue")

    # Back on Check your answers, then sent: neither address keeps the link's fragment.
    assert browser.title.startswith("Check your answers"), browser.title
    assert "#" not in browser.current_url, browser.current_url
    click_button(browser, "Accept and send")
    assert urlsplit(browser.current_url).path.endswith("/confirmation"), browser.current_url
    assert "#" not in browser.current_url, browser.current_url


def area_legend(driver) -> str:
    area = driver.find_element(By.CSS_SELECTOR, "input[name=area]")
    return area.find_element(By.XPATH, "ancestor::fieldset/legend").text


def test_switching_to_an_individual_asks_where_they_live(live_server, browser):  # noqa: F811
    """smoke17: answered for an organisation in Coventry, then "As an individual": "Where you
    live: Coventry" was stored without the person being asked. With scripts the question
    reads "Where do you live?" at once and the organisation's area is unticked; without, the
    page is drawn again asking it."""
    base, _ = live_server
    browser.get(base + SLUG)
    click_button(browser, "Start now")
    choose(browser, "answering_as", "organisation")
    browser.find_element(By.ID, "organisation_name").send_keys("Coventry Test Trust")
    choose(browser, "partner_type", "vcse")
    choose(browser, "area", "coventry")
    click_button(browser, "Continue")
    assert browser.title.startswith("Working with government"), browser.title
    browser.get(base + SLUG + "/organisation")
    assert area_legend(browser) == "Where is your organisation based?"
    choose(browser, "answering_as", "individual")
    coventry = browser.find_element(By.CSS_SELECTOR, "input[name=area][value=coventry]")
    if browser.javascript:
        assert area_legend(browser) == "Where do you live?"
        assert not coventry.is_selected()
        choose(browser, "area", "coventry")  # chosen by the person: theirs
        click_button(browser, "Continue")
        assert browser.title.startswith("Working with government"), browser.title
    else:
        click_button(browser, "Continue")
        assert browser.title.startswith("Error: About you"), browser.title
        assert area_legend(browser) == "Where do you live?"
        assert "Select where you live" in browser.find_element(By.ID, "area-error").text


def test_the_business_size_is_asked_of_businesses_only(live_server, browser):  # noqa: F811
    """smoke26p finding 2 (listed in the accessibility statement): "If you are a business, how
    many people do you employ?" showed to every organisation. It is revealed under "Business"
    (shown there, under Business, without JavaScript), and a university moves on without it."""
    base, _ = live_server
    browser.get(base + SLUG)
    click_button(browser, "Start now")
    choose(browser, "answering_as", "organisation")
    university = browser.find_element(By.CSS_SELECTOR, "input[name=partner_type][value=university]")
    business = browser.find_element(By.CSS_SELECTOR, "input[name=partner_type][value=business]")
    if browser.javascript:
        assert not shown(browser, "size_band")
        university.click()
        assert not shown(browser, "size_band")
        business.click()
        assert business.get_attribute("aria-expanded") == "true"
        assert shown(browser, "size_band")
        if AXE.exists():
            assert axe_violations(browser) == []
    else:
        assert shown(browser, "size_band")
    # The size sits under "Business", not after the whole list of types.
    reveal = browser.find_element(By.ID, "conditional-partner_type")
    assert reveal.find_element(By.CSS_SELECTOR, "input[name=size_band]")
    university.click()
    browser.find_element(By.ID, "organisation_name").send_keys("Aston University")
    choose(browser, "area", "birmingham")
    click_button(browser, "Continue")
    assert browser.title.startswith("Working with government"), browser.title
