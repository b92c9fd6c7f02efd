"""Browser test of the survivor's own view (/my) on a phone-sized window, in English and in
Arabic (right to left): the case team offers the view, the survivor activates it with the
one-time code, signs in, sees who holds their information, withdraws one consent, rates two
outcomes, writes to the team asking for an interpreter and leaves with the quick exit; the
case team then sees the message, the interpreter request and the ratings.

The survivor's texts are read from the catalogues in
Sources/CairnCore/Localisation/PublicReportText+xx.swift (keys `survivor.*`), so the test
asserts the sentences the survivor reads. Every page landed on is checked with axe-core (see
conftest.py); the last test fails on any serious or critical violation on these pages.
"""

from __future__ import annotations

import re
import secrets
from functools import cache
from urllib.parse import urlparse

import pytest
from selenium.webdriver.common.by import By
from selenium.webdriver.support.ui import Select, WebDriverWait

from conftest import REPO, xpath_literal

CASEWORKER = "caseworker@demo.invalid"
COUNCIL = "Westmere County Council Adult Safeguarding"
JOBCENTRE = "Jobcentre Plus Westmere"
PASSPHRASE = "blue kettle morning river"
PHONE = (390, 844)
DESKTOP = (1280, 1000)   # conftest's --window-size, restored afterwards

# The one-time code, e.g. K7PM-4QXR-9TAB.
ACTIVATION_CODE = re.compile(r"^[A-Z0-9]{4}-[A-Z0-9]{4}-[A-Z0-9]{4}$")
# The survivor's reference: letters and digits without look-alikes, e.g. ANR-24Q.
REFERENCE = re.compile(r"^[A-Z0-9]{3,}(-[A-Z0-9]{2,})+$")

LANGUAGES = {
    # code: (dir, chosen name, their message, the language they ask an interpreter for)
    "en": ("ltr", "Dana", "Can we meet on Thursday? I would like to talk about the course.", "Kurdish Sorani"),
    "ar": ("rtl", "نور", "هل يمكننا أن نلتقي يوم الخميس؟ أريد أن أتحدث عن الدورة.", "العربية"),
}


# --------------------------------------------------------------------------
# The survivor's text catalogues
# --------------------------------------------------------------------------

@cache
def catalogue(code: str) -> dict[str, str]:
    """key → text of one language, read from PublicReportText+<code>.swift."""
    path = REPO / "Sources" / "CairnCore" / "Localisation" / f"PublicReportText+{code}.swift"
    source = path.read_text(encoding="utf-8")
    entries = dict(re.findall(r'^\s*"([^"\\]+)":\s*"((?:[^"\\]|\\.)*)",?\s*$', source, re.M))
    assert "survivor.title.consents" in entries and "survivor.messages.send" in entries, f"could not read the catalogue {path}"
    return entries


def t(code: str, key: str, **values: str) -> str:
    """The survivor's text `survivor.<key>` in language `code`, with {placeholders} filled."""
    text = catalogue(code)["survivor." + key]
    for name, value in values.items():
        text = text.replace("{" + name + "}", value)
    return text


# --------------------------------------------------------------------------
# Helpers
# --------------------------------------------------------------------------

def main_text(browser) -> str:
    return browser.driver.find_element(By.TAG_NAME, "main").text


def html_attr(browser, name: str) -> str | None:
    return browser.driver.find_element(By.TAG_NAME, "html").get_attribute(name)


def page_problem(browser) -> str:
    return f"{browser.path} answered {browser.last_status}: h1 \"{browser.h1}\" {browser.error_text()}"


def flash(browser) -> str:
    shown = browser.driver.find_elements(By.CSS_SELECTOR, "main .flash")
    return shown[0].text.strip() if shown else ""


def click_id(browser, element_id: str):
    """Tick a checkbox or select a radio button by id (scrolled into view first)."""
    element = browser.driver.find_element(By.ID, element_id)
    browser.driver.execute_script("arguments[0].scrollIntoView({block: 'center'});", element)
    if not element.is_selected():
        element.click()
    assert element.is_selected(), f"#{element_id} could not be selected"


