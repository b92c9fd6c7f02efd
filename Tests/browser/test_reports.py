"""Browser tests of Cairn's reports of concern: the public form and status page in several
languages, and the practitioners' side (recording, triage, assignment, workflow, outcome).

The public pages' text is read from the catalogues in
Sources/CairnCore/Localisation/PublicReportText+xx.swift, so the tests assert the exact
sentences a reporter sees. Every page these tests land on is checked with axe-core (see
conftest.py); the last test fails if any of them had a serious or critical violation.
"""

from __future__ import annotations

import re
import secrets
from datetime import datetime
from functools import cache
from zoneinfo import ZoneInfo

from selenium.webdriver.common.by import By
from selenium.webdriver.support.ui import Select

from conftest import REPO

ANALYST = "analyst@demo.invalid"
PRACTITIONER = "practitioner@demo.invalid"
VIEWER = "viewer@demo.invalid"

POLICE = "Westmere Constabulary"
LABOUR_INSPECTORATE = "Gangmasters and Labour Abuse Authority (Westmere team)"
JOBCENTRE = "Jobcentre Plus Westmere"

# CRN-XXXX-XX from an alphabet without 0/O, 1/I/L and U (see ReportReference.swift).
REFERENCE = re.compile(r"^CRN-[2-9A-HJKMNP-TV-Z]{4}-[2-9A-HJKMNP-TV-Z]{2}$")
# Words joined by dashes (see Passphrase in ReportReference.swift).
PASSPHRASE = re.compile(r"^[^\W\d_]+(-[^\W\d_]+){2,}$")
REPORT_PATH = re.compile(r"^/reports/([0-9A-Fa-f-]{36})$")


# --------------------------------------------------------------------------
# The public text catalogues
# --------------------------------------------------------------------------

@cache
def catalogue(code: str) -> dict[str, str]:
    """key → text of one language, read from PublicReportText+<code>.swift."""
    path = REPO / "Sources" / "CairnCore" / "Localisation" / f"PublicReportText+{code}.swift"
    source = path.read_text(encoding="utf-8")
    entries = dict(re.findall(r'^\s*"([^"\\]+)":\s*"((?:[^"\\]|\\.)*)",?\s*$', source, re.M))
    assert "status.received" in entries and "page.title" in entries, f"could not read the catalogue {path}"
    return entries


def t(code: str, key: str, **values: str) -> str:
    text = catalogue(code)[key]
    for name, value in values.items():
        text = text.replace("{" + name + "}", value)
    return text


# --------------------------------------------------------------------------
# Helpers
# --------------------------------------------------------------------------

def by_id(browser, element_id: str):
    return browser.driver.find_element(By.ID, element_id)


def text_of(browser, css: str) -> str:
    return browser.driver.find_element(By.CSS_SELECTOR, css).text.strip()


def html_attr(browser, name: str) -> str | None:
    return browser.driver.find_element(By.TAG_NAME, "html").get_attribute(name)


def tick(browser, element_id: str):
    """Select a radio button or tick a checkbox (if not already)."""
    element = by_id(browser, element_id)
    browser.driver.execute_script("arguments[0].scrollIntoView({block: 'center'});", element)
    if not element.is_selected():
        element.click()
    assert element.is_selected(), f"#{element_id} could not be selected"


def fill_id(browser, element_id: str, value: str):
    element = by_id(browser, element_id)
    element.clear()
    element.send_keys(value)


def page_problem(browser) -> str:
    return f"{browser.path} answered {browser.last_status}: h1 \"{browser.h1}\" {browser.error_text()}"


def error_summary(browser) -> tuple[str, list[tuple[str, str]]]:
    """The error summary's heading and its (message, link target) pairs."""
    summary = browser.driver.find_element(By.CSS_SELECTOR, ".error-summary")
    heading = summary.find_element(By.TAG_NAME, "h2").text.strip()
    links = [(a.text.strip(), a.get_attribute("href").split("#", 1)[-1])
             for a in summary.find_elements(By.CSS_SELECTOR, "li a")]
    return heading, links


