"""Fixtures for Cairn's browser tests.

The suite starts its own `cairn serve --demo` on a free loopback port with a
fresh SQLite database in a temporary folder, drives headless Chromium through
Selenium, and runs axe-core on every page it lands on.

Environment:
  CAIRN_BIN           path of the cairn binary (default: <repo>/.build/debug/cairn)
  CAIRN_RESOURCES     templates/assets folder (default: <repo>/Sources/Cairn/Resources,
                      so template edits are picked up without a rebuild)
  CHROMIUM_BIN        Chromium binary (default: /usr/bin/chromium, else on PATH)
  CHROMEDRIVER        chromedriver (default: /usr/bin/chromedriver, else on PATH)
  AXE_SCRIPT          axe.min.js to inject (default: the one axe-selenium-python bundles)
  AXE_VERBOSE=1       list every element of moderate/minor axe findings too
"""

from __future__ import annotations

import json
import os
import shutil
import signal
import socket
import subprocess
import time
import urllib.error
import urllib.request
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlparse

import pytest
from selenium import webdriver
from selenium.common.exceptions import TimeoutException, WebDriverException
from selenium.webdriver.chrome.service import Service
from selenium.webdriver.common.by import By
from selenium.webdriver.support.ui import WebDriverWait

REPO = Path(__file__).resolve().parents[2]
DEMO_PASSWORD = "demo-password"
BLOCKING_IMPACTS = ("serious", "critical")


# --------------------------------------------------------------------------
# axe-core findings, collected across the whole session
# --------------------------------------------------------------------------

@dataclass
class AxeFinding:
    rule: str
    impact: str
    help: str
    help_url: str
    page: str          # path of the page
    heading: str       # its h1, to tell pages on the same path apart
    test: str          # test that visited it
    targets: list[str] = field(default_factory=list)
    summary: str = ""  # axe's failureSummary of the first node


@dataclass
class AxeLog:
    pages: list[tuple[str, str, str]] = field(default_factory=list)  # (test, path, h1)
    findings: list[AxeFinding] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)
    version: str = ""

    def blocking(self) -> list[AxeFinding]:
        return [f for f in self.findings if f.impact in BLOCKING_IMPACTS]

    def report(self, impacts=BLOCKING_IMPACTS) -> str:
        # Group by (rule, page, heading) so one broken template is one entry.
        grouped: dict[tuple[str, str, str], AxeFinding] = {}
        tests: dict[tuple[str, str, str], set[str]] = {}
        for f in self.findings:
            if f.impact not in impacts:
                continue
            key = (f.rule, f.page, f.heading)
            if key not in grouped:
                grouped[key] = f
                tests[key] = set()
            tests[key].add(f.test)
        lines = []
        for key, f in sorted(grouped.items()):
            lines.append(f"[{f.impact}] {f.rule} on {f.page} (h1 \"{f.heading}\"): {f.help}")
            for target in f.targets[:5]:
                lines.append(f"    element: {target}")
            if len(f.targets) > 5:
                lines.append(f"    ... and {len(f.targets) - 5} more elements")
            if f.summary:
                for s in f.summary.splitlines():
                    lines.append(f"    {s}")
            lines.append(f"    seen in: {', '.join(sorted(tests[key]))}")
            lines.append(f"    {f.help_url}")
        return "\n".join(lines)

    def brief(self, impacts) -> str:
        """One line per rule: how many page loads, on which paths."""
        rules: dict[tuple[str, str, str], set[str]] = {}
        for f in self.findings:
            if f.impact in impacts:
                rules.setdefault((f.impact, f.rule, f.help), set()).add(f.page)
        return "\n".join(f"[{impact}] {rule}: {help_} -- on {', '.join(sorted(pages))}"
                         for (impact, rule, help_), pages in sorted(rules.items()))


AXE_LOG = AxeLog()


def _axe_script() -> str:
    override = os.environ.get("AXE_SCRIPT")
    if override:
        return Path(override).read_text(encoding="utf-8")
    import axe_selenium_python  # noqa: PLC0415

    path = Path(axe_selenium_python.__file__).parent / "node_modules" / "axe-core" / "axe.min.js"
    return path.read_text(encoding="utf-8")


