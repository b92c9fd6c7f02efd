"""Browser test of the partnership plan on the demo: the coordinator opens the plan, adds an
action in an empty pathway x level cell (the form arrives with the cell filled in; a due date
before the start is refused first), records an update, and sees the cell filled; goals are
added and edited; a viewer reads the plan and its filtered lists but is offered no changes.
Every plan page is axe-clean (serious/critical), including its colours' contrast."""

from __future__ import annotations

from datetime import date, timedelta
from urllib.parse import urlparse

from selenium.webdriver.common.by import By
from selenium.webdriver.support.ui import Select

GAP = "/plan/actions/new?pathway=fundamentals&level=early"


def fill_date(browser, name: str, day: date):
    browser.fill(f"{name}-day", str(day.day))
    browser.fill(f"{name}-month", str(day.month))
    browser.fill(f"{name}-year", str(day.year))


def test_coordinator_adds_an_action_in_an_empty_cell_and_records_an_update(browser):
    browser.sign_in("coordinator@demo.invalid")
    panel = browser.driver.find_element(By.ID, "plan-attention").text
    assert "at risk or off track" in panel and "past their due date" in panel
    browser.click(browser.link("Plan", within='nav[aria-label="Main"]'))
    assert browser.h1 == "Partnership plan"
    matrix = browser.driver.find_element(By.ID, "plan-matrix")
    assert "Gap: no actions" in matrix.text
    gap = matrix.find_element(By.CSS_SELECTOR, f'a[href="{GAP}"]')
    assert gap.text.startswith("Add an action here")
    browser.click(gap)
    assert browser.h1 == "Add an action"
    assert browser.driver.find_element(By.ID, "pathway-fundamentals").is_selected()
    assert browser.driver.find_element(By.ID, "level-early").is_selected()

    Select(browser.field("goalId")).select_by_visible_text("No survivor loses support at the end of the NRM recovery period")
    browser.fill("title", "Food bank referrals for survivors leaving support")
    browser.driver.find_element(By.ID, "strand-protect").click()
    browser.driver.find_element(By.CSS_SELECTOR, "#factors-local summary").click()
    browser.driver.find_element(By.ID, "factor-local.survivor_support").click()
    Select(browser.field("ownerAgencyId")).select_by_visible_text("Safe Harbour Survivor Support")
    browser.fill("lead", "Move-on caseworker")
    today = date.today()
    fill_date(browser, "startsOn", today)
    fill_date(browser, "dueOn", today - timedelta(days=3))
    assert browser.press("Add the action") == 422
    assert "The due date must be the same as or after the start date" in browser.error_text()
    assert browser.field("title").get_attribute("value") == "Food bank referrals for survivors leaving support"
    assert browser.driver.find_element(By.ID, "factor-local.survivor_support").is_selected()
    fill_date(browser, "dueOn", today + timedelta(days=60))
    assert browser.press("Add the action") == 200
    assert browser.h1 == "Food bank referrals for survivors leaving support"
    action_path = browser.path
    assert "Not started" in browser.driver.find_element(By.ID, "action-status").text
    assert "Well resourced & integrated infrastructure for survivor support" in browser.driver.find_element(By.TAG_NAME, "main").text

    # An update needs a note; then it is listed, newest first, and moves the status.
    Select(browser.field("status")).select_by_visible_text("On track")
    assert browser.press("Record the update") == 422
    assert "Say what has happened since the last update" in browser.error_text()
    browser.fill("note", "Agreed with the two food banks in Westmere city.")
    assert browser.press("Record the update") == 200
    assert browser.path == action_path
    assert "On track" in browser.driver.find_element(By.ID, "action-status").text
    updates = browser.driver.find_element(By.ID, "update-list").text
    assert "Agreed with the two food banks" in updates and "Chris Coordinator (demo)" in updates

    # The cell is filled: its count links to its action.
    browser.click(browser.link("Plan", within='nav[aria-label="Main"]'))
    matrix = browser.driver.find_element(By.ID, "plan-matrix")
    assert not matrix.find_elements(By.CSS_SELECTOR, f'a[href="{GAP}"]')
    cell = matrix.find_element(By.CSS_SELECTOR, 'a[href="/plan/actions?pathway=fundamentals&level=early"]')
    assert cell.text.startswith("1 action")
    browser.click(cell)
    assert "Food bank referrals for survivors leaving support" in browser.driver.find_element(By.ID, "action-list").text

    # Editing it keeps its status; the edit page has the same form.
    browser.go(action_path)
    browser.click(browser.link("Edit the action"))
    assert browser.h1 == "Edit the action"
    browser.fill("lead", "Move-on team leader")
    assert browser.press("Save changes") == 200
    assert "Move-on team leader" in browser.driver.find_element(By.ID, "action-details").text
    assert "On track" in browser.driver.find_element(By.ID, "action-status").text