def submit_public_report(browser, lang: str, *, description: str, danger: bool = False,
                         reporter: str = "member_of_public", **fields: str) -> tuple[str, str]:
    """Fills /report in `lang`, sends it, and returns the reference and passphrase shown."""
    status = browser.go(f"/report?lang={lang}")
    assert status == 200, page_problem(browser)
    tick(browser, "dangerNow" if danger else "dangerNow-no")
    browser.fill("description", description)
    for name, value in fields.items():
        browser.fill(name, value)
    tick(browser, f"reporterType-{reporter}")
    tick(browser, "contact-anonymous")
    status = browser.press(t(lang, "report.submit"))
    return read_confirmation(browser, lang, status)


def read_confirmation(browser, lang: str, status: int | None) -> tuple[str, str]:
    assert status == 201, f"expected 201 Created for a new public report; {page_problem(browser)}"
    assert browser.h1 == t(lang, "confirmation.title")
    reference = text_of(browser, "#reference")
    passphrase = text_of(browser, "#passphrase")
    assert REFERENCE.match(reference), f"reference looks wrong: {reference!r}"
    assert PASSPHRASE.match(passphrase), f"passphrase looks wrong: {passphrase!r}"
    main = text_of(browser, "main")
    assert t(lang, "confirmation.reference", reference=reference) in main
    assert t(lang, "confirmation.passphrase", passphrase=passphrase) in main
    return reference, passphrase


def check_status(browser, lang: str, reference: str, passphrase: str, *, from_link: bool = False) -> int | None:
    """Asks for the report's status on the status page in `lang`: the form already shown (after a
    failed check), or the page the link in `main` leads to, or else /report/status?lang=."""
    on_form = (browser.path == "/report/status" and html_attr(browser, "lang") == lang
               and browser.driver.find_elements(By.CSS_SELECTOR, "main form input#reference"))
    if not on_form:
        if from_link:
            browser.click(browser.link(t(lang, "status.title"), within="main"))
        else:
            browser.go(f"/report/status?lang={lang}")
        assert browser.path == "/report/status"
        assert browser.last_status == 200, page_problem(browser)
        assert html_attr(browser, "lang") == lang
    assert browser.h1 == t(lang, "status.title")
    browser.fill("reference", reference)
    browser.fill("passphrase", passphrase)
    return browser.press(t(lang, "status.button"))


def wrong_passphrase(passphrase: str) -> str:
    words = passphrase.split("-")
    words[0] += "x"
    return "-".join(words)


def report_id(browser) -> str:
    match = REPORT_PATH.match(browser.path)
    assert match, f"expected a report page /reports/<id>; {page_problem(browser)}"
    return match.group(1)


def report_status(browser) -> str:
    return text_of(browser, "#report-status")


def flash(browser) -> str:
    notices = browser.driver.find_elements(By.CSS_SELECTOR, "main .notice.success")
    return notices[0].text.strip() if notices else ""


def summary_value(browser, label: str, dl: str = "main dl.summary") -> str:
    for item in browser.driver.find_elements(By.CSS_SELECTOR, f"{dl} > div"):
        if item.find_element(By.TAG_NAME, "dt").text.strip() == label:
            return item.find_element(By.TAG_NAME, "dd").text.strip()
    raise AssertionError(f"no \"{label}\" in {dl} on {browser.path}")


def list_row(browser, reference: str) -> dict[str, str]:
    """The row of the reports table for this reference, as column heading → text."""
    headings = [th.text.strip() for th in browser.driver.find_elements(By.CSS_SELECTOR, "main table thead th")]
    for row in browser.driver.find_elements(By.CSS_SELECTOR, "main table tbody tr"):
        cells = row.find_elements(By.TAG_NAME, "td")
        if cells and cells[0].find_element(By.TAG_NAME, "a").text.strip() == reference:
            return dict(zip(headings, (c.text.strip() for c in cells)))
    raise AssertionError(f"{reference} is not listed on {browser.driver.current_url}: {text_of(browser, 'main')[:400]}")


def open_tab(browser, label: str):
    status = browser.click(browser.link(label, within='nav[aria-label="Report lists"]'))
    assert status == 200, page_problem(browser)
    current = browser.driver.find_element(By.CSS_SELECTOR, 'nav[aria-label="Report lists"] a[aria-current="page"]')
    assert current.text.strip() == label


