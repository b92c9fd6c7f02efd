"""Browser tests of Cairn's platform pages: sign-in, roles, accounts, two-factor, CSRF.

Every page these tests land on is checked with axe-core (see conftest.py); the
last test fails if any of them had a serious or critical violation.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import secrets
import struct
import time

import pytest
from selenium.webdriver.common.by import By
from selenium.webdriver.support.ui import Select

from conftest import DEMO_PASSWORD

ADMIN = "admin@demo.invalid"

COMMON_NAV = [("Home", "/"), ("Agencies", "/agencies")]
# The insight dashboard: every signed-in role, just after Home (order 15).
INSIGHT_NAV = [("Insight", "/insight")]
# Exports (HTCDS, referrals, case figures): coordinators and analysts (order 135).
EXPORTS_NAV = [("Exports", "/exports")]
EXPORT_ROLES = {"coordinator", "analyst"}
# The partnership's plan, its profile and its self-assessment: every signed-in role reads them
# (orders 84, 86 and 88, just before the agencies).
PLAN_NAV = [("Plan", "/plan"), ("Partnership", "/partnership"), ("Self-assessment", "/partnership/assessments")]
# Training (courses, sessions, totals): every signed-in role reads it (order 89, after the self-assessment).
TRAINING_NAV = [("Training", "/training")]
PLAN_NAV = PLAN_NAV + TRAINING_NAV
# Awareness campaigns: every signed-in role reads them (order 91, after Training).
CAMPAIGNS_NAV = [("Campaigns", "/campaigns")]
PLAN_NAV = PLAN_NAV + CAMPAIGNS_NAV
# The resource hub: every signed-in role reads it (order 93, after Campaigns, before Agencies).
RESOURCES_NAV = [("Resource hub", "/hub")]
# Statistical releases: every signed-in role reads the published ones (order 94, before Agencies).
RESOURCES_NAV = RESOURCES_NAV + [("Statistics", "/statistics")]
ADMIN_NAV = [("People", "/admin/users"), ("Manage agencies", "/admin/agencies"),
             ("Security", "/admin/security"), ("Indicators", "/admin/indicators"), ("Audit log", "/admin/audit"),
             ("Retention", "/admin/retention")]
REPORTS_NAV = [("Reports", "/reports")]
CASES_NAV = [("Cases", "/cases")]
# Roles that work with reports see them second in the menu; caseworkers see their cases next.
REPORT_ROLES = {"coordinator", "analyst", "caseworker", "caseworker2", "practitioner"}
CASE_ROLES = {"caseworker", "caseworker2"}
# Agencies' care-plan task inboxes: caseworkers and practitioners.
TASKS_NAV = [("Tasks", "/tasks")]
TASK_ROLES = {"caseworker", "caseworker2", "practitioner"}
# Partnership case figures (no people): coordinators, caseworkers and viewers.
FIGURES_NAV = [("Case figures", "/case-figures")]
FIGURE_ROLES = {"coordinator", "caseworker", "caseworker2", "viewer"}
# Intelligence: analysts link and grade; coordinators see hotspots; partners see shared items.
INTELLIGENCE_NAV = [("Intelligence", "/intelligence")]
HOTSPOTS_NAV = [("Hotspots", "/hotspots")]
ITEMS_NAV = [("Intelligence items", "/intelligence-items")]
HOTSPOT_ROLES = {"coordinator", "analyst"}
ITEM_ROLES = {"coordinator", "analyst", "caseworker", "caseworker2", "practitioner"}


def intelligence_nav(account: str) -> list[tuple[str, str]]:
    return ((INTELLIGENCE_NAV if account == "analyst" else []) + (HOTSPOTS_NAV if account in HOTSPOT_ROLES else [])
            + (ITEMS_NAV if account in ITEM_ROLES else []))


def expected_nav(account: str) -> list[tuple[str, str]]:
    home = COMMON_NAV[:1] + INSIGHT_NAV
    exports = EXPORTS_NAV if account in EXPORT_ROLES else []
    if account == "admin":
        return home + PLAN_NAV + RESOURCES_NAV + COMMON_NAV[1:] + ADMIN_NAV + ACCOUNT_NAV
    if account in REPORT_ROLES:
        cases = CASES_NAV if account in CASE_ROLES else []
        tasks = TASKS_NAV if account in TASK_ROLES else []
        figures = FIGURES_NAV if account in FIGURE_ROLES else []
        return home + REPORTS_NAV + cases + tasks + figures + intelligence_nav(account) + PLAN_NAV + RESOURCES_NAV + COMMON_NAV[1:] + exports + ACCOUNT_NAV
    figures = FIGURES_NAV if account in FIGURE_ROLES else []
    return home + figures + PLAN_NAV + RESOURCES_NAV + COMMON_NAV[1:] + exports + ACCOUNT_NAV
ACCOUNT_NAV = [("Your account", "/account")]

DEMO_ACCOUNTS = ["admin", "coordinator", "analyst", "caseworker", "caseworker2",
                 "practitioner", "trainer", "viewer"]


# --------------------------------------------------------------------------
# RFC 6238 TOTP (SHA-1, 6 digits, 30-second steps)
# --------------------------------------------------------------------------

def totp(secret_base32: str, step: int) -> str:
    secret = secret_base32.replace(" ", "").upper()
    key = base64.b32decode(secret + "=" * (-len(secret) % 8))
    digest = hmac.new(key, struct.pack(">Q", step), hashlib.sha1).digest()
    offset = digest[-1] & 0x0F
    value = struct.unpack(">I", digest[offset:offset + 4])[0] & 0x7FFFFFFF
    return f"{value % 1_000_000:06d}"


def current_step() -> int:
    return int(time.time()) // 30


# --------------------------------------------------------------------------
# 1. Sign in
# --------------------------------------------------------------------------

def test_admin_signs_in(browser):
    status = browser.go("/")
    assert browser.path == "/sign-in", "a signed-out visit to / should go to the sign-in page"
    assert status == 200
    assert browser.h1 == "Sign in to Cairn"

    browser.sign_in(ADMIN)
    assert browser.path == "/", f"after signing in, expected home; got {browser.path}: {browser.h1} {browser.error_text()}"
    assert browser.last_status == 200
    assert browser.h1.startswith("Welcome"), browser.h1
    assert "Alex Admin" in browser.h1


def test_wrong_password_is_refused(browser):
    browser.sign_in(ADMIN, "not-the-password")
    assert browser.path == "/sign-in"
    assert not browser.nav_links(), "no navigation should be shown to a signed-out person"
    assert browser.error_text(), "a wrong password should show an error message"
    assert browser.driver.find_element(By.ID, "email").get_attribute("value") == ADMIN


# --------------------------------------------------------------------------
# 2. Navigation by role
# --------------------------------------------------------------------------

@pytest.mark.parametrize("account", DEMO_ACCOUNTS)
def test_navigation_matches_role(browser, account):
    browser.sign_in(f"{account}@demo.invalid")
    assert browser.path == "/", f"{account}: expected home after sign-in, got {browser.path} ({browser.h1})"
    assert browser.h1.startswith("Welcome, "), browser.h1

    links = browser.nav_links()
    assert links == expected_nav(account), f"{account} sees {links}"
    if account == "admin":
        # Every admin page opens from the navigation and renders without error.
        for label, href in ADMIN_NAV:
            status = browser.click(browser.link(label, within='nav[aria-label="Main"]'))
            assert browser.path == href
            assert status == 200, f"{href} answered {status}: {browser.h1}"
            current = browser.driver.find_element(By.CSS_SELECTOR, 'nav[aria-label="Main"] a[aria-current="page"]')
            assert current.text.strip() == label
    else:
        for _, href in ADMIN_NAV:
            assert href not in [h for _, h in links]

    # The pages everyone has.
    for label, href in COMMON_NAV[1:] + ACCOUNT_NAV:
        status = browser.click(browser.link(label, within='nav[aria-label="Main"]'))
        assert browser.path == href
        assert status == 200, f"{href} answered {status}: {browser.h1}"

    if account == "viewer":
        status = browser.go("/admin/users")
        assert status == 403
        assert browser.h1 == "Not allowed"
        assert not browser.driver.find_elements(By.ID, "email"), "the 403 page must not show the user list or form"


@pytest.mark.parametrize("path", ["/admin/users", "/admin/users/new", "/admin/agencies", "/admin/security", "/admin/audit"])
def test_admin_pages_refused_to_non_administrators(browser, path):
    browser.sign_in("coordinator@demo.invalid")
    status = browser.go(path)
    assert status == 403, f"{path} answered {status} to a coordinator"
    assert browser.h1 == "Not allowed"


# --------------------------------------------------------------------------
# 3. An administrator creates an account; its owner must change the password
# --------------------------------------------------------------------------

def test_admin_creates_account_and_new_user_changes_password(browser):
    email = f"new-analyst-{secrets.token_hex(4)}@demo.invalid"
    name = "Nadia Newcomer"

    browser.sign_in(ADMIN)
    browser.click(browser.link("People", within='nav[aria-label="Main"]'))
    assert browser.path == "/admin/users"
    status = browser.go("/admin/users/new")
    assert status == 200
    assert browser.h1 == "Add a person"

    browser.fill("email", email)
    browser.fill("displayName", name)
    agency = Select(browser.field("agencyId"))
    choices = [o for o in agency.options if o.get_attribute("value")]
    assert choices, "the agency list is empty"
    agency_name = choices[0].text.strip()
    agency.select_by_value(choices[0].get_attribute("value"))
    for role in ("analyst", "viewer"):
        box = browser.driver.find_element(By.ID, f"role-{role}")
        if not box.is_selected():
            box.click()
    browser.press("Create account")

    assert browser.h1 == "Account created", f"{browser.h1}: {browser.error_text()}"
    temporary = browser.driver.find_element(By.ID, "temporary-password").text.strip()
    assert len(temporary) >= 12, f"temporary password looks too short: {temporary!r}"
    assert email in browser.driver.find_element(By.TAG_NAME, "main").text

    # The new account is listed.
    browser.click(browser.link("Back to people"))
    assert email in browser.driver.find_element(By.TAG_NAME, "main").text

    browser.sign_out()
    assert browser.path == "/sign-in"

    browser.sign_in(email, temporary)
    assert browser.path == "/account/password", f"a temporary password should force a change; got {browser.path} ({browser.h1})"
    assert browser.h1 == "Change your password"
    # Until it is changed, home is out of reach.
    browser.go("/")
    assert browser.path == "/account/password"

    new_password = "heather granite lantern 2026"
    browser.fill("password", new_password)
    browser.fill("confirm", "something else entirely 99")
    browser.press("Change password")
    assert browser.path == "/account/password", "mismatched confirmation must be refused"
    assert browser.error_text()

    browser.fill("password", new_password)
    browser.fill("confirm", new_password)
    browser.press("Change password")
    # Checked at the end, so that the rest of the journey still runs if this fails.
    landing_problem = None
    if browser.path != "/":
        landing_problem = (f"after the forced change of a temporary password, expected to land on home (/); "
                           f"landed on {browser.path} ({browser.h1}) {browser.error_text()}")
        browser.go("/")
    assert browser.path == "/", f"home is still out of reach after changing the password: {browser.path} ({browser.h1})"
    assert browser.h1 == f"Welcome, {name}"
    # Analyst and viewer: reports (analyst) and the case figures (viewer).
    assert browser.nav_links() == (COMMON_NAV[:1] + INSIGHT_NAV + REPORTS_NAV + FIGURES_NAV + intelligence_nav("analyst") + PLAN_NAV
                                   + RESOURCES_NAV + COMMON_NAV[1:] + EXPORTS_NAV + ACCOUNT_NAV)

    browser.click(browser.link("Your account", within='nav[aria-label="Main"]'))
    summary = browser.driver.find_element(By.CSS_SELECTOR, "dl.summary").text
    assert agency_name in summary
    assert "analyst" in summary.lower() and "viewer" in summary.lower(), summary

    # The temporary password no longer works; the new one does.
    browser.sign_out()
    browser.sign_in(email, temporary)
    assert browser.path == "/sign-in"
    browser.sign_in(email, new_password)
    assert browser.path == "/"

    assert landing_problem is None, landing_problem


# --------------------------------------------------------------------------
# 4. Two-factor authentication
# --------------------------------------------------------------------------

def test_two_factor_set_up_and_sign_in(browser):
    email = "trainer@demo.invalid"
    browser.sign_in(email)
    assert browser.path == "/"
    browser.click(browser.link("Your account", within='nav[aria-label="Main"]'))
    assert browser.path == "/account"
    assert "Off" in browser.driver.find_element(By.CSS_SELECTOR, "dl.summary").text

    browser.click(browser.link("Set up two-factor authentication"))
    assert browser.path == "/account/two-factor"
    secret = browser.driver.find_element(By.ID, "totp-secret").text.replace(" ", "")
    assert len(secret) >= 16, secret
    # The QR code, drawn on the server as SVG, decodes to the same otpauth URL as the link.
    url = browser.driver.find_element(By.ID, "totp-url").get_attribute("textContent").strip()
    assert url.startswith("otpauth://totp/"), url
    assert decode_qr(browser.driver.find_element(By.ID, "totp-qr").screenshot_as_png) == url

    # A wrong code at set-up is refused.
    setup_step = current_step()
    browser.fill("code", wrong_code(secret, setup_step))
    browser.press("Turn on two-factor")
    assert browser.path == "/account/two-factor"
    assert browser.error_text(), "a wrong set-up code should show an error"

    setup_step = current_step()
    browser.fill("code", totp(secret, setup_step))
    browser.press("Turn on two-factor")
    assert not browser.error_text(), browser.error_text()
    # Ten recovery codes, shown once.
    codes = [e.text for e in browser.driver.find_elements(By.CSS_SELECTOR, "#recovery-codes code")]
    assert len(codes) == 10 and len(set(codes)) == 10, codes
    browser.go("/account")
    assert "10 of 10 recovery codes left" in browser.driver.find_element(By.ID, "recovery-left").text
    assert "On" in browser.driver.find_element(By.CSS_SELECTOR, "dl.summary").text.split("Two-factor authentication")[-1]

    browser.sign_out()
    browser.sign_in(email)
    assert browser.path == "/sign-in/two-factor", f"expected the code page; got {browser.path} ({browser.h1})"
    assert browser.h1 == "Enter your security code"
    # Not signed in yet.
    browser.go("/account")
    assert browser.path in ("/sign-in", "/sign-in/two-factor"), browser.path
    if browser.path == "/sign-in":
        browser.sign_in(email)
        assert browser.path == "/sign-in/two-factor"

    browser.fill("code", wrong_code(secret, current_step()))
    browser.press("Continue")
    assert browser.path == "/sign-in/two-factor"
    assert browser.error_text(), "a wrong code should show an error"

    # The set-up code cannot be used again: use a later step (the server accepts ±1).
    step = max(current_step(), setup_step + 1)
    assert step <= current_step() + 1, "the test took too long between set-up and sign-in"
    browser.fill("code", totp(secret, step))
    browser.press("Continue")
    assert browser.path == "/", f"expected home; got {browser.path} ({browser.h1}) {browser.error_text()}"
    assert browser.h1.startswith("Welcome")

    # Without the phone: a recovery code signs in once, and says how many are left.
    browser.sign_out()
    browser.sign_in(email)
    assert browser.path == "/sign-in/two-factor"
    browser.driver.find_element(By.CSS_SELECTOR, "details.recovery summary").click()
    browser.fill("recoveryCode", codes[0])
    browser.press("Sign in with a recovery code")
    assert browser.path == "/", browser.error_text()
    assert "9 recovery codes left" in browser.driver.page_source
    browser.sign_out()
    browser.sign_in(email)
    browser.driver.find_element(By.CSS_SELECTOR, "details.recovery summary").click()
    browser.fill("recoveryCode", codes[0])
    browser.press("Sign in with a recovery code")
    assert browser.path == "/sign-in/two-factor"
    assert "already been used" in browser.error_text()


def decode_qr(png: bytes) -> str:
    """Decodes a QR code from a screenshot with OpenCV (opencv-python-headless)."""
    cv2 = pytest.importorskip("cv2")
    import numpy

    image = cv2.imdecode(numpy.frombuffer(png, dtype=numpy.uint8), cv2.IMREAD_GRAYSCALE)
    # Scale up so each module is several pixels; keep edges crisp.
    image = cv2.resize(image, None, fx=3, fy=3, interpolation=cv2.INTER_NEAREST)
    text, _, _ = cv2.QRCodeDetector().detectAndDecode(image)
    return text


def wrong_code(secret: str, step: int) -> str:
    valid = {totp(secret, s) for s in range(step - 2, step + 3)}
    candidate = 123456
    while f"{candidate:06d}" in valid:
        candidate += 1
    return f"{candidate:06d}"


# --------------------------------------------------------------------------
# 5. CSRF
# --------------------------------------------------------------------------

def tamper_csrf(browser, form_selector: str, value: str | None = "not-the-real-token"):
    """Change (or remove) the hidden _csrf input of a form on the page."""
    browser.driver.execute_script(
        "var input = document.querySelector(arguments[0]).querySelector('input[name=_csrf]');"
        "if (arguments[1] === null) { input.remove(); } else { input.value = arguments[1]; }",
        form_selector, value)


def test_form_with_wrong_csrf_token_is_refused(browser):
    email = f"csrf-{secrets.token_hex(4)}@demo.invalid"
    browser.sign_in(ADMIN)
    browser.go("/admin/users/new")
    browser.fill("email", email)
    browser.fill("displayName", "Should Not Exist")
    agency = Select(browser.field("agencyId"))
    agency.select_by_index(1)
    browser.driver.find_element(By.ID, "role-viewer").click()
    tamper_csrf(browser, "main form")
    status = browser.press("Create account")
    assert status == 403, f"expected 403, got {status}"
    assert browser.h1 == "Form expired"

    # Nothing was created, and the administrator is still signed in.
    browser.go("/admin/users")
    assert browser.path == "/admin/users"
    assert email not in browser.driver.find_element(By.TAG_NAME, "main").text

    # Missing token entirely, on the sign-out form: refused, still signed in.
    tamper_csrf(browser, "form[action='/sign-out']", None)
    status = browser.sign_out()
    assert status == 403
    assert browser.h1 == "Form expired"
    browser.go("/")
    assert browser.path == "/" and browser.h1.startswith("Welcome"), "a refused sign-out must leave the session alone"


def test_sign_in_with_wrong_csrf_token_is_refused(browser):
    browser.go("/sign-in")
    browser.fill("email", ADMIN)
    browser.fill("password", DEMO_PASSWORD)
    tamper_csrf(browser, "main form")
    status = browser.press("Sign in")
    assert status == 403
    assert browser.h1 == "Form expired"
    browser.go("/")
    assert browser.path == "/sign-in", "a refused sign-in must not sign anyone in"


# --------------------------------------------------------------------------
# 6. Sign out
# --------------------------------------------------------------------------

def test_sign_out_ends_the_session(browser):
    browser.sign_in("caseworker@demo.invalid")
    assert browser.path == "/"
    browser.sign_out()
    assert browser.path == "/sign-in"
    assert not browser.nav_links()
    browser.go("/")
    assert browser.path == "/sign-in", "after signing out, / must redirect to sign-in"
    browser.go("/account")
    assert browser.path == "/sign-in"


# --------------------------------------------------------------------------
# 7. Accessibility of every page visited above (keep this test last)
# --------------------------------------------------------------------------

def test_zz_no_serious_accessibility_violations(axe_log):
    assert not axe_log.errors, "axe-core could not run:\n" + "\n".join(axe_log.errors)
    assert axe_log.pages, "no page was audited (run the whole file, not this test alone)"
    blocking = axe_log.blocking()
    assert not blocking, (
        f"{len(blocking)} serious/critical axe-core violations:\n" + axe_log.report())
