"""Browser test of the insight dashboard: the coordinator opens /insight, filters by area and
type (the filter goes into the URL), opens a figure as a table and downloads its CSV; a bad
period is refused with the error beside its field. Every page is axe-clean (serious/critical),
with the tables open as well as closed."""

from __future__ import annotations

from urllib.parse import parse_qs, urlparse

from selenium.webdriver.common.by import By
from selenium.webdriver.support.ui import Select


def test_coordinator_filters_the_dashboard_and_downloads_a_figure(browser):
    browser.sign_in("coordinator@demo.invalid")
    assert ("Insight", "/insight") in browser.nav_links()
    assert browser.go("/insight") == 200
    assert browser.h1 == "Insight"
    # Every section is there, with a finding in words for each figure.
    for section in ("Reports and referrals", "Survivor support", "Linked intelligence"):
        assert browser.driver.find_element(By.XPATH, f"//h2[normalize-space()='{section}']")
    received = browser.driver.find_element(By.CSS_SELECTOR, "#received h3").text
    assert "reports received" in received or "No reports" in received, received

    browser.fill("area", "wm4")
    Select(browser.field("type")).select_by_visible_text("Labour exploitation")
    assert browser.press("Show figures") == 200
    query = parse_qs(urlparse(browser.driver.current_url).query)
    assert query["area"] == ["WM4"] or query["area"] == ["wm4"], query
    assert query["type"] == ["labour"], query
    scope = browser.driver.find_element(By.ID, "insight-scope").text
    assert "area WM4" in scope and "labour exploitation" in scope, scope
    # The link to this view keeps the filter.
    shared = browser.driver.find_element(By.ID, "insight-link").get_attribute("href")
    assert "area=WM4" in shared and "type=labour" in shared, shared

    # A figure as a table: closed at first, open on request, and still axe-clean.
    table = browser.driver.find_element(By.ID, "data-urgency")
    assert not table.is_displayed()
    browser.driver.find_element(By.CSS_SELECTOR, "#table-urgency summary").click()
    assert table.is_displayed()
    headers = [th.text for th in table.find_elements(By.CSS_SELECTOR, "thead th")]
    assert headers == ["Urgency", "Reports", "Share of reports"], headers
    browser.audit()

    # Its CSV, downloaded with the same filter.
    link = browser.driver.find_element(By.CSS_SELECTOR, "#urgency a[download]")
    href = link.get_attribute("href")
    assert "/insight/figures/urgency" in href and "area=WM4" in href and "type=labour" in href, href
    result = browser.driver.execute_async_script(
        "const done = arguments[arguments.length - 1];"
        "fetch(arguments[0]).then(r => r.text().then(t => done({status: r.status, type: r.headers.get('content-type'),"
        " disposition: r.headers.get('content-disposition'), text: t})));", href)
    assert result["status"] == 200, result
    assert result["type"].startswith("text/csv"), result
    assert "attachment" in result["disposition"], result
    lines = result["text"].split("\r\n")
    assert lines[0] == "Urgency,Reports,Share of reports", lines
    shown = sum(int(row.text.split("\n")[0].replace(",", "")) for row in table.find_elements(By.CSS_SELECTOR, "tbody td:nth-child(2)"))
    in_csv = sum(int(line.split(",")[1]) for line in lines[1:] if line)
    assert shown == in_csv, (shown, in_csv)


def test_a_bad_period_is_refused_beside_its_field(browser):
    browser.sign_in("analyst@demo.invalid")
    browser.go("/insight")
    Select(browser.field("period")).select_by_visible_text("Dates I choose")
    for name, (day, month, year) in (("from", ("1", "12", "2026")), ("to", ("1", "1", "2026"))):
        browser.fill(f"{name}-day", day)
        browser.fill(f"{name}-month", month)
        browser.fill(f"{name}-year", year)
    assert browser.press("Show figures") == 422
    errors = browser.error_text()
    assert "is after the last day" in errors, errors
    assert not browser.driver.find_elements(By.ID, "received")
    # The dates stay as typed, in the boxes.
    assert browser.field("from-day").get_attribute("value") == "1"
    assert browser.field("from-month").get_attribute("value") == "12"

    # Days typed with a preset still chosen are the days shown.
    Select(browser.field("period")).select_by_visible_text("Last 12 months")
    browser.fill("from-month", "6")
    browser.fill("to-day", "30")
    browser.fill("to-month", "6")
    assert browser.press("Show figures") == 200
    scope = browser.driver.find_element(By.ID, "insight-scope").text
    assert scope.startswith("1 June 2026 to 30 June 2026"), scope
