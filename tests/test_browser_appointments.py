"""In headless Chromium against the real `portier serve`: log in, invite two guests by hand,
see both guests with their invitation queued or sent, and the appointment in the list."""

import re
from datetime import datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
import requests

from portier.testing.server import portier_serve

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
PASSWORD = "a-good-long-password"

pytestmark = [
    pytest.mark.slow,
    pytest.mark.browser,
    pytest.mark.skipif(
        not CHROMIUM.exists(),
        reason="needs Debian's Chromium at /usr/bin/chromium (tools/ensure-chromium installs it)",
    ),
]


@pytest.fixture
def browser():
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(
            executable_path=str(CHROMIUM), headless=True, args=CHROMIUM_ARGS
        )
        try:
            yield chromium
        finally:
            chromium.close()


def seed(served) -> None:
    output = served.portier(
        "createcompany", "--name", "Initech", "--admin-email", "boss@initech.example",
        "--password", PASSWORD,
    )  # fmt: skip
    token = re.search(r"API token: (\S+)", output).group(1)
    response = requests.post(
        served.base_url + "/api/v1/locations",
        json={"name": "Initech HQ", "address": "Main St 1\n10117 Berlin"},
        headers={"Authorization": f"Bearer {token}"},
        timeout=10,
    )
    assert response.status_code == 201, response.text


def test_invite_two_guests_by_hand_and_see_them_invited(tmp_path, browser):
    start = datetime.now(ZoneInfo("Europe/Berlin")).replace(second=0, microsecond=0)
    start = (start + timedelta(days=2)).replace(hour=10, minute=0)
    with portier_serve(tmp_path) as served:
        seed(served)
        page = browser.new_page()
        page.set_default_timeout(15_000)
        page.goto(served.base_url + "/accounts/login/")
        page.fill("#id_username", "boss@initech.example")
        page.fill("#id_password", PASSWORD)
        page.click("button[type=submit]")
        page.wait_for_url(served.base_url + "/")

        page.click("nav.mainnav >> text=Appointments")
        page.wait_for_url("**/appointments/")
        page.click("text=Invite guests")
        page.wait_for_url("**/appointments/new/")
        page.fill("#id_title", "Contract signing")
        page.select_option("#id_location", label="Initech HQ")
        page.fill("#id_starts_at", start.strftime("%Y-%m-%dT%H:%M"))
        page.fill("#id_ends_at", (start + timedelta(hours=1)).strftime("%Y-%m-%dT%H:%M"))
        page.fill("#id_description", "Please bring your ID.")
        for i, (first, last, email) in enumerate(
            [("Ann", "Arbor", "ann@example.org"), ("Ben", "Bauer", "ben@example.net")]
        ):
            page.fill(f"input[name='guests-{i}-first_name']", first)
            page.fill(f"input[name='guests-{i}-last_name']", last)
            page.fill(f"input[name='guests-{i}-email']", email)
        page.click("text=Create and invite")
        page.wait_for_url(re.compile(r".*/appointments/\d+/$"))

        assert page.locator("h1").first.inner_text().startswith("Contract signing")
        for email in ("ann@example.org", "ben@example.net"):
            status = page.locator(f"tr.guest[data-email='{email}'] .badge").inner_text()
            assert re.fullmatch(r"invitation (queued|sent .+)", status), status
        assert "10:00–11:00" in page.locator("dl.details").inner_text()

        page.click("nav.mainnav >> text=Appointments")
        page.wait_for_url("**/appointments/")
        row = page.locator("tr[data-appointment]").first
        assert "Contract signing" in row.inner_text()
        assert page.evaluate("typeof window.htmx") == "object"  # live updates are served
        page.close()