def tick_label(browser, label: str):
    """Tick the checkbox whose label starts with this text."""
    label_element = browser.driver.find_element(By.XPATH, f"//label[starts-with(normalize-space(), {xpath_literal(label)})]")
    click_id(browser, label_element.get_attribute("for"))


def in_my_view(browser, lang: str):
    """The page is one of the survivor's pages in `lang`, laid out in that language's direction."""
    direction = LANGUAGES[lang][0]
    assert html_attr(browser, "lang") == lang, f"{browser.path}: lang={html_attr(browser, 'lang')!r}, expected {lang!r}"
    assert html_attr(browser, "dir") == direction, f"{browser.path}: dir={html_attr(browser, 'dir')!r}, expected {direction!r}"
    exit_link = browser.driver.find_element(By.CSS_SELECTOR, "header a.quick-exit")
    assert exit_link.get_attribute("data-quick-exit") == "https://www.bbc.co.uk/weather"
    assert exit_link.text.strip().startswith(t(lang, "exit"))
    assert exit_link.is_displayed()
    # In the first screenful, wherever the page was scrolled from the top.
    assert browser.driver.execute_script("return arguments[0].getBoundingClientRect().top + window.scrollY", exit_link) < 200


def nav_to(browser, lang: str, title_key: str):
    """Follow the survivor's own navigation to one of their pages."""
    browser.click(browser.link(t(lang, title_key), within="nav.my-nav"))
    assert browser.last_status == 200, page_problem(browser)
    assert browser.h1 == t(lang, title_key)
    in_my_view(browser, lang)


def fresh_session(browser):
    """Forget every cookie (the caseworker's, and any language choice) as a new browser would."""
    browser.driver.execute_cdp_cmd("Network.clearBrowserCookies", {})


def consent_cards(browser) -> dict[str, str]:
    """Agency name → its card's text on /my/consents."""
    cards = browser.driver.find_elements(By.CSS_SELECTOR, "#agency section.consent-card")
    return {card.find_element(By.TAG_NAME, "h2").text.strip(): card.text for card in cards}


@pytest.fixture
def window(browser):
    """Resizes the (session-wide) window and puts it back to the suite's size afterwards."""
    yield lambda size: browser.driver.set_window_size(*size)
    browser.driver.set_window_size(*DESKTOP)
    fresh_session(browser)


# --------------------------------------------------------------------------
# The case team's side
# --------------------------------------------------------------------------

def open_case_with_two_consents(browser, chosen_name: str) -> str:
    """As the caseworker: a new case with consent for the council and the Jobcentre. Returns its path."""
    assert browser.go("/cases/new") == 200, page_problem(browser)
    browser.fill("chosenName", chosen_name)
    click_id(browser, "age-adult")
    browser.press("Open case")
    case_path = browser.path
    assert re.fullmatch(r"/cases/[0-9A-Fa-f-]{36}", case_path), page_problem(browser)

    browser.click(browser.link("Consent", within='nav[aria-label="Case sections"]'))
    tick_label(browser, COUNCIL)
    tick_label(browser, JOBCENTRE)
    tick_label(browser, "Needs and care plan")
    tick_label(browser, "Arranging support and care")
    Select(browser.field("method")).select_by_value("verbal")
    assert browser.press("Record consent") == 200, page_problem(browser)
    consents = browser.driver.find_element(By.ID, "consents").text
    assert COUNCIL in consents and JOBCENTRE in consents and "In force" in consents
    return case_path