# --------------------------------------------------------------------------
# The server
# --------------------------------------------------------------------------

def _free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@dataclass
class Server:
    base_url: str
    process: subprocess.Popen
    log_path: Path

    def log_tail(self, lines: int = 40) -> str:
        try:
            return "\n".join(self.log_path.read_text(errors="replace").splitlines()[-lines:])
        except OSError:
            return "(no log)"


@pytest.fixture(scope="session")
def server(tmp_path_factory) -> Server:
    binary = Path(os.environ.get("CAIRN_BIN") or REPO / ".build" / "debug" / "cairn")
    if not binary.is_file() or not os.access(binary, os.X_OK):
        pytest.fail(f"cairn binary not found at {binary} (build it with `swift build --product cairn`, or set CAIRN_BIN)")
    workdir = tmp_path_factory.mktemp("cairn-server")
    database = workdir / "cairn.sqlite"
    log_path = workdir / "server.log"
    port = _free_port()

    env = dict(os.environ)
    for name in ("CAIRN_DATABASE_URL", "CAIRN_PORT", "CAIRN_HOST", "CAIRN_DEMO"):
        env.pop(name, None)
    env.setdefault("CAIRN_BCRYPT_COST", "10")
    resources = REPO / "Sources" / "Cairn" / "Resources"
    if "CAIRN_RESOURCES" not in env and (resources / "Templates").is_dir():
        env["CAIRN_RESOURCES"] = str(resources)

    log = open(log_path, "wb")
    process = subprocess.Popen(
        [str(binary), "serve", "--demo", "--host", "127.0.0.1", "--port", str(port),
         "--database", f"sqlite://{database}"],
        stdin=subprocess.DEVNULL, stdout=log, stderr=subprocess.STDOUT, env=env, cwd=workdir,
        start_new_session=True,
    )
    srv = Server(base_url=f"http://127.0.0.1:{port}", process=process, log_path=log_path)
    try:
        deadline = time.monotonic() + 60
        while True:
            if process.poll() is not None:
                pytest.fail(f"cairn exited with {process.returncode} before it was ready:\n{srv.log_tail()}")
            try:
                with urllib.request.urlopen(f"{srv.base_url}/health", timeout=2) as response:
                    if response.status == 200:
                        json.load(response)
                        break
            except (urllib.error.URLError, ConnectionError, OSError, ValueError):
                pass
            if time.monotonic() > deadline:
                pytest.fail(f"cairn did not answer /health within 60 s:\n{srv.log_tail()}")
            time.sleep(0.2)
        yield srv
    finally:
        if process.poll() is None:
            os.killpg(process.pid, signal.SIGTERM)
            try:
                process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                os.killpg(process.pid, signal.SIGKILL)
                process.wait(timeout=10)
        log.close()


# --------------------------------------------------------------------------
# The browser
# --------------------------------------------------------------------------

def _find_executable(env_name: str, default: str, *names: str) -> str:
    candidate = os.environ.get(env_name)
    if candidate:
        return candidate
    if Path(default).exists():
        return default
    for name in names:
        found = shutil.which(name)
        if found:
            return found
    return default


@pytest.fixture(scope="session")
def chrome():
    options = webdriver.ChromeOptions()
    options.binary_location = _find_executable("CHROMIUM_BIN", "/usr/bin/chromium", "chromium", "chromium-browser", "google-chrome")
    for flag in ("--headless=new", "--no-sandbox", "--disable-dev-shm-usage", "--window-size=1280,1000",
                 "--disable-gpu", "--no-first-run", "--disable-extensions", "--password-store=basic"):
        options.add_argument(flag)
    # Chromium's password manager pop-ups would get in the way after sign-in.
    options.add_experimental_option("prefs", {
        "credentials_enable_service": False,
        "profile.password_manager_enabled": False,
        "profile.password_manager_leak_detection": False,
    })
    options.set_capability("goog:loggingPrefs", {"performance": "ALL"})
    service = Service(executable_path=_find_executable("CHROMEDRIVER", "/usr/bin/chromedriver", "chromedriver"))
    driver = webdriver.Chrome(options=options, service=service)
    driver.set_page_load_timeout(30)
    driver.set_script_timeout(30)
    try:
        yield driver
    finally:
        driver.quit()


