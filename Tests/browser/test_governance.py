"""Browser tests of the partnership's governance: the coordinator records a board meeting with
its attendance, a paper, decisions and an overdue action (which then shows on their home page),
and an information-sharing agreement covering health data (refused until it names an Article 9
condition); a viewer reads without being offered changes. Every page is axe-clean
(serious/critical)."""

from __future__ import annotations

from datetime import date, timedelta

from selenium.webdriver.common.by import By
from selenium.webdriver.support.ui import Select

from conftest import xpath_literal

POLICE = "Westmere Constabulary"
HARBOUR = "Safe Harbour Survivor Support"
FIRE = "Westmere Fire and Rescue Service"


def tick(browser, fieldset: str, label: str):
    """Tick the checkbox in this fieldset whose label is this text."""
    element = browser.driver.find_element(
        By.XPATH, f"//fieldset[@id={xpath_literal(fieldset)}]//label[normalize-space()={xpath_literal(label)}]")
    browser.driver.find_element(By.ID, element.get_attribute("for")).click()


def fill_date(browser, name: str, day: date):
    browser.fill(f"{name}-day", str(day.day))
    browser.fill(f"{name}-month", str(day.month))
    browser.fill(f"{name}-year", str(day.year))


def test_coordinator_records_a_meeting_with_an_overdue_action(browser):
    browser.sign_in("coordinator@demo.invalid")
    assert ("Partnership", "/partnership") in browser.nav_links()
    assert browser.go("/partnership") == 200
    assert browser.h1 == "The partnership"
    browser.click(browser.link("Record a meeting"))
    assert browser.h1 == "Record a meeting"

    # Without a group or a date: refused, naming both.
    assert browser.press("Record meeting") == 422
    errors = browser.error_text()
    assert "Choose the board, sub-group or network that met" in errors, errors
    assert "Enter the date of the meeting" in errors or "The date of the meeting" in errors, errors

    Select(browser.field("groupId")).select_by_visible_text("Westmere Anti-Slavery Partnership Board (partnership board)")
    held = date.today() - timedelta(days=3)
    fill_date(browser, "heldOn", held)
    browser.fill("title", "Board development session")
    tick(browser, "present", POLICE)
    tick(browser, "present", HARBOUR)
    tick(browser, "apologies", FIRE)
    # Paper rows share their field names (sent in order); each box has its own id.
    browser.driver.find_element(By.ID, "paperTitle1").send_keys("Survivor voice report")
    browser.driver.find_element(By.ID, "paperUrl1").send_keys("https://papers.example/survivor-voice.pdf")
    browser.fill("decisions", "Adopt the survivor voice recommendations.\nInvite a survivor representative to the board.")
    browser.press("Record meeting")
    assert browser.path.startswith("/partnership/meetings/"), browser.error_text()
    assert browser.h1 == "Board development session"
    present = browser.driver.find_element(By.ID, "present").text
    assert POLICE in present and HARBOUR in present
    assert FIRE in browser.driver.find_element(By.ID, "apologies").text
    decisions = browser.driver.find_element(By.ID, "decisions").text
    assert "Invite a survivor representative to the board." in decisions

    # An action already past its due date shows as overdue, here and on the home page.
    browser.fill("text", "Write to the survivor forum about a representative")
    Select(browser.field("ownerAgencyId")).select_by_visible_text(HARBOUR)
    fill_date(browser, "dueOn", date.today() - timedelta(days=1))
    browser.press("Add action")
    assert "Action added to the log." in browser.driver.find_element(By.TAG_NAME, "main").text
    actions = browser.driver.find_element(By.ID, "action-list").text
    assert "Write to the survivor forum about a representative" in actions and "Overdue" in actions
    browser.go("/")
    panel = browser.driver.find_element(By.ID, "partnership-overdue").text
    assert "Write to the survivor forum about a representative" in panel, panel


def test_coordinator_records_an_agreement_covering_health_data(browser):
    browser.sign_in("coordinator@demo.invalid")
    assert browser.go("/partnership/agreements") == 200
    listing = browser.driver.find_element(By.ID, "agreement-list").text
    assert "Expired: review date passed" in listing and "Due for review" in listing, listing
    browser.click(browser.link("Record an agreement"))
    browser.fill("title", "Hospital discharge data-sharing agreement")
    browser.fill("purpose", "Safe discharge of survivors from hospital into support.")
    tick(browser, "parties", HARBOUR)
    tick(browser, "parties", "Westmere Hospitals NHS Trust")
    tick(browser, "categories", "Special-category data: health")
    tick(browser, "categories", "Personal details of potential victims and survivors")
    Select(browser.field("lawfulBasis")).select_by_value("e")
    signed = date.today() - timedelta(days=10)
    fill_date(browser, "signedOn", signed)
    fill_date(browser, "reviewOn", signed - timedelta(days=1))
    browser.fill("documentTitle", "Discharge DSA")
    browser.fill("documentUrl", "https://docs.example/discharge-dsa.pdf")

    # Health data without an Article 9 condition, and a review before signing: both refused.
    assert browser.press("Record agreement") == 422
    errors = browser.error_text()
    assert "Choose the Article 9 condition" in errors, errors
    assert "The review date must be after the date it was signed" in errors, errors
    assert browser.field("title").get_attribute("value") == "Hospital discharge data-sharing agreement"

    Select(browser.field("specialCondition")).select_by_value("h")
    fill_date(browser, "reviewOn", date.today() + timedelta(days=365))
    browser.press("Record agreement")
    assert browser.path.startswith("/partnership/agreements/"), browser.error_text()
    assert browser.h1 == "Hospital discharge data-sharing agreement"
    main = browser.driver.find_element(By.TAG_NAME, "main").text
    assert "In force" in main and "9(2)(h) Health or social care" in main
    assert "Special-category data: health" in browser.driver.find_element(By.ID, "categories").text


def test_viewer_reads_the_partnership_without_being_offered_changes(browser):
    browser.sign_in("viewer@demo.invalid")
    for path in ("/partnership", "/partnership/members", "/partnership/groups", "/partnership/meetings", "/partnership/actions",
                 "/partnership/agreements"):
        assert browser.go(path) == 200, path
        assert not browser.driver.find_elements(By.XPATH, "//a[normalize-space()='Record a meeting' or normalize-space()='Add a member']"), path
    browser.go("/partnership/members")
    browser.click(browser.link(POLICE))
    assert browser.h1 == POLICE
    assert "DI Jo Marsh (fictional)" in browser.driver.find_element(By.ID, "contact-list").text
    assert not browser.driver.find_elements(By.ID, "name"), "no form to add a contact"


def test_zz_partnership_pages_have_no_serious_accessibility_violations(axe_log):
    ours = {name for name in globals() if name.startswith("test_") and not name.startswith("test_zz")}
    pages = [p for p in axe_log.pages if p[0].split("[")[0] in ours]
    assert pages, "no partnership page was audited (run the whole file, not this test alone)"
    blocking = [f for f in axe_log.blocking() if f.test.split("[")[0] in ours]
    assert not blocking, f"{len(blocking)} serious/critical axe-core violations:\n" + axe_log.report()