def offer_the_view(browser, case_path: str, lang: str) -> str:
    """As the caseworker: offers the survivor's own view in `lang`; returns the one-time code."""
    browser.click(browser.link("Survivor's own view", within='nav[aria-label="Case sections"]'))
    assert browser.path == case_path + "/survivor-view"
    assert "The survivor's own view" in main_text(browser)
    assert "Not offered" in main_text(browser)
    Select(browser.driver.find_element(By.ID, "language")).select_by_value(lang)
    assert browser.press("Offer the survivor their own view") == 201, page_problem(browser)
    code = browser.driver.find_element(By.ID, "activation-code").text.strip()
    assert ACTIVATION_CODE.match(code), f"activation code looks wrong: {code!r}"
    assert "Offered" in main_text(browser)
    return code


# --------------------------------------------------------------------------
# The whole journey, in English and in Arabic
# --------------------------------------------------------------------------

@pytest.mark.parametrize("lang", list(LANGUAGES))
def test_survivor_view_on_a_phone(browser, window, lang):
    _, chosen_name, message, interpreter_language = LANGUAGES[lang]
    message = f"{message} ({secrets.token_hex(3)})"  # tells this run's message apart

    # The caseworker opens a case, records consent for two agencies and offers the view.
    browser.sign_in(CASEWORKER)
    case_path = open_case_with_two_consents(browser, chosen_name)
    code = offer_the_view(browser, case_path, lang)

    # The survivor, on their phone, in a browser of their own.
    fresh_session(browser)
    window(PHONE)
    assert browser.driver.execute_script("return window.innerWidth") <= PHONE[0]

    # Activation: the page opens in the browser's language (English); they choose theirs.
    assert browser.go("/my/activate") == 200, page_problem(browser)
    in_my_view(browser, "en")
    if lang != "en":
        browser.click(browser.driver.find_element(By.CSS_SELECTOR, f'header nav ul.languages a[hreflang="{lang}"]'))
        assert browser.path == "/my/activate"
    in_my_view(browser, lang)
    assert browser.h1 == t(lang, "title.activate")
    assert t(lang, "activate.intro") in main_text(browser)
    browser.fill("activationCode", code)
    browser.fill("passphrase", PASSPHRASE)
    browser.fill("confirm", PASSPHRASE)
    assert browser.press(t(lang, "activate.button")) == 201, page_problem(browser)
    in_my_view(browser, lang)
    reference_element = browser.driver.find_element(By.ID, "reference-value")
    reference = reference_element.text.strip()
    assert REFERENCE.match(reference), f"reference looks wrong: {reference!r}"
    assert reference_element.get_attribute("dir") == "ltr", "the reference reads left to right in every language"
    assert t(lang, "activate.done", reference=reference) in main_text(browser)

    # Signing in with the reference and the passphrase they chose.
    browser.click(browser.link(t(lang, "activate.signIn"), within="main"))
    assert browser.path == "/my/sign-in"
    in_my_view(browser, lang)
    assert browser.h1 == t(lang, "title.signIn")
    browser.fill("reference", reference)
    browser.fill("passphrase", PASSPHRASE)
    browser.press(t(lang, "signIn.button"))
    assert browser.path == "/my", page_problem(browser)
    in_my_view(browser, lang)
    assert browser.h1 == t(lang, "title.appointments")
    assert t(lang, "home.hello", name=chosen_name) in main_text(browser)
    assert t(lang, "home.none") in main_text(browser)
    # Nothing on the page names the service: the title is the page's own neutral title.
    assert browser.driver.title == t(lang, "title.appointments")

    # Who holds their information: the two agencies (the survivor's own team is not one of them).
    nav_to(browser, lang, "title.consents")
    assert browser.path == "/my/consents"
    cards = consent_cards(browser)
    assert set(cards) == {COUNCIL, JOBCENTRE}, cards
    for card in cards.values():
        assert t(lang, "purpose.support_and_care_planning") in card
        assert t(lang, "consents.untilOpen") in card

    # Withdrawing the Jobcentre's consent, after a confirmation page.
    jobcentre = browser.driver.find_element(By.CSS_SELECTOR, f'section.consent-card[aria-label="{JOBCENTRE}"]')
    browser.click(jobcentre.find_element(By.CSS_SELECTOR, "a.button"))
    assert re.fullmatch(r"/my/consents/[0-9A-Fa-f-]{36}/withdraw", browser.path), browser.path
    in_my_view(browser, lang)
    assert browser.h1 == t(lang, "withdraw.question", agency=JOBCENTRE)
    assert t(lang, "withdraw.body", agency=JOBCENTRE) in main_text(browser)
    assert browser.press(t(lang, "withdraw.confirm")) == 200, page_problem(browser)
    assert browser.path == "/my/consents"
    in_my_view(browser, lang)
    assert flash(browser) == t(lang, "withdraw.done", agency=JOBCENTRE)
    assert set(consent_cards(browser)) == {COUNCIL}

    # Rating two outcomes for the 1-month review; the answers show in the chart.
    nav_to(browser, lang, "title.journey")
    assert browser.path == "/my/journey"
    assert t(lang, "journey.noRatings") in main_text(browser)
    assert not browser.driver.find_elements(By.CSS_SELECTOR, "section.rating-chart")
    Select(browser.driver.find_element(By.ID, "point")).select_by_value("1_month")
    click_id(browser, "education-mostly")
    click_id(browser, "medical_treatment-a_little")
    assert browser.press(t(lang, "journey.save")) == 200, page_problem(browser)
    assert browser.path == "/my/journey"
    in_my_view(browser, lang)
    assert flash(browser) == t(lang, "journey.saved")
    charts = browser.driver.find_elements(By.CSS_SELECTOR, "section.rating-chart")
    assert len(charts) == 1, [c.text for c in charts]
    assert charts[0].find_element(By.TAG_NAME, "h3").text.strip() == t(lang, "point.1_month")
    bars = {row.find_element(By.TAG_NAME, "dt").text.strip(): row.find_element(By.TAG_NAME, "dd").text.strip()
            for row in charts[0].find_elements(By.CSS_SELECTOR, ".rating-row")}
    assert bars == {t(lang, "outcome.medical_treatment"): t(lang, "rating.a_little"),
                    t(lang, "outcome.education"): t(lang, "rating.mostly")}, bars
    # The bar of "mostly" is longer than that of "a little" (level 3 against level 1).
    assert charts[0].find_elements(By.CSS_SELECTOR, ".rating-bar.bar-3") and charts[0].find_elements(By.CSS_SELECTOR, ".rating-bar.bar-1")

    # A message to the team, asking for an interpreter.
    nav_to(browser, lang, "title.messages")
    assert browser.path == "/my/messages"
    assert t(lang, "messages.none") in main_text(browser)
    browser.fill("body", message)
    interpreter_label = browser.driver.find_element(By.CSS_SELECTOR, 'label[for="interpreter"]').text.strip()
    assert interpreter_label == t(lang, "messages.interpreter")
    click_id(browser, "interpreter")
    browser.fill("language", interpreter_language)
    assert browser.press(t(lang, "messages.send")) == 200, page_problem(browser)
    assert browser.path == "/my/messages"
    in_my_view(browser, lang)
    assert flash(browser) == t(lang, "messages.sent")
    mine = browser.driver.find_elements(By.CSS_SELECTOR, "ol.messages li.message-mine")
    assert len(mine) == 1, [m.text for m in mine]
    assert mine[0].find_element(By.CSS_SELECTOR, ".message-body").text.strip() == message
    assert mine[0].find_element(By.CSS_SELECTOR, ".message-meta strong").text.strip() == t(lang, "messages.you")

    # On a phone nothing is wider than the screen (no sideways scrolling), also right to left.
    overflow = browser.driver.execute_script(
        "return document.documentElement.scrollWidth - document.documentElement.clientWidth;")
    assert overflow <= 0, f"/my/messages is {overflow}px wider than the {PHONE[0]}px window"

    # The quick exit: leaves Cairn at once for an everyday site (unreachable from here, so the
    # browser shows the BBC address or its error page), and ends the session on the way.
    exited_from = browser.driver.current_url
    history_before = browser.driver.execute_script("return history.length")
    browser.driver.find_element(By.CSS_SELECTOR, "header a.quick-exit").click()
    WebDriverWait(browser.driver, 20, poll_frequency=0.05).until(
        lambda d: not d.current_url.startswith(browser.base_url))
    assert urlparse(browser.driver.current_url).hostname == "www.bbc.co.uk", browser.driver.current_url
    # The page left was replaced in the history, not added to.
    assert browser.driver.execute_script("return history.length") == history_before

    # Back does not return to the page they left: it goes to the survivor page before it, which
    # now asks for the sign-in again (the session ended), without their words on it.
    browser.driver.back()
    WebDriverWait(browser.driver, 20, poll_frequency=0.05).until(
        lambda d: d.current_url.startswith(browser.base_url) and d.execute_script("return document.readyState") == "complete")
    assert browser.driver.current_url != exited_from
    browser._landed()
    assert browser.path == "/my/sign-in", f"Back after the quick exit showed {browser.path} ({browser.h1})"
    assert browser.h1 == t(lang, "title.signIn")
    assert message not in browser.driver.find_element(By.TAG_NAME, "body").text

    # The session has ended: their pages ask for the sign-in again.
    browser.go("/my/messages")
    assert browser.path == "/my/sign-in", f"after the quick exit /my/messages showed {browser.path}"
    assert browser.go("/my") == 200
    assert browser.path == "/my/sign-in", f"after the quick exit /my showed {browser.path}"
    assert message not in main_text(browser)

    # The case team sees the message, the interpreter request and the ratings.
    fresh_session(browser)
    window(DESKTOP)
    browser.sign_in(CASEWORKER)
    assert browser.go(case_path + "/survivor-view") == 200, page_problem(browser)
    team = main_text(browser)
    assert "Active" in team
    received = [li for li in browser.driver.find_elements(By.CSS_SELECTOR, "#main ol.messages li.message-mine")
                if message in li.text]
    assert len(received) == 1, team
    assert received[0].find_element(By.CSS_SELECTOR, ".message-meta strong").text.strip() == "The survivor"
    assert f"Interpreter needed: {interpreter_language}" in received[0].text
    ratings = browser.driver.find_element(By.CSS_SELECTOR, "#main table.table").text
    assert "1 month" in ratings and "Mostly" in ratings and "A little" in ratings, ratings

    # The consent they withdrew is no longer in force for the Jobcentre; the council's stands.
    assert browser.go(case_path + "/consent") == 200, page_problem(browser)
    in_force = [row.text for row in browser.driver.find_elements(By.CSS_SELECTOR, "#consents tbody tr") if "In force" in row.text]
    assert len(in_force) == 1 and COUNCIL in in_force[0] and JOBCENTRE not in in_force[0], in_force


def test_zz_survivor_pages_have_no_serious_accessibility_violations(axe_log):
    ours = {name for name in globals() if name.startswith("test_") and not name.startswith("test_zz")}
    pages = [p for p in axe_log.pages if p[0].split("[")[0] in ours]
    assert pages, "no page was audited (run the whole file, not this test alone)"
    survivor_pages = {path for _, path, _ in pages if path.startswith("/my")}
    for path in ("/my/activate", "/my/sign-in", "/my", "/my/consents", "/my/journey", "/my/messages"):
        assert path in survivor_pages, f"{path} was not audited: {sorted(survivor_pages)}"
    assert any(re.fullmatch(r"/my/consents/[0-9A-Fa-f-]{36}/withdraw", p) for p in survivor_pages), sorted(survivor_pages)
    for lang in LANGUAGES:
        assert any(name == f"test_survivor_view_on_a_phone[{lang}]" for name, path, _ in pages if path == "/my/journey"), lang
    blocking = [f for f in axe_log.blocking() if f.test.split("[")[0] in ours]
    assert not blocking, f"{len(blocking)} serious/critical axe-core violations:\n" + axe_log.report()
