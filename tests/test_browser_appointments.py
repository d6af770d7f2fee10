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
# The right edge of the page's own content (the top bar is shared by all pages).
WIDEST_IN_MAIN = (
    "Math.max(...Array.from(document.querySelectorAll('main *'),"
    " e => e.getBoundingClientRect().right))"
)

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


def seed(served) -> tuple[str, int]:
    """Initech with its admin and one location: (API token, location id)."""
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
    return token, response.json()["id"]


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
            if i:
                page.click("#add-guest")  # the form starts with one row
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


def login(page, base_url) -> None:
    page.goto(base_url + "/accounts/login/")
    page.fill("#id_username", "boss@initech.example")
    page.fill("#id_password", PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_url(base_url + "/")


def test_guest_rows_are_added_and_removed_and_contacts_come_by_type_ahead(tmp_path, browser):
    """At phone width: add rows, remove one, pick a contact by address (its name follows), a
    colleague by address alone; exactly the rows left on the page are invited."""
    with portier_serve(tmp_path) as served:
        token, location_id = seed(served)
        start = (datetime.now(ZoneInfo("Europe/Berlin")) + timedelta(days=3)).replace(
            hour=9, minute=0, second=0, microsecond=0, tzinfo=None
        )
        earlier = requests.post(  # makes Old Friend one of the boss's contacts
            served.base_url + "/api/v1/appointments",
            json={
                "title": "First visit",
                "location_id": location_id,
                "starts_at": start.isoformat(),
                "ends_at": (start + timedelta(hours=1)).isoformat(),
                "guests": [{"email": "old@friend.example", "name": "Old Friend"}],
            },
            headers={"Authorization": f"Bearer {token}"},
            timeout=10,
        )
        assert earlier.status_code == 201, earlier.text
        page = browser.new_page(viewport={"width": 390, "height": 844})
        page.set_default_timeout(15_000)
        login(page, served.base_url)
        page.goto(served.base_url + "/appointments/new/")
        assert page.input_value("#id_starts_at").endswith(":00")  # the next full hour
        rows = page.locator("[data-guest-row]:visible")
        assert rows.count() == 1
        assert page.locator("input[name$='-DELETE']").first.is_hidden()  # a button instead

        assert page.input_value("#id_location") == str(location_id)  # the only one
        page.fill("#id_title", "Contract signing")
        page.fill("input[name='guests-0-first_name']", "Ann")
        page.fill("input[name='guests-0-last_name']", "Arbor")
        page.fill("input[name='guests-0-email']", "ann@example.org")
        page.click("#add-guest")
        page.click("#add-guest")
        assert rows.count() == 3
        assert page.input_value("#id_guests-TOTAL_FORMS") == "3"
        # The type-ahead: the host's contacts in the e-mail field's list.
        options = page.locator("#guest-contacts option")
        assert options.evaluate_all("os => os.map(o => o.value)") == ["old@friend.example"]
        assert page.get_attribute("input[name='guests-1-email']", "list") == "guest-contacts"
        page.fill("input[name='guests-1-email']", "old@friend.example")
        assert page.input_value("input[name='guests-1-first_name']") == "Old"
        assert page.input_value("input[name='guests-1-last_name']") == "Friend"
        page.fill("input[name='guests-2-first_name']", "Zed")
        page.fill("input[name='guests-2-email']", "zed@example.org")
        page.locator("[data-guest-row]").nth(2).locator(".remove-guest").click()
        assert rows.count() == 2
        page.click("#add-guest")
        page.fill("input[name='guests-3-email']", "dora@initech.example")
        assert page.evaluate("document.documentElement.scrollWidth") <= 390
        page.click("text=Create and invite")
        page.wait_for_url(re.compile(r".*/appointments/\d+/$"))

        invited = page.locator("tr.guest").evaluate_all(
            "rows => rows.map(r => r.dataset.email).sort()"
        )
        assert invited == ["ann@example.org", "old@friend.example"]
        assert "dora@initech.example" in page.locator("ul.colleagues").inner_text()
        assert "zed@example.org" not in page.content()

        # The other pages of this change, at the same width: a contact, its edit page, a new
        # location (its time-zone select).
        page.goto(served.base_url + "/contacts/")
        page.click("text=Old Friend")
        assert page.evaluate(WIDEST_IN_MAIN) <= 390
        page.click("main >> text=Edit")
        page.fill("#id_name", "Old Friend Jr.")
        assert page.evaluate(WIDEST_IN_MAIN) <= 390
        page.click("main button[type=submit]")
        assert page.locator("h1").inner_text() == "Old Friend Jr."
        page.goto(served.base_url + "/administration/locations/new/")
        assert page.evaluate(WIDEST_IN_MAIN) <= 390
        page.close()


@pytest.mark.parametrize(
    ("browser_zone", "preselected"),
    [("America/New_York", "America/New_York"), ("Asia/Calcutta", "Asia/Kolkata")],
)
def test_a_new_location_preselects_the_browsers_time_zone(
    tmp_path, browser, browser_zone, preselected
):
    with portier_serve(tmp_path) as served:
        seed(served)
        context = browser.new_context(timezone_id=browser_zone)
        page = context.new_page()
        page.set_default_timeout(15_000)
        login(page, served.base_url)
        page.goto(served.base_url + "/administration/locations/new/")
        page.wait_for_function("document.getElementById('id_time_zone').value !== 'Europe/Berlin'")
        assert page.input_value("#id_time_zone") == preselected
        page.goto(served.base_url + "/administration/locations/")
        page.click("text=Initech HQ")
        assert page.input_value("#id_time_zone") == "Europe/Berlin"  # an existing one keeps its
        context.close()
