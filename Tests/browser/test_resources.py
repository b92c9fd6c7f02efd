"""Browser test of the resource hub on the demo: the trainer uploads a leaflet in Romanian
through the hub's form (a file whose bytes are HTML is refused first, with the form kept), it
appears on the public page /resources?lang=ro, and a partner reads the hub. Every page visited
is axe-clean (serious/critical)."""

from __future__ import annotations

from selenium.webdriver.common.by import By
from selenium.webdriver.support.ui import Select

TITLE = "Drepturile dumneavoastră la locul de muncă"
PDF = (b"%PDF-1.4\n1 0 obj\n<< /Type /Catalog /Pages 2 0 R >>\nendobj\n2 0 obj\n<< /Type /Pages /Kids [] /Count 0 >>\nendobj\n"
       b"trailer\n<< /Root 1 0 R >>\n%%EOF\n")


def test_trainer_uploads_a_romanian_leaflet_that_the_public_page_lists(browser, tmp_path):
    html = tmp_path / "leaflet.pdf"
    html.write_bytes(b"<!DOCTYPE html><html><body><script>alert(1)</script></body></html>")
    leaflet = tmp_path / "drepturi.pdf"
    leaflet.write_bytes(PDF)

    browser.sign_in("trainer@demo.invalid")
    browser.click(browser.link("Resource hub", within='nav[aria-label="Main"]'))
    assert browser.h1 == "Resource hub"
    assert browser.driver.find_element(By.ID, "resource-table")
    browser.click(browser.link("Upload a resource"))
    assert browser.h1 == "Upload a resource"

    browser.fill("title", TITLE)
    browser.fill("summary", "Salariu, ore de lucru și cui să vă adresați.")
    Select(browser.field("kind")).select_by_visible_text("Leaflet")
    browser.driver.find_element(By.ID, "visibility-public").click()
    Select(browser.field("language")).select_by_visible_text("Romanian")
    browser.field("file").send_keys(str(html))
    assert browser.press("Upload") == 415
    assert "web page" in browser.error_text()
    assert browser.field("title").get_attribute("value") == TITLE

    browser.field("file").send_keys(str(leaflet))
    assert browser.press("Upload") == 200
    assert browser.h1 == TITLE
    languages = browser.driver.find_element(By.ID, "language-ro").text
    assert "Romanian" in languages and "version 1" in languages

    browser.go("/resources?lang=ro")
    assert browser.driver.find_element(By.TAG_NAME, "html").get_attribute("lang") == "ro"
    listed = browser.driver.find_element(By.ID, "resource-list").text
    assert TITLE in listed
    # A public resource with no Romanian file is offered in English, marked as such in Romanian.
    assert "Doar în engleză" in listed


def test_a_partner_reads_the_hub_and_a_resource(browser):
    browser.sign_in("viewer@demo.invalid")
    browser.click(browser.link("Resource hub", within='nav[aria-label="Main"]'))
    assert not browser.driver.find_elements(By.CSS_SELECTOR, 'a[href="/hub/new"]')
    Select(browser.field("visibility")).select_by_visible_text("Partners only")
    browser.press("Apply")
    assert "Hotel staff: spotting exploitation" in browser.driver.find_element(By.ID, "resource-table").text
    browser.click(browser.link("County lines: safeguarding training slides"))
    assert "Earlier versions" in browser.driver.find_element(By.TAG_NAME, "main").text


def test_zz_resource_pages_have_no_serious_accessibility_violations(axe_log):
    ours = {name for name in globals() if name.startswith("test_") and not name.startswith("test_zz")}
    pages = [p for p in axe_log.pages if p[0].split("[")[0] in ours]
    assert pages, "no page was audited (run the whole file, not this test alone)"
    audited = {p[1] for p in pages}
    for path in ("/hub", "/hub/new", "/resources"):
        assert path in audited, f"{path} was not audited"
    blocking = [f for f in axe_log.blocking() if f.test.split("[")[0] in ours]
    assert not blocking, f"{len(blocking)} serious/critical axe-core violations:\n" + axe_log.report()
