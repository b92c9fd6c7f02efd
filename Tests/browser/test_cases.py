"""Browser tests of survivor-support cases: only the case team sees a case, the identity is
shown on request, and every case page is axe-clean (serious/critical)."""

from __future__ import annotations

from selenium.webdriver.common.by import By
from selenium.webdriver.support.ui import Select


def test_caseworker_sees_their_cases_and_the_identity_on_request(browser):
    browser.sign_in("caseworker@demo.invalid")
    assert browser.go("/cases") == 200
    assert browser.h1 == "Your cases"
    rows = browser.driver.find_elements(By.CSS_SELECTOR, "table.table tbody tr")
    assert len(rows) == 3, [r.text for r in rows]
    assert any("Mira" in r.text and "Interpreter: Albanian" in r.text for r in rows)

    mira = next(r for r in rows if "Mira" in r.text)
    browser.click(mira.find_element(By.TAG_NAME, "a"))
    case_path = browser.path
    assert case_path.startswith("/cases/")
    assert browser.h1.startswith("Mira")
    main = browser.driver.find_element(By.TAG_NAME, "main").text
    assert "Interpreter needed: Albanian" in main
    assert "Mira K. (fictional)" not in main, "the identity must not show until asked for"

    browser.click(browser.link("Show identity details"))
    assert browser.path == case_path + "/identity"
    assert "Mira K. (fictional)" in browser.driver.find_element(By.ID, "identity").text

    # Closing without a follow-up plan is refused with a clear message.
    browser.go(case_path)
    Select(browser.driver.find_element(By.ID, "reason")).select_by_value("goals_met")
    assert browser.press("Close case") == 422
    assert "Say what happens next" in browser.error_text()


def test_caseworker_opens_a_case(browser):
    browser.sign_in("caseworker2@demo.invalid")
    assert browser.go("/cases") == 200
    assert browser.driver.find_elements(By.CSS_SELECTOR, "p.empty"), "caseworker2 is on no demo case"
    browser.click(browser.link("Open a case"))
    assert browser.press("Open case") == 422
    assert "Enter the name they chose" in browser.error_text()
    browser.fill("chosenName", "Lena")
    browser.fill("language", "Vietnamese")
    browser.driver.find_element(By.ID, "interpreterNeeded").click()
    browser.fill("legalName", "Nguyen Thi Lan (fictional)")
    browser.press("Open case")
    assert browser.path.startswith("/cases/"), browser.error_text()
    assert "Interpreter needed: Vietnamese" in browser.driver.find_element(By.TAG_NAME, "main").text


def test_others_cannot_open_a_case(browser):
    browser.sign_in("caseworker@demo.invalid")
    browser.go("/cases")
    first = browser.driver.find_element(By.CSS_SELECTOR, "table.table tbody tr a").get_attribute("href")
    path = "/" + first.split("/", 3)[3]
    browser.go("/")
    browser.sign_out()
    browser.sign_in("caseworker2@demo.invalid")
    assert browser.go(path) == 404
    browser.go("/")
    browser.sign_out()
    browser.sign_in("analyst@demo.invalid")
    assert browser.go(path) == 403


def test_zz_case_pages_have_no_serious_accessibility_violations(axe_log):
    ours = {name for name in globals() if name.startswith("test_") and not name.startswith("test_zz")}
    pages = [p for p in axe_log.pages if p[0].split("[")[0] in ours]
    assert pages, "no case page was audited (run the whole file, not this test alone)"
    blocking = [f for f in axe_log.blocking() if f.test.split("[")[0] in ours]
    assert not blocking, f"{len(blocking)} serious/critical axe-core violations:\n" + axe_log.report()
