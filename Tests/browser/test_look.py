"""Browser tests of how Cairn's pages look and fit: public pages on a phone in every language
(no sideways scroll, the danger question on the first screen), hidden-but-reachable helpers
(skip link, honeypot), the report-list tabs, the outcomes chart under the page's own CSP,
free text that breaks between words, the public form's contact fields, and the Ge'ez web font
for Tigrinya. Every page landed on is also checked by axe-core (see conftest.py).
"""

from __future__ import annotations

import re
import urllib.request
from contextlib import contextmanager

import pytest
from selenium.webdriver.common.by import By
from selenium.webdriver.common.keys import Keys

from conftest import REPO
from test_reports import by_id, page_problem, submit_public_report, t, tick

LANGUAGES = ["en", "sq", "vi", "ro", "pl", "ar", "ti"]
PHONE = {"width": 390, "height": 844, "deviceScaleFactor": 3, "mobile": True}
TEMPLATES = REPO / "Sources" / "Cairn" / "Resources" / "Templates"


@contextmanager
def phone(browser):
    """The page laid out as on a 390 × 844 phone (meta viewport honoured), then back to desktop."""
    browser.driver.execute_cdp_cmd("Emulation.setDeviceMetricsOverride", PHONE)
    try:
        yield
    finally:
        browser.driver.execute_cdp_cmd("Emulation.clearDeviceMetricsOverride", {})


def fits_the_screen(browser) -> dict:
    return browser.driver.execute_script("""
        const root = document.documentElement;
        const question = document.querySelector('legend h2');
        const rect = question ? question.getBoundingClientRect() : null;
        const h1 = document.querySelector('h1').getBoundingClientRect();
        return {scrollWidth: Math.max(root.scrollWidth, document.body.scrollWidth), width: window.innerWidth,
                height: window.innerHeight, question: rect && {top: rect.top, bottom: rect.bottom, left: rect.left, right: rect.right},
                h1: {left: h1.left, right: h1.right, top: h1.top}};""")


def assert_fits(browser, where: str, *, question: bool):
    box = fits_the_screen(browser)
    assert box["width"] == PHONE["width"], f"{where}: the phone viewport is {box['width']} px wide"
    assert box["scrollWidth"] <= box["width"], f"{where}: {box['scrollWidth']} px wide on a {box['width']} px screen"
    assert 0 <= box["h1"]["left"] and box["h1"]["right"] <= box["width"] and box["h1"]["top"] < box["height"], \
        f"{where}: the heading is off the first screen: {box['h1']}"
    if question:
        q = box["question"]
        assert q, f"{where}: no danger question"
        assert q["bottom"] <= box["height"] and 0 <= q["left"] and q["right"] <= box["width"], \
            f"{where}: the danger question is not on the first screen: {q} in {box['width']}×{box['height']}"


# --------------------------------------------------------------------------
# 1. Public pages on a phone, every language
# --------------------------------------------------------------------------

@pytest.mark.parametrize("lang", LANGUAGES)
def test_public_pages_fit_a_phone(browser, lang):
    with phone(browser):
        assert browser.go(f"/report?lang={lang}") == 200
        assert_fits(browser, f"/report?lang={lang}", question=True)
        assert browser.driver.find_element(By.CSS_SELECTOR, "legend h2").text.strip() == t(lang, "report.danger.question")

        # The form sent back with its problems, and the status page.
        tick(browser, "dangerNow-no")
        browser.driver.execute_script("window.scrollTo(0, 0)")
        assert browser.press(t(lang, "report.submit")) == 422, page_problem(browser)
        browser.driver.execute_script("window.scrollTo(0, 0)")
        assert_fits(browser, f"/report?lang={lang} with errors", question=False)
        assert browser.go(f"/report/status?lang={lang}") == 200
        assert_fits(browser, f"/report/status?lang={lang}", question=False)
        assert browser.go(f"/resources?lang={lang}") == 200
        assert_fits(browser, f"/resources?lang={lang}", question=False)


