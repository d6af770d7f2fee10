"""In headless Chromium at phone width against `portier serve` in sandbox mode: the sandbox
calendar's form shows "Number of dates" only for a repeating event, takes guests pasted from a
mail client, and asks before it deletes an event."""

import os

import pytest

from portier.testing.server import portier_serve
from tests.test_browser_appointments import CHROMIUM, CHROMIUM_ARGS, WIDEST_IN_MAIN

HOST, PASSWORD = "host@demo.example", "portier-demo"
NOT_INHERITED = tuple(
    name
    for name in os.environ
    if name.startswith(("GOOGLE_", "MICROSOFT_", "PORTIER_SANDBOX", "EMAIL_"))
)

pytestmark = [
    pytest.mark.slow,
    pytest.mark.browser,
    pytest.mark.skipif(not CHROMIUM.exists(), reason="needs Debian's Chromium"),
]


@pytest.fixture
def page(tmp_path):
    from playwright.sync_api import sync_playwright

    data_dir = tmp_path / "data"
    data_dir.mkdir()
    with (
        portier_serve(
            data_dir, unset_env=NOT_INHERITED, before=(("migrate",), ("seeddemo",)), timeout=90
        ) as served,
        sync_playwright() as playwright,
    ):
        browser = playwright.chromium.launch(
            executable_path=str(CHROMIUM), headless=True, args=CHROMIUM_ARGS
        )
        try:
            context = browser.new_context(viewport={"width": 390, "height": 844})
            context.set_default_timeout(20_000)
            page = context.new_page()
            page.goto(served.base_url + "/accounts/login/")
            page.fill("#id_username", HOST)
            page.fill("#id_password", PASSWORD)
            page.click("button[type=submit]")
            page.wait_for_url(served.base_url + "/")
            page.goto(served.base_url + "/sandbox/calendar/")
            yield page
        finally:
            browser.close()


def test_the_sandbox_event_form_at_phone_width(page):
    weeks = page.locator("[data-field='weeks']")
    assert weeks.is_hidden()  # a single event has no number of dates
    page.check("#id_weekly")
    assert weeks.is_visible()
    page.uncheck("#id_weekly")
    assert weeks.is_hidden()

    page.fill("#id_title", "Initech visit")
    page.fill(
        "#id_attendees",
        'Peter Gibbons <peter@initech.example>; "Waddams, Milton" <milton@initech.example>\n'
        "samir@initech.example",
    )
    page.click("#event-form button[type=submit]")
    event = page.locator("#events li[data-event]")
    assert event.count() == 1
    guests = event.locator(".guests").inner_text()
    assert "Peter Gibbons <peter@initech.example>" in guests
    assert '"Waddams, Milton" <milton@initech.example>' in guests
    assert page.evaluate(WIDEST_IN_MAIN) <= 390  # the page's own part (the top bar is shared)

    questions = []
    page.once("dialog", lambda dialog: (questions.append(dialog.message), dialog.dismiss()))
    event.locator("button", has_text="Delete").click()
    assert questions and questions[0].startswith("Delete this event?")
    assert event.count() == 1  # said no: still there
    page.once("dialog", lambda dialog: dialog.accept())
    event.locator("button", has_text="Delete").click()
    page.wait_for_selector("#events li[data-event]", state="detached")
    assert "deleted from your sandbox calendar" in page.locator(".messages").inner_text()
