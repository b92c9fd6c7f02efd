"""Browser tests of the plan's indicators, logic model and board report on the demo: the
coordinator opens a computed indicator's chart (SVG with its table, no JavaScript needed),
enters a value for one of the partnership's own indicators (a future period is refused first),
reads the logic model, and prints the board report to PDF through Chromium; the PDF holds the
report's headings. Every page is axe-clean (serious/critical)."""

from __future__ import annotations

import base64
import io
import re
import unicodedata
from datetime import date

from pypdf import PdfReader
from selenium.webdriver.common.by import By
from selenium.webdriver.common.print_page_options import PrintOptions


def test_coordinator_reads_an_indicator_enters_a_value_and_prints_the_board_report(browser):
    browser.sign_in("coordinator@demo.invalid")
    browser.click(browser.link("Plan", within='nav[aria-label="Main"]'))
    browser.click(browser.link("Indicators"))
    assert browser.h1 == "Plan indicators"
    browser.click(browser.link("Reports received"))
    assert browser.h1 == "Reports received"
    chart = browser.driver.find_element(By.CSS_SELECTOR, "figure.chart-figure svg")
    assert "Target 4" in chart.get_attribute("innerHTML")
    rows = browser.driver.find_elements(By.CSS_SELECTOR, "#indicator-values tbody tr")
    assert len(rows) == 12

    # One of the partnership's own, entered monthly: a month not yet begun is refused.
    browser.go("/plan/indicators")
    browser.click(browser.link("Hotels signed up to the Westmere hotel charter"))
    today = date.today()
    future = f"{today.year + 1}-{today.month:02d}"
    browser.fill("period", future)
    browser.fill("value", "31")
    assert browser.press("Save value") == 422
    assert "has not begun yet" in browser.error_text()
    browser.fill("period", f"{today.year}-{today.month:02d}")
    browser.fill("value", "31")
    assert browser.press("Save value") == 200
    assert "31" in browser.driver.find_element(By.ID, "indicator-values").text

    browser.go("/plan/logic-model")
    assert browser.h1 == "Logic model"
    assert "Hotels signed up to the charter, staff trained" in browser.driver.find_element(By.TAG_NAME, "main").text

    browser.go("/plan")
    browser.click(browser.link("Board report"))
    assert browser.h1.startswith("Board report:")
    assert browser.press("Issue this report") == 200
    assert "Compared with the report for" in browser.driver.find_element(By.TAG_NAME, "main").text

    options = PrintOptions()
    options.background = False
    pdf = base64.b64decode(browser.driver.print_page(options))
    text = "\n".join(page.extract_text() or "" for page in PdfReader(io.BytesIO(pdf)).pages)
    # The PDF's fonts use ligatures ("ﬁ") and break lines where the page does.
    text = re.sub(r"\s+", " ", unicodedata.normalize("NFKC", text))
    for heading in ("Board report:", "Headline figures", "What changed since the last report", "Plan progress",
                    "Indicators against their targets"):
        assert heading in text, heading
    # Printed without the site's navigation or forms.
    assert "Sign out" not in text and "Issue this report" not in text
    assert len(PdfReader(io.BytesIO(pdf)).pages) >= 4


def test_a_viewer_reads_the_indicators_and_the_board_report_but_changes_nothing(browser):
    browser.sign_in("viewer@demo.invalid")
    browser.go("/plan/indicators/cases.reexploitation_signs")
    assert browser.h1 == "Re-exploitation warning signs recorded"
    main = browser.driver.find_element(By.TAG_NAME, "main").text
    assert "fewer than 5 people" in main
    assert not browser.driver.find_elements(By.ID, "baseline")
    browser.go("/plan/report")
    assert browser.h1.startswith("Board report:")
    assert not browser.driver.find_elements(By.XPATH, "//button[normalize-space()='Issue this report']")