def test_arabic_confirmation_and_status_fit_a_phone(browser):
    with phone(browser):
        reference, passphrase = submit_public_report(browser, "ar", description="رجال ينامون في مغسلة السيارات.")
        browser.driver.execute_script("window.scrollTo(0, 0)")
        assert_fits(browser, "the Arabic confirmation", question=False)
        assert browser.go("/report/status?lang=ar") == 200
        browser.fill("reference", reference)
        browser.fill("passphrase", passphrase)
        assert browser.press(t("ar", "status.button")) == 200, page_problem(browser)
        assert_fits(browser, "the Arabic status", question=False)


def test_skip_link_and_honeypot_are_hidden_without_moving_the_page(browser):
    for lang in ("ar", "en"):
        browser.go(f"/report?lang={lang}")
        skip = browser.driver.find_element(By.CSS_SELECTOR, "a.skip-link")
        hidden = skip.rect
        assert hidden["width"] <= 1 and hidden["height"] <= 1, f"{lang}: the skip link shows before it has focus: {hidden}"
        trap = browser.driver.find_element(By.CSS_SELECTOR, ".trap")
        assert trap.rect["width"] <= 1 and 0 <= trap.rect["x"] <= browser.driver.execute_script("return window.innerWidth"), trap.rect
        assert browser.driver.find_element(By.ID, "website_confirm").get_attribute("tabindex") == "-1"

        # The first Tab shows it, inside the page, at the start of the line in either direction.
        browser.driver.find_element(By.TAG_NAME, "body").send_keys(Keys.TAB)
        focused = browser.driver.switch_to.active_element
        assert focused.get_attribute("class") == "skip-link", focused.get_attribute("outerHTML")[:120]
        shown = focused.rect
        width = browser.driver.execute_script("return window.innerWidth")
        assert shown["width"] > 50 and shown["height"] > 20, shown
        assert 0 <= shown["x"] and shown["x"] + shown["width"] <= width, f"{lang}: {shown} in {width}"
        assert (shown["x"] + shown["width"] > width - 30) if lang == "ar" else (shown["x"] < 30), f"{lang}: {shown}"


# --------------------------------------------------------------------------
# 7. The report-list tabs are readable
# --------------------------------------------------------------------------

CONTRAST = """
function rgb(s) { const m = s.match(/[\\d.]+/g).map(Number); return {r: m[0], g: m[1], b: m[2], a: m.length > 3 ? m[3] : 1}; }
function luminance(c) {
  const f = v => { v /= 255; return v <= 0.03928 ? v / 12.92 : Math.pow((v + 0.055) / 1.055, 2.4); };
  return 0.2126 * f(c.r) + 0.7152 * f(c.g) + 0.0722 * f(c.b);
}
function background(el) {
  for (; el; el = el.parentElement) { const c = rgb(getComputedStyle(el).backgroundColor); if (c.a > 0) return c; }
  return {r: 255, g: 255, b: 255, a: 1};
}
return Array.from(arguments[0]).map(el => {
  const fg = rgb(getComputedStyle(el).color), bg = background(el);
  const [hi, lo] = [luminance(fg), luminance(bg)].sort((a, b) => b - a);
  return {text: el.textContent.trim(), ratio: (hi + 0.05) / (lo + 0.05), current: el.getAttribute('aria-current'),
          color: getComputedStyle(el).color, background: `rgb(${bg.r}, ${bg.g}, ${bg.b})`};
});
"""


def test_report_list_tabs_are_readable_and_mark_the_current_one(browser):
    browser.sign_in("analyst@demo.invalid")
    for label in ("All reports", "Waiting for triage", "Assigned to my agency"):
        browser.go("/reports")
        nav = browser.driver.find_element(By.CSS_SELECTOR, 'nav[aria-label="Report lists"]')
        links = [a for a in nav.find_elements(By.TAG_NAME, "a") if a.text.strip() == label]
        assert links, [a.text for a in nav.find_elements(By.TAG_NAME, "a")]
        assert browser.click(links[0]) == 200
        tabs = browser.driver.execute_script(CONTRAST, browser.driver.find_elements(
            By.CSS_SELECTOR, 'nav[aria-label="Report lists"] a'))
        assert len(tabs) >= 3, tabs
        for tab in tabs:
            assert tab["ratio"] >= 4.5, f"tab \"{tab['text']}\" is {tab['color']} on {tab['background']} ({tab['ratio']:.2f}:1)"
        assert [tab["text"] for tab in tabs if tab["current"] == "page"] == [label], tabs
    # Not the header's navigation class (white text for the dark header).
    assert not browser.driver.find_elements(By.CSS_SELECTOR, 'nav[aria-label="Report lists"] .nav')
    # The filters' "Overdue only" box sits beside its label, not over it.
    box, label = by_id(browser, "overdue").rect, browser.driver.find_element(By.CSS_SELECTOR, 'label[for="overdue"]').rect
    assert box["x"] + box["width"] <= label["x"] and box["width"] < 40, (box, label)


