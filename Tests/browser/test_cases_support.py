"""Browser test of the multi-agency care plan: a caseworker opens a case from a report,
records consent for two agencies, adds a need and a task for one of them, whose caseworker
sees and completes the task; withdrawing the consent takes that agency's access away at once.
Every page is axe-clean (serious/critical)."""

from __future__ import annotations

from datetime import date, timedelta

from selenium.webdriver.common.by import By
from selenium.webdriver.support.ui import Select

from conftest import xpath_literal

COUNCIL = "Westmere County Council Adult Safeguarding"
JOBCENTRE = "Jobcentre Plus Westmere"


def tick(browser, label: str):
    """Tick the checkbox whose label starts with this text."""
    element = browser.driver.find_element(By.XPATH, f"//label[starts-with(normalize-space(), {xpath_literal(label)})]")
    browser.driver.find_element(By.ID, element.get_attribute("for")).click()


def test_care_plan_task_follows_the_survivors_consent(browser):
    # The caseworker opens a case from a report referred to their agency (a case can be opened
    # only from a report one may see; the link on a report page goes here).
    browser.sign_in("caseworker@demo.invalid")
    browser.go("/reports?inbox=referred")
    reference = next(a.text for a in browser.driver.find_elements(By.CSS_SELECTOR, "table.table tbody a") if a.text.startswith("CRN-"))
    assert browser.go(f"/cases/new?report={reference}") == 200
    assert browser.field("reportReference").get_attribute("value") == reference
    browser.fill("chosenName", "Yusuf")
    browser.driver.find_element(By.ID, "age-adult").click()
    browser.fill("language", "Arabic")
    browser.driver.find_element(By.ID, "interpreterNeeded").click()
    browser.press("Open case")
    case_path = browser.path
    assert case_path.startswith("/cases/"), browser.error_text()
    assert reference in browser.driver.find_element(By.TAG_NAME, "main").text

    # Consent for the council and the Jobcentre; ending before it starts is refused first.
    browser.click(browser.link("Consent", within='nav[aria-label="Case sections"]'))
    tick(browser, COUNCIL)
    tick(browser, JOBCENTRE)
    tick(browser, "Needs and care plan")
    tick(browser, "Their account")
    tick(browser, "Arranging support and care")
    Select(browser.field("method")).select_by_value("verbal_with_interpreter")
    browser.fill("interpreterLanguage", "Arabic")
    browser.fill("validUntil-day", "1")
    browser.fill("validUntil-month", "1")
    browser.fill("validUntil-year", "2020")
    assert browser.press("Record consent") == 422
    assert "cannot end" in browser.error_text()
    assert browser.field("validUntil-year").get_attribute("value") == "2020"
    for box in ("day", "month", "year"):
        browser.fill(f"validUntil-{box}", "")
    assert browser.press("Record consent") == 200
    assert browser.path == case_path + "/consent"
    consents = browser.driver.find_element(By.ID, "consents").text
    assert COUNCIL in consents and JOBCENTRE in consents and "In force" in consents

    # A need and a task for the council.
    browser.click(browser.link("Needs and care plan", within='nav[aria-label="Case sections"]'))
    browser.driver.find_element(By.XPATH, "//summary[normalize-space()='Assess a need']").click()
    Select(browser.field("domain")).select_by_value("accommodation")
    Select(browser.field("urgency")).select_by_value("immediate")
    Select(browser.field("survivorPriority")).select_by_value("high")
    browser.press("Save need")
    assert "Accommodation" in browser.driver.find_element(By.ID, "needs").text
    browser.fill("title", "Emergency accommodation tonight")
    Select(browser.field("need")).select_by_value("accommodation")
    Select(browser.field("agencyID")).select_by_visible_text(COUNCIL)
    # The due date by day, month and year: 31 February is refused, naming the field and
    # keeping what was typed; a real date is shown as "6 December 2026".
    due = date.today() + timedelta(days=14)
    browser.fill("dueOn-day", "31")
    browser.fill("dueOn-month", "2")
    browser.fill("dueOn-year", str(due.year))
    assert browser.press("Add task") == 422
    assert "Due date must be a real date" in browser.error_text(), browser.error_text()
    assert browser.field("dueOn-day").get_attribute("value") == "31"
    assert "input-error" in browser.field("dueOn-day").get_attribute("class")
    browser.fill("dueOn-day", str(due.day))
    browser.fill("dueOn-month", str(due.month))
    assert browser.press("Add task") == 200
    tasks = browser.driver.find_element(By.ID, "tasks").text
    assert "Emergency accommodation tonight" in tasks
    assert f"{due.day} {due.strftime('%B')} {due.year}" in tasks, tasks
    browser.sign_out()

    # The council's caseworker sees the task in their inbox, in the survivor's language, and
    # completes it.
    browser.sign_in("caseworker2@demo.invalid")
    browser.click(browser.link("Tasks", within='nav[aria-label="Main"]'))
    row = next(r for r in browser.driver.find_elements(By.CSS_SELECTOR, "#inbox tbody tr") if "Emergency accommodation tonight" in r.text)
    assert "Arabic" in row.text
    browser.click(row.find_element(By.TAG_NAME, "a"))
    task_path = browser.path
    assert "Interpreter needed: Arabic" in browser.driver.find_element(By.TAG_NAME, "main").text
    Select(browser.field("status")).select_by_value("done")
    browser.fill("note", "Placed at Brook House.")
    browser.press("Save")
    assert browser.driver.find_element(By.ID, "task-status").text == "Done"
    browser.sign_out()

    # The caseworker withdraws the consent, after a confirmation page.
    browser.sign_in("caseworker@demo.invalid")
    browser.go(case_path + "/consent")
    browser.click(browser.link("Withdraw this consent"))
    assert browser.h1.startswith("Yusuf")
    assert COUNCIL in browser.driver.find_element(By.TAG_NAME, "main").text
    browser.press("Withdraw consent")
    assert "Withdrawn" in browser.driver.find_element(By.ID, "consents").text
    browser.sign_out()

    # The council no longer sees the task, or anything of the case.
    browser.sign_in("caseworker2@demo.invalid")
    assert browser.go(task_path) == 404
    assert browser.go(case_path) == 404
    browser.go("/tasks?show=all")
    assert "Emergency accommodation tonight" not in browser.driver.find_element(By.TAG_NAME, "main").text


