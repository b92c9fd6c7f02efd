"""Browser test of the analyst's intelligence work on the demo data: a report shows the
earlier report it is linked to and why; the explanation is term by term; the network is a
picture with tables; alerts can be marked read; hotspots filter by type; an item graded
3x5x2 is recorded and a partner sees only its sanitised version. Every page is axe-clean
(serious/critical)."""

from __future__ import annotations

from urllib.parse import urlparse

from selenium.webdriver.common.by import By
from selenium.webdriver.support.ui import Select


def open_patrol_report(browser):
    """The demo police report that names the car wash man, spelt differently."""
    browser.go("/reports")
    rows = browser.driver.find_elements(By.CSS_SELECTOR, "table.table tbody tr")
    hrefs = [r.find_element(By.TAG_NAME, "a").get_attribute("href") for r in rows]
    for href in hrefs:
        browser.go(urlparse(href).path)
        if "Officers spoke to a worker" in browser.driver.find_element(By.TAG_NAME, "main").text:
            return browser.path
    raise AssertionError("the demo police report is missing")


def test_analyst_follows_a_link_to_its_explanation_and_network(browser):
    browser.sign_in("analyst@demo.invalid")
    report_path = open_patrol_report(browser)
    headline = browser.driver.find_element(By.ID, "links-headline").text
    assert headline.startswith("Linked to 1 earlier report: similar name"), headline

    browser.click(browser.driver.find_element(By.CSS_SELECTOR, "#linked-reports a[href^='/intelligence/links/']"))
    assert browser.path.startswith("/intelligence/links/")
    main = browser.driver.find_element(By.TAG_NAME, "main").text
    assert "Andrei Ionescu" in main and "Andrei Ionesku" in main
    table = browser.driver.find_element(By.CSS_SELECTOR, "table.explanation").text
    assert "Family name" in table and "close spelling" in table and "Total" in table

    # A judgement needs a choice; then it is recorded.
    assert browser.press("Record judgement") == 422
    assert "same person or not" in browser.error_text()
    browser.driver.find_element(By.CSS_SELECTOR, "input[name=decision][value=same]").click()
    browser.fill("note", "Same date of birth month and workplace.")
    assert browser.press("Record judgement") == 200
    assert "Confirmed by an analyst" in browser.driver.find_element(By.ID, "link-summary").text

    browser.click(browser.link("See the network these reports belong to"))
    assert browser.h1 == "Network of 3 reports"
    assert browser.driver.find_elements(By.CSS_SELECTOR, "figure.network svg circle"), "the network is drawn"
    entities = browser.driver.find_element(By.ID, "network-entities").text
    assert "+447700900218" in entities.replace(" ", "") or "07700 900218" in entities
    reports = browser.driver.find_element(By.ID, "network-reports").text
    assert reports.count("CRN-") == 3
    browser.go(report_path)


def test_alerts_are_shared_by_the_analyst_team(browser):
    browser.sign_in("analyst@demo.invalid")
    browser.click(browser.link("Intelligence", within='nav[aria-label="Main"]'))
    assert browser.h1 == "Intelligence"
    rows = browser.driver.find_elements(By.CSS_SELECTOR, "#alert-list tbody tr")
    assert len(rows) >= 1
    before = len(rows)
    browser.click(rows[0].find_element(By.CSS_SELECTOR, "button"))
    after = browser.driver.find_elements(By.CSS_SELECTOR, "#alert-list tbody tr")
    assert len(after) == before - 1
    browser.click(browser.link("Show read alerts too"))
    assert len(browser.driver.find_elements(By.CSS_SELECTOR, "#alert-list tbody tr")) == before
    assert browser.driver.find_elements(By.CSS_SELECTOR, "#network-list tbody tr")


def test_hotspots_filter_by_type(browser):
    browser.sign_in("coordinator@demo.invalid")
    browser.click(browser.link("Hotspots", within='nav[aria-label="Main"]'))
    assert browser.h1 == "Hotspots"
    all_types = browser.driver.find_element(By.ID, "hotspot-table").text
    assert "WM4" in all_types and "WM1" in all_types
    Select(browser.field("type")).select_by_value("labour")
    Select(browser.field("months")).select_by_value("3")
    browser.press("Show")
    assert "type=labour" in browser.driver.current_url
    labour = browser.driver.find_element(By.ID, "hotspot-table").text
    assert "WM4" in labour


def test_graded_item_reaches_partners_only_sanitised(browser):
    browser.sign_in("analyst@demo.invalid")
    browser.go("/intelligence-items/new")
    browser.fill("title", "Minibus collections")
    browser.fill("content", "Informant at number 20 sees a minibus collect eight men at 6am.")
    Select(browser.field("sourceEvaluation")).select_by_value("2")
    Select(browser.field("assessment")).select_by_value("B")
    Select(browser.field("handling")).select_by_value("C")
    assert browser.press("Record intelligence") == 422
    assert "conditions" in browser.error_text()
    browser.fill("conditions", "For safeguarding visits only; not for enforcement.")
    browser.fill("sanitised", "A minibus collects several men early each morning.")
    box = browser.driver.find_element(By.XPATH, "//label[contains(normalize-space(), 'Safe Harbour Survivor Support')]/input")
    box.click()
    assert browser.press("Record intelligence") == 200
    assert browser.driver.find_element(By.ID, "item-grading").text == "2 B C"
    item_path = browser.path
    browser.sign_out()

    browser.sign_in("caseworker@demo.invalid")
    assert browser.go(item_path) == 200
    main = browser.driver.find_element(By.TAG_NAME, "main").text
    assert "A minibus collects several men" in main
    assert "Informant" not in main
    assert "For safeguarding visits only" in browser.driver.find_element(By.ID, "item-conditions").text
    browser.sign_out()

    # A partner the originator has not confirmed does not see it at all.
    browser.sign_in("practitioner@demo.invalid")
    assert browser.go(item_path) == 404


def test_zz_intelligence_pages_have_no_serious_accessibility_violations(axe_log):
    ours = {name for name in globals() if name.startswith("test_") and not name.startswith("test_zz")}
    pages = [p for p in axe_log.pages if p[0].split("[")[0] in ours]
    assert pages, "no page was audited (run the whole file, not this test alone)"
    blocking = [f for f in axe_log.blocking() if f.test.split("[")[0] in ours]
    assert not blocking, f"{len(blocking)} serious/critical axe-core violations:\n" + axe_log.report()
