"""Browser test of the self-assessment against the public-health framework: the coordinator
opens a round (after a closing date before its opening is refused), two agencies' users rate
their own agencies (one saves part-way and comes back), the coordinator closes the round
after confirming, sees the heat map with numbers, colours, medians, and turns a gap into an
action on the plan, which the heat map then names. Every page is axe-clean (serious/critical)."""

from __future__ import annotations

from datetime import date, timedelta

from selenium.webdriver.common.by import By
from selenium.webdriver.support.ui import Select

ROUND = "Browser round"


def set_date(browser, name: str, day: date):
    browser.fill(f"{name}-day", str(day.day))
    browser.fill(f"{name}-month", str(day.month))
    browser.fill(f"{name}-year", str(day.year))


def heat_row(browser, key: str):
    return browser.driver.find_element(By.XPATH, f"//table[@id='heat-map']//tr[@id='factor-{key}']")


def rate(browser, levels: dict[str, tuple[str, str]]):
    """Chooses each factor's level and writes its evidence, then saves."""
    for field, (level, evidence) in levels.items():
        browser.driver.find_element(By.ID, f"{field}-{level}").click()
        browser.fill(f"{field}-evidence", evidence)
    assert browser.press("Save ratings") == 200
    assert browser.path.endswith("/ratings")


