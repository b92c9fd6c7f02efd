"""Browser test of training on the demo: the trainer sees their sessions to come and to finish
on the home page, records a session of a course, its attendance by sector and two attendees'
confidence sheets, and sees the totals chart and table change; the register form and the
totals page answer a bad entry with a message. Every training page is axe-clean
(serious/critical)."""

from __future__ import annotations

from datetime import date

from selenium.webdriver.common.by import By
from selenium.webdriver.support.ui import Select

COURSE = "Modern slavery for letting agents and landlords"


def fill_date(browser, name: str, day: date):
    browser.fill(f"{name}-day", str(day.day))
    browser.fill(f"{name}-month", str(day.month))
    browser.fill(f"{name}-year", str(day.year))


def totals_row(browser, label: str) -> int:
    for row in browser.driver.find_elements(By.CSS_SELECTOR, "#totals-table tbody tr"):
        cells = row.find_elements(By.TAG_NAME, "td")
        if cells[0].text.strip() == label:
            return int(cells[1].text)
    return 0


def test_trainer_records_a_session_with_attendance_and_feedback(browser):
    browser.sign_in("trainer@demo.invalid")
    home = browser.driver.find_element(By.TAG_NAME, "main").text
    assert "Upcoming training sessions" in home and "Training sessions missing attendance or feedback" in home

    browser.click(browser.link("Training", within='nav[aria-label="Main"]'))
    assert browser.h1 == "Training"
    assert browser.driver.find_element(By.CSS_SELECTOR, "figure.chart-figure svg")
    today = date.today()
    before = totals_row(browser, "Car washes")
    assert before == 0
    chart = browser.driver.find_element(By.CSS_SELECTOR, "figure.chart-figure").get_attribute("innerHTML")
    assert "Car washes" not in chart

    browser.click(browser.link("Courses"))
    assert browser.h1 == "Training courses"
    browser.click(browser.link(COURSE))
    browser.click(browser.link("Record a session of this course"))
    assert browser.h1 == "Record a session"
    assert Select(browser.field("courseId")).first_selected_option.text == COURSE
    fill_date(browser, "heldOn", today)
    browser.driver.find_element(By.ID, "delivery-in_person").click()
    browser.fill("area", "not an area")
    browser.fill("language", "Romanian")
    assert browser.press("Record the session") == 422
    assert "postcode district" in browser.error_text()
    browser.fill("area", "wm3")
    assert browser.press("Record the session") == 200
    assert browser.h1.startswith(COURSE)

    # Attendance: a negative count is refused with a message; then 9 car-wash workers and 3 others.
    Select(browser.field("sector")).select_by_visible_text("Car washes")
    browser.driver.find_element(By.ID, "people-1").send_keys("-2")
    assert browser.press("Save attendance") == 400
    assert "cannot be negative" in browser.error_text()
    people = browser.driver.find_element(By.ID, "people-1")
    people.clear()
    people.send_keys("9")
    browser.driver.find_element(By.ID, "agency-1").send_keys("Sparkle Hand Car Wash")
    Select(browser.driver.find_element(By.ID, "sector-2")).select_by_visible_text("Letting agents and housing")
    browser.driver.find_element(By.ID, "people-2").send_keys("3")
    assert browser.press("Save attendance") == 200
    assert browser.driver.find_element(By.ID, "attendance-total").text == "12 people trained"

    # Two attendees' sheets, before and after.
    for phase, pair, answers in (("before", "1", "2"), ("after", "1", "4"), ("before", "2", "3"), ("after", "2", "5")):
        browser.driver.find_element(By.ID, f"phase-{phase}").click()
        browser.fill("pair", pair)
        for question in ("recognise_signs", "how_to_report", "after_reporting"):
            browser.driver.find_element(By.ID, f"{question}-{answers}").click()
        assert browser.press("Record the sheet") == 200
    results = browser.driver.find_element(By.ID, "feedback-table").text
    assert "+2.00" in results and "2.50" in results and "4.50" in results

    # The totals chart and table now count the car-wash workers.
    browser.go("/training")
    assert totals_row(browser, "Car washes") == 9
    chart = browser.driver.find_element(By.CSS_SELECTOR, "figure.chart-figure").get_attribute("innerHTML")
    assert "Car washes: 9" in chart
    Select(browser.field("by")).select_by_value("area")
    assert browser.press("Show") == 200
    assert totals_row(browser, "WM3") == 12
    browser.go("/training?by=shoe")
    assert "Choose sector, area, course or month" in browser.error_text()
    browser.go("/training/sessions?when=upcoming")
    assert browser.h1 == "Training sessions"
    browser.go("/training/courses/new")
    assert browser.h1 == "Add a course"


