"""Browser test of awareness campaigns on the demo: the trainer records a campaign (a negative
reach is refused first, with the values kept), reads its code and QR codes on its page; a
member of the public opens /report?lang=ro&c=CODE, sends a report, and the campaign's count of
reports goes up. Every campaign page is axe-clean (serious/critical)."""

from __future__ import annotations

from datetime import date, timedelta

from selenium.webdriver.common.by import By

from test_reports import t, tick


def fill_date(browser, name: str, day: date):
    browser.fill(f"{name}-day", str(day.day))
    browser.fill(f"{name}-month", str(day.month))
    browser.fill(f"{name}-year", str(day.year))


def report_count(browser) -> int:
    return int(browser.driver.find_element(By.ID, "campaign-report-count").text)


def test_a_report_from_the_campaign_code_counts_for_the_campaign(browser):
    browser.sign_in("trainer@demo.invalid")
    browser.click(browser.link("Campaigns", within='nav[aria-label="Main"]'))
    assert browser.h1 == "Campaigns"
    assert "Know your rights at work" in browser.driver.find_element(By.ID, "campaign-list").text
    browser.click(browser.link("Record a campaign"))
    assert browser.h1 == "Record a campaign"

    browser.fill("name", "Car wash rights, Romanian")
    tick(browser, "audience-car_wash_workers")
    tick(browser, "language-ro")
    tick(browser, "channel-leaflets")
    browser.fill("reach-leaflets", "-20")
    browser.fill("counted-leaflets", "leaflets handed out at car washes")
    browser.fill("areas", "WM4")
    today = date.today()
    fill_date(browser, "startsOn", today - timedelta(days=7))
    fill_date(browser, "endsOn", today + timedelta(days=30))
    assert browser.press("Record the campaign") == 422
    assert "The leaflets reach must be 0 or more" in browser.error_text()
    assert browser.field("name").get_attribute("value") == "Car wash rights, Romanian"
    assert browser.driver.find_element(By.ID, "channel-leaflets").is_selected()
    browser.fill("reach-leaflets", "250")
    assert browser.press("Record the campaign") == 200
    assert browser.h1 == "Car wash rights, Romanian"
    campaign_path = browser.path
    code = browser.driver.find_element(By.ID, "campaign-code").text.strip()
    assert len(code) == 6
    assert browser.driver.find_element(By.ID, "reach-total").text == "250"
    qr = browser.driver.find_element(By.CSS_SELECTOR, "#qr-ro-figure svg")
    assert qr.get_attribute("role") == "img"
    assert f"/report?lang=ro&c={code}" in browser.driver.find_element(By.ID, "qr-ro-figure").text
    assert report_count(browser) == 0
    browser.click(browser.link("Edit the campaign"))
    assert browser.h1 == "Edit the campaign"
    browser.sign_out()

    # The public form, opened from the code, in Romanian.
    assert browser.go(f"/report?lang=ro&c={code}") == 200
    tick(browser, "dangerNow-no")
    browser.fill("description", "Muncitorii de la spălătoria auto dorm în magazie.")
    tick(browser, "reporterType-member_of_public")
    tick(browser, "contact-anonymous")
    assert browser.press(t("ro", "report.submit")) == 201

    browser.sign_in("viewer@demo.invalid")
    browser.go(campaign_path)
    assert report_count(browser) == 1
    assert "Edit the campaign" not in browser.driver.find_element(By.TAG_NAME, "main").text
    browser.go("/campaigns?sort=reports")
    assert "Car wash rights, Romanian" in browser.driver.find_element(By.ID, "campaign-list").text


def test_zz_campaign_pages_have_no_serious_accessibility_violations(axe_log):
    ours = {name for name in globals() if name.startswith("test_") and not name.startswith("test_zz")}
    pages = [p for p in axe_log.pages if p[0].split("[")[0] in ours]
    assert pages, "no page was audited (run the whole file, not this test alone)"
    audited = {p[1] for p in pages}
    for path in ("/campaigns", "/campaigns/new", "/report"):
        assert path in audited, f"{path} was not audited"
    assert any(p.startswith("/campaigns/") and p.endswith("/edit") for p in audited)
    blocking = [f for f in axe_log.blocking() if f.test.split("[")[0] in ours]
    assert not blocking, f"{len(blocking)} serious/critical axe-core violations:\n" + axe_log.report()