def london_today() -> str:
    return datetime.now(ZoneInfo("Europe/London")).date().isoformat()


# --------------------------------------------------------------------------
# 1. A public report in English, end to end
# --------------------------------------------------------------------------

def test_public_report_in_english(browser):
    status = browser.go("/report?lang=en")
    assert status == 200
    assert html_attr(browser, "lang") == "en" and html_attr(browser, "dir") == "ltr"
    assert browser.h1 == t("en", "page.title")
    # No sign-in, and no staff navigation, on the public pages.
    assert browser.path == "/report"
    assert not browser.nav_links()
    languages = [a.text.strip() for a in browser.driver.find_elements(By.CSS_SELECTOR, "header ul.languages a")]
    assert languages == ["English", "Shqip", "Tiếng Việt", "Română", "Polski", "العربية", "ትግርኛ"], languages

    description = f"Six men sleep in the back room of the car wash on Mill Lane. Marker {secrets.token_hex(3)}."
    tick(browser, "dangerNow-no")
    browser.fill("description", description)
    browser.fill("location", "Sparkle car wash, Mill Lane")
    browser.fill("postcode", "wm1 4ab")
    browser.fill("occurred", "Last Saturday evening")
    browser.fill("people", "Six men in their twenties, thin, no gloves")
    browser.fill("vehicles", "White Transit van AB12 CDE")
    browser.fill("phones", "07700 900123")
    browser.fill("businesses", "Sparkle Hand Car Wash")
    browser.fill("websites", "@sparklewash")
    tick(browser, "reporterType-member_of_public")
    tick(browser, "contact-anonymous")
    status = browser.press(t("en", "report.submit"))
    reference, passphrase = read_confirmation(browser, "en", status)
    assert not browser.driver.find_elements(By.CSS_SELECTOR, "main .emergency"), \
        "no emergency panel should be shown for a report answered 'No' to danger"

    # The link on the confirmation page leads to the status page, in English.
    status = check_status(browser, "en", reference, passphrase, from_link=True)
    assert status == 200, page_problem(browser)
    assert browser.h1 == t("en", "status.heading", reference=reference)
    assert text_of(browser, "#status") == t("en", "status.received")

    # The reference is accepted as people type it (lower case, spaces instead of dashes).
    status = check_status(browser, "en", reference.lower().replace("-", " "), passphrase.upper())
    assert status == 200, page_problem(browser)
    assert text_of(browser, "#status") == t("en", "status.received")

    # A wrong passphrase: not found, said the same way as an unknown reference, reference kept.
    status = check_status(browser, "en", reference, wrong_passphrase(passphrase))
    assert status == 404, page_problem(browser)
    assert not browser.driver.find_elements(By.ID, "status"), "a wrong passphrase must not show any status"
    heading, errors = error_summary(browser)
    assert heading == t("en", "validation.summary")
    assert errors == [(t("en", "status.notFound"), "reference")]
    assert by_id(browser, "reference").get_attribute("value") == reference
    assert by_id(browser, "passphrase").get_attribute("value") == "", "the passphrase must not be sent back"

    status = check_status(browser, "en", "CRN-2222-22", passphrase)
    assert status == 404, page_problem(browser)
    assert error_summary(browser)[1] == [(t("en", "status.notFound"), "reference")]


def test_public_emergency_report_goes_to_the_police(browser):
    """A public report answered "Yes" to danger shows the 999 panel and is routed at once."""
    reference, passphrase = submit_public_report(
        browser, "en", danger=True, description="A woman is locked in the flat above the shop and shouting for help.")
    alert = browser.driver.find_element(By.CSS_SELECTOR, "main .emergency[role='alert']")
    assert t("en", "report.emergency.title") in alert.text
    assert alert.find_element(By.CSS_SELECTOR, "a[href='tel:999']")

    status = check_status(browser, "en", reference, passphrase)
    assert status == 200, page_problem(browser)
    assert text_of(browser, "#status") == t("en", "status.passed")

    browser.sign_in(ANALYST)
    browser.go(f"/reports?q={reference}")
    row = list_row(browser, reference)
    assert row["Urgency"] == "Emergency" and row["Status"] == "Assigned" and row["Assigned to"] == POLICE, row