def test_case_sections_render_for_a_demo_case(browser):
    browser.sign_in("caseworker@demo.invalid")
    browser.go("/cases")
    mira = next(r for r in browser.driver.find_elements(By.CSS_SELECTOR, "table.table tbody tr") if "Mira" in r.text)
    browser.click(mira.find_element(By.TAG_NAME, "a"))
    case_path = browser.path
    assert "Contact from the exploiter" in browser.driver.find_element(By.ID, "warnings").text
    for section, marker in [("/consent", "Record a consent"), ("/care-plan", "Add a task"), ("/nrm", "Duty to Notify"),
                            ("/outcomes", "Outcomes over time")]:
        assert browser.go(case_path + section) == 200, section
        assert marker in browser.driver.find_element(By.TAG_NAME, "main").text, section
    assert browser.driver.find_elements(By.CSS_SELECTOR, "figure.chart svg"), "the outcome chart is drawn"


def test_contact_log_records_a_planned_contact(browser):
    browser.sign_in("caseworker@demo.invalid")
    browser.go("/cases")
    andrei = next(r for r in browser.driver.find_elements(By.CSS_SELECTOR, "table.table tbody tr") if "Andrei" in r.text)
    browser.click(andrei.find_element(By.TAG_NAME, "a"))
    browser.click(browser.link("Contacts", within='nav[aria-label="Case sections"]'))
    assert browser.path.endswith("/contacts")
    before = len(browser.driver.find_elements(By.CSS_SELECTOR, "#contacts tbody tr"))
    assert before >= 7 and "Missed" in browser.driver.find_element(By.ID, "contacts").text
    # The GOV.UK date input: a day without a month is refused with a message naming the field.
    browser.fill("plannedOn-day", "3")
    browser.fill("plannedOn-year", "2026")
    assert browser.press("Save contact") == 422
    assert "Date must include a month" in browser.error_text(), browser.error_text()
    planned = date.today() + timedelta(days=9)
    browser.fill("plannedOn-day", str(planned.day))
    browser.fill("plannedOn-month", str(planned.month))
    browser.fill("plannedOn-year", str(planned.year))
    Select(browser.field("method")).select_by_value("video")
    assert browser.press("Save contact") == 200
    rows = browser.driver.find_elements(By.CSS_SELECTOR, "#contacts tbody tr")
    assert len(rows) == before + 1
    assert "Video call" in rows[0].text and "Planned" in rows[0].text


def test_coordinator_sees_case_figures_without_people(browser):
    browser.sign_in("coordinator@demo.invalid")
    browser.click(browser.link("Case figures", within='nav[aria-label="Main"]'))
    assert browser.h1 == "Survivor-support figures"
    main = browser.driver.find_element(By.TAG_NAME, "main").text
    assert "fewer than 5" in main
    assert "Mira" not in main and "SC-" not in main


def test_zz_case_support_pages_have_no_serious_accessibility_violations(axe_log):
    ours = {name for name in globals() if name.startswith("test_") and not name.startswith("test_zz")}
    pages = [p for p in axe_log.pages if p[0].split("[")[0] in ours]
    assert pages, "no page was audited (run the whole file, not this test alone)"
    blocking = [f for f in axe_log.blocking() if f.test.split("[")[0] in ours]
    assert not blocking, f"{len(blocking)} serious/critical axe-core violations:\n" + axe_log.report()


def test_nrm_dates_are_entered_by_day_month_and_year(browser):
    browser.sign_in("caseworker@demo.invalid")
    browser.go("/cases/new")
    browser.fill("chosenName", "Sami")
    browser.driver.find_element(By.ID, "age-possible_child").click()
    browser.press("Open case")
    assert browser.path.startswith("/cases/"), browser.error_text()
    browser.click(browser.link("NRM and Duty to Notify", within='nav[aria-label="Case sections"]'))
    assert "YYYY-MM-DD" not in browser.driver.find_element(By.TAG_NAME, "main").text
    referred = date.today() - timedelta(days=7)
    decided = date.today() - timedelta(days=2)
    # A decision without its full date is refused, naming the field and keeping the boxes.
    for box, value in (("day", referred.day), ("month", referred.month), ("year", referred.year)):
        browser.fill(f"referralDate-{box}", str(value))
    browser.fill("firstResponder", "Westmere Council")
    Select(browser.field("rgDecision")).select_by_value("positive")
    browser.fill("rgDate-day", str(decided.day))
    browser.fill("rgDate-year", str(decided.year))
    assert browser.press("Save NRM record") == 422
    assert "Reasonable-grounds decision date must include a month" in browser.error_text(), browser.error_text()
    assert browser.field("rgDate-day").get_attribute("value") == str(decided.day)
    assert "input-error" in browser.field("rgDate-month").get_attribute("class")
    browser.fill("rgDate-month", decided.strftime("%b"))
    assert browser.press("Save NRM record") == 200, browser.error_text()
    facts = browser.driver.find_element(By.ID, "nrm-facts").text
    assert f"{referred.day} {referred.strftime('%B')} {referred.year} by Westmere Council" in facts, facts
    assert f"Positive, {decided.day} {decided.strftime('%B')} {decided.year}" in facts, facts
