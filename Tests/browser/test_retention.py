"""Browser test of the retention schedule: an administrator finds it in the navigation, sees
the defaults marked as not set, is told clearly when a period is wrong, sets one, sees what is
due, and runs the schedule after a page that says what it will remove. Every page is axe-clean
(serious/critical). The demo holds nothing old enough to be due, so the run removes nothing."""

from __future__ import annotations

from selenium.webdriver.common.by import By


def test_admin_sets_a_period_and_runs_the_schedule(browser):
    browser.sign_in("admin@demo.invalid")
    browser.click(browser.link("Retention", within='nav[aria-label="Main"]'))
    assert browser.path == "/admin/retention"
    assert browser.h1 == "Retention"
    table = browser.driver.find_element(By.CSS_SELECTOR, "table.table").text
    assert table.count("Not set") == 6, table
    assert "24 months after the report was closed" in table

    browser.click(browser.link("Reports closed with no further action"))
    assert browser.path == "/admin/retention/schedule/closed_reports"
    assert "Not set." in browser.driver.find_element(By.TAG_NAME, "main").text

    # A period of nothing is refused beside the field, and nothing is saved.
    browser.fill("amount", "0")
    status = browser.press("Save")
    assert status == 422
    assert "Enter a period from 1 to 1200 months" in browser.error_text()
    assert browser.h1 == "Reports closed with no further action"

    browser.fill("amount", "30")
    browser.fill("reason", "Agreed by the board: thirty months.")
    browser.press("Save")
    assert browser.path == "/admin/retention"
    main = browser.driver.find_element(By.TAG_NAME, "main").text
    assert "30 months after the report was closed" in main
    assert "Agreed by the board: thirty months." in main
    assert "admin@demo.invalid on" in main

    browser.click(browser.link("Run the schedule now"))
    assert browser.h1 == "Run the retention schedule now?"
    text = browser.driver.find_element(By.TAG_NAME, "main").text
    assert "Nothing is due now" in text
    assert "Reports closed with no further action (30 months after the report was closed): 0 would be anonymised" in text
    browser.press("Run now")
    assert browser.path == "/admin/retention"
    main = browser.driver.find_element(By.TAG_NAME, "main").text
    assert "Retention schedule applied: 0 records removed or anonymised." in main
    assert "Run by an administrator" in main


def test_zz_retention_pages_have_no_serious_accessibility_violations(axe_log):
    ours = {name for name in globals() if name.startswith("test_") and not name.startswith("test_zz")}
    pages = [p for p in axe_log.pages if p[0].split("[")[0] in ours]
    assert pages, "no page was audited (run the whole file, not this test alone)"
    blocking = [f for f in axe_log.blocking() if f.test.split("[")[0] in ours]
    assert not blocking, f"{len(blocking)} serious/critical axe-core violations:\n" + axe_log.report()