# --------------------------------------------------------------------------
# 2. A public report in Arabic, right to left, with a validation error
# --------------------------------------------------------------------------

def test_public_report_in_arabic(browser):
    status = browser.go("/report?lang=ar")
    assert status == 200
    assert html_attr(browser, "lang") == "ar"
    assert html_attr(browser, "dir") == "rtl"
    assert browser.h1 == t("ar", "page.title")
    current = browser.driver.find_element(By.CSS_SELECTOR, 'header ul.languages a[aria-current="true"]')
    assert current.text.strip() == "العربية" and current.get_attribute("lang") == "ar"

    # Everything but the description.
    tick(browser, "dangerNow-no")
    browser.fill("location", "مغسلة سيارات في شارع الطاحونة")
    browser.fill("occurred", "الأسبوع الماضي")
    browser.fill("phones", "07700 900456")
    tick(browser, "reporterType-hotel")
    tick(browser, "contact-anonymous")
    status = browser.press(t("ar", "report.submit"))
    assert status == 422, page_problem(browser)
    assert browser.path == "/report"
    assert html_attr(browser, "lang") == "ar" and html_attr(browser, "dir") == "rtl"
    assert browser.driver.title.startswith("⚠ "), browser.driver.title
    heading, errors = error_summary(browser)
    assert heading == t("ar", "validation.summary")
    assert errors == [(t("ar", "validation.description.required"), "description")], errors
    assert text_of(browser, "#description-error") == t("ar", "validation.description.required")
    assert "description-error" in by_id(browser, "description").get_attribute("aria-describedby").split()
    # The other answers are kept.
    assert by_id(browser, "dangerNow-no").is_selected()
    assert not by_id(browser, "dangerNow").is_selected()
    assert by_id(browser, "location").get_attribute("value") == "مغسلة سيارات في شارع الطاحونة"
    assert by_id(browser, "occurred").get_attribute("value") == "الأسبوع الماضي"
    assert by_id(browser, "phones").get_attribute("value") == "07700 900456"
    assert by_id(browser, "reporterType-hotel").is_selected()
    assert by_id(browser, "contact-anonymous").is_selected()

    browser.fill("description", "يعمل رجال في مغسلة السيارات طوال الليل ولا يُسمح لهم بالمغادرة.")
    status = browser.press(t("ar", "report.submit"))
    reference, passphrase = read_confirmation(browser, "ar", status)
    assert html_attr(browser, "lang") == "ar" and html_attr(browser, "dir") == "rtl"
    # Codes stay left to right inside the Arabic page.
    assert by_id(browser, "reference").get_attribute("dir") == "ltr"

    status = check_status(browser, "ar", reference, passphrase, from_link=True)
    assert status == 200, page_problem(browser)
    assert html_attr(browser, "lang") == "ar" and html_attr(browser, "dir") == "rtl"
    assert browser.h1 == t("ar", "status.heading", reference=reference)
    assert text_of(browser, "#status") == t("ar", "status.received")

    status = check_status(browser, "ar", reference, wrong_passphrase(passphrase))
    assert status == 404, page_problem(browser)
    assert error_summary(browser) == (t("ar", "validation.summary"), [(t("ar", "status.notFound"), "reference")])


# --------------------------------------------------------------------------
# 3. The language choice is remembered
# --------------------------------------------------------------------------

def test_language_choice_is_remembered(browser):
    browser.go("/report")
    assert html_attr(browser, "lang") == "en", "with no choice made, the headless browser's English should be used"
    status = browser.click(browser.link("Polski", within="header ul.languages"))
    assert status == 200, page_problem(browser)
    assert browser.path == "/report"
    assert html_attr(browser, "lang") == "pl" and html_attr(browser, "dir") == "ltr"
    assert browser.h1 == t("pl", "page.title")

    # No ?lang= from here on: the choice comes from the remembered cookie.
    status = browser.go("/report/status")
    assert status == 200, page_problem(browser)
    assert html_attr(browser, "lang") == "pl"
    assert browser.h1 == t("pl", "status.title")
    assert t("pl", "status.button") in [b.text.strip() for b in browser.driver.find_elements(By.CSS_SELECTOR, "main button")]
    browser.go("/report")
    assert html_attr(browser, "lang") == "pl"
    assert browser.h1 == t("pl", "page.title")

    # Choosing another language replaces the remembered one.
    browser.click(browser.link("Română", within="header ul.languages"))
    assert html_attr(browser, "lang") == "ro"
    browser.go("/report/status")
    assert html_attr(browser, "lang") == "ro"
    assert browser.h1 == t("ro", "status.title")


