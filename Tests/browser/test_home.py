"""Browser tests of the home page as each person's work queue: what is waiting, with counts,
overdue first, every item one click from where it is dealt with; axe runs on every page."""

from __future__ import annotations

from selenium.webdriver.common.by import By


def sections(browser) -> dict[str, int]:
    """Each section of the queue on the page, with the count its heading shows."""
    found = {}
    for section in browser.driver.find_elements(By.CSS_SELECTOR, "section.work-section"):
        kind = section.get_attribute("id").removeprefix("work-")
        found[kind] = int(section.find_element(By.ID, f"work-{kind}-count").text)
        items = section.find_elements(By.CSS_SELECTOR, "ul.task-list > li")
        assert 0 < len(items) <= found[kind], (kind, len(items), found[kind])
    return found


def test_analyst_sees_the_emergency_first_and_reaches_it_in_one_click(browser):
    browser.sign_in("analyst@demo.invalid")
    assert browser.path == "/"
    queue = sections(browser)
    kinds = list(queue)
    assert kinds[0] == "emergency", kinds
    assert queue["emergency"] >= 1
    for kind in ("triage", "answer", "unattended", "intelligenceAlert"):
        assert kind in queue, (kind, queue)
    summary = browser.driver.find_element(By.ID, "work-summary").text
    assert f"{sum(queue.values())} items waiting" in summary and "overdue" in summary, summary
    first = browser.driver.find_element(By.CSS_SELECTOR, "#work-emergency ul.task-list > li a")
    reference = first.text.split(" · ")[0]
    assert browser.click(first) == 200
    assert browser.path.startswith("/reports/")
    assert reference in browser.driver.find_element(By.TAG_NAME, "main").text


def test_caseworker_sees_referrals_case_updates_and_late_partner_tasks(browser):
    browser.sign_in("caseworker@demo.invalid")
    queue = sections(browser)
    for kind in ("referral", "caseUpdate", "partnerTask"):
        assert kind in queue, (kind, queue)
    overdue = browser.driver.find_elements(By.CSS_SELECTOR, "#work-partnerTask .overdue")
    assert overdue, "the partner agencies' late tasks are marked overdue"
    update = browser.driver.find_element(By.CSS_SELECTOR, "#work-caseUpdate ul.task-list > li a")
    assert "Task done on case" in update.text
    assert browser.click(update) == 200
    assert browser.path.startswith("/cases/")
    browser.go("/")
    referral = browser.driver.find_element(By.CSS_SELECTOR, "#work-referral ul.task-list > li a")
    assert browser.click(referral) == 200
    assert browser.path.startswith("/reports/")


def test_a_person_with_nothing_waiting_is_told_so(browser):
    # The viewer (the demo trainer now has training sessions to come and to finish).
    browser.sign_in("viewer@demo.invalid")
    assert browser.path == "/"
    assert "Nothing is waiting for you" in browser.driver.find_element(By.ID, "work-empty").text
    assert not browser.driver.find_elements(By.CSS_SELECTOR, "section.work-section")