class Browser:
    """A thin layer over Selenium: every navigation waits for the new page and audits it with axe."""

    def __init__(self, driver, base_url: str, test_name: str, axe_source: str):
        self.driver = driver
        self.base_url = base_url
        self.test_name = test_name
        self.axe_source = axe_source
        self.last_status: int | None = None

    # -- navigation -------------------------------------------------------
    def go(self, path: str) -> int | None:
        self._drain_log()
        self.driver.get(self.base_url + path)
        return self._landed()

    def click(self, element) -> int | None:
        """Click something that loads a new page (a link or a submit button)."""
        # Mark the current window object; a new page brings a new one without the mark.
        mark = f"m{time.monotonic_ns()}"
        self.driver.execute_script("window.__cairnMark = arguments[0];", mark)
        description = element_description(element)
        self._drain_log()
        element.click()

        def left_page(driver):
            try:
                return driver.execute_script("return window.__cairnMark || null;") != mark
            except WebDriverException:
                return False  # mid-navigation; ask again

        try:
            WebDriverWait(self.driver, 20, poll_frequency=0.05).until(left_page)
        except TimeoutException:
            raise AssertionError(f"clicking {description} on {self.path} did not load a new page") from None
        return self._landed()

    def press(self, label: str) -> int | None:
        """Click the button with this exact visible text."""
        return self.click(self.button(label))

    def _landed(self) -> int | None:
        def loaded(driver):
            try:
                return driver.execute_script("return document.readyState") == "complete"
            except WebDriverException:
                return False

        WebDriverWait(self.driver, 20, poll_frequency=0.05).until(loaded)
        self.last_status = self._document_status()
        self.audit()
        return self.last_status

    # -- reading the page ---------------------------------------------------
    @property
    def path(self) -> str:
        return urlparse(self.driver.current_url).path

    @property
    def h1(self) -> str:
        headings = self.driver.find_elements(By.TAG_NAME, "h1")
        return headings[0].text.strip() if headings else ""

    def button(self, label: str):
        return self.driver.find_element(By.XPATH, f"//button[normalize-space()={xpath_literal(label)}]")

    def link(self, label: str, within: str = "body"):
        return self.driver.find_element(By.CSS_SELECTOR, within).find_element(
            By.XPATH, f".//a[normalize-space()={xpath_literal(label)}]")

    def field(self, name: str):
        return self.driver.find_element(By.NAME, name)

    def fill(self, name: str, value: str):
        element = self.field(name)
        element.clear()
        element.send_keys(value)

    def nav_links(self) -> list[tuple[str, str]]:
        navs = self.driver.find_elements(By.CSS_SELECTOR, 'nav[aria-label="Main"]')
        if not navs:
            return []
        return [(a.text.strip(), urlparse(a.get_attribute("href")).path)
                for a in navs[0].find_elements(By.TAG_NAME, "a")]

    def error_text(self) -> str:
        parts = self.driver.find_elements(By.CSS_SELECTOR, ".error-summary, .error-message")
        return " ".join(p.text for p in parts)

    # -- common journeys ------------------------------------------------------
    def sign_in(self, email: str, password: str = DEMO_PASSWORD) -> int | None:
        self.go("/sign-in")
        assert self.path == "/sign-in", f"expected the sign-in page, got {self.path} ({self.h1})"
        self.fill("email", email)
        self.fill("password", password)
        return self.press("Sign in")

    def sign_out(self) -> int | None:
        return self.press("Sign out")

    # -- HTTP status of the page shown --------------------------------------
    def _drain_log(self):
        try:
            self.driver.get_log("performance")
        except WebDriverException:
            pass

    def _document_status(self) -> int | None:
        status = None
        try:
            entries = self.driver.get_log("performance")
        except WebDriverException:
            return None
        for entry in entries:
            try:
                message = json.loads(entry["message"])["message"]
            except (KeyError, ValueError):
                continue
            if message.get("method") == "Network.responseReceived" and message["params"].get("type") == "Document":
                status = message["params"]["response"].get("status")
        return int(status) if status is not None else None

    # -- accessibility ----------------------------------------------------------
    def audit(self):
        path, heading = self.path, self.h1
        try:
            self.driver.execute_script(self.axe_source)
            results = self.driver.execute_async_script(
                "var done = arguments[arguments.length - 1];"
                "axe.run(document).then(function (r) { done({violations: r.violations, version: axe.version}); },"
                " function (e) { done({error: String(e)}); });")
        except WebDriverException as error:
            AXE_LOG.errors.append(f"{self.test_name}: axe could not run on {path}: {error.msg}")
            return
        if results.get("error"):
            AXE_LOG.errors.append(f"{self.test_name}: axe failed on {path}: {results['error']}")
            return
        AXE_LOG.pages.append((self.test_name, path, heading))
        AXE_LOG.version = results.get("version") or AXE_LOG.version
        for violation in results["violations"]:
            nodes = violation.get("nodes", [])
            AXE_LOG.findings.append(AxeFinding(
                rule=violation["id"], impact=violation.get("impact") or "unknown",
                help=violation.get("help", ""), help_url=violation.get("helpUrl", ""),
                page=path, heading=heading, test=self.test_name,
                targets=[" ".join(map(str, n.get("target", []))) for n in nodes],
                summary=(nodes[0].get("failureSummary") or "") if nodes else "",
            ))