# --------------------------------------------------------------------------
# 4. Public report → triage → assignment → outcome → the reporter sees it
# --------------------------------------------------------------------------

def test_public_report_is_triaged_assigned_and_closed(browser):
    marker = secrets.token_hex(4)
    reference, passphrase = submit_public_report(
        browser, "en", description=f"Workers at the farm shop are driven in at 5am and look exhausted ({marker}).",
        location="Farm shop on the Harlow road")

    # The triage team finds it waiting.
    browser.sign_in(ANALYST)
    assert browser.path == "/", page_problem(browser)
    status = browser.click(browser.link("Reports", within='nav[aria-label="Main"]'))
    assert status == 200 and browser.path == "/reports", page_problem(browser)
    open_tab(browser, "Waiting for triage")
    row = list_row(browser, reference)
    assert row["Status"] == "New" and row["Assigned to"] == "Not assigned", row
    browser.click(browser.link(reference, within="main table"))
    report = report_id(browser)
    assert browser.h1 == f"Report {reference}"
    assert report_status(browser) == "New"
    assert marker in text_of(browser, "main")
    h2s = [h.text.strip() for h in browser.driver.find_elements(By.CSS_SELECTOR, "main h2")]
    assert "Why this urgency" in h2s, h2s
    assert summary_value(browser, "Source") == "Public report"
    assert summary_value(browser, "Assigned to") == "Not assigned"

    # Triage: classify it; the rules run again.
    status = browser.click(browser.link("Triage this report"))
    assert status == 200 and browser.path == f"/reports/{report}/triage", page_problem(browser)
    assert browser.h1 == f"Triage report {reference}"
    assert not by_id(browser, "dangerNow").is_selected()
    # Nobody has classified a public report yet, so the form starts blank.
    assert not by_id(browser, "type-not_known").is_selected()
    assert not by_id(browser, "age-unknown").is_selected()
    tick(browser, "type-labour")
    tick(browser, "age-adult")
    Select(by_id(browser, "labourSector")).select_by_value("agriculture")
    browser.press("Save triage")
    assert browser.path == f"/reports/{report}", page_problem(browser)
    assert flash(browser).startswith("Triaged: urgency"), flash(browser)
    assert report_status(browser) == "Triaged"
    assert summary_value(browser, "Type of exploitation") == "Labour exploitation"
    assert summary_value(browser, "Age") == "Adult (18 or over)"
    assert summary_value(browser, "Labour sector") == "Agriculture"

    # Assign it to the police (the analyst's own agency).
    Select(by_id(browser, "assign-agency")).select_by_visible_text(POLICE)
    by_id(browser, "assign-note").send_keys("Police know this farm.")
    browser.press("Assign report")
    assert browser.path == f"/reports/{report}", page_problem(browser)
    assert report_status(browser) == "Assigned", flash(browser) + browser.error_text()
    assert summary_value(browser, "Assigned to") == POLICE

    # The reporter would now read that it was passed on.
    browser.press("Accept report")
    assert report_status(browser) == "Accepted", page_problem(browser)
    browser.press("Mark as in progress")
    assert report_status(browser) == "In progress", page_problem(browser)

    status = browser.click(browser.link("Record outcome and close"))
    assert status == 200 and browser.path == f"/reports/{report}/close", page_problem(browser)
    assert browser.h1 == f"Close report {reference}"
    today = london_today()
    year, month, day = (int(part) for part in today.split("-"))
    # The GOV.UK date input: day, month and year boxes, defaulting to today.
    assert by_id(browser, "outcomeDate-day").get_attribute("value") == str(day), "the outcome date should default to today"
    assert by_id(browser, "outcomeDate-month").get_attribute("value") == str(month)
    assert by_id(browser, "outcomeDate-year").get_attribute("value") == str(year)
    tick(browser, "outcome-police_investigation_opened")
    # A date that does not exist is refused with a message naming the field, keeping what was typed.
    browser.fill("outcomeDate-day", "31")
    browser.fill("outcomeDate-month", "2")
    browser.fill("outcomeDate-year", str(year))
    browser.press("Close report")
    assert "Date of the outcome must be a real date" in browser.error_text(), browser.error_text()
    assert by_id(browser, "outcomeDate-day").get_attribute("value") == "31"
    browser.fill("outcomeDate-day", str(day))
    browser.fill("outcomeDate-month", str(month))
    browser.fill("outcomeDate-year", str(year))
    note = f"Officers visited and opened an investigation ({marker})."
    browser.fill("outcomeNote", note)
    browser.press("Close report")
    assert browser.path == f"/reports/{report}", page_problem(browser)
    assert report_status(browser) == "Closed"
    assert flash(browser) == f"Report {reference} closed: Police investigation opened.", flash(browser)
    outcome = "#outcome-summary"
    assert summary_value(browser, "Outcome", outcome) == "Police investigation opened"
    months = ["January", "February", "March", "April", "May", "June", "July", "August", "September", "October", "November", "December"]
    assert summary_value(browser, "Date", outcome) == f"{day} {months[month - 1]} {year}"
    assert summary_value(browser, "Note", outcome) == note
    assert summary_value(browser, "What the reporter sees", outcome) == t("en", "status.actionTaken")
    history = text_of(browser, "#history")
    for step in ("received", "triage", "assign", "accept", "start work on", "close"):
        assert re.search(rf"^{re.escape(step)}\b", history, re.M), f"no \"{step}\" in the history:\n{history}"
    assert not browser.driver.find_elements(By.XPATH, "//a[normalize-space()='Triage this report']"), \
        "a closed report cannot be triaged"

    # The list shows it closed.
    browser.go(f"/reports?q={reference}")
    assert list_row(browser, reference)["Status"] == "Closed: Police investigation opened"

    # The reporter, signed out, sees the careful sentence for the outcome.
    browser.sign_out()
    status = check_status(browser, "en", reference, passphrase)
    assert status == 200, page_problem(browser)
    assert text_of(browser, "#status") == t("en", "status.actionTaken")


