"""Two partnerships feed a national instance, each running as its own process.

The session's demo server is Westmere; a second `cairn serve --demo` signs as another
partnership (its own key and chain); a third process is `cairn serve --national` on its own
database. The releases travel as a script outside the project would send them: fetched from
each partnership's `GET /api/v1/releases/{id}` and posted to the national
`POST /api/v1/national/releases`.
"""

from __future__ import annotations

import json
import os
import signal
import subprocess
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest

from conftest import REPO, Browser, _free_port

PASSWORD = "national-admin-password"


def _binary() -> Path:
    return Path(os.environ.get("CAIRN_BIN") or REPO / ".build" / "debug" / "cairn")


def _env(extra: dict[str, str] | None = None) -> dict[str, str]:
    env = dict(os.environ)
    for name in ("CAIRN_DATABASE_URL", "CAIRN_PORT", "CAIRN_HOST", "CAIRN_DEMO", "CAIRN_NATIONAL", "CAIRN_PARTNERSHIP_ID"):
        env.pop(name, None)
    env.setdefault("CAIRN_BCRYPT_COST", "10")
    resources = REPO / "Sources" / "Cairn" / "Resources"
    if "CAIRN_RESOURCES" not in env and (resources / "Templates").is_dir():
        env["CAIRN_RESOURCES"] = str(resources)
    env.update(extra or {})
    return env