def xpath_literal(text: str) -> str:
    if "'" not in text:
        return f"'{text}'"
    if '"' not in text:
        return f'"{text}"'
    return "concat('" + text.replace("'", "', \"'\", '") + "')"


def element_description(element) -> str:
    try:
        return f"<{element.tag_name}> \"{element.text.strip()[:40]}\""
    except WebDriverException:
        return "an element"


@pytest.fixture(scope="session")
def axe_source() -> str:
    return _axe_script()


@pytest.fixture
def browser(request, server, chrome, axe_source) -> Browser:
    """A signed-out browser for one test (cookies cleared before and after)."""
    chrome.delete_all_cookies()
    b = Browser(chrome, server.base_url, request.node.name, axe_source)
    yield b
    try:
        chrome.delete_all_cookies()
    except WebDriverException:
        pass


@pytest.fixture(scope="session")
def axe_log() -> AxeLog:
    return AXE_LOG


def pytest_terminal_summary(terminalreporter, exitstatus, config):
    if not AXE_LOG.pages and not AXE_LOG.errors:
        return
    tr = terminalreporter
    tr.section("axe-core accessibility audit")
    distinct = sorted({(p, h) for _, p, h in AXE_LOG.pages})
    tr.write_line(f"axe-core {AXE_LOG.version or '?'}: {len(AXE_LOG.pages)} page loads audited ({len(distinct)} distinct pages):")
    if AXE_LOG.version and int(AXE_LOG.version.split(".")[0]) < 4:
        tr.write_line("WARNING: this axe-core is older than 4.x and reports false positives on valid HTML "
                      "(e.g. <div> groups in <dl>, autocomplete=one-time-code); install axe-selenium-python>=3 "
                      "(pip install --ignore-requires-python on Python < 3.12) or set AXE_SCRIPT.")
    for p, h in distinct:
        tr.write_line(f"  {p}  ({h})")
    blocking = AXE_LOG.report(BLOCKING_IMPACTS)
    tr.write_line("")
    tr.write_line("serious/critical violations:" if blocking else "serious/critical violations: none")
    if blocking:
        tr.write_line(blocking)
    minor_impacts = ("moderate", "minor", "unknown")
    # AXE_VERBOSE=1 lists every element of the findings that do not fail the suite.
    minor = AXE_LOG.report(minor_impacts) if os.environ.get("AXE_VERBOSE") else AXE_LOG.brief(minor_impacts)
    if minor:
        tr.write_line("")
        tr.write_line("moderate/minor findings (reported, not failing):")
        tr.write_line(minor)
    for error in AXE_LOG.errors:
        tr.write_line(f"axe error: {error}")