def test_practitioner_records_an_emergency_report(browser):
    marker = secrets.token_hex(4)
    browser.sign_in(PRACTITIONER)
    assert browser.path == "/", page_problem(browser)
    browser.click(browser.link("Reports", within='nav[aria-label="Main"]'))
    tabs = [a.text.strip() for a in browser.driver.find_elements(By.CSS_SELECTOR, 'nav[aria-label="Report lists"] a')]
    assert tabs == ["Assigned to my agency", "Made by my agency", "Referred to my agency"], tabs
    status = browser.click(browser.link("Record a report"))
    assert status == 200 and browser.path == "/reports/new", page_problem(browser)
    assert browser.h1 == "Record a report of concern"

    # Missing answers are refused with the values kept.
    browser.fill("description", f"A client says her employer holds her passport and she cannot leave the house ({marker}).")
    status = browser.press("Record report")
    assert status == 422, page_problem(browser)
    messages = [m for m, _ in error_summary(browser)[1]]
    assert any("adult, a child" in m for m in messages), messages
    assert marker in by_id(browser, "description").get_attribute("value")

    tick(browser, "dangerNow")
    tick(browser, "type-domestic_servitude")
    tick(browser, "age-adult")
    browser.fill("location", "14 Orchard Close")
    browser.fill("postcode", "WM2 7QT")
    fill_id(browser, "p0-name", "Maria Example")
    fill_id(browser, "p0-nationality", "Fictional")
    indicator = browser.driver.find_elements(By.CSS_SELECTOR, "select[name^='indicator:']")
    assert indicator, "the indicator checklist is empty"
    browser.driver.execute_script("arguments[0].closest('details').open = true;", indicator[0])
    Select(indicator[0]).select_by_value("disclosed")
    status = browser.press("Record report")
    assert status == 200, page_problem(browser)
    report_id(browser)
    reference = browser.h1.removeprefix("Report ").strip()
    assert REFERENCE.match(reference), browser.h1
    assert flash(browser) == f"Report {reference} recorded: urgency emergency.", flash(browser)
    assert text_of(browser, "main .lead .tag") == "Emergency"
    # An emergency goes to the police at once.
    assert report_status(browser) == "Assigned"
    assert summary_value(browser, "Assigned to") == POLICE
    assert summary_value(browser, "Reported by") == JOBCENTRE
    assert summary_value(browser, "Someone in danger now") == "Yes"
    assert "Maria Example" in text_of(browser, "main")

    status = browser.go("/reports")
    assert status == 200, page_problem(browser)
    open_tab(browser, "Made by my agency")
    row = list_row(browser, reference)
    assert row["Urgency"] == "Emergency", row
    assert row["Assigned to"] == POLICE and row["Status"] == "Assigned", row
    assert "Domestic servitude" in row["Type"], row

    # Only the triage team sees every report: asking for all gives one's own agency's list.
    status = browser.go("/reports?inbox=all")
    assert status == 200
    current = browser.driver.find_element(By.CSS_SELECTOR, 'nav[aria-label="Report lists"] a[aria-current="page"]')
    assert current.text.strip() == "Assigned to my agency"
    assert reference not in text_of(browser, "main")