def _cli(workdir: Path, *args: str, env: dict[str, str] | None = None) -> str:
    done = subprocess.run([str(_binary()), *args], cwd=workdir, env=_env(env), capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, f"cairn {' '.join(args)} failed:\n{done.stdout}\n{done.stderr}"
    return done.stdout


class Process:
    def __init__(self, workdir: Path, args: list[str], env: dict[str, str] | None = None):
        self.port = _free_port()
        self.base_url = f"http://127.0.0.1:{self.port}"
        self.log_path = workdir / f"cairn-{self.port}.log"
        self.log = open(self.log_path, "wb")
        self.process = subprocess.Popen([str(_binary()), *args, "--host", "127.0.0.1", "--port", str(self.port)],
                                        stdin=subprocess.DEVNULL, stdout=self.log, stderr=subprocess.STDOUT, env=_env(env), cwd=workdir,
                                        start_new_session=True)
        deadline = time.monotonic() + 120
        while True:
            assert self.process.poll() is None, f"cairn exited early:\n{self.log_path.read_text(errors='replace')[-3000:]}"
            try:
                with urllib.request.urlopen(f"{self.base_url}/health", timeout=2) as response:
                    if response.status == 200:
                        break
            except (urllib.error.URLError, ConnectionError, OSError):
                pass
            assert time.monotonic() < deadline, "cairn did not answer /health within 120 s"
            time.sleep(0.2)

    def stop(self):
        if self.process.poll() is None:
            os.killpg(self.process.pid, signal.SIGTERM)
            try:
                self.process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                os.killpg(self.process.pid, signal.SIGKILL)
                self.process.wait(timeout=10)
        self.log.close()


def _call(method: str, url: str, body: bytes | None = None, token: str | None = None) -> tuple[int, dict]:
    request = urllib.request.Request(url, data=body, method=method)
    if body is not None:
        request.add_header("Content-Type", "application/json")
    if token:
        request.add_header("Authorization", f"Bearer {token}")
    try:
        with urllib.request.urlopen(request, timeout=120) as response:
            return response.status, json.loads(response.read() or b"{}")
    except urllib.error.HTTPError as error:
        return error.code, json.loads(error.read() or b"{}")


def _published(base_url: str) -> list[dict]:
    """Every published release of a partnership, in chain order, exactly as signed."""
    releases, page = [], 1
    while True:
        status, listing = _call("GET", f"{base_url}/api/v1/releases?page={page}")
        assert status == 200, listing
        for item in listing["items"]:
            if item["status"] == "approved":
                status, release = _call("GET", f"{base_url}/api/v1/releases/{item['id']}")
                assert status == 200, release
                releases.append(release)
        if page * 25 >= listing["total"]:
            break
        page += 1
    return sorted(releases, key=lambda r: r["sequence"])


@pytest.fixture(scope="module")
def national_setup(server, tmp_path_factory):
    workdir = tmp_path_factory.mktemp("national")
    database = f"sqlite://{workdir / 'national.sqlite'}"
    # The national instance's administrator, made with the command line before it starts.
    _cli(workdir, "agency", "create", "--name", "National Statistics Unit", "--type", "other", "--area", "England", "--database", database)
    _cli(workdir, "user", "create", "--email", "stats@national.invalid", "--name", "Statistics Administrator",
         "--agency", "National Statistics Unit", "--roles", "administrator", "--database", database, env={"CAIRN_NEW_PASSWORD": PASSWORD})
    token = _cli(workdir, "token", "create", "--user", "stats@national.invalid", "--database", database).strip()
    second = Process(workdir, ["serve", "--demo", "--database", f"sqlite://{workdir / 'eastbrook.sqlite'}"], env={"CAIRN_PARTNERSHIP_ID": "eastbrook"})
    national = Process(workdir, ["serve", "--national", "--database", database])
    try:
        yield {"westmere": server.base_url, "eastbrook": second.base_url, "national": national.base_url, "token": token}
    finally:
        national.stop()
        second.stop()


def test_two_partnerships_feed_a_national_instance(national_setup, chrome, axe_source, request):
    setup = national_setup
    national, token = setup["national"], setup["token"]
    regions = {"westmere": "West Midlands", "eastbrook": "East of England"}
    chains = {}
    for partnership, region in regions.items():
        status, key = _call("GET", f"{setup[partnership]}/api/v1/releases/key")
        assert status == 200 and key["partnership"] == partnership
        body = json.dumps({"id": partnership, "name": partnership.title(), "region": region, "publicKey": key["publicKey"]}).encode()
        status, answer = _call("POST", f"{national}/api/v1/national/partnerships", body, token)
        assert status == 201, answer
        chains[partnership] = _published(setup[partnership])
        assert len(chains[partnership]) >= 5, f"{partnership} published only {len(chains[partnership])} releases"

    westmere, eastbrook = chains["westmere"], chains["eastbrook"]
    # Refused, with the reason, and nothing stored: one changed byte, out of order, unknown key.
    changed = json.loads(json.dumps(westmere[0]))
    cell = changed["tables"][0]["cells"][0]
    cell["value"] = cell["value"] + 5 if isinstance(cell["value"], int) else 0
    for body, reason in [(json.dumps(changed).encode(), "does not match"), (json.dumps(westmere[1]).encode(), "out of order")]:
        status, answer = _call("POST", f"{national}/api/v1/national/releases", body)
        assert status == 422 and reason in answer.get("detail", ""), answer
    stranger = dict(westmere[0], partnership="northfield")
    status, answer = _call("POST", f"{national}/api/v1/national/releases", json.dumps(stranger).encode())
    assert status == 422 and "not registered" in answer["detail"], answer

    # Each chain in order is accepted; sending one again is a replay.
    for release in westmere + eastbrook:
        status, answer = _call("POST", f"{national}/api/v1/national/releases", json.dumps(release).encode())
        assert status == 201, (release["partnership"], release["sequence"], answer)
        assert answer["sequence"] == release["sequence"] and answer["exposed"] == 0, answer
    status, answer = _call("POST", f"{national}/api/v1/national/releases", json.dumps(westmere[0]).encode())
    assert status == 422 and "already been accepted" in answer["detail"], answer
    status, listing = _call("GET", f"{national}/api/v1/national/partnerships", token=token)
    assert {p["id"]: p["releases"] for p in listing["items"]} == {"westmere": len(westmere), "eastbrook": len(eastbrook)}

    # The national table for a period both published adds the two up, by region.
    shared = sorted({r["period"] for r in westmere} & {r["period"] for r in eastbrook})
    assert shared, "the two partnerships published no period in common"
    period = shared[-1]
    latest = {name: [r for r in chain if r["period"] == period][-1] for name, chain in chains.items()}
    table = latest["westmere"]["tables"][0]["name"]
    status, national_table = _call("GET", f"{national}/api/v1/national/tables?period={period}&table={urllib.request.quote(table)}", token=token)
    assert status == 200, national_table
    assert national_table["regions"] == sorted(regions.values())
    totals = [next(c["value"] for c in t["cells"] if c["key"] == {})
              for r in latest.values() for t in r["tables"] if t["name"] == table]
    total_row = next(row for row in national_table["rows"] if row["key"] == {})
    if len(totals) == 2 and all(isinstance(v, int) for v in totals) and sum(totals) >= 10:
        assert total_row["cells"][-1] == dict(total_row["cells"][-1], state="published", value=sum(totals))

    # The national dashboard, signed in, with axe on every page.
    browser = Browser(chrome, national, request.node.name, axe_source)
    chrome.delete_all_cookies()
    browser.sign_in("stats@national.invalid", PASSWORD)
    assert browser.go("/national") == 200
    assert browser.h1 == "The national picture"
    labels = [label for label, _ in browser.nav_links()]
    assert "National picture" in labels and "Partnerships" in labels and "Reports" not in labels
    assert browser.go("/national/partnerships/westmere") == 200
    assert browser.click(browser.link(str(len(westmere)))) == 200
    assert browser.path.startswith("/national/releases/") and "Westmere" not in browser.h1
    assert browser.go("/national/partnerships/new") == 200
    browser.fill("id", "Not an id")
    browser.press("Register")
    assert browser.last_status == 422 and "Enter the partnership" in browser.error_text()
    chrome.delete_all_cookies()