def test_the_register_and_a_viewer(browser):
    browser.sign_in("coordinator@demo.invalid")
    browser.go("/training/sessions?when=upcoming")
    browser.click(browser.driver.find_elements(By.CSS_SELECTOR, "#session-list tbody a")[-1])
    browser.click(browser.link("Keep a register of named attendees instead"))
    assert browser.h1.startswith("Register:")
    assert browser.press("Add to the register") == 422
    assert "Enter name" in browser.error_text()
    browser.fill("name", "Dana Fictional")
    browser.fill("agency", "Keyhouse Letting Agents")
    Select(browser.field("sector")).select_by_visible_text("Letting agents and housing")
    assert browser.press("Add to the register") == 200
    assert "Dana Fictional" in browser.driver.find_element(By.ID, "register-table").text
    # Taking Dana off the register asks first.
    browser.click(browser.driver.find_element(By.CSS_SELECTOR, "#register-table tbody a"))
    assert browser.h1 == "Remove Dana Fictional from the register?"
    assert browser.press("Remove from the register") == 200
    assert browser.driver.find_elements(By.ID, "register-empty")
    # The session's details can be edited with the same form.
    browser.click(browser.link("Back to the session"))
    browser.click(browser.link("Edit the session"))
    assert browser.h1 == "Edit the session"
    assert browser.press("Save changes") == 200
    assert browser.h1 != "Edit the session"
    browser.sign_out()
    browser.sign_in("viewer@demo.invalid")
    browser.click(browser.link("Training", within='nav[aria-label="Main"]'))
    assert not browser.driver.find_elements(By.LINK_TEXT, "Record a session")


def test_what_changed_afterwards(browser):
    browser.sign_in("viewer@demo.invalid")
    browser.click(browser.link("Training", within='nav[aria-label="Main"]'))
    browser.click(browser.link("What changed afterwards"))
    assert browser.h1 == "What changed afterwards"
    # The demo's rights campaign is for car-wash workers: it is marked on reports about car washes.
    Select(browser.field("sector")).select_by_visible_text("Car washes")
    assert browser.press("Show") == 200
    assert "Reports from Car washes" in browser.driver.find_element(By.ID, "afterwards-heading").text
    assert browser.driver.find_element(By.CSS_SELECTOR, "figure.chart-figure svg")
    assert "Know your rights at work" in browser.driver.find_element(By.ID, "afterwards-events").text
    # Hotel staff were trained every month: sessions are marked on the chart.
    Select(browser.field("sector")).select_by_visible_text("Hotels and hospitality")
    assert browser.press("Show") == 200
    assert browser.driver.find_elements(By.CSS_SELECTOR, "svg .mark")
    assert "caused" not in browser.driver.find_element(By.TAG_NAME, "main").text
    browser.fill("area", "not a place")
    assert browser.press("Show") == 422
    assert "postcode district" in browser.error_text()


def test_zz_training_pages_have_no_serious_accessibility_violations(axe_log):
    ours = {name for name in globals() if name.startswith("test_") and not name.startswith("test_zz")}
    pages = [p for p in axe_log.pages if p[0].split("[")[0] in ours]
    assert pages, "no page was audited (run the whole file, not this test alone)"
    audited = {p[1] for p in pages}
    for path in ("/training", "/training/courses", "/training/sessions/new", "/training/courses/new", "/training/afterwards"):
        assert path in audited, f"{path} was not audited"
    assert any(p.startswith("/training/sessions/") and p.endswith("/register") for p in audited)
    blocking = [f for f in axe_log.blocking() if f.test.split("[")[0] in ours]
    assert not blocking, f"{len(blocking)} serious/critical axe-core violations:\n" + axe_log.report()