def test_practitioner_labour_report_goes_to_the_labour_inspectorate(browser):
    browser.sign_in(PRACTITIONER)
    status = browser.go("/reports/new")
    assert status == 200, page_problem(browser)
    browser.fill("description", "A jobseeker works seven days a week at a hand car wash for £20 a day.")
    tick(browser, "type-labour")
    tick(browser, "age-adult")
    Select(by_id(browser, "labourSector")).select_by_value("car_wash")
    browser.press("Record report")
    report_id(browser)
    reference = browser.h1.removeprefix("Report ").strip()
    assert report_status(browser) == "Assigned", page_problem(browser)
    assert summary_value(browser, "Assigned to") == LABOUR_INSPECTORATE
    assert summary_value(browser, "Labour sector") == "Car washes"
    assert "labour inspectorate" in text_of(browser, "main").lower()

    browser.go("/reports?inbox=made")
    row = list_row(browser, reference)
    assert row["Assigned to"] == LABOUR_INSPECTORATE, row
    # Not the practitioner's agency's to act on.
    browser.go("/reports?inbox=assigned")
    assert reference not in text_of(browser, "main")


# --------------------------------------------------------------------------
# 5. No access without a reports role
# --------------------------------------------------------------------------

def test_viewer_cannot_open_reports(browser):
    browser.sign_in(VIEWER)
    assert browser.path == "/", page_problem(browser)
    assert "/reports" not in [href for _, href in browser.nav_links()]
    for path in ("/reports", "/reports/new", "/reports?inbox=triage"):
        status = browser.go(path)
        assert status == 403, f"{path}: {page_problem(browser)}"
        assert browser.h1 == "Not allowed"
        assert not browser.driver.find_elements(By.CSS_SELECTOR, "main table"), "the 403 page must not list reports"


# --------------------------------------------------------------------------
# 6. Accessibility of every page visited above (keep this test last)
# --------------------------------------------------------------------------

def test_zz_reports_pages_have_no_serious_accessibility_violations(axe_log):
    ours = {name for name in globals() if name.startswith("test_") and not name.startswith("test_zz")}
    pages = [p for p in axe_log.pages if p[0].split("[")[0] in ours]
    errors = [e for e in axe_log.errors if e.split(":")[0].split("[")[0] in ours]
    assert not errors, "axe-core could not run:\n" + "\n".join(errors)
    assert pages, "no reports page was audited (run the whole file, not this test alone)"
    blocking = [f for f in axe_log.blocking() if f.test.split("[")[0] in ours]
    assert not blocking, (
        f"{len(blocking)} serious/critical axe-core violations:\n" + axe_log.report())