# --------------------------------------------------------------------------
# 8. The outcomes chart under the page's own Content-Security-Policy
# --------------------------------------------------------------------------

def test_outcome_chart_legend_has_colours_and_nothing_is_clipped(browser):
    browser.sign_in("caseworker@demo.invalid")
    browser.go("/cases")
    mira = next(r for r in browser.driver.find_elements(By.CSS_SELECTOR, "table.table tbody tr") if "Mira" in r.text)
    browser.click(mira.find_element(By.TAG_NAME, "a"))
    assert browser.go(browser.path + "/outcomes") == 200
    assert browser.driver.find_elements(By.CSS_SELECTOR, "figure.chart svg"), "the demo case should have a chart"
    assert not browser.driver.find_elements(By.CSS_SELECTOR, "main [style]"), "inline styles are blocked by the CSP"

    swatches = browser.driver.execute_script(
        "return Array.from(document.querySelectorAll('.legend .swatch')).map(s => getComputedStyle(s).backgroundColor);")
    assert len(swatches) == 7, swatches
    assert all(c not in ("rgba(0, 0, 0, 0)", "transparent") for c in swatches), swatches
    assert len(set(swatches)) == 7, f"legend swatches share colours: {swatches}"
    # Each line and its dots are drawn in its swatch's colour.
    lines = browser.driver.execute_script(
        "return Array.from(document.querySelectorAll('figure.chart polyline')).map(p => getComputedStyle(p).stroke);")
    assert lines == swatches, (lines, swatches)

    # Every label of the chart lies inside the drawing.
    boxes = browser.driver.execute_script("""
        const svg = document.querySelector('figure.chart svg'), outer = svg.getBoundingClientRect();
        return Array.from(svg.querySelectorAll('text')).map(t => { const r = t.getBoundingClientRect();
          return {text: t.textContent, left: r.left - outer.left, right: outer.right - r.right}; });""")
    assert any(b["text"] == "Not at all" for b in boxes), boxes
    for b in boxes:
        assert b["left"] >= 0 and b["right"] >= 0, f"\"{b['text']}\" is clipped: {b}"


def test_no_template_uses_inline_styles():
    """style-src 'self' blocks style attributes and <style> elements: everything is in cairn.css."""
    offenders = []
    for path in TEMPLATES.rglob("*.mustache"):
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
            if re.search(r"\sstyle\s*=|<style[\s>]", line):
                offenders.append(f"{path.relative_to(TEMPLATES)}:{number}")
    assert not offenders, offenders


# --------------------------------------------------------------------------
# 9. Free text breaks between words
# --------------------------------------------------------------------------

BROKEN_WORDS = """
const broken = [];
for (const el of document.querySelectorAll('.wrap')) {
  const walker = document.createTreeWalker(el, NodeFilter.SHOW_TEXT);
  for (let node = walker.nextNode(); node; node = walker.nextNode()) {
    const re = /\\S+/g; let m;
    while ((m = re.exec(node.data))) {
      const range = document.createRange();
      range.setStart(node, m.index); range.setEnd(node, m.index + m[0].length);
      const tops = new Set(Array.from(range.getClientRects()).map(r => Math.round(r.top)));
      if (tops.size > 1) broken.push(m[0]);
    }
  }
}
return {broken, count: document.querySelectorAll('.wrap').length,
        style: Array.from(document.querySelectorAll('.wrap')).map(e => getComputedStyle(e).wordBreak + ' ' + getComputedStyle(e).overflowWrap)};
"""