def test_a_round_is_opened_rated_by_two_agencies_and_closed(browser):
    browser.sign_in("coordinator@demo.invalid")
    browser.click(browser.link("Self-assessment", within='nav[aria-label="Main"]'))
    assert browser.h1 == "Self-assessment"
    assert browser.driver.find_elements(By.CSS_SELECTOR, "#round-list tbody tr"), "the demo's rounds are listed"
    browser.click(browser.link("Open a round"))
    assert browser.h1 == "Open a self-assessment round"

    # A closing date before the opening date is refused, with the error beside the date.
    today = date.today()
    browser.fill("name", ROUND)
    set_date(browser, "opensOn", today + timedelta(days=10))
    set_date(browser, "closesBy", today + timedelta(days=5))
    assert browser.press("Open the round") == 422
    assert "closing date must be on or after the opening date" in browser.error_text()
    set_date(browser, "opensOn", today)
    set_date(browser, "closesBy", today + timedelta(days=30))
    assert browser.press("Open the round") == 200
    assert browser.h1 == f"Self-assessment {ROUND}"
    round_path = browser.path
    assert "No agency has rated yet." in browser.driver.find_element(By.ID, "no-ratings").text
    browser.sign_out()

    # The Jobcentre rates two factors, comes back, and rates a third.
    browser.sign_in("practitioner@demo.invalid")
    browser.go(round_path)
    browser.click(browser.link("Rate your agency"))
    assert browser.h1.startswith("Rate Jobcentre Plus Westmere")
    rate(browser, {"design-training": ("1", "No module in induction yet."),
                   "principle-partnership": ("3", "We attend every board meeting.")})
    assert "2 of 28" in browser.driver.find_element(By.ID, "own-progress").text
    browser.go(round_path)
    browser.click(browser.link("Rate your agency"))
    assert browser.driver.find_element(By.ID, "design-training-1").is_selected(), "the saved rating is there to change"
    rate(browser, {"delivery-peer_led": ("2", "A peer group is being planned.")})
    assert "3 of 28" in browser.driver.find_element(By.ID, "own-progress").text
    browser.sign_out()

    # Safe Harbour rates its own agency.
    browser.sign_in("caseworker@demo.invalid")
    browser.go(round_path)
    browser.click(browser.link("Rate your agency"))
    assert browser.h1.startswith("Rate Safe Harbour Survivor Support")
    rate(browser, {"design-training": ("2", "Half our staff are trained."),
                   "principle-partnership": ("4", "We chair the survivor support group.")})
    browser.sign_out()

    # The coordinator sees the progress, closes the round, and reads the heat map.
    browser.sign_in("coordinator@demo.invalid")
    browser.go(round_path)
    progress = browser.driver.find_element(By.ID, "round-progress").text
    assert "Jobcentre Plus Westmere 3 of 28" in progress and "Safe Harbour Survivor Support 2 of 28" in progress
    browser.click(browser.link("Close the round"))
    assert browser.h1 == f"Close round {ROUND}?"
    assert browser.press("Close the round") == 200
    assert browser.path == round_path
    assert "closed" in browser.driver.find_element(By.CSS_SELECTOR, ".notice.success").text

    headers = [th.text for th in browser.driver.find_elements(By.CSS_SELECTOR, "#heat-map thead th")]
    assert headers[:4] == ["Group", "Principle or factor", "Jobcentre Plus Westmere", "Safe Harbour Survivor Support"], headers
    training = heat_row(browser, "design.training")
    cells = training.find_elements(By.CSS_SELECTOR, "td.heat-cell")
    assert [c.text for c in cells[:2]] == ["1", "2"]
    assert "maturity-1" in cells[0].get_attribute("class") and "maturity-2" in cells[1].get_attribute("class")
    assert "1.5" in cells[2].text and "Gap" in cells[2].text
    plan = training.find_element(By.PARTIAL_LINK_TEXT, "Plan an action")
    assert "/plan/actions/new?factor=design.training" in plan.get_attribute("href")
    partnership = heat_row(browser, "principle.partnership")
    assert "3.5" in partnership.text and not partnership.find_elements(By.PARTIAL_LINK_TEXT, "Plan an action")
    # The change since the demo's last round is shown in numbers, not only arrows.
    change = training.find_element(By.CSS_SELECTOR, "td.change").text
    assert "(was " in change, change
    assert not browser.driver.find_elements(By.LINK_TEXT, "Rate your agency"), "a closed round takes no ratings"

    # One agency's ratings with their evidence.
    browser.click(browser.link("Jobcentre Plus Westmere", within="#heat-map thead"))
    assert "A peer group is being planned." in browser.driver.find_element(By.TAG_NAME, "main").text

    # The gap in training becomes an action on the plan in one form: the factor is ticked, the
    # title suggested and the round named; the coordinator chooses the rest and adds it.
    browser.go(round_path)
    browser.click(heat_row(browser, "design.training").find_element(By.PARTIAL_LINK_TEXT, "Plan an action"))
    assert browser.h1 == "Add an action"
    assert ROUND in browser.driver.find_element(By.CSS_SELECTOR, "p.notice").text
    assert browser.driver.find_element(By.ID, "factor-design.training").is_selected()
    assert browser.field("title").get_attribute("value").startswith("Improve")
    browser.fill("title", "Modern slavery module in every induction")
    Select(browser.field("goalId")).select_by_visible_text("A partnership that knows what works")
    browser.driver.find_element(By.ID, "pathway-literacy").click()
    browser.driver.find_element(By.ID, "level-before").click()
    browser.driver.find_element(By.ID, "strand-prevent").click()
    Select(browser.field("ownerAgencyId")).select_by_visible_text("Jobcentre Plus Westmere")
    browser.fill("lead", "Learning and development lead")
    set_date(browser, "startsOn", today)
    set_date(browser, "dueOn", today + timedelta(days=90))
    assert browser.press("Add the action") == 200
    assert browser.h1 == "Modern slavery module in every induction"
    main = browser.driver.find_element(By.TAG_NAME, "main").text
    assert "Answers a gap in" in main and ROUND in main
    # Back on the heat map, the gap names its action instead of offering another.
    browser.go(round_path)
    training = heat_row(browser, "design.training")
    assert training.find_element(By.LINK_TEXT, "Modern slavery module in every induction")
    assert not training.find_elements(By.PARTIAL_LINK_TEXT, "Plan an action")


def test_zz_assessment_pages_have_no_serious_accessibility_violations(axe_log):
    ours = {name for name in globals() if name.startswith("test_") and not name.startswith("test_zz")}
    pages = [p for p in axe_log.pages if p[0].split("[")[0] in ours]
    assert pages, "no self-assessment page was audited (run the whole file, not this test alone)"
    blocking = [f for f in axe_log.blocking() if f.test.split("[")[0] in ours]
    assert not blocking, f"{len(blocking)} serious/critical axe-core violations:\n" + axe_log.report()