def test_coordinator_adds_and_edits_a_goal(browser):
    browser.sign_in("coordinator@demo.invalid")
    browser.go("/plan/goals")
    assert browser.h1 == "Plan goals"
    assert browser.press("Add the goal") == 422
    assert "Enter the goal" in browser.error_text()
    browser.fill("title", "Every hotel in Westmere has a named safeguarding lead")
    assert browser.press("Add the goal") == 200
    goals = browser.driver.find_element(By.ID, "goals").text
    assert "Every hotel in Westmere has a named safeguarding lead" in goals
    edit = browser.driver.find_elements(By.XPATH, "//a[starts-with(normalize-space(), 'Edit')]")[-1]
    browser.click(edit)
    assert browser.h1 == "Edit the goal"
    browser.fill("position", "1")
    assert browser.press("Save the goal") == 200
    first = browser.driver.find_element(By.CSS_SELECTOR, "#goals > li h2").text
    assert first == "Every hotel in Westmere has a named safeguarding lead"


def test_viewer_reads_the_plan_and_filters_its_actions(browser):
    browser.sign_in("viewer@demo.invalid")
    browser.click(browser.link("Plan", within='nav[aria-label="Main"]'))
    assert browser.h1 == "Partnership plan"
    main = browser.driver.find_element(By.TAG_NAME, "main").text
    assert "Gap: no actions" in main and "Add an action" not in main
    assert "2 Off track" in browser.driver.find_element(By.ID, "matrix-summary").text
    browser.click(browser.link("All actions"))
    Select(browser.field("status")).select_by_value("at_risk")
    Select(browser.field("strand")).select_by_value("pursue")
    browser.press("Apply")
    query = urlparse(browser.driver.current_url).query
    assert "status=at_risk" in query and "strand=pursue" in query, "the URL holds the filter"
    rows = browser.driver.find_elements(By.CSS_SELECTOR, "#action-list tbody tr")
    assert len(rows) == 2 and all("At risk" in r.text for r in rows)
    Select(browser.field("factor")).select_by_value("design.care")
    browser.press("Apply")
    assert "No actions match these filters" in browser.driver.find_element(By.ID, "actions-empty").text
    assert browser.go("/plan/actions?status=finished") == 400
    assert "Choose a status from the list" in browser.error_text()
    browser.go("/plan/actions?sort=status")
    first = browser.driver.find_element(By.CSS_SELECTOR, "#action-list tbody tr a")
    browser.click(first)
    assert "Off track" in browser.driver.find_element(By.ID, "action-status").text
    assert browser.driver.find_elements(By.CSS_SELECTOR, "#update-list li")
    assert not browser.driver.find_elements(By.ID, "record-update")
    browser.go("/plan/goals")
    assert not browser.driver.find_elements(By.ID, "add-goal")


def test_zz_plan_pages_have_no_serious_accessibility_violations(axe_log):
    ours = {name for name in globals() if name.startswith("test_") and not name.startswith("test_zz")}
    pages = [p for p in axe_log.pages if p[0].split("[")[0] in ours]
    assert pages, "no page was audited (run the whole file, not this test alone)"
    audited = {p[1] for p in pages}
    for path in ("/plan", "/plan/goals", "/plan/actions", "/plan/actions/new"):
        assert path in audited, f"{path} was not audited"
    assert any(p.startswith("/plan/actions/") and p.endswith("/edit") for p in audited)
    assert any(p.startswith("/plan/goals/") and p.endswith("/edit") for p in audited)
    blocking = [f for f in axe_log.blocking() if f.test.split("[")[0] in ours]
    assert not blocking, f"{len(blocking)} serious/critical axe-core violations:\n" + axe_log.report()