def test_free_text_breaks_between_words_and_long_tokens_still_fit(browser):
    browser.sign_in("analyst@demo.invalid")
    browser.go("/reports")
    first = browser.driver.find_element(By.CSS_SELECTOR, "main table tbody tr td a")
    browser.click(first)
    with phone(browser):
        # A long token (a link with no spaces) in the account, as people paste them.
        token = "https://example.invalid/" + "x" * 120
        browser.driver.execute_script("arguments[0].textContent += ' ' + arguments[1];",
                                      browser.driver.find_element(By.CSS_SELECTOR, "main p.wrap"), token)
        found = browser.driver.execute_script(BROKEN_WORDS)
        assert found["count"] > 0
        assert all(s == "normal anywhere" for s in found["style"]), found["style"]
        words = [w for w in found["broken"] if w != token]
        assert words == [], f"words broken across lines: {words[:10]}"
        assert token in found["broken"], "the long token should wrap onto several lines"
        width = browser.driver.execute_script(
            "return Math.max(document.documentElement.scrollWidth, document.body.scrollWidth) - window.innerWidth;")
        assert width <= 0, f"the long token makes the page {width} px wider than the phone"


# --------------------------------------------------------------------------
# 10. The public form's contact fields
# --------------------------------------------------------------------------

def test_contact_fields_show_only_when_the_reporter_gives_details(browser):
    browser.go("/report?lang=en")
    fields = by_id(browser, "contact-fields")
    tick(browser, "contact-anonymous")
    assert not fields.is_displayed(), "contact fields show while 'stay anonymous' is chosen"
    tick(browser, "contact-details")
    assert fields.is_displayed()
    phone_field, email = by_id(browser, "contactPhone"), by_id(browser, "contactEmail")
    styles = browser.driver.execute_script(
        "return arguments.length && Array.from(arguments).map(e => { const s = getComputedStyle(e);"
        " return [s.borderTopWidth, s.borderTopStyle, s.borderTopColor, s.fontSize, e.getBoundingClientRect().width]; });",
        phone_field, email)
    assert styles[0] == styles[1], f"the phone field is not styled like the email field: {styles}"
    assert styles[0][0] == "2px", styles
    tick(browser, "contact-anonymous")
    assert not fields.is_displayed()


# --------------------------------------------------------------------------
# 13. A Ge'ez web font for Tigrinya, from Cairn itself
# --------------------------------------------------------------------------

def test_tigrinya_pages_load_the_ethiopic_font(browser, server):
    assert browser.go("/report?lang=ti") == 200
    fonts = browser.driver.execute_async_script("""
        const done = arguments[arguments.length - 1];
        document.fonts.ready.then(() => done({
          faces: Array.from(document.fonts).filter(f => f.family.replace(/"/g, '') === 'Cairn Ethiopic').map(f => f.status),
          check: document.fonts.check('1em "Cairn Ethiopic"', 'ትግርኛ'),
          family: getComputedStyle(document.querySelector('h1')).fontFamily,
          loaded: performance.getEntriesByType('resource').map(e => e.name).filter(n => n.includes('/assets/fonts/')),
        }));""")
    assert "loaded" in fonts["faces"], fonts
    assert fonts["check"], fonts
    assert fonts["family"].replace('"', "").startswith("Cairn Ethiopic"), fonts
    assert any(n.endswith(".woff2") for n in fonts["loaded"]), fonts
    assert all(n.startswith(server.base_url + "/assets/fonts/") for n in fonts["loaded"]), "fonts come from Cairn itself"

    for name in ("noto-sans-ethiopic-regular.woff2", "noto-sans-ethiopic-bold.woff2"):
        with urllib.request.urlopen(f"{server.base_url}/assets/fonts/{name}", timeout=10) as response:
            assert response.status == 200
            assert response.headers["Content-Type"] == "font/woff2", response.headers["Content-Type"]
            assert response.read(4) == b"wOF2"
    with urllib.request.urlopen(f"{server.base_url}/assets/fonts/OFL.txt", timeout=10) as response:
        assert b"SIL Open Font License" in response.read()


def test_zz_look_pages_have_no_serious_accessibility_violations(axe_log):
    blocking = axe_log.blocking()
    assert not blocking, "serious/critical axe violations:\n" + axe_log.report()
